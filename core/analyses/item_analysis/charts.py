"""Charts of an item analysis: the critical ratio of each item against the
conventional threshold t = 3, and the corrected item–total r against .30."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.analyses.item_analysis.text import MIN_R, MIN_T
from core.theme import themed
from core.i18n import t
from core.types import Result

GOOD = "#4C78A8"
WEAK = "#C0392B"


def _bars(data: pd.DataFrame, value: str, threshold: float, title: str, lang: str) -> alt.Chart:
    data = data.assign(ok=data[value] >= threshold)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("item:N", sort=list(data["item"]), title=None),
        x=alt.X(f"{value}:Q", title=title),
        color=alt.Color("ok:N", scale=alt.Scale(domain=[True, False], range=[GOOD, WEAK]), legend=None),
        tooltip=[alt.Tooltip("item:N", title=t("item_analysis.col.item", lang)),
                 alt.Tooltip(f"{value}:Q", title=title, format=".3f")])
    rule = alt.Chart(pd.DataFrame({"v": [threshold]})).mark_rule(strokeDash=[4, 3]).encode(x="v:Q")
    return themed((bars + rule).properties(height=max(120, 22 * len(data))))


def charts(res: Result, ds, lang: str, options: dict | None = None) -> list:
    cr = res.tables["critical_ratio"]
    if cr.empty:
        return []
    return [("critical_ratio", _bars(cr[["item", "t"]], "t", MIN_T, t("item_analysis.chart.cr", lang), lang)),
            ("item_total", _bars(res.tables["item_total"][["item", "r_corrected"]], "r_corrected", MIN_R,
                                 t("item_analysis.chart.r", lang), lang))]
