"""Renderers: a Result (tables, notes, charts, interpretation) on a page.

User-supplied text (variable names, labels) is never interpreted as HTML or
Markdown: tables go through st.dataframe (plain text cells) and every string
placed into Markdown passes through :func:`md_escape` first.
"""
from __future__ import annotations


import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from core import registry
from core.errors import UserError
from core import format as fmt
from core.format import column_title
from core.i18n import t as _t
from core.types import AnalysisSpec, Column, Note, Result, TableSpec
from pages._ui import pins, runner, state
from pages._ui.markdown import md_escape, translated



def note_text(note: Note, lang: str) -> str:
    return translated(note.key, lang, **note.arguments(state.dataset() if note.levels else None))


def label(key: str, **kwargs) -> str:
    """A translated widget label, heading or caption whose arguments (variable
    names and labels) show as plain text: Streamlit renders every label as
    Markdown, where a name could be bold, a live link or a remote image."""
    return translated(key, state.lang(), **kwargs)


def error(err: UserError) -> None:
    """Show a UserError, translated, with escaped arguments."""
    st.error(note_text(Note(err.key, err.kwargs), state.lang()))


def _numbers(col: pd.Series) -> pa.Array:
    """A numeric column as Arrow; anything that is not a number (None, "",
    text) becomes null, which shows as a blank cell."""
    if pd.api.types.is_integer_dtype(col) and not pd.api.types.is_extension_array_dtype(col):
        return pa.array(col.to_numpy())
    if pd.api.types.is_float_dtype(col) and not pd.api.types.is_extension_array_dtype(col):
        values = col.to_numpy()
    else:
        values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return pa.array(values, type=pa.float64(), from_pandas=True)


def _whole(col: pd.Series) -> bool:
    """Every number in a degrees-of-freedom column is whole (586, not a Welch
    585.97): then it stays a sortable number shown as an integer; otherwise
    the column reads as the formatter writes it (586 and 585.972)."""
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values = values[np.isfinite(values)]
    return bool(np.all(values == np.round(values)))


def arrow_table(df: pd.DataFrame, columns: list[Column], lang: str, labels: dict | None = None) -> pa.Table:
    """The table as st.dataframe shows it, built column by column straight into
    Arrow (letting Streamlit convert a pandas copy costs 3–10× more): numbers
    stay numbers (blank when missing), p values as .003 / < .001, codes, flags
    and variable names in words — through the one formatter (core.format)."""
    arrays = []
    for c in columns:
        s = df[c.name]
        if c.kind == "p":
            arrays.append(pa.array([fmt.cell(x, c) for x in s.tolist()], pa.string()))
        elif c.kind in ("int", "pct", "num") or (c.kind == "df" and _whole(s)):
            arrays.append(_numbers(s))
        else:
            arrays.append(pa.array([fmt.cell(x, c, lang, labels=labels) for x in s.tolist()], pa.string()))
    return pa.Table.from_arrays(arrays, names=[str(c.name) for c in columns])


def table(df: pd.DataFrame, spec: TableSpec | None, analysis: str = "", key: str | None = None,
          digits: int = 3, aid: str | None = None, result: Result | None = None, memo: dict | None = None) -> None:
    """A result table: numbers stay numbers (sortable), p values as .003 / < .001.
    With the analysis' recipe id ``aid`` (and its ``result``, for the method
    footnote of downloads) the table gets its pin and CSV/Excel downloads.
    A table the analysis declares as a view (``AnalysisSpec.views``, e.g. a
    thesis layout) is pinned and downloaded through that view.  ``memo``: a
    dict the caller keeps across reruns, where the Arrow table of the same
    frame object (in the same language) is reused rather than built again."""
    lang = state.lang()
    columns = fmt.columns_of(df, spec)
    config = {}
    for c in columns:
        title = column_title(c.name, lang, analysis)
        if c.kind in ("int", "pct", "num") or (c.kind == "df" and _whole(df[c.name])):
            number = {"int": "%d", "pct": "%.1f", "num": f"%.{digits}f", "df": "%d"}[c.kind]
            config[str(c.name)] = st.column_config.NumberColumn(title, format=number)
        else:
            config[str(c.name)] = st.column_config.TextColumn(title)
    hit = memo.get(id(df)) if memo is not None else None
    if hit is None or hit[0] is not df or hit[1] != lang:   # the frame is kept in the entry: its id is not reused
        ds = state.dataset()
        shown = fmt.level_labels(df, columns, ds)     # level codes as value labels in the reader's language
        hit = (df, lang, arrow_table(shown, columns, lang, fmt.variable_labels(df, columns, ds)))
        if memo is not None:
            memo[id(df)] = hit
    # placeholder="": a missing number is a blank cell (Streamlit writes "None" by default)
    st.dataframe(hit[2], hide_index=True, column_config=config, key=key, width="stretch", placeholder="")
    if spec is not None and analysis and (aid is not None or result is not None):
        aspec = registry.get(analysis)
        own = result is not None and (spec.name in result.tables or aspec.has_view(spec.name))
        res = result if own else Result(analysis, 0, {spec.name: df}, meta={"table_only": True})
        pins.table_tools(aspec, res, aid, spec.name)


