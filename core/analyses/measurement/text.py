"""Plain-language reading of reliability, EFA, CFA and SEM results (zh/en).

Thresholds stated in the text (the ones theses and reviewers use):
* reliability (α, ω): ≥ .90 excellent, ≥ .80 good, ≥ .70 acceptable, ≥ .60
  questionable, below poor (George & Mallery);
* KMO: ≥ .90 marvellous, ≥ .80 meritorious, ≥ .70 middling, ≥ .60
  mediocre, ≥ .50 miserable, below unacceptable (Kaiser 1974); Bartlett's test
  significant;
* Harman: first factor < 40 % of the variance → no serious common-method bias;
* model fit (Hu & Bentler 1999; Chinese theses): χ²/df < 3 good (< 5
  acceptable), CFI and TLI ≥ .95 good (≥ .90 acceptable), RMSEA ≤ .06 good
  (≤ .08 acceptable), SRMR ≤ .08;
* convergent validity: AVE ≥ .50 and CR ≥ .70 (Fornell & Larcker 1981);
  discriminant validity: √AVE above the factor's correlations, HTMT < .85.
"""
from __future__ import annotations

import math

from core.format import fmt_num, p_apa
from core.i18n import t
from core.types import Finding, Result


def _f(v, d=2, lz=False) -> str:
    return fmt_num(v, d, leading_zero=lz)


def _ok(v) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def reliability_level(a: float) -> str:
    return ("excellent" if a >= .9 else "good" if a >= .8 else "acceptable" if a >= .7
            else "questionable" if a >= .6 else "poor")


def kmo_level(k: float) -> str:
    return ("marvellous" if k >= .9 else "meritorious" if k >= .8 else "middling" if k >= .7
            else "mediocre" if k >= .6 else "miserable" if k >= .5 else "unacceptable")


def reliability_text(res: Result, ds, lang: str) -> list[str]:
    out = []
    for r in res.tables["alpha"].itertuples(index=False):
        if not _ok(r.alpha):
            continue
        om = t("measure.interp.omega", lang, omega=_f(r.omega)) if _ok(r.omega) else ""
        out.append(t("measure.interp.alpha", lang, scale=r.scale, alpha=_f(r.alpha), omega=om, k=int(r.k),
                     level=t(f"measure.level.{reliability_level(float(r.alpha))}", lang)))
    items = res.tables["items"]
    flagged = items[items["flag"] != ""] if not items.empty else items
    for r in flagged.itertuples(index=False):
        out.append(t(f"measure.interp.flag_{r.flag}", lang, scale=r.scale, item=r.item,
                     r=_f(r.r_drop), adel=_f(r.alpha_if_deleted)))
    if out:
        out.append(t("measure.interp.alpha_thresholds", lang))
    return out


def efa_text(res: Result, ds, lang: str) -> list[str]:
    k = float(res.tables["kmo"]["msa"].iloc[0])
    b = res.tables["bartlett"].iloc[0]
    suitable = k >= .6 and b["p"] < .05
    out = [t("measure.interp.kmo", lang, kmo=_f(k), level=t(f"measure.kmo.{kmo_level(k)}", lang),
             chi2=_f(b["chi2"]), df=int(b["df"]), p=p_apa(b["p"], with_p=False),
             verdict=t("measure.interp.suitable" if suitable else "measure.interp.not_suitable", lang))]
    var = res.tables["variance"]
    nf = len(var)
    total = float(var["ss_loadings"].sum() / res.tables["harman"]["n_items"].iloc[0]) if nf else float("nan")
    out.append(t("measure.interp.factors", lang, k=nf, pct=fmt_num(100 * total, 1)))
    h = float(res.tables["harman"]["first_factor_proportion"].iloc[0])
    out.append(t("measure.interp.harman_ok" if h < .4 else "measure.interp.harman_bad", lang,
                 pct=fmt_num(100 * h, 1)))
    return out


