"""Charts of the process analysis (pure; no streamlit).

- :func:`simple_slopes` — predicted Y against X, one line per moderator
  value, CI bands, the moderator value written at each line's end;
- :func:`jn_plot` — the conditional effect along the moderator with its CI
  band, the zero line and the region(s) of significance shaded;
- :func:`effects_forest` — the total, direct and indirect effects (each
  conditional indirect effect at its moderator value) and the index of
  moderated mediation with their (bootstrap) CIs and the zero line: the chart
  of a mediation finding;
- :func:`conceptual_diagram` — the conceptual diagram of any model number
  (X left, Y right, mediators above, moderators below with an arrow to the
  middle of the path they moderate); :func:`statistical_diagram` — the
  statistical model, every predictor (products included) with its
  coefficient and stars on its arrow.  Both are :mod:`core.diagram` charts,
  declared like the plots, so they are pinned, downloaded and exported alike.
"""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from core.theme import themed
from core.analyses.process.spec import SPEC
from core.format import TOTAL, fmt_num, path_label, read_levels, star_note, stars
from core.i18n import t
from core.diagram import ORANGE, Diagram, crosses
from core.engines.process.templates import conceptual, template

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
    """The conceptual and the statistical diagram, then the interaction
    plot(s) and Johnson–Neyman plot(s) of a result."""
    result = read_levels(result, SPEC, ds)
    roles = result.meta.get("roles") or {}
    out = [("conceptual", conceptual_diagram(int(result.meta.get("model", 4)), roles, ds, lang)),
           ("diagram", statistical_diagram(result, ds, lang, (options or {}).get("stars") or "apa"))]
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
        label = kind + ("：" if lang == "zh" else ": ") + path_label(r["path"], ds)
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


# ---- path diagrams -------------------------------------------------------------------------------
COL_GAP = 120.0      # px between columns (room for a coefficient on every arrow)
ROW_GAP = 34.0       # px between boxes stacked in a column
TIER_GAP = 56.0      # px between the row of X and Y and the boxes above or below it


def _var_text(ds, var: str) -> str:
    """A variable's label (its name when it has none)."""
    return ds.label(var) if ds is not None and ds.has(var) else str(var)


def term_text(ds, term: str) -> str:
    """A coefficient's term in words: a variable's label, an indicator as
    "label [level]", a product as "label × label"."""
    parts = []
    for part in str(term).split("*"):
        var, sep, level = part.partition("[")
        parts.append(_var_text(ds, var) + (f" [{level}" if sep else ""))
    return " × ".join(parts)


def _stack(nodes: list, x: float, top: float) -> None:
    """Nodes one under another at column centre ``x``, from ``top`` down."""
    y = top
    for n in nodes:
        n.x, n.y = x, y + n.h / 2
        y += n.h + ROW_GAP


def _columns(columns: list[list], gap: float = COL_GAP) -> list[float]:
    """Centres of columns of nodes, each as wide as its widest node."""
    xs, left = [], 0.0
    for col in columns:
        w = max((n.w for n in col), default=0.0)
        xs.append(left + w / 2)
        left += w + gap
    return xs


def _arch(k: int) -> list[int]:
    """Tier of each of ``k`` serial mediators (1 = just above X and Y): an arch,
    so that no arrow between mediators runs through a third one."""
    return [1 + min(i, k - 1 - i) for i in range(k)]


def _above(nodes_by_tier: dict, main_h: float) -> dict:
    """y of each tier above the X–Y row (tier 1 nearest)."""
    ys, edge = {}, -main_h / 2 - TIER_GAP
    for tier in sorted(nodes_by_tier):
        h = max(n.h for n in nodes_by_tier[tier])
        ys[tier] = edge - h / 2
        edge -= h + TIER_GAP
    return ys


def _lift(g: Diagram, mediators: list[str], ends: list[str]) -> None:
    """Raise a row of mediators until the straight line from each of ``ends``
    (X and Y) to each mediator passes clear of the other mediators."""
    for _ in range(30):
        if not any(crosses((g.nodes[e].x, g.nodes[e].y), (g.nodes[m].x, g.nodes[m].y), g.nodes[o], 4.0)
                   for e in ends for m in mediators for o in mediators if o != m):
            return
        for m in mediators:
            g.nodes[m].y -= 12.0


