"""Plain-language reading of a process result (zh/en), built only from its
tables: one sentence per indirect effect (direction, verdict, effect and CI),
the moderated-mediation index, and one sentence per tested interaction with
the simple slopes at low and high moderator values and the Johnson–Neyman
region.  Non-significant results are said to be non-significant."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from core.analyses.process.spec import SPEC
from core.format import fmt_num, p_apa, path_label, read_levels
from core.i18n import t
from core.types import Finding
from core.stats import as_float


def _sig_ci(lo, hi) -> bool:
    return as_float(lo) > 0 or as_float(hi) < 0


def _ci(r, conf, lang) -> str:
    return t("process.text.ci", lang, conf=fmt_num(conf, 0), lo=fmt_num(r["ci_low"], 2), hi=fmt_num(r["ci_high"], 2))


def _value(v) -> str:
    return v if isinstance(v, str) else fmt_num(as_float(v), 2)


def _label(ds, name: str) -> str:
    return ds.label(name) if ds.has(name) else name


def paragraphs(result, ds, lang: str) -> list[str]:
    T = read_levels(result, SPEC, ds).tables
    meta = result.meta
    conf = float(meta.get("conf", 95.0))
    roles = meta.get("roles", {})
    out: list[str] = []
    eff = T.get("effects", pd.DataFrame())
    coef = T.get("coefficients", pd.DataFrame())
    ce_all = T.get("conditional_effects", pd.DataFrame())

    def b_of(eq: str, term: str) -> float:
        hit = coef[(coef["equation"] == eq) & (coef["term"] == term)]
        return as_float(hit["b"].iloc[0]) if len(hit) else math.nan

    # ---- mediation -----------------------------------------------------------------
    if not eff.empty:
        tot = eff[eff["kind"] == "total"]
        direct = eff[eff["kind"] == "direct"]
        sentences = []
        if len(tot):
            r = tot.iloc[0]
            sig = as_float(r["p"]) < 1 - conf / 100
            sentences.append(t("process.text.total_sig" if sig else "process.text.total_ns", lang,
                               x=_label(ds, roles.get("X", "")), y=_label(ds, roles.get("Y", "")),
                               b=fmt_num(r["effect"], 2), p=p_apa(r["p"])))
        verd = T.get("verdicts", pd.DataFrame())
        rows = [r for r in eff[(eff["kind"] == "indirect")].to_dict("records") if math.isfinite(as_float(r["ci_low"]))]
        groups: dict = {}
        for r in rows:
            groups.setdefault(r["path"], []).append(r)
        for pth, grp in groups.items():
            if len(grp) > 1 and len({_sig_ci(r["ci_low"], r["ci_high"]) for r in grp}) == 1 and \
                    len({_sign(r["effect"]) for r in grp}) == 1:
                sentences.append(_group_sentence(grp, ds, lang, roles, conf, verd, ce_all, b_of))
                continue
            for r in grp:
                sentences.append(_row_sentence(r, ds, lang, roles, conf, verd, ce_all, b_of))
        if len(direct) and not direct["moderator"].astype(bool).any():
            r = direct.iloc[0]
            sig = as_float(r["p"]) < 1 - conf / 100
            sentences.append(t("process.text.direct_sig" if sig else "process.text.direct_ns", lang,
                               b=fmt_num(r["effect"], 2), p=p_apa(r["p"])))
        if sentences:
            out.append(" ".join(sentences) if lang == "en" else "".join(sentences))

    # ---- moderated mediation --------------------------------------------------------
    imm = T.get("index_moderated_mediation", pd.DataFrame())
    sentences = []
    for r in imm.to_dict("records"):
        if not math.isfinite(as_float(r["ci_low"])):
            continue
        sig = _sig_ci(r["ci_low"], r["ci_high"])
        ind = eff[(eff["kind"] == "indirect") & (eff["path"] == r["path"])]
        key = "process.text.imm_sig" if sig else "process.text.imm_ns"
        extra = ""
        if sig and len(ind) >= 2:
            lo, hi = ind.iloc[0], ind.iloc[-1]
            weaker = abs(as_float(hi["effect"])) < abs(as_float(lo["effect"]))
            extra = t("process.text.imm_weaker" if weaker else "process.text.imm_stronger", lang,
                      w=_label(ds, r["moderator"]), lo=fmt_num(lo["effect"], 2), hi=fmt_num(hi["effect"], 2))
        sentences.append(t(key, lang, path=path_label(r["path"], ds), w=_label(ds, r["moderator"]), b=fmt_num(r["index"], 3),
                           ci=_ci(r, conf, lang)) + extra)
    if sentences:
        out.append(" ".join(sentences) if lang == "en" else "".join(sentences))

    # ---- moderation ---------------------------------------------------------------------
    tests = T.get("interaction_tests", pd.DataFrame())
    ce = T.get("conditional_effects", pd.DataFrame())
    jn = T.get("johnson_neyman", pd.DataFrame())
    for r in tests.to_dict("records"):
        if r["term"] in ("BOTH", "ALL"):
            continue
        parts = str(r["term"]).split("*")
        focal, mod = parts[0], parts[-1]
        sig = as_float(r["p"]) < 1 - conf / 100
        s = t("process.text.interaction_sig" if sig else "process.text.interaction_ns", lang,
              w=_label(ds, mod), x=_label(ds, focal), y=_label(ds, r["equation"]),
              dr2=fmt_num(r["r2_change"], 3), f=fmt_num(r["f"], 2), df1=int(r["df1"]), df2=int(r["df2"]),
              p=p_apa(r["p"]))
        sub = ce[(ce["equation"] == r["equation"]) & (ce["moderator"] == mod) &
                 (ce["focal"].astype(str).str.startswith(focal))] if len(ce) else ce
        if len(parts) == 2 and len(sub) >= 2 and sub["focal"].nunique() == 1:
            lo, hi = sub.iloc[0], sub.iloc[-1]
            s += t("process.text.slopes", lang, w=_label(ds, mod), vlo=_value(lo["moderator_value"]),
                   blo=fmt_num(lo["effect"], 2), plo=p_apa(lo["p"]), vhi=_value(hi["moderator_value"]),
                   bhi=fmt_num(hi["effect"], 2), phi=p_apa(hi["p"]))
            if sig:
                weaker = abs(as_float(hi["effect"])) < abs(as_float(lo["effect"]))
                s += t("process.text.where_strong_weaker" if weaker else "process.text.where_strong_stronger", lang,
                       w=_label(ds, mod))
        if len(jn):
            jb = jn[(jn["equation"] == r["equation"]) & (jn["moderator"] == mod) & (jn["focal"] == focal)]
            if len(jb):
                s += t("process.text.jn", lang, w=_label(ds, mod),
                       bounds=", ".join(fmt_num(b, 2) for b in jb["boundary"]))
        out.append(s)
    # model 3: the X*W interaction at values of Z
    ci = T.get("conditional_interactions", pd.DataFrame())
    if ci is not None and len(ci):
        r0 = ci.iloc[0]
        x, w = str(r0["term"]).split("*", 1)
        vals = ("; " if lang == "en" else "；").join(
            t("process.text.cond_int_value", lang, z=_label(ds, r0["moderator"]), v=_value(r["moderator_value"]),
              b=fmt_num(r["effect"], 3), p=p_apa(r["p"]))
                         for r in ci.to_dict("records"))
        s = t("process.text.cond_int", lang, x=_label(ds, x), w=_label(ds, w), values=vals)
        jb = jn[jn["focal"] == r0["term"]] if len(jn) else jn
        if len(jb):
            s += t("process.text.jn", lang, w=_label(ds, r0["moderator"]),
                   bounds=", ".join(fmt_num(b, 2) for b in jb["boundary"]))
        out.append(s)
    return out


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return abs(as_float(a) - as_float(b)) < 1e-12


def findings(result, ds, lang: str) -> list:
    """Key findings: one per indirect effect that is not conditional (or per
    index of moderated mediation) and one per tested interaction; headlines
    are the plain-language sentences, strength a standardized size
    (|indirect| · SD(X)/SD(Y), or ΔR²)."""
    T = read_levels(result, SPEC, ds).tables
    conf = float(result.meta.get("conf", 95.0))
    sd = result.meta.get("sd") or {}
    scale = (as_float(sd.get("X")) / as_float(sd.get("Y"))) if sd else math.nan
    out = []
    sentences = paragraphs(result, ds, lang)
    eff = T.get("effects", pd.DataFrame())
    for r in eff[eff["kind"] == "indirect"].to_dict("records") if len(eff) else []:
        if r["moderator"] or not math.isfinite(as_float(r["ci_low"])) or str(r["path"]).endswith("TOTAL"):
            continue
        sig = _sig_ci(r["ci_low"], r["ci_high"])
        head = t("process.finding.indirect", lang, path=path_label(r["path"], ds), b=fmt_num(r["effect"], 3), ci=_ci(r, conf, lang))
        out.append(Finding(headline=head, detail=sentences[0] if sentences else "",
                           strength=abs(as_float(r["effect"]) * scale) if math.isfinite(scale) else abs(as_float(r["effect"])),
                           significant=sig, kind="mediation", table="effects", chart="effects"))
    imm = T.get("index_moderated_mediation", pd.DataFrame())
    for r in imm.to_dict("records"):
        if not math.isfinite(as_float(r["ci_low"])):
            continue
        head = t("process.finding.index", lang, path=path_label(r["path"], ds), w=_label(ds, r["moderator"]), b=fmt_num(r["index"], 3),
                 ci=_ci(r, conf, lang))
        out.append(Finding(headline=head, strength=abs(as_float(r["index"]) * scale) if math.isfinite(scale) else 0.0,
                           significant=_sig_ci(r["ci_low"], r["ci_high"]), kind="mediation",
                           table="index_moderated_mediation", chart="effects"))   # the indirect effect at each W
    tests = T.get("interaction_tests", pd.DataFrame())
    for r in tests.to_dict("records"):
        if r["term"] in ("BOTH", "ALL"):
            continue
        parts = str(r["term"]).split("*")
        head = t("process.finding.interaction", lang, term=r["term"], y=_label(ds, r["equation"]),
                 dr2=fmt_num(r["r2_change"], 3), p=p_apa(r["p"]))
        out.append(Finding(headline=head, strength=abs(as_float(r["r2_change"])),
                           significant=as_float(r["p"]) < 1 - conf / 100, kind="moderation", table="interaction_tests",
                           chart=_slopes_chart(T, r["equation"], parts)))
    return out


def _slopes_chart(T, equation: str, parts: list[str]) -> str | None:
    """Name of the simple-slopes chart drawn for an interaction (see core.analyses.process.charts.chart_list)."""
    pred = T.get("predicted", pd.DataFrame())
    if pred is None or pred.empty or len(parts) != 2:
        return None
    hit = pred[(pred["equation"] == equation) & pred["focal"].isin(parts) & pred["moderator"].isin(parts)]
    if hit.empty:
        return None
    r = hit.iloc[0]
    return f"slopes_{r['equation']}_{r['focal']}_{r['moderator']}"


def _sign(v) -> int:
    return 1 if as_float(v) > 0 else -1 if as_float(v) < 0 else 0


def _through(r, ds, lang, ce_all, b_of) -> tuple:
    path = str(r["path"]).split("->")
    x, ms, y = path[0], path[1:-1], path[-1]
    a = b_of(ms[0], x)
    if len(ce_all) and r["moderator"]:
        hit = ce_all[(ce_all["equation"] == ms[0]) & (ce_all["focal"] == x) &
                     np.array([_same(v, r["moderator_value"]) for v in ce_all["moderator_value"]], dtype=bool)]
        if len(hit):
            a = as_float(hit["effect"].iloc[0])
    through = t("process.text.through_join", lang).join(
        t("process.text.lower" if k == 0 and a < 0 else "process.text.higher" if k == 0 else "process.text.plain",
          lang, m=_label(ds, m)) for k, m in enumerate(ms))
    return x, y, through


def _verdict(verd, r) -> str:
    if verd is None or not len(verd):
        return ""
    v = verd[(verd["path"] == r["path"])]
    if r["moderator"]:
        v = v[np.array([_same(a_, r["moderator_value"]) for a_ in v["moderator_value"]], dtype=bool)]
    if len(v) and v["verdict"].nunique() > 1:
        return "mixed"     # unconditional indirect effect, moderated direct effect (models 5, 15)
    return v.iloc[0]["verdict"] if len(v) else ""


def _xlabel(ds, roles, x) -> str:
    return f"{_label(ds, roles.get('X', x))} ({x})" if "[" in x else _label(ds, x)


def _row_sentence(r, ds, lang, roles, conf, verd, ce_all, b_of) -> str:
    if str(r["path"]).endswith("TOTAL"):
        key = "process.text.total_indirect_sig" if _sig_ci(r["ci_low"], r["ci_high"]) else \
            "process.text.total_indirect_ns"
        return t(key, lang, b=fmt_num(r["effect"], 2), ci=_ci(r, conf, lang))
    x, y, through = _through(r, ds, lang, ce_all, b_of)
    verdict = _verdict(verd, r)
    at = t("process.text.at", lang, w=_label(ds, r["moderator"]), v=_value(r["moderator_value"])) \
        if r["moderator"] else ""
    if _sig_ci(r["ci_low"], r["ci_high"]):
        key = "process.text.indirect_raises" if as_float(r["effect"]) > 0 else "process.text.indirect_lowers"
        how = t(f"process.text.verdict_{verdict}", lang, w=_label(ds, roles.get("W", ""))) \
            if verdict in ("full", "partial", "mixed") else ""
        share = as_float(r.get("proportion"))
        tail = t("process.text.share", lang, pct=fmt_num(100 * share, 1)) if 0 < share <= 1 else ""
        return t(key, lang, x=_xlabel(ds, roles, x), y=_label(ds, y), how=how, through=through, at=at,
                 b=fmt_num(r["effect"], 2), ci=_ci(r, conf, lang)) + tail
    return t("process.text.indirect_ns", lang, x=_xlabel(ds, roles, x), y=_label(ds, y), through=through, at=at,
             b=fmt_num(r["effect"], 2), ci=_ci(r, conf, lang))


def _group_sentence(grp, ds, lang, roles, conf, verd, ce_all, b_of) -> str:
    """Conditional indirect effects of one path that agree in sign and significance: one sentence."""
    r0 = grp[0]
    x, y, through = _through(r0, ds, lang, ce_all, b_of)
    verdicts = {_verdict(verd, r) for r in grp}
    verdict = verdicts.pop() if len(verdicts) == 1 else "mixed"
    w = _label(ds, r0["moderator"])
    lo, hi = grp[0]["effect"], grp[-1]["effect"]
    if _sig_ci(r0["ci_low"], r0["ci_high"]):
        key = "process.text.group_raises" if as_float(r0["effect"]) > 0 else "process.text.group_lowers"
        how = t(f"process.text.verdict_{verdict}", lang, w=w) if verdict in ("full", "partial", "mixed") else ""
        return t(key, lang, x=_xlabel(ds, roles, x), y=_label(ds, y), how=how, through=through, w=w,
                 lo=fmt_num(lo, 2), hi=fmt_num(hi, 2), conf=fmt_num(conf, 0))
    return t("process.text.group_ns", lang, x=_xlabel(ds, roles, x), y=_label(ds, y), through=through, w=w,
             lo=fmt_num(lo, 2), hi=fmt_num(hi, 2), conf=fmt_num(conf, 0))