def fit_verdict(fit) -> str:
    cfi, tli, rmsea, srmr = (float(fit.get(k, float("nan"))) for k in ("cfi", "tli", "rmsea", "srmr"))
    ratio = float(fit.get("chi2_df", float("nan")))
    if cfi >= .95 and tli >= .95 and rmsea <= .06 and (not math.isfinite(srmr) or srmr <= .08):
        return "good"
    if cfi >= .90 and tli >= .90 and rmsea <= .08 and (not math.isfinite(srmr) or srmr <= .10) \
            and (not math.isfinite(ratio) or ratio < 5):
        return "acceptable"
    return "poor"


def _fit_values(fit) -> dict:
    ci = ""
    if _ok(fit.get("rmsea_ci_low")) and _ok(fit.get("rmsea_ci_high")):
        ci = f" [{_f(fit['rmsea_ci_low'], 3)}, {_f(fit['rmsea_ci_high'], 3)}]"
    return dict(chi2=_f(fit["chi2"]), df=int(fit["df"]), p=p_apa(fit["p"], with_p=False), ratio=_f(fit["chi2_df"]),
                cfi=_f(fit["cfi"], 3), tli=_f(fit["tli"], 3), rmsea=_f(fit["rmsea"], 3), ci=ci, srmr=_f(fit["srmr"], 3))


def fit_sentence(fit, lang: str) -> str:
    return t("measure.interp.fit", lang, **_fit_values(fit), verdict=t(f"measure.verdict.{fit_verdict(fit)}", lang))


def fit_finding(fit, model: str, lang: str) -> Finding:
    """The key finding of a model's fit: the verdict in plain words ("The
    measurement model fits the data well"), the indices in brackets (a slide
    moves them to its subline); ``model``: "cfa" or "sem"."""
    head = t("measure.finding.fit", lang, **_fit_values(fit), model=t(f"measure.finding.model_{model}", lang),
             verdict=t(f"measure.finding.fit_{fit_verdict(fit)}", lang))
    return Finding(head, t("measure.interp.fit_thresholds", lang), "fit", 0.0, None, "measurement", "fit")


def _name(ds, name: str) -> str:
    """A variable's (factor's) label when there is a data set, else its name."""
    return ds.label(name) if ds is not None else name


def cfa_text(res: Result, ds, lang: str) -> list[str]:
    return [para for para, _ in _cfa_parts(res, ds, lang)]


def _cfa_parts(res: Result, ds, lang: str) -> list[tuple[str, str | None]]:
    """The CFA's paragraphs, each with the name of the chart that shows it (charts.finding_chart)."""
    fit = res.tables["fit"]
    if fit.empty:
        return []
    out = [(fit_sentence(fit.iloc[0].to_dict(), lang), "fit")]
    val = res.tables.get("validity")
    if val is not None and not val.empty:
        low_ave = [_name(ds, r.factor) for r in val.itertuples(index=False) if _ok(r.ave) and r.ave < .5]
        low_cr = [_name(ds, r.factor) for r in val.itertuples(index=False) if _ok(r.cr) and r.cr < .7]
        if not low_ave and not low_cr:
            out.append((t("measure.interp.convergent_ok", lang, ave=_f(val["ave"].min()), cr=_f(val["cr"].min())),
                        "validity"))
        else:
            out.append((t("measure.interp.convergent_bad", lang,
                          factors=", ".join(dict.fromkeys(low_ave + low_cr))), "validity"))
    fl = res.tables.get("fornell_larcker")
    if fl is not None and not fl.empty:
        bad = fl[(fl["kind"] == "correlation") & (fl["violates"])]
        out.append((t("measure.interp.fl_ok", lang) if bad.empty else
                    t("measure.interp.fl_bad", lang,
                      pairs=", ".join(f"{_name(ds, a)}–{_name(ds, b)}"
                                      for a, b in zip(bad["factor_a"], bad["factor_b"]))), "validity"))
    ht = res.tables.get("htmt")
    if ht is not None and not ht.empty and ht["htmt"].notna().any():
        mx = float(ht["htmt"].abs().max())
        out.append((t("measure.interp.htmt_ok" if mx < .85 else "measure.interp.htmt_bad", lang, max=_f(mx)), "htmt"))
    inv = res.tables.get("invariance")
    if inv is not None and len(inv) > 1:
        held = [t("measure.invariance.configural", lang)]
        for r in inv.iloc[1:].itertuples(index=False):
            if _ok(r.d_cfi) and r.d_cfi >= -0.01:
                held.append(t(f"measure.invariance.{r.model}", lang))
            else:
                break
        out.append((t("measure.interp.invariance", lang, held=", ".join(held) if held else t("measure.none", lang)),
                    "fit"))
    mc = res.tables.get("model_comparison")
    if mc is not None and len(mc) == 2:
        one = mc.iloc[1]
        out.append((t("measure.interp.one_factor", lang, cfi=_f(one["cfi"], 3), rmsea=_f(one["rmsea"], 3),
                      d_chi2=_f(one["d_chi2"]), d_df=int(one["d_df"]) if _ok(one["d_df"]) else 0,
                      p=p_apa(one["d_p"], with_p=False)), "comparison"))
    out.append((t("measure.interp.fit_thresholds", lang), None))
    return out


