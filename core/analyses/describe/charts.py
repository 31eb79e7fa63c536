"""Charts of the describe analysis: one bar chart per frequency table; the
scales' means on their ranges (the key finding's chart)."""
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


def scale_means(desc: pd.DataFrame, ds: Dataset, lang: str) -> alt.Chart | None:
    """Each scale's mean ± 1 SD as a dot on its range (grey), the range's
    midpoint ticked: which scales score high and low, at a glance."""
    rows = []
    for r in desc.itertuples(index=False):
        rng = ds.scale_range(r.variable) if r.variable in ds.scales else None
        if rng is None or r.mean != r.mean:
            continue
        sd = r.sd if r.sd == r.sd else 0.0
        rows.append({"scale": ds.label(r.variable), "mean": float(r.mean), "lo": rng[0], "hi": rng[1],
                     "mid": (rng[0] + rng[1]) / 2, "sd_lo": max(rng[0], r.mean - sd), "sd_hi": min(rng[1], r.mean + sd)})
    if not rows:
        return None
    data = pd.DataFrame(rows)
    order = list(data.sort_values("mean", ascending=False)["scale"])
    y = alt.Y("scale:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False))
    x = alt.X("lo:Q", title=t("describe.chart.mean_axis", lang), scale=alt.Scale(zero=False))
    span = alt.Chart(data).mark_bar(color="#e6e6e6", size=14).encode(y=y, x=x, x2="hi:Q")
    mid = alt.Chart(data).mark_tick(color="#555", thickness=2, size=18).encode(y=y, x="mid:Q")
    sd = alt.Chart(data).mark_rule(color="#08306b", strokeWidth=2).encode(y=y, x="sd_lo:Q", x2="sd_hi:Q")
    dot = alt.Chart(data).mark_point(filled=True, size=110, color="#08306b").encode(
        y=y, x="mean:Q", tooltip=[alt.Tooltip("scale:N", title=" "),
                                  alt.Tooltip("mean:Q", title=t("col.mean", lang), format=".2f")])
    text = alt.Chart(data).mark_text(dy=-12, fontSize=11).encode(y=y, x="mean:Q", text=alt.Text("mean:Q", format=".2f"))
    return themed((span + mid + sd + dot + text).properties(title=t("describe.chart.means", lang), width="container",
                                                            height=max(110, 30 * len(data) + 30)))


def finding_chart(result: Result, ds: Dataset, lang: str, name: str):
    """A key finding's own chart by name (``means``: the scales on their ranges); None for any other."""
    return scale_means(result.tables["describe"], ds, lang) if name == "means" else None


def chart_list(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> list:
    out = []
    freq = level_labels(result.tables["frequencies"], SPEC.table("frequencies").columns, ds, text=True)
    for name, sub in freq.groupby("variable", sort=False):
        out.append((f"freq_{name}", frequency_bars(sub, ds.label(name), lang)))
    return out
