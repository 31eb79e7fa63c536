"""Key findings of the describe analysis (``AnalysisSpec.findings``).

Descriptive statements only — no test is implied: which scale has the
highest and the lowest mean (on the position within each scale's range, so
scales with different ranges compare fairly), said plainly when the means are
close together; and the composition of the sample (largest group of each
tabulated variable).
"""
from __future__ import annotations

import math

from core.format import fmt_num
from core.i18n import t
from core.types import Finding, Result

CLOSE = 0.05   # means within 5 % of the scale range are "close together"


def _num(v) -> float | None:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _range_text(lo, hi) -> str:
    return f"{fmt_num(lo, 0) if float(lo).is_integer() else fmt_num(lo, 2)}–" \
           f"{fmt_num(hi, 0) if float(hi).is_integer() else fmt_num(hi, 2)}"


def scale_means(res: Result, ds, lang: str) -> list[Finding]:
    df = res.tables.get("describe")
    if df is None or df.empty:
        return []
    rows = []
    for r in df.itertuples(index=False):
        sc = ds.scales.get(r.variable)
        mean, sd = _num(r.mean), _num(r.sd)
        if sc is None or mean is None:
            continue
        lo, hi = float(sc["min"]), float(sc["max"])
        if sc.get("score") == "sum":
            k = len(sc["items"])
            lo, hi = lo * k, hi * k
        rows.append({"name": r.variable, "label": ds.label(r.variable), "mean": mean, "sd": sd,
                     "lo": lo, "hi": hi, "pos": (mean - lo) / (hi - lo)})
    if not rows:
        return []

    def ms(r):
        return t("describe.finding.m_sd", lang, label=r["label"], m=fmt_num(r["mean"], 2),
                 sd=fmt_num(r["sd"], 2) if r["sd"] is not None else "—", range=_range_text(r["lo"], r["hi"]))

    detail = _sep(lang).join(ms(r) for r in rows)
    if len(rows) == 1:
        r = rows[0]
        mid = (r["lo"] + r["hi"]) / 2
        side = "above" if r["mean"] > mid else "below" if r["mean"] < mid else "at"
        head = t(f"describe.finding.single_{side}", lang, label=r["label"], m=fmt_num(r["mean"], 2),
                 mid=fmt_num(mid, 1))
        return [Finding(head, detail, "means", 0.0, None, "description", "describe")]
    hi = max(rows, key=lambda r: r["pos"])
    lo = min(rows, key=lambda r: r["pos"])
    if hi["pos"] - lo["pos"] < CLOSE:
        head = t("describe.finding.close", lang, k=len(rows), lo=fmt_num(lo["mean"], 2), hi=fmt_num(hi["mean"], 2))
    else:
        head = t("describe.finding.highest", lang, hi=hi["label"], m_hi=fmt_num(hi["mean"], 2),
                 lo=lo["label"], m_lo=fmt_num(lo["mean"], 2), range=_range_text(hi["lo"], hi["hi"]))
    return [Finding(head, detail, "means", 0.0, None, "description", "describe")]


def sample_composition(res: Result, ds, lang: str) -> list[Finding]:
    df = res.tables.get("frequencies")
    if df is None or df.empty:
        return []
    parts, first = [], None
    for name, sub in df.groupby("variable", sort=False):
        sub = sub[sub["n"].notna() & sub["percent"].notna()]
        if sub.empty:
            continue
        top = sub.loc[sub["n"].idxmax()]
        parts.append(t("describe.finding.largest", lang, variable=ds.label(name),
                       level=ds.level_label(name, top["level"]),
                       pct=fmt_num(top["percent"], 1)))
        first = first or name
    if not parts:
        return []
    head = t("describe.finding.sample", lang, n=int(res.n_used), groups=_sep(lang).join(parts[:3]))
    return [Finding(head, _sep(lang).join(parts), f"freq_{first}", 0.0, None, "description", "frequencies")]


def findings(res: Result, ds, lang: str) -> list[Finding]:
    return scale_means(res, ds, lang) + sample_composition(res, ds, lang)
