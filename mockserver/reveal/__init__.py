"""reveal"""
