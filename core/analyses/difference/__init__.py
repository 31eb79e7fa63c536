"""Differences across demographic splits: t tests, ANOVA, post-hoc, two-way ANOVA, cross-tabs."""
