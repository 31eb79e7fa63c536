"""Plain-language reading of an item analysis (zh/en): how many items separate
the high and low scorers, and which items are candidates for revision
(critical ratio not significant or below 3, corrected item–total r below .30 —
the thresholds thesis chapters cite)."""
from __future__ import annotations

import math

from core.format import fmt_num
from core.i18n import t
from core.types import Finding, Result

ALPHA = 0.05
MIN_T = 3.0
MIN_R = 0.30


def weak_items(res: Result) -> list[str]:
    cr = res.tables["critical_ratio"].set_index("item")
    it = res.tables["item_total"].set_index("item")
    out = []
    for item in cr.index:
        tv, p, r = cr.at[item, "t"], cr.at[item, "p"], it.at[item, "r_corrected"]
        if not (p < ALPHA and tv >= MIN_T) or not r >= MIN_R:   # NaN counts as weak
            out.append(item)
    return out


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def paragraphs(res: Result, ds, lang: str) -> list[str]:
    cr = res.tables["critical_ratio"]
    if cr.empty:
        return []
    meta = res.meta
    label = ds.label(meta["scale"]) if ds is not None and ds.has(meta["scale"]) else meta["scale"]
    sig = cr[(cr["p"] < ALPHA) & (cr["t"] >= MIN_T)]
    tv = cr["t"][cr["t"].notna()]
    out = [t("item_analysis.text.overview", lang, scale=label, pct=fmt_num(100 * meta["fraction"], 0),
             n_high=int(cr["n_high"].iloc[0]), n_low=int(cr["n_low"].iloc[0]), k=len(sig), total=len(cr),
             tmin=fmt_num(tv.min() if len(tv) else math.nan, 2), tmax=fmt_num(tv.max() if len(tv) else math.nan, 2))]
    weak = weak_items(res)
    if weak:
        out.append(t("item_analysis.text.weak", lang, items=_sep(lang).join(weak)))
    else:
        out.append(t("item_analysis.text.all_good", lang))
    return out


def findings(res: Result, ds, lang: str) -> list[Finding]:
    paras = paragraphs(res, ds, lang)
    if not paras:
        return []
    weak = weak_items(res)
    return [Finding(paras[0], paras[1], "critical_ratio", 0.0, not weak, "measurement", "critical_ratio")]
