"""tachograph"""
