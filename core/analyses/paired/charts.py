"""Chart of the paired-samples tests: for every pair, the spread of the
differences a − b (box, Tukey whiskers) with the mean difference and its CI
on top and a line at zero — a CI that misses the line is a significant t."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.data.model import Dataset
from core.i18n import t
from core.theme import themed
from core.types import Result


def _pair_label(ds: Dataset, a: str, b: str) -> str:
    return f"{ds.label(a)} − {ds.label(b)}"


def differences(result: Result, ds: Dataset, lang: str) -> alt.Chart:
    tests = result.tables["tests"]
    spread = []
    for a, b in zip(tests.var_a, tests.var_b):
        x, y = ds.numeric(a), ds.numeric(b)
        ok = np.isfinite(x) & np.isfinite(y)
        spread.append(pd.DataFrame({"pair": _pair_label(ds, a, b), "difference": x[ok] - y[ok]}))
    data = pd.concat(spread, ignore_index=True)
    means = tests[["mean_diff", "ci_low", "ci_high", "n"]].assign(
        pair=[_pair_label(ds, a, b) for a, b in zip(tests.var_a, tests.var_b)]).dropna(subset=["mean_diff"])
    order = list(dict.fromkeys(means.pair))
    y = alt.Y("pair:N", sort=order, title=t("paired_t.chart.pair", lang), axis=alt.Axis(labelLimit=220))
    x_title = t("paired_t.chart.difference", lang)
    box = alt.Chart(data).mark_boxplot(extent=1.5, size=22, color="#9ECAE9", opacity=0.8).encode(
        y=y, x=alt.X("difference:Q", title=x_title))
    ci = alt.Chart(means).mark_errorbar(ticks=True, thickness=2, color="#E45756").encode(
        y=y, x=alt.X("ci_low:Q", title=x_title), x2="ci_high:Q")
    mean = alt.Chart(means).mark_point(filled=True, size=80, color="#E45756").encode(
        y=y, x="mean_diff:Q",
        tooltip=[alt.Tooltip("pair:N", title=t("paired_t.chart.pair", lang)), alt.Tooltip("n:Q", title="n"),
                 alt.Tooltip("mean_diff:Q", title=t("paired_t.chart.mean_diff", lang), format=".3f"),
                 alt.Tooltip("ci_low:Q", title=t("paired_t.col.ci_low", lang), format=".3f"),
                 alt.Tooltip("ci_high:Q", title=t("paired_t.col.ci_high", lang), format=".3f")])
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(strokeDash=[4, 3], color="#555").encode(x="zero:Q")
    title = t("paired_t.chart.title", lang, conf=f"{result.meta.get('conf', 95.0):g}")
    return themed((box + zero + ci + mean).properties(title=title, width="container", height={"step": 44}))


def chart_list(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> list:
    if result.tables["tests"]["mean_diff"].notna().any():
        return [("differences", differences(result, ds, lang))]
    return []
