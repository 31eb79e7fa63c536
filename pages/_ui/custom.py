"""Custom sections: the parts of analysis pages no option kind or table
describes, registered by the name a layout gives them (``Section(custom=…)``)
and drawn by the generic page (pages/_ui/page.py) with its :class:`Ctx`.

Numbers still come from core (the what-if predictions from the stored fit,
the merge suggestions, the model templates); these functions only lay out
widgets and draw."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st

from core import i18n, registry
from core import format as fmt
from core.analyses.difference.compute import suggest_merges
from core.analyses.logistic.compute import predict_probability
from core.analyses.measurement.views import exclusion_entry
from core.analyses.process import charts as pch
from core.analyses.process.spec import MODEL_NUMBERS, match_design, template
from core.analyses.regression import charts as rch
from core.analyses.regression import whatif as wi
from core.data.model import Dataset
from core.errors import UserError
from core.types import AnalysisSpec, Result
from core.format import code_key, fmt_num, fmt_p, star_note
from pages._ui import forms, render, runner, state
from pages._ui.markdown import md_escape

t = state.t
S = st.session_state
MAX_SCENARIOS = 4
SECTIONS: dict[str, Callable] = {}


def custom(name: str):
    """Register ``fn(ctx, section)`` as the custom section ``name``."""
    def register(fn):
        SECTIONS[name] = fn
        return fn
    return register


@dataclass
class Ctx:
    """What a custom section works with: the analysis, its entry, the options it runs with and
    (after the form) its result; ``aid`` is the id pins name (None when it cannot be told)."""

    spec: AnalysisSpec
    ds: Dataset
    entry: dict
    aid: str | None = None
    options: dict | None = None
    result: Result | None = None


def _fmt(prefix: str, replace: tuple = ("", "")):
    """format_func for code widgets, bound to the current language (AppTest and
    reruns call it outside the script run)."""
    lang = state.lang()
    return lambda c: i18n.t(f"{prefix}{str(c).replace(*replace) if replace[0] else c}", lang)


# ---- differences ----------------------------------------------------------------------------------
@custom("merge")
def merge(ctx: Ctx, sec) -> None:
    """One switch: merge each split's small groups into their neighbours (suggested by core)."""
    entry, ds = ctx.entry, ctx.ds
    key = f"diff_merge_small.{state.lang()}"
    if key not in S:
        S[key] = bool(entry.get("merge"))
    entry["merge"] = {}
    if not st.checkbox(t("difference.page.merge_small"), key=key):
        return
    for g in entry.get("groups") or []:
        try:
            blocks = suggest_merges(ds, g, int(entry.get("small_group") or 5))
        except UserError:
            blocks = []
        if blocks:
            entry["merge"][g] = blocks
    if entry["merge"]:
        what = "; ".join(f"{ds.label(g)}: " + ", ".join(" + ".join(ds.level_label(g, c) for c in b) for b in blocks)
                         for g, blocks in entry["merge"].items())
        st.caption(md_escape(t("difference.page.merged", what=what)))


