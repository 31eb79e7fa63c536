"""The data model shared by importers, scale scoring and analyses.

``RawData`` is a file as read (codes, labels, user-missing declarations);
``Dataset`` is what analyses see: missing codes set to NaN, reverse keys
applied, scale scores appended, exclusions dropped, labels resolved in one
language.
"""
from __future__ import annotations

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
    # set when a label (variable or value label, language-dependent) is read: a result computed without
    # reading one is the same in every language (the page runner then fits it once for both)
    labels_read: bool = field(default=False, compare=False, repr=False)

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
        """Variable label in the dataset's language, else its name."""
        self.labels_read = True
        if name in self.scales:
            return pick(self.scales[name].get("label"), self.lang) or name
        m = self.meta.get(name)
        return (pick(m.label, self.lang) if m else None) or name

    def value_labels(self, name: str) -> dict:
        self.labels_read = True
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

    def levels(self, name: str) -> tuple[list, list[str]]:
        """Observed levels of a grouping variable, in order, with labels.

        Order: the recipe's level order (``prepare.levels``) when it has one,
        then any other observed values in their natural order
        (:func:`core.data.levels.natural_order`: codes sorted, known ordinal
        texts such as education or age bands as a reader expects them).
        This order drives every table, chart, post-hoc label and the first
        (default reference) level.  Returns ``(codes, labels)``.
        """
        self.require(name)
        col = self.frame[name].dropna()
        observed = list(pd.unique(col))
        m = self.meta.get(name)
        chosen = [v for v in (m.order or []) if v in set(observed)] if m else []
        rest = natural_order([v for v in observed if v not in set(chosen)])
        ordered = chosen + rest
        vl = self.value_labels(name)
        labels = [vl.get(v, code_text(v)) if vl else code_text(v) for v in ordered]
        return ordered, labels

    def reference_level(self, name: str, min_share: float = 0.1):
        """The default reference level of a categorical predictor: the first
        level in order unless it holds fewer than ``min_share`` of the cases
        (or fewer than 10), then the largest level (a tiny reference gives
        unstable contrasts and inflated VIFs)."""
        codes, _ = self.levels(name)
        counts = self.frame[name].value_counts(dropna=True)
        if not codes:
            raise UserError("error.unknown_variable", name=name)
        n = int(counts.sum())
        first = codes[0]
        if counts.get(first, 0) >= max(10, min_share * n):
            return first
        return max(codes, key=lambda c: (counts.get(c, 0), -codes.index(c)))

    def group_codes(self, name: str) -> tuple[np.ndarray, list[str], list]:
        """Integer group index per row (-1 = missing), level labels, codes."""
        codes, labels = self.levels(name)
        col = self.frame[name]
        idx = pd.Categorical(col, categories=codes).codes.astype(np.int64)
        return idx, labels, codes

    def resolve_level(self, name: str, level) -> Any:
        """A level given by code or by label (as in recipes) → its code."""
        codes, labels = self.levels(name)
        for c, lab in zip(codes, labels):
            if level == c or str(level) == code_text(c) or str(level) == lab:
                return c
        raise UserError("error.unknown_level", name=name, level=str(level))

    def level_label(self, name: str, code) -> str:
        vl = self.value_labels(name)
        return vl.get(code, code_text(code))

    def split_codes(self, name: str, merge: dict | None = None) -> tuple[np.ndarray, list[str]]:
        """Group index per row (−1 = missing) and level labels, after merging the
        levels listed in ``merge[name]`` (lists of levels given by code or label;
        the merged level is named "A + B" and keeps the place of its first member)."""
        idx, labels, codes = self.group_codes(name)
        groups = (merge or {}).get(name) or []
        if not groups:
            return idx, list(labels)
        if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
            raise UserError("difference.error.bad_merge", name=name)
        target = list(range(len(labels)))
        for members in groups:
            pos = sorted({list(codes).index(self.resolve_level(name, lev)) for lev in members})
            for p in pos[1:]:
                target[p] = pos[0]
        keep = sorted(set(target))
        new_index = {old: i for i, old in enumerate(keep)}
        new_labels = [" + ".join(labels[j] for j in range(len(labels)) if target[j] == old) for old in keep]
        lut = np.array([new_index[target[j]] for j in range(len(labels))] + [-1], dtype=np.int64)
        return lut[idx], new_labels

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


def code_text(v) -> str:
    """A level code as text: 2.0 and numpy 2 read "2", text stays as is."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    if isinstance(v, np.integer):
        return str(int(v))
    return str(v)


def json_code(code):
    """A level code as a JSON value: numpy numbers become int (whole) or float."""
    if isinstance(code, np.integer):
        return int(code)
    if isinstance(code, (float, np.floating)):
        return int(code) if float(code).is_integer() else float(code)
    return code
