"""Plain-language reading of a difference battery (zh/en), with the numbers in
APA style: one paragraph per outcome — each significant difference with its
test, p, effect size, the highest and lowest group and the post-hoc pairs;
the non-significant splits named honestly with their statistics; very small
effects called very small — and one sentence per outcome on its level
(low / medium / high) against the scale midpoint.

Also the thesis-style table (mean ± SD per group, t/F, p with stars, post-hoc
pairs) that pages and exports share: :func:`thesis_tables`.
"""
from __future__ import annotations

import math

import pandas as pd

from core.analyses.difference.spec import SPECS
from core.format import fmt_num, fmt_p, p_apa, read_levels, stars
from core.i18n import t
from core.types import Finding, Result

ALPHA = 0.05


def _num(v):
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _df(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else fmt_num(v, 2)


def stat_apa(test: str, statistic, df1, df2, lang: str) -> str:
    """"F(3, 596) = 5.21", "t(598) = −2.10", "Welch's F(3, 210.45) = 4.80"."""
    prefix = t("difference.apa.welch", lang) if test in ("welch_t", "welch_anova") else ""
    if test in ("student_t", "welch_t"):
        return f"{prefix}t({_df(df1)}) = {fmt_num(statistic, 2)}"
    return f"{prefix}F({_df(df1)}, {_df(df2)}) = {fmt_num(statistic, 2)}"


def effect_apa(name: str, value) -> str:
    if name == "cohen_d":
        return f"d = {fmt_num(value, 2)}"
    return f"η² = {fmt_num(value, 2, leading_zero=False)}"


def _very_small(name: str, value) -> bool:
    v = _num(value)
    if v is None:
        return False
    return abs(v) < 0.2 if name == "cohen_d" else v < 0.01


def _posthoc_method(test: str, available: list[str]) -> str | None:
    """Tukey (or Bonferroni) after the classic ANOVA; Games–Howell after Welch's; else Scheffé, Šidák, LSD."""
    prefs = ["games_howell", "tukey", "bonferroni"] if test == "welch_anova" else ["tukey", "bonferroni",
                                                                                   "games_howell"]
    prefs += ["scheffe", "sidak", "lsd"]
    return next((m for m in prefs if m in available), None)


def _sig_pairs(ph: pd.DataFrame, method: str) -> list[tuple[str, str, float]]:
    """(higher level, lower level, p) of each significant pair."""
    out = []
    for r in ph[(ph.method == method)].itertuples(index=False):
        p = _num(r.p)
        if p is not None and p < ALPHA:
            hi, lo = (r.level_a, r.level_b) if r.diff > 0 else (r.level_b, r.level_a)
            out.append((hi, lo, p))
    return out


def _eta2(result: Result, group: str, outcome: str):
    eff = result.tables["effects"]
    v = eff[(eff.group == group) & (eff.outcome == outcome) & (eff.measure == "eta2")]["value"]
    return _num(v.iloc[0]) if len(v) else None


def findings(result: Result, ds, lang: str) -> list[Finding]:
    """Key findings: each significant difference (strength η²), the
    non-significant splits of each outcome, and each outcome's level."""
    out: list[Finding] = []
    paragraphs(result, ds, lang, collect=out)
    lv = result.tables.get("levels")
    if lv is not None and not lv.empty:
        for r, text in zip(lv.itertuples(index=False), level_sentences(result, ds, lang)):
            p = _num(r.p)
            out.append(Finding(headline=text, detail=f"t({_df(r.df)}) = {fmt_num(r.t, 2)}, {p_apa(r.p)}",
                               chart=f"level_{r.outcome}", significant=None if p is None else p < ALPHA,
                               kind="description", table="levels"))
    return out


def crosstab_findings(result: Result, ds, lang: str) -> list[Finding]:
    out = []
    rows = [r for r in result.tables["chi2"].itertuples(index=False) if _num(r.chi2) is not None]
    for r, text in zip(rows, crosstab_paragraphs(result, ds, lang)):
        out.append(Finding(headline=text, detail=f"χ²({_df(r.df)}) = {fmt_num(r.chi2, 2)}, {p_apa(r.p)}",
                           chart=f"crosstab_{r.row_var}_{r.col_var}", strength=float(r.cramers_v),
                           significant=bool(r.p < ALPHA), kind="association", table="chi2"))
    return out


def paragraphs(result: Result, ds, lang: str, collect: list | None = None) -> list[str]:
    """The reading of a battery; with ``collect`` also gathers key findings."""
    tests = result.tables["tests"]
    shown = read_levels(result, SPECS[0], ds, text=True)     # level codes as their labels: the words of the text
    gs, ph = shown.tables["group_stats"], shown.tables["posthoc"]
    methods = list(dict.fromkeys(ph.method)) if not ph.empty else []
    out = []
    for o, rows in tests.groupby("outcome", sort=False):
        olab = ds.label(o)
        sig, ns, failed = [], [], []
        for r in rows.itertuples(index=False):
            glab = ds.label(r.group)
            if not isinstance(r.test, str):
                failed.append(t("difference.interp.failed_item", lang, a=glab,
                                b=t(f"difference.cellnote.{r.note}", lang)))
                continue
            stat = stat_apa(r.test, r.statistic, r.df1, r.df2, lang)
            eff = effect_apa(r.effect_size_name, r.effect_size)
            p = _num(r.p)
            if p is None or p >= ALPHA:
                ns.append(t("difference.interp.ns_item", lang, a=glab, b=stat, c=p_apa(r.p)))
                continue
            cell = gs[(gs.group == r.group) & (gs.outcome == o)]
            hi = cell.loc[cell["mean"].idxmax()]
            lo = cell.loc[cell["mean"].idxmin()]
            text = t("difference.interp.sig", lang, outcome=olab, split=glab, stat=stat, p=p_apa(r.p), effect=eff)
            if r.k == 2:
                text += t("difference.interp.two_groups", lang, hi=hi.level, m_hi=fmt_num(hi["mean"], 2),
                          lo=lo.level, m_lo=fmt_num(lo["mean"], 2))
            else:
                text += t("difference.interp.extremes", lang, hi=hi.level, m_hi=fmt_num(hi["mean"], 2),
                          lo=lo.level, m_lo=fmt_num(lo["mean"], 2))
                method = _posthoc_method(r.test, methods)
                if method:
                    sub = ph[(ph.group == r.group) & (ph.outcome == o)]
                    pairs = _sig_pairs(sub, method)
                    mname = t(f"difference.choice.posthoc.{method}", lang)
                    if pairs:
                        ptxt = t("difference.interp.list_sep", lang).join(
                            t("difference.interp.pair", lang, a=a, b=b, p=p_apa(pp)) for a, b, pp in pairs)
                        text += t("difference.interp.posthoc", lang, method=mname, pairs=ptxt)
                    else:
                        text += t("difference.interp.posthoc_none", lang, method=mname)
            if _very_small(r.effect_size_name, r.effect_size):
                text += t("difference.interp.very_small", lang)
            sig.append(text)
            if collect is not None:
                eta = _eta2(result, r.group, o)
                collect.append(Finding(
                    headline=text, detail=f"{stat}, {p_apa(r.p)}, {eff}", chart=f"means_{r.group}_{o}",
                    strength=eta if eta is not None else 0.0, significant=True, kind="difference", table="tests"))
        # one paragraph per significant result; the non-significant and untestable ones together
        out.extend(sig)
        if ns:
            out.append(t("difference.interp.ns", lang, outcome=olab,
                         items=t("difference.interp.list_sep", lang).join(ns)))
            if collect is not None:
                collect.append(Finding(headline=out[-1], chart="heatmap", strength=0.0, significant=False,
                                       kind="difference", table="tests"))
        if failed:
            out.append(t("difference.interp.failed", lang, outcome=olab,
                         items=t("difference.interp.list_sep", lang).join(failed)))
    out.extend(level_sentences(result, ds, lang))
    return out


def level_sentences(result: Result, ds, lang: str) -> list[str]:
    lv = result.tables.get("levels")
    if lv is None or lv.empty:
        return []
    out = []
    for r in lv.itertuples(index=False):
        lo, hi = ds.scale_range(r.outcome) or (None, None)
        rng = f"{fmt_num(lo, 0 if float(lo).is_integer() else 2)}–{fmt_num(hi, 0 if float(hi).is_integer() else 2)}"
        p = _num(r.p)
        if p is not None and p < ALPHA:
            side = t("difference.interp.above" if r.mean > r.midpoint else "difference.interp.below", lang)
            cmp = t("difference.interp.mid_sig", lang, side=side, mid=fmt_num(r.midpoint, 2),
                    stat=f"t({_df(r.df)}) = {fmt_num(r.t, 2)}", p=p_apa(r.p))
        else:
            cmp = t("difference.interp.mid_ns", lang, mid=fmt_num(r.midpoint, 2),
                    stat=f"t({_df(r.df)}) = {fmt_num(r.t, 2)}", p=p_apa(r.p))
        out.append(t("difference.interp.level", lang, outcome=ds.label(r.outcome),
                     level=t(f"difference.level.{r.level}", lang), m=fmt_num(r.mean, 2), sd=fmt_num(r.sd, 2),
                     range=rng, cmp=cmp))
    return out


def crosstab_paragraphs(result: Result, ds, lang: str) -> list[str]:
    out = []
    for r in result.tables["chi2"].itertuples(index=False):
        if _num(r.chi2) is None:
            continue
        stat = f"χ²({_df(r.df)}, N = {int(r.n)}) = {fmt_num(r.chi2, 2)}"
        v = f"V = {fmt_num(r.cramers_v, 2, leading_zero=False)}"
        key = "difference.interp.chi_sig" if r.p < ALPHA else "difference.interp.chi_ns"
        out.append(t(key, lang, row=ds.label(r.row_var), col=ds.label(r.col_var), stat=stat, p=p_apa(r.p), v=v))
    return out


# ---- the thesis-style table ----------------------------------------------------------
def thesis_tables(result: Result, ds, lang: str, scheme: str = "apa", digits: int = 2) -> list[dict]:
    """One table per split, as Chinese theses and SPSSAU print them: a row per
    outcome, "M ± SD" per group (groups numbered, n in the header), the t or F
    value of the reported test (ᵃ marks Welch's), p with stars, and the
    significant post-hoc pairs by group number.

    Returns ``[{"group", "table" (DataFrame of strings), "note"}]``.
    """
    tests = result.tables["tests"]
    shown = read_levels(result, SPECS[0], ds, text=True)     # level codes as their labels: the table's words
    gs, ph = shown.tables["group_stats"], shown.tables["posthoc"]
    methods = list(dict.fromkeys(ph.method)) if not ph.empty else []
    out = []
    for g, trows in tests.groupby("group", sort=False):
        cells = gs[gs.group == g]
        levels = list(dict.fromkeys(cells.level))
        if not levels:
            continue
        nmax = cells.groupby("level", sort=False)["n"].max()
        heads = [f"{i + 1}. {lev} (n = {int(nmax[lev])})" for i, lev in enumerate(levels)]
        num = {lev: i + 1 for i, lev in enumerate(levels)}
        k_max = int(trows.k.max()) if trows.k.notna().any() else 0
        stat_col = "t" if k_max == 2 else "F"
        used_methods, welch_used = set(), False
        rows = []
        for r in trows.itertuples(index=False):
            row = {t("difference.thesis.outcome", lang): ds.label(r.outcome)}
            sub = cells[cells.outcome == r.outcome].set_index("level")
            for lev, h in zip(levels, heads):
                row[h] = (f"{fmt_num(sub.loc[lev, 'mean'], digits)} ± {fmt_num(sub.loc[lev, 'sd'], digits)}"
                          if lev in sub.index else "—")
            if isinstance(r.test, str):
                welch = r.test in ("welch_t", "welch_anova")
                welch_used |= welch
                row[stat_col] = fmt_num(r.statistic, digits) + ("ᵃ" if welch else "")
                row["p"] = fmt_p(r.p) + stars(r.p, scheme)
            else:
                row[stat_col] = "—"
                row["p"] = t(f"difference.cellnote.{r.note}", lang)
            if k_max >= 3:
                txt = ""
                method = _posthoc_method(r.test, methods) if isinstance(r.test, str) and r.k >= 3 else None
                if method and _num(r.p) is not None and r.p < ALPHA:
                    pairs = _sig_pairs(ph[(ph.group == g) & (ph.outcome == r.outcome)], method)
                    txt = "; ".join(f"{num[a]}>{num[b]}" for a, b, _ in pairs)
                    used_methods.add(method)
                row[t("difference.thesis.posthoc", lang)] = txt
            rows.append(row)
        notes = [t("difference.thesis.note_msd", lang), t(f"format.stars.{scheme}", lang)]
        if welch_used:
            notes.append(t("difference.thesis.note_welch", lang))
        for m in sorted(used_methods):
            notes.append(t("difference.thesis.note_posthoc", lang, method=t(f"difference.choice.posthoc.{m}", lang)))
        out.append({"group": g, "table": pd.DataFrame(rows), "note": " ".join(notes)})
    return out

