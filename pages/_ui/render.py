"""Renderers: a Result (tables, notes, charts, interpretation) on a page.

User-supplied text (variable names, labels) is never interpreted as HTML or
Markdown: tables go through st.dataframe (plain text cells) and every string
placed into Markdown passes through :func:`md_escape` first.
"""
from __future__ import annotations

import math
import re

import pandas as pd
import streamlit as st

from core import registry
from core.errors import UserError
from core.format import column_title, fmt_p
from core.i18n import t as _t
from core.types import AnalysisSpec, Note, Result, TableSpec
from pages._ui import pins, runner, state

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text) -> str:
    """Make any text safe to put inside st.markdown / st.caption."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def note_text(note: Note, lang: str) -> str:
    return _t(note.key, lang, **{k: md_escape(v) for k, v in note.kwargs.items()})


def error(err: UserError) -> None:
    """Show a UserError, translated, with escaped arguments."""
    st.error(note_text(Note(err.key, err.kwargs), state.lang()))


def table(df: pd.DataFrame, spec: TableSpec | None, analysis: str = "", key: str | None = None,
          digits: int = 3, aid: str | None = None, result: Result | None = None) -> None:
    """A result table: numbers stay numbers (sortable), p values as .003 / < .001.
    With the analysis' recipe id ``aid`` (and its ``result``, for the method
    footnote of downloads) the table gets its pin and CSV/Excel downloads."""
    lang = state.lang()
    kinds = {c.name: c.kind for c in spec.columns} if spec else {}
    show = df.copy()
    config = {}
    for col in df.columns:
        kind = kinds.get(col, "num" if pd.api.types.is_float_dtype(df[col]) else "text")
        title = column_title(col, lang, analysis)
        if kind == "p":
            show[col] = df[col].map(lambda v: fmt_p(v) if isinstance(v, (int, float)) and not math.isnan(v) else "")
            config[col] = st.column_config.TextColumn(title)
        elif kind in ("int", "pct", "num"):
            # None in an object column would show as "None": make it a blank number
            show[col] = pd.to_numeric(df[col], errors="coerce")
            fmt = {"int": "%d", "pct": "%.1f", "num": f"%.{digits}f"}[kind]
            config[col] = st.column_config.NumberColumn(title, format=fmt)
        else:
            show[col] = df[col].map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
            config[col] = st.column_config.TextColumn(title)
    st.dataframe(show, hide_index=True, column_config=config, key=key, width="stretch")
    if aid is not None and spec is not None and analysis:
        res = result if result is not None and spec.name in result.tables else \
            Result(analysis, 0, {spec.name: df}, meta={"table_only": True})
        pins.table_tools(registry.get(analysis), res, aid, spec.name)


def notes(result: Result) -> None:
    lang = state.lang()
    lines = [note_text(n, lang) for n in result.notes]
    lines.insert(0, md_escape(_t("render.n_used", lang, n=result.n_used)))
    st.caption("  \n".join(lines))


def result(spec: AnalysisSpec, res: Result | UserError, options: dict | None = None,
           tables: list[str] | None = None, show_charts: bool = True, aid: str | None = None) -> None:
    """Everything a result has, in declaration order.  Pass the ``options`` it
    was run with so its charts are cached too, and the recipe id ``aid`` of the
    analysis (needed for pinning when a page has several of one type)."""
    if isinstance(res, UserError):
        error(res)
        return
    lang = state.lang()
    aid = pins.aid_for(spec, aid)
    for tspec in spec.tables:
        if tables is not None and tspec.name not in tables:
            continue
        df = res.tables.get(tspec.name)
        if df is None or df.empty:
            continue
        st.subheader(_t(f"{spec.type}.table.{tspec.name}", lang))
        table(df, tspec, spec.type, key=f"tbl_{spec.type}_{tspec.name}")
        pins.table_tools(spec, res, aid, tspec.name)
    notes(res)
    if show_charts:
        ds = state.dataset()
        specs = runner.charts(spec.type, options, res) if options is not None else \
            [(n, c.to_dict()) for n, c in (spec.charts(res, ds, lang) if spec.charts and ds is not None else [])]
        for name, chart in specs:
            st.vega_lite_chart(chart, width="stretch", key=f"chart_{spec.type}_{name}")
            pins.chart_tools(spec, aid, name, chart)
    ds = state.dataset()
    if spec.interpret and ds is not None:
        for i, para in enumerate(spec.interpret(res, ds, lang)):
            pins.paragraph(para, aid, i)


def registered(type_: str) -> AnalysisSpec:
    return registry.get(type_)
