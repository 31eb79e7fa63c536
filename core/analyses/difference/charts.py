"""Charts of the difference analysis: the split × outcome overview heat map,
group means with 95% CI bars, box and violin views, the two-way interaction
plot and cross-tab bars.  Pure builders: result tables (and, for the
distribution views, the dataset) in, Altair chart out; titles and axes from the
catalogue, groups named by their value labels."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.analyses.difference.spec import SPECS
from core.theme import themed
from core.data.model import Dataset
from core.format import fmt_num, fmt_p, level_labels, stars
from core.i18n import t
from core.types import Result

DIFFERENCE, CROSSTAB = SPECS


def _read(df: pd.DataFrame, spec, table: str, ds: Dataset) -> pd.DataFrame:
    """A result table with its level codes as their labels (the chart's words, text on a nominal axis)."""
    return level_labels(df, spec.table(table).columns, ds, text=True)


def _labels(ds: Dataset, names) -> dict:
    return {n: ds.label(n) for n in names}


def heatmap(result: Result, ds: Dataset, lang: str, scheme: str = "apa") -> alt.Chart:
    """Every split × outcome, coloured by η² (comparable across 2 and k groups),
    marked with the stars of the reported test's p."""
    tests = result.tables["tests"]
    eff = result.tables["effects"]
    eta = eff[eff.measure == "eta2"].set_index(["group", "outcome"])["value"]
    data = tests[["group", "outcome", "test", "statistic", "p", "effect_size_name", "effect_size", "note"]].copy()
    data["eta2"] = [eta.get((g, o), np.nan) for g, o in zip(data.group, data.outcome)]
    data["split"] = data.group.map(_labels(ds, data.group.unique()))
    data["variable"] = data.outcome.map(_labels(ds, data.outcome.unique()))
    data["mark"] = [stars(p, scheme) if isinstance(p, float) else "" for p in data.p]
    data["p_text"] = [fmt_p(p) if isinstance(p, float) else "" for p in data.p]
    data["test_name"] = [t(f"difference.testname.{x}", lang) if isinstance(x, str) else
                         t(f"difference.cellnote.{n}", lang) if isinstance(n, str) else "" for x, n in
                         zip(data.test, data.note)]
    data["stat_text"] = [fmt_num(v, 2) if isinstance(v, float) else "" for v in data.statistic]
    data = data.drop(columns=["note"])
    y_order = list(dict.fromkeys(data.split))
    x_order = list(dict.fromkeys(data.variable))
    base = alt.Chart(data).encode(
        x=alt.X("variable:N", sort=x_order, title=t("difference.chart.outcome", lang),
                axis=alt.Axis(labelAngle=-35, orient="top", labelOverlap=False, labelLimit=180)),
        y=alt.Y("split:N", sort=y_order, title=t("difference.chart.split", lang),
                axis=alt.Axis(labelOverlap=False)))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("eta2:Q", title=t("difference.chart.eta2", lang),
                        scale=alt.Scale(scheme="oranges", domain=[0, max(0.06, float(np.nanmax(
                            np.r_[data.eta2.to_numpy(dtype=float), 0.0])))])),
        tooltip=[alt.Tooltip("split:N", title=t("difference.chart.split", lang)),
                 alt.Tooltip("variable:N", title=t("difference.chart.outcome", lang)),
                 alt.Tooltip("test_name:N", title=t("difference.col.test", lang)),
                 alt.Tooltip("stat_text:N", title=t("difference.col.statistic", lang)),
                 alt.Tooltip("p_text:N", title="p"),
                 alt.Tooltip("eta2:Q", title=t("difference.chart.eta2", lang), format=".3f")])
    text = base.mark_text(fontSize=14, fontWeight="bold").encode(text="mark:N")
    return themed((rect + text).properties(
        title=alt.TitleParams(t("difference.chart.heatmap", lang),
                              subtitle=t(f"format.stars.{scheme}", lang)),
        width="container", height=alt.Step(30)))


