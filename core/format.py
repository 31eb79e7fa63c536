"""Formatting at the edge: the one cell formatter, p values, stars, decimals,
translated headers and codes.

Core analyses return raw floats and stable codes; pages, every report writer
and every download show them through :func:`cell` (text) or :func:`value`
(numbers stay numbers, codes become words) — so a code reads the same on the
page, in the Word file, the workbook and the CSV, in both languages (APA
style: no leading zero for p and other bounded statistics, p < .001).
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from core import registry
from core.data.model import MERGED, code_text, split_term
from core.errors import UserError
from core.i18n import has, t
from core.types import OF_KINDS, Column

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


def p_apa(p, with_p: bool = True) -> str:
    """"p = .034" / "p < .001" / "p = —" (APA, for sentences); without the "p": "= .034" / "< .001"."""
    try:
        s = fmt_p(float(p))
    except (TypeError, ValueError):
        s = ""
    s = s if s.startswith("<") else "= " + (s or "—")
    return "p " + s if with_p else s


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


# ---- the one cell formatter --------------------------------------------------------------------
_KEY = re.compile(r"[^0-9a-z]+")
# kinds that are words, not statistics (kept by small-cell suppression)
TEXT_KINDS = ("text", "var", "flag", "level", "analysis", "table", "row")
PATH = "->"   # joins the variables of a path (PROCESS's "X->M->Y")
TOTAL = " (total)"   # marks PROCESS's total-effect equation: "Y (total)"


def code_key(code) -> str:
    """A code as a catalogue key part: "Corrected Model" → corrected_model, "(Intercept)" → intercept."""
    return _KEY.sub("_", str(code).strip().lower()).strip("_")


def is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(v)
    return False


def is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) \
        and not is_missing(v)


def _word(v, column: Column, lang: str, labels: dict | None):
    """A code, flag or variable name in words; None when the cell is not one."""
    if column.kind == "flag":
        return "✓" if v is True or v is np.True_ or (is_number(v) and v == 1) or v == "True" else ""
    if column.kind == "row" and isinstance(v, dict):   # not read through its table (no dataset): the values
        return ROW_SEP.join(code_text(x) for x in v.values())
    if not isinstance(v, str) or not v:
        return None
    if column.kind == "analysis" and has(f"{v}.title"):
        return t(f"{v}.title", lang)
    if column.codes:
        key = column.codes + code_key(v)
        if has(key):
            # a table cell starts with a capital, as SPSS prints its labels (a Latin one: η² stays η², not Η²)
            word = t(key, lang)
            return word[:1].upper() + word[1:] if word[:1].isascii() else word
    if column.kind == "var" or column.codes:
        labels = labels or {}
        if PATH in v:   # a PROCESS path "X->M->Y": X → M → Y in labels
            return " → ".join(labels.get(part, part) for part in v.split(PATH))
        if v.endswith(TOTAL) and v[:-len(TOTAL)] in labels:   # "Y (total)": the outcome's label, "(total)" in words
            return f"{labels[v[:-len(TOTAL)]]} ({t('format.total', lang)})"
        return " × ".join(labels.get(part, part) for part in v.split(":"))
    return None


def value(v, column: Column | None, lang: str = "en", labels: dict | None = None):
    """A cell for a workbook, a CSV or a sortable page table: numbers stay
    numbers, codes, flags and variable names become words (``labels``: variable
    name → label), missing becomes None."""
    if is_missing(v):
        return None
    if column is not None:
        word = _word(v, column, lang, labels)
        if word is not None:
            return word
    if isinstance(v, (np.integer, np.floating)):
        return v.item()
    return v


def cell(v, column: Column | None, lang: str = "en", digits: int = 3, star_scheme: str | None = None,
         labels: dict | None = None) -> str:
    """One cell as text (Word, HTML, PowerPoint): p as .003 / < .001 (+ stars),
    whole degrees of freedom and counts without decimals, estimates to
    ``digits``, codes and flags in words."""
    out = value(v, column, lang, labels)
    if out is None:
        return ""
    if not is_number(out):
        return str(out)
    kind = column.kind if column is not None else "num"
    x = float(out)
    if not math.isfinite(x):
        return "∞" if x > 0 else "−∞"
    if kind == "p":
        return fmt_p(x) + (stars(x, star_scheme) if star_scheme else "")
    if kind == "pct":
        return fmt_num(x, 1)
    if kind in ("int", "df") or kind in TEXT_KINDS:
        return fmt_int(x) if kind == "int" or x.is_integer() else fmt_num(x, digits)
    return fmt_num(x, digits)


def path_label(path, dataset) -> str:
    """A PROCESS path "X->M->Y" for a sentence or a chart: its variables' labels joined by arrows."""
    return " → ".join(dataset.label(part) if dataset.has(part) else part for part in str(path).split(PATH))


