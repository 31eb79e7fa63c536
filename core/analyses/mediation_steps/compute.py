"""Mediation in causal steps (Baron & Kenny 1986; 温忠麟, 张雷, 侯杰泰, 刘红云 2004),
as the hierarchical regressions thesis chapters print before the bootstrap.

* One sample for all three models: complete cases on x, m, y and every
  covariate (listwise), so that c = c′ + a·b holds exactly.
* Models (OLS, SPSS REGRESSION / R ``lm``), covariates in all three:
  ``c``: Y ~ X; ``a``: M ~ X; ``b``: Y ~ X + M.  beta = SPSS's standardised
  coefficient on the model's sample (b · SD(x) / SD(y)).
* Sobel's first-order test z = a·b / √(b²·se_a² + a²·se_b²), two-sided
  normal p (Sobel 1982; the test the 2004 procedure uses).
* Verdict by the 2004 causal-steps procedure at α = .05: c not significant →
  ``none`` (the analysis stops: no effect to mediate); a and b both
  significant → c′ decides (significant: ``partial``, else ``full``);
  otherwise the Sobel test decides (significant: c′ decides as before, else
  ``none``).  ``decided_by`` says which step decided (``c``, ``ab``,
  ``sobel``).  The 2014 procedure of 温忠麟 & 叶宝娟 replaces the Sobel test by a
  bootstrap CI of a·b (PROCESS model 4).
* proportion = a·b / c (the share of the total effect, 效应占比).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from core.analyses.mediation_steps.spec import SPEC
from core.data.model import Dataset
from core.engines import ols
from core.errors import UserError
from core.types import Note, Result

INTERCEPT = "(Intercept)"
ALPHA = 0.05
STEP_COLS = SPEC.table("steps").column_names
MODEL_COLS = SPEC.table("models").column_names
SUMMARY_COLS = SPEC.table("summary").column_names


def sobel(a: float, se_a: float, b: float, se_b: float) -> tuple[float, float]:
    """First-order Sobel z and its two-sided p."""
    se = np.sqrt(b * b * se_a * se_a + a * a * se_b * se_b)
    z = a * b / se if se > 0 else np.nan
    return float(z), float(2 * stats.norm.sf(abs(z))) if np.isfinite(z) else np.nan


def verdict(p_c: float, p_a: float, p_b: float, p_cp: float, p_sobel: float) -> tuple[str, str]:
    """The 2004 causal-steps verdict and the step that decided it."""
    by_cp = "partial" if p_cp < ALPHA else "full"
    if not p_c < ALPHA:
        return "none", "c"
    if p_a < ALPHA and p_b < ALPHA:
        return by_cp, "ab"
    if p_sobel < ALPHA:
        return by_cp, "sobel"
    return "none", "sobel"


def _parse(ds: Dataset, opts: dict) -> tuple[str, str, str, list[str]]:
    x, m, y = opts.get("x"), opts.get("m"), opts.get("y")
    if not x or not m or not y:
        raise UserError("mediation_steps.error.nothing_chosen")
    covs = list(dict.fromkeys(opts.get("covariates") or []))
    names = [x, m, y, *covs]
    if len(set(names)) < len(names):
        raise UserError("mediation_steps.error.same_variable")
    for v in names:
        ds.require(v)
        if not ds.is_numeric(v):
            raise UserError("error.not_numeric", name=v)
    return x, m, y, covs


def run(ds: Dataset, opts: dict) -> Result:
    x, m, y, covs = _parse(ds, opts)
    cols = {v: ds.numeric(v) for v in (x, m, y, *covs)}
    ok = np.logical_and.reduce([np.isfinite(c) for c in cols.values()])
    n = int(ok.sum())
    notes: list[Note] = [Note("mediation_steps.note.listwise", {"n": n, "dropped": int((~ok).sum())})]
    need = len(covs) + 4
    if n < need:
        raise UserError("error.too_few_rows", n=n, need=need)
    data = {v: c[ok] for v, c in cols.items()}
    for v, c in data.items():
        if np.ptp(c) == 0:
            raise UserError("mediation_steps.error.constant", name=v)
    specs = (("c", y, [x, *covs]), ("a", m, [x, *covs]), ("b", y, [x, m, *covs]))
    step_rows, model_rows, fits = [], [], {}
    for model, outcome, preds in specs:
        X = np.column_stack([data[p] for p in preds])
        cr = ols.cross(X, data[outcome], overwrite=True)
        try:
            ols.check_design(cr)
        except (ols.Collinear, ols.Constant):
            raise UserError("mediation_steps.error.collinear", model=model) from None
        f = ols.fit(cr)
        fits[model] = (f, preds)
        for j, term in enumerate([INTERCEPT, *preds]):
            step_rows.append({"model": model, "outcome": outcome, "term": term, "b": float(f.coef[j]),
                              "se": float(f.se[j]), "beta": float(f.beta[j - 1]) if j else np.nan,
                              "t": float(f.t[j]), "p": float(f.p[j])})
        model_rows.append({"model": model, "n": n, "r2": f.r2, "adj_r2": f.adj_r2, "f": f.f, "df1": f.df1,
                           "df2": f.df_resid, "p": f.p_f})

    def coef(model: str, term: str) -> tuple[float, float, float]:
        f, preds = fits[model]
        j = 1 + preds.index(term)
        return float(f.coef[j]), float(f.se[j]), float(f.p[j])

    a, se_a, p_a = coef("a", x)
    b, se_b, p_b = coef("b", m)
    c, _, p_c = coef("c", x)
    cp, _, p_cp = coef("b", x)
    z, p_z = sobel(a, se_a, b, se_b)
    v, decided = verdict(p_c, p_a, p_b, p_cp, p_z)
    summary = {"a": a, "b": b, "c": c, "c_prime": cp, "indirect": a * b, "sobel_z": z, "sobel_p": p_z,
               "proportion": a * b / c if c != 0 else np.nan, "verdict": v, "decided_by": decided}
    if a * b * cp < 0:
        notes.append(Note("mediation_steps.note.opposite_signs"))
    notes.append(Note("mediation_steps.note.convention"))
    notes.append(Note("mediation_steps.note.bootstrap"))
    return Result("mediation_steps", n, {
        "steps": pd.DataFrame(step_rows, columns=STEP_COLS),
        "models": pd.DataFrame(model_rows, columns=MODEL_COLS),
        "summary": pd.DataFrame([summary], columns=SUMMARY_COLS),
    }, notes, meta={"x": x, "m": m, "y": y, "covariates": covs})
