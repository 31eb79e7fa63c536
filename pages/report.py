"""Report page: the pinned items (reorder, remove, section titles, free text),
the key-findings summary, settings, downloads (Word, Excel, HTML,
PowerPoint, Python script) and presentation mode.

Stable keys for browser tests: ``present`` (presentation-mode toggle, mirrored
in the URL as ``?present=true``),
``present_first`` / ``present_prev`` / ``present_next`` / ``present_last`` (buttons, also
Home / ← PageUp / → PageDown Space / End, from anywhere on the page),
``present_exit``, ``present_detail`` (the technical-detail expander's label is
``report.present.detail``), ``dl_report_<fmt>`` (downloads).
"""
from __future__ import annotations

import copy

import streamlit as st

from core import i18n, registry
from core import report as reports
from core.errors import UserError
from core.report import content, model
from core.types import Result
from pages._ui import forms, render, runner, state
from pages._ui.render import md_escape

S = st.session_state
t = state.t

PRESENT_HEIGHT = 300   # px, charts in presentation mode (headline, chart and detail fit a 1024×768 projector)
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1rem 2rem 1rem 2rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.1rem !important; line-height: 1.2; padding: 0.2rem 0; }
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] p { font-size: 1.25rem; }
[data-testid="stMainBlockContainer"] [data-testid="stExpander"] p { font-size: 1.0rem; }
</style>
"""
# Keys of a presenter (and of clicker remotes, which send PageDown/PageUp) click the navigation
# buttons from the whole page, from the first render on (no click into the page needed first).
PRESENT_KEYS = """
<script>
const doc = window.parent.document;
const keys = {ArrowRight: "present_next", PageDown: "present_next", " ": "present_next",
              ArrowLeft: "present_prev", PageUp: "present_prev", Home: "present_first", End: "present_last"};
if (window.parent.__peKeys) { doc.removeEventListener("keydown", window.parent.__peKeys, true); }
const typing = (el) => el && (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
  (el.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "range"].includes(el.type)));
