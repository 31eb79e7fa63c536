"""Hierarchical regression with what-if scenarios, and correlations."""
