"""Charts of the process analysis (pure; no streamlit).

- :func:`simple_slopes` — predicted Y against X, one line per moderator
  value, CI bands, the moderator value written at each line's end;
- :func:`jn_plot` — the conditional effect along the moderator with its CI
  band, the zero line and the region(s) of significance shaded;
- :func:`effects_forest` — the total, direct and indirect effects (each
  conditional indirect effect at its moderator value) and the index of
  moderated mediation with their (bootstrap) CIs and the zero line: the chart
  of a mediation finding;
- :func:`path_diagram_dot` — the statistical model as Graphviz DOT text with
  the estimates on its arrows; :func:`conceptual_dot` — the conceptual
  diagram of any model number (``st.graphviz_chart`` renders both).
"""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from core.theme import themed
from core.analyses.process.spec import SPEC
from core.format import fmt_num, read_levels, stars
from core.i18n import t
from core.engines.process.templates import conceptual

COLORS = ["#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2", "#9D755D", "#EECA3B"]
SIG_FILL = "#54A24B"


def _value_text(v) -> str:
    if isinstance(v, str):
        return v
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return ""
    return fmt_num(f, 2)


def simple_slopes(pred: pd.DataFrame, focal_label: str, outcome_label: str, moderator_label: str,
                  lang: str) -> alt.Chart:
    """Predicted outcome against the focal predictor at each moderator value
    (``predicted`` table rows of one equation and focal predictor)."""
    d = pred.copy()
    d["group"] = [f"{moderator_label} = {_value_text(v)}" + (
        f", {m2} = {_value_text(v2)}" if m2 else "") for v, m2, v2 in
        zip(d["moderator_value"], d["moderator2"], d["moderator2_value"])]
    order = list(dict.fromkeys(d["group"]))
    color = alt.Color("group:N", sort=order, scale=alt.Scale(range=COLORS[:len(order)]),
                      title=moderator_label)
    base = alt.Chart(d).encode(x=alt.X("x:Q", title=focal_label, scale=alt.Scale(zero=False)))
    band = base.mark_area(opacity=0.15).encode(y=alt.Y("ci_low:Q", title=outcome_label, scale=alt.Scale(zero=False)),
                                               y2="ci_high:Q", color=color)
    line = base.mark_line(strokeWidth=2.5).encode(
        y="yhat:Q", color=color,
        tooltip=[alt.Tooltip("group:N", title=moderator_label), alt.Tooltip("x:Q", title=focal_label, format=".2f"),
                 alt.Tooltip("yhat:Q", title=t("process.chart.predicted", lang), format=".3f"),
                 alt.Tooltip("ci_low:Q", title=t("process.col.ci_low", lang), format=".3f"),
                 alt.Tooltip("ci_high:Q", title=t("process.col.ci_high", lang), format=".3f")])
    ends = d.loc[d.groupby("group", sort=False)["x"].idxmax()].copy()
    ends["short"] = [_value_text(v) + (f", {_value_text(v2)}" if m2 else "")
                     for v, m2, v2 in zip(ends["moderator_value"], ends["moderator2"], ends["moderator2_value"])]
    labels = alt.Chart(ends).mark_text(align="left", dx=6, fontSize=12, fontWeight="bold").encode(
        x="x:Q", y="yhat:Q", text="short:N", color=alt.Color("group:N", sort=order, legend=None,
                                                           scale=alt.Scale(range=COLORS[:len(order)])))
    title = t("process.chart.slopes_title", lang, y=outcome_label, x=focal_label, w=moderator_label)
    return themed((band + line + labels).properties(title=title, width="container", height=340))


def significance_regions(jn: pd.DataFrame) -> list[tuple[float, float]]:
    """Intervals of the moderator where the conditional effect's CI excludes 0.

    The JN table's grid contains the boundaries, so significance is constant
    between consecutive grid points: a segment is significant when both its
    ends are significant or on a boundary (CI limit within 1e-9 of 0) and at
    least one end is strictly significant."""
    d = jn.sort_values("moderator_value")
    w = d["moderator_value"].to_numpy(float)
    lo, hi = d["ci_low"].to_numpy(float), d["ci_high"].to_numpy(float)
    eps = 1e-9 * max(1.0, float(np.nanmax(np.abs(d["effect"].to_numpy(float)))) if len(d) else 1.0)
    strict = (lo > eps) | (hi < -eps)
    loose = (lo > -eps) | (hi < eps)
    out: list[tuple[float, float]] = []
    for k in range(len(w) - 1):
        if loose[k] and loose[k + 1] and (strict[k] or strict[k + 1]):
            if out and out[-1][1] == w[k]:
                out[-1] = (out[-1][0], w[k + 1])
            else:
                out.append((w[k], w[k + 1]))
    return out