@custom("detail")
def detail(ctx: Ctx, sec) -> None:
    """The star scheme under the tests, then one cell in full: its groups, every test, effect sizes,
    post-hoc pairs and a chart of the groups."""
    lang, ds, spec, res, opts = state.lang(), ctx.ds, ctx.spec, ctx.result, ctx.options
    star_txt = t("difference.page.star_note", scheme=star_note(opts.get("stars") or "apa", lang))
    st.caption(md_escape(star_txt))
    st.subheader(t("difference.page.detail"))
    tests = res.tables["tests"]
    c1, c2, c3 = st.columns(3)
    g = c1.selectbox(t("difference.page.detail_split"), list(dict.fromkeys(tests.group)),
                     key=f"diff_detail_g.{lang}", format_func=forms.var_label(ds))
    o = c2.selectbox(t("difference.page.detail_outcome"), list(dict.fromkeys(tests.outcome)),
                     key=f"diff_detail_o.{lang}", format_func=forms.var_label(ds))
    view = c3.selectbox(t("difference.page.view"), ["means", "box", "violin"], key=f"diff_view.{lang}",
                        format_func=_fmt("difference.page.view_"))

    def part(name, key, title="", keep=None):
        df = res.tables[name]
        df = df[(df.group == g) & (df.outcome == o)]
        if keep is not None:
            df = df[df.test.isin(keep) if keep[0] != "!" else ~df.test.isin(keep[1:])]
        if title:
            st.markdown("**" + md_escape(t(title)) + "**")
        # level codes read as labels while the split's column is there to name their variable
        shown = fmt.level_labels(df, spec.table(name).columns, ds)
        render.table(shown.drop(columns=["group", "outcome"]), spec.table(name), spec.type, key=key)
        return df

    row = tests[(tests.group == g) & (tests.outcome == o)].iloc[0]
    words = {c.name: fmt.cell(getattr(row, c.name), c, lang) for c in spec.table("tests").columns}   # codes in words
    gs = part("group_stats", "tbl_detail_gs")
    if not isinstance(row.test, str):
        st.warning(t("difference.page.no_detail", reason=words["note"]))
        return
    levene, t_rows = ["levene_mean", "levene_median"], ["student_t", "welch_t"]
    part("all_tests", "tbl_detail_levene", "difference.page.levene", levene)
    if row.k == 2:
        part("all_tests", "tbl_detail_t", "difference.page.t_rows", t_rows)
    part("all_tests", "tbl_detail_other", "difference.page.other_tests", ["!", *levene, *t_rows])
    st.caption(md_escape(words["rule"] + " · " + star_txt))
    part("effects", "tbl_detail_eff", "difference.table.effects")
    if row.k >= 3 and not res.tables["posthoc"].empty:
        part("posthoc", "tbl_detail_ph", "difference.table.posthoc")
    if view == "means" and gs.empty:
        return
    name = f"{view}_{g}_{o}"   # the analysis' chart of this cell (AnalysisSpec.chart), pinned by that name
    chart = runner.view(spec.chart, spec.type, opts, res, name=name)
    render.chart(chart, key=f"chart_detail_{view}", analysis=spec, aid=ctx.aid, name=name)


# ---- regression: the what-if simulator and the levers ----------------------------------------------
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


def _control(ds, p: dict, sig: str, container):
    key = f"wi.{sig}.{p['name']}"
    label = md_escape(ds.label(p["name"]))   # a label is Markdown: the name as plain text
    if p["kind"] == "numeric":
        lo, hi = float(p["min"]), float(p["max"])
        if key not in S:
            S[key] = float(p["mean"])
        v = container.slider(label, min_value=lo, max_value=hi, step=_step(lo, hi), key=key, format="%.2f")
        return None if abs(v - p["mean"]) < 1e-12 else float(v)
    if key not in S:
        S[key] = None
    shown = [t("regression.page.mix")] + [ds.level_label(p["name"], c) for c in p["codes"]]
    i = container.selectbox(label, [None] + list(range(len(p["codes"]))), key=key,
                            format_func=lambda i: shown[0] if i is None else shown[i + 1])
    return None if i is None else p["codes"][i]


def _valid(model: wi.WhatIf, scenarios: list) -> list:
    """Saved scenarios restricted to the model's predictors (blocks may have changed)."""
    known = {p["name"] for p in model.predictors}
    return [{"name": s["name"], "values": {k: v for k, v in (s.get("values") or {}).items() if k in known}}
            for s in scenarios or []]


def _current(model: wi.WhatIf, sig: str) -> dict:
    """The simulator's settings (from the widgets' session state): only what differs from the baseline."""
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


def _value_text(ds, model: wi.WhatIf, name: str, v) -> str:
    p = model.predictor(name)
    if p["kind"] == "numeric":
        return fmt_num(v, 2)
    return ds.level_label(name, v)


def _save(entry: dict, model: wi.WhatIf, sig: str) -> None:
    saved = _valid(model, entry.get("scenarios"))
    if len(saved) >= MAX_SCENARIOS:
        return
    name = (S.get(f"wi.{sig}.name") or "").strip() or t("regression.page.default_scenario", i=len(saved) + 1)
    if name == "baseline" or any(x["name"] == name for x in saved):
        S[f"wi.{sig}.exists"] = True
        return
    entry["scenarios"] = saved + [{"name": name, "values": _current(model, sig)}]
    S[f"wi.{sig}.name"] = ""


def _delete(entry: dict, model: wi.WhatIf, i: int) -> None:
    entry["scenarios"] = [x for j, x in enumerate(_valid(model, entry.get("scenarios"))) if j != i]


@custom("whatif")
def whatif(ctx: Ctx, sec) -> None:
    model = wi.as_model(ctx.result)
    # saved scenarios follow the model (a predictor taken out of the blocks leaves them), so the
    # report's run of this entry never meets a scenario about a predictor it no longer has
    if ctx.entry.get("scenarios"):
        ctx.entry["scenarios"] = _valid(model, ctx.entry["scenarios"])
    sig = _signature(model)
    template = dict(runner.charts(ctx.spec.type, ctx.options, ctx.result)).get("scenarios")
    simulator(ctx, model, sig, list(ctx.options["blocks"][-1]), template)
    levers(ctx, model, sig)


