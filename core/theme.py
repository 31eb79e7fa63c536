"""The common look of every chart (fonts that render Chinese, type sizes).

Each analysis family builds its Altair charts in its own ``charts.py`` from a
Result; every title and axis label comes from the catalogue in the requested
language, data labels (variable and value labels) are passed in resolved.
"""
from __future__ import annotations

import altair as alt

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def themed(chart: alt.Chart) -> alt.Chart:
    """Common look: readable type, fonts that render Chinese."""
    return chart.configure(font=FONT).configure_axis(labelFontSize=12, titleFontSize=13, labelLimit=260) \
        .configure_title(fontSize=15, anchor="start").configure_legend(labelFontSize=12, titleFontSize=12)

