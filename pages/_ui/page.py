"""The generic analysis page: an analysis drawn from its declaration.

``analysis_page(type)`` takes the page's recipe entry, lays out the declared
form (``AnalysisSpec.layout``: sections of options in columns, expanders and
tabs, named custom sections), runs the analysis through the cached runner and
shows what the layout names — tables, views, charts, paragraphs, notes — each
with its pin and downloads.  Custom sections (the PROCESS model picker, the
what-if simulator …) are small functions registered by name in
pages/_ui/custom.py that get the page's :class:`~pages._ui.custom.Ctx`.
"""
from __future__ import annotations

from fnmatch import fnmatch

import streamlit as st

from core import registry
from core.errors import UserError
from core.types import Section
from pages._ui import forms, pins, render, runner, state
from pages._ui.custom import SECTIONS, Ctx

def analysis_page(type_: str, aid: str | None = None, layout: str = "", title: str = "", intro: str = "",
                  start: dict | None = None) -> Ctx | None:
    """Draw one analysis: ``aid`` its recipe id (default: its type), ``layout`` a named alternative
    layout, ``title``/``intro`` catalogue keys of a heading and caption above it, ``start`` values a
    new entry takes before the form is drawn."""
    ds = state.dataset()
    if ds is None:
        return None
    spec = registry.get(type_)
    if title:
        st.subheader(state.t(title))
    if intro:
        st.caption(state.t(intro))
    new = all(a["id"] != (aid or type_) for a in state.recipe()["analyses"])
    entry = state.entry(aid or type_, type_)
    lay = spec.page_layout(layout)
    if new and lay.start is not None:
        entry.update(lay.start(ds, state.recipe().get("roles") or {}))
    fresh = {k: v for k, v in (start or {}).items() if k not in entry}
    if fresh:   # the page's pick for a new entry, nobody's choice (no key finding: core.report.model.untouched)
        state.by_default(entry, **fresh)
    ctx = Ctx(spec, ds, entry)
    first_show = lay.form or next((i for i, s in enumerate(lay.sections) if s.show), len(lay.sections))
    _sections(ctx, lay.sections[:first_show])
    ctx.options = {**forms.options(spec, entry), **dict(lay.fixed)}
    if not all(any(ctx.options.get(n) not in (None, "", [], {}) for n in need.split("|"))
               for need in lay.needs or [o.name for o in spec.options if o.required]):
        state.forget(entry)   # the recipe keeps no entry that cannot run
        if lay.empty:
            st.info(state.t(lay.empty))
        return ctx
    res = runner.run(type_, ctx.options)
    if isinstance(res, UserError):
        if res.key == lay.empty:
            st.info(state.t(lay.empty))
        else:
            render.error(res)
        return ctx
    ctx.result, ctx.aid = res, pins.aid_for(spec, entry["id"])
    _sections(ctx, lay.sections[first_show:])
    return ctx


def _sections(ctx: Ctx, sections) -> None:
    """Draw sections in order; consecutive tab sections share one st.tabs."""
    i = 0
    while i < len(sections):
        sec = sections[i]
        if sec.box == "tab":
            run = list(sections[i:])
            run = run[:next((k for k, s in enumerate(run) if s.box != "tab"), len(run))]
            for tab, s in zip(st.tabs([state.t(s.title) for s in run]), run):
                with tab:
                    _section(ctx, s)
            i += len(run)
            continue
        if sec.box in ("expander", "expanded"):
            with st.expander(state.t(sec.title), expanded=sec.box == "expanded"):
                _section(ctx, sec)
        else:
            if sec.title:
                st.subheader(state.t(sec.title))
            _section(ctx, sec)
        i += 1


def _section(ctx: Ctx, sec: Section) -> None:
    if sec.columns:
        _form(ctx, sec)
    if sec.show:
        shown = False
        holders = st.columns(len(sec.show)) if sec.side else [st.container()] * len(sec.show)
        for item, holder in zip(sec.show, holders):
            with holder:
                shown = _show(ctx, item, bold=bool(sec.title)) or shown
        if not shown and sec.none:
            st.caption(state.t(sec.none))
    if sec.custom:
        SECTIONS[sec.custom](ctx, sec)
    if sec.caption:
        st.caption(state.t(sec.caption))


def _form(ctx: Ctx, sec: Section) -> None:
    prefix = f"opt.{ctx.entry['id']}"
    holders = st.columns(list(sec.widths) if sec.widths else len(sec.columns)) if len(sec.columns) > 1 else [st]
    for names, holder in zip(sec.columns, holders):
        for name in names:
            if forms.applies(ctx.spec, ctx.entry, name, prefix):
                forms.widget(ctx.spec, ctx.spec.option(name), ctx.ds, ctx.entry, prefix, holder, one=name in sec.one)


def _show(ctx: Ctx, item: str, bold: bool = False) -> bool:
    """One thing of the result: a table, a view, charts, the paragraphs or the notes; True if drawn."""
    spec, res, opts = ctx.spec, ctx.result, ctx.options
    if item == "notes":
        render.notes(res)
        return True
    if item == "text":
        paras = runner.view(spec.interpret, spec.type, opts, res) if spec.interpret else []
        for i, para in enumerate(paras):
            pins.paragraph(para, ctx.aid, i)
        return bool(paras)
    if item == "charts" or item.startswith("chart:"):
        pattern = item.partition(":")[2] or "*"
        charts = [(n, c) for n, c in runner.charts(spec.type, opts, res) if fnmatch(n, pattern)]
        for name, chart in charts:
            render.chart(chart, key=f"chart_{ctx.entry['id']}_{name}", analysis=spec, aid=ctx.aid, name=name)
        return bool(charts)
    if item == "tables":
        return any([_show(ctx, tb.name, bold) for tb in spec.tables])
    if any(tb.name == item for tb in spec.tables):
        return render.result_table(spec, res, item, ctx.aid, f"tbl_{ctx.entry['id']}_{item}", bold)
    per = next((v.per for v in spec.views if v.name == item and v.per), "")
    if per:   # a view made per value of an option: one table for each
        values = opts.get(per) or []
        for v in values:
            render.view_table(spec, f"{item}:{v}", res, opts, aid=ctx.aid, key=f"{item}_{v}")
        return bool(values)
    render.view_table(spec, item, res, opts, aid=ctx.aid, key=f"tbl_{ctx.entry['id']}_{item}")
    return True
