"""Measurement: reliability, screening, EFA, CFA and SEM."""
