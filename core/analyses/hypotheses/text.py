"""Plain-language reading of the hypothesis summary (zh/en)."""
from __future__ import annotations

from core.i18n import t
from core.types import Result


def paragraphs(res: Result, ds, lang: str) -> list[str]:
    tb = res.tables["summary"]
    if tb.empty:
        return []
    sep = "、" if lang == "zh" else ", "
    out = [t("hypotheses.text.overview", lang, n=len(tb), k=int((tb["verdict"] == "supported").sum()))]
    for v in ("supported", "not_supported", "opposite"):
        labels = list(tb.loc[tb["verdict"] == v, "hypothesis"])
        if labels:
            out.append(t(f"hypotheses.text.{v}", lang, labels=sep.join(labels)))
    return out