@st.fragment
def simulator(ctx: Ctx, model: wi.WhatIf, sig: str, focus: list[str], template: dict | None) -> None:
    """One slider per predictor; prediction + CI + PI; saved scenarios side by
    side.  Runs alone on every slider move (an st.fragment): a dot product, a quadratic form
    and the analysis' scenario chart with the current rows swapped in (no
    refit, no chart rebuilt).  ``model`` comes from the last full run, so its
    arrays are made once per fit, not once per move."""
    entry, ds = ctx.entry, ctx.ds
    y_label = ds.label(model.outcome)
    st.caption(md_escape(t("regression.page.whatif_help", outcome=y_label)))
    main = [p for p in model.predictors if p["name"] in focus] or list(model.predictors)
    other = [p for p in model.predictors if p not in main]
    values = {}
    cols = st.columns(2)
    for i, p in enumerate(main):
        values[p["name"]] = _control(ds, p, sig, cols[i % 2])
    if other:
        with st.expander(t("regression.page.controls")):
            ocols = st.columns(2)
            for i, p in enumerate(other):
                values[p["name"]] = _control(ds, p, sig, ocols[i % 2])
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
              icon=":material/bookmark_add:", on_click=_save, args=(entry, model, sig))
    if S.pop(f"wi.{sig}.exists", False):
        st.warning(t("regression.page.scenario_exists"))
    if len(saved) >= MAX_SCENARIOS:
        st.caption(t("regression.page.scenario_limit"))
    for i, s in enumerate(saved):
        row = st.container(horizontal=True, gap="small", vertical_alignment="center")
        desc = ", ".join(f"{ds.label(k)} = {_value_text(ds, model, k, v)}" for k, v in s["values"].items())
        row.markdown(f"**{md_escape(s['name'])}** — {md_escape(desc or t('regression.page.mix'))}")
        row.button(t("regression.page.delete"), key=f"wi.{sig}.del.{i}", icon=":material/delete:", type="tertiary",
                   on_click=_delete, args=(entry, model, i))

    current = t("regression.page.current")
    while any(s["name"] == current for s in saved):
        current += "*"
    scen = wi.scenario_table(model, saved + [{"name": current, "values": values}])
    if template is not None:
        # the pin is the analysis' scenario chart/table: baseline and the saved scenarios
        render.chart(rch.with_data(template, rch.scenario_names(scen, state.lang())), key=f"wi_chart_{sig}",
                     analysis=ctx.spec, aid=ctx.aid, name="scenarios")
    render.table(scen, ctx.spec.table("scenarios"), "regression", key=f"wi_table_{sig}", aid=ctx.aid)
    st.caption(t("regression.page.scenario_pin"))


def levers(ctx: Ctx, model: wi.WhatIf, sig: str) -> None:
    """The analysis' levers chart and table for the predictors and the rise the user picks (the display
    options ``levers`` and ``lever_change``, kept in the entry: the pin shows what the page shows)."""
    st.subheader(t("regression.page.levers"))
    st.caption(md_escape(t("regression.page.levers_help", outcome=ctx.ds.label(model.outcome))))
    numeric = [p["name"] for p in model.predictors if p["kind"] == "numeric"]
    if not numeric:
        return
    default = rch.lever_names(ctx.result, {**ctx.options, "levers": []})
    mkey = f"lev.{sig}.modifiable"
    if mkey not in S:
        S[mkey] = rch.lever_names(ctx.result, ctx.options)
    if "lev.change" not in S:
        S["lev.change"] = ctx.options.get("lever_change") or "1 SD"
    c1, c2 = st.columns([3, 1])
    chosen = c1.multiselect(t("regression.opt.levers"), numeric, key=mkey, format_func=forms.var_label(ctx.ds),
                            placeholder=t("forms.choose"))
    change = c2.radio(t("regression.opt.lever_change"), ["1 SD", "1 point"], key="lev.change", horizontal=True,
                      format_func=lambda c, lang=state.lang(): i18n.t(f"regression.change.{code_key(c)}", lang))
    # the default choice is kept as none (it follows the blocks)
    ctx.entry["levers"] = [] if list(chosen) == default else list(chosen)
    ctx.entry["lever_change"] = change
    lev = ctx.result.tables["levers"]
    lev = lev[lev["predictor"].isin(chosen)]
    if lev.empty:
        return
    opts = {**ctx.options, "levers": ctx.entry["levers"], "lever_change": change}
    chart = runner.view(rch.levers_chart, ctx.spec.type, opts, ctx.result, options=opts)   # the analysis' "levers"
    render.chart(chart, key=f"lev_chart_{sig}", analysis=ctx.spec, aid=ctx.aid, name="levers")
    render.table(lev[lev["change"] == change], ctx.spec.table("levers"), "regression", key=f"lev_table_{sig}", aid=ctx.aid)
    st.caption(t("regression.page.levers_pin"))


