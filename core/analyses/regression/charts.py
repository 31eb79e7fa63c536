"""Charts of the correlation and regression analyses (Altair, pure).

Every builder takes tidy frames plus already-resolved labels and returns a
themed chart; titles and axes come from the catalogue in ``lang``.
"""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from core.analyses.regression.whatif import as_model, fitted_residuals
from core.data.model import Dataset
from core.theme import themed
from core.types import Result
from core.format import code_key, fmt_num, fmt_p, stars
from core.i18n import t
from core.stats import as_float

MAX_POINTS = 5000       # residual plots thin larger samples evenly (Altair's row limit)
SIG = "#C0392B"
NONSIG = "#7F8C8D"
BAR = "#4C78A8"


# ---- correlation ------------------------------------------------------------------
def correlation_heatmap(matrix: pd.DataFrame, variables: list[str], labels: dict, lang: str,
                        scheme: str = "spss") -> alt.Chart:
    """Full symmetric heat map of r (diverging, −1 … 1) with r and stars
    printed in each cell."""
    names = [labels.get(v, v) for v in variables]
    rows = [{"a": labels.get(v, v), "b": labels.get(v, v), "r": 1.0, "p": math.nan, "n": math.nan,
             "text": "1"} for v in variables]
    for rec in matrix.itertuples(index=False):
        r, p = as_float(rec.r), as_float(rec.p)
        text = "" if math.isnan(r) else fmt_num(r, 2, leading_zero=False) + stars(p, scheme)
        for a, b in ((rec.var_a, rec.var_b), (rec.var_b, rec.var_a)):
            rows.append({"a": labels.get(a, a), "b": labels.get(b, b), "r": r, "p": p, "n": rec.n, "text": text})
    data = pd.DataFrame(rows)
    data["p_text"] = data["p"].map(fmt_p)
    base = alt.Chart(data).encode(
        x=alt.X("b:N", sort=names, title=None, axis=alt.Axis(labelAngle=-40, labelOverlap=False)),
        y=alt.Y("a:N", sort=names, title=None, axis=alt.Axis(labelOverlap=False)),
    )
    rect = base.mark_rect().encode(
        color=alt.Color("r:Q", scale=alt.Scale(scheme="redblue", domain=[-1, 1], reverse=True),
                        title=t("correlation.chart.r", lang)),
        tooltip=[alt.Tooltip("a:N", title=t("correlation.col.var_a", lang)),
                 alt.Tooltip("b:N", title=t("correlation.col.var_b", lang)),
                 alt.Tooltip("r:Q", title=t("correlation.col.r", lang), format=".3f"),
                 alt.Tooltip("p_text:N", title=t("col.p", lang)), alt.Tooltip("n:Q", title=t("col.n", lang))],
    )
    text = base.mark_text(fontSize=12).encode(
        text="text:N",
        color=alt.condition("abs(datum.r) > 0.6", alt.value("white"), alt.value("black")),
    )
    return themed((rect + text).properties(title=t("correlation.chart.heatmap", lang), width=alt.Step(64),
                                           height=alt.Step(34)))


# ---- regression --------------------------------------------------------------------
def term_label(term: dict, ds) -> str:
    if term.get("level") is None:
        return ds.label(term["variable"]) if ds is not None else term["variable"]
    base = ds.label(term["variable"]) if ds is not None else term["variable"]
    return f"{base}: {ds.level_label(term['variable'], term['level']) if ds is not None else term['level']}"


