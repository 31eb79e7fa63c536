"""Correlation and regression page: the thesis-style correlation table and
heat map; hierarchical regression in blocks with categorical predictors,
HC3 and standardised options; diagnostics; a what-if simulator (an
st.fragment: moving a slider re-runs only the simulator, and predictions come
from the stored fit — nothing is refitted); a levers ranking.

All numbers come from core (recipe types "correlation" and "regression");
this page collects choices into the recipe and renders.  Everything made
from a result (the thesis table, paragraphs, charts) comes through
runner.view / runner.charts, cached with the result; every table, chart and
paragraph can be pinned into the report.
"""
from __future__ import annotations

import hashlib
import json

import streamlit as st

from core import registry
from core.analyses.regression import whatif as wi
from core.analyses.regression import charts as rch
from core.analyses.logistic.compute import predict_probability
from core.data.model import json_code
from core.errors import UserError
from core.format import code_key, fmt_num
from pages._ui import forms, pins, render, runner, state

t = state.t
S = st.session_state
CSPEC = registry.get("correlation")
RSPEC = registry.get("regression")
CAID, RAID = "correlation", "regression"
MAX_SCENARIOS = 4

st.title(t("regression.page.title"))
ds = state.dataset()


def predictor_candidates(outcome: str | None) -> list[str]:
    out = []
    for role in ("scale", "categorical", "numeric"):
        out += [v for v in forms.candidates(ds, role) if v not in out]
    return [v for v in out if v != outcome]


# ---- correlation ---------------------------------------------------------------------------
def correlation_section() -> None:
    st.header(t("regression.page.correlation"))
    entry = state.entry(CAID, "correlation")
    cols = st.columns([3, 1, 1])
    forms.widget(CSPEC, CSPEC.option("variables"), ds, entry, f"opt.{CAID}", cols[0])
    forms.widget(CSPEC, CSPEC.option("method"), ds, entry, f"opt.{CAID}", cols[1])
    forms.widget(CSPEC, CSPEC.option("missing"), ds, entry, f"opt.{CAID}", cols[2])
    opts = forms.options(CSPEC, entry)
    if len(opts["variables"] or []) < 2:
        st.info(t("correlation.error.too_few_variables"))
        return
    res = runner.run("correlation", opts)
    if isinstance(res, UserError):
        render.error(res)
        return
    aid = pins.aid_for(CSPEC, CAID)
    render.view_table(CSPEC, "triangle", res, opts, aid=CAID, key="cor_tri")
    for name, chart in runner.charts("correlation", opts, res):
        render.chart(chart, key=f"chart_correlation_{name}", width="content", analysis=CSPEC, aid=aid, name=name)
    with st.expander(t("regression.page.long_table")):
        for table in ("matrix", "descriptives"):
            render.table(res.tables[table], CSPEC.table(table), "correlation", key=f"tbl_correlation_{table}",
                         aid=aid, result=res)
    render.notes(res)
    for i, para in enumerate(runner.view(CSPEC.interpret, "correlation", opts, res)):
        pins.paragraph(para, aid, i)


