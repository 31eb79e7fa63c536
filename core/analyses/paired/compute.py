"""Paired-samples t test with the Wilcoxon signed-rank test beside it; the
conventions are stated in :mod:`core.analyses.paired.spec`."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, stdtr, stdtrit

from core.analyses.paired.spec import SPEC
from core.data.model import Dataset
from core.errors import UserError
from core.types import Note, Result


def signed_rank(d: np.ndarray) -> tuple[int, float, float, float]:
    """Wilcoxon signed-rank test of differences ``d`` as R's ``wilcox.test(
    paired = TRUE, exact = FALSE, correct = TRUE)``: (zeros dropped, V, z, p)."""
    nonzero = d[d != 0]
    m = nonzero.size
    if m == 0:
        return int(d.size), np.nan, np.nan, np.nan
    _, where, ties = np.unique(np.abs(nonzero), return_inverse=True, return_counts=True)
    ranks = (np.cumsum(ties) - (ties - 1) / 2.0)[where]          # mid-ranks of |d|
    v = float(ranks[nonzero > 0].sum())
    sigma = np.sqrt(m * (m + 1) * (2 * m + 1) / 24.0 - float(np.sum(ties ** 3 - ties)) / 48.0)
    centred = v - m * (m + 1) / 4.0
    z = (centred - 0.5 * np.sign(centred)) / sigma
    return int(d.size - m), v, float(z), float(2.0 * ndtr(-abs(z)))


def _pair(x: np.ndarray, y: np.ndarray, conf: float) -> dict:
    n = x.size
    if n == 0:
        return {"n": 0}
    d = x - y
    out = {"n": n, "mean_a": x.mean(), "mean_b": y.mean(), "mean_diff": d.mean()}
    if n < 2:
        return out
    sd_a, sd_b, sd_d = x.std(ddof=1), y.std(ddof=1), d.std(ddof=1)
    df = n - 1
    se = sd_d / np.sqrt(n)
    out.update(sd_a=sd_a, sd_b=sd_b, sd_diff=sd_d, se_diff=se, df=float(df))
    if sd_d > 0:
        t = out["mean_diff"] / se
        half = stdtrit(df, 1.0 - (1.0 - conf / 100.0) / 2.0) * se
        out.update(t=t, p=2.0 * stdtr(df, -abs(t)), d_z=out["mean_diff"] / sd_d,
                   ci_low=out["mean_diff"] - half, ci_high=out["mean_diff"] + half)
    if n > 2 and sd_a > 0 and sd_b > 0:
        r = float(np.clip(np.corrcoef(x, y)[0, 1], -1.0, 1.0))
        out["r"] = r
        out["r_p"] = 0.0 if abs(r) == 1.0 else 2.0 * stdtr(n - 2, -abs(r) * np.sqrt((n - 2) / (1.0 - r * r)))
    out["n_zero"], out["wilcoxon_v"], out["wilcoxon_z"], out["wilcoxon_p"] = signed_rank(d)
    return out


def run(ds: Dataset, opts: dict) -> Result:
    pairs = opts["pairs"] or []
    if not pairs:
        raise UserError("paired_t.error.no_pairs")
    conf = float(opts["conf"])
    notes: list[Note] = []
    rows = []
    used = np.zeros(len(ds.frame), dtype=bool)
    for a, b in pairs:
        names = {"a": a, "b": b}
        text = [v for v in (a, b) if not ds.is_numeric(v)]
        if text:
            notes.append(Note("paired_t.note.not_numeric", {"name": text[0], **names}))
            continue
        x, y = ds.numeric(a), ds.numeric(b)
        ok = np.isfinite(x) & np.isfinite(y)          # listwise per pair
        used |= ok
        row = {"var_a": a, "var_b": b, **_pair(x[ok], y[ok], conf)}
        if row["n"] < 2:
            notes.append(Note("paired_t.note.too_few", {**names, "n": int(row["n"])}))
        elif row["sd_diff"] == 0:
            notes.append(Note("paired_t.note.constant", names))
        if row.get("n_zero"):
            notes.append(Note("paired_t.note.zeros", {**names, "n": row["n_zero"]}))
        rows.append(row)
    tests = pd.DataFrame(rows, columns=SPEC.table("tests").column_names)
    notes.append(Note("paired_t.note.convention", {"conf": f"{conf:g}"}))
    return Result("paired_t", int(used.sum()), {"tests": tests}, notes, meta={"conf": conf})
