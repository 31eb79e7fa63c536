"""Internal consistency of scales: Cronbach's alpha (raw and standardized),
McDonald's omega total and item statistics (SPSS RELIABILITY / psych::alpha).

Per scale, the items are taken with the scale's own missing codes blanked and
its reverse keys applied (``core.data.prepare.scored_items``), and rows with
any missing item are left out (listwise within the scale, as SPSS
RELIABILITY does; psych::alpha defaults to pairwise — give it ``na.omit``
data to compare).  The item covariance matrix is computed once; alpha,
alpha-if-item-deleted and the corrected item-total correlations follow in
closed form from it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.engines.factor import cov_to_cor, one_factor_omega
from core.data.model import Dataset
from core.errors import UserError
from core.analyses.measurement.spec import RELIABILITY
from core.types import Note, Result

ALPHA_COLS = RELIABILITY.table("alpha").column_names
ITEM_COLS = RELIABILITY.table("items").column_names


def scale_stats(x: np.ndarray) -> dict:
    """All statistics of one scale from complete rows ``x`` (n × k).  The
    covariance matrix is formed once (cross-products of the data shifted by its
    first row, which keeps the one-pass formula exact for survey answers); every
    other statistic is a closed form of it."""
    n, k = x.shape
    shift = x[0]
    xs = x - shift
    s1 = xs.sum(axis=0)
    mean = shift + s1 / n
    c = (xs.T @ xs - np.outer(s1, s1) / n) / (n - 1)
    total = c.sum()
    tr = np.trace(c)
    row = c.sum(axis=1)
    var = np.diag(c)
    alpha = k / (k - 1) * (1 - tr / total)
    r = cov_to_cor(c)
    rbar = (r.sum() - k) / (k * (k - 1))
    alpha_std = k * rbar / (1 + (k - 1) * rbar)
    rest_var = total - 2 * row + var                    # variance of total − item
    with np.errstate(invalid="ignore", divide="ignore"):
        r_drop = (row - var) / np.sqrt(var * rest_var)
        if k > 2:
            a_del = (k - 1) / (k - 2) * (1 - (tr - var) / rest_var)
        else:
            a_del = np.full(k, np.nan)
    # direction of each item on the first principal component, oriented to the majority
    # (psych::check.keys): items pointing the other way are likely un-reversed
    with np.errstate(invalid="ignore"):
        w, v = np.linalg.eigh(r) if np.all(np.isfinite(r)) else (None, None)
    pc1 = np.full(k, np.nan) if v is None else v[:, -1] * (1 if v[:, -1].sum() >= 0 else -1)
    return {"n": n, "k": k, "mean": mean, "sd": np.sqrt(var), "cov": c, "alpha": float(alpha),
            "alpha_std": float(alpha_std), "rbar": float(rbar), "r_drop": r_drop, "alpha_if_deleted": a_del,
            "pc1": pc1}


def _scored(ds: Dataset, sc: dict) -> np.ndarray:
    """The scale's items as a float array, its missing codes blanked and reverse
    keys applied (min + max − x): core.data.prepare.scored_items without pandas."""
    items = list(sc["items"])
    x = ds.frame[items].to_numpy(dtype="float64", na_value=np.nan, copy=True)
    if sc.get("missing"):
        x[np.isin(x, np.asarray(sc["missing"], dtype=float))] = np.nan
    rev = [items.index(r) for r in sc.get("reverse") or []]
    if rev:
        x[:, rev] = float(sc["min"]) + float(sc["max"]) - x[:, rev]
    return x


def item_flag(r_drop: float, a_del: float, alpha: float, pc1: float = float("nan")) -> str:
    """``reverse`` when the item points against the scale — a negative loading on
    the first principal component oriented to the majority of items (as
    psych::check.keys) together with a negative corrected item-total r: likely
    a forgotten reverse key; ``lowers_alpha`` when deleting it raises alpha or
    its corrected item-total r is negative; else empty."""
    if np.isfinite(r_drop) and r_drop < 0 and (not np.isfinite(pc1) or pc1 < 0):
        return "reverse"
    if (np.isfinite(a_del) and a_del > alpha) or (np.isfinite(r_drop) and r_drop < 0):
        return "lowers_alpha"
    return ""


def run(ds: Dataset, opts: dict) -> Result:
    names = list(opts.get("scales") or []) or list(ds.scales)
    if not names:
        raise UserError("reliability.error.no_scales")
    notes: list[Note] = []
    arows, irows = [], []
    n_used = 0
    for name in names:
        if name not in ds.scales:
            raise UserError("reliability.error.not_a_scale", name=name)
        sc = ds.scales[name]
        items = list(sc["items"])
        if len(items) < 2:
            notes.append(Note("reliability.note.one_item", {"scale": name}))
            arows.append({"scale": name, "k": len(items), "n": 0})
            continue
        block = ds.frame[items]
        bad = [it for it in items if not pd.api.types.is_numeric_dtype(block[it])]
        if bad:
            raise UserError("error.scale_item_not_numeric", scale=name, item=bad[0])
        x = _scored(ds, sc)
        ok = ~np.isnan(x).any(axis=1)
        if not ok.all():
            x = x[ok]
        n = int(x.shape[0])
        if (~ok).any():
            notes.append(Note("reliability.note.listwise", {"scale": name, "n": int((~ok).sum())}))
        if n < 3:
            notes.append(Note("reliability.note.too_few", {"scale": name, "n": n}))
            arows.append({"scale": name, "k": len(items), "n": n})
            continue
        s = scale_stats(x)
        const = [it for it, v in zip(items, s["sd"]) if not v > 0]
        if const:
            notes.append(Note("reliability.note.constant", {"scale": name, "items": ", ".join(const)}))
            arows.append({"scale": name, "k": len(items), "n": n})
            continue
        n_used = max(n_used, n)
        omega = np.nan
        if len(items) >= 3:
            try:
                omega, heywood = one_factor_omega(s["cov"])
                if heywood:
                    notes.append(Note("reliability.note.omega_heywood", {"scale": name}))
            except (np.linalg.LinAlgError, ValueError, FloatingPointError):
                notes.append(Note("reliability.note.omega_failed", {"scale": name}))
        else:
            notes.append(Note("reliability.note.omega_two_items", {"scale": name}))
        arows.append({"scale": name, "k": len(items), "n": n, "alpha": s["alpha"], "alpha_std": s["alpha_std"],
                      "omega": omega, "mean_inter_item_r": s["rbar"]})
        flagged = []
        for j, it in enumerate(items):
            flag = item_flag(float(s["r_drop"][j]), float(s["alpha_if_deleted"][j]), s["alpha"], float(s["pc1"][j]))
            if flag:
                flagged.append((it, flag))
            irows.append({"scale": name, "item": it, "mean": float(s["mean"][j]), "sd": float(s["sd"][j]),
                          "r_drop": float(s["r_drop"][j]), "alpha_if_deleted": float(s["alpha_if_deleted"][j]),
                          "flag": flag})
        for it, flag in flagged:
            if flag == "reverse" and it not in (sc.get("reverse") or []):
                notes.append(Note("reliability.note.reverse_suspect", {"scale": name, "item": it}))
            elif flag == "reverse":
                notes.append(Note("reliability.note.reverse_already", {"scale": name, "item": it}))
    notes.append(Note("reliability.note.convention"))
    alpha = pd.DataFrame(arows, columns=ALPHA_COLS)
    items_df = pd.DataFrame(irows, columns=ITEM_COLS)
    return Result("reliability", int(n_used), {"alpha": alpha, "items": items_df}, notes)
