"""Conditional process analysis (mediation, moderation, moderated mediation) as PROCESS v4."""
