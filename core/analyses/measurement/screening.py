"""Careless-response and outlier screening before scales are trusted.

Three checks over a block of items (default: every item of the defined
scales), each listing the flagged respondents by their row number in the data
file (1-based, the number the recipe's ``exclusions`` use):

* straight-lining — the share of the respondent's answered items that carry
  their most frequent (modal) answer; flagged when it is ≥ ``straight_cutoff``
  (default 0.70).  Raw answers are used (reverse keys are not applied: the same
  tick in every row is what a straight-liner leaves).  Needs at least 2
  answered items.
* missing answers — the share of the block left unanswered (blank, a declared
  missing code or a scale's own missing code); flagged when it is
  > ``missing_cutoff`` (default 0.20).
* multivariate outliers — the squared Mahalanobis distance of each complete
  row from the item means with the sample covariance (n − 1), referred to χ²
  with k df; flagged when p < ``mahalanobis_p`` (default .001, Tabachnick &
  Fidell's rule).

Excluding flagged rows is the page's one click: it appends
``{"rows": [...], "reason": "straight-lining" | "many missing answers" |
"multivariate outlier (Mahalanobis distance)"}`` (worded in the user's
language) to the recipe's ``exclusions``; every analysis then reports
"n excluded, why" (core.registry adds that note).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from core.data.model import Dataset
from core.errors import UserError
from core.analyses.measurement.spec import CHECKS
from core.types import Note, Result



def raw_items(ds: Dataset, items: list[str]) -> np.ndarray:
    """Answers as given (scale missing codes blanked, no reverse keying)."""
    miss = {}
    for sc in ds.scales.values():
        for it in sc["items"]:
            miss.setdefault(it, set()).update(sc.get("missing") or [])
    cols = []
    for it in items:
        ds.require(it)
        if not ds.is_numeric(it):
            raise UserError("error.not_numeric", name=it)
        x = ds.numeric(it).copy()
        if miss.get(it):
            x[np.isin(x, list(miss[it]))] = np.nan
        cols.append(x)
    return np.column_stack(cols) if cols else np.empty((len(ds.frame), 0))


def modal_share(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: (modal answer, share of answered items giving it, answered count)."""
    n, k = x.shape
    s = np.sort(x, axis=1)                      # NaN last
    answered = (~np.isnan(x)).sum(axis=1)
    best = np.zeros(n)
    best_val = np.full(n, np.nan)
    run = np.zeros(n)
    for j in range(k):
        v = s[:, j]
        same = (j > 0) & (v == s[:, j - 1]) if j > 0 else np.zeros(n, dtype=bool)
        run = np.where(~np.isnan(v), np.where(same, run + 1, 1), run)
        better = (~np.isnan(v)) & (run > best)
        best = np.where(better, run, best)
        best_val = np.where(better, v, best_val)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(answered >= 2, best / answered, np.nan)
    return best_val, share, answered


