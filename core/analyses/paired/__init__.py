"""Paired-samples t test with d_z and the Wilcoxon signed-rank test."""