def variable_labels(df: pd.DataFrame, columns: list[Column], dataset) -> dict[str, str]:
    """What ``labels`` of :func:`value` and :func:`cell` needs for this table: the
    labels of the variables named in its var and code columns (a two-way
    ANOVA's "age:gender" names both, a path "X->M->Y" all three, a
    total-effect equation "Y (total)" Y; a dummy
    "gender[2]" reads "Gender[Female]")."""
    if dataset is None:
        return {}
    out: dict[str, str] = {}
    for c in columns:
        if not (c.kind == "var" or c.codes):
            continue
        for v in df[c.name]:
            for part in re.split(":|" + PATH, v) if isinstance(v, str) else ():
                part = part.removesuffix(TOTAL)
                term = split_term(part)
                if part in out:
                    continue
                if dataset.has(part):
                    out[part] = dataset.label(part)
                elif term and dataset.has(term[0]):
                    out[part] = f"{dataset.label(term[0])}[{dataset.level_label(term[0], term[1])}]"
    return out


ROW_SEP = " · "   # between the values that pick a row (a hypothesis' test, the hypothesis editor)


def _table_spec(type_, table):
    try:
        return registry.get(type_).table(table) if isinstance(type_, str) and isinstance(table, str) else None
    except (UserError, KeyError):
        return None


def table_title(type_, table, lang: str) -> str:
    """The title of an analysis' table (its ``<type>.table.<name>`` entry), else the name."""
    key = f"{type_}.table.{table}"
    return t(key, lang) if has(key) else code_text(table)


def row_text(type_, table, row: dict, dataset, lang: str) -> str:
    """The values that pick a row of an analysis' table ({column: value}) in words, as the table shows
    them: codes through the catalogue, variables as their labels, level codes as their value labels."""
    tspec = _table_spec(type_, table)
    declared = {c.name: c for c in tspec.columns} if tspec is not None else {}
    frame = pd.DataFrame([row], dtype=object)
    columns = [declared.get(k) or Column(str(k), "text") for k in frame.columns]
    shown = level_labels(frame, columns, dataset)
    labels = variable_labels(frame, columns, dataset)
    return ROW_SEP.join(cell(shown.at[0, c.name], c, lang, labels=labels) for c in columns)


def level_labels(df: pd.DataFrame, columns: list[Column], dataset, text: bool = False) -> pd.DataFrame:
    """``df`` with the codes of its level columns (kind ``level``) read as their
    value labels in the dataset's language — a copy; ``df`` itself when it has
    no level column or there is no dataset.  A code without a label stays as it
    is (a number is then formatted as one: a moderator's value, an unlabelled
    code), or with ``text`` becomes its text ("2" for 2.0: a chart's nominal
    axis, a sentence).  Columns of kind ``table`` (a table of the analysis in
    their ``of`` column) read as its title and of kind ``row`` (the row of the
    table in their ``of`` column) as :func:`row_text`.  Results keep codes; this
    is the edge."""
    cols = [c for c in columns if c.kind in OF_KINDS and c.name in df.columns and c.of in df.columns]
    if dataset is None or not cols:
        return df
    out = df.copy()
    labels: dict[str, dict] = {}
    named = {c.name: c for c in columns}
    for c in cols:
        if c.kind == "table":   # a table of the analysis in its "of" column
            out[c.name] = pd.Series([None if is_missing(v) else table_title(a, v, dataset.lang)
                                     for a, v in zip(df[c.of], df[c.name])], index=df.index, dtype=object)
            continue
        if c.kind == "row":     # a row of the table in its "of" column, which names its analysis in its own
            of = named.get(c.of)
            types = df[of.of] if of is not None and of.of in df.columns else [None] * len(df)
            out[c.name] = pd.Series([row_text(a, tb, v, dataset, dataset.lang) if isinstance(v, dict) else v
                                     for a, tb, v in zip(types, df[c.of], df[c.name])], index=df.index, dtype=object)
            continue
        texts = []
        for var, code in zip(df[c.of], df[c.name]):
            if is_missing(code) or not (isinstance(var, str) and dataset.has(var)):
                texts.append(None if is_missing(code) else code)
                continue
            if var not in labels:
                labels[var] = dataset.value_labels(var)
            word = labels[var].get(code) if not isinstance(code, (list, dict)) else None
            if word is None and isinstance(code, str) and MERGED in code:
                word = dataset.level_label(var, code)
            texts.append(word if word is not None else code_text(code) if text else code)
        out[c.name] = pd.Series(texts, index=df.index, dtype=object)
    return out


def read_levels(result, spec, dataset, text: bool = False):
    """A copy of ``result`` whose tables' level columns read as their labels
    (:func:`level_labels`), for charts and text made from it."""
    declared = {tb.name: tb.columns for tb in spec.tables}
    return replace(result, tables={name: level_labels(df, declared.get(name, ()), dataset, text)
                                   for name, df in result.tables.items()})


def column_kind(series: pd.Series) -> str:
    """The kind of an undeclared column (a view's or a page's own table)."""
    if pd.api.types.is_bool_dtype(series):
        return "flag"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    return "num" if pd.api.types.is_float_dtype(series) else "text"


def columns_of(df: pd.DataFrame, spec=None) -> list[Column]:
    """The table's columns as declared (declaration order first, then any
    others with an inferred kind)."""
    declared = {c.name: c for c in spec.columns} if spec is not None else {}
    names = [c for c in declared if c in df.columns] + [c for c in df.columns if c not in declared]
    return [declared.get(c) or Column(str(c), column_kind(df[c])) for c in names]
