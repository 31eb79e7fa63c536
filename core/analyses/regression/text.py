"""Plain-language paragraphs and key findings for correlation and regression.

Written for an official who does not read statistics: which sources of
pressure matter most, in everyday words, with the APA numbers (R², F, β, p)
in brackets for whoever checks them; honest about predictors that add
nothing reliable, and about what survey data cannot show (cause).
"""
from __future__ import annotations

import math

from core.format import fmt_num, p_apa
from core.i18n import t
from core.types import Finding, Result
from core.stats import as_float

ALPHA = 0.05


def _b(x, digits=2) -> str:
    """Bounded statistics (r, β, R²) without a leading zero."""
    return fmt_num(x, digits, leading_zero=False)


def _join(items: list[str], lang: str) -> str:
    if not items:
        return ""
    if lang == "zh":
        return "、".join(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " " + t("regression.interp.and", lang) + " " + items[-1]


def _paren(label: str, stat: str, p, lang: str) -> str:
    """"Role conflict (β = .24, p < .001)" with the language's brackets."""
    if lang == "zh":
        return f"{label}（{stat}，{p_apa(p)}）"
    return f"{label} ({stat}, {p_apa(p)})"


def _direction(r: float, lang: str) -> str:
    return t("correlation.interp.together", lang) if r > 0 else t("correlation.interp.opposite", lang)


def _size(r: float, lang: str) -> str:
    a = abs(r)
    key = "large" if a >= 0.5 else "medium" if a >= 0.3 else "small" if a >= 0.1 else "negligible"
    return t(f"regression.size.{key}", lang)


# ---- correlation -------------------------------------------------------------------
def correlation(res: Result, ds, lang: str) -> list[str]:
    m = res.tables["matrix"]
    m = m[m["r"].notna()]
    if m.empty:
        return []
    lab = (lambda v: ds.label(v)) if ds is not None else (lambda v: v)
    method = t(f"correlation.choice.method.{res.meta.get('method', 'pearson')}", lang)
    sig = m[m["p"] < ALPHA]
    pos = int((sig["r"] > 0).sum())
    neg = int((sig["r"] < 0).sum())
    paras = [t("correlation.interp.overview", lang, k=len(m), sig=len(sig), pos=pos, neg=neg, method=method)]
    top = m.reindex(m["r"].abs().sort_values(ascending=False).index).iloc[0]
    paras.append(t("correlation.interp.strongest", lang, a=lab(top.var_a), b=lab(top.var_b), r=_b(top.r),
                   p=p_apa(top.p), n=int(top.n), size=_size(top.r, lang),
                   direction=_direction(top.r, lang)))
    weak = m[m["p"] >= ALPHA]
    if len(weak):
        pairs = [_paren(f"{lab(r.var_a)}–{lab(r.var_b)}", f"r = {_b(r.r)}", r.p, lang) for r in weak.itertuples()][:6]
        paras.append(t("correlation.interp.nonsig", lang, pairs=_join(pairs, lang)))
    paras.append(t("correlation.interp.caution", lang))
    return paras


def correlation_findings(res: Result, ds, lang: str) -> list[Finding]:
    m = res.tables["matrix"]
    m = m[m["r"].notna()]
    lab = (lambda v: ds.label(v)) if ds is not None else (lambda v: v)
    out = []
    for r in m.reindex(m["r"].abs().sort_values(ascending=False).index).itertuples():
        significant = bool(r.p < ALPHA)
        key = "correlation.finding.sig" if significant else "correlation.finding.nonsig"
        head = t(key, lang, a=lab(r.var_a), b=lab(r.var_b), r=_b(r.r), p=p_apa(r.p), size=_size(r.r, lang),
                 direction=_direction(r.r, lang))
        detail = f"r({int(r.n) - 2}) = {_b(r.r, 3)}, {p_apa(r.p)}, n = {int(r.n)}"
        out.append(Finding(head, detail, "heatmap", abs(float(r.r)), significant, "association", "matrix"))
    return out


# ---- regression --------------------------------------------------------------------
def _final(res: Result):
    steps = res.tables["steps"]
    coefs = res.tables["coefficients"]
    last = int(steps["step"].max())
    terms = res.meta.get("terms", [])
    new = [tm for tm in terms if tm["step"] == last]
    rows = coefs[coefs["step"] == last].set_index("term")
    return steps, last, terms, new, rows


def _term_label(tm: dict, ds) -> str:
    base = ds.label(tm["variable"]) if ds is not None else tm["variable"]
    if tm.get("level") is None:
        return base
    return f"{base} ({ds.level_label(tm['variable'], tm['level']) if ds is not None else tm['level']})"


def regression(res: Result, ds, lang: str) -> list[str]:
    steps, last, terms, new, rows = _final(res)
    outcome = res.meta.get("outcome", "")
    y_label = ds.label(outcome) if ds is not None else outcome
    s = steps.iloc[-1]
    robust = bool(res.meta.get("robust"))
    paras = []
    f_text = f"F({int(s.df1)}, {int(s.df2)}) = {fmt_num(s.f, 2)}, {p_apa(s.p)}"
    model_key = "regression.interp.model_sig" if s.p < ALPHA else "regression.interp.model_nonsig"
    paras.append(t(model_key, lang, outcome=y_label, r2=_b(s.r2), pct=fmt_num(100 * as_float(s.r2), 0),
                   adj=_b(s.adj_r2), f=f_text, n=int(s.n)))
    if last > 1:
        ch = f"ΔR² = {_b(s.r2_change)}, F({int(s.df1_change)}, {int(s.df2_change)}) = {fmt_num(s.f_change, 2)}, " \
             f"{p_apa(s.p_change)}"
        key = "regression.interp.step_sig" if s.p_change < ALPHA else "regression.interp.step_nonsig"
        paras.append(t(key, lang, pct=fmt_num(100 * as_float(s.r2_change), 1), change=ch,
                       first=fmt_num(100 * as_float(steps.iloc[0].r2), 1)))

    ranked = []
    for tm in new:
        if tm["term"] not in rows.index:
            continue
        r = rows.loc[tm["term"]]
        ranked.append((tm, as_float(r.beta), as_float(r.p), as_float(r.b)))
    ranked.sort(key=lambda x: -abs(x[1]) if not math.isnan(x[1]) else 0)
    sig = [x for x in ranked if x[2] < ALPHA]
    nonsig = [x for x in ranked if not x[2] < ALPHA]
    if sig:
        tm, beta, p, b = sig[0]
        dir_key = "regression.interp.higher" if beta > 0 else "regression.interp.lower"
        paras.append(t("regression.interp.top", lang, name=_term_label(tm, ds), beta=_b(beta), p=p_apa(p),
                       outcome=y_label, direction=t(dir_key, lang), beta_abs=_b(abs(beta))))
        if len(sig) > 1:
            rest = [_paren(_term_label(tm, ds), f"β = {_b(beta)}", p, lang) for tm, beta, p, b in sig[1:]]
            paras.append(t("regression.interp.next", lang, names=_join(rest, lang)))
        neg = [x for x in sig if x[1] < 0]
        if neg:
            paras.append(t("regression.interp.negative", lang,
                           names=_join([_term_label(x[0], ds) for x in neg], lang), outcome=y_label))
    elif ranked:
        paras.append(t("regression.interp.none_sig", lang, outcome=y_label))
    if nonsig:
        items = [_paren(_term_label(tm, ds), f"β = {_b(beta)}", p, lang) for tm, beta, p, b in nonsig]
        paras.append(t("regression.interp.nonsig", lang, names=_join(items, lang)))

    lev = res.tables.get("levers")
    if lev is not None and len(lev) and sig:
        one = lev[lev["change"] == "1 point"].set_index("predictor")
        top = sig[0][0]
        if top["variable"] in one.index and top.get("level") is None:
            r = one.loc[top["variable"]]
            paras.append(t("regression.interp.lever", lang, name=_term_label(top, ds), outcome=y_label,
                           delta=fmt_num(r.delta, 2), lo=fmt_num(r.ci_low, 2), hi=fmt_num(r.ci_high, 2)))

    cautions = []
    vif = rows["vif"].dropna() if "vif" in rows else []
    if len(vif) and float(vif.max()) >= 5:
        cautions.append(t("regression.interp.vif", lang, vif=fmt_num(float(vif.max()), 1),
                          name=str(vif.idxmax())))
    dw = as_float(s.durbin_watson)
    if not math.isnan(dw) and not 1.5 <= dw <= 2.5:
        cautions.append(t("regression.interp.dw", lang, dw=fmt_num(dw, 2)))
    if robust:
        cautions.append(t("regression.interp.robust", lang))
    cautions.append(t("regression.interp.cause", lang))
    paras.append(" ".join(cautions))
    return paras


def regression_findings(res: Result, ds, lang: str) -> list[Finding]:
    steps, last, terms, new, rows = _final(res)
    outcome = res.meta.get("outcome", "")
    y_label = ds.label(outcome) if ds is not None else outcome
    s = steps.iloc[-1]
    out = [Finding(
        t("regression.finding.model", lang, outcome=y_label, pct=fmt_num(100 * as_float(s.r2), 0)),
        f"R² = {_b(s.r2, 3)}, adj. R² = {_b(s.adj_r2, 3)}, F({int(s.df1)}, {int(s.df2)}) = {fmt_num(s.f, 2)}, "
        f"{p_apa(s.p)}, n = {int(s.n)}",
        "forest", math.sqrt(max(as_float(s.r2), 0.0)), bool(s.p < ALPHA), "predictor", "steps")]
    for tm in new:
        if tm["term"] not in rows.index:
            continue
        r = rows.loc[tm["term"]]
        beta, p = as_float(r.beta), as_float(r.p)
        significant = bool(p < ALPHA)
        if significant:
            key = "regression.finding.pos" if beta > 0 else "regression.finding.neg"
        else:
            key = "regression.finding.nonsig"
        head = t(key, lang, name=_term_label(tm, ds), outcome=y_label, beta=_b(beta), p=p_apa(p))
        detail = f"b = {fmt_num(r.b, 3)}, SE = {fmt_num(r.se, 3)}, β = {_b(beta, 3)}, " \
                 f"t({int(s.df2)}) = {fmt_num(r.t, 2)}, {p_apa(p)}, 95% CI [{fmt_num(r.ci_low, 3)}, " \
                 f"{fmt_num(r.ci_high, 3)}]"
        out.append(Finding(head, detail, "forest", abs(beta) if not math.isnan(beta) else 0.0, significant,
                           "predictor", "coefficients"))
    return out
