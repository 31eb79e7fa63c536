"""Mediation and moderation (PROCESS): pick a model by number or by
describing the design, choose variables and options, see the conceptual
diagram, the results, plots, the path diagram and a plain-language reading.
All numbers come from core (recipe type "process"); this page only collects
choices (stored in the recipe entry) and renders."""
from __future__ import annotations

import streamlit as st

from core import i18n, registry
from core.analyses.process import charts as pch
from core import format as fmt
from core.errors import UserError
from core.analyses.process.spec import MODEL_NUMBERS, match_design, template
from pages._ui import forms, pins, render, runner, state

t = state.t
S = st.session_state
spec = registry.get("process")
AID = "process"

st.title(t("process.title"))
st.caption(t("process.page.intro"))
ds = state.dataset()


def _fmt(prefix: str, replace: tuple = ("", "")):
    """format_func for code widgets, bound to the current language (AppTest and
    reruns call it outside the script run)."""
    lang = state.lang()
    return lambda c: i18n.t(f"{prefix}{str(c).replace(*replace) if replace[0] else c}", lang)


def _role_default(role: str):
    roles = state.recipe().get("roles") or {}
    v = roles.get(role)
    if isinstance(v, str) and ds.has(v):
        return v
    cands = forms.candidates(ds, "numeric")
    return cands[min(3 if role == "z" else 2, len(cands) - 1)] if cands else None


def model_picker(entry: dict) -> int:
    how = st.radio(t("process.page.pick_how"), ["number", "design"], horizontal=True, key="process_pick_how",
                   format_func=_fmt("process.page.pick_"))
    if how == "number":
        current = int(entry.get("model") or 4)
        S.setdefault("process_model", current if current in MODEL_NUMBERS else 4)
        num = st.selectbox(t("process.opt.model"), list(MODEL_NUMBERS), key="process_model",
                           format_func=_fmt("process.model."))
        entry["model"] = int(num)
        return int(num)
    c1, c2 = st.columns(2)
    med = c1.radio(t("process.page.mediators"), ["none", "parallel", "serial"], key="process_design_med",
                   format_func=_fmt("process.page.med_"))
    mods: dict = {}
    if med == "none":
        kind = c2.radio(t("process.page.moderation"), ["w", "wz", "w*z"], key="process_design_mod",
                        format_func=_fmt("process.page.mod_", ("*", "x")))
        mods["c"] = {"w": "W", "wz": ["W", "Z"], "w*z": "W*Z"}[kind]
    else:
        for path in ("a", "b", "c"):
            if c2.checkbox(t(f"process.page.w_on_{path}"), key=f"process_design_{path}"):
                mods[path] = "W"
    num = match_design(med, mods)
    if num is None:
        st.warning(t("process.page.no_template"))
        return int(entry.get("model") or 4)
    st.success(t("process.page.matches", model=num))
    entry["model"] = num
    S["process_model"] = num
    return num


def variables(entry: dict, num: int) -> None:
    tpl = template(num)
    prefix = f"opt.{entry['id']}"
    c1, c2, c3 = st.columns(3)
    forms.widget(spec, spec.option("x"), ds, entry, prefix, c1)
    forms.widget(spec, spec.option("y"), ds, entry, prefix, c1)
    # a role the model does not use is cleared from the recipe entry (so the recipe stays valid) but kept
    # in the session, and comes back when a model that uses it is chosen again
    if tpl.mediators != "none":
        if not entry.get("m") and S.get("process_last_m"):
            entry["m"] = S["process_last_m"]
        forms.widget(spec, spec.option("m"), ds, entry, prefix, c2)
        S["process_last_m"] = entry.get("m")
        c2.caption(t("process.page.m_hint", min=tpl.min_m, max=tpl.max_m) +
                   (" " + t("process.page.serial_order") if tpl.mediators == "serial" else ""))
    else:
        entry["m"] = []
    for role in ("w", "z"):
        if role.upper() in tpl.moderators:
            if not entry.get(role):
                entry[role] = S.get(f"process_last_{role}") or _role_default(role)
            forms.widget(spec, spec.option(role), ds, entry, prefix, c2)
            S[f"process_last_{role}"] = entry.get(role)
        else:
            entry[role] = None
    forms.widget(spec, spec.option("covariates"), ds, entry, prefix, c3)
    if entry.get("covariates"):
        forms.widget(spec, spec.option("covariates_in"), ds, entry, prefix, c3)
    # multicategorical X / W with a reference level
    cats = {}
    for role in tpl.categorical:
        var = entry.get(role.lower())
        if not var or not ds.has(var):
            continue
        codes, labels = ds.levels(var)
        if not (2 <= len(codes) <= 10):
            continue
        key = f"process_cat_{role}"
        on = c3.checkbox(t("process.page.multicategorical", name=var), key=key,
                         value=var in (entry.get("categorical") or {}))
        if on:
            old = (entry.get("categorical") or {}).get(var)
            idx = next((i for i, c in enumerate(codes) if str(c) == str(old) or labels[i] == old), 0)
            ref = c3.selectbox(t("process.page.reference", name=var), list(range(len(codes))), index=idx,
                               key=f"{key}_ref_{var}", format_func=lambda i: labels[i])
            code = codes[ref]
            cats[var] = code.item() if hasattr(code, "item") else code
    entry["categorical"] = cats


