"""Word (.docx) report: APA / "three-line" tables, figures, notes, zh or en.

Tables have a top rule, a rule under the header and a bottom rule — no
vertical or other horizontal lines; numbers are right-aligned with a fixed
number of decimals (so decimal points line up); p is written as .003 or
< .001 with the star scheme's marks, explained in the note under the table
together with the method footnote (N used and left out, and the analysis'
notes: test chosen and why, conventions, resamples, CI type, seed…).
Chinese documents set the East-Asian font (宋体) through ``w:eastAsia``.
"""
from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt, RGBColor

from core.i18n import t
from core.report.content import ChartBlock, Document, FindingsBlock, MissingBlock, SectionBlock, TableBlock, \
    TextBlock

FONTS = {"en": ("Times New Roman", "SimSun"), "zh": ("Times New Roman", "宋体")}
RULE_OUTER = 12   # eighths of a point: 1.5 pt top and bottom rules
RULE_INNER = 6    # 0.75 pt rule under the header
MAX_FIG_WIDTH = Inches(6.0)


def _set_font(style_or_run, lang: str, size: float | None = None):
    latin, east = FONTS.get(lang, FONTS["en"])
    font = style_or_run.font
    font.name = latin
    if size:
        font.size = Pt(size)
    el = style_or_run.element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)   # theme fonts would override the explicit ones
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east)


def _borders(el_pr, tag: str, sides: dict[str, int | None]):
    """Write <w:tblBorders>/<w:tcBorders>: size in eighths of a point, None = no line."""
    old = el_pr.find(qn(tag))
    if old is not None:
        el_pr.remove(old)
    box = OxmlElement(tag)
    for side, size in sides.items():
        e = OxmlElement(f"w:{side}")
        if size:
            e.set(qn("w:val"), "single")
            e.set(qn("w:sz"), str(size))
            e.set(qn("w:space"), "0")
            e.set(qn("w:color"), "000000")
        else:
            e.set(qn("w:val"), "nil")
        box.append(e)
    el_pr.append(box)
    return box


def _cell_borders(cell, top: int | None = None, bottom: int | None = None):
    tc_pr = cell._tc.get_or_add_tcPr()
    _borders(tc_pr, "w:tcBorders", {"top": top, "left": None, "bottom": bottom, "right": None})


def _no_table_borders(table):
    tbl_pr = table._tbl.tblPr
    _borders(tbl_pr, "w:tblBorders", {s: None for s in ("top", "left", "bottom", "right", "insideH",
                                                          "insideV")})


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    e = OxmlElement("w:tblHeader")
    e.set(qn("w:val"), "true")
    tr_pr.append(e)


def _para(doc, text: str = "", style: str | None = None, align=None, bold=False, italic=False, size=None,
          lang="en"):
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _caption(doc, label: str, title: str, lang: str):
    """APA (en): bold "Table 1" then the italic title; Chinese: centred "表 1 标题"."""
    if lang == "zh":
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(f"{label}  {title}")
        r.bold = True
        p.paragraph_format.keep_with_next = True
        return
    p = doc.add_paragraph()
    p.add_run(label).bold = True
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_after = Pt(0)
    p2 = doc.add_paragraph()
    p2.add_run(title).italic = True
    p2.paragraph_format.keep_with_next = True


def _note(doc, block: TableBlock, lang: str):
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(3)
    label = t("report.note_label", lang)
    r = p.add_run(label)
    r.italic = lang != "zh"
    r.font.size = Pt(9)
    body = block.footnote()
    r2 = p.add_run(" " + body if lang != "zh" else body)
    r2.font.size = Pt(9)


def write_table(doc, block: TableBlock, lang: str):
    _caption(doc, t("report.table_label", lang, n=block.number), block.title, lang)
    cols = block.columns
    n_rows = len(block.frame) + 1
    table = doc.add_table(rows=n_rows, cols=len(cols))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = True
    _no_table_borders(table)
    size = 9 if len(cols) > 8 else 10
    header = table.rows[0]
    _repeat_header(header)
    for j, col in enumerate(cols):
        cell = header.cells[j]
        cell.text = ""
        run = cell.paragraphs[0].add_run(col.title)
        run.font.size = Pt(size)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT if col.kind == "text" else WD_ALIGN_PARAGRAPH.RIGHT
        _cell_borders(cell, top=RULE_OUTER, bottom=RULE_INNER)
    values = block.frame.to_numpy(dtype=object)
    last = n_rows - 1
    for i in range(1, n_rows):
        row = table.rows[i]
        cells = row.cells
        for j, col in enumerate(cols):
            cell = cells[j]
            para = cell.paragraphs[0]
            run = para.add_run(block.cell_text(values[i - 1, j], col))
            run.font.size = Pt(size)
            if col.kind != "text":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if i == last:
                _cell_borders(cell, bottom=RULE_OUTER)
    if n_rows == 1:
        for cell in header.cells:
            _cell_borders(cell, top=RULE_OUTER, bottom=RULE_OUTER)
    _note(doc, block, lang)


def write_chart(doc, block: ChartBlock, lang: str):
    from core.report import images

    label = t("report.figure_label", lang, n=block.number)
    png = block.png()
    w, h = images.png_size(png)
    width = min(MAX_FIG_WIDTH, Emu(int(w / 2 / 96 * 914400)))  # scale 2 → CSS px → inches at 96 dpi
    if lang != "zh":
        _caption(doc, label, block.title, lang)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(png), width=width)
    if lang == "zh":
        _caption(doc, label, block.title, lang)


def write_findings(doc, block: FindingsBlock, lang: str):
    doc.add_heading(t("report.findings_title", lang), level=1)
    if not block.findings:
        _para(doc, t("report.no_findings", lang), italic=True)
        return
    for kf in block.findings:
        doc.add_paragraph(kf.headline, style="List Bullet")


def write(document: Document) -> bytes:
    lang = document.lang
    doc = new_document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        try:
            style = doc.styles[name]
            _set_font(style, lang, 11 if name == "Normal" else None)
            if name != "Normal":
                style.font.color.rgb = RGBColor(0, 0, 0)
        except KeyError:
            pass
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Emu(7560310), Emu(10692130)   # A4
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Inches(1))
    doc.core_properties.title = document.title
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en"
    doc.add_heading(document.title, level=0)
    for line in document.subtitle:
        _para(doc, line, italic=True)
    for block in document.blocks:
        if isinstance(block, SectionBlock):
            doc.add_heading(block.title, level=1)
        elif isinstance(block, TextBlock):
            doc.add_paragraph(block.text)
        elif isinstance(block, TableBlock):
            write_table(doc, block, lang)
        elif isinstance(block, ChartBlock):
            write_chart(doc, block, lang)
        elif isinstance(block, FindingsBlock):
            write_findings(doc, block, lang)
        elif isinstance(block, MissingBlock):
            _para(doc, block.text, italic=True)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
