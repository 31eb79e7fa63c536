"""Differences page: every split × outcome at a glance, the thesis table, the
full detail of one cell, levels, two-way ANOVA, cross-tabs and paired-samples tests.  All numbers
come from core (recipe types "difference", "crosstab" and "paired_t"); this page only
collects choices (stored in the recipe) and renders."""
from __future__ import annotations


import pandas as pd
import streamlit as st

from core import i18n, registry
from core.analyses.difference.compute import suggest_merges
from core.analyses.difference import charts as dch
from core.errors import UserError
from core.format import star_note
from core.analyses.difference import text as dint
from pages._ui import forms, pins, render, runner, state

t = state.t
S = st.session_state
spec = registry.get("difference")
xspec = registry.get("crosstab")
pspec = registry.get("paired_t")
AID, AID2, AIDX, AIDP = "differences", "differences_twoway", "differences_crosstab", "differences_paired"

st.title(t("difference.title"))
st.caption(t("difference.page.intro"))
ds = state.dataset()


def _chart(chart: dict, name: str, aid: str | None = None) -> None:
    """Show a Vega-Lite spec (from runner.view) with its pin/download tools."""
    st.vega_lite_chart(chart, width="stretch", key=f"chart_{name}")
    if aid is not None:
        pins.chart_tools(spec, aid, name, chart)


# Chart views of a result: fn(result, dataset, lang, **display) for runner.view (cached).
def _means_view(res, ds, lang, group, outcome):
    gs = res.tables["group_stats"]
    return dch.means(gs[(gs.group == group) & (gs.outcome == outcome)], ds, lang)


def _box_view(res, ds, lang, group, outcome, merge):
    return dch.box(ds, group, outcome, lang, merge)


def _violin_view(res, ds, lang, group, outcome, merge):
    return dch.violin(ds, group, outcome, lang, merge)


def _interaction_view(res, ds, lang):
    return dch.interaction(res.tables["factorial_means"], ds, lang)


def _crosstab_view(res, ds, lang):
    return dch.crosstab_bars(res.tables["cells"], ds, lang)


def _table(df: pd.DataFrame, table: str, sp=spec, key: str | None = None, tools: str | None = None, res=None):
    render.table(df, sp.table(table), sp.type, key=key or f"tbl_{sp.type}_{table}")
    if tools is not None and res is not None:
        pins.table_tools(sp, res, tools, table)


def _display(res, ds, lang: str, scheme: str) -> dict:
    """Heat map spec and reading of a result (the slow part of
    a rerun; cached through runner.view)."""
    return {"heatmap": dch.heatmap(res, ds, lang, scheme).to_dict() if not res.tables["tests"].empty else None,
            "paras": dint.paragraphs(res, ds, lang),
            "levels": dint.level_sentences(res, ds, lang)}


def battery(entry: dict) -> None:
    lang = state.lang()
    opts = forms.options(spec, entry)
    opts["by"] = None
    res = runner.run("difference", opts)
    if isinstance(res, UserError):
        render.error(res)
        return
    scheme = opts.get("stars") or "apa"
    star_txt = t("difference.page.star_note", scheme=star_note(scheme, lang))

    shown = runner.view(_display, "difference", opts, res, scheme=scheme)

    st.subheader(t("difference.page.overview"))
    if shown["heatmap"] is not None:
        st.vega_lite_chart(shown["heatmap"], width="stretch", key="chart_heatmap")
        pins.chart_tools(spec, AID, "heatmap", shown["heatmap"])

    st.subheader(t("difference.page.thesis"))
    for g in dict.fromkeys(res.tables["tests"].group):
        render.view_table(spec, f"thesis:{g}", res, opts, aid=AID, key=f"thesis_{g}")

    st.subheader(t("difference.table.tests"))
    _table(res.tables["tests"], "tests", tools=AID, res=res)
    st.caption(render.md_escape(star_txt))

    detail(res, opts, star_txt)

    levels = res.tables["levels"]
    if not levels.empty:
        st.subheader(t("difference.page.levels"))
        _table(levels, "levels", tools=AID, res=res)
        for s in shown["levels"]:
            st.markdown(render.md_escape(s))

    st.subheader(t("difference.page.reading"))
    paras = shown["paras"]
    for i, para in enumerate(paras[:len(paras) - len(shown["levels"])]):
        pins.paragraph(para, AID, i)
    render.notes(res)


