"""Measurement page: reliability (with one-click reverse keying), data
screening (with one-click exclusion into the recipe), EFA (scree, sorted
loadings, Harman), CFA (editable lavaan-style model, validity, invariance) and
a structural model with its path diagram.

All numbers come from core (recipe types "reliability", "screening", "efa",
"cfa", "sem"); this page collects choices into the recipe and renders.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import i18n, registry
from core.analyses.measurement import efa as efa_mod
from core.analyses.measurement.cfa import default_model_text
from core.analyses.measurement.views import exclusion_entry
from core.analyses.measurement import charts as mch
from core.errors import UserError
from core.format import fmt_p
from pages._ui import forms, pins, render, runner, state

t = state.t
S = st.session_state
SECTIONS = ("reliability", "item_analysis", "screening", "efa", "cfa", "sem")

st.title(t("measure.page.title"))
ds = state.dataset()


def _scale_of(name: str) -> dict | None:
    for sc in state.recipe()["scales"]:
        if sc["name"] == name:
            return sc
    return None


# ---- reliability ----------------------------------------------------------------------------
def item_analysis() -> None:
    spec = registry.get("item_analysis")
    entry = state.entry("item_analysis", "item_analysis")
    if not ds.scales:
        st.info(t("item_analysis.error.no_scale"))
        return
    if "scale" not in entry:   # the first scale is the page's pick: no finding until the user picks or pins one
        state.by_default(entry, scale=(forms.candidates(ds, "scale") or list(ds.scales))[0])
    options = forms.form(spec, ds, entry)
    render.result(spec, runner.run("item_analysis", options), options, aid="item_analysis")


def reliability() -> None:
    spec = registry.get("reliability")
    entry = state.entry("reliability", "reliability")
    options = forms.form(spec, ds, entry)
    res = runner.run("reliability", options)
    if isinstance(res, UserError):
        render.error(res)
        return
    aid = pins.aid_for(spec, "reliability")
    st.subheader(t("reliability.table.alpha"))
    render.table(res.tables["alpha"], spec.table("alpha"), "reliability", key="tbl_reliability_alpha", aid=aid,
                 result=res)
    # the items with their flags in words (the interpretation reads the flag codes of the result itself)
    render.view_table(spec, "items_labelled", res, options, aid=aid)
    render.notes(res)
    for i, para in enumerate(runner.view(spec.interpret, "reliability", options, res)):
        pins.paragraph(para, aid, i)
    suspects = res.tables["items"]
    suspects = suspects[suspects["flag"] == "reverse"]
    for r in suspects.itertuples(index=False):
        sc = _scale_of(r.scale)
        if sc is None or r.item in (sc.get("reverse") or []):
            continue
        if st.button(render.label("measure.page.reverse_button", item=r.item, scale=r.scale),
                     key=f"rev.{r.scale}.{r.item}",
                     icon=":material/swap_vert:"):
            sc["reverse"] = list(sc.get("reverse") or []) + [r.item]
            st.rerun()


# ---- screening ------------------------------------------------------------------------------
def screening() -> None:
    spec = registry.get("screening")
    entry = state.entry("screening", "screening")
    with st.expander(t("measure.page.screening_options"), expanded=False):
        options = forms.form(spec, ds, entry)
    res = runner.run("screening", options)
    if isinstance(res, UserError):
        render.error(res)
        return
    render.result(spec, res, options, tables=["summary"], aid="screening")
    aid = pins.aid_for(spec, "screening")
    recipe = state.recipe()
    for check, table in (("straight_lining", "straight_lining"), ("missing", "missing"),
                         ("mahalanobis", "mahalanobis")):
        df = res.tables[table]
        if df.empty:
            continue
        st.subheader(t(f"screening.table.{table}"))
        render.table(df, spec.table(table), "screening", key=f"scr.tbl.{table}", aid=aid, result=res)
        if st.button(t("measure.page.exclude_button", n=len(df), reason=t(f"screening.reason.{check}")),
                     key=f"scr.excl.{check}", icon=":material/person_remove:"):
            recipe.setdefault("exclusions", []).append(exclusion_entry(df["row"], check, state.lang()))
            st.rerun()
    exclusions = recipe.get("exclusions") or []
    if exclusions:
        st.subheader(t("measure.page.exclusions"))
        st.dataframe(pd.DataFrame([{t("measure.page.reason"): e.get("reason", ""),
                                    t("measure.page.rows"): len(e.get("rows", []))} for e in exclusions]),
                     hide_index=True, width="stretch")
        if st.button(t("measure.page.restore_button"), key="scr.restore", icon=":material/undo:"):
            recipe["exclusions"] = []
            st.rerun()


# ---- EFA ---------------------------------------------------------------------------------------
def efa() -> None:
    spec = registry.get("efa")
    entry = state.entry("efa", "efa")
    lang = state.lang()
    c1, c2, c3 = st.columns(3)
    forms.form(spec, ds, entry, only=["items"])
    nf = entry.get("n_factors", "eigen")
    mode = nf if nf in ("eigen", "parallel") else "fixed"
    modes = ("eigen", "parallel", "fixed")
    mode = c1.selectbox(t("efa.opt.n_factors"), modes, index=modes.index(mode), key=f"efa.nf_mode.{lang}",
                        format_func=lambda c, lang=lang: i18n.t(f"efa.choice.n_factors.{c}", lang))
    if mode == "fixed":
        k = c1.number_input(t("measure.page.n_factors_fixed"), min_value=1, max_value=30,
                            value=int(nf) if isinstance(nf, int) else 2, step=1, key="efa.nf_value")
        entry["n_factors"] = int(k)
    else:
        entry["n_factors"] = mode
    forms.form(spec, ds, entry, only=["method"], container=c2)
    forms.form(spec, ds, entry, only=["rotation"], container=c3)
    with st.expander(t("measure.page.display_options")):
        forms.form(spec, ds, entry, only=["cutoff", "sort", "kaiser_oblimin", "n_iter", "seed"])
    options = forms.options(spec, entry)
    res = runner.run("efa", options)
    if isinstance(res, UserError):
        render.error(res)
        return
    kmo = res.tables["kmo"]["msa"].iloc[0]
    b = res.tables["bartlett"].iloc[0]
    h = res.tables["harman"]["first_factor_proportion"].iloc[0]
    m1, m2, m3 = st.columns(3)
    m1.metric("KMO", f"{kmo:.3f}")
    pv = fmt_p(b["p"])
    m2.metric(t("measure.page.bartlett"), f"χ²({int(b['df'])}) = {b['chi2']:.1f}",
              help=f"p {pv}" if pv.startswith("<") else f"p = {pv}")
    m3.metric(t("measure.page.harman"), f"{100 * h:.1f}%")
    render.view_table(spec, "loading_matrix", res, options, aid="efa")
    render.result(spec, res, options, tables=["variance", "harman", "factor_correlations", "bartlett", "kmo"],
                  aid="efa")


# ---- CFA ---------------------------------------------------------------------------------------
def _model_box(entry: dict, default: str, key: str, label: str) -> str:
    lang = state.lang()
    text = entry.get("model") or default
    value = st.text_area(label, value=text, height=160, key=f"{key}.{lang}.{hash(default) & 0xffff}",
                         help=t("measure.page.model_help"))
    entry["model"] = "" if value.strip() == default.strip() and key == "cfa.model" else value
    return value


def cfa() -> None:
    spec = registry.get("cfa")
    entry = state.entry("cfa", "cfa")
    default = default_model_text(ds)
    _model_box(entry, default, "cfa.model", t("cfa.opt.model"))
    c1, c2 = st.columns(2)
    forms.form(spec, ds, entry, only=["group"], container=c1)
    forms.form(spec, ds, entry, only=["compare_one_factor", "competing", "method_factor"], container=c2)
    options = forms.options(spec, entry)
    if not (options.get("model") or "").strip() and not default:
        st.info(t("cfa.error.no_factors"))
        return
    res = runner.run("cfa", options)
    if isinstance(res, UserError):
        render.error(res)
        return
    render.result(spec, res, options, aid="cfa",
                  tables=["fit", "loadings", "validity", "htmt", "factor_correlations", "model_comparison",
                          "method_factor", "invariance"])
    render.view_table(spec, "fornell_larcker_matrix", res, options, aid="cfa")
    with st.expander(t("cfa.table.estimates")):
        render.table(res.tables["estimates"], spec.table("estimates"), "cfa", key="cfa.est",
                     aid=pins.aid_for(spec, "cfa"), result=res)


# ---- SEM ---------------------------------------------------------------------------------------
def default_sem() -> str:
    roles = state.recipe().get("roles") or {}
    x, m, y = (roles.get(k) for k in ("x", "m", "y"))
    if all(isinstance(v, str) and v in ds.scales for v in (x, m, y)):
        return f"{m} ~ {x}\n{y} ~ {m} + {x}"
    leaves = efa_mod.leaf_scales(ds)
    stress = [s for s in roles.get("stressors") or [] if s in ds.scales]
    out = roles.get("outcome")
    if stress and isinstance(out, str) and out in ds.scales:
        return f"{out} ~ " + " + ".join(stress)
    if len(leaves) >= 3:
        return f"{leaves[1]} ~ {leaves[0]}\n{leaves[2]} ~ {leaves[1]}"
    return ""


def _path_dot(res, ds, lang: str, show_items: bool, show_cov: bool) -> str:
    return mch.path_dot(res.tables["estimates"], res.meta.get("latent", []), res.meta.get("observed", []), lang,
                        show_items=show_items, r2=res.tables["r2"], show_cov=show_cov)


def sem() -> None:
    spec = registry.get("sem")
    entry = state.entry("sem", "sem")
    default = default_sem()
    if not entry.get("model"):
        state.by_default(entry, model=default)   # no finding until the user edits or pins it
    _model_box(entry, entry["model"], "sem.model", t("sem.opt.model"))
    st.caption(render.md_escape(t("measure.page.sem_help")))
    options = forms.options(spec, entry)
    if not (options.get("model") or "").strip():
        st.info(t("sem.error.no_model"))
        return
    res = runner.run("sem", options)
    if isinstance(res, UserError):
        render.error(res)
        return
    est = res.tables["estimates"]
    n_cov = int(((est["op"] == "~~") & (est["lhs"] != est["rhs"]) & est["lhs"].isin(res.meta.get("latent", []))).sum())
    c1, c2 = st.columns(2)
    show_items = c1.toggle(t("measure.page.show_items"), value=len(res.meta.get("observed", [])) <= 30,
                           key="sem.items")
    show_cov = c2.toggle(t("measure.page.show_cov"), value=n_cov <= 3, key="sem.cov")
    dot = runner.view(_path_dot, "sem", options, res, show_items=bool(show_items), show_cov=bool(show_cov))
    st.graphviz_chart(dot, width="stretch")
    render.result(spec, res, options, aid="sem", tables=["fit", "paths", "r2", "loadings"])


if ds is not None:
    tabs = st.tabs([t(f"measure.section.{c}") for c in SECTIONS])
    for tab, draw in zip(tabs, (reliability, item_analysis, screening, efa, cfa, sem)):
        with tab:
            draw()
