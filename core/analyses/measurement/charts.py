"""Charts of the measurement area: scree plot (with the parallel-analysis
line), loadings heat map, and the path diagram of a CFA/SEM as Graphviz DOT.
Pure builders: tidy result tables in, chart (or DOT text) out."""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

from core.theme import themed
from core.format import fmt_num
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


def _q(name: str) -> str:
    return '"' + str(name).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(v) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return ""
    return fmt_num(v, 2, leading_zero=False) if math.isfinite(v) else ""


def _r2(v) -> str:
    return "\\nR² = " + _num(v)


def path_dot(estimates: pd.DataFrame, latents: list[str], observed: list[str], lang: str,
             show_items: bool = True, r2: pd.DataFrame | None = None, show_cov: bool = True) -> str:
    """Graphviz DOT of a CFA/SEM with standardized estimates on the arrows.

    ``estimates`` has columns lhs, op, rhs, std_estimate (and p); latents are
    ellipses, observed variables boxes; regressions are solid arrows, factor
    loadings arrows from the factor to its items, covariances between
    different latent variables dashed two-headed arrows (``show_cov``).  Loadings
    of a higher-order factor on its first-order factors are always drawn; item
    boxes only with ``show_items``.  R² of endogenous variables is printed under
    their names.
    """
    r2map = {} if r2 is None or r2.empty else dict(zip(r2["variable"], r2["r2"]))
    lines = ["digraph model {", "  rankdir=LR;", '  graph [fontname="Noto Sans CJK SC", nodesep=0.25, ranksep=0.9];',
             '  node [fontname="Noto Sans CJK SC", fontsize=11];', '  edge [fontname="Noto Sans CJK SC", fontsize=10];']
    used = set()
    est = estimates
    for lv in latents:
        lines.append(f"  {_q(lv)} [shape=ellipse, label={_q(lv)[:-1] + (_r2(r2map[lv]) if lv in r2map else '') + chr(34)}];")
        used.add(lv)
    if show_items:
        for ov in observed:
            lines.append(f"  {_q(ov)} [shape=box];")
            used.add(ov)
    for r in est.itertuples(index=False):
        lab = _num(r.std_estimate)
        star = ""
        if hasattr(r, "p"):
            try:
                p = float(r.p)
                star = "***" if p < .001 else "**" if p < .01 else "*" if p < .05 else ""
            except (TypeError, ValueError):
                pass
        if r.op == "=~" and (show_items or r.rhs in latents):
            lines.append(f"  {_q(r.lhs)} -> {_q(r.rhs)} [label={_q(lab)}];")
        elif r.op == "~" and r.lhs in used and r.rhs in used:
            lines.append(f"  {_q(r.rhs)} -> {_q(r.lhs)} [label={_q(lab + star)}, penwidth=1.6];")
        elif show_cov and r.op == "~~" and r.lhs != r.rhs and r.lhs in latents and r.rhs in latents:
            lines.append(f"  {_q(r.lhs)} -> {_q(r.rhs)} [dir=both, style=dashed, constraint=false, "
                         f"label={_q(lab + star)}];")
    lines.append("}")
    return "\n".join(lines)


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