def _hc_label():
    lang = state.lang()
    return lambda c: i18n.t(f"process.choice.hc.{c or 'none'}", lang)


def options(entry: dict) -> None:
    prefix = f"opt.{entry['id']}"
    with st.expander(t("process.page.options"), expanded=False):
        c1, c2, c3 = st.columns(3)
        for name in ("n_boot", "seed", "conf"):
            forms.widget(spec, spec.option(name), ds, entry, prefix, c1)
        for name in ("ci_type", "conditioning", "center"):
            forms.widget(spec, spec.option(name), ds, entry, prefix, c2)
        hc_opts = [None, "HC0", "HC1", "HC2", "HC3", "HC4"]
        S.setdefault(f"{prefix}.hc", entry.get("hc") if entry.get("hc") in hc_opts else None)
        entry["hc"] = c3.selectbox(t("process.opt.hc"), hc_opts, key=f"{prefix}.hc",
                                   format_func=_hc_label())
        for name in ("jn", "standardized"):
            forms.widget(spec, spec.option(name), ds, entry, prefix, c3)


def _table(res, name: str) -> None:
    df = res.tables.get(name) if name else None
    if df is None or df.empty:
        return
    if "std_b" in df.columns and df["std_b"].isna().all():   # standardized coefficients only when asked
        df = df.drop(columns="std_b")
    st.markdown("**" + render.md_escape(t(f"process.table.{name}")) + "**")
    render.table(df, spec.table(name), spec.type, key=f"tbl_process_{name}")
    pins.table_tools(spec, res, pins.aid_for(spec, AID), name)


def results(res, opts: dict) -> None:
    lang = state.lang()
    aid = pins.aid_for(spec, AID)
    st.info(t("process.page.seed_line", seed=res.meta.get("seed"), n_boot=res.meta.get("n_boot"),
              n=res.n_used))
    paras = spec.interpret(res, ds, lang) if spec.interpret else []
    if paras:
        st.subheader(t("process.page.reading"))
        for i, p in enumerate(paras):
            pins.paragraph(p, aid, i)
    tabs = st.tabs([t("process.page.tab_effects"), t("process.page.tab_models"), t("process.page.tab_moderation"),
                    t("process.page.tab_plots"), t("process.page.tab_diagram")])
    with tabs[0]:
        for name in ("verdicts", "effects", "index_moderated_mediation", "contrasts", "sobel", "standardized",
                     "omnibus" if res.tables["omnibus"]["kind"].isin(["total", "direct"]).any() else ""):
            _table(res, name)
        if res.tables["effects"].empty:
            st.caption(t("process.page.no_mediation"))
    with tabs[1]:
        for name in ("models", "coefficients"):
            _table(res, name)
        st.caption(t("process.page.constant_note"))
    with tabs[2]:
        mod_omnibus = "omnibus" if (res.tables["omnibus"]["kind"] == "conditional_means").any() else ""
        for name in ("interaction_tests", "conditional_interactions", mod_omnibus, "conditional_effects",
                     "johnson_neyman", "jn_table"):
            _table(res, name)
        if res.tables["interaction_tests"].empty:
            st.caption(t("process.page.no_moderation"))
    with tabs[3]:
        charts = runner.charts("process", opts, res)
        if not charts:
            st.caption(t("process.page.no_plots"))
        for name, chart in charts:
            st.vega_lite_chart(chart, width="stretch", key=f"chart_process_{name}")
            pins.chart_tools(spec, aid, name, chart)
    with tabs[4]:
        st.graphviz_chart(pch.path_diagram_dot(res, ds, lang), width="stretch")
        st.caption(t("process.page.path_note"))
    render.notes(res)


def causal_steps(entry: dict) -> None:
    """Baron–Kenny's causal steps beside PROCESS, started from its X, first M, Y and covariates."""
    mspec = registry.get("mediation_steps")
    with st.expander(t("mediation_steps.title")):
        ment = state.entry("mediation_steps", "mediation_steps")
        for k, v in (("x", entry.get("x")), ("m", (entry.get("m") or [None])[0]), ("y", entry.get("y")),
                     ("covariates", list(entry.get("covariates") or []))):
            ment.setdefault(k, v)
        options = forms.form(mspec, ds, ment)
        if options.get("x") and options.get("m") and options.get("y"):
            render.result(mspec, runner.run("mediation_steps", options), options, aid="mediation_steps")
        else:
            st.info(t("mediation_steps.error.nothing_chosen"))


