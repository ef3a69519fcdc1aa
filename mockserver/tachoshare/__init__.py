"""tachoshare"""
