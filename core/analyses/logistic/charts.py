"""Chart of a binary logistic regression: the predicted probability of the
event across the range of each numeric predictor (the others at their means,
categorical ones at the sample mix), with its 95% CI band."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.analyses.logistic.compute import predict_probability
from core.theme import themed
from core.i18n import t
from core.types import Result

POINTS = 60


def probability_curve(model: dict, name: str, label: str, event: str, lang: str) -> alt.Chart:
    pred = next(p for p in model["predictors"] if p["name"] == name)
    xs = np.linspace(pred["min"], pred["max"], POINTS)
    rows = [{"x": float(x), **predict_probability(model, {name: float(x)})} for x in xs]
    data = pd.DataFrame(rows)
    ytitle = t("logistic.chart.probability", lang, event=event)
    base = alt.Chart(data).encode(x=alt.X("x:Q", title=label))
    band = base.mark_area(opacity=0.2).encode(y=alt.Y("ci_low:Q", title=ytitle, scale=alt.Scale(domain=[0, 1])),
                                             y2="ci_high:Q")
    line = base.mark_line().encode(y="probability:Q",
                                   tooltip=[alt.Tooltip("x:Q", title=label, format=".2f"),
                                            alt.Tooltip("probability:Q", title=ytitle, format=".3f")])
    return themed((band + line).properties(height=260))


def charts(res: Result, ds, lang: str, options: dict | None = None) -> list:
    model = res.meta.get("whatif")
    if not model:
        return []
    event = ds.level_label(res.meta["outcome"], res.meta["event"]) if ds is not None else str(res.meta["event"])
    out = []
    for p in model["predictors"]:
        if p["kind"] == "numeric" and p["max"] > p["min"]:
            label = ds.label(p["name"]) if ds is not None and ds.has(p["name"]) else p["name"]
            out.append((f"probability_{p['name']}", probability_curve(model, p["name"], label, event, lang)))
    return out