def means(group_stats: pd.DataFrame, ds: Dataset, lang: str) -> alt.Chart:
    """Group means with 95% CI bars (the rows of one split and outcome), groups in level order."""
    split_label, outcome_label = (ds.label(group_stats[c].iloc[0]) if len(group_stats) else "" for c in
                                  ("group", "outcome"))
    data = _read(group_stats, DIFFERENCE, "group_stats", ds)[["level", "n", "mean", "sd", "ci_low", "ci_high"]]
    order = list(data.level)
    x = alt.X("level:N", sort=order, title=split_label, axis=alt.Axis(labelAngle=0, labelLimit=160))
    tip = [alt.Tooltip("level:N", title=t("col.level", lang)), alt.Tooltip("n:Q", title="n"),
           alt.Tooltip("mean:Q", title=t("col.mean", lang), format=".3f"),
           alt.Tooltip("sd:Q", title=t("col.sd", lang), format=".3f"),
           alt.Tooltip("ci_low:Q", title=t("difference.col.ci_low", lang), format=".3f"),
           alt.Tooltip("ci_high:Q", title=t("difference.col.ci_high", lang), format=".3f")]
    bars = alt.Chart(data).mark_errorbar(ticks=True, color="#4C78A8").encode(
        x=x, y=alt.Y("ci_low:Q", title=t("difference.chart.mean_ci", lang, outcome=outcome_label),
                     scale=alt.Scale(zero=False)), y2="ci_high:Q")
    points = alt.Chart(data).mark_point(filled=True, size=90, color="#4C78A8").encode(x=x, y="mean:Q", tooltip=tip)
    return themed((bars + points).properties(
        title=t("difference.chart.means", lang, outcome=outcome_label, split=split_label),
        width="container", height=300))


def _long(ds: Dataset, group: str, outcome: str, merge: dict | None = None,
          hide: frozenset = frozenset()) -> tuple[pd.DataFrame, list[str]]:
    """The outcome's values per level of the split, levels as labels in their
    order; levels whose code is in ``hide`` (small cells a report suppresses) left out."""
    codes, levels = ds.split_codes(group, merge)
    labels = [ds.level_label(group, c) for c in levels]
    y = ds.numeric(outcome)
    shown = np.array([str(c) not in hide for c in levels] + [False], dtype=bool)
    ok = (codes >= 0) & np.isfinite(y) & shown[codes]
    labels = [lab for lab, keep in zip(labels, shown) if keep]
    data = pd.DataFrame({"level": np.asarray(labels, dtype=object)[codes[ok]], "value": y[ok]})
    return data, labels


def box(ds: Dataset, group: str, outcome: str, lang: str, merge: dict | None = None,
        hide: frozenset = frozenset()) -> alt.Chart:
    """Box plot of the outcome per group (Tukey whiskers at 1.5 IQR)."""
    data, order = _long(ds, group, outcome, merge, hide)
    chart = alt.Chart(data).mark_boxplot(extent=1.5, size=36, color="#4C78A8").encode(
        x=alt.X("level:N", sort=order, title=ds.label(group), axis=alt.Axis(labelAngle=0, labelLimit=160)),
        y=alt.Y("value:Q", title=ds.label(outcome), scale=alt.Scale(zero=False)))
    return themed(chart.properties(title=t("difference.chart.box", lang, outcome=ds.label(outcome),
                                           split=ds.label(group)), width="container", height=300))


def violin(ds: Dataset, group: str, outcome: str, lang: str, merge: dict | None = None,
           hide: frozenset = frozenset()) -> alt.Chart:
    """Violin plot: the kernel density of the outcome in each group, side by side."""
    data, order = _long(ds, group, outcome, merge, hide)
    order = [lv for lv in order if lv in set(data.level)]
    lo, hi = (float(data.value.min()), float(data.value.max())) if len(data) else (0.0, 1.0)
    chart = alt.Chart(data).transform_density(
        "value", as_=["value", "density"], groupby=["level"], extent=[lo, hi]
    ).mark_area(orient="horizontal", color="#4C78A8", opacity=0.75).encode(
        y=alt.Y("value:Q", title=ds.label(outcome)),
        x=alt.X("density:Q", stack="center", impute=None, title=None,
                axis=alt.Axis(labels=False, values=[0], grid=False, ticks=True)),
        column=alt.Column("level:N", sort=order, title=ds.label(group),
                          header=alt.Header(titleOrient="bottom", labelOrient="bottom", labelLimit=140)),
    ).properties(width=max(60, int(560 / max(1, len(order)))), height=280)
    return chart.configure_facet(spacing=0).configure_view(stroke=None).properties(
        title=t("difference.chart.violin", lang, outcome=ds.label(outcome), split=ds.label(group)))