def forest(coefficients: pd.DataFrame, terms: list[dict], ds, lang: str) -> alt.Chart:
    """Standardised coefficients (β) of the final step with their 95% CIs
    (the b CI rescaled by SD(x)/SD(y)); significant ones highlighted."""
    last = coefficients[coefficients["step"] == coefficients["step"].max()]
    info = {tm["term"]: tm for tm in terms}
    rows = []
    for rec in last.itertuples(index=False):
        if rec.term not in info:
            continue
        b, beta = as_float(rec.b), as_float(rec.beta)
        ratio = beta / b if b not in (0.0,) and not math.isnan(b) else math.nan
        lo, hi = as_float(rec.ci_low) * ratio, as_float(rec.ci_high) * ratio
        rows.append({"term": term_label(info[rec.term], ds), "beta": beta, "lo": min(lo, hi), "hi": max(lo, hi),
                     "p": as_float(rec.p), "sig": t("regression.chart.sig" if as_float(rec.p) < 0.05 else
                                               "regression.chart.nonsig", lang)})
    data = pd.DataFrame(rows, columns=["term", "beta", "lo", "hi", "p", "sig"])
    data["p_text"] = data["p"].map(fmt_p)
    order = list(data.sort_values("beta", ascending=False)["term"])
    color = alt.Color("sig:N", title=None, scale=alt.Scale(
        domain=[t("regression.chart.sig", lang), t("regression.chart.nonsig", lang)], range=[SIG, NONSIG]))
    y = alt.Y("term:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False))
    rule = alt.Chart(data).mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("lo:Q", title=t("regression.chart.beta_axis", lang)), x2="hi:Q", color=color)
    point = alt.Chart(data).mark_point(filled=True, size=70).encode(
        y=y, x="beta:Q", color=color,
        tooltip=[alt.Tooltip("term:N", title=t("regression.col.term", lang)),
                 alt.Tooltip("beta:Q", title="β", format=".3f"),
                 alt.Tooltip("lo:Q", title=t("regression.col.ci_low", lang), format=".3f"),
                 alt.Tooltip("hi:Q", title=t("regression.col.ci_high", lang), format=".3f"),
                 alt.Tooltip("p_text:N", title=t("col.p", lang))])
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 3], color="#555").encode(x="x:Q")
    return themed((zero + rule + point).properties(title=t("regression.chart.forest", lang), width="container",
                                                   height=alt.Step(26)))


def _thin(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) <= MAX_POINTS:
        return df
    idx = np.linspace(0, len(df) - 1, MAX_POINTS).round().astype(int)
    return df.iloc[idx]


def residuals_vs_fitted(fr: pd.DataFrame, lang: str) -> alt.Chart:
    """Residuals against fitted values (final step) with a zero line and a
    LOESS smooth: curvature or a funnel shape signal problems."""
    data = _thin(fr[["row", "fitted", "residual"]].sort_values("fitted"))
    pts = alt.Chart(data).mark_circle(size=22, opacity=0.5, color=BAR).encode(
        x=alt.X("fitted:Q", title=t("regression.chart.fitted", lang), scale=alt.Scale(zero=False)),
        y=alt.Y("residual:Q", title=t("regression.chart.residual", lang)),
        tooltip=[alt.Tooltip("row:Q", title=t("regression.chart.row", lang)),
                 alt.Tooltip("fitted:Q", format=".3f", title=t("regression.chart.fitted", lang)),
                 alt.Tooltip("residual:Q", format=".3f", title=t("regression.chart.residual", lang))])
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(strokeDash=[4, 3], color="#555").encode(y="y:Q")
    smooth = alt.Chart(data).transform_loess("fitted", "residual", bandwidth=0.5).mark_line(color=SIG).encode(
        x="fitted:Q", y="residual:Q")
    return themed((pts + zero + smooth).properties(title=t("regression.chart.resid_fitted", lang),
                                                   width="container", height=300))


def qq_plot(fr: pd.DataFrame, lang: str) -> alt.Chart:
    """Normal Q–Q plot of the standardised residuals e/σ̂ against normal
    quantiles at R's ``ppoints`` ((i − a)/(n + 1 − 2a), a = 3/8 for n ≤ 10,
    else 1/2)."""
    z = np.sort(fr["std_residual"].to_numpy())
    n = z.size
    a = 3.0 / 8.0 if n <= 10 else 0.5
    theo = stats.norm.ppf((np.arange(1, n + 1) - a) / (n + 1 - 2 * a))
    data = _thin(pd.DataFrame({"theoretical": theo, "sample": z}))
    lim = float(np.nanmax(np.abs(np.concatenate([theo, z])))) if n else 1.0
    pts = alt.Chart(data).mark_circle(size=22, opacity=0.6, color=BAR).encode(
        x=alt.X("theoretical:Q", title=t("regression.chart.theoretical", lang)),
        y=alt.Y("sample:Q", title=t("regression.chart.sample_q", lang)))
    line = alt.Chart(pd.DataFrame({"x": [-lim, lim], "y": [-lim, lim]})).mark_line(
        color=SIG, strokeDash=[4, 3]).encode(x="x:Q", y="y:Q")
    return themed((line + pts).properties(title=t("regression.chart.qq", lang), width="container", height=300))


