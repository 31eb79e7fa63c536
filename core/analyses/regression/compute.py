"""Hierarchical OLS regression (SPSS REGRESSION with blocks, R ``lm`` +
``anova`` + ``car`` + ``sandwich``/``lmtest``) and the what-if simulator.

Conventions (each stated in a note of the result):

* Listwise deletion over the outcome and every variable of every block, so
  all steps use the same rows (SPSS's hierarchical regression).
* Categorical predictors become 0/1 dummies for every observed level except
  the reference, named ``variable[code]`` with the level's code (shown as
  "Label[value label]"; R's treatment contrasts, ``factor(x)`` with ``relevel``).
* β = b · SD(x) / SD(y) over the rows used — SPSS's standardised
  coefficients, dummies included.  VIF = diagonal of the inverse correlation
  matrix of the step's predictor columns (``car::vif`` for 1-df terms, SPSS
  for every column); tolerance = 1 / VIF.  Durbin–Watson on the residuals in
  data order (``car::durbinWatsonTest``'s statistic).
* ``robust = "HC3"``: HC3 standard errors with t tests and CIs on the
  residual df (``lmtest::coeftest(m, vcov = sandwich::vcovHC(m, type =
  "HC3"))`` and SPSS GLM's robust parameter estimates — statsmodels'
  robust fits would use normal z tests).  The step F and F-change become
  Wald F tests with the larger model's HC3 covariance on (q, residual df)
  (``lmtest::waldtest(small, big, vcov = vcovHC(big, "HC3"))``; the first
  step against the intercept-only model).  R² and ΔR² are unchanged.  SPSS's
  REGRESSION has no robust option; its GLM prints robust coefficients only,
  with the classical F — so under HC3 the F columns follow R.
* ``standardized = true``: the outcome and every numeric predictor are
  z-scored over the rows used before fitting (dummies stay 0/1), so b of a
  numeric predictor is its β.  Scenarios and levers stay in original units.
* Scenarios and levers come from the final step.  Every scenario lists only
  the predictors it changes; the others stay at their sample means
  (categorical predictors at their observed mix of levels).  A row
  "baseline" (every predictor at its mean, which predicts the outcome's
  mean) is always first unless a scenario is itself named "baseline".
  95% CI of the mean prediction √(x'Vx) and prediction interval
  √(x'Vx + σ²), with V the coefficients' covariance (HC3 when chosen), t on
  the residual df (``predict(m, interval = "confidence" / "prediction")``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.analyses.regression.whatif import WhatIf, levers, scenario_table
from core.engines import ols
from core.data.model import Dataset, code_text, json_code
from core.errors import UserError
from core.analyses.regression.spec import REGRESSION as SPEC
from core.types import Note, Result

INTERCEPT = "(Intercept)"
MAX_SCENARIOS = 20
STEP_COLS = tuple(SPEC.table("steps").column_names)
COEF_COLS = tuple(SPEC.table("coefficients").column_names)


# ---- the analysis ---------------------------------------------------------------
@dataclass
class _Var:
    name: str
    kind: str                  # numeric | categorical
    block: int
    values: np.ndarray | None = None   # numeric values (all rows)
    idx: np.ndarray | None = None      # categorical level index (all rows)
    codes: list = field(default_factory=list)
    ref: int = 0
    auto: bool = False


def _parse(ds: Dataset, opts: dict):
    outcome = opts.get("outcome")
    blocks = [list(b) for b in (opts.get("blocks") or [])]
    if not outcome or not blocks or not any(blocks):
        raise UserError("regression.error.nothing_chosen")
    cat = parse_blocks(outcome, blocks, opts.get("categorical"))
    ds.require(outcome)
    if not ds.is_numeric(outcome):
        raise UserError("regression.error.outcome_not_numeric", name=outcome)
    return outcome, blocks, cat


def parse_blocks(outcome: str, blocks: list[list[str]], categorical) -> dict:
    """Check the blocks (none empty, no predictor twice or equal to the
    outcome) and the categorical map; returns the map."""
    if any(len(b) == 0 for b in blocks):
        raise UserError("regression.error.empty_block")
    seen: set[str] = set()
    for b in blocks:
        for v in b:
            if v == outcome:
                raise UserError("regression.error.outcome_in_blocks", name=v)
            if v in seen:
                raise UserError("regression.error.duplicate_predictor", name=v)
            seen.add(v)
    cat = dict(categorical or {})
    for v in cat:
        if v not in seen:
            raise UserError("regression.error.categorical_not_predictor", name=str(v))
    return cat


def predictors(ds: Dataset, blocks, cat, notes) -> list[_Var]:
    """The predictors of every block: numeric values or level indices (text
    and ``cat`` variables are categorical, reference level from ``cat``)."""
    out = []
    for bi, block in enumerate(blocks):
        for name in block:
            ds.require(name)
            if name in cat or not ds.is_numeric(name):
                idx, codes = ds.group_codes(name)
                v = _Var(name, "categorical", bi, idx=idx, codes=codes, auto=name not in cat)
                ref = cat.get(name)
                # default: the first level in the data's order unless it is tiny, then the largest
                code = ds.resolve_level(name, ref) if ref is not None else ds.reference_level(name)
                v.ref = next(i for i, c in enumerate(codes) if code_text(c) == code_text(code))
                if v.auto:
                    notes.append(Note("regression.note.auto_categorical", {"name": name}))
                out.append(v)
            else:
                out.append(_Var(name, "numeric", bi, values=ds.numeric(name)))
    return out


def dummy(name: str, code) -> str:
    """The term of one level's dummy: ``variable[code]`` (the formatter reads it "Label[value label]")."""
    return f"{name}[{code_text(code)}]"