def jn_plot(jn: pd.DataFrame, boundaries: list[float], focal_label: str, moderator_label: str, lang: str,
            conf: float = 95.0) -> alt.Chart:
    """Conditional effect of the focal predictor along the moderator."""
    d = jn.sort_values("moderator_value").copy()
    regions = significance_regions(d)
    layers = []
    if regions:
        rect = pd.DataFrame([{"lo": a, "hi": b, "what": t("process.chart.significant", lang)} for a, b in regions])
        layers.append(alt.Chart(rect).mark_rect(opacity=0.12, color=SIG_FILL).encode(
            x="lo:Q", x2="hi:Q", tooltip=[alt.Tooltip("what:N", title=" ")]))
    base = alt.Chart(d).encode(x=alt.X("moderator_value:Q", title=moderator_label, scale=alt.Scale(zero=False)))
    ytitle = t("process.chart.effect_of", lang, x=focal_label)
    layers.append(base.mark_area(opacity=0.2, color="#4C78A8").encode(
        y=alt.Y("ci_low:Q", title=ytitle), y2="ci_high:Q"))
    layers.append(base.mark_line(color="#1F4E79", strokeWidth=2.5).encode(
        y="effect:Q",
        tooltip=[alt.Tooltip("moderator_value:Q", title=moderator_label, format=".3f"),
                 alt.Tooltip("effect:Q", title=t("process.col.effect", lang), format=".3f"),
                 alt.Tooltip("ci_low:Q", title=t("process.col.ci_low", lang), format=".3f"),
                 alt.Tooltip("ci_high:Q", title=t("process.col.ci_high", lang), format=".3f"),
                 alt.Tooltip("p:Q", title="p", format=".3f")]))
    layers.append(alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#555", strokeDash=[4, 3]).encode(y="y:Q"))
    if boundaries:
        bd = pd.DataFrame({"b": boundaries, "label": [fmt_num(b, 2) for b in boundaries]})
        layers.append(alt.Chart(bd).mark_rule(color=SIG_FILL, strokeWidth=1.5).encode(x="b:Q"))
        layers.append(alt.Chart(bd).mark_text(align="left", dx=4, dy=-6, baseline="top", color="#2E6B2E").encode(
            x="b:Q", y=alt.value(4), text="label:N"))
    title = t("process.chart.jn_title", lang, x=focal_label, w=moderator_label, conf=fmt_num(conf, 0))
    return themed(alt.layer(*layers).properties(title=title, width="container", height=320))


def chart_list(result, ds, lang: str, options: dict | None = None) -> list:
    """Interaction plot(s) and Johnson–Neyman plot(s) of a result."""
    result = read_levels(result, SPEC, ds)
    out = []
    pred = result.tables.get("predicted")
    conf = float(result.meta.get("conf", 95.0))
    if pred is not None and not pred.empty:
        for (eq, foc, mod), sub in pred.groupby(["equation", "focal", "moderator"], sort=False):
            out.append((f"slopes_{eq}_{foc}_{mod}",
                        simple_slopes(sub, ds.label(foc), ds.label(eq), ds.label(mod), lang)))
    jn = result.tables.get("jn_table")
    if jn is not None and not jn.empty:
        jb = result.tables.get("johnson_neyman")
        for (eq, foc, mod), sub in jn.groupby(["equation", "focal", "moderator"], sort=False):
            bounds = [] if jb is None or jb.empty else list(
                jb[(jb["equation"] == eq) & (jb["focal"] == foc) & (jb["moderator"] == mod)]["boundary"])
            flab = ds.label(foc) if ds.has(foc) else foc
            out.append((f"jn_{eq}_{foc}_{mod}", jn_plot(sub, bounds, flab, ds.label(mod), lang, conf)))
    return out


def effects_forest(effects: pd.DataFrame, ds, lang: str, conf: float = 95.0,
                   index: pd.DataFrame | None = None) -> alt.Chart | None:
    """Total, direct and indirect effects, each with its CI (bootstrap for
    indirect effects), and the index of moderated mediation (``index``) when
    there is one; an interval that does not cross the zero line is
    significant (filled green)."""
    records = [] if effects is None else effects.to_dict("records")
    records += [{"kind": "index", "path": r["path"], "moderator": r["moderator"], "effect": r["index"],
                 "ci_low": r["ci_low"], "ci_high": r["ci_high"]}
                for r in ([] if index is None else index.to_dict("records"))]
    rows = []
    for r in records:
        lo, hi = float(r["ci_low"]), float(r["ci_high"])
        if not (math.isfinite(lo) and math.isfinite(hi)):
            continue
        kind = t("process.table.index_moderated_mediation" if r["kind"] == "index" else
                 f"process.code.kind.{r['kind']}", lang)
        label = kind + ("：" if lang == "zh" else ": ") + str(r["path"]).replace("->", " → ")
        if r["kind"] == "index":   # its path is the indirect effects' above: the moderator names it
            label = f"{kind} ({ds.label(r['moderator'])})"
        elif r.get("moderator"):
            label += f" ({ds.label(r['moderator'])} = {_value_text(r['moderator_value'])})"
        rows.append({"row": label, "effect": float(r["effect"]), "lo": lo, "hi": hi,
                     "sig": t("process.chart.ci_excludes_zero" if lo > 0 or hi < 0 else "process.chart.ci_includes_zero",
                              lang)})
    if not rows:
        return None
    data = pd.DataFrame(rows)
    data["text"] = [fmt_num(v, 3) for v in data["effect"]]
    sig = [t("process.chart.ci_excludes_zero", lang), t("process.chart.ci_includes_zero", lang)]
    color = alt.Color("sig:N", title=None, scale=alt.Scale(domain=sig, range=[SIG_FILL, "#999999"]),
                      legend=alt.Legend(orient="bottom"))
    y = alt.Y("row:N", sort=list(data["row"]), title=None, axis=alt.Axis(labelOverlap=False, labelLimit=360))
    x_title = t("process.chart.effect_axis", lang, conf=fmt_num(conf, 0))
    rule = alt.Chart(data).mark_rule(strokeWidth=3).encode(y=y, x=alt.X("lo:Q", title=x_title), x2="hi:Q",
                                                           color=color)
    dot = alt.Chart(data).mark_point(filled=True, size=110).encode(
        y=y, x="effect:Q", color=color,
        tooltip=[alt.Tooltip("row:N", title=" "), alt.Tooltip("effect:Q", format=".3f"),
                 alt.Tooltip("lo:Q", format=".3f"), alt.Tooltip("hi:Q", format=".3f")])
    text = alt.Chart(data).mark_text(dy=-12, fontSize=11).encode(y=y, x="effect:Q", text="text:N")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 3], color="#555").encode(x="x:Q")
    return themed((zero + rule + dot + text).properties(title=t("process.chart.effects_title", lang),
                                                        width="container", height=max(110, 34 * len(data) + 30)))