@custom("probability")
@st.fragment
def probability(ctx: Ctx, sec) -> None:
    """The logistic what-if: one control per predictor (others at their means), the predicted
    probability of the event with its 95% CI — no refit."""
    model = wi.as_model(ctx.result)
    sig = "lg" + _signature(model)
    values, cols = {}, st.columns(2)
    for i, p in enumerate(model.predictors):
        values[p["name"]] = _control(ctx.ds, p, sig, cols[i % 2])
    pred = predict_probability(model, {k: v for k, v in values.items() if v is not None})
    base = predict_probability(model, {})
    m1, m2 = st.columns(2)
    event = ctx.ds.level_label(ctx.result.meta["outcome"], ctx.result.meta["event"])
    m1.metric(t("logistic.page.probability", event=event), fmt_num(pred["probability"], 3),
              delta=f"{fmt_num(pred['probability'] - base['probability'], 3)} {t('regression.page.versus_baseline')}",
              delta_color="off")
    m2.metric(t("regression.page.ci"), f"{fmt_num(pred['ci_low'], 3)} – {fmt_num(pred['ci_high'], 3)}")


# ---- PROCESS --------------------------------------------------------------------------------------
@custom("model_picker")
def model_picker(ctx: Ctx, sec) -> None:
    """A PROCESS model by its number, or by describing the design (core matches it to a template)."""
    entry = ctx.entry
    how = st.radio(t("process.page.pick_how"), ["number", "design"], horizontal=True, key="process_pick_how",
                   format_func=_fmt("process.page.pick_"))
    if how == "number":
        current = int(entry.get("model") or 4)
        S.setdefault("process_model", current if current in MODEL_NUMBERS else 4)
        entry["model"] = int(st.selectbox(t("process.opt.model"), list(MODEL_NUMBERS), key="process_model",
                                          format_func=_fmt("process.model.")))
        return
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
        return
    st.success(t("process.page.matches", model=num))
    entry["model"] = S["process_model"] = num


@custom("m_hint")
def m_hint(ctx: Ctx, sec) -> None:
    """How many mediators the model takes, and their order for a serial one."""
    tpl = template(ctx.entry.get("model") or 4)
    if tpl.mediators != "none":
        st.caption(t("process.page.m_hint", min=tpl.min_m, max=tpl.max_m) +
                   (" " + t("process.page.serial_order") if tpl.mediators == "serial" else ""))


@custom("conceptual")
def conceptual(ctx: Ctx, sec) -> None:
    entry, num = ctx.entry, int(ctx.entry.get("model") or 4)
    names = {"X": entry.get("x"), "Y": entry.get("y"), "W": entry.get("w"), "Z": entry.get("z")}
    for i, m in enumerate(entry.get("m") or []):
        names[f"M{i + 1}"] = m
    with st.expander(t("process.page.conceptual", model=num), expanded=True):
        render.chart(runner.view(_conceptual, "process", {}, None, number=num,
                                 roles={k: v for k, v in names.items() if v}), key="process_conceptual_preview")


def _conceptual(_result, ds, lang: str, number: int, roles: dict):
    """The conceptual diagram of the chosen model and variables, before anything is run (the one in the
    results, with its pin and downloads, is the result's chart "conceptual")."""
    return pch.conceptual_diagram(number, roles, ds, lang)


@custom("seed_line")
def seed_line(ctx: Ctx, sec) -> None:
    res = ctx.result
    st.info(t("process.page.seed_line", seed=res.meta.get("seed"), n_boot=res.meta.get("n_boot"), n=res.n_used))


