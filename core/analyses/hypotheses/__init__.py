"""Hypothesis summary: each stated hypothesis checked against the result row that tests it."""