def interaction(fm: pd.DataFrame, ds: Dataset, lang: str) -> alt.Chart:
    """Two-way interaction plot: cell means (lines per level of the split)
    across the levels of the second split, with 95% CI bars."""
    g, by, o = fm.group.iloc[0], fm.by.iloc[0], fm.outcome.iloc[0]
    data = _read(fm, DIFFERENCE, "factorial_means", ds)[["level", "by_level", "n", "mean", "ci_low", "ci_high"]]
    x = alt.X("by_level:N", sort=list(dict.fromkeys(data.by_level)), title=ds.label(by),
              axis=alt.Axis(labelAngle=0, labelLimit=160))
    color = alt.Color("level:N", sort=list(dict.fromkeys(data.level)), title=ds.label(g))
    line = alt.Chart(data).mark_line(point=True).encode(
        x=x, y=alt.Y("mean:Q", title=ds.label(o), scale=alt.Scale(zero=False)), color=color,
        tooltip=[alt.Tooltip("level:N", title=ds.label(g)), alt.Tooltip("by_level:N", title=ds.label(by)),
                 alt.Tooltip("n:Q", title="n"), alt.Tooltip("mean:Q", title=t("col.mean", lang), format=".3f")])
    err = alt.Chart(data).mark_errorbar(opacity=0.5).encode(
        x=x, y=alt.Y("ci_low:Q", title=ds.label(o), scale=alt.Scale(zero=False)), y2="ci_high:Q", color=color)
    return themed((line + err).properties(
        title=t("difference.chart.interaction", lang, outcome=ds.label(o), split=ds.label(g), by=ds.label(by)),
        width="container", height=300))


def crosstab_bars(cells: pd.DataFrame, ds: Dataset, lang: str) -> alt.Chart:
    """Row percentages as stacked bars (each row level sums to 100 %)."""
    rv, cv = cells.row_var.iloc[0], cells.col_var.iloc[0]
    data = _read(cells, CROSSTAB, "cells", ds)[["row_level", "col_level", "n", "row_pct"]].copy()
    col_order = list(dict.fromkeys(data.col_level))
    data["col_index"] = [col_order.index(c) for c in data.col_level]
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("row_level:N", sort=list(dict.fromkeys(data.row_level)), title=ds.label(rv)),
        x=alt.X("row_pct:Q", title=t("difference.chart.row_pct", lang), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("col_level:N", sort=list(dict.fromkeys(data.col_level)), title=ds.label(cv)),
        order=alt.Order("col_index:Q"),
        tooltip=[alt.Tooltip("row_level:N", title=ds.label(rv)), alt.Tooltip("col_level:N", title=ds.label(cv)),
                 alt.Tooltip("n:Q", title="n"),
                 alt.Tooltip("row_pct:Q", title=t("difference.chart.row_pct", lang), format=".1f")],
    )
    return themed(chart.properties(title=t("difference.chart.crosstab", lang, row=ds.label(rv), col=ds.label(cv)),
                                   width="container", height=max(100, 34 * data.row_level.nunique())))


