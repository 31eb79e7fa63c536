"""Pin controls and per-item downloads under every rendered table, chart and
interpretation paragraph (drawn by :mod:`pages._ui.render`).

A pin freezes the analysis it comes from as a snapshot (a copy of its recipe
entry under its own id, :func:`core.report.model.snapshot`) and adds a
reference (snapshot id + table / chart / paragraph) to the recipe's
``"report"`` list: pinned results follow the data and are saved with the
recipe, and changing the page afterwards (another PROCESS model, other
predictors) leaves them alone — model 4, model 1 and model 14 can sit in one
report.  Widget keys are stable: ``pin_<kind>_<analysis>_<name>``,
``dl_csv_…``, ``dl_xlsx_…``, ``dl_png_…``, ``dl_svg_…``.
"""
from __future__ import annotations

import copy
import logging

import pandas as pd
import streamlit as st

from core.report import content, images, model, safety, xlsx_writer
from core.types import AnalysisSpec, Result
from pages._ui import state
from pages._ui.markdown import md_escape

log = logging.getLogger("pressure_explorer")


def aid_for(spec: AnalysisSpec, aid: str | None) -> str | None:
    """The recipe id of the analysis a page shows: given, or the only entry
    of that type (None when it cannot be told — then nothing is pinnable).

    Pages that draw results themselves add the same controls with
    ``render.table(..., aid=aid, result=res)``, :func:`chart_tools` under a
    chart and :func:`paragraph` for interpretation text."""
    entries = [a for a in state.recipe().get("analyses") or [] if a.get("type") == spec.type
               and not a.get("snapshot_of")]
    if aid is not None:
        return aid if any(a.get("id") == aid for a in entries) else None
    return entries[0]["id"] if len(entries) == 1 else None


def _report() -> model.Report:
    return model.Report(state.recipe())


def _pinned(item: dict) -> dict | None:
    """The report item of the snapshot of the page's analysis as it is now, if pinned."""
    sid = model.find_snapshot(state.recipe(), item["analysis"])
    found = {**item, "analysis": sid} if sid else None
    return found if found is not None and _report().has(found) else None


def _toggle(item: dict) -> None:
    recipe = state.recipe()
    found = _pinned(item)
    if found is not None:
        model.Report(recipe).discard(found)
        model.prune_snapshots(recipe)
        return
    model.Report(recipe).add({**item, "analysis": model.snapshot(recipe, item["analysis"])})


def pin_button(item: dict, container=st) -> None:
    """Pin / unpin ``item`` (which names the page's analysis; the pin names its snapshot)."""
    key = "pin_" + model.item_key(item).replace(":", "_")
    pinned = _pinned(item) is not None
    container.button(state.t("report.unpin") if pinned else state.t("report.pin"), key=key,
                     icon=":material/keep_off:" if pinned else ":material/push_pin:", type="tertiary",
                     on_click=_toggle, args=(item,), help=state.t("report.pin_help"))


def _safe(name: str) -> str:
    return content.file_stem(name)


def table_tools(spec: AnalysisSpec, res: Result, aid: str | None, name: str) -> None:
    """Pin + CSV + Excel under a result table."""
    lang = state.lang()
    ident = aid or spec.type
    row = st.container(horizontal=True, gap="small")
    if aid is not None:
        pin_button({"kind": "table", "analysis": aid, "table": name}, row)
    recipe = copy.deepcopy(state.recipe())
    if aid is None:
        recipe["analyses"] = [{"id": ident, "type": spec.type}]
    results = {ident: res}
    ds = state.dataset()

    def block():
        return content.table_block(recipe, ds, results, ident, name, lang)

    def csv_bytes() -> bytes:
        b = block()
        cells = pd.DataFrame({c.title: [b.cell_value(v, c) for v in b.frame[c.name]] for c in b.columns})
        return safety.frame_csv(cells)

    def xlsx_bytes() -> bytes:
        return xlsx_writer.table_workbook(block(), lang)

    stem = _safe(f"{ident}_{name}")
    row.download_button("CSV", csv_bytes, file_name=f"{stem}.csv", mime="text/csv", key=f"dl_csv_{ident}_{name}",
                        icon=":material/download:", type="tertiary", on_click="ignore")
    row.download_button("Excel", xlsx_bytes, file_name=f"{stem}.xlsx", key=f"dl_xlsx_{ident}_{name}",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/download:", type="tertiary", on_click="ignore")


def chart_tools(spec: AnalysisSpec, aid: str | None, name: str, chart) -> None:
    """Pin + PNG + SVG under a chart (images made only when clicked)."""
    ident = aid or spec.type
    row = st.container(horizontal=True, gap="small")
    if aid is not None:
        pin_button({"kind": "chart", "analysis": aid, "chart": name}, row)
    stem = _safe(f"{ident}_{name}")

    def png() -> bytes:
        return images.to_png(chart, scale=3)

    def svg() -> bytes:
        return images.to_svg(chart).encode("utf-8")

    row.download_button("PNG", png, file_name=f"{stem}.png", mime="image/png", key=f"dl_png_{ident}_{name}",
                        icon=":material/image:", type="tertiary", on_click="ignore")
    row.download_button("SVG", svg, file_name=f"{stem}.svg", mime="image/svg+xml", key=f"dl_svg_{ident}_{name}",
                        icon=":material/image:", type="tertiary", on_click="ignore")


def paragraph(text: str, aid: str | None, index: int) -> None:
    """An interpretation paragraph (escaped) with its pin."""
    if aid is None:
        st.markdown(md_escape(text))
        return
    left, right = st.columns([0.9, 0.1], vertical_alignment="top")
    left.markdown(md_escape(text))
    pin_button({"kind": "text", "analysis": aid, "paragraph": index}, right)
