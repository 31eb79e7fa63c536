"""Mediation in causal steps: Baron & Kenny's three regressions, the Sobel test and the 2004 verdict."""
