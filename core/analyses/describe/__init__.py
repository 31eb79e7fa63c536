"""Descriptive statistics and frequency tables."""
