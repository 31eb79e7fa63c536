"""Plain-language reading of a binary logistic regression (zh/en): the model's
overall test and fit, then each predictor of the last step as an odds ratio
("each extra year multiplies the odds of leaving by 1.08"), honest about
predictors whose CI includes 1."""
from __future__ import annotations

import math

from core.format import fmt_num, fmt_p
from core.i18n import t
from core.types import Finding, Result

ALPHA = 0.05
INTERCEPT = "(Intercept)"


def _p(p) -> str:
    s = fmt_p(float(p))
    return f"p {s}" if s.startswith("<") else f"p = {s}"


def _label(term: str, ds) -> str:
    if "[" in term:
        var, level = term[:-1].split("[", 1)
        if ds is None or not ds.has(var):
            return f"{var}: {level}"
        return f"{ds.label(var)}: {ds.level_label(var, level)}"
    return ds.label(term) if ds is not None and ds.has(term) else term


def _last(res: Result):
    coef = res.tables["coefficients"]
    last = int(res.tables["steps"]["step"].max())
    return res.tables["steps"].iloc[-1], coef[(coef["step"] == last) & (coef["term"] != INTERCEPT)]


def paragraphs(res: Result, ds, lang: str) -> list[str]:
    if res.tables["steps"].empty:
        return []
    step, coef = _last(res)
    event = ds.level_label(res.meta["outcome"], res.meta["event"]) if ds is not None else str(res.meta["event"])
    out = [t("logistic.text.model", lang, event=event, chi2=fmt_num(step["chi2"], 2), df=int(step["df"]),
             p=_p(step["p"]), r2=fmt_num(step["nagelkerke_r2"], 3), acc=fmt_num(step["accuracy"], 1),
             hl=fmt_num(step["hosmer_lemeshow_chi2"], 2), hl_p=_p(step["hl_p"]) if math.isfinite(step["hl_p"]) else "—")]
    for r in coef.itertuples(index=False):
        key = "up" if r.odds_ratio >= 1 else "down"
        sig = r.p < ALPHA
        out.append(t(f"logistic.text.{'sig' if sig else 'ns'}_{key}", lang, term=_label(r.term, ds), event=event,
                     odds=fmt_num(r.odds_ratio, 2), lo=fmt_num(r.or_ci_low, 2), hi=fmt_num(r.or_ci_high, 2),
                     p=_p(r.p), pct=fmt_num(abs(r.odds_ratio - 1) * 100, 0)))
    return out


def findings(res: Result, ds, lang: str) -> list[Finding]:
    if res.tables["steps"].empty:
        return []
    _, coef = _last(res)
    paras = paragraphs(res, ds, lang)
    numeric = {p["name"] for p in res.meta["whatif"]["predictors"] if p["kind"] == "numeric"}
    out = []
    for (r, text) in zip(coef.itertuples(index=False), paras[1:]):
        chart = f"probability_{r.term}" if r.term in numeric else None
        out.append(Finding(text, paras[0], chart, abs(math.log(r.odds_ratio)) if r.odds_ratio > 0 else 0.0,
                           bool(r.p < ALPHA), "predictor", "coefficients"))
    return out