# ---- hypotheses -----------------------------------------------------------------------------------
@custom("hypotheses_editor")
def hypotheses_editor(ctx: Ctx, sec) -> None:
    """State hypotheses and point each at the result row that tests it."""
    hent = ctx.entry
    hyps = list(hent.get("hypotheses") or [])
    for i, h in enumerate(hyps):
        row = st.container(horizontal=True, vertical_alignment="center")
        row.markdown(f"**{md_escape(h['label'])}** {md_escape(h.get('text') or '')}")
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
    if src is None:
        return
    aspec = registry.get(src["type"])
    tname = c4.selectbox(t("hypotheses.col.table"), [tb.name for tb in aspec.tables], key="hyp.table",
                         format_func=lambda n, lang=state.lang(): fmt.table_title(aspec.type, n, lang))
    ares = runner.run(src["type"], forms.options(aspec, src))
    df = None if isinstance(ares, UserError) else ares.tables.get(tname)
    if df is None or df.empty:
        st.info(t("hypotheses.page.no_rows"))
        return
    keys = [c.name for c in aspec.table(tname).columns if c.kind in ("text", "var", "level", "int") and c.name in df]
    rows = [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items() if not fmt.is_missing(v) and v != ""}
            for r in df[keys].to_dict("records")]
    # the rows as the reader knows them, as the summary table will name them: codes, variables and levels in words
    shown = [fmt.row_text(aspec.type, tname, r, ctx.ds, state.lang()) for r in rows]
    c5, c6 = st.columns([3, 1])
    i = c5.selectbox(t("hypotheses.col.row"), range(len(rows)), key="hyp.row", format_func=lambda j: shown[j])
    expected = c6.selectbox(t("hypotheses.col.expected"), ("positive", "negative", "any"), key="hyp.exp",
                            format_func=_fmt("hypotheses.expected."))
    if st.button(t("hypotheses.page.add"), key="hyp.add", icon=":material/add:"):
        hent["hypotheses"] = hyps + [{"label": label, "text": statement, "type": src["type"],
                                      "options": forms.options(aspec, src), "table": tname, "row": rows[i],
                                      "expected": expected}]
        st.rerun()


# ---- measurement ----------------------------------------------------------------------------------
@custom("reverse_keys")
def reverse_keys(ctx: Ctx, sec) -> None:
    """One click reverse-keys an item the reliability analysis flags."""
    scales = {sc["name"]: sc for sc in state.recipe()["scales"]}
    items = ctx.result.tables["items"]
    for r in items[items["flag"] == "reverse"].itertuples(index=False):
        sc = scales.get(r.scale)
        if sc is None or r.item in (sc.get("reverse") or []):
            continue
        if st.button(render.label("measure.page.reverse_button", item=r.item, scale=r.scale),
                     key=f"rev.{r.scale}.{r.item}", icon=":material/swap_vert:"):
            sc["reverse"] = list(sc.get("reverse") or []) + [r.item]
            st.rerun()


@custom("exclusions")
def exclusions(ctx: Ctx, sec) -> None:
    """The flagged rows of each check, with one click to exclude them (into the recipe) and to restore."""
    recipe = state.recipe()
    for check in ("straight_lining", "missing", "mahalanobis"):
        df = ctx.result.tables[check]
        if not render.result_table(ctx.spec, ctx.result, check, ctx.aid, f"scr.tbl.{check}"):
            continue
        if st.button(t("measure.page.exclude_button", n=len(df), reason=t(f"screening.reason.{check}")),
                     key=f"scr.excl.{check}", icon=":material/person_remove:"):
            recipe.setdefault("exclusions", []).append(exclusion_entry(df["row"], check, state.lang()))
            st.rerun()
    if recipe.get("exclusions"):
        st.subheader(t("measure.page.exclusions"))
        st.dataframe(pd.DataFrame([{t("measure.page.reason"): e.get("reason", ""),
                                    t("measure.page.rows"): len(e.get("rows", []))} for e in recipe["exclusions"]]),
                     hide_index=True, width="stretch")
        if st.button(t("measure.page.restore_button"), key="scr.restore", icon=":material/undo:"):
            recipe["exclusions"] = []
            st.rerun()


@custom("efa_summary")
def efa_summary(ctx: Ctx, sec) -> None:
    """KMO, Bartlett's test and Harman's single factor at a glance."""
    tables = ctx.result.tables
    b = tables["bartlett"].iloc[0]
    m1, m2, m3 = st.columns(3)
    m1.metric("KMO", f"{tables['kmo']['msa'].iloc[0]:.3f}")
    pv = fmt_p(b["p"])
    m2.metric(t("measure.page.bartlett"), f"χ²({int(b['df'])}) = {b['chi2']:.1f}",
              help=f"p {pv}" if pv.startswith("<") else f"p = {pv}")
    m3.metric(t("measure.page.harman"), f"{100 * tables['harman']['first_factor_proportion'].iloc[0]:.1f}%")
