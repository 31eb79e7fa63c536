"""Item analysis: critical ratios of extreme groups and item–total correlations."""
