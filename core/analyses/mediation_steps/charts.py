"""Chart of mediation in causal steps: the standardised paths a, b, c and c′
side by side, significant ones in colour."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.theme import themed
from core.i18n import t
from core.types import Result

SIG = "#C0392B"
NONSIG = "#7F8C8D"


def charts(res: Result, ds, lang: str, options: dict | None = None) -> list:
    st = res.tables["steps"]
    if st.empty:
        return []
    x, m = res.meta["x"], res.meta["m"]
    rows = []
    for path, model, term in (("c", "c", x), ("a", "a", x), ("b", "b", m), ("c′", "b", x)):
        r = st[(st["model"] == model) & (st["term"] == term)].iloc[0]
        rows.append({"path": t(f"mediation_steps.path.{'c_prime' if path == 'c′' else path}", lang),
                     "beta": float(r["beta"]), "p": float(r["p"]), "sig": bool(r["p"] < 0.05)})
    data = pd.DataFrame(rows)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("path:N", sort=list(data["path"]), title=None),
        x=alt.X("beta:Q", title=t("mediation_steps.chart.beta", lang)),
        color=alt.Color("sig:N", scale=alt.Scale(domain=[True, False], range=[SIG, NONSIG]), legend=None),
        tooltip=[alt.Tooltip("path:N"), alt.Tooltip("beta:Q", format=".3f"), alt.Tooltip("p:Q", format=".3f")])
    return [("paths", themed(chart.properties(height=160)))]
