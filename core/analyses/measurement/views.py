"""Views of the measurement family (tables made for display from a result) and
the translated recipe entry a screening check adds."""
from __future__ import annotations

import pandas as pd

from core.analyses.measurement.efa import loading_matrix
from core.data.model import Dataset
from core.i18n import t
from core.types import Result


def items_view(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> tuple[pd.DataFrame, str]:
    """The ``items_labelled`` view: the ``items`` table with its flags in words."""
    items = result.tables["items"].copy()
    items["flag"] = [t(f"reliability.flag.{f}", lang) if f else "" for f in items["flag"]]
    return items, ""


def exclusion_entry(rows, check: str, lang: str = "en") -> dict:
    """The recipe ``exclusions`` entry that excludes ``rows`` flagged by
    ``check``; the reason is worded in ``lang`` (it is shown as "n excluded,
    why" under every analysis)."""
    return {"rows": sorted(int(r) for r in rows), "reason": t(f"screening.reason.{check}", lang)}


def loading_view(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> tuple[pd.DataFrame, str]:
    """The ``loading_matrix`` view: :func:`loading_matrix` with the analysis'
    display options ``cutoff`` and ``sort``, and a footnote saying what they did."""
    options = options or {}
    cutoff = float(options.get("cutoff") if options.get("cutoff") is not None else 0.3)
    sort = bool(options.get("sort", True))
    notes = []
    if cutoff > 0:
        notes.append(t("efa.view.cutoff", lang, cutoff=f"{cutoff:.2f}"))
    if sort:
        notes.append(t("efa.view.sorted", lang))
    return loading_matrix(result.tables["loadings"], cutoff, sort), ("" if lang == "zh" else " ").join(notes)


def fl_matrix_view(res: Result, ds: Dataset, lang: str, options: dict | None = None) -> tuple[pd.DataFrame, str]:
    """The ``fornell_larcker_matrix`` view: the long ``fornell_larcker`` table
    as the factor × factor matrix theses print (√AVE on the diagonal)."""
    fl = res.tables["fornell_larcker"]
    if fl.empty:
        return pd.DataFrame(columns=["factor"]), ""
    order = list(dict.fromkeys(fl["factor_a"]))
    mat = fl.pivot(index="factor_a", columns="factor_b", values="value").loc[order, order]
    out = mat.reset_index().rename(columns={"factor_a": "factor"})
    out.columns.name = None
    return out, t("cfa.view.fl_note", lang)