# ---- regression: choices -------------------------------------------------------------------
def model_form(entry: dict, spec=RSPEC) -> dict:
    """Outcome, blocks and categorical predictors of a block model (regression or logistic)."""
    prefix = f"opt.{entry['id']}"
    forms.widget(spec, spec.option("outcome"), ds, entry, prefix)
    outcome = entry.get("outcome")
    if spec.type == "logistic" and outcome:
        codes, labels = ds.levels(outcome)
        codes = [json_code(c) for c in codes]
        ekey = f"{prefix}.event"
        if ekey not in S or S[ekey] not in codes:
            S[ekey] = entry.get("event") if entry.get("event") in codes else (codes[-1] if codes else None)
        lab = dict(zip(codes, labels))
        entry["event"] = st.selectbox(t("logistic.opt.event"), codes, key=ekey,
                                      format_func=lambda c: lab.get(c, str(c)))
    cands = predictor_candidates(outcome)
    blocks = [list(b) for b in entry.get("blocks") or []]
    nkey = f"{prefix}.n_blocks"
    if nkey not in S:
        S[nkey] = max(1, len(blocks))
    n = int(st.number_input(t("regression.page.n_blocks"), min_value=1, max_value=5, step=1, key=nkey,
                            help=t("regression.page.blocks_help")))
    chosen = []
    cols = st.columns(min(n, 3))
    for i in range(n):
        key = f"{prefix}.block{i}"
        if key not in S:
            S[key] = [v for v in (blocks[i] if i < len(blocks) else []) if v in cands]
        chosen.append(list(cols[i % len(cols)].multiselect(t("regression.page.block", i=i + 1), cands, key=key,
                                                           format_func=forms.var_label(ds),
                                                           placeholder=t("forms.choose"))))
    entry["blocks"] = [b for b in chosen if b]
    predictors = [v for b in entry["blocks"] for v in b]

    # categorical predictors and their reference levels (stored as codes)
    cat = dict(entry.get("categorical") or {})
    ckey = f"{prefix}.categorical"
    forced = [v for v in predictors if not ds.is_numeric(v)]
    if ckey not in S:
        S[ckey] = [v for v in predictors if v in cat or v in forced]
    S[ckey] = [v for v in S[ckey] if v in predictors]
    picked = st.multiselect(t("regression.page.categorical"), predictors, key=ckey, format_func=forms.var_label(ds),
                            placeholder=t("forms.choose"))
    new_cat = {}
    if picked:
        rcols = st.columns(min(len(picked), 4))
        for i, v in enumerate(picked):
            codes, labels = ds.levels(v)
            codes = [json_code(c) for c in codes]
            if not codes:
                continue
            rkey = f"{prefix}.ref.{v}"
            if rkey not in S or S[rkey] not in codes:
                want = cat.get(v)
                try:
                    S[rkey] = json_code(ds.resolve_level(v, want)) if want is not None else codes[0]
                except UserError:
                    S[rkey] = codes[0]
                if S[rkey] not in codes:
                    S[rkey] = codes[0]
            lab = dict(zip(codes, labels))
            new_cat[v] = rcols[i % len(rcols)].selectbox(render.label("regression.page.reference", name=ds.label(v)),
                                                        codes,
                                                        key=rkey, format_func=lambda c, lab=lab: lab.get(c, str(c)))
    entry["categorical"] = new_cat
    if spec.type == "logistic":
        return forms.options(spec, entry)

    c1, c2 = st.columns(2)
    rk, sk = f"{prefix}.robust", f"{prefix}.standardized"
    if rk not in S:
        S[rk] = entry.get("robust") == "HC3"
    if sk not in S:
        S[sk] = bool(entry.get("standardized"))
    entry["robust"] = "HC3" if c1.toggle(t("regression.page.robust"), key=rk) else None
    entry["standardized"] = bool(c2.toggle(t("regression.page.standardized"), key=sk))
    entry.setdefault("scenarios", [])
    return forms.options(RSPEC, entry)


# ---- regression: results -------------------------------------------------------------------
def results(res, opts: dict) -> dict:
    """Tables, paragraphs and diagnostic plots; returns the analysis' chart
    specs by name (the simulator and levers use them too)."""
    aid = pins.aid_for(RSPEC, RAID)
    for table in ("steps", "coefficients"):
        st.subheader(t(f"regression.table.{table}"))
        render.table(res.tables[table], RSPEC.table(table), "regression", key=f"tbl_regression_{table}", aid=aid,
                     result=res)
    render.notes(res)
    st.subheader(t("regression.page.interpretation"))
    for i, para in enumerate(runner.view(RSPEC.interpret, "regression", opts, res)):
        pins.paragraph(para, aid, i)
    st.subheader(t("regression.page.plots"))
    charts = dict(runner.charts("regression", opts, res))
    if "forest" in charts:
        render.chart(charts["forest"], key="chart_regression_forest", analysis=RSPEC, aid=aid, name="forest")
    left, right = st.columns(2)
    for col, name in ((left, "resid_fitted"), (right, "qq")):
        if name in charts:
            with col:
                render.chart(charts[name], key=f"chart_regression_{name}", analysis=RSPEC, aid=aid, name=name)
    return charts


