"""Word (.docx) report: APA / "three-line" tables, figures, notes, zh or en.

Tables have a top rule, a rule under the header and a bottom rule — no
vertical or other horizontal lines; numbers are right-aligned with a fixed
number of decimals (so decimal points line up); p is written as .003 or
< .001 with the star scheme's marks, explained in the note under the table
together with the method footnote (N used and left out, and the analysis'
notes: test chosen and why, conventions, resamples, CI type, seed…).
Chinese documents set the East-Asian font (宋体) through ``w:eastAsia``.

Column widths fit their content (measured with :mod:`core.report.textfit`):
numbers never wrap (``w:noWrap``, columns at least as wide as their widest
number), headers and labels wrap between words; a table too wide for a
portrait page goes into a landscape section of its own; a table of a few
rows too wide even for that (a model's 21 fit indices) is turned, its
columns made rows, as a thesis lists fit indices.  The method note of
an analysis is written under its first table only; later tables carry their
own notes and the star legend.
"""
from __future__ import annotations

import io
import re
from dataclasses import replace
from xml.sax.saxutils import escape

import pandas as pd

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Inches, Pt, RGBColor

from core.format import TEXT_KINDS
from core.i18n import t
from core.report import textfit
from core.report.safety import xml_text
from core.report.content import ChartBlock, ColumnInfo, Document, FindingsBlock, SectionBlock, TableBlock, TextBlock

FONTS = {"en": ("Times New Roman", "SimSun"), "zh": ("Times New Roman", "宋体")}
RULE_OUTER = 12   # eighths of a point: 1.5 pt top and bottom rules
RULE_INNER = 6    # 0.75 pt rule under the header
MAX_FIG_WIDTH = Inches(6.0)
MAX_FIG_HEIGHT = Inches(8.0)
A4 = (Emu(7560310), Emu(10692130))
MARGIN = Inches(1)
CELL_PAD = 11.6             # pt: Word's default cell margins (0.08 in left and right)
MAX_TEXT_COL = 170.0        # pt: a label column wider than this wraps between words
SIZES = (10, 9, 8)          # pt: table type, smaller for wide tables


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


def _no_table_borders(table):
    tbl_pr = table._tbl.tblPr
    _borders(tbl_pr, "w:tblBorders", {s: None for s in ("top", "left", "bottom", "right", "insideH",
                                                          "insideV")})


def _para(doc, text: str = "", style: str | None = None, align=None, bold=False, italic=False, size=None,
          lang="en"):
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(xml_text(text))
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
        r = p.add_run(xml_text(f"{label}  {title}"))
        r.bold = True
        p.paragraph_format.keep_with_next = True
        return
    p = doc.add_paragraph()
    p.add_run(label).bold = True
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_after = Pt(0)
    p2 = doc.add_paragraph()
    p2.add_run(xml_text(title)).italic = True
    p2.paragraph_format.keep_with_next = True


def _note(doc, block: TableBlock, lang: str, method: bool = True):
    body = xml_text(block.footnote(method))
    if not body:
        return
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(3)
    label = t("report.note_label", lang)
    r = p.add_run(label)
    r.italic = lang != "zh"
    r.font.size = Pt(9)
    r2 = p.add_run(" " + body if lang != "zh" else body)
    r2.font.size = Pt(9)


def text_width(doc_or_section) -> float:
    """Points between the margins of a section."""
    sec = doc_or_section
    return (sec.page_width - sec.left_margin - sec.right_margin) / textfit.EMU_PER_PT


# a cell of a text column that is a statistic ("< .001***", "3.08 ± 0.72", "7.60ᵃ") is not wrapped either
STATISTIC = re.compile(r"^[-−+<>=≤≥±.,:\d\s*ᵃ()%/]+$")
CJK_RUN = 6   # a run of Chinese wraps after at least this many characters
WORD_SLACK = 1.1   # the measure (Noto Sans) draws capitals up to ~7% narrower than the Word font (Times New Roman)


def unbreakable(text: str, size: float, bold: bool = False) -> float:
    """Width (pt) of the widest piece of a cell that must stay on one line:
    the whole cell when it is a statistic, else the widest word (a list
    breaks after its separators; Chinese after :data:`CJK_RUN` characters),
    with :data:`WORD_SLACK` so that no word is broken where Word draws it wider."""
    if STATISTIC.match(text):
        return textfit.width_pt(text, size, bold) * WORD_SLACK
    pieces = re.split(r"(?<=[;；,，、])\s*|\s+", text)
    return WORD_SLACK * max([min(textfit.width_pt(p, size, bold), CJK_RUN * size) if any(textfit.is_wide(c) for c in p)
                             else textfit.width_pt(p, size, bold) for p in pieces if p] or [0.0])


