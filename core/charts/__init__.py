"""Altair chart builders: tidy DataFrame in, chart out; pure, no streamlit.

Every title and axis label comes from the catalogue in the requested language;
data labels (variable and value labels) are passed in already resolved.
Shared pieces live here; each analysis area keeps its builders in its own
module of this package (``core/charts/<area>.py``).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.i18n import t

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def themed(chart: alt.Chart) -> alt.Chart:
    """Common look: readable type, fonts that render Chinese."""
    return chart.configure(font=FONT).configure_axis(labelFontSize=12, titleFontSize=13, labelLimit=260) \
        .configure_title(fontSize=15, anchor="start").configure_legend(labelFontSize=12, titleFontSize=12)


def frequency_bars(freq: pd.DataFrame, title: str, lang: str) -> alt.Chart:
    """Horizontal bars of a frequency table (columns level, n, percent)."""
    data = freq[["level", "n", "percent"]].copy()
    order = list(data["level"])
    bars = alt.Chart(data).mark_bar(color="#4C78A8").encode(
        y=alt.Y("level:N", sort=order, title=None),
        x=alt.X("n:Q", title=t("col.n", lang)),
        tooltip=[alt.Tooltip("level:N", title=t("col.level", lang)), alt.Tooltip("n:Q", title=t("col.n", lang)),
                 alt.Tooltip("percent:Q", title=t("col.percent", lang), format=".1f")],
    )
    text = bars.transform_calculate(pct_label="format(datum.percent, '.1f') + '%'") \
        .mark_text(align="left", dx=3).encode(text="pct_label:N")
    return themed((bars + text).properties(title=title, width="container", height={"step": 26}))
