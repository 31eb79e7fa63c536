"""Hierarchical OLS regression (SPSS REGRESSION with blocks, R ``lm`` +
``anova`` + ``car`` + ``sandwich``/``lmtest``) and the what-if simulator.

Conventions (each stated in a note of the result):

* Listwise deletion over the outcome and every variable of every block, so
  all steps use the same rows (SPSS's hierarchical regression).
* Categorical predictors become 0/1 dummies for every observed level except
  the reference, named ``variable[level]`` with the level's value label
  (R's treatment contrasts; ``factor(x)`` with ``relevel``).
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
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from core.analyses import _ols as ols
from core.data.model import Dataset
from core.errors import UserError
from core.types import AnalysisSpec, Column, Finding, Note, Option, Result, TableSpec

INTERCEPT = "(Intercept)"
MAX_SCENARIOS = 20
STEP_COLS = ("step", "n", "r2", "adj_r2", "f", "df1", "df2", "p", "r2_change", "f_change", "df1_change",
             "df2_change", "p_change", "durbin_watson")
COEF_COLS = ("step", "term", "b", "se", "beta", "t", "p", "ci_low", "ci_high", "vif", "tolerance")
SCEN_COLS = ("scenario", "prediction", "ci_low", "ci_high", "pi_low", "pi_high")
LEVER_COLS = ("predictor", "change", "delta", "ci_low", "ci_high")


# ---- the fitted model behind the what-if simulator --------------------------------
@dataclass
class WhatIf:
    """The final step, compactly: enough to predict at any predictor values
    without refitting (a slider move is a dot product and a quadratic form).

    ``predictors``: one dict per variable in model order — numeric:
    ``{name, kind: "numeric", column, mean, sd, min, max}``; categorical:
    ``{name, kind: "categorical", reference, reference_code, levels: [label…],
    codes: [code…], columns: [column index or None (reference)…]}``.
    Columns index the design (without the intercept); ``coef`` and ``cov``
    start with the intercept.  All in original units.
    """

    outcome: str
    terms: list
    coef: list
    cov: list
    sigma2: float
    df_resid: int
    n: int
    col_means: list
    predictors: list
    outcome_mean: float
    outcome_sd: float
    robust: str | None = None
    level: float = 0.95
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict:
        """JSON-safe (non-finite numbers, e.g. an undefined HC3 covariance, as None)."""
        d = asdict(self)
        d.pop("_cache", None)
        d["coef"] = [_finite(v) for v in d["coef"]]
        d["cov"] = [[_finite(v) for v in row] for row in d["cov"]]
        d["sigma2"] = _finite(d["sigma2"])
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "WhatIf":
        return cls(**{k: v for k, v in d.items() if not k.startswith("_")})

    # arrays, made once per object
    def _arrays(self):
        c = self._cache
        if not c:
            c["b"] = np.array([np.nan if v is None else v for v in self.coef], dtype=float)
            c["v"] = np.array([[np.nan if v is None else v for v in row] for row in self.cov], dtype=float)
            c["m"] = np.asarray(self.col_means, dtype=float)
            c["q"] = float(stats.t.ppf(0.5 + self.level / 2.0, self.df_resid))
            c["by_name"] = {p["name"]: p for p in self.predictors}
        return c

    def predictor(self, name: str) -> dict:
        return self._arrays()["by_name"][name]


def _finite(v):
    return float(v) if v is not None and math.isfinite(v) else None


def as_model(model) -> WhatIf:
    if isinstance(model, WhatIf):
        return model
    if isinstance(model, Result):
        model = model.meta["whatif"]
    return WhatIf.from_dict(model)


def _level_index(pred: dict, value) -> int:
    for i, (code, lab) in enumerate(zip(pred["codes"], pred["levels"])):
        if value == code or str(value) == str(lab) or str(value) == _code_text(code):
            return i
    raise UserError("regression.error.scenario_bad_value", predictor=pred["name"], value=str(value)[:40])


def design_row(model, values: dict | None = None) -> np.ndarray:
    """The design row (intercept first) for ``values`` {predictor: value};
    unset predictors at their means (categorical: the sample mix)."""
    model = as_model(model)
    c = model._arrays()
    x = np.empty(c["m"].size + 1)
    x[0] = 1.0
    x[1:] = c["m"]
    for name, value in (values or {}).items():
        pred = c["by_name"].get(name)
        if pred is None:
            raise UserError("regression.error.scenario_unknown_predictor", predictor=str(name)[:40],
                            known=", ".join(p["name"] for p in model.predictors))
        if value is None:
            continue
        if pred["kind"] == "numeric":
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(float(value)):
                raise UserError("regression.error.scenario_bad_value", predictor=name, value=str(value)[:40])
            x[1 + pred["column"]] = float(value)
        else:
            i = _level_index(pred, value)
            for col in pred["columns"]:
                if col is not None:
                    x[1 + col] = 0.0
            if pred["columns"][i] is not None:
                x[1 + pred["columns"][i]] = 1.0
    return x


def predict(model, values: dict | None = None) -> dict:
    """Prediction of the final step at ``values`` with its 95% confidence
    interval (mean response) and prediction interval (one new respondent).
    Never refits: O(k²) arithmetic on the stored coefficients/covariance."""
    model = as_model(model)
    c = model._arrays()
    x = design_row(model, values)
    pred = float(x @ c["b"])
    var_fit = float(x @ c["v"] @ x)
    sigma2 = math.nan if model.sigma2 is None else model.sigma2
    se_fit = math.sqrt(var_fit) if var_fit >= 0 else (0.0 if var_fit > -1e-12 else math.nan)
    se_pred = math.sqrt(se_fit * se_fit + sigma2)
    q = c["q"]
    return {"prediction": pred, "se_fit": se_fit, "ci_low": pred - q * se_fit, "ci_high": pred + q * se_fit,
            "pi_low": pred - q * se_pred, "pi_high": pred + q * se_pred}


def scenario_table(model, scenarios: list | None) -> pd.DataFrame:
    """The ``scenarios`` table: "baseline" first (unless one is so named),
    then each {name, values} in order."""
    model = as_model(model)
    scenarios = list(scenarios or [])
    rows = []
    if not any(s.get("name") == "baseline" for s in scenarios):
        rows.append({"scenario": "baseline", **_pick(predict(model, {}))})
    for s in scenarios:
        rows.append({"scenario": s["name"], **_pick(predict(model, s.get("values") or {}))})
    return pd.DataFrame(rows, columns=list(SCEN_COLS))


def _pick(p: dict) -> dict:
    return {k: p[k] for k in SCEN_COLS[1:]}


def levers(model) -> pd.DataFrame:
    """Change in the prediction when one numeric predictor rises by 1 point
    and by 1 SD, others held: b·Δ with CI (b ± t·SE)·Δ.  Rows ranked by the
    size of the 1-SD change."""
    model = as_model(model)
    c = model._arrays()
    q = c["q"]
    rows = []
    for pred in model.predictors:
        if pred["kind"] != "numeric":
            continue
        j = 1 + pred["column"]
        b, vjj = float(c["b"][j]), float(c["v"][j, j])
        se = math.sqrt(vjj) if vjj >= 0 else math.nan
        for change, d in (("1 point", 1.0), ("1 SD", float(pred["sd"]))):
            rows.append({"predictor": pred["name"], "change": change, "delta": b * d, "ci_low": (b - q * se) * d,
                         "ci_high": (b + q * se) * d, "_rank": abs(b) * float(pred["sd"])})   # d > 0
    df = pd.DataFrame(rows, columns=list(LEVER_COLS) + ["_rank"])
    if len(df):
        df = df.sort_values("_rank", ascending=False, kind="stable")
    return df.drop(columns="_rank").reset_index(drop=True)


def fitted_residuals(model, ds: Dataset) -> pd.DataFrame:
    """Fitted values and residuals of the final step on its rows (for the
    residual and Q–Q plots), rebuilt from the dataset without refitting."""
    model = as_model(model)
    c = model._arrays()
    y = ds.numeric(model.outcome)
    ok = np.isfinite(y)
    cols = []
    for pred in model.predictors:
        if pred["kind"] == "numeric":
            x = ds.numeric(pred["name"])
            ok &= np.isfinite(x)
            cols.append((pred["column"], x))
        else:
            idx, _, codes = ds.group_codes(pred["name"])
            ok &= idx >= 0
            code_pos = {_code_text(cd): i for i, cd in enumerate(codes)}
            for i, (code, col) in enumerate(zip(pred["codes"], pred["columns"])):
                if col is not None:
                    j = code_pos.get(_code_text(code), -2)
                    cols.append((col, (idx == j).astype(float)))
    X = np.empty((int(ok.sum()), c["m"].size))
    for col, x in cols:
        X[:, col] = x[ok]
    fitted = c["b"][0] + X @ c["b"][1:]
    resid = y[ok] - fitted
    return pd.DataFrame({"row": ds.frame.index.to_numpy()[ok], "fitted": fitted, "residual": resid,
                         "std_residual": resid / math.sqrt(model.sigma2)})


# ---- the analysis ---------------------------------------------------------------
@dataclass
class _Var:
    name: str
    kind: str                  # numeric | categorical
    block: int
    values: np.ndarray | None = None   # numeric values (all rows)
    idx: np.ndarray | None = None      # categorical level index (all rows)
    codes: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    ref: int = 0
    auto: bool = False


def _code_text(v) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    if isinstance(v, np.integer):
        return str(int(v))
    return str(v)


def _json_code(code):
    if isinstance(code, (np.integer,)):
        return int(code)
    if isinstance(code, (float, np.floating)):
        return int(code) if float(code).is_integer() else float(code)
    return code


def _parse(ds: Dataset, opts: dict):
    outcome = opts.get("outcome")
    blocks = [list(b) for b in (opts.get("blocks") or [])]
    if not outcome or not blocks or not any(blocks):
        raise UserError("regression.error.nothing_chosen")
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
    cat = dict(opts.get("categorical") or {})
    for v in cat:
        if v not in seen:
            raise UserError("regression.error.categorical_not_predictor", name=str(v))
    ds.require(outcome)
    if not ds.is_numeric(outcome):
        raise UserError("regression.error.outcome_not_numeric", name=outcome)
    return outcome, blocks, cat


def _variables(ds: Dataset, blocks, cat, notes) -> list[_Var]:
    out = []
    for bi, block in enumerate(blocks):
        for name in block:
            ds.require(name)
            if name in cat or not ds.is_numeric(name):
                idx, labels, codes = ds.group_codes(name)
                v = _Var(name, "categorical", bi, idx=idx, codes=codes, labels=labels, auto=name not in cat)
                ref = cat.get(name)
                if ref is not None:
                    code = ds.resolve_level(name, ref)
                    v.ref = next(i for i, c in enumerate(codes) if _code_text(c) == _code_text(code))
                if v.auto:
                    notes.append(Note("regression.note.auto_categorical", {"name": name}))
                out.append(v)
            else:
                out.append(_Var(name, "numeric", bi, values=ds.numeric(name)))
    return out


def _build(ds, outcome, variables, standardized):
    """Rows used, y, X and the term table (one row per design column)."""
    y_all = ds.numeric(outcome)
    ok = np.isfinite(y_all)
    for v in variables:
        ok &= np.isfinite(v.values) if v.kind == "numeric" else v.idx >= 0
    n = int(ok.sum())
    every = n == ok.size          # no row dropped: skip the row-selection copies

    def rows(a):
        return a if every else a[ok]

    y = rows(y_all)
    terms = []       # (term, variable, level label or None, block)
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
                    raise UserError("regression.error.reference_absent", name=v.name, level=v.labels[v.ref])
            if present.size < 2 and n:
                raise UserError("regression.error.one_level", name=v.name)
            v.present = [int(i) for i in present]
            for i in present:
                if i == v.ref:
                    continue
                terms.append((f"{v.name}[{v.labels[i]}]", v.name, v.labels[i], v.block))
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
    variables = _variables(ds, blocks, cat, notes)
    ok, y, X, terms = _build(ds, outcome, variables, standardized)
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
    model = _whatif(outcome, variables, terms, final_raw, raw_cr, x_min, x_max, robust)
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


def _whatif(outcome, variables, terms, fit, cr, x_min, x_max, robust) -> WhatIf:
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
            levels = [v.labels[i] for i in present]
            codes = [_json_code(v.codes[i]) for i in present]
            columns = [None if i == v.ref else col_of[f"{v.name}[{v.labels[i]}]"] for i in present]
            preds.append({"name": v.name, "kind": "categorical", "reference": v.labels[v.ref],
                          "reference_code": _json_code(v.codes[v.ref]), "levels": levels, "codes": codes,
                          "columns": columns})
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


# ---- charts, interpretation, findings -------------------------------------------
def chart_list(result: Result, ds: Dataset, lang: str) -> list:
    from core.charts import regression as rch

    return rch.regression_charts(result, ds, lang)


def interpret(result: Result, ds: Dataset, lang: str) -> list[str]:
    from core.interpret import regression as ri

    return ri.regression(result, ds, lang)


def findings(result: Result, ds: Dataset, lang: str) -> list[Finding]:
    from core.interpret import regression as ri

    return ri.regression_findings(result, ds, lang)


SPEC = AnalysisSpec(
    type="regression",
    group="regression",
    doc="Hierarchical OLS regression: predictors entered in blocks on the same rows (listwise over all blocks), "
        "R², adjusted R², F, ΔR², F-change and Durbin–Watson per step; b, SE, β, t, p, 95% CI, VIF and tolerance "
        "per coefficient; optional HC3 robust SEs (t on the residual df; Wald F tests) and z-scored variables; "
        "what-if scenarios (prediction with 95% CI and PI from the final step, a 'baseline' at the means always "
        "included) and a levers ranking (+1 point, +1 SD).",
    options=(
        Option("outcome", "variable", required=True, role="numeric", doc="The numeric outcome (dependent variable)."),
        Option("blocks", "blocks", default=[], required=True,
               doc="Predictors in blocks, e.g. [[\"gender\", \"age\"], [\"OC\", \"PO\"]]: step s uses blocks 1…s."),
        Option("categorical", "map", default={},
               doc="Categorical predictors → reference level (code or value label; null = first level). "
                   "Dummies are named variable[level] by value label. Text predictors are categorical anyway."),
        Option("robust", "choice", default=None, choices=(None, "HC3"), nullable=True,
               doc="null (classical) or \"HC3\": HC3 SEs with t on the residual df (coeftest + vcovHC); step F "
                   "and F-change as Wald F tests (waldtest with vcovHC of the larger model)."),
        Option("standardized", "bool", default=False,
               doc="Z-score the outcome and numeric predictors over the rows used before fitting (dummies stay "
                   "0/1)."),
        # not display-only: the scenarios table and the extrapolation notes come from them, so a cached
        # result must be keyed on them (a saved scenario must reach the report's run of this analysis)
        Option("scenarios", "json", default=[],
               doc="What-if scenarios: [{\"name\": \"better CD\", \"values\": {\"CD\": 2.5}}]; unset predictors "
                   "stay at their means (categorical: level by code or value label)."),
    ),
    tables=(
        TableSpec("steps", (
            Column("step", "int", "Step (block) number; step s contains blocks 1…s."),
            Column("n", "int", "Rows used (the same in every step)."),
            Column("r2", "num", "R²."),
            Column("adj_r2", "num", "Adjusted R²."),
            Column("f", "num", "Model F (under HC3: Wald F of all slopes with the HC3 covariance)."),
            Column("df1", "int", "Numerator df (predictor columns)."),
            Column("df2", "int", "Residual df."),
            Column("p", "p", "p of F."),
            Column("r2_change", "num", "ΔR² over the previous step (step 1: R²)."),
            Column("f_change", "num", "F-change (anova of nested models; under HC3 Wald F of the added terms)."),
            Column("df1_change", "int", "Columns added."),
            Column("df2_change", "int", "Residual df of this step."),
            Column("p_change", "p", "p of the F-change."),
            Column("durbin_watson", "num", "Durbin–Watson statistic of the step's residuals in data order."),
        ), "One row per step."),
        TableSpec("coefficients", (
            Column("step", "int", "Step."),
            Column("term", "text", "(Intercept), a numeric predictor, or a dummy variable[level]."),
            Column("b", "num", "Unstandardised coefficient (of z-scores when standardized)."),
            Column("se", "num", "Standard error (HC3 when robust)."),
            Column("beta", "num", "Standardised β = b·SD(x)/SD(y) (SPSS; dummies too)."),
            Column("t", "num", "t = b / SE."),
            Column("p", "p", "Two-sided p on the residual df."),
            Column("ci_low", "num", "Lower 95% confidence limit (t on the residual df)."),
            Column("ci_high", "num", "Upper 95% confidence limit."),
            Column("vif", "num", "Variance inflation factor (inverse correlation matrix of the predictors)."),
            Column("tolerance", "num", "Tolerance = 1 / VIF."),
        ), "One row per step × term, the intercept first."),
        TableSpec("scenarios", (
            Column("scenario", "text", "Scenario name (\"baseline\": every predictor at its mean)."),
            Column("prediction", "num", "Predicted outcome (final step, original units)."),
            Column("ci_low", "num", "Lower 95% confidence limit of the mean prediction."),
            Column("ci_high", "num", "Upper 95% confidence limit of the mean prediction."),
            Column("pi_low", "num", "Lower 95% prediction limit (one new respondent)."),
            Column("pi_high", "num", "Upper 95% prediction limit."),
        ), "Baseline first (unless a scenario is named baseline), then the recipe's scenarios in order."),
        TableSpec("levers", (
            Column("predictor", "text", "Numeric predictor of the final step."),
            Column("change", "text", "\"1 point\" or \"1 SD\" increase, others held constant."),
            Column("delta", "num", "Change in the predicted outcome: b·Δ (original units)."),
            Column("ci_low", "num", "Lower 95% limit: (b − t·SE)·Δ."),
            Column("ci_high", "num", "Upper 95% limit: (b + t·SE)·Δ."),
        ), "Two rows per numeric predictor, ranked by the size of the 1-SD change."),
    ),
    run=run,
    charts=chart_list,
    interpret=interpret,
    findings=findings,
)
