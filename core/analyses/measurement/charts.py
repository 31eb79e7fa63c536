"""Charts of the measurement area: scree plot (with the parallel-analysis
line), loadings heat map, and the path diagram of a CFA or SEM
(:mod:`core.diagram`).  Pure builders: tidy result tables in, chart out."""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

from core.theme import themed
from core.diagram import Diagram
from core.format import fmt_num, star_note, stars
from core.i18n import t


def scree(eig: pd.DataFrame, lang: str) -> alt.Chart:
    """Eigenvalues by component; the simulated means of parallel analysis as a
    dashed line when present; a rule at eigenvalue 1 (SPSS's criterion)."""
    obs = pd.DataFrame({"component": eig["component"], "eigenvalue": eig["eigenvalue"],
                        "series": t("measure.chart.observed", lang)})
    parts = [obs]
    if "parallel" in eig and eig["parallel"].notna().any():
        parts.append(pd.DataFrame({"component": eig["component"], "eigenvalue": eig["parallel"],
                                   "series": t("measure.chart.parallel", lang)}))
    data = pd.concat(parts, ignore_index=True)
    x = alt.X("component:O", title=t("efa.col.component", lang), axis=alt.Axis(labelAngle=0))
    y = alt.Y("eigenvalue:Q", title=t("efa.col.eigenvalue", lang))
    color = alt.Color("series:N", title=None, legend=alt.Legend(orient="top-right"))
    lines = alt.Chart(data).mark_line(point=True).encode(
        x=x, y=y, color=color, strokeDash=alt.StrokeDash("series:N", legend=None),
        tooltip=[alt.Tooltip("component:O", title=t("efa.col.component", lang)),
                 alt.Tooltip("eigenvalue:Q", title=t("efa.col.eigenvalue", lang), format=".3f")])
    rule = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color="#999", strokeDash=[2, 2]).encode(y="y:Q")
    return themed((lines + rule).properties(title=t("measure.chart.scree", lang), width="container", height=300))


def loadings_heatmap(loadings: pd.DataFrame, lang: str, cutoff: float = 0.0) -> alt.Chart:
    """Item × factor heat map of the (pattern) loadings, values printed in cells."""
    data = loadings[["item", "factor", "loading"]].copy()
    data["label"] = [fmt_num(v, 2) if abs(v) >= cutoff else "" for v in data["loading"]]
    items = list(dict.fromkeys(data["item"]))
    base = alt.Chart(data).encode(
        x=alt.X("factor:N", title=t("efa.col.factor", lang), sort=list(dict.fromkeys(data["factor"])),
                axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("item:N", title=t("efa.col.item", lang), sort=items))
    rect = base.mark_rect().encode(
        color=alt.Color("loading:Q", title=t("efa.col.loading", lang),
                        scale=alt.Scale(scheme="redblue", domain=[-1, 1], reverse=True)),
        tooltip=[alt.Tooltip("item:N", title=t("efa.col.item", lang)),
                 alt.Tooltip("factor:N", title=t("efa.col.factor", lang)),
                 alt.Tooltip("loading:Q", title=t("efa.col.loading", lang), format=".3f")])
    text = base.mark_text(fontSize=11).encode(text="label:N")
    return themed((rect + text).properties(title=t("measure.chart.loadings", lang), width="container",
                                           height=max(120, 18 * len(items))))


ITEM_GAP = 56.0     # px between a factor and its indicators
STACK_GAP = 8.0     # px between indicators
BLOCK_GAP = 26.0    # px between the blocks (a factor with its indicators) of one column
SEM_COL_GAP = 150.0
MAX_COLUMN = 760.0  # px: a CFA's factors with their indicators stand in columns of about this height
# "auto": indicators drawn up to this many (a CFA stacks them in columns; a SEM spreads them around its
# paths, which then get small on a page or a slide), factor covariances up to this many
AUTO_ITEMS, AUTO_COV = {"cfa": 40, "sem": 20}, 10
SIDES = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1)}


def _num(v) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return ""
    return fmt_num(v, 2, leading_zero=False) if math.isfinite(v) else ""