def detail(res, opts: dict, star_txt: str) -> None:
    lang = state.lang()
    st.subheader(t("difference.page.detail"))
    tests = res.tables["tests"]
    c1, c2, c3 = st.columns([2, 2, 2])
    groups = list(dict.fromkeys(tests.group))
    outcomes = list(dict.fromkeys(tests.outcome))
    g = c1.selectbox(t("difference.page.detail_split"), groups, key=f"diff_detail_g.{lang}",
                     format_func=forms.var_label(ds))
    o = c2.selectbox(t("difference.page.detail_outcome"), outcomes, key=f"diff_detail_o.{lang}",
                     format_func=forms.var_label(ds))
    view = c3.selectbox(t("difference.page.view"), ["means", "box", "violin"], key=f"diff_view.{lang}",
                        format_func=lambda v, L=lang: i18n.t(f"difference.page.view_{v}", L))

    def pick(name):
        df = res.tables[name]
        return df[(df.group == g) & (df.outcome == o)]

    row = tests[(tests.group == g) & (tests.outcome == o)].iloc[0]
    gs = pick("group_stats")
    if not gs.empty:
        _table(gs.drop(columns=["group", "outcome"]), "group_stats", key="tbl_detail_gs")
    if not isinstance(row.test, str):
        st.warning(t("difference.page.no_detail", reason=t(f"difference.cellnote.{row.note}")))
        return
    at = pick("all_tests")
    st.markdown("**" + render.md_escape(t("difference.page.levene")) + "**")
    _table(at[at.test.isin(["levene_mean", "levene_median"])].drop(columns=["group", "outcome"]), "all_tests",
           key="tbl_detail_levene")
    if row.k == 2:
        st.markdown("**" + render.md_escape(t("difference.page.t_rows")) + "**")
        _table(at[at.test.isin(["student_t", "welch_t"])].drop(columns=["group", "outcome", "df2"]), "all_tests",
               key="tbl_detail_t")
    st.markdown("**" + render.md_escape(t("difference.page.other_tests")) + "**")
    other = at[~at.test.isin(["levene_mean", "levene_median", "student_t", "welch_t"])]
    _table(other.drop(columns=["group", "outcome"]), "all_tests", key="tbl_detail_other")
    st.caption(render.md_escape(t(f"difference.rule.{row.rule}") + " · " + star_txt))
    st.markdown("**" + render.md_escape(t("difference.table.effects")) + "**")
    _table(pick("effects").drop(columns=["group", "outcome"]), "effects", key="tbl_detail_eff")
    ph = pick("posthoc")
    if not ph.empty and row.k >= 3:
        st.markdown("**" + render.md_escape(t("difference.table.posthoc")) + "**")
        _table(ph.drop(columns=["group", "outcome"]), "posthoc", key="tbl_detail_ph")
    merge = opts.get("merge") or {}
    if view == "means" and not gs.empty:
        _chart(runner.view(_means_view, "difference", opts, res, group=g, outcome=o), "detail_means")
    elif view in ("box", "violin"):
        fn = _box_view if view == "box" else _violin_view
        _chart(runner.view(fn, "difference", opts, res, group=g, outcome=o, merge=merge), f"detail_{view}")


def settings(entry: dict) -> None:
    with st.expander(t("difference.page.settings"), icon=":material/settings:"):
        c1, c2 = st.columns(2)
        forms.form(spec, ds, entry, only=["test", "stars"], container=c1)
        forms.form(spec, ds, entry, only=["posthoc", "small_group"], container=c2)
        key = f"diff_merge_small.{state.lang()}"
        if key not in S:
            S[key] = bool(entry.get("merge"))
        merge_on = st.checkbox(t("difference.page.merge_small"), key=key)
        if merge_on:
            merge = {}
            for g in entry.get("groups") or []:
                try:
                    m = suggest_merges(ds, g, int(entry.get("small_group") or 5))
                except UserError:
                    m = []
                if m:
                    merge[g] = m
            entry["merge"] = merge
            if merge:
                what = "; ".join(f"{ds.label(g)}: " + ", ".join(" + ".join(ds.level_label(g, c) for c in b)
                                                                for b in blocks)
                                 for g, blocks in merge.items())
                st.caption(render.md_escape(t("difference.page.merged", what=what)))
        else:
            entry["merge"] = {}


