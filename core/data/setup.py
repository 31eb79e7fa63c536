"""Proposals for the variable-setup screen: item groups → scales, their
Likert range, likely missing-value codes, and demographic columns.

Everything here only *proposes*; the user edits the proposal in a table and
the result is stored in the recipe.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.data.model import RawData

_ITEM = re.compile(r"^(?P<prefix>.*?\D)[_\-. ]?(?P<num>\d{1,3})$")
_RANGES = [(1, 3), (1, 4), (1, 5), (0, 4), (0, 5), (1, 6), (1, 7), (0, 6), (1, 9), (0, 10), (1, 10), (1, 11)]
_MISSING_CANDIDATES = (-99, -9, -1, 9, 99, 98, 999, 88)
MAX_DEMOGRAPHIC_LEVELS = 12


def item_groups(columns) -> dict[str, list[str]]:
    """Columns named prefix + number (OC1…OC5, 组织氛围1…4, Q3_1…) grouped by
    prefix, in numeric order; groups of fewer than two items are dropped."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for c in columns:
        m = _ITEM.match(str(c))
        if m:
            prefix = m.group("prefix").rstrip("_-. ")
            if prefix:
                groups.setdefault(prefix, []).append((int(m.group("num")), c))
    return {p: [c for _, c in sorted(v)] for p, v in groups.items() if len(v) >= 2}


def likert_range(values: np.ndarray) -> tuple[int, int] | None:
    """The smallest usual Likert range containing the observed integer values."""
    v = values[np.isfinite(values)]
    if v.size == 0 or not np.all(v == np.round(v)):
        return None
    lo, hi = v.min(), v.max()
    for a, b in _RANGES:
        if a <= lo and hi <= b and (lo == a or a == 1):
            return a, b
    return None


def propose(raw: RawData, missing_codes=()) -> dict:
    """A proposal: ``{"scales": [...], "demographics": [...], "missing_codes": [...]}``."""
    frame = raw.frame
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    scales, guessed_missing = [], set()
    grouped: set[str] = set()
    for prefix, items in item_groups(numeric).items():
        block = frame[items].to_numpy(dtype="float64", na_value=np.nan)
        user_missing = set(missing_codes)
        for it in items:
            m = raw.meta.get(it)
            if m:
                user_missing.update(m.missing_values)
        cand = {c for c in _MISSING_CANDIDATES if np.any(block == c)} - user_missing
        clean = block.copy()
        if cand or user_missing:
            clean[np.isin(clean, list(cand | user_missing))] = np.nan
        rng = likert_range(clean)
        if rng is None:
            continue
        # a candidate is a missing code only if it lies outside the Likert range
        guessed_missing.update(c for c in cand if not rng[0] <= c <= rng[1])
        scales.append({"name": prefix, "items": items, "reverse": [], "min": rng[0], "max": rng[1],
                       "score": "mean", "min_items": len(items), "missing": []})
        grouped.update(items)
    demographics = []
    for c in frame.columns:
        if c in grouped:
            continue
        m = raw.meta.get(c)
        nunique = frame[c].nunique(dropna=True)
        labelled = bool(m and m.value_labels)
        if nunique < 2:
            continue
        if labelled or (m and m.measure == "nominal") or 2 <= nunique <= MAX_DEMOGRAPHIC_LEVELS:
            if pd.api.types.is_numeric_dtype(frame[c]) and nunique == len(frame) and not labelled:
                continue  # an id
            demographics.append(c)
    return {"scales": scales, "demographics": demographics, "missing_codes": sorted(guessed_missing)}


def variable_table(raw: RawData, lang: str = "en") -> pd.DataFrame:
    """One row per column: name, label, type, valid, missing, distinct, value labels."""
    from core.data.model import pick

    rows = []
    for c in raw.frame.columns:
        col = raw.frame[c]
        m = raw.meta.get(c)
        vl = m.value_labels if m else {}
        rows.append({
            "variable": c,
            "label": (pick(m.label, lang) if m else None) or "",
            "type": "numeric" if pd.api.types.is_numeric_dtype(col) else "text",
            "n": int(col.notna().sum()),
            "missing": int(col.isna().sum()),
            "distinct": int(col.nunique(dropna=True)),
            "value_labels": "; ".join(f"{_code(k)}={pick(v, lang)}" for k, v in list(vl.items())[:12]),
        })
    return pd.DataFrame(rows, columns=["variable", "label", "type", "n", "missing", "distinct", "value_labels"])


def _code(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