def _signature(model: wi.WhatIf) -> str:
    text = json.dumps([model.outcome, model.terms, model.coef, model.n, model.robust], default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _step(lo: float, hi: float) -> float:
    span = hi - lo
    for step in (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 50.0, 100.0):
        if span / step <= 200:
            return step
    return span / 100.0


def _reset(model: wi.WhatIf, sig: str) -> None:
    for p in model.predictors:
        S[f"wi.{sig}.{p['name']}"] = float(p["mean"]) if p["kind"] == "numeric" else None


def _control(p: dict, sig: str, container):
    key = f"wi.{sig}.{p['name']}"
    label = render.md_escape(ds.label(p["name"]))   # a label is Markdown: the name as plain text
    if p["kind"] == "numeric":
        lo, hi = float(p["min"]), float(p["max"])
        if key not in S:
            S[key] = float(p["mean"])
        v = container.slider(label, min_value=lo, max_value=hi, step=_step(lo, hi), key=key, format="%.2f")
        return None if abs(v - p["mean"]) < 1e-12 else float(v)
    options = [None] + list(range(len(p["codes"])))
    if key not in S:
        S[key] = None
    shown = [t("regression.page.mix")] + [ds.level_label(p["name"], c) for c in p["codes"]]
    i = container.selectbox(label, options, key=key, format_func=lambda i: shown[0] if i is None else shown[i + 1])
    return None if i is None else p["codes"][i]


def _valid(model: wi.WhatIf, scenarios: list) -> list:
    """Saved scenarios restricted to the model's predictors (blocks may have changed)."""
    known = {p["name"] for p in model.predictors}
    out = []
    for s in scenarios or []:
        values = {k: v for k, v in (s.get("values") or {}).items() if k in known}
        out.append({"name": s["name"], "values": values})
    return out


def _current(model: wi.WhatIf, sig: str) -> dict:
    """The simulator's settings (from the widgets' session state): only what
    differs from the baseline."""
    values = {}
    for p in model.predictors:
        v = S.get(f"wi.{sig}.{p['name']}")
        if v is None:
            continue
        if p["kind"] == "numeric":
            if abs(float(v) - p["mean"]) > 1e-12:
                values[p["name"]] = float(v)
        else:
            values[p["name"]] = p["codes"][v]
    return values


def _value_text(model: wi.WhatIf, name: str, v) -> str:
    p = model.predictor(name)
    if p["kind"] == "numeric":
        return fmt_num(v, 2)
    return ds.level_label(name, v)


def _save(model: wi.WhatIf, sig: str) -> None:
    entry = state.entry(RAID, "regression")
    saved = _valid(model, entry.get("scenarios"))
    if len(saved) >= MAX_SCENARIOS:
        return
    name = (S.get(f"wi.{sig}.name") or "").strip() or t("regression.page.default_scenario", i=len(saved) + 1)
    if name == "baseline" or any(x["name"] == name for x in saved):
        S[f"wi.{sig}.exists"] = True
        return
    entry["scenarios"] = saved + [{"name": name, "values": _current(model, sig)}]
    S[f"wi.{sig}.name"] = ""


def _delete(model: wi.WhatIf, i: int) -> None:
    entry = state.entry(RAID, "regression")
    entry["scenarios"] = [x for j, x in enumerate(_valid(model, entry.get("scenarios"))) if j != i]


@st.fragment
def whatif(model: wi.WhatIf, sig: str, focus: list[str], template: dict | None) -> None:
    """One slider per predictor; prediction + CI + PI; saved scenarios side by
    side.  Runs alone on every slider move: a dot product, a quadratic form
    and the analysis' scenario chart with the current rows swapped in (no
    refit, no chart rebuilt).  ``model`` comes from the last full run, so its
    arrays are made once per fit, not once per move."""
    entry = state.entry(RAID, "regression")
    aid = pins.aid_for(RSPEC, RAID)
    y_label = ds.label(model.outcome)
    st.caption(render.md_escape(t("regression.page.whatif_help", outcome=y_label)))
    main = [p for p in model.predictors if p["name"] in focus] or list(model.predictors)
    other = [p for p in model.predictors if p not in main]
    values = {}
    cols = st.columns(2)
    for i, p in enumerate(main):
        values[p["name"]] = _control(p, sig, cols[i % 2])
    if other:
        with st.expander(t("regression.page.controls")):
            ocols = st.columns(2)
            for i, p in enumerate(other):
                values[p["name"]] = _control(p, sig, ocols[i % 2])
    values = {k: v for k, v in values.items() if v is not None}
    st.button(t("regression.page.reset"), on_click=_reset, args=(model, sig), key=f"wi.{sig}.reset",
              icon=":material/restart_alt:", type="tertiary")

    pred = wi.predict(model, values)
    base = wi.predict(model, {})
    m1, m2, m3 = st.columns(3)
    m1.metric(render.label("regression.page.prediction", outcome=y_label), fmt_num(pred["prediction"], 2),
              delta=f"{fmt_num(pred['prediction'] - base['prediction'], 2)} {t('regression.page.versus_baseline')}",
              delta_color="off")
    m2.metric(t("regression.page.ci"), f"{fmt_num(pred['ci_low'], 2)} – {fmt_num(pred['ci_high'], 2)}")
    m3.metric(t("regression.page.pi"), f"{fmt_num(pred['pi_low'], 2)} – {fmt_num(pred['pi_high'], 2)}")

    saved = _valid(model, entry.get("scenarios"))
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    c1.text_input(t("regression.page.scenario_name"), key=f"wi.{sig}.name",
                  placeholder=t("regression.page.default_scenario", i=len(saved) + 1))
    c2.button(t("regression.page.save_scenario"), disabled=len(saved) >= MAX_SCENARIOS, key=f"wi.{sig}.save",
              icon=":material/bookmark_add:", on_click=_save, args=(model, sig))
    if S.pop(f"wi.{sig}.exists", False):
        st.warning(t("regression.page.scenario_exists"))
    if len(saved) >= MAX_SCENARIOS:
        st.caption(t("regression.page.scenario_limit"))
    for i, s in enumerate(saved):
        row = st.container(horizontal=True, gap="small", vertical_alignment="center")
        desc = ", ".join(f"{ds.label(k)} = {_value_text(model, k, v)}" for k, v in s["values"].items())
        row.markdown(f"**{render.md_escape(s['name'])}** — {render.md_escape(desc or t('regression.page.mix'))}")
        row.button(t("regression.page.delete"), key=f"wi.{sig}.del.{i}", icon=":material/delete:", type="tertiary",
                   on_click=_delete, args=(model, i))

    current = t("regression.page.current")
    while any(s["name"] == current for s in saved):
        current += "*"
    scen = wi.scenario_table(model, saved + [{"name": current, "values": values}])
    if template is not None:
        # the pin is the analysis' scenario chart/table: baseline and the saved scenarios
        render.chart(rch.with_data(template, rch.scenario_names(scen, state.lang())), key=f"wi_chart_{sig}", analysis=RSPEC, aid=aid,
                     name="scenarios")
    render.table(scen, RSPEC.table("scenarios"), "regression", key=f"wi_table_{sig}", aid=aid)
    st.caption(t("regression.page.scenario_pin"))


def _lever_chart(res, ds_, lang: str, chosen: list, change: str) -> dict:
    lev = res.tables["levers"]
    lev = lev[lev["predictor"].isin(chosen)]
    model = wi.as_model(res)
    labels = {p["name"]: ds_.label(p["name"]) for p in model.predictors}
    return rch.lever_bars(lev, labels, change, ds_.label(model.outcome), lang)


def levers_section(res, opts: dict, model: wi.WhatIf, sig: str, focus: list[str]) -> None:
    aid = pins.aid_for(RSPEC, RAID)
    y_label = ds.label(model.outcome)
    st.subheader(t("regression.page.levers"))
    st.caption(render.md_escape(t("regression.page.levers_help", outcome=y_label)))
    numeric = [p["name"] for p in model.predictors if p["kind"] == "numeric"]
    if not numeric:
        return
    mkey = f"lev.{sig}.modifiable"
    if mkey not in S:
        S[mkey] = [v for v in focus if v in numeric] or numeric
    c1, c2 = st.columns([3, 1])
    chosen = c1.multiselect(t("regression.page.modifiable"), numeric, key=mkey, format_func=forms.var_label(ds),
                            placeholder=t("forms.choose"))
    names = {c: t(f"regression.change.{code_key(c)}") for c in ("1 SD", "1 point")}
    change = c2.radio(t("regression.page.lever_change"), ["1 SD", "1 point"], key="lev.change", horizontal=True,
                      format_func=names.get)
    lev = res.tables["levers"]
    lev = lev[lev["predictor"].isin(chosen)]
    if lev.empty:
        return
    chart = runner.view(_lever_chart, "regression", opts, res, chosen=list(chosen), change=change)
    # the pins are the analysis' levers chart (+1 SD) and table (both changes) of every numeric predictor
    render.chart(chart, key=f"lev_chart_{sig}", analysis=RSPEC, aid=aid, name="levers")
    show = lev[lev["change"] == change].copy()
    show["change"] = show["change"].map(names.get)
    render.table(show, RSPEC.table("levers"), "regression", key=f"lev_table_{sig}", aid=aid)
    st.caption(t("regression.page.levers_pin"))


# ---- binary logistic regression --------------------------------------------------------------
def logistic_section() -> None:
    lspec = registry.get("logistic")
    st.header(t("logistic.title"))
    entry = state.entry("logistic", "logistic")
    opts = model_form(entry, lspec)
    if not opts.get("outcome") or not any(opts.get("blocks") or []):
        state.forget(entry)
        st.info(t("logistic.error.nothing_chosen"))
        return
    res = runner.run("logistic", opts)
    render.result(lspec, res, opts, aid="logistic")
    if not isinstance(res, UserError):
        probability_whatif(wi.as_model(res), ds.level_label(res.meta["outcome"], res.meta["event"]))


@st.fragment
def probability_whatif(model: wi.WhatIf, event: str) -> None:
    """The logistic what-if: one control per predictor (others at their means), the predicted
    probability of the event with its 95% CI — no refit."""
    st.subheader(t("logistic.page.whatif"))
    sig = "lg" + _signature(model)
    values, cols = {}, st.columns(2)
    for i, p in enumerate(model.predictors):
        values[p["name"]] = _control(p, sig, cols[i % 2])
    pred = predict_probability(model, {k: v for k, v in values.items() if v is not None})
    base = predict_probability(model, {})
    m1, m2 = st.columns(2)
    m1.metric(t("logistic.page.probability", event=event), fmt_num(pred["probability"], 3),
              delta=f"{fmt_num(pred['probability'] - base['probability'], 3)} {t('regression.page.versus_baseline')}",
              delta_color="off")
    m2.metric(t("regression.page.ci"), f"{fmt_num(pred['ci_low'], 3)} – {fmt_num(pred['ci_high'], 3)}")


# ---- the page -----------------------------------------------------------------------------
if ds is not None:
    entry = state.entry(RAID, "regression")
    correlation_section()

    st.header(t("regression.page.regression"))
    opts = model_form(entry)
    if not opts.get("outcome") or not opts.get("blocks"):
        st.info(t("regression.page.need_model"))
    else:
        run_opts = dict(opts, scenarios=[])   # scenarios are drawn by the simulator, not refitted
        res = runner.run("regression", run_opts)
        if isinstance(res, UserError):
            render.error(res)
        else:
            charts = results(res, run_opts)
            model = wi.as_model(res)
            # saved scenarios follow the model (a predictor taken out of the blocks leaves them), so the
            # report's run of this entry never meets a scenario about a predictor it no longer has
            if entry.get("scenarios"):
                entry["scenarios"] = _valid(model, entry["scenarios"])
            sig = _signature(model)
            focus = list(opts["blocks"][-1])
            st.header(t("regression.page.whatif"))
            whatif(model, sig, focus, charts.get("scenarios"))
            levers_section(res, run_opts, model, sig, focus)
    logistic_section()