def _row_keys(tspec) -> list[str]:
    return [c.name for c in tspec.columns if c.kind in ("text", "var", "int")]


def hypothesis_summary() -> None:
    """State hypotheses, point each at the result row that tests it, and get the summary table."""
    hspec = registry.get("hypotheses")
    with st.expander(t("hypotheses.title")):
        hent = state.entry("hypotheses", "hypotheses")
        hyps = list(hent.get("hypotheses") or [])
        for i, h in enumerate(hyps):
            row = st.container(horizontal=True, vertical_alignment="center")
            row.markdown(f"**{render.md_escape(h['label'])}** {render.md_escape(h.get('text') or '')}")
            if row.button(t("hypotheses.page.delete"), key=f"hyp.del.{i}", icon=":material/delete:", type="tertiary"):
                hent["hypotheses"] = hyps[:i] + hyps[i + 1:]
                st.rerun()
        others = {a["id"]: a for a in state.recipe()["analyses"] if a.get("type") != "hypotheses"}
        c1, c2 = st.columns([1, 4])
        label = c1.text_input(t("hypotheses.col.hypothesis"), value=f"H{len(hyps) + 1}", key="hyp.label")
        statement = c2.text_input(t("hypotheses.col.text"), key="hyp.text")
        c3, c4 = st.columns(2)
        sid = c3.selectbox(t("hypotheses.page.analysis"), list(others), key="hyp.src",
                           format_func=lambda a, lang=state.lang(): f"{a} · {i18n.t(others[a]['type'] + '.title', lang)}")
        src = others.get(sid)
        if src is not None:
            aspec = registry.get(src["type"])
            tname = c4.selectbox(t("hypotheses.page.table"), [tb.name for tb in aspec.tables], key="hyp.table",
                                 format_func=lambda n, lang=state.lang(): i18n.t(f"{aspec.type}.table.{n}", lang))
            ares = runner.run(src["type"], forms.options(aspec, src))
            df = None if isinstance(ares, UserError) else ares.tables.get(tname)
            if df is None or df.empty:
                st.info(t("hypotheses.page.no_rows"))
            else:
                keys = [k for k in _row_keys(aspec.table(tname)) if k in df]
                rows = df[keys].to_dict("records")
                # the rows as the reader knows them: level codes as their labels
                shown = fmt.level_labels(df[keys], aspec.table(tname).columns, ds).to_dict("records")
                c5, c6 = st.columns([3, 1])
                i = c5.selectbox(t("hypotheses.page.row"), range(len(rows)), key="hyp.row",
                                 format_func=lambda j: " · ".join(str(v) for v in shown[j].values()))
                expected = c6.selectbox(t("hypotheses.col.expected"), ("positive", "negative", "any"), key="hyp.exp",
                                        format_func=lambda e, lang=state.lang(): i18n.t(f"hypotheses.expected.{e}", lang))
                if st.button(t("hypotheses.page.add"), key="hyp.add", icon=":material/add:"):
                    row = {k: (v.item() if hasattr(v, "item") else v) for k, v in rows[i].items()
                           if not fmt.is_missing(v) and v != ""}
                    hent["hypotheses"] = hyps + [{"label": label, "text": statement, "type": src["type"],
                                                  "options": forms.options(aspec, src), "table": tname,
                                                  "row": row, "expected": expected}]
                    st.rerun()
        opts = forms.options(hspec, hent)
        if opts.get("hypotheses"):
            render.result(hspec, runner.run("hypotheses", opts), opts, aid="hypotheses")
        else:
            state.forget(hent)


if ds is not None:
    entry = state.entry(AID, "process")
    st.subheader(t("process.page.step_model"))
    num = model_picker(entry)
    st.subheader(t("process.page.step_variables"))
    variables(entry, num)
    options(entry)
    tpl = template(num)
    names = {"X": entry.get("x"), "Y": entry.get("y"), "W": entry.get("w"), "Z": entry.get("z")}
    for i, m in enumerate(entry.get("m") or []):
        names[f"M{i + 1}"] = m
    n_m = len(entry.get("m") or []) or None
    with st.expander(t("process.page.conceptual", model=num), expanded=True):
        st.graphviz_chart(pch.conceptual_dot(num, n_m, {k: v for k, v in names.items() if v}, state.lang()))
    opts = forms.options(spec, entry)
    res = runner.run("process", opts)
    if isinstance(res, UserError):
        render.error(res)
    else:
        results(res, opts)
    causal_steps(entry)
    hypothesis_summary()
