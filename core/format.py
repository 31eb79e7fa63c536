"""Formatting at the edge: p values, stars, decimals, translated headers.

Core analyses return raw floats; pages and exporters call these to show them
(APA style: no leading zero for p and other bounded statistics, p < .001).
"""
from __future__ import annotations

import math

import pandas as pd

from core.i18n import has, t
from core.types import TableSpec

# Star schemes: SPSS marks two levels, APA three.
STAR_SCHEMES = {
    "spss": ((0.01, "**"), (0.05, "*")),
    "apa": ((0.001, "***"), (0.01, "**"), (0.05, "*")),
}


def stars(p, scheme: str = "apa") -> str:
    if p is None or not isinstance(p, (int, float)) or math.isnan(p):
        return ""
    for cut, mark in STAR_SCHEMES[scheme]:
        if p < cut:
            return mark
    return ""


def star_note(scheme: str, lang: str) -> str:
    return t(f"format.stars.{scheme}", lang)


def fmt_p(p, digits: int = 3) -> str:
    """.003 / < .001 / 1.000 (APA: no leading zero)."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    if p < 10 ** -digits:
        return "< ." + "0" * (digits - 1) + "1"
    s = f"{p:.{digits}f}"
    return s[1:] if s.startswith("0") else s


def fmt_num(x, digits: int = 3, leading_zero: bool = True) -> str:
    if x is None:
        return ""
    try:
        if isinstance(x, float) and math.isnan(x):
            return ""
        s = f"{float(x):.{digits}f}"
    except (TypeError, ValueError):
        return str(x)
    if s in ("-0." + "0" * digits,):
        s = s[1:]
    if not leading_zero:
        s = s.replace("0.", ".", 1) if s.startswith(("0.", "-0.")) else s
    return s


def fmt_int(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return str(int(x)) if float(x).is_integer() else fmt_num(x, 2)


def column_title(name: str, lang: str, analysis: str = "") -> str:
    """Header of a column: the analysis' own entry, else the shared ``col.*``."""
    for key in (f"{analysis}.col.{name}", f"col.{name}"):
        if has(key):
            return t(key, lang)
    return name


def display_table(df: pd.DataFrame, spec: TableSpec | None, lang: str, analysis: str = "",
                  digits: int = 3) -> pd.DataFrame:
    """A copy of ``df`` with every number formatted by its column kind and
    headers translated (for HTML/Word/plain display)."""
    kinds = {c.name: c.kind for c in spec.columns} if spec else {}
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        kind = kinds.get(col, "num" if pd.api.types.is_float_dtype(df[col]) else "text")
        if kind == "p":
            vals = df[col].map(fmt_p)
        elif kind == "int":
            vals = df[col].map(fmt_int)
        elif kind == "pct":
            vals = df[col].map(lambda v: fmt_num(v, 1))
        elif kind == "num":
            vals = df[col].map(lambda v: fmt_num(v, digits))
        else:
            vals = df[col].map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
        out[column_title(col, lang, analysis)] = vals
    return out