def conceptual_diagram(number: int, roles: dict, ds, lang: str) -> alt.LayerChart:
    """The conceptual diagram of model ``number`` with the variables of
    ``roles`` (role → variable: X, M1…, W, Z, Y; a role without one shows its
    letter)."""
    n_m = sum(1 for r in roles if str(r).startswith("M")) or None
    d = conceptual(number, n_m)
    g = Diagram(t("process.chart.conceptual_title", lang))
    for role in d["nodes"]:
        var = roles.get(role)
        g.node(role, _var_text(ds, var) if var else role,
               style="moderator" if role in ("W", "Z") else "outcome" if role == "Y" else "observed")
    n = g.nodes
    ms = [r for r in d["nodes"] if r.startswith("M")]
    serial = template(number).mediators == "serial"
    main_h = max(n["X"].h, n["Y"].h)
    # one column per mediator, in a row above X and Y (serial ones in an arch), so that no arrow
    # to a mediator runs through another one
    tiers = _arch(len(ms)) if serial else [1] * len(ms)
    xs = _columns([[n["X"]], *[[n[m]] for m in ms], [n["Y"]]], COL_GAP if ms else 2.2 * COL_GAP)
    by_tier: dict = {}
    for m, tier in zip(ms, tiers):
        by_tier.setdefault(tier, []).append(n[m])
    ys = _above(by_tier, main_h)
    for i, (m, tier) in enumerate(zip(ms, tiers)):
        n[m].x, n[m].y = xs[i + 1], ys[tier]
    if not serial:
        _lift(g, ms, ["X", "Y"])
    n["X"].x, n["X"].y = xs[0], 0.0
    n["Y"].x, n["Y"].y = xs[-1], 0.0
    index = {}
    for a, b in d["edges"]:
        index[(a, b)] = g.edge(a, b, color="#333333")
    # moderators below the X–Y row, each under the middle of the paths it moderates
    mods = [m for m in ("W", "Z") if m in n]
    targets = {m: [tg for mm, tg in d["moderations"] if mm == m and not isinstance(tg[1], tuple)] for m in mods}
    below = -main_h / 2 + main_h + TIER_GAP
    placed = []
    for m in mods:
        mids = [(n[a].x + n[b].x) / 2 for a, b in targets[m]]
        x = sum(mids) / len(mids) if mids else (placed[-1].x + placed[-1].w / 2 + COL_GAP + n[m].w / 2)
        if placed and x - n[m].w / 2 < placed[-1].x + placed[-1].w / 2 + COL_GAP / 2:   # side by side
            shift = (placed[-1].w + n[m].w) / 4 + COL_GAP / 4
            placed[-1].x -= shift
            x += shift
        n[m].x, n[m].y = x, below + max(n[k].h for k in mods) / 2
        placed.append(n[m])
    points = {}
    for k, (m, target) in enumerate(d["moderations"]):
        if isinstance(target[1], tuple):                      # Z moderates W's moderation of the path (model 3)
            anchor = points.get(("W", target[1]))
            if anchor is None:
                continue
            pid = f"p{k}"
            g.point(pid, anchor)
            g.edge(m, pid, color=ORANGE)
            continue
        pid = f"p{k}"
        g.point(pid, index[target])
        points[(m, target)] = g.edge(m, pid, color=ORANGE)
    return g.chart()