def column_widths(block: TableBlock, avail: float) -> tuple[list[float], float] | None:
    """Widths (pt) of the table's columns at the largest of :data:`SIZES`
    at which it fits ``avail`` points — numbers whole, headers and labels
    wrapped between words — and that size; None when it fits at none."""
    values = block.frame.to_numpy(dtype=object)
    texts = [[block.cell_text(values[i, j], col) for i in range(len(values))] for j, col in enumerate(block.columns)]
    for size in SIZES:
        need, least = [], []
        for col, cells in zip(block.columns, texts):
            head_full = textfit.width_pt(col.title, size, True)
            head_word = unbreakable(col.title, size, True)
            if col.kind in TEXT_KINDS:
                full = max([textfit.width_pt(c, size) for c in cells] or [0])
                word = max([unbreakable(c, size) for c in cells] or [0])
                need.append(max(head_word, min(max(full, head_full), MAX_TEXT_COL)) + CELL_PAD)
                least.append(max(head_word, word) + CELL_PAD)
            else:
                cell = max([textfit.width_pt(c, size) for c in cells] or [0])
                need.append(max(cell, head_full) + CELL_PAD)
                least.append(max(cell, head_word) + CELL_PAD)
        if sum(need) <= avail:
            return need, size
        if sum(least) <= avail:   # share the room left between the columns that would like more
            spare, want = avail - sum(least), [n - m for n, m in zip(need, least)]
            return [m + spare * w / sum(want) for m, w in zip(least, want)], size
    return None


def _border_xml(top: int | None, bottom: int | None) -> str:
    def side(name, size):
        if size:
            return f'<w:{name} w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'
        return f'<w:{name} w:val="nil"/>'
    return f"<w:tcBorders>{side('top', top)}{side('left', None)}{side('bottom', bottom)}{side('right', None)}" \
           "</w:tcBorders>"


def _cell_xml(text: str, right: bool, half_points: int, top: int | None = None, bottom: int | None = None,
              width: int = 0, nowrap: bool = False) -> str:
    borders = _border_xml(top, bottom) if (top or bottom) else ""
    jc = '<w:jc w:val="right"/>' if right else ""
    wrap = "<w:noWrap/>" if nowrap else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{borders}{wrap}</w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{jc}</w:pPr>'
            f'<w:r><w:rPr><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(xml_text(text))}</w:t></w:r></w:p></w:tc>')


TURN_ROWS = 3   # a table of at most this many rows too wide for a landscape page is turned


def turned(block: TableBlock) -> TableBlock:
    """The table with its columns made rows, each cell written as in its
    original column: the first column names what the row holds; the rows
    become columns headed by their first text column (a model's name) when
    there are several, else by "Value"."""
    values = block.frame.to_numpy(dtype=object)
    cols = list(block.columns)
    heads = [t("report.turned.value", block.lang)] if len(values) == 1 else [str(i + 1) for i in range(len(values))]
    if len(values) > 1 and cols[0].kind in TEXT_KINDS:
        heads = [block.cell_text(values[i, 0], cols[0]) for i in range(len(values))]
        values, cols = values[:, 1:], cols[1:]
    rows = [[c.title] + [block.cell_text(values[i, j], c) for i in range(len(values))] for j, c in enumerate(cols)]
    names = ["index"] + [f"value_{i}" for i in range(len(heads))]
    columns = [ColumnInfo("index", "", "text")] + [ColumnInfo(n, h, "num") for n, h in zip(names[1:], heads)]
    return replace(block, frame=pd.DataFrame(rows, columns=names), columns=columns)


def layout(block: TableBlock) -> tuple[TableBlock, bool, list[float], float]:
    """(the table as written, landscape?, column widths in pt, font size) on
    A4 with one-inch margins: portrait when it fits, else landscape; a table
    of at most :data:`TURN_ROWS` rows that fits neither is :func:`turned`;
    else landscape at the smallest size, the widest label columns squeezed to
    share what is left."""
    portrait = (A4[0] - 2 * MARGIN) / textfit.EMU_PER_PT
    landscape = (A4[1] - 2 * MARGIN) / textfit.EMU_PER_PT
    tries = [block] + ([turned(block)] if 0 < len(block.frame) <= TURN_ROWS else [])
    for candidate in tries:
        for wide, avail in ((False, portrait), (True, landscape)):
            fitted = column_widths(candidate, avail)
            if fitted is not None:
                return candidate, wide, fitted[0], fitted[1]
    size = SIZES[-1]
    values = block.frame.to_numpy(dtype=object)
    fixed = {j: max([textfit.width_pt(block.cell_text(values[i, j], c), size) for i in range(len(values))]
                    + [unbreakable(c.title, size, True)]) + CELL_PAD
             for j, c in enumerate(block.columns) if c.kind not in TEXT_KINDS}
    rest = max(landscape - sum(fixed.values()), 0)
    n_text = len(block.columns) - len(fixed)
    return block, True, [fixed.get(j, rest / max(n_text, 1)) for j in range(len(block.columns))], size


