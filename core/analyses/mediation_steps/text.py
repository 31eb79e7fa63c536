"""Plain-language reading of mediation in causal steps (zh/en): which step of
the 2004 procedure decided, the verdict, the share of the total effect, and a
pointer to the bootstrap test (PROCESS model 4) that the 2014 procedure of
温忠麟 & 叶宝娟 prefers."""
from __future__ import annotations

import math

from core.format import fmt_num, fmt_p
from core.i18n import t
from core.types import Finding, Result


def _p(p) -> str:
    s = fmt_p(float(p))
    return f"p {s}" if s.startswith("<") else f"p = {s}"


def _coef(res: Result, model: str, term: str):
    st = res.tables["steps"]
    return st[(st["model"] == model) & (st["term"] == term)].iloc[0]


def paragraphs(res: Result, ds, lang: str) -> list[str]:
    if res.tables["summary"].empty:
        return []
    s = res.tables["summary"].iloc[0]
    meta = res.meta
    lab = (lambda v: ds.label(v) if ds is not None and ds.has(v) else v)
    names = {"x": lab(meta["x"]), "m": lab(meta["m"]), "y": lab(meta["y"])}
    c, a = _coef(res, "c", meta["x"]), _coef(res, "a", meta["x"])
    b, cp = _coef(res, "b", meta["m"]), _coef(res, "b", meta["x"])
    nums = {"c": fmt_num(c["b"], 3), "p_c": _p(c["p"]), "a": fmt_num(a["b"], 3), "p_a": _p(a["p"]),
            "b": fmt_num(b["b"], 3), "p_b": _p(b["p"]), "cp": fmt_num(cp["b"], 3), "p_cp": _p(cp["p"]),
            "ab": fmt_num(s["indirect"], 3), "z": fmt_num(s["sobel_z"], 2), "p_z": _p(s["sobel_p"]),
            "share": fmt_num(100 * s["proportion"], 1) if math.isfinite(s["proportion"]) else "—"}
    out = [t(f"mediation_steps.text.decided_{s['decided_by']}_{s['verdict']}", lang, **names, **nums)]
    if s["verdict"] != "none":
        out.append(t("mediation_steps.text.share", lang, **names, **nums))
    out.append(t("mediation_steps.text.bootstrap", lang, **names))
    return out


def findings(res: Result, ds, lang: str) -> list[Finding]:
    paras = paragraphs(res, ds, lang)
    if not paras:
        return []
    s = res.tables["summary"].iloc[0]
    return [Finding(paras[0], paras[-1], "paths", abs(float(s["proportion"])) if s["verdict"] != "none" else 0.0,
                    s["verdict"] != "none", "mediation", "summary")]