def statistical_diagram(result, ds, lang: str, scheme: str = "apa") -> alt.LayerChart:
    """The statistical model: every predictor column (products included) →
    its outcome, the coefficient b with its stars on each arrow (solid when
    p < .05, dashed and grey otherwise), R² under each outcome; covariates
    are named in a note instead of drawn."""
    co = result.tables["coefficients"]
    models = result.tables.get("models")
    covs = list(result.meta.get("covariates") or [])
    roles = result.meta.get("roles") or {}
    x_var = roles.get("X")
    r2 = {} if models is None else dict(zip(models["equation"], models["r2"]))
    eqs = [str(e) for e in dict.fromkeys(co["equation"]) if not str(e).endswith(TOTAL)]
    terms = {eq: [r for r in co[co["equation"] == eq].itertuples(index=False)
                  if r.term != "constant" and r.term not in covs] for eq in eqs}
    note = t("process.chart.covariates_note", lang, names=", ".join(_var_text(ds, c) for c in covs)) if covs else ""
    note = (note, star_note(scheme, lang) + ("；" if lang == "zh" else "; ") +
            t("process.chart.diagram_note", lang))
    g = Diagram(t("process.chart.statistical_title", lang), note)
    # ranks: predictors 0, each mediator one more than the latest mediator it depends on, Y last
    rank: dict[str, int] = {}

    def var_rank(name: str) -> int:
        base = str(name).split("[")[0]
        return rank.get(base, 0)

    for eq in eqs[:-1]:
        rank[eq] = 1 + max([var_rank(p) for r in terms[eq] for p in str(r.term).split("*")] + [0])
    y = eqs[-1]
    rank[y] = 1 + max([rank[e] for e in eqs[:-1]] + [0])
    for eq in eqs:
        fit = r2.get(eq)
        g.node(eq, _var_text(ds, eq), style="outcome",
               sub=f"R² = {fmt_num(fit, 3, leading_zero=False)}" if fit is not None and math.isfinite(fit) else "")
    below: list = []
    first_x = None
    for eq in eqs:
        for r in terms[eq]:
            term = str(r.term)
            if term in g.nodes:
                continue
            is_x = term == x_var or term.split("[")[0] == x_var
            node = g.node(term, term_text(ds, term), style="observed" if is_x or term in rank else "moderator")
            if term in rank:
                continue
            if is_x and first_x is None:
                first_x = node
            else:
                below.append(node)
    mediators = eqs[:-1]
    # columns: X and the other predictors, one per mediator (in causal order), Y; a product of a
    # mediator stands under its mediator
    column = {m: i + 1 for i, m in enumerate(mediators)}
    column[y] = len(mediators) + 1
    cols = [[] for _ in range(len(mediators) + 2)]
    if first_x is not None:
        cols[0].append(first_x)
    for m in mediators:
        cols[column[m]].append(g.nodes[m])
    cols[-1].append(g.nodes[y])
    stacks: dict[int, list] = {}
    for node in below:
        home = max(column.get(p.split("[")[0], 0) for p in node.id.split("*"))
        stacks.setdefault(home, []).append(node)
        cols[home].append(node)
    xs = _columns(cols)
    main_h = max([g.nodes[y].h] + ([first_x.h] if first_x is not None else []))
    if first_x is not None:
        first_x.x, first_x.y = xs[0], 0.0
    for c, nodes in stacks.items():
        _stack(nodes, xs[c], main_h / 2 + (TIER_GAP if c else ROW_GAP))
    serial = len(set(rank[m] for m in mediators)) > 1
    tiers = dict(zip(mediators, _arch(len(mediators)) if serial else [1] * len(mediators)))
    by_tier: dict = {}
    for m in mediators:
        by_tier.setdefault(tiers[m], []).append(g.nodes[m])
    ys = _above(by_tier, main_h)
    for m in mediators:
        g.nodes[m].x, g.nodes[m].y = xs[column[m]], ys[tiers[m]]
    if not serial and first_x is not None:
        _lift(g, mediators, [first_x.id, y])
    g.nodes[y].x = xs[-1]
    if mediators or first_x is None:
        g.nodes[y].y = 0.0
    else:   # moderation only: Y level with the middle of its predictors
        ys_ = [g.nodes[str(r.term)].y for r in terms[y]]
        g.nodes[y].y = (min(ys_) + max(ys_)) / 2 if ys_ else 0.0
    for eq in eqs:
        for r in terms[eq]:
            sig = isinstance(r.p, float) and r.p < 0.05
            g.edge(str(r.term), eq, label=fmt_num(r.b, 3) + stars(r.p, scheme), dashed=not sig,
                   color="#1F4E79" if sig else "#8A8A8A")
    return g.chart()