def write_table(doc, block: TableBlock, lang: str, method: bool = True, widths: list[float] | None = None,
                size: float = 10):
    """A three-line table, its rows written as XML in one go (python-docx's
    cell API costs about a millisecond per cell)."""
    _caption(doc, t("report.table_label", lang, n=block.number), block.title, lang)
    cols = block.columns
    widths = widths or [text_width(doc.sections[-1]) / len(cols)] * len(cols)
    tw = [int(w * 20) for w in widths]      # twentieths of a point
    table = doc.add_table(rows=0, cols=len(cols))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_table_borders(table)
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:w"), str(sum(tw)))
        tbl_w.set(qn("w:type"), "dxa")
    for grid, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), tw):
        grid.set(qn("w:w"), str(w))
    hp = int(round(size * 2))               # font size in half-points
    values = block.frame.to_numpy(dtype=object)
    n = len(values)
    rows = ['<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>'
            + "".join(_cell_xml(c.title, c.kind not in TEXT_KINDS, hp, RULE_OUTER, RULE_OUTER if n == 0 else RULE_INNER,
                                tw[j]) for j, c in enumerate(cols)) + "</w:tr>"]
    for i in range(n):
        bottom = RULE_OUTER if i == n - 1 else None
        cells = []
        for j, col in enumerate(cols):
            text = block.cell_text(values[i, j], col)
            number = col.kind not in TEXT_KINDS
            cells.append(_cell_xml(text, number, hp, None, bottom, tw[j], number or bool(STATISTIC.match(text))))
        rows.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(cells) + "</w:tr>")
    frag = parse_xml(f'<w:tbl {nsdecls("w")}>' + "".join(rows) + "</w:tbl>")
    for tr in list(frag):
        tbl.append(tr)
    _note(doc, block, lang, method)


def _orient(doc, landscape: bool) -> None:
    """Start a new section when the orientation changes (wide tables go landscape)."""
    from docx.enum.section import WD_SECTION

    sec = doc.sections[-1]
    if (sec.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    new = doc.add_section(WD_SECTION.NEW_PAGE)
    new.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    new.page_width, new.page_height = (A4[1], A4[0]) if landscape else A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(new, side, MARGIN)


def write_chart(doc, block: ChartBlock, lang: str):
    from core.report import images

    label = t("report.figure_label", lang, n=block.number)
    png = block.png()
    w, h = images.png_size(png)
    width = min(MAX_FIG_WIDTH, Emu(int(w / 2 / 96 * 914400)),   # scale 2 → CSS px → inches at 96 dpi
                Emu(int(MAX_FIG_HEIGHT * w / h)))                  # a tall figure (a path diagram) fits the page
    if lang != "zh":
        _caption(doc, label, block.title, lang)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(png), width=width)
    if lang == "zh":   # the caption below the figure, on its page
        p.paragraph_format.keep_with_next = True
        _caption(doc, label, block.title, lang)


def write_findings(doc, block: FindingsBlock, lang: str):
    doc.add_heading(t("report.findings_title", lang), level=1)
    if not block.findings:
        _para(doc, t("report.no_findings", lang), italic=True)
        return
    for kf in block.findings:
        doc.add_paragraph(xml_text(kf.headline), style="List Bullet")


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
    sec.page_width, sec.page_height = A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, MARGIN)
    doc.core_properties.title = xml_text(document.title)[:250]
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en"
    doc.add_heading(xml_text(document.title), level=0)
    for line in document.subtitle:
        _para(doc, line, italic=True)
    told: set[str] = set()   # analyses whose method note has been written
    blocks = document.blocks
    layouts = {i: layout(b) for i, b in enumerate(blocks) if isinstance(b, TableBlock)}
    for i, block in enumerate(blocks):
        if isinstance(block, TableBlock):
            block, landscape, widths, size = layouts[i]
            _orient(doc, landscape)
            write_table(doc, block, lang, block.analysis not in told, widths, size)
            told.add(block.analysis)
            continue
        # a heading goes on the page of the (landscape) table that follows it
        _orient(doc, isinstance(block, SectionBlock) and i + 1 in layouts and layouts[i + 1][1])
        if isinstance(block, SectionBlock):
            doc.add_heading(xml_text(block.title), level=1)
        elif isinstance(block, TextBlock):
            doc.add_paragraph(xml_text(block.text))
        elif isinstance(block, ChartBlock):
            write_chart(doc, block, lang)
        elif isinstance(block, FindingsBlock):
            write_findings(doc, block, lang)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