def _floored(scen: pd.DataFrame) -> pd.DataFrame:
    """Scenario rows plus ``floor``: where the bars start — a little below the
    lowest interval limit, so differences of a tenth of a point stay visible
    (bars from zero would flatten them)."""
    data = scen[list(SCEN_FIELDS)].copy()
    lows = data[["pi_low", "ci_low", "prediction"]].to_numpy(dtype=float)
    highs = data[["pi_high", "ci_high", "prediction"]].to_numpy(dtype=float)
    lo = float(np.nanmin(lows)) if np.isfinite(lows).any() else 0.0
    hi = float(np.nanmax(highs)) if np.isfinite(highs).any() else 1.0
    data["floor"] = lo - 0.05 * (hi - lo if hi > lo else 1.0)
    return data


SCEN_FIELDS = ("scenario", "prediction", "ci_low", "ci_high", "pi_low", "pi_high")


def scenario_names(scen: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The scenarios as a chart shows them: the automatic row coded "baseline"
    (every predictor at its mean) named in ``lang`` (tables name it through
    the column's codes); the result keeps the code."""
    out = scen.copy()
    out["scenario"] = out["scenario"].replace({"baseline": t("regression.scenario.baseline", lang)})
    return out


def scenario_bars(scen: pd.DataFrame, outcome_label: str, lang: str, show_pi: bool = True) -> alt.Chart:
    """Scenarios side by side: predicted outcome (bar) with its 95% CI (black
    line) and prediction interval (dashed grey).  The data sit at the top level
    of the spec, so :func:`with_data` can swap them without rebuilding the
    chart (the what-if simulator redraws it on every slider move)."""
    data = _floored(scenario_names(scen, lang))
    x = alt.X("scenario:N", sort=None, title=None, axis=alt.Axis(labelAngle=0, labelLimit=160))
    yscale = alt.Scale(zero=False, nice=False)
    tip = [alt.Tooltip("scenario:N", title=t("regression.col.scenario", lang)),
           alt.Tooltip("prediction:Q", format=".3f", title=t("regression.col.prediction", lang)),
           alt.Tooltip("ci_low:Q", format=".3f", title=t("regression.col.ci_low", lang)),
           alt.Tooltip("ci_high:Q", format=".3f", title=t("regression.col.ci_high", lang)),
           alt.Tooltip("pi_low:Q", format=".3f", title=t("regression.col.pi_low", lang)),
           alt.Tooltip("pi_high:Q", format=".3f", title=t("regression.col.pi_high", lang))]
    bars = alt.Chart().mark_bar(color=BAR, opacity=0.8, size=46).encode(
        x=x, y=alt.Y("floor:Q", title=outcome_label, scale=yscale), y2="prediction:Q", tooltip=tip)
    layers = [bars]
    if show_pi:
        layers.append(alt.Chart().mark_rule(color=NONSIG, strokeDash=[4, 3], strokeWidth=1.5).encode(
            x=x, y=alt.Y("pi_low:Q", scale=yscale, title=outcome_label), y2="pi_high:Q"))
    layers.append(alt.Chart().mark_rule(color="black", strokeWidth=3).encode(
        x=x, y=alt.Y("ci_low:Q", scale=yscale, title=outcome_label), y2="ci_high:Q"))
    layers.append(alt.Chart().mark_text(dx=30, align="left", fontSize=13, fontWeight="bold").encode(
        x=x, y=alt.Y("prediction:Q", scale=yscale), text=alt.Text("prediction:Q", format=".2f")))
    return themed(alt.layer(*layers, data=data).properties(title=t("regression.chart.scenarios", lang),
                                                           width="container", height=320))


def with_data(spec: dict, frame: pd.DataFrame) -> dict:
    """A copy of a :func:`scenario_bars` spec with ``frame`` (a scenarios
    table) as its data — no Altair work, so a slider move costs a millisecond,
    not the 50–100 ms of building and validating a chart."""
    out = dict(spec)
    records = [{k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
               for row in _floored(frame).to_dict("records")]
    out["datasets"] = {"whatif": records}
    out["data"] = {"name": "whatif"}
    return out


def lever_bars(lev: pd.DataFrame, labels: dict, change: str, outcome_label: str, lang: str) -> alt.Chart:
    """Levers: predicted change in the outcome when each predictor rises by
    ``change`` ("1 point" or "1 SD"), with 95% CIs, largest first."""
    data = lev[lev["change"] == change].copy()
    data["label"] = data["predictor"].map(lambda v: labels.get(v, v))
    data["sig"] = [t("regression.chart.sig" if (lo > 0 or hi < 0) else "regression.chart.nonsig", lang)
                   for lo, hi in zip(data["ci_low"], data["ci_high"])]
    order = list(data.reindex(data["delta"].abs().sort_values(ascending=False).index)["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False))
    color = alt.Color("sig:N", title=None, scale=alt.Scale(
        domain=[t("regression.chart.sig", lang), t("regression.chart.nonsig", lang)], range=[BAR, NONSIG]))
    title_x = t("regression.chart.lever_axis", lang, outcome=outcome_label,
                change=t(f"regression.change.{code_key(change)}", lang))
    bars = alt.Chart(data).mark_bar(opacity=0.85).encode(
        y=y, x=alt.X("delta:Q", title=title_x), color=color,
        tooltip=[alt.Tooltip("label:N", title=t("regression.col.predictor", lang)),
                 alt.Tooltip("delta:Q", format=".3f", title=t("regression.col.delta", lang)),
                 alt.Tooltip("ci_low:Q", format=".3f", title=t("regression.col.ci_low", lang)),
                 alt.Tooltip("ci_high:Q", format=".3f", title=t("regression.col.ci_high", lang))])
    err = alt.Chart(data).mark_errorbar(ticks=True, color="black").encode(
        y=y, x=alt.X("ci_low:Q", title=title_x), x2="ci_high:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#555").encode(x="x:Q")
    return themed((bars + err + zero).properties(title=t("regression.chart.levers", lang), width="container",
                                                 height=alt.Step(30)))


def lever_names(result: Result, options: dict) -> list[str]:
    """The predictors the levers chart shows: the chosen ones (option ``levers``), else the numeric
    predictors of the last block, else every numeric predictor."""
    numeric = [p["name"] for p in as_model(result).predictors if p["kind"] == "numeric"]
    chosen = [v for v in options.get("levers") or [] if v in numeric]
    last = [v for v in (options.get("blocks") or [[]])[-1] if v in numeric]
    return chosen or last or numeric


def regression_charts(result, ds, lang: str, options: dict | None = None) -> list:
    """All charts of a regression result: forest plot, residuals vs fitted,
    normal Q–Q, scenarios, levers (:func:`levers_chart`)."""

    model = as_model(result)
    out = [("forest", forest(result.tables["coefficients"], result.meta.get("terms", []), ds, lang))]
    if ds is not None:
        fr = fitted_residuals(model, ds)
        out += [("resid_fitted", residuals_vs_fitted(fr, lang)), ("qq", qq_plot(fr, lang))]
    label = ds.label(model.outcome) if ds is not None else model.outcome
    out.append(("scenarios", scenario_bars(result.tables["scenarios"], label, lang)))
    levers = levers_chart(result, ds, lang, options)
    return out + ([("levers", levers)] if levers is not None else [])


def levers_chart(result: Result, ds: Dataset | None, lang: str, options: dict | None = None) -> alt.Chart | None:
    """The levers chart of the predictors :func:`lever_names` picks, by the rise the option
    ``lever_change`` names (1 SD by default); None when there is no numeric predictor."""
    options = options or {}
    model = as_model(result)
    lev = result.tables["levers"]
    lev = lev[lev["predictor"].isin(lever_names(result, options))]
    if lev.empty:
        return None
    labels = {p["name"]: (ds.label(p["name"]) if ds is not None else p["name"]) for p in model.predictors}
    outcome = ds.label(model.outcome) if ds is not None else model.outcome
    return lever_bars(lev, labels, options.get("lever_change") or "1 SD", outcome, lang)


def correlation_charts(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> list:
    labels = {v: ds.label(v) for v in result.meta.get("variables", [])}
    return [("heatmap", correlation_heatmap(result.tables["matrix"], result.meta.get("variables", []), labels, lang))]