def result_charts(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> list:
    """Charts of a whole battery: the overview and any interaction plots."""
    out = []
    if not result.tables["tests"].empty:
        out.append(("heatmap", heatmap(result, ds, lang, (options or {}).get("stars") or "apa")))
    fm = result.tables.get("factorial_means")
    if fm is not None and not fm.empty:
        for (g, by, o), sub in fm.groupby(["group", "by", "outcome"], sort=False):
            out.append((f"interaction_{g}_{by}_{o}", interaction(sub, ds, lang)))
    return out


def level(row, ds: Dataset, lang: str) -> alt.Chart:
    """One outcome's mean with its 95% CI on its scale: the low / medium /
    high thirds shaded, the midpoint marked (a row of the levels table)."""
    from scipy import stats

    lo, hi = ds.scale_range(row.outcome)   # the levels table has only outcomes with a scale range
    half = float(stats.t.ppf(0.975, row.df)) * row.sd / np.sqrt(row.n) if row.n > 1 else np.nan
    bands = pd.DataFrame({"from": [lo, row.low_cut, row.high_cut], "to": [row.low_cut, row.high_cut, hi],
                          "band": [t(f"difference.level.{x}", lang) for x in ("low", "medium", "high")]})
    point = pd.DataFrame({"mean": [row.mean], "ci_low": [row.mean - half], "ci_high": [row.mean + half],
                          "midpoint": [row.midpoint], "y": [ds.label(row.outcome)]})
    axis_title = t("difference.chart.level_axis", lang)
    x = alt.X("from:Q", scale=alt.Scale(domain=[lo, hi]), title=axis_title)
    shade = alt.Chart(bands).mark_rect(opacity=0.35).encode(
        x=x, x2="to:Q", color=alt.Color("band:N", sort=list(bands.band), title=None,
                                        scale=alt.Scale(range=["#c6dbef", "#fdd0a2", "#fc9272"])))
    mid = alt.Chart(point).mark_rule(strokeDash=[4, 3], color="#555").encode(x="midpoint:Q")
    err = alt.Chart(point).mark_errorbar(ticks=True, thickness=2, color="#08306b").encode(
        x=alt.X("ci_low:Q", scale=alt.Scale(domain=[lo, hi]), title=axis_title), x2="ci_high:Q")
    dot = alt.Chart(point).mark_point(filled=True, size=160, color="#08306b").encode(
        x="mean:Q", tooltip=[alt.Tooltip("mean:Q", title=t("col.mean", lang), format=".2f"),
                             alt.Tooltip("ci_low:Q", title=t("difference.col.ci_low", lang), format=".2f"),
                             alt.Tooltip("ci_high:Q", title=t("difference.col.ci_high", lang), format=".2f")])
    label = alt.Chart(point).mark_text(dy=-18, fontSize=14, fontWeight="bold").encode(
        x="mean:Q", text=alt.Text("mean:Q", format=".2f"))
    return themed((shade + mid + err + dot + label).properties(
        title=t("difference.chart.level", lang, outcome=ds.label(row.outcome)), width="container", height=120))


def finding_chart(result: Result, ds: Dataset, lang: str, name: str):
    """One chart by name, made on demand (a finding's, a cell's detail on the
    page): ``means_<split>_<outcome>`` (the group means of one split and
    outcome), ``box_<split>_<outcome>`` and ``violin_<split>_<outcome>`` (its
    distribution per group, small groups merged as the analysis merged them) or
    ``level_<outcome>`` (the outcome's level on its scale); None for any other name."""
    tests = result.tables["tests"]
    for g, o in zip(tests.group, tests.outcome):
        if name == f"means_{g}_{o}":
            gs = result.tables["group_stats"]
            return means(gs[(gs.group == g) & (gs.outcome == o)], ds, lang)
        if name in (f"box_{g}_{o}", f"violin_{g}_{o}"):
            gs = result.tables["group_stats"]
            cell = gs[(gs.group == g) & (gs.outcome == o)]
            hide = frozenset(str(c) for c in cell.level[pd.to_numeric(cell.n, errors="coerce").isna()])
            return (box if name.startswith("box_") else violin)(ds, g, o, lang, result.meta.get("merge"), hide)
    lv = result.tables.get("levels")
    for r in lv.itertuples(index=False) if lv is not None else ():
        if name == f"level_{r.outcome}":
            return level(r, ds, lang)
    return None


def crosstab_charts(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> list:
    cells = result.tables["cells"]
    return [(f"crosstab_{r}_{c}", crosstab_bars(sub, ds, lang))
            for (r, c), sub in cells.groupby(["row_var", "col_var"], sort=False)]
