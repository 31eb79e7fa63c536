"""Pearson and Spearman correlations among chosen variables (SPSS CORRELATIONS
/ NONPAR CORR, R ``cor.test``), plus the thesis-style lower-triangle table
(M, SD and r with stars) that pages and exports share.

Pairwise deletion: each pair uses the rows where both variables are present
(Spearman ranks within those rows, as SPSS); listwise: only the rows where
every chosen variable is present.  p values are two-sided from
t = r·√((n − 2)/(1 − r²)) on n − 2 df — for Spearman this is
``cor.test(method = "spearman", exact = FALSE)`` and SPSS's approximation.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from core.data.model import Dataset
from core.errors import UserError
from core.analyses.regression.spec import CORRELATION as SPEC
from core.types import Note, Result

MATRIX_COLS = tuple(SPEC.table("matrix").column_names)
DESC_COLS = tuple(SPEC.table("descriptives").column_names)


def _rank(x: np.ndarray) -> np.ndarray:
    return stats.rankdata(x, method="average")


def _r_p(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    n = x.size
    if n < 3:
        return math.nan, math.nan
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float(dx @ dx), float(dy @ dy)
    if sxx <= 0 or syy <= 0:
        return math.nan, math.nan
    r = float(dx @ dy) / math.sqrt(sxx * syy)
    r = max(-1.0, min(1.0, r))
    if abs(r) >= 1.0:
        return r, 0.0
    tval = r * math.sqrt((n - 2) / (1.0 - r * r))
    return r, float(2.0 * stats.t.sf(abs(tval), n - 2))


def run(ds: Dataset, opts: dict) -> Result:
    variables = list(dict.fromkeys(opts.get("variables") or []))
    if len(variables) < 2:
        raise UserError("correlation.error.too_few_variables")
    method = opts.get("method") or "pearson"
    missing = opts.get("missing") or "pairwise"
    cols = {v: ds.numeric(v) for v in variables}
    notes: list[Note] = []
    total = len(ds.frame)
    complete = np.ones(total, dtype=bool)
    for v in variables:
        complete &= np.isfinite(cols[v])
    if missing == "listwise":
        n_used = int(complete.sum())
        if n_used < 3:
            raise UserError("error.too_few_rows", n=n_used, need=3)
        data = {v: cols[v][complete] for v in variables}
        if method == "spearman":
            data = {v: _rank(x) for v, x in data.items()}
        notes.append(Note("correlation.note.listwise", {"n": n_used}))
    else:
        n_used = int(np.isfinite(np.column_stack([cols[v] for v in variables])).any(axis=1).sum())
        notes.append(Note("correlation.note.pairwise"))

    rows = []
    undefined = []
    for i, a in enumerate(variables):
        for b in variables[i + 1:]:
            if missing == "listwise":
                x, y = data[a], data[b]
            else:
                ok = np.isfinite(cols[a]) & np.isfinite(cols[b])
                x, y = cols[a][ok], cols[b][ok]
                if method == "spearman":
                    x, y = _rank(x), _rank(y)
            r, p = _r_p(x, y)
            if math.isnan(r):
                undefined.append(f"{a}–{b}")
            rows.append({"var_a": a, "var_b": b, "r": r, "p": p, "n": int(x.size)})
    matrix = pd.DataFrame(rows, columns=list(MATRIX_COLS))
    if undefined:
        notes.append(Note("correlation.note.undefined", {"pairs": ", ".join(undefined)}))

    drows = []
    for v in variables:
        x = cols[v][complete] if missing == "listwise" else cols[v][np.isfinite(cols[v])]
        drows.append({"variable": v, "n": int(x.size), "mean": float(x.mean()) if x.size else math.nan,
                      "sd": float(x.std(ddof=1)) if x.size > 1 else math.nan})
    descriptives = pd.DataFrame(drows, columns=list(DESC_COLS))
    notes.append(Note(f"correlation.note.{method}"))
    return Result("correlation", n_used, {"matrix": matrix, "descriptives": descriptives}, notes,
                  meta={"variables": variables, "method": method, "missing": missing})