def two_way(groups: list[str], outcomes: list[str]) -> None:
    lang = state.lang()
    st.subheader(t("difference.page.two_way"))
    entry = state.entry(AID2, "difference")
    cands = forms.candidates(ds, "categorical")
    c1, c2, c3 = st.columns(3)
    a_key, b_key, o_key = (f"diff2_{x}.{lang}" for x in ("a", "b", "o"))
    a0 = (entry.get("groups") or groups or cands or [None])[0]
    if a_key not in S:
        S[a_key] = a0 if a0 in cands else (cands[0] if cands else None)
    a = c1.selectbox(t("difference.opt.groups"), cands, key=a_key, format_func=forms.var_label(ds))
    rest = [c for c in cands if c != a]
    if b_key not in S:
        b0 = entry.get("by")
        S[b_key] = b0 if b0 in rest else (rest[0] if rest else None)
    b = c2.selectbox(t("difference.page.two_way_pick"), rest, key=b_key, format_func=forms.var_label(ds))
    outs = forms.candidates(ds, "numeric")
    if o_key not in S:
        o0 = (entry.get("outcomes") or outcomes or outs or [None])[0]
        S[o_key] = o0 if o0 in outs else (outs[0] if outs else None)
    o = c3.selectbox(t("difference.opt.outcomes"), outs, key=o_key, format_func=forms.var_label(ds))
    if not (a and b and o) or a == b:
        st.info(t("difference.page.pick_two"))
        return
    main = state.entry(AID, "difference")
    entry.update(groups=[a], outcomes=[o], by=b, posthoc=[], test=main.get("test", "auto"),
                 merge=main.get("merge") or {})
    res = runner.run("difference", forms.options(spec, entry))
    if isinstance(res, UserError):
        render.error(res)
        return
    fac = res.tables.get("factorial")
    if fac is not None and not fac.empty:
        _table(fac.drop(columns=["group", "by", "outcome"]), "factorial", key="tbl_factorial")
        pins.table_tools(spec, res, AID2, "factorial")
        fm = res.tables["factorial_means"]
        _table(fm.drop(columns=["group", "by", "outcome"]), "factorial_means", key="tbl_fm")
        _chart(runner.view(_interaction_view, "difference", forms.options(spec, entry), res),
               f"interaction_{a}_{b}_{o}", AID2)
    render.notes(res)


def crosstab() -> None:
    lang = state.lang()
    st.subheader(t("difference.page.crosstab"))
    entry = state.entry(AIDX, "crosstab")
    cands = forms.candidates(ds, "categorical")
    if len(cands) < 2:
        st.info(t("difference.page.pick_two"))
        return
    c1, c2 = st.columns(2)
    r_key, c_key = f"diffx_r.{lang}", f"diffx_c.{lang}"
    if r_key not in S:
        r0 = (entry.get("rows") or [None])[0]
        S[r_key] = r0 if r0 in cands else cands[0]
    if c_key not in S:
        c0 = (entry.get("cols") or [None])[0]
        S[c_key] = c0 if c0 in cands else cands[1]
    r = c1.selectbox(t("difference.page.crosstab_rows"), cands, key=r_key, format_func=forms.var_label(ds))
    c = c2.selectbox(t("difference.page.crosstab_cols"), cands, key=c_key, format_func=forms.var_label(ds))
    if r == c:
        st.info(t("difference.page.pick_two"))
        return
    entry.update(rows=[r], cols=[c])
    forms.form(xspec, ds, entry, only=["correct"])
    res = runner.run("crosstab", forms.options(xspec, entry))
    if isinstance(res, UserError):
        render.error(res)
        return
    _table(res.tables["chi2"], "chi2", sp=xspec, tools=AIDX, res=res)
    _table(res.tables["cells"], "cells", sp=xspec, key="tbl_cells")
    cells = res.tables["cells"]
    if not cells.empty:
        _chart(runner.view(_crosstab_view, "crosstab", forms.options(xspec, entry), res), f"crosstab_{r}_{c}")
    for i, para in enumerate(dint.crosstab_paragraphs(res, ds, lang)):
        pins.paragraph(para, AIDX, i)
    render.notes(res)


def paired() -> None:
    """Paired-samples t test, drawn from its declaration."""
    st.subheader(t("paired_t.title"))
    st.caption(t("paired_t.page.intro"))
    entry = state.entry(AIDP, "paired_t")
    opts = forms.form(pspec, ds, entry)
    if not opts["pairs"]:
        state.forget(entry)
        st.info(t("paired_t.error.no_pairs"))
        return
    render.result(pspec, runner.run("paired_t", opts), opts, aid=AIDP)


if ds is not None:
    entry = state.entry(AID, "difference")
    if not entry.get("groups"):
        st.info(t("difference.page.no_demographics"))
    c1, c2 = st.columns(2)
    forms.form(spec, ds, entry, only=["groups"], container=c1)
    forms.form(spec, ds, entry, only=["outcomes"], container=c2)
    settings(entry)
    if not entry.get("groups") or not entry.get("outcomes"):
        st.info(t("difference.error.nothing_chosen"))
    else:
        battery(entry)
    st.divider()
    two_way(entry.get("groups") or [], entry.get("outcomes") or [])
    st.divider()
    crosstab()
    st.divider()
    paired()