def _p(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def _block(g: Diagram, nid: str, children: dict, side: str) -> tuple[dict, tuple]:
    """A node with its indicators (and theirs, for a higher-order factor) on
    ``side``: offsets of every node from the node's centre and the bounding box."""
    node = g.nodes[nid]
    offsets = {nid: (0.0, 0.0)}
    box = [-node.w / 2, -node.h / 2, node.w / 2, node.h / 2]
    kids = [_block(g, c, children, side) for c in children.get(nid, []) if c in g.nodes]
    if not kids:
        return offsets, tuple(box)
    sx, sy = SIDES[side]
    if sx:    # a column of indicators beside the node, their near edges in line
        total = sum(b[3] - b[1] for _, b in kids) + STACK_GAP * (len(kids) - 1)
        y = -total / 2
        for offs, b in kids:
            dx = sx * (node.w / 2 + ITEM_GAP) - (b[2] if sx < 0 else b[0])
            dy = y - b[1]
            offsets.update({k: (ox + dx, oy + dy) for k, (ox, oy) in offs.items()})
            box = [min(box[0], b[0] + dx), min(box[1], b[1] + dy), max(box[2], b[2] + dx), max(box[3], b[3] + dy)]
            y += b[3] - b[1] + STACK_GAP
    else:     # a row of indicators above or below
        total = sum(b[2] - b[0] for _, b in kids) + STACK_GAP * (len(kids) - 1)
        x = -total / 2
        for offs, b in kids:
            dx = x - b[0]
            dy = sy * (node.h / 2 + ITEM_GAP) - (b[3] if sy < 0 else b[1])
            offsets.update({k: (ox + dx, oy + dy) for k, (ox, oy) in offs.items()})
            box = [min(box[0], b[0] + dx), min(box[1], b[1] + dy), max(box[2], b[2] + dx), max(box[3], b[3] + dy)]
            x += b[2] - b[0] + STACK_GAP
    return offsets, tuple(box)


COV = "#6A5D8A"


def _arcs(g: Diagram, arcs: list) -> None:
    """Covariances between nodes of one column (or one row) as arcs on ``side``:
    each node's arcs leave it at angles spread over the side's half, the
    nearest partner steepest, so that arcs nest instead of meeting in a point."""
    def along(v):   # position along the column (or row)
        return g.nodes[v].y if SIDES[sides[v]][0] else g.nodes[v].x

    sides, partners = {}, {}
    for a, b, side, _ in arcs:
        sides[a] = sides[b] = side
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    angle = {}
    for v, ps in partners.items():
        for sign in (-1, 1):     # partners before, partners after
            group = sorted((p for p in ps if (along(p) - along(v)) * sign > 0), key=lambda p: abs(along(p) - along(v)))
            for k, p in enumerate(group):
                spread = 62.0 - 52.0 * k / max(len(group) - 1, 1) if len(group) > 1 else 45.0
                sx, sy = SIDES[sides[v]]
                if sx:     # a column: 0° is straight out to the side, the partner's way is ± spread
                    angle[(v, p)] = (0.0 if sx > 0 else 180.0) + sign * spread * (1 if sx > 0 else -1)
                else:      # a row: 90° (down) or 270° (up) is straight out
                    angle[(v, p)] = (90.0 if sy > 0 else 270.0) - sign * spread * (1 if sy > 0 else -1)
    for a, b, _, label_ in arcs:
        distance = abs(along(a) - along(b))
        g.arc(a, b, (angle[(a, b)], angle[(b, a)]), 16.0 + 0.3 * distance, label=label_, dashed=True, heads=2,
              color=COV, width=1.2)


def path_diagram(estimates: pd.DataFrame, latents: list[str], observed: list[str], ds, lang: str, title: str,
                 show_items: bool = True, show_cov: bool = True, r2: pd.DataFrame | None = None,
                 scheme: str = "apa") -> alt.LayerChart:
    """A CFA or SEM with its standardized estimates.

    Factors are ellipses (their labels in the user's language), indicators
    boxes (their names) in a column or row beside their factor; a
    higher-order factor holds its first-order factors the same way.  With
    regressions, the variables they link stand in columns from predictors
    (indicators on the left) to outcomes (indicators on the right), solid
    arrows when p < .05, dashed and grey otherwise; without (a CFA) the
    factors stand in one column with their covariances as arcs on the right.
    Two-headed dashed curves are covariances between factors (``show_cov``)
    and residual covariances between indicators.  R² under endogenous
    variables; stars by ``scheme`` on every free estimate."""
    est = estimates
    if "group" in est and len(est):
        est = est[est["group"] == est["group"].min()]
    r2map = {} if r2 is None or r2.empty else dict(zip(r2["variable"], r2["r2"]))
    lat = set(latents)
    loads = est[est["op"] == "=~"]
    regs = est[(est["op"] == "~") & (est["lhs"] != est["rhs"])]
    covs = est[(est["op"] == "~~") & (est["lhs"] != est["rhs"])]
    children: dict[str, list[str]] = {}
    for r in loads.itertuples(index=False):
        if show_items or r.rhs in lat:
            children.setdefault(r.lhs, []).append(r.rhs)
    inner = {c for cs in children.values() for c in cs}
    in_regs = list(dict.fromkeys(list(regs["rhs"]) + list(regs["lhs"])))
    top = [v for v in dict.fromkeys([*latents, *in_regs]) if v not in inner or v in in_regs]
    note = [star_note(scheme, lang) + ("；" if lang == "zh" else "; ") + t("measure.chart.diagram_note", lang)]
    g = Diagram(title, note)

    def label(v: str) -> str:
        return ds.label(v) if ds is not None and ds.has(v) else str(v)

    def r2_text(v: str) -> str:
        return f"R² = {_num(r2map[v])}" if v in r2map and _num(r2map[v]) else ""

    for v in dict.fromkeys([*top, *inner]):
        if v in lat:
            g.node(v, label(v), shape="ellipse", style="latent", sub=r2_text(v), wrap=120)
        else:
            g.node(v, v if v in inner else label(v), style="observed", sub=r2_text(v), wrap=120)
    # columns: each variable one column after the latest of its predictors
    rank = {v: 0 for v in top}
    for _ in range(len(top)):
        for r in regs.itertuples(index=False):
            if r.lhs in rank and r.rhs in rank:
                rank[r.lhs] = max(rank[r.lhs], rank[r.rhs] + 1)
    last = max(rank.values(), default=0)
    cols = [[v for v in top if rank[v] == c] for c in range(last + 1)]
    sides: dict[str, str] = {}
    for c, col in enumerate(cols):
        for i, v in enumerate(col):
            sides[v] = "left" if c == 0 else "right" if c == last else ("top" if i == 0 else "bottom")
    blocks = {v: _block(g, v, children, sides[v]) for v in top}
    lat_cov = show_cov and bool((covs["lhs"].isin(top) & covs["rhs"].isin(top)).any())
    if regs.empty and not lat_cov:     # a CFA without arcs: a tall column of factors goes into several
        heights = [blocks[v][1][3] - blocks[v][1][1] + BLOCK_GAP for v in top]
        parts = math.ceil(sum(heights) / MAX_COLUMN)
        cols, budget = [[]], sum(heights) / parts
        for v, h in zip(top, heights):
            if cols[-1] and sum(blocks[u][1][3] - blocks[u][1][1] + BLOCK_GAP for u in cols[-1]) + h / 2 > budget:
                cols.append([])
            cols[-1].append(v)
    x_left = 0.0
    for col in cols:
        reach_l = max(-blocks[v][1][0] for v in col)
        reach_r = max(blocks[v][1][2] for v in col)
        x = x_left + reach_l
        gap = BLOCK_GAP if children else 1.6 * BLOCK_GAP    # factors alone: room for the arcs between them
        height = sum(blocks[v][1][3] - blocks[v][1][1] for v in col) + gap * (len(col) - 1)
        y = -height / 2
        for v in col:
            offs, box = blocks[v]
            cy = y - box[1]
            for k, (ox, oy) in offs.items():
                g.nodes[k].x, g.nodes[k].y = x + ox, cy + oy
            y += box[3] - box[1] + gap
        x_left = x + reach_r + SEM_COL_GAP
    owner = {c: p for p, cs in children.items() for c in cs}
    for r in loads.itertuples(index=False):
        if r.lhs in g.nodes and r.rhs in g.nodes and r.rhs in children.get(r.lhs, []):
            g.edge(r.lhs, r.rhs, label=_num(r.std_estimate) + stars(_p(r.p), scheme), color="#4A4A4A", width=1.2,
                   bend=0.0, label_at=0.62)
    for r in regs.itertuples(index=False):
        if r.lhs in g.nodes and r.rhs in g.nodes:
            sig = _p(r.p) < 0.05
            g.edge(r.rhs, r.lhs, label=_num(r.std_estimate) + stars(_p(r.p), scheme), dashed=not sig,
                   color="#1F4E79" if sig else "#8A8A8A", width=2.0)
    arcs, other = [], []
    for r in covs.itertuples(index=False):
        a, b = r.lhs, r.rhs
        if a not in g.nodes or b not in g.nodes:
            continue
        both_top = a in rank and b in rank
        if both_top and not show_cov:
            continue
        label_ = _num(r.std_estimate) + stars(_p(r.p), scheme)
        if both_top and rank[a] == rank[b]:        # beside the column, into the room between the columns
            arcs.append((a, b, "left" if 0 < last == rank[a] else "right", label_))
        elif not both_top and owner.get(a) is not None and owner.get(a) == owner.get(b):
            arcs.append((a, b, sides.get(owner[a], "left"), label_))   # residual covariance, beside its items
        else:
            other.append((a, b, label_))
    _arcs(g, arcs)
    for a, b, label_ in other:
        g.edge(a, b, label=label_, dashed=True, heads=2, color=COV, width=1.2)
    return g.chart()


def _shown(choice, count: int, limit: int) -> bool:
    return choice == "show" or (choice in (None, "auto") and count <= limit)


def diagram(result, ds, lang: str, options: dict | None, kind: str) -> alt.LayerChart:
    """The path diagram of a cfa or sem result with the display options
    ``items`` and ``covariances`` (show | hide | auto) and ``stars``."""
    options = options or {}
    est = result.tables["estimates"]
    latents = list(result.meta.get("latent") or [])
    n_cov = int(((est["op"] == "~~") & (est["lhs"] != est["rhs"]) & est["lhs"].isin(latents)
                 & est["rhs"].isin(latents)).sum())
    observed = list(result.meta.get("observed") or [])
    return path_diagram(est, latents, observed, ds, lang, t(f"measure.chart.{kind}_diagram", lang),
                        show_items=_shown(options.get("items"), len(observed), AUTO_ITEMS[kind]),
                        show_cov=_shown(options.get("covariances"), n_cov, AUTO_COV),
                        r2=result.tables.get("r2"), scheme=options.get("stars") or "apa")


def cfa_charts(result, ds, lang: str, options: dict | None = None) -> list:
    return [("diagram", diagram(result, ds, lang, options, "cfa"))] if not result.tables["estimates"].empty else []


def sem_charts(result, ds, lang: str, options: dict | None = None) -> list:
    return [("diagram", diagram(result, ds, lang, options, "sem"))] if not result.tables["estimates"].empty else []


def efa_charts(result, ds, lang, options: dict | None = None) -> list:
    out = [("scree", scree(result.tables["eigenvalues"], lang))]
    if not result.tables["loadings"].empty and result.tables["loadings"]["factor"].nunique() > 0:
        out.append(("loadings", loadings_heatmap(result.tables["loadings"], lang)))
    return out


# ---- the charts of the key findings (AnalysisSpec.chart) -----------------------------------------
GUIDE = "#555"


def guide_bars(data: pd.DataFrame, title: str, axis: str, lang: str, guides: tuple = (),
               domain: tuple[float, float] = (0.0, 1.0)) -> alt.Chart:
    """Values as horizontal bars (columns ``row``, ``series``, ``value``, and
    ``guide`` for a cut-off of the row's own, drawn as a black tick) against
    dashed guide lines ``(value, label)`` common to every row — a coefficient
    per scale against .70/.80, fit indices against their cut-offs."""
    data = data.copy()
    data["text"] = [_num(v) for v in data["value"]]
    lo = min(domain[0], float(data["value"].min()) if data["value"].notna().any() else 0.0)
    x = alt.X("value:Q", title=axis, scale=alt.Scale(domain=[lo, domain[1]]))
    y = alt.Y("row:N", sort=list(dict.fromkeys(data["row"])), title=None, axis=alt.Axis(labelOverlap=False))
    series = list(dict.fromkeys(data["series"]))
    enc = {"y": y, "x": x}
    if len(series) > 1:
        enc.update(yOffset=alt.YOffset("series:N", sort=series),
                   color=alt.Color("series:N", sort=series, title=None, legend=alt.Legend(orient="bottom")))
    bars = alt.Chart(data).mark_bar(**({} if len(series) > 1 else {"color": "#4C78A8"})).encode(
        **enc, tooltip=[alt.Tooltip("row:N", title=" "), alt.Tooltip("series:N", title=" "),
                        alt.Tooltip("value:Q", title=axis, format=".3f")])
    text = alt.Chart(data).mark_text(align="left", dx=3, fontSize=11).encode(**enc, text="text:N")
    layers = [bars, text]
    if "guide" in data and data["guide"].notna().any():
        layers.append(alt.Chart(data.dropna(subset=["guide"])).mark_tick(color="black", thickness=3).encode(
            y=y, x=alt.X("guide:Q", scale=alt.Scale(domain=[lo, domain[1]])),
            tooltip=[alt.Tooltip("guide:Q", title=t("measure.chart.cutoff", lang), format=".2f")]))
    if guides:
        g = pd.DataFrame({"x": [v for v, _ in guides], "label": [lab for _, lab in guides]})
        layers.append(alt.Chart(g).mark_rule(color=GUIDE, strokeDash=[4, 3]).encode(x="x:Q"))
        layers.append(alt.Chart(g).mark_text(color=GUIDE, align="left", baseline="top", dx=3, y=0, fontSize=11)
                      .encode(x="x:Q", text="label:N"))
    n = len(dict.fromkeys(data["row"])) * max(1, len(series))
    return themed(alt.layer(*layers).properties(title=title, width="container", height=max(110, 24 * n + 30)))


def reliability_chart(alpha: pd.DataFrame, lang: str) -> alt.Chart:
    """Cronbach's α (and McDonald's ω) of each scale against .70 (acceptable) and .80 (good)."""
    cols = [c for c in ("alpha", "omega") if c in alpha and alpha[c].notna().any()]
    data = alpha.melt(id_vars=["scale"], value_vars=cols, var_name="series", value_name="value") \
        .dropna(subset=["value"]).rename(columns={"scale": "row"})
    data["series"] = data["series"].map({"alpha": "α", "omega": "ω"})
    return guide_bars(data, t("measure.chart.reliability", lang), t("measure.chart.coefficient", lang), lang,
                      guides=((0.7, ".70"), (0.8, ".80")))   # what they mean: in the title


def validity_chart(validity: pd.DataFrame, lang: str) -> alt.Chart:
    """AVE and CR of each factor against .50 (AVE) and .70 (CR) (Fornell & Larcker)."""
    data = validity.melt(id_vars=["factor"], value_vars=["ave", "cr"], var_name="series", value_name="value") \
        .dropna(subset=["value"]).rename(columns={"factor": "row"})
    data["guide"] = data["series"].map({"ave": 0.5, "cr": 0.7})
    data["series"] = data["series"].map({"ave": "AVE", "cr": "CR"})
    return guide_bars(data, t("measure.chart.validity", lang), t("measure.chart.coefficient", lang), lang)


def htmt_chart(htmt: pd.DataFrame, lang: str) -> alt.Chart:
    """Each pair of factors' HTMT ratio against .85."""
    data = pd.DataFrame({"row": [f"{a} – {b}" for a, b in zip(htmt["factor_a"], htmt["factor_b"])],
                         "series": "HTMT", "value": htmt["htmt"].abs()}).dropna(subset=["value"])
    return guide_bars(data, t("measure.chart.htmt", lang), "HTMT", lang, guides=((0.85, ".85"),))


FIT_CUTOFFS = (("cfi", "CFI", 0.95), ("tli", "TLI", 0.95), ("rmsea", "RMSEA", 0.06), ("srmr", "SRMR", 0.08))


def fit_chart(fit: pd.DataFrame, lang: str) -> alt.Chart:
    """The fit indices of a model — or of the hypothesised model and its
    competitors (a model comparison table: column ``model``) — with each
    index's cut-off as a black tick: CFI/TLI ≥ .95, RMSEA ≤ .06, SRMR ≤ .08."""
    rows = []
    for r in fit.to_dict("records"):
        code = r.get("model")
        series = t(f"cfa.model.{code}", lang) if code in ("hypothesised", "one_factor") else \
            str(code) if code else t("measure.chart.model", lang)
        for col, label, cut in FIT_CUTOFFS:
            v = r.get(col)
            if v is not None and math.isfinite(float(v)):
                rows.append({"row": label, "series": series, "value": float(v), "guide": cut})
    data = pd.DataFrame(rows, columns=["row", "series", "value", "guide"])
    top = float(data["value"].max()) if len(data) else 1.0
    return guide_bars(data, t("measure.chart.fit", lang), t("measure.chart.index", lang), lang,
                      domain=(0.0, max(1.0, top)))


def paths_chart(paths: pd.DataFrame, lang: str) -> alt.Chart:
    """Standardized path coefficients (β) of a structural model, significant ones highlighted."""
    data = pd.DataFrame({"row": [f"{r} → {l}" for l, r in zip(paths["lhs"], paths["rhs"])],
                         "value": paths["std_estimate"].astype(float),
                         "sig": [t("measure.chart.sig" if (p == p and p < .05) else "measure.chart.nonsig", lang)
                                 for p in paths["p"]]})
    data["text"] = [_num(v) for v in data["value"]]
    sig = [t("measure.chart.sig", lang), t("measure.chart.nonsig", lang)]
    y = alt.Y("row:N", sort=list(data["row"]), title=None, axis=alt.Axis(labelOverlap=False))
    lo, hi = min(0.0, float(data["value"].min())), max(0.0, float(data["value"].max()))
    pad = 0.15 * max(hi - lo, 0.1)   # room for the values printed beyond the bars' ends
    x = alt.X("value:Q", title="β", scale=alt.Scale(domain=[lo - pad * (lo < 0), hi + pad]))
    bars = alt.Chart(data).mark_bar().encode(y=y, x=x, color=alt.Color("sig:N", title=None, scale=alt.Scale(
        domain=sig, range=["#4C78A8", "#BBBBBB"]), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("row:N", title=" "), alt.Tooltip("value:Q", title="β", format=".3f")])
    pos, neg = data[data["value"] >= 0], data[data["value"] < 0]   # the value beyond each bar's end
    text = alt.Chart(pos).mark_text(align="left", dx=3, fontSize=11).encode(y=y, x=x, text="text:N") + \
        alt.Chart(neg).mark_text(align="right", dx=-3, fontSize=11).encode(y=y, x=x, text="text:N")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=GUIDE).encode(x="x:Q")
    return themed((zero + bars + text).properties(title=t("measure.chart.paths", lang), width="container",
                                                  height=max(110, 26 * len(data) + 30)))


def finding_chart(result, ds, lang: str, name: str):
    """A key finding's own chart by name (``alpha``, ``validity``, ``htmt``,
    ``fit``, ``comparison``, ``paths``) from a reliability, CFA or SEM result; None when the
    result has no table for it."""
    tables = result.tables
    make = {"alpha": ("alpha", reliability_chart), "validity": ("validity", validity_chart),
            "htmt": ("htmt", htmt_chart), "paths": ("paths", paths_chart)}
    if name in ("fit", "comparison"):   # the model's fit, or the hypothesised model beside its competitors
        fit = tables.get("fit" if name == "fit" else "model_comparison")
        return fit_chart(fit, lang) if fit is not None and not fit.empty else None
    if name in make:
        df = tables.get(make[name][0])
        return make[name][1](df, lang) if df is not None and not df.empty else None
    return None
