"""Plain-language reading of paired-samples tests (zh/en): for each pair,
which measure is higher and by how much (mean difference with its CI, t, p,
d_z named small/medium/large by Cohen's benchmarks) or, honestly, that they do
not differ; and whether the Wilcoxon signed-rank test agrees."""
from __future__ import annotations

import math

from core.format import fmt_num, p_apa
from core.i18n import t
from core.types import Finding, Result

ALPHA = 0.05


def _ok(v) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v)


def _size(d: float, lang: str) -> str:
    a = abs(d)
    key = "large" if a >= 0.8 else "medium" if a >= 0.5 else "small" if a >= 0.2 else "negligible"
    return t(f"paired_t.size.{key}", lang)


def _t_apa(r, sign: float = 1.0) -> str:
    return f"t({int(r.df)}) = {fmt_num(sign * r.t, 2)}"


def _wilcoxon_apa(r) -> str:
    v = fmt_num(r.wilcoxon_v, 0 if float(r.wilcoxon_v).is_integer() else 1)
    return f"V = {v}, z = {fmt_num(r.wilcoxon_z, 2)}, {p_apa(r.wilcoxon_p)}"


def _sentence(r, ds, lang: str, conf: str) -> str:
    """The t test of one pair in words.  A significant difference is told as
    higher − lower (difference, CI, t and d_z all positive); otherwise as a − b."""
    a = (ds.label(r.var_a), fmt_num(r.mean_a, 2), fmt_num(r.sd_a, 2))
    b = (ds.label(r.var_b), fmt_num(r.mean_b, 2), fmt_num(r.sd_b, 2))
    sign = -1.0 if r.p < ALPHA and r.mean_diff < 0 else 1.0
    low, high = sorted((sign * r.ci_low, sign * r.ci_high))
    common = dict(n=int(r.n), diff=fmt_num(sign * r.mean_diff, 2), conf=conf, ci_low=fmt_num(low, 2),
                  ci_high=fmt_num(high, 2), stat=_t_apa(r, sign), p=p_apa(r.p), dz=fmt_num(sign * r.d_z, 2))
    if r.p >= ALPHA:
        return t("paired_t.interp.ns", lang, a=a[0], m_a=a[1], sd_a=a[2], b=b[0], m_b=b[1], sd_b=b[2], **common)
    hi, lo = (a, b) if sign > 0 else (b, a)
    return t("paired_t.interp.sig", lang, hi=hi[0], m_hi=hi[1], sd_hi=hi[2], lo=lo[0], m_lo=lo[1], sd_lo=lo[2],
             size=_size(r.d_z, lang), **common)


def _wilcoxon(r, lang: str) -> str:
    """The Wilcoxon sentence appended to a pair's reading ("" when there is none)."""
    if not _ok(r.wilcoxon_p):
        return ""
    same = (r.wilcoxon_p < ALPHA) == (r.p < ALPHA)
    return t(f"paired_t.interp.wilcoxon_{'agrees' if same else 'differs'}", lang, stat=_wilcoxon_apa(r))


def _conf(result: Result) -> str:
    return f"{result.meta.get('conf', 95.0):g}"


def paragraphs(result: Result, ds, lang: str) -> list[str]:
    """One paragraph per pair: the t test, then whether the Wilcoxon test agrees."""
    conf = _conf(result)
    return [_sentence(r, ds, lang, conf) + _wilcoxon(r, lang) if _ok(r.p) else
            t("paired_t.interp.failed", lang, a=ds.label(r.var_a), b=ds.label(r.var_b))
            for r in result.tables["tests"].itertuples(index=False)]


def findings(result: Result, ds, lang: str) -> list[Finding]:
    """One finding per tested pair (strength |d_z|)."""
    conf = _conf(result)
    out = []
    for r in result.tables["tests"].itertuples(index=False):
        if not _ok(r.p):
            continue
        detail = f"{_t_apa(r)}, {p_apa(r.p)}, d_z = {fmt_num(r.d_z, 2)}"
        if _ok(r.wilcoxon_p):
            detail += f"; Wilcoxon {_wilcoxon_apa(r)}"
        out.append(Finding(headline=_sentence(r, ds, lang, conf), detail=detail, chart="differences",
                           strength=abs(float(r.d_z)), significant=bool(r.p < ALPHA), kind="difference",
                           table="tests"))
    return out
