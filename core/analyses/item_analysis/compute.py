"""Item analysis as thesis chapters report it (SPSS: RANK/RECODE of the total,
T-TEST of the extreme groups per item, CORRELATIONS with the total).

* The items of one defined scale, as prepared: the scale's missing codes
  blanked and reverse keys applied; complete cases on the items (listwise, as
  SPSS RELIABILITY); total = sum of the items.
* Extreme groups: low = total ≤ the ``fraction`` percentile, high = total ≥
  the 1 − ``fraction`` percentile (default 27%, Kelley 1939), percentiles by
  SPSS's default definition HAVERAGE (R ``quantile(type = 6)``, NumPy
  ``method="weibull"``).  Rows on a cut value belong to that group, so the
  groups can be larger than ``fraction`` of the sample when totals tie.
* Critical ratio = the independent-samples t of the item, high − low:
  Student's (pooled variance, SPSS's "equal variances assumed" row, also the
  CR of the thesis literature) and Welch's (``t.test(var.equal = FALSE)``).
* Item–total: Pearson r of the item with the total (p from t on n − 2 df),
  and the corrected item–total r (the item against the total of the others;
  SPSS RELIABILITY's "Corrected Item-Total Correlation", psych ``r.drop``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from core.analyses.item_analysis.spec import SPEC
from core.data.model import Dataset
from core.data.prepare import scored_items
from core.errors import UserError
from core.types import Note, Result

CR_COLS = SPEC.table("critical_ratio").column_names
IT_COLS = SPEC.table("item_total").column_names
DEFAULT_FRACTION = 0.27


def percentile_haverage(x: np.ndarray, q: float) -> float:
    """SPSS's HAVERAGE percentile (R type 6): position (n + 1)·q, clamped to the data."""
    return float(np.quantile(x, q, method="weibull"))


def _two_groups(hi: np.ndarray, lo: np.ndarray) -> tuple:
    """Student's and Welch's t of hi − lo: (t, df, p, t_welch, df_welch, p_welch)."""
    n1, n2 = hi.size, lo.size
    m1, m2 = hi.mean(), lo.mean()
    v1, v2 = hi.var(ddof=1), lo.var(ddof=1)
    df = n1 + n2 - 2
    sp2 = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
    se = np.sqrt(sp2 * (1 / n1 + 1 / n2))
    a, b = v1 / n1, v2 / n2
    sw = np.sqrt(a + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (m1 - m2) / se if se > 0 else np.nan
        dfw = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1)) if sw > 0 else np.nan
        tw = (m1 - m2) / sw if sw > 0 else np.nan
    p = 2 * stats.t.sf(abs(t), df) if np.isfinite(t) else np.nan
    pw = 2 * stats.t.sf(abs(tw), dfw) if np.isfinite(tw) else np.nan
    return float(t), float(df), float(p), float(tw), float(dfw), float(pw)


def _r(x: np.ndarray, y: np.ndarray) -> float:
    xc, yc = x - x.mean(), y - y.mean()
    den = np.sqrt((xc @ xc) * (yc @ yc))
    return float(xc @ yc / den) if den > 0 else np.nan


def run(ds: Dataset, opts: dict) -> Result:
    name = opts.get("scale")
    if not name:
        raise UserError("item_analysis.error.no_scale")
    if name not in ds.scales:
        raise UserError("item_analysis.error.not_a_scale", name=str(name))
    fraction = DEFAULT_FRACTION if opts.get("fraction") is None else float(opts["fraction"])
    if not 0 < fraction < 0.5:
        raise UserError("item_analysis.error.bad_fraction", value=fraction)
    sc = ds.scales[name]
    items = list(sc["items"])
    if len(items) < 2:
        raise UserError("item_analysis.error.one_item", scale=name)
    for it in items:
        ds.require(it)
        if not ds.is_numeric(it):
            raise UserError("error.scale_item_not_numeric", scale=name, item=it)
    x = scored_items(ds.frame, sc).to_numpy(dtype="float64", na_value=np.nan)
    ok = ~np.isnan(x).any(axis=1)
    x = x[ok]
    n = x.shape[0]
    notes: list[Note] = []
    if (~ok).any():
        notes.append(Note("item_analysis.note.listwise", {"scale": name, "n": int((~ok).sum())}))
    if n < 4:
        raise UserError("error.too_few_rows", n=n, need=4)
    total = x.sum(axis=1)
    low_cut = percentile_haverage(total, fraction)
    high_cut = percentile_haverage(total, 1 - fraction)
    low, high = total <= low_cut, total >= high_cut
    if low_cut >= high_cut or low.sum() < 2 or high.sum() < 2:
        raise UserError("item_analysis.error.groups_overlap", scale=name, low=low_cut, high=high_cut)
    cr_rows, it_rows = [], []
    constant = []
    for j, it in enumerate(items):
        hi, lo = x[high, j], x[low, j]
        t, df, p, tw, dfw, pw = _two_groups(hi, lo)
        if not np.isfinite(t):
            constant.append(it)
        cr_rows.append({"item": it, "n_high": int(hi.size), "n_low": int(lo.size), "mean_high": float(hi.mean()),
                        "mean_low": float(lo.mean()), "t": t, "df": df, "p": p, "t_welch": tw, "df_welch": dfw,
                        "p_welch": pw})
        r = _r(x[:, j], total)
        rc = _r(x[:, j], total - x[:, j])
        with np.errstate(divide="ignore", invalid="ignore"):
            tr = r * np.sqrt((n - 2) / (1 - r * r)) if np.isfinite(r) and abs(r) < 1 else np.nan
        pr = float(2 * stats.t.sf(abs(tr), n - 2)) if np.isfinite(tr) else (0.0 if np.isfinite(r) else np.nan)
        it_rows.append({"item": it, "r_total": r, "r_corrected": rc, "p": pr})
    if constant:
        notes.append(Note("item_analysis.note.constant", {"items": ", ".join(constant)}))
    notes.insert(0, Note("item_analysis.note.convention", {"pct": round(100 * fraction, 1), "low": low_cut,
                                                            "high": high_cut, "n_low": int(low.sum()),
                                                            "n_high": int(high.sum())}))
    return Result("item_analysis", n, {
        "critical_ratio": pd.DataFrame(cr_rows, columns=CR_COLS),
        "item_total": pd.DataFrame(it_rows, columns=IT_COLS),
    }, notes, meta={"scale": name, "fraction": fraction, "low_cut": low_cut, "high_cut": high_cut})