window.parent.__peKeys = function (event) {
  if (typing(event.target)) { return; }
  const key = keys[event.key];
  const button = key && doc.querySelector(".st-key-" + key + " button");
  if (!button) { return; }
  event.preventDefault();
  event.stopPropagation();
  if (doc.activeElement && doc.activeElement.blur) { doc.activeElement.blur(); }  // Space must not toggle it
  if (!button.disabled) { button.click(); }
};
doc.addEventListener("keydown", window.parent.__peKeys, true);
if (doc.activeElement && !typing(doc.activeElement) && doc.activeElement.blur) { doc.activeElement.blur(); }
</script>
"""


# ---- what a rerun can reuse ----------------------------------------------------------
def memo(name: str, make):
    """``make()``, computed again only when the recipe, the data or the
    language changed since the last rerun (results, key findings, the report
    document and the slides are functions of those three): clicks that change
    none of them — opening an expander, stepping through slides, a download —
    rerun in the time it takes to draw the page."""
    import json

    key = (state.data_key(), state.lang(), json.dumps(state.recipe(), sort_keys=True, default=str))
    store = S.setdefault("_report_memo", {})
    hit = store.get(name)
    if hit is None or hit[0] != key:
        hit = store[name] = (key, make())
    return hit[1]


# ---- results of the whole session --------------------------------------------
def session_results() -> dict:
    """Every analysis of the recipe, run through the cached runner."""
    out: dict = {}
    for entry in state.recipe().get("analyses") or []:
        try:
            spec = registry.get(entry.get("type"))
        except UserError as err:
            out[entry["id"]] = err
            continue
        out[entry["id"]] = runner.run(spec.type, forms.options(spec, entry))
    return out


def chart_provider(results: dict):
    """Analysis id → cached Vega-Lite specs of its charts (as the pages draw them)."""
    entries = {a["id"]: a for a in state.recipe().get("analyses") or []}

    def charts(aid: str):
        entry = entries[aid]
        spec = registry.get(entry["type"])
        res = results.get(aid)
        if not isinstance(res, Result):
            return []
        return runner.charts(spec.type, forms.options(spec, entry), res)
    return charts


# ---- settings ---------------------------------------------------------------------
def settings_form() -> dict:
    recipe = state.recipe()
    ui = recipe.setdefault("ui", {})
    cur = model.settings(recipe)
    with st.expander(t("report.settings_box"), icon=":material/settings:"):
        # one widget per language: the default title follows the language unless the user typed one
        title = st.text_input(t("report.settings.title"), value=cur["title"] or t("report.default_title"),
                              key=f"report_title.{state.lang()}")
        c1, c2, c3 = st.columns(3)
        labels = {c: t(f"report.stars.{c}") for c in ("apa", "spss")}   # evaluated now, not lazily
        stars = c1.radio(t("report.settings.stars"), list(labels), index=list(labels).index(cur["stars"]),
                         key="report_stars", format_func=labels.__getitem__)
        digits = c2.number_input(t("report.settings.digits"), 0, 6, value=cur["digits"], key="report_digits")
        small = c3.toggle(t("report.settings.small_cells"), value=cur["small_cells"], key="report_small",
                          help=t("report.settings.small_cells_help"))
        k = c3.number_input(t("report.settings.min_cell"), 1, 1000, value=cur["min_cell"], key="report_min_cell",
                            disabled=not small)
    defaults = {i18n.t("report.default_title", lang) for lang in ("en", "zh")}
    ui["report"] = {"title": title if title and title not in defaults else None, "stars": stars,
                    "digits": int(digits), "small_cells": bool(small), "min_cell": int(k)}
    return model.settings(recipe)


# ---- downloads ----------------------------------------------------------------------
def downloads(results: dict, ds) -> None:
    lang = state.lang()

    def freeze():
        provider = chart_provider(results)
        return (copy.deepcopy(state.recipe()), dict(results),
                {aid: list(provider(aid)) for aid, r in results.items() if isinstance(r, Result)})
    # the deferred callables run outside the script: give them plain data only (a copy, made once per change)
    recipe, frozen, cached = memo("downloads", freeze)

    def maker(fmt: str):
        def make() -> bytes:
            return reports.export(fmt, recipe, ds, frozen, lang, charts=lambda aid: cached.get(aid, []))
        return make

    st.subheader(t("report.downloads"))
    row = st.container(horizontal=True, gap="small")
    for fmt, label in (("docx", "report.dl.docx"), ("xlsx", "report.dl.xlsx"), ("html", "report.dl.html"),
                       ("pptx", "report.dl.pptx"), ("py", "report.dl.py")):
        mime, ext = reports.FORMATS[fmt]
        name = "reproduce.py" if fmt == "py" else f"pressure-explorer-report{ext}"
        row.download_button(t(label), maker(fmt), file_name=name, mime=mime, key=f"dl_report_{fmt}",
                            icon=":material/download:", on_click="ignore")
    st.caption(t("report.downloads_help"))


# ---- the editor ----------------------------------------------------------------------
def _move(i: int, d: int) -> None:
    model.Report(state.recipe()).move(i, d)


def _remove(i: int) -> None:
    model.Report(state.recipe()).remove(i)


def _add_section() -> None:
    title = (S.get("report_new_section") or "").strip()
    if title:
        model.Report(state.recipe()).add({"kind": "section", "title": title})
        S["report_new_section"] = ""


def _add_text() -> None:
    text = (S.get("report_new_text") or "").strip()
    if text:
        model.Report(state.recipe()).add({"kind": "text", "text": text})
        S["report_new_text"] = ""


def _add_all(items: list[dict]) -> None:
    rep = model.Report(state.recipe())
    for it in items:
        rep.add(it)


def _clear() -> None:
    model.Report(state.recipe()).clear()


def findings_view(findings: list) -> None:
    st.subheader(t("report.findings_title"))
    if not findings:
        st.info(t("report.no_findings"))
        return
    st.markdown("\n".join("- " + md_escape(kf.headline) for kf in findings))
    recipe = state.recipe()
    left_out = [content.analysis_title(a, state.lang()) for a in recipe.get("analyses") or []
                if not model.invited(a, recipe)]
    if left_out:   # defaults nobody chose (core.report.model.invited): say so, and how to include them
        st.caption(md_escape(t("report.left_out", names=", ".join(dict.fromkeys(left_out)))))
    rep = model.Report(recipe)
    item = {"kind": "findings"}
    if not rep.has(item):
        st.button(t("report.pin_findings"), key="pin_findings", icon=":material/push_pin:", type="tertiary",
                  on_click=lambda: model.Report(state.recipe()).add(item))


def _block_view(block, i: int, arrows: dict) -> None:
    if isinstance(block, content.SectionBlock):
        st.subheader(md_escape(block.title))
    elif isinstance(block, content.TextBlock):
        st.markdown(md_escape(block.text))
    elif isinstance(block, content.TableBlock):
        st.markdown(f"**{md_escape(t('report.table_label', n=block.number))}** {md_escape(block.title)}")
        spec = registry.get(block.type)
        try:
            tspec = spec.table(block.name)
        except KeyError:
            tspec = None
        render.table(block.frame, tspec, block.type, key=f"report_tbl_{i}", digits=block.digits,
                     memo=arrows)   # the document's frames, converted once
        st.caption(md_escape(t("report.note_label") + " " + block.footnote()))
    elif isinstance(block, content.ChartBlock):
        st.markdown(f"**{md_escape(t('report.figure_label', n=block.number))}** {md_escape(block.title)}")
        render.chart(_big(block.chart, 220), key=f"report_chart_{i}")
    elif isinstance(block, content.FindingsBlock):
        st.markdown(f"**{md_escape(t('report.findings_title'))}**")
        st.markdown("\n".join("- " + md_escape(kf.headline) for kf in block.findings) or t("report.no_findings"))
    elif isinstance(block, content.MissingBlock):
        st.warning(md_escape(block.text))


def editor(results: dict, ds, findings: list) -> None:
    recipe = state.recipe()
    rep = model.Report(recipe)
    findings_view(findings)
    st.divider()
    st.subheader(t("report.items"))
    raw_items = list(recipe.get("report") or [])
    if not rep.items:
        st.info(t("report.empty"))
        defaults = memo("defaults", lambda: reports.default_items(recipe, ds, results, state.lang()))
        st.button(t("report.add_all"), key="report_add_all", icon=":material/playlist_add:",
                  on_click=_add_all, args=(defaults,))
    else:
        charts = chart_provider(results) if not model.settings(recipe)["small_cells"] else None
        doc = memo("document", lambda: reports.build(recipe, ds, results, state.lang(), items=raw_items,
                                                     findings=findings, charts=charts))
        # blocks and raw items line up one to one (malformed items are shown as removable)
        arrows = memo("arrow", dict)
        good = [i for i, it in enumerate(raw_items) if model.normalise(it) is not None]
        blocks = dict(zip(good, doc.blocks))
        n = len(raw_items)
        for i, it in enumerate(raw_items):
            with st.container(border=True):
                # one row of a caption and three buttons (no columns: three layout blocks fewer an item)
                bar = st.container(horizontal=True, gap="small", vertical_alignment="center")
                kind = (it.get("kind") if isinstance(it, dict) else None) or "?"
                bar.caption(t(f"report.kind.{kind}") if kind in model.KINDS else kind)
                bar.space("stretch")
                bar.button(t("report.up"), key=f"report_up_{i}", icon=":material/arrow_upward:", type="tertiary",
                           on_click=_move, args=(i, -1), disabled=i == 0)
                bar.button(t("report.down"), key=f"report_down_{i}", icon=":material/arrow_downward:",
                           type="tertiary", on_click=_move, args=(i, 1), disabled=i == n - 1)
                bar.button(t("report.remove"), key=f"report_remove_{i}", icon=":material/delete:", type="tertiary",
                           on_click=_remove, args=(i,))
                if i in blocks:
                    _block_view(blocks[i], i, arrows)
        st.button(t("report.clear"), key="report_clear", icon=":material/clear_all:", type="tertiary",
                  on_click=_clear)
    c1, c2 = st.columns(2)
    with c1:
        st.text_input(t("report.new_section"), key="report_new_section")
        st.button(t("report.add_section"), key="report_add_section", icon=":material/title:", on_click=_add_section)
    with c2:
        st.text_area(t("report.new_text"), key="report_new_text", height=80)
        st.button(t("report.add_text"), key="report_add_text", icon=":material/notes:", on_click=_add_text)


# ---- presentation mode ----------------------------------------------------------------
def _go(delta: int, n: int) -> None:
    S["present_index"] = max(0, min(n - 1, S.get("present_index", 0) + delta))


def _start() -> None:
    """Presentation mode always opens at the first finding."""
    if S.get("present"):
        S["present_index"] = 0


def _exit() -> None:
    S["present"] = False


def _big(chart, height: int = PRESENT_HEIGHT) -> dict:
    """A chart at least ``height`` px tall (a projector needs big charts, and
    small fixed heights shrink to nothing once Streamlit fits the title and
    axes into them)."""
    spec = dict(chart if isinstance(chart, dict) else chart.to_dict())
    if (spec.get("usermeta") or {}).get("diagram"):   # a path diagram keeps its pixels (a picture, see render.chart)
        return spec
    if isinstance(spec.get("height"), (int, float)) and spec["height"] < height:
        spec["height"] = height
    return spec


def presentation(results: dict, ds, findings: list) -> None:
    import streamlit.components.v1 as components

    st.html(PRESENT_CSS)   # static CSS only, no user text
    components.html(PRESENT_KEYS, height=0)   # static script only
    recipe = state.recipe()
    small = model.settings(recipe)["small_cells"]
    charts = None if small else chart_provider(results)
    deck = memo("slides", lambda: reports.slides(recipe, ds, results, state.lang(), findings, charts=charts))
    n = len(deck)
    nav = st.container(horizontal=True, gap="small", vertical_alignment="center")
    first, last = S.get("present_index", 0) <= 0, S.get("present_index", 0) >= n - 1
    nav.button(t("report.present.first"), key="present_first", icon=":material/first_page:", type="tertiary",
               on_click=_go, args=(-n, max(n, 1)), disabled=n == 0 or first)
    nav.button(t("report.present.prev"), key="present_prev", icon=":material/arrow_back:",
               on_click=_go, args=(-1, max(n, 1)), disabled=n == 0 or first)
    nav.button(t("report.present.next"), key="present_next", icon=":material/arrow_forward:",
               on_click=_go, args=(1, max(n, 1)), disabled=n == 0 or last)
    nav.button(t("report.present.last"), key="present_last", icon=":material/last_page:", type="tertiary",
               on_click=_go, args=(n, max(n, 1)), disabled=n == 0 or last)
    if n == 0:
        nav.button(t("report.present.exit"), key="present_exit", icon=":material/close:", type="tertiary",
                   on_click=_exit)
        st.info(t("report.no_findings"))
        return
    i = max(0, min(n - 1, S.get("present_index", 0)))
    S["present_index"] = i
    nav.markdown(md_escape(t("report.present.position", i=i + 1, n=n)))
    nav.button(t("report.present.exit"), key="present_exit", icon=":material/close:", type="tertiary",
               on_click=_exit)
    slide = deck[i]
    st.caption(md_escape(slide.analysis_title))
    st.title(md_escape(slide.headline), anchor=False)
    if slide.statistic:
        st.caption(md_escape(slide.statistic))
    if slide.chart is not None:
        render.chart(_big(slide.chart), key="present_chart")
    with st.expander(t("report.present.detail"), expanded=False, key="present_detail"):
        if slide.detail:
            st.markdown(md_escape(slide.detail))
        for line in slide.notes:
            st.caption(md_escape(line))
        if small:
            st.caption(md_escape(t("report.present.small_cells", k=model.settings(recipe)["min_cell"])))


# ---- page ----------------------------------------------------------------------------
if not S.get("present"):
    st.title(t("report.title"))
ds = state.dataset()
if ds is not None:
    results = memo("results", session_results)   # no unpickling of a dozen cached results on every click
    findings = memo("findings", lambda: reports.key_findings(state.recipe(), ds, results, state.lang()))
    present = st.toggle(t("report.present.toggle"), key="present", help=t("report.present.help"),
                        bind="query-params", on_change=_start)
    if present:
        presentation(results, ds, findings)
    else:
        settings_form()
        editor(results, ds, findings)
        st.divider()
        downloads(results, ds)