def scenario_codes(ds: Dataset, variables: list[_Var], scenarios: list) -> list:
    """Scenarios with the levels of categorical predictors as codes (a recipe may give a value label, in
    any language: the result is the same in every language)."""
    cats = {v.name for v in variables if v.kind == "categorical"}

    def code(name, value):
        try:
            return json_code(ds.resolve_level(name, value))
        except UserError:
            raise UserError("regression.error.scenario_bad_value", predictor=name, value=str(value)[:40]) from None
    return [{**s, "values": {k: code(k, x) if k in cats and x is not None else x for k, x in s["values"].items()}}
            for s in scenarios]


def design(y_all: np.ndarray, variables: list[_Var]):
    """Rows used (complete on y and every predictor), y, X and the term table
    (one row per design column)."""
    ok = np.isfinite(y_all)
    for v in variables:
        ok &= np.isfinite(v.values) if v.kind == "numeric" else v.idx >= 0
    n = int(ok.sum())
    every = n == ok.size          # no row dropped: skip the row-selection copies

    def rows(a):
        return a if every else a[ok]

    y = rows(y_all)
    terms = []       # (term, variable, level code or None, block)
    columns = []
    for v in variables:
        if v.kind == "numeric":
            terms.append((v.name, v.name, None, v.block))
            columns.append(rows(v.values))
        else:
            idx = rows(v.idx)
            present = np.unique(idx)
            if v.ref not in present:
                if n:
                    raise UserError("regression.error.reference_absent", name=v.name, level=code_text(v.codes[v.ref]))
            if present.size < 2 and n:
                raise UserError("regression.error.one_level", name=v.name)
            v.present = [int(i) for i in present]
            for i in present:
                if i == v.ref:
                    continue
                terms.append((dummy(v.name, v.codes[i]), v.name, json_code(v.codes[i]), v.block))
                columns.append(idx == i)
    X = np.empty((n, len(columns)), order="F")   # column-major: each column one contiguous block
    for j, col in enumerate(columns):
        X[:, j] = col
    del columns
    return ok, y, X, terms


def _standardize(y, X, terms, variables):
    kinds = {v.name: v.kind for v in variables}
    y = (y - y.mean()) / y.std(ddof=1)
    X = X.copy()
    for j, (_, var, level, _) in enumerate(terms):
        if kinds[var] == "numeric":
            col = X[:, j]
            X[:, j] = (col - col.mean()) / col.std(ddof=1)
    return y, X


