"""The conditional process engine behind the ``process`` analysis.

One general engine, where a model is data:

- :mod:`.templates` — PROCESS's numbered models as a table of data (which
  paths exist, which moderator moderates which path), the "describe the
  design" matcher and conceptual-diagram data;
- :mod:`.design` — from a Dataset and the options to numeric equations
  (listwise deletion, indicator coding, centring, products, covariates);
- the OLS itself is the shared engine :mod:`core.engines.ols` (classic or
  HC0–HC4 covariance, model summaries, R²-change / Wald tests), fitted from
  the cross-products of the union design, which :mod:`.design` forms once;
- :mod:`.effects` — effects as linear forms in an equation's coefficients
  (conditional effects, Johnson–Neyman), indirect paths as products of them;
- :mod:`.boot` — the vectorised bootstrap (multinomial counts, all resamples'
  normal equations solved together, chunked for large n).
"""