def mahalanobis(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Squared distances and χ²(k) p values of the complete rows (NaN elsewhere)."""
    n, k = x.shape
    ok = ~np.isnan(x).any(axis=1)
    d2 = np.full(n, np.nan)
    xc = x[ok] - x[ok].mean(axis=0)
    cov = xc.T @ xc / (ok.sum() - 1)
    w = np.linalg.eigvalsh(cov)
    if w[0] <= 1e-10 * max(w[-1], 1e-300):
        raise np.linalg.LinAlgError("singular")
    inv = np.linalg.inv(cov)
    d2[ok] = np.einsum("ij,jk,ik->i", xc, inv, xc)
    p = np.where(ok, stats.chi2.sf(d2, k), np.nan)
    return d2, p, int(ok.sum())


def default_items(ds: Dataset) -> list[str]:
    out = []
    for sc in ds.scales.values():
        out += [i for i in sc["items"] if i not in out]
    return out


def run(ds: Dataset, opts: dict) -> Result:
    items = list(dict.fromkeys(opts.get("items") or [])) or default_items(ds)
    if len(items) < 2:
        raise UserError("screening.error.few_items", k=len(items))
    checks = list(opts.get("checks") or CHECKS)
    s_cut = float(opts.get("straight_cutoff") if opts.get("straight_cutoff") is not None else 0.7)
    m_cut = float(opts.get("missing_cutoff") if opts.get("missing_cutoff") is not None else 0.2)
    p_cut = float(opts.get("mahalanobis_p") if opts.get("mahalanobis_p") is not None else 0.001)
    x = raw_items(ds, items)
    rows = ds.frame.index.to_numpy()
    n, k = x.shape
    notes: list[Note] = []
    summary = []
    tables = {}

    val, share, answered = modal_share(x)
    flag = (share >= s_cut) if "straight_lining" in checks else np.zeros(n, dtype=bool)
    flag &= ~np.isnan(share)
    tables["straight_lining"] = pd.DataFrame({"row": rows[flag].astype(int), "modal_answer": val[flag],
                                              "modal_share": share[flag], "n_answered": answered[flag].astype(int)})
    if "straight_lining" in checks:
        summary.append({"check": "straight_lining", "n_checked": int((answered >= 2).sum()),
                        "n_flagged": int(flag.sum()), "rule": f"modal_share >= {s_cut:g}"})
    sl_rows = set(rows[flag].tolist())

    miss = k - answered
    mshare = miss / k
    mflag = (mshare > m_cut) if "missing" in checks else np.zeros(n, dtype=bool)
    tables["missing"] = pd.DataFrame({"row": rows[mflag].astype(int), "n_missing": miss[mflag].astype(int),
                                      "share_missing": mshare[mflag]})
    if "missing" in checks:
        summary.append({"check": "missing", "n_checked": n, "n_flagged": int(mflag.sum()),
                        "rule": f"share_missing > {m_cut:g}"})
    mi_rows = set(rows[mflag].tolist())

    md_rows = set()
    mtab = pd.DataFrame(columns=["row", "d2", "df", "p"])
    if "mahalanobis" in checks:
        ok = ~np.isnan(x).any(axis=1)
        if ok.sum() <= k + 1:
            notes.append(Note("screening.note.mahalanobis_few", {"n": int(ok.sum()), "k": k}))
        else:
            try:
                d2, p, n_ok = mahalanobis(x)
                f = np.nan_to_num(p, nan=1.0) < p_cut
                mtab = pd.DataFrame({"row": rows[f].astype(int), "d2": d2[f], "df": k, "p": p[f]})
                mtab = mtab.sort_values("d2", ascending=False, kind="stable").reset_index(drop=True)
                md_rows = set(rows[f].tolist())
                summary.append({"check": "mahalanobis", "n_checked": n_ok, "n_flagged": int(f.sum()),
                                "rule": f"p < {p_cut:g} (chi2, df = {k})"})
                if n_ok < n:
                    notes.append(Note("screening.note.mahalanobis_complete", {"n": n - n_ok}))
            except np.linalg.LinAlgError:
                notes.append(Note("screening.note.mahalanobis_singular"))
    tables["mahalanobis"] = mtab.astype({"row": int, "df": int}) if not mtab.empty else mtab
    tables["straight_lining"] = tables["straight_lining"].sort_values(["modal_share", "row"],
                                                                      ascending=[False, True]).reset_index(drop=True)
    allf = sorted(sl_rows | mi_rows | md_rows)
    tables["flagged"] = pd.DataFrame({"row": allf,
                                      "straight_lining": [r in sl_rows for r in allf],
                                      "missing": [r in mi_rows for r in allf],
                                      "mahalanobis": [r in md_rows for r in allf]},
                                     columns=["row", "straight_lining", "missing", "mahalanobis"])
    tables["summary"] = pd.DataFrame(summary, columns=["check", "n_checked", "n_flagged", "rule"])
    notes.append(Note("screening.note.convention", {"k": k, "s": f"{s_cut:g}", "m": f"{m_cut:g}", "p": f"{p_cut:g}"}))
    return Result("screening", n, {"summary": tables["summary"], "straight_lining": tables["straight_lining"],
                                   "missing": tables["missing"], "mahalanobis": tables["mahalanobis"],
                                   "flagged": tables["flagged"]}, notes)
