"""The data model shared by importers, scale scoring and analyses.

``RawData`` is a file as read (codes, labels, user-missing declarations);
``Dataset`` is what analyses see: missing codes set to NaN, reverse keys
applied, scale scores appended, exclusions dropped, labels resolved in one
language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.data.levels import natural_order
from core.errors import UserError
from core.types import Note

# A label is a plain string (from a data file) or {"en": …, "zh": …} (codebooks).
Label = Any


def pick(label: Label, lang: str) -> str | None:
    """The text of ``label`` in ``lang`` (falls back to any language)."""
    if label is None:
        return None
    if isinstance(label, dict):
        return label.get(lang) or label.get("en") or next(iter(label.values()), None)
    return str(label)


@dataclass
class VariableMeta:
    """What a data file or codebook says about one column."""

    name: str
    label: Label = None                                   # variable label
    value_labels: dict = field(default_factory=dict)      # code -> Label
    missing_values: list = field(default_factory=list)    # user-missing codes
    missing_ranges: list = field(default_factory=list)    # [(lo, hi)]
    measure: str | None = None                            # nominal / ordinal / scale
    order: list | None = None                             # level order (recipe ``prepare.levels``)


@dataclass
class RawData:
    """A data file as read: raw values (codes, not labels) plus metadata.

    ``source`` records how it was read: name, format, encoding, delimiter,
    sheet, sheets, fingerprint (sha256 of the bytes).  ``warnings`` are
    non-fatal remarks for the user (e.g. renamed duplicate columns).
    """

    frame: pd.DataFrame
    meta: dict[str, VariableMeta]
    source: dict = field(default_factory=dict)
    warnings: list[Note] = field(default_factory=list)


@dataclass
class Dataset:
    """The analysis-ready table and what is known about its variables.

    ``frame`` has one row per retained respondent (index = original row
    number, 1-based), missing codes as NaN and one column per scale score.
    ``scales`` maps scale name to its definition (recipe form).
    """

    frame: pd.DataFrame
    meta: dict[str, VariableMeta]
    scales: dict[str, dict] = field(default_factory=dict)
    lang: str = "en"
    excluded: dict[str, int] = field(default_factory=dict)  # reason -> rows

    # ---- names and labels -------------------------------------------------
    @property
    def variables(self) -> list[str]:
        return list(self.frame.columns)

    def has(self, name: str) -> bool:
        return name in self.frame.columns

    def require(self, name: str) -> None:
        if not isinstance(name, str) or name not in self.frame.columns:
            raise UserError("error.unknown_variable", name=str(name))

    def label(self, name: str) -> str:
        """Variable label in the dataset's language, else its name (for the edge: charts, text, tables)."""
        if name in self.scales:
            return pick(self.scales[name].get("label"), self.lang) or name
        m = self.meta.get(name)
        return (pick(m.label, self.lang) if m else None) or name

    def value_labels(self, name: str) -> dict:
        m = self.meta.get(name)
        if not m:
            return {}
        return {k: pick(v, self.lang) for k, v in m.value_labels.items()}

    # ---- typed access -----------------------------------------------------
    def is_numeric(self, name: str) -> bool:
        return pd.api.types.is_numeric_dtype(self.frame[name])

    def numeric(self, name: str) -> np.ndarray:
        """The column as float64 (NaN = missing); text gives a UserError."""
        self.require(name)
        col = self.frame[name]
        if not pd.api.types.is_numeric_dtype(col):
            raise UserError("error.not_numeric", name=name)
        return col.to_numpy(dtype="float64", na_value=np.nan)

    def level_codes(self, name: str) -> list:
        """Observed levels (codes) of a grouping variable, in order.

        Order: the recipe's level order (``prepare.levels``) when it has one,
        then any other observed values in their natural order
        (:func:`core.data.levels.natural_order`: codes sorted, known ordinal
        texts such as education or age bands as a reader expects them).
        This order drives every table, chart, post-hoc pair and the first
        (default reference) level.  Reads no label: analyses keep codes, so a
        result is the same in every language."""
        self.require(name)
        col = self.frame[name].dropna()
        observed = list(pd.unique(col))
        m = self.meta.get(name)
        chosen = [v for v in (m.order or []) if v in set(observed)] if m else []
        rest = natural_order([v for v in observed if v not in set(chosen)])
        return chosen + rest

    def levels(self, name: str) -> tuple[list, list[str]]:
        """Observed levels in order (:meth:`level_codes`) with their labels in the
        dataset's language (for the edge: pages, charts, text)."""
        codes = self.level_codes(name)
        return codes, [self.level_label(name, c) for c in codes]

    def reference_level(self, name: str, min_share: float = 0.1):
        """The default reference level of a categorical predictor: the first
        level in order unless it holds fewer than ``min_share`` of the cases
        (or fewer than 10), then the largest level (a tiny reference gives
        unstable contrasts and inflated VIFs)."""
        codes = self.level_codes(name)
        counts = self.frame[name].value_counts(dropna=True)
        if not codes:
            raise UserError("error.unknown_variable", name=name)
        n = int(counts.sum())
        first = codes[0]
        if counts.get(first, 0) >= max(10, min_share * n):
            return first
        return max(codes, key=lambda c: (counts.get(c, 0), -codes.index(c)))

    def group_codes(self, name: str) -> tuple[np.ndarray, list]:
        """Integer group index per row (-1 = missing) and the level codes in order."""
        codes = self.level_codes(name)
        idx = pd.Categorical(self.frame[name], categories=codes).codes.astype(np.int64)
        return idx, codes

    def resolve_level(self, name: str, level) -> Any:
        """A level given by code or by label (as in recipes: a label in any
        language, so the answer is the same in every language) → its code."""
        m = self.meta.get(name)
        for c in self.level_codes(name):
            if level == c or str(level) == code_text(c):
                return c
            lab = m.value_labels.get(c) if m else None
            if lab is not None and str(level) in (lab.values() if isinstance(lab, dict) else (str(lab),)):
                return c
        raise UserError("error.unknown_level", name=name, level=str(level))

    def level_label(self, name: str, code) -> str:
        """The label of a level code in the dataset's language, else the code as
        text; a code given as text reads as its level ("2" as level 2), a merged
        level (code "1 + 3", :meth:`split_codes`) as "A + C"."""
        if not isinstance(code, str) and pd.isna(code):
            return ""
        vl = self.value_labels(name)
        if vl.get(code) is not None:
            return vl[code]
        if isinstance(code, str) and self.has(name):
            texts = {code_text(c): c for c in self.level_codes(name)}
            if code in texts and texts[code] is not code and texts[code] != code:
                return self.level_label(name, texts[code])
            parts = code.split(MERGED)
            if len(parts) > 1 and all(p in texts for p in parts):
                return MERGED.join(self.level_label(name, texts[p]) for p in parts)
        return code_text(code)

    def split_codes(self, name: str, merge: dict | None = None) -> tuple[np.ndarray, list]:
        """Group index per row (−1 = missing) and level codes, after merging the
        levels listed in ``merge[name]`` (lists of levels given by code or label);
        a merged level keeps the place of its first member and its code is the
        members' codes joined by " + " (``"1 + 3"``; :meth:`level_label` reads it
        as "A + C")."""
        idx, codes = self.group_codes(name)
        groups = (merge or {}).get(name) or []
        if not groups:
            return idx, list(codes)
        if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
            raise UserError("difference.error.bad_merge", name=name)
        target = list(range(len(codes)))
        for members in groups:
            pos = sorted({list(codes).index(self.resolve_level(name, lev)) for lev in members})
            for p in pos[1:]:
                target[p] = pos[0]
        keep = sorted(set(target))
        new_index = {old: i for i, old in enumerate(keep)}
        members = [[codes[j] for j in range(len(codes)) if target[j] == old] for old in keep]
        new_codes = [m[0] if len(m) == 1 else MERGED.join(code_text(c) for c in m) for m in members]
        lut = np.array([new_index[target[j]] for j in range(len(codes))] + [-1], dtype=np.int64)
        return lut[idx], new_codes

    def scale_range(self, name: str) -> tuple[float, float] | None:
        """(min, max) of a scale score, or of an item's scale; None if unknown."""
        sc = self.scales.get(name)
        if sc is None:
            sc = next((s for s in self.scales.values() if name in s["items"]), None)
            if sc is None:
                return None
            return float(sc["min"]), float(sc["max"])
        lo, hi = float(sc["min"]), float(sc["max"])
        if sc.get("score") == "sum":
            lo, hi = lo * len(sc["items"]), hi * len(sc["items"])
        return lo, hi


MERGED = " + "   # joins the codes (and labels) of merged levels


def code_text(v) -> str:
    """A level code as text: 2.0 and numpy 2 read "2", text stays as is."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    if isinstance(v, np.integer):
        return str(int(v))
    return str(v)


_TERM = re.compile(r"^(.+)\[(.+)\]$")


def split_term(term) -> tuple[str, str] | None:
    """A dummy of a categorical predictor, "variable[level code]", as
    (variable, code text); None for anything else."""
    m = _TERM.match(term) if isinstance(term, str) else None
    return (m[1], m[2]) if m else None


def json_code(code):
    """A level code as a JSON value: numpy numbers become int (whole) or float."""
    if isinstance(code, np.integer):
        return int(code)
    if isinstance(code, (float, np.floating)):
        return int(code) if float(code).is_integer() else float(code)
    return code