def _check_constant(y, X, terms, outcome):
    """Raise for a constant outcome or predictor; returns the columns' (min, max)."""
    if y.size and np.ptp(y) == 0:
        raise UserError("regression.error.constant_outcome", name=outcome)
    lo, hi = X.min(axis=0), X.max(axis=0)
    const = [terms[j][0] for j in np.flatnonzero(hi == lo)]
    if const:
        raise UserError("regression.error.constant_predictor", names=", ".join(const))
    return lo, hi


def run(ds: Dataset, opts: dict) -> Result:
    with ols.blas_single_thread():
        return _run(ds, opts)


def _run(ds: Dataset, opts: dict) -> Result:
    outcome, blocks, cat = _parse(ds, opts)
    robust = opts.get("robust")
    if robust not in (None, "HC3"):
        raise UserError("error.bad_option", analysis="regression", option="robust", value=repr(robust))
    standardized = bool(opts.get("standardized"))
    scenarios = _check_scenarios(opts.get("scenarios"))
    notes: list[Note] = []
    variables = predictors(ds, blocks, cat, notes)
    ok, y, X, terms = design(ds.numeric(outcome), variables)
    n = y.size
    n_params = X.shape[1] + 1
    if n < n_params + 2:
        raise UserError("error.too_few_rows", n=n, need=n_params + 2)
    x_min, x_max = _check_constant(y, X, terms, outcome)

    zs = _standardize(y, X, terms, variables) if standardized else None
    raw_cr = ols.cross(X, y, overwrite=True)   # X is ours: centre it in place
    del X
    try:
        ols.check_design(raw_cr)
    except ols.Constant as exc:
        raise UserError("regression.error.constant_predictor",
                        names=", ".join(terms[j][0] for j in exc.columns)) from None
    except ols.Collinear as exc:
        raise UserError("regression.error.collinear", term=terms[exc.column][0],
                        others=", ".join(terms[j][0] for j in exc.others) or "—") from None
    if not raw_cr.syy > 0:   # an outcome that varies by less than rounding (e.g. 1e-200 in one row)
        raise UserError("regression.error.constant_outcome", name=outcome)
    cr = ols.cross(zs[1], zs[0], overwrite=True) if standardized else raw_cr

    ends = []
    for bi in range(len(blocks)):
        ends.append(sum(1 for tm in terms if tm[3] <= bi))
    fits = [ols.fit(cr, k, hc=robust) for k in ends]

    step_rows, coef_rows = [], []
    prev = None
    for s, (k, fitted) in enumerate(zip(ends, fits), start=1):
        if prev is None:
            fc, q1, q2, pc = fitted.f, fitted.df1, fitted.df_resid, fitted.p_f
            r2c = fitted.r2
        else:
            fc, q1, q2, pc = ols.change_test(prev, fitted)
            r2c = fitted.r2 - prev.r2
        step_rows.append({"step": s, "n": n, "r2": fitted.r2, "adj_r2": fitted.adj_r2, "f": fitted.f,
                          "df1": fitted.df1, "df2": fitted.df_resid, "p": fitted.p_f, "r2_change": r2c,
                          "f_change": fc, "df1_change": q1, "df2_change": q2, "p_change": pc,
                          "durbin_watson": fitted.dw})
        names = [INTERCEPT] + [tm[0] for tm in terms[:k]]
        for j, term in enumerate(names):
            vif = float(fitted.vif[j - 1]) if j else math.nan
            coef_rows.append({"step": s, "term": term, "b": fitted.coef[j], "se": fitted.se[j],
                              "beta": float(fitted.beta[j - 1]) if j else math.nan, "t": fitted.t[j],
                              "p": fitted.p[j], "ci_low": fitted.ci_low[j], "ci_high": fitted.ci_high[j],
                              "vif": vif, "tolerance": 1.0 / vif if j else math.nan})
        if fitted.hc_undefined:
            notes.append(Note("regression.note.hc3_undefined", {"step": s}))
        prev = fitted
    steps = pd.DataFrame(step_rows, columns=list(STEP_COLS))
    coefficients = pd.DataFrame(coef_rows, columns=list(COEF_COLS))

    # what-if model: the final step in original units
    final_raw = fits[-1] if not standardized else ols.fit(raw_cr, None, hc=robust)
    model = whatif_model(outcome, variables, terms, final_raw, raw_cr, x_min, x_max, robust)
    scenarios = scenario_codes(ds, variables, scenarios)
    range_notes = _range_notes(model, scenarios)
    scen = scenario_table(model, scenarios)
    lev = levers(model)

    notes.insert(0, Note("regression.note.listwise", {"n": n}))
    notes.append(Note("regression.note.convention"))
    if robust:
        notes.append(Note("regression.note.hc3"))
    if standardized:
        notes.append(Note("regression.note.standardized"))
    notes.append(Note("regression.note.whatif"))
    notes.extend(range_notes)
    meta = {"outcome": outcome, "blocks": blocks, "robust": robust, "standardized": standardized,
            "terms": [{"term": tm[0], "variable": tm[1], "level": tm[2], "step": tm[3] + 1} for tm in terms],
            "whatif": model.to_dict()}
    return Result("regression", n, {"steps": steps, "coefficients": coefficients, "scenarios": scen,
                                    "levers": lev}, notes, meta)