def _arrow_datasets(chart: dict) -> dict:
    """A copy of a Vega-Lite spec whose inline datasets are Arrow bytes, as
    st.vega_lite_chart sends them: Streamlit converts lists of records through
    pandas on every call (10–70 ms a chart); Arrow from the records directly
    takes well under a millisecond.  Anything unusual is left as it is."""
    datasets = chart.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return chart
    try:
        from streamlit.dataframe_util import convert_arrow_table_to_arrow_bytes
    except ImportError:  # pragma: no cover - other streamlit versions
        return chart
    out = {}
    for name, values in datasets.items():
        if isinstance(values, list) and values and all(isinstance(r, dict) for r in values):
            try:
                values = convert_arrow_table_to_arrow_bytes(pa.Table.from_pylist(values))
            except (pa.ArrowException, TypeError, ValueError):
                pass   # mixed types in a field: Streamlit's own conversion
        out[name] = values
    return {**chart, "datasets": out}


def chart(spec: dict, key: str, width="stretch", analysis: AnalysisSpec | None = None, aid: str | None = None,
          name: str | None = None) -> None:
    """A Vega-Lite chart (a dict, e.g. from runner.charts / runner.view), drawn
    without Streamlit's per-call data conversion.  With the ``analysis`` spec
    and ``name`` it gets its pin (when ``aid`` is known) and PNG/SVG downloads.  A chart of a set
    width (the correlation heat map) keeps it; a path diagram (laid out in pixels, ``usermeta.diagram``)
    is shown as its SVG picture, which shrinks to the page when it is wider — the picture its downloads
    and the reports have."""
    if (spec.get("usermeta") or {}).get("diagram"):
        st.image(runner.svg(spec), width="content")
    else:
        if width == "stretch" and spec.get("width", "container") != "container":
            width = "content"
        st.vega_lite_chart(_arrow_datasets(spec), width=width, key=key)
    if analysis is not None and name is not None:
        pins.chart_tools(analysis, aid, name, spec)


def _make_view(res: Result, ds, lang: str, name: str, options: dict):
    return registry.get(res.type).make_view(name, res, ds, lang, options)


def view_table(spec: AnalysisSpec, name: str, res: Result, options: dict, aid: str | None = None,
               key: str | None = None, title: bool = True) -> None:
    """One of the analysis' views (``AnalysisSpec.views``: a thesis layout made
    from the result), made through runner.view (cached) and drawn with its
    title, footnote, pin and downloads — pinned, it exports like a result table."""
    df, note = runner.view(_make_view, spec.type, options, res, name=name, options=options)
    if df is None or df.empty:
        return
    if title:   # a view made per value (one thesis table per split) is one of a series: a bold line
        heading = spec.table_title(name, state.lang(), state.dataset())
        if ":" in name:
            st.markdown("**" + md_escape(heading) + "**")
        else:
            st.subheader(heading)
    table(df, spec.columns_spec(name), spec.type, key=key or f"tbl_{spec.type}_{name}", aid=pins.aid_for(spec, aid),
          result=res)
    if note:
        st.caption(md_escape(note))


def notes(result: Result) -> None:
    lang = state.lang()
    lines = [note_text(n, lang) for n in result.notes]
    lines.insert(0, md_escape(_t("render.n_used", lang, n=result.n_used)))
    st.caption("  \n".join(lines))


def result_table(spec: AnalysisSpec, res: Result, name: str, aid: str | None, key: str, bold: bool = False) -> bool:
    """A result table with its heading (bold inside a titled section), pin and downloads; optional
    columns (``Column.optional``) only when they hold a value.  False when it has no rows."""
    tspec = spec.table(name)
    df = res.tables.get(name)
    if df is None or df.empty:
        return False
    empty = [c.name for c in tspec.columns if c.optional and c.name in df and df[c.name].isna().all()]
    heading = _t(f"{spec.type}.table.{name}", state.lang())
    if bold:
        st.markdown("**" + md_escape(heading) + "**")
    else:
        st.subheader(heading)
    table(df.drop(columns=empty), tspec, spec.type, key=key, aid=aid, result=res)
    return True
