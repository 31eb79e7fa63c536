"""Descriptive statistics and frequency tables (SPSS DESCRIPTIVES / FREQUENCIES).

Each variable is described on its own valid values (no listwise deletion
across variables), as SPSS does; ``n_used`` is the number of rows with at least
one valid value among the chosen variables.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from core.analyses.describe.spec import SPEC
from core.data.model import Dataset, json_code
from core.errors import UserError
from core.stats import moments
from core.types import Note, Result


def run(ds: Dataset, opts: dict) -> Result:
    variables = opts["variables"] or []
    freqs = opts["frequencies"] or []
    if not variables and not freqs:
        raise UserError("describe.error.nothing_chosen")
    notes: list[Note] = []
    rows, nrows = [], []
    for name in variables:
        if not ds.is_numeric(name):
            notes.append(Note("describe.note.not_numeric", {"name": name}))
            continue
        x = ds.numeric(name)
        m = moments(x)
        rows.append({"variable": name, **m, "missing": int(len(x) - m["n"])})
        if opts.get("normality"):
            nrows.append(normality_row(name, x[np.isfinite(x)], m))
    describe = pd.DataFrame(rows, columns=SPEC.table("describe").column_names)

    frows = []
    for name in freqs:
        col = ds.frame[name]
        valid = int(col.notna().sum())
        counts = col.value_counts(dropna=True)
        cum = 0.0
        for code in ds.level_codes(name):
            n = int(counts.get(code, 0))
            pct = 100.0 * n / valid if valid else np.nan
            cum += pct
            frows.append({"variable": name, "level": json_code(code), "code": json_code(code), "n": n, "percent": pct,
                          "cum_percent": cum, "percent_of_all": 100.0 * n / len(col) if len(col) else np.nan})
        if valid < len(col):
            notes.append(Note("describe.note.freq_missing", {"name": name, "n": int(len(col) - valid)}))
    frequencies = pd.DataFrame(frows, columns=SPEC.table("frequencies").column_names)
    used = ds.frame[list(dict.fromkeys(variables + freqs))].notna().any(axis=1).sum()
    notes.append(Note("describe.note.convention"))
    tables = {"describe": describe, "frequencies": frequencies}
    if opts.get("normality"):
        tables["normality"] = pd.DataFrame(nrows, columns=SPEC.table("normality").column_names)
        notes.append(Note("describe.note.normality"))
    return Result("describe", int(used), tables, notes)


# ---- normality (SPSS EXAMINE "Tests of Normality") -------------------------------
def lilliefors_p(d: float, n: int) -> float:
    """p of the Lilliefors-corrected KS statistic ``d`` as nortest::lillie.test:
    Dallal & Wilkinson's (1986) approximation (n > 100 rescaled to 100), and
    above .1 Stephens' (1974) modified-statistic polynomials."""
    kd, nd = (d, n) if n <= 100 else (d * (n / 100) ** 0.49, 100)
    p = math.exp(-7.01256 * kd * kd * (nd + 2.78019) + 2.99587 * kd * math.sqrt(nd + 2.78019) - 0.122119
                 + 0.974598 / math.sqrt(nd) + 1.67997 / nd)
    if p <= 0.1:
        return p
    kk = (math.sqrt(n) - 0.01 + 0.85 / math.sqrt(n)) * d
    if kk <= 0.302:
        return 1.0
    if kk <= 0.5:
        return 2.76773 - 19.828315 * kk + 80.709644 * kk ** 2 - 138.55152 * kk ** 3 + 81.218052 * kk ** 4
    if kk <= 0.9:
        return -4.901232 + 40.662806 * kk - 97.490286 * kk ** 2 + 94.029866 * kk ** 3 - 32.355711 * kk ** 4
    if kk <= 1.31:
        return 6.198765 - 19.558097 * kk + 23.186922 * kk ** 2 - 12.234627 * kk ** 3 + 2.423045 * kk ** 4
    return 0.0


def normality_row(name: str, x: np.ndarray, m: dict) -> dict:
    """One variable's tests on its valid values ``x`` (moments ``m``): the
    Lilliefors-corrected KS D (statsmodels) with nortest's p, Shapiro–Wilk
    (scipy; n ≤ 5000), skewness and kurtosis over their SPSS SEs."""
    from statsmodels.stats.diagnostic import lilliefors

    n = int(x.size)
    row = {"variable": name, "n": n, "ks_d": math.nan, "ks_p": math.nan, "sw_w": math.nan, "sw_p": math.nan,
           "skew_z": m["skew"] / m["se_skew"], "kurtosis_z": m["kurtosis"] / m["se_kurtosis"]}
    if n < 5 or np.ptp(x) == 0:
        return row
    d, _ = lilliefors(x, dist="norm", pvalmethod="approx")
    row["ks_d"], row["ks_p"] = float(d), lilliefors_p(float(d), n)
    if n <= 5000:
        w, p = stats.shapiro(x)
        row["sw_w"], row["sw_p"] = float(w), float(p)
    return row