def whatif_model(outcome, variables, terms, fit, cr, x_min, x_max, robust) -> WhatIf:
    """The what-if model of a final fit (``fit``: coef, cov, sigma2, df_resid, n) in original units."""
    col_of = {tm[0]: j for j, tm in enumerate(terms)}
    x_sd = cr.x_sd
    preds = []
    for v in variables:
        if v.kind == "numeric":
            j = col_of[v.name]
            preds.append({"name": v.name, "kind": "numeric", "column": j, "mean": float(cr.xbar[j]),
                          "sd": float(x_sd[j]), "min": float(x_min[j]), "max": float(x_max[j])})
        else:
            present = getattr(v, "present", list(range(len(v.codes))))
            codes = [json_code(v.codes[i]) for i in present]
            columns = [None if i == v.ref else col_of[dummy(v.name, v.codes[i])] for i in present]
            preds.append({"name": v.name, "kind": "categorical", "reference_code": json_code(v.codes[v.ref]),
                          "codes": codes, "columns": columns})
    return WhatIf(outcome=outcome, terms=[tm[0] for tm in terms], coef=[float(c) for c in fit.coef],
                  cov=[[float(c) for c in row] for row in fit.cov], sigma2=float(fit.sigma2),
                  df_resid=int(fit.df_resid), n=int(fit.n), col_means=[float(m) for m in cr.xbar],
                  predictors=preds, outcome_mean=float(cr.ybar), outcome_sd=cr.y_sd, robust=robust)


def _check_scenarios(value) -> list:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_SCENARIOS:
        raise UserError("regression.error.bad_scenarios", max=MAX_SCENARIOS)
    names = set()
    out = []
    for s in value:
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"].strip() \
                or not isinstance(s.get("values") or {}, dict) or set(s) - {"name", "values"}:
            raise UserError("regression.error.bad_scenarios", max=MAX_SCENARIOS)
        if s["name"] in names:
            raise UserError("regression.error.duplicate_scenario", name=s["name"])
        names.add(s["name"])
        out.append({"name": s["name"], "values": dict(s.get("values") or {})})
    return out


def _range_notes(model: WhatIf, scenarios) -> list[Note]:
    notes = []
    for s in scenarios:
        for name, value in s["values"].items():
            pred = model.predictor(name) if name in {p["name"] for p in model.predictors} else None
            if pred is None:
                raise UserError("regression.error.scenario_unknown_predictor", predictor=str(name)[:40],
                                known=", ".join(p["name"] for p in model.predictors))
            if pred["kind"] == "numeric" and isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and not (pred["min"] <= value <= pred["max"]):
                notes.append(Note("regression.note.extrapolation", {"scenario": s["name"], "name": name,
                                                                     "value": value, "min": pred["min"],
                                                                     "max": pred["max"]}))
    return notes
