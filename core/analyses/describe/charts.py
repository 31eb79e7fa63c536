"""Charts of the describe analysis: one bar chart per frequency table."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.analyses.describe.spec import SPEC
from core.data.model import Dataset
from core.format import level_labels
from core.i18n import t
from core.theme import themed
from core.types import Result


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



def chart_list(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> list:
    out = []
    freq = level_labels(result.tables["frequencies"], SPEC.table("frequencies").columns, ds, text=True)
    for name, sub in freq.groupby("variable", sort=False):
        out.append((f"freq_{name}", frequency_bars(sub, ds.label(name), lang)))
    return out
