"""Reports: pinned results as Word, Excel, HTML, PowerPoint and a Python script.

- :mod:`core.report.model` — the report (ordered items in ``recipe["report"]``)
  and its settings (``recipe["ui"]["report"]``).
- :mod:`core.report.content` — items resolved against results into blocks
  (tables with their method footnotes, charts, text), generic over the
  registry; small-cell suppression.
- :mod:`core.report.findings` — key findings of the session and slides.
- writers: ``docx_writer``, ``xlsx_writer``, ``html_writer``, ``pptx_writer``,
  ``script_writer``; :mod:`core.report.images` (PNG/SVG charts),
  :mod:`core.report.safety` (formula-injection neutralisation, CSV).

``export(fmt, recipe, dataset, results, lang)`` returns the bytes of one
format; :func:`cli_exports` writes files for ``python -m core run … --docx
--xlsx --html``.
"""
from __future__ import annotations

from pathlib import Path

from core.errors import UserError
from core.report import content
from core.report.content import Document, TableBlock, default_items, suppress_small, table_block
from core.report.findings import KeyFinding, Slide, figure_slides, key_findings, slides
from core.report.model import Report, settings

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "html": ("text/html", ".html"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
    "py": ("text/x-python", ".py"),
}

__all__ = ["FORMATS", "Document", "KeyFinding", "Report", "Slide", "TableBlock", "build", "cli_exports",
           "default_items", "export", "key_findings", "settings", "slides", "suppress_small", "table_block"]


def build(recipe: dict, dataset, results: dict, lang: str = "en", items: list[dict] | None = None,
          findings: list | None = None, charts=None, every: bool = False) -> Document:
    """:func:`core.report.content.build`, with the key findings made only when
    an item asks for them."""
    if findings is None:
        def findings():
            return key_findings(recipe, dataset, results, lang)
    return content.build(recipe, dataset, results, lang, items=items, findings=findings, charts=charts, every=every)


def export(fmt: str, recipe: dict, dataset, results: dict, lang: str = "en", items: list[dict] | None = None,
           document: Document | None = None, findings: list | None = None, charts=None) -> bytes:
    """The report in one format ("docx", "xlsx", "html", "pptx" or "py").

    ``document`` (from :func:`build`) may be passed to share rendered charts
    between formats; ``items`` default to the recipe's report, or everything;
    ``charts`` optionally provides each analysis' charts (see :func:`build`).
    """
    if fmt == "py":
        from core.report import script_writer
        return script_writer.write(recipe, lang)
    if fmt == "pptx":
        from core.report import pptx_writer
        doc = document or build(recipe, dataset, results, lang, items=[], findings=findings)
        if findings is None:
            findings = key_findings(recipe, dataset, results, lang)
        deck = slides(recipe, dataset, results, lang, findings, charts=charts)
        figures = figure_slides(recipe, dataset, results, lang, charts=charts)   # the pinned charts
        source = Path(str((recipe.get("data") or {}).get("path") or "")).name
        return pptx_writer.write(doc.title, doc.subtitle, deck, lang, source, figures)
    doc = (document or build(recipe, dataset, results, lang, items=items, findings=findings, charts=charts,
                             every=fmt == "xlsx")).exported()
    if fmt == "docx":
        from core.report import docx_writer
        return docx_writer.write(doc)
    if fmt == "xlsx":
        from core.report import xlsx_writer
        return xlsx_writer.write(doc)
    if fmt == "html":
        from core.report import html_writer
        return html_writer.write(doc)
    raise ValueError(f"unknown report format {fmt!r}")


def cli_exports(recipe: dict, dataset, results: dict, exports: dict, lang: str = "en") -> list[str]:
    """Write the report files asked for on the command line.

    ``exports`` maps a format ("docx", "xlsx", "html", "pptx", "py") to a
    path.  The report is the recipe's pinned items, or — when it has none —
    the key findings and a results chapter in thesis order (the workbook:
    every table of every analysis).  Returns what could not be included
    (pinned items whose analysis is gone or failed: left out of the files).
    """
    findings = key_findings(recipe, dataset, results, lang)
    docs: dict[bool, Document] = {}   # the document of docx/html, and the workbook's (every table)
    missing: list[str] = []
    for fmt, path in exports.items():
        if not path:
            continue
        doc = None
        if fmt in ("docx", "html", "xlsx"):
            every = fmt == "xlsx"
            if every not in docs:
                docs[every] = build(recipe, dataset, results, lang, findings=findings, every=every)
                missing += [m for m in docs[every].missing if m not in missing]
            doc = docs[every]
        data = export(fmt, recipe, dataset, results, lang, document=doc, findings=findings)
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            raise UserError("report.error.unwritable", path=str(path), detail=exc.strerror or str(exc)) from None
    return missing