def sem_text(res: Result, ds, lang: str) -> list[str]:
    fit = res.tables["fit"]
    if fit.empty:
        return []
    out = [fit_sentence(fit.iloc[0].to_dict(), lang)]
    paths = res.tables.get("paths")
    if paths is not None:
        for r in paths.itertuples(index=False):
            sig = _ok(r.p) and r.p < .05
            out.append(t("measure.interp.path_sig" if sig else "measure.interp.path_ns", lang,
                         x=_name(ds, r.rhs), y=_name(ds, r.lhs),
                         beta=_f(r.std_estimate), b=_f(r.estimate), p=p_apa(r.p, with_p=False)))
    r2 = res.tables.get("r2")
    if r2 is not None and not r2.empty:
        out.append(t("measure.interp.r2", lang,
                     r2="; ".join(f"{_name(ds, v)} {_f(x)}" for v, x in zip(r2["variable"], r2["r2"]))))
    out.append(t("measure.interp.fit_thresholds", lang))
    return out


# ---- key findings (AnalysisSpec.findings) -------------------------------------------------------
def reliability_findings(res: Result, ds, lang: str) -> list[Finding]:
    al = res.tables["alpha"].dropna(subset=["alpha"])
    if al.empty:
        return []
    lo, hi = al["alpha"].min(), al["alpha"].max()
    weakest = al.loc[al["alpha"].idxmin()]
    head = t("measure.finding.alpha_range", lang, n=len(al), lo=_f(lo), hi=_f(hi),
             level=t(f"measure.level.{reliability_level(float(lo))}", lang), scale=_name(ds, weakest["scale"]))
    return [Finding(head, t("measure.interp.alpha_thresholds", lang), "alpha", 0.0, None, "measurement", "alpha")]


def efa_findings(res: Result, ds, lang: str) -> list[Finding]:
    paras = efa_text(res, ds, lang)
    return [Finding(paras[0], paras[1] if len(paras) > 1 else "", "scree", 0.0, None, "measurement", "kmo"),
            Finding(paras[-1], "", "scree", 0.0, None, "measurement", "harman")]   # its first bar: Harman's factor


def cfa_findings(res: Result, ds, lang: str) -> list[Finding]:
    fit = res.tables["fit"]
    if fit.empty:
        return []
    out = [fit_finding(fit.iloc[0].to_dict(), "cfa", lang)]
    for p, chart in _cfa_parts(res, ds, lang)[1:-1]:
        out.append(Finding(p, "", chart, 0.0, None, "measurement", None))
    return out


def sem_findings(res: Result, ds, lang: str) -> list[Finding]:
    out = []
    paths = res.tables.get("paths")
    if paths is not None:
        for r in paths.itertuples(index=False):
            sig = _ok(r.p) and r.p < .05
            head = t("measure.interp.path_sig" if sig else "measure.interp.path_ns", lang,
                     x=_name(ds, r.rhs), y=_name(ds, r.lhs),
                     beta=_f(r.std_estimate), b=_f(r.estimate), p=p_apa(r.p, with_p=False))
            out.append(Finding(head, "", "paths", abs(float(r.std_estimate)) if _ok(r.std_estimate) else 0.0,
                               bool(sig) if _ok(r.p) else None, "measurement", "paths"))
    fit = res.tables["fit"]
    if not fit.empty:
        out.append(fit_finding(fit.iloc[0].to_dict(), "sem", lang))
    return out