def finding_chart(result, ds, lang: str, name: str):
    """A key finding's own chart by name (``effects``: :func:`effects_forest`); None for any other."""
    if name != "effects":
        return None
    return effects_forest(result.tables.get("effects"), ds, lang, float(result.meta.get("conf", 95.0)),
                          result.tables.get("index_moderated_mediation"))


# ---- Graphviz -----------------------------------------------------------------------
def _q(text: str) -> str:
    """A DOT double-quoted string (user text escaped)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _header(lang: str) -> list[str]:
    font = "Noto Sans CJK SC, Microsoft YaHei, Helvetica"
    return ["digraph G {", "  rankdir=LR; splines=true; nodesep=0.5; ranksep=1.1;",
            f"  node [shape=box, style=\"rounded,filled\", fillcolor=\"#F4F6FA\", color=\"#4C78A8\", "
            f"fontname={_q(font)}, fontsize=12];",
            f"  edge [color=\"#333333\", fontname={_q(font)}, fontsize=11];"]


def conceptual_dot(number: int, n_mediators: int | None = None, names: dict | None = None,
                   lang: str = "en") -> str:
    """DOT text of the conceptual diagram of model ``number``; ``names`` maps
    roles (X, M1…, W, Z, Y) to labels (defaults: the role letters)."""
    d = conceptual(number, n_mediators)
    names = names or {}
    lines = _header(lang)
    for node in d["nodes"]:
        lab = names.get(node) or node
        shape = ', fillcolor="#FFF4E0", color="#F58518"' if node in ("W", "Z") else ""
        lines.append(f"  {node} [label={_q(lab)}{shape}];")
    mids = {}
    for k, (a, b) in enumerate(d["edges"]):
        if any(tgt == (a, b) or (isinstance(tgt, tuple) and len(tgt) == 2 and tgt[1] == (a, b))
               for _, tgt in d["moderations"]):
            mid = f"p{k}"
            mids[(a, b)] = mid
            lines.append(f"  {mid} [shape=point, width=0.06, label=\"\"];")
            lines.append(f"  {a} -> {mid} [arrowhead=none];")
            lines.append(f"  {mid} -> {b};")
        else:
            lines.append(f"  {a} -> {b};")
    wmids = {}
    for k, (mod, target) in enumerate(d["moderations"]):
        if isinstance(target[1], tuple):            # Z moderates W's moderation (model 3)
            edge = target[1]
            key = ("W", edge)
            if key not in wmids:
                continue
            lines.append(f"  {mod} -> {wmids[key]} [color=\"#F58518\"];")
        else:
            mid = mids[target]
            if mod == "W" and any(isinstance(tg[1], tuple) for _, tg in d["moderations"]):
                wm = f"q{k}"
                wmids[("W", target)] = wm
                lines.append(f"  {wm} [shape=point, width=0.06, label=\"\"];")
                lines.append(f"  W -> {wm} [arrowhead=none, color=\"#F58518\"];")
                lines.append(f"  {wm} -> {mid} [color=\"#F58518\"];")
            else:
                lines.append(f"  {mod} -> {mid} [color=\"#F58518\"];")
    if d["nodes"].count("Y"):
        lines.append("  { rank=same; " + " ".join(n for n in d["nodes"] if n.startswith("M")) + " }"
                     if any(n.startswith("M") for n in d["nodes"]) else "")
    lines.append("}")
    return "\n".join(x for x in lines if x)


def path_diagram_dot(result, ds, lang: str = "en", scheme: str = "apa") -> str:
    """The statistical model: every predictor column (products included)
    → its outcome, the coefficient b (with stars) on each arrow; covariates
    are listed in a note instead of drawn."""
    co = result.tables["coefficients"]
    covs = set(result.meta.get("covariates") or [])
    lines = _header(lang)
    ids: dict[str, str] = {}

    def node(name: str, outcome: bool = False) -> str:
        if name not in ids:
            ids[name] = f"n{len(ids)}"
            lab = ds.label(name) if ds.has(name) and ds.label(name) != name else name
            lab = name if "*" in name or "[" in name else (f"{name}\n{lab}" if lab != name else name)
            fill = ', fillcolor="#E8F1FA"' if outcome else (', fillcolor="#FFF4E0", color="#F58518"'
                                                            if "*" in name else "")
            lines.append(f"  {ids[name]} [label={_q(lab)}{fill}];")
        return ids[name]

    for eq, sub in co.groupby("equation", sort=False):
        if str(eq).endswith(" (total)"):
            continue
        tgt = node(str(eq), outcome=True)
        for r in sub.itertuples(index=False):
            if r.term == "constant" or r.term in covs:
                continue
            src = node(str(r.term))
            color = "#1F4E79" if r.p < 0.05 else "#999999"
            style = "solid" if r.p < 0.05 else "dashed"
            lines.append(f"  {src} -> {tgt} [label={_q(fmt_num(r.b, 3) + stars(r.p, scheme))}, color=\"{color}\", "
                         f"style={style}, fontcolor=\"{color}\"];")
    if covs:
        lines.append(f"  cov [shape=note, fillcolor=\"#FFFFFF\", label="
                     f"{_q(t('process.chart.covariates_note', lang, names=', '.join(sorted(covs))))}];")
    lines.append("}")
    return "\n".join(lines)
