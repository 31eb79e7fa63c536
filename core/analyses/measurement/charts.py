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
