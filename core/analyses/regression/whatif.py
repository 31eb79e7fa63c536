"""The fitted model behind the what-if simulator: the final step of a regression
kept compactly, so a slider move is a dot product and a quadratic form — shared
by the computation (scenarios, levers), the charts and the page."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from core.analyses.regression.spec import REGRESSION
from core.data.model import Dataset, code_text
from core.errors import UserError
from core.types import Result

SCEN_COLS = tuple(REGRESSION.table("scenarios").column_names)
LEVER_COLS = tuple(REGRESSION.table("levers").column_names)

@dataclass
class WhatIf:
    """The final step, compactly: enough to predict at any predictor values
    without refitting (a slider move is a dot product and a quadratic form).

    ``predictors``: one dict per variable in model order — numeric:
    ``{name, kind: "numeric", column, mean, sd, min, max}``; categorical:
    ``{name, kind: "categorical", reference_code, codes: [code…], columns:
    [column index or None (reference)…]}`` (codes only: the edge reads their labels).
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
    for i, code in enumerate(pred["codes"]):
        if value == code or str(value) == code_text(code):
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
            idx, codes = ds.group_codes(pred["name"])
            ok &= idx >= 0
            code_pos = {code_text(cd): i for i, cd in enumerate(codes)}
            for i, (code, col) in enumerate(zip(pred["codes"], pred["columns"])):
                if col is not None:
                    j = code_pos.get(code_text(code), -2)
                    cols.append((col, (idx == j).astype(float)))
    X = np.empty((int(ok.sum()), c["m"].size))
    for col, x in cols:
        X[:, col] = x[ok]
    fitted = c["b"][0] + X @ c["b"][1:]
    resid = y[ok] - fitted
    # no residual df (a saturated model): sigma² is undefined (None in the JSON-safe model), so are the
    # standardized residuals
    sigma = math.sqrt(model.sigma2) if model.sigma2 is not None and model.sigma2 > 0 else math.nan
    return pd.DataFrame({"row": ds.frame.index.to_numpy()[ok], "fitted": fitted, "residual": resid,
                         "std_residual": resid / sigma})
