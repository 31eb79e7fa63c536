"""Excel (.xlsx) report: a contents sheet, then one sheet per table.

Numbers are stored as numbers (full precision, shown with a number format:
p as .003 / < .001, estimates with the report's decimals); every text cell is
neutralised against formula injection (:mod:`core.report.safety`).  Each p
column is followed by a column of significance stars.  Sheet names are at most
31 characters, unique and free of ``[]:*?/\\``.
"""
from __future__ import annotations

import io
import re
import unicodedata

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.format import TEXT_KINDS, is_number, stars
from core.i18n import t
from core.report.content import ChartBlock, Document, FindingsBlock, SectionBlock, TableBlock, TextBlock
from core.report.safety import cell_value as _cell_value
from core.report.safety import neutralise as _neutralise

_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(text) -> str:
    """Neutralised text without the control characters Excel cannot store."""
    return _neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(text)))   # strip first, then neutralise


def cell_value(v):
    out = _cell_value(v)
    return neutralise(str(v)) if isinstance(out, str) else out


THICK, THIN = Side(style="medium", color="000000"), Side(style="thin", color="000000")


def safe_sheet_name(title: str, taken: set[str], limit: int = 31) -> str:
    """A valid, unique (case-insensitive) Excel sheet name for ``title``."""
    base = _BAD.sub(" ", str(title))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = " ".join(base.split()).strip("'").strip() or "Sheet"
    if base.lower() == "history":
        base = "History_"
    name, i = base[:limit].rstrip().strip("'") or "Sheet", 1
    while name.lower() in taken:
        i += 1
        suffix = f" ({i})"
        name = (base[: limit - len(suffix)].rstrip().strip("'") or "Sheet") + suffix
    taken.add(name.lower())
    return name


def number_format(kind: str, digits: int) -> str:
    dec = "." + "0" * digits if digits > 0 else ""
    if kind == "p":
        return '[<0.001]"< .001";.000'
    if kind == "int":
        return "0"
    if kind == "pct":
        return "0.0"
    if kind == "num":
        return "0" + dec
    return "General"


def _width(text) -> int:
    s = str(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def write_table_sheet(ws, block: TableBlock, lang: str, back: str | None = None) -> None:
    """One table on a sheet: caption, header, rows (numbers as numbers), note."""
    ws.cell(row=1, column=1, value=neutralise(f"{t('report.table_label', lang, n=block.number)}  {block.title}"
                                              if block.number else block.title)).font = Font(bold=True, size=12)
    if back:
        c = ws.cell(row=1, column=8, value=t("report.xlsx.back", lang))
        c.hyperlink = f"#'{back}'!A1"
        c.style = "Hyperlink"
    layout = []   # (column info, "value" | "stars")
    for col in block.columns:
        layout.append((col, "value"))
        if col.kind == "p":
            layout.append((col, "stars"))
    head_row = 3
    widths = []
    for j, (col, what) in enumerate(layout, start=1):
        title = col.title if what == "value" else t("report.xlsx.sig", lang)
        c = ws.cell(row=head_row, column=j, value=neutralise(title))
        c.font = Font(bold=True)
        c.border = Border(top=THICK, bottom=THIN)
        c.alignment = Alignment(horizontal="left" if col.kind in TEXT_KINDS else "right", wrap_text=True)
        widths.append(_width(title))
    values = block.frame.to_numpy(dtype=object)
    index = {c.name: i for i, c in enumerate(block.columns)}
    n = len(values)
    for i in range(n):
        r = head_row + 1 + i
        for j, (col, what) in enumerate(layout, start=1):
            v = values[i, index[col.name]]
            if what == "stars":
                out = stars(float(v), block.stars) if is_number(v) else None
                c = ws.cell(row=r, column=j, value=out or None)
            else:
                out = cell_value(block.cell_value(v, col))
                c = ws.cell(row=r, column=j, value=out)
                if isinstance(out, (int, float)) and not isinstance(out, bool):
                    c.number_format = number_format(col.kind, block.digits)
                    c.alignment = Alignment(horizontal="right")
                widths[j - 1] = max(widths[j - 1], _width(block.cell_text(v, col, with_stars=False)))
            if i == n - 1:
                c.border = Border(bottom=THICK)
    if n == 0:
        for j in range(1, len(layout) + 1):
            ws.cell(row=head_row, column=j).border = Border(top=THICK, bottom=THICK)
    r = head_row + n + 2
    lines = block.footnote_lines()
    if lines:
        lines[0] = t("report.note_label", lang) + ("" if lang == "zh" else " ") + lines[0]
    for line in lines:
        ws.cell(row=r, column=1, value=neutralise(line)).font = Font(italic=True, size=9)
        r += 1
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, w + 2))
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)


def write(document: Document) -> bytes:
    lang = document.lang
    wb = Workbook()
    toc = wb.active
    taken: set[str] = set()
    toc.title = safe_sheet_name(t("report.xlsx.contents", lang), taken)
    toc.cell(row=1, column=1, value=neutralise(document.title)).font = Font(bold=True, size=14)
    r = 2
    for line in document.subtitle:
        toc.cell(row=r, column=1, value=neutralise(line)).font = Font(italic=True)
        r += 1
    r += 1
    for j, key in enumerate(("report.xlsx.col.item", "report.xlsx.col.sheet"), start=1):
        c = toc.cell(row=r, column=j, value=t(key, lang))
        c.font = Font(bold=True)
        c.border = Border(top=THICK, bottom=THIN)
    r += 1
    for block in document.blocks:
        if isinstance(block, SectionBlock):
            toc.cell(row=r, column=1, value=neutralise(block.title)).font = Font(bold=True)
        elif isinstance(block, TableBlock):
            name = safe_sheet_name(f"{block.number} {block.title}", taken)
            ws = wb.create_sheet(name)
            write_table_sheet(ws, block, lang, back=toc.title)
            toc.cell(row=r, column=1, value=neutralise(f"{t('report.table_label', lang, n=block.number)}  "
                                                       f"{block.title}"))
            c = toc.cell(row=r, column=2, value=neutralise(name))
            c.hyperlink = f"#'{name}'!A1"
            c.style = "Hyperlink"
        elif isinstance(block, ChartBlock):
            toc.cell(row=r, column=1, value=neutralise(f"{t('report.figure_label', lang, n=block.number)}  "
                                                       f"{block.title}"))
            toc.cell(row=r, column=2, value=t("report.xlsx.figure_elsewhere", lang)).font = Font(italic=True)
        elif isinstance(block, FindingsBlock):
            toc.cell(row=r, column=1, value=t("report.findings_title", lang)).font = Font(bold=True)
            for kf in block.findings:
                r += 1
                toc.cell(row=r, column=1, value=neutralise("• " + kf.headline))
            if not block.findings:
                r += 1
                toc.cell(row=r, column=1, value=t("report.no_findings", lang))
        elif isinstance(block, TextBlock):
            c = toc.cell(row=r, column=1, value=neutralise(block.text))
            c.alignment = Alignment(wrap_text=False)
        r += 1
    toc.column_dimensions["A"].width = 90
    toc.column_dimensions["B"].width = 34
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def table_workbook(block: TableBlock, lang: str) -> bytes:
    """One table as a one-sheet workbook (per-table download)."""
    wb = Workbook()
    ws = wb.active
    ws.title = safe_sheet_name(block.title, set())
    write_table_sheet(ws, block, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
