"""PowerPoint (.pptx) deck for officials: a title slide, a summary slide,
then one finding per slide — a plain headline of at most two lines, the
statistic in a subline, the finding's own chart, the source and n in a
footer, and everything technical in the speaker notes.

The deck is 16:9 ("On-screen Show (16:9)", 10 × 5.625 in) and says so in
both places a viewer reads it from (``p:sldSz type="screen16x9"`` and the
``PresentationFormat`` of docProps/app.xml).  Every text is measured before
it is placed (:mod:`core.report.textfit`): a box is exactly as tall as the
lines its text needs at the size chosen for it, the size shrinks within a
range until the text fits its line budget, and text still too long at the
smallest size is cut with "…" (the full text is in the speaker notes) — so
nothing overlaps or leaves the slide, in either language, whatever the
labels.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Centipoints, Emu, Pt

from core.i18n import t
from core.report import textfit
from core.report.findings import sentences
from core.report.safety import xml_text

EA_FONT = {"zh": "Microsoft YaHei", "en": "Calibri"}
W_PT, H_PT = 720.0, 405.0             # 10 × 5.625 in: PowerPoint's "On-screen Show (16:9)"
W, H = Emu(int(W_PT * textfit.EMU_PER_PT)), Emu(int(H_PT * textfit.EMU_PER_PT))
MARGIN = 36.0                         # pt, left/right/top/bottom
GAP = 6.0                             # pt between stacked boxes
CONTENT_W = W_PT - 2 * MARGIN
SAFETY = 0.96                         # measure against 96% of a box's width (renderers' fonts differ)
HEADLINE_SIZES = (26, 24, 22, 20, 18)
SUBLINE_SIZES = (13, 12, 11)
LABEL_SIZE, FOOTER_SIZE = 10.0, 9.0
FORMAT_NAME = "On-screen Show (16:9)"
GREY = (0x59, 0x59, 0x59)


def _emu(pt: float) -> Emu:
    return Emu(int(round(pt * textfit.EMU_PER_PT)))


@dataclass
class Fitted:
    """Text measured for a box: the size, the lines and the height they need."""

    size: float
    lines: list[str]
    bold: bool = False

    @property
    def height(self) -> float:
        return textfit.height_pt(len(self.lines), self.size) if self.lines else 0.0


def latin_typeface(lang: str) -> str:
    """The typeface a deck in ``lang`` names for Latin characters."""
    return EA_FONT["zh"] if lang == "zh" else EA_FONT["en"]


def fit(text: str, width: float, max_lines: int, sizes, bold: bool = False, *, lang: str) -> Fitted:
    """``text`` measured as office renderers draw it in the deck's typefaces,
    against :data:`SAFETY` of the box's ``width``."""
    text = xml_text(text)
    size, lines = textfit.fit(text, width * SAFETY, max_lines, sizes, bold, typeface=latin_typeface(lang))
    return Fitted(size, lines, bold)


def _style_runs(frame, lang: str, size: float | None = None, bold: bool | None = None, color=None):
    from pptx.dml.color import RGBColor

    for para in frame.paragraphs:
        if size:   # exact spacing: a box's height is its lines × 1.2 × the size in any renderer and font
            # (in whole centipoints, as the file stores it: Pt(24 × 1.2) would round down to 28.79 pt)
            para.line_spacing = Centipoints(round(size * textfit.LINE_SPACING * 100))
        for run in para.runs:
            if size:
                run.font.size = Pt(size)
            if bold is not None:
                run.font.bold = bold
            if color is not None:
                run.font.color.rgb = RGBColor(*color)
            rpr = run._r.get_or_add_rPr()
            for tag in ("a:latin", "a:ea"):
                el = rpr.find(qn(tag))
                if el is None:
                    el = rpr.makeelement(qn(tag), {})
                    rpr.append(el)
                el.set("typeface", EA_FONT["zh"] if tag == "a:ea" else latin_typeface(lang))


def _frame(tf, fitted: Fitted, lang: str, color=None) -> None:
    """Fill a text frame with measured lines: no insets, no autofit, explicit
    line breaks where the measurement broke the text."""
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
    tf.vertical_anchor = MSO_ANCHOR.TOP
    tf.text = "\v".join(fitted.lines)      # \v: a line break inside the paragraph
    _style_runs(tf, lang, fitted.size, fitted.bold, color)


def _text_box(slide, left: float, top: float, width: float, fitted: Fitted, lang: str, color=None):
    box = slide.shapes.add_textbox(_emu(left), _emu(top), _emu(width), _emu(fitted.height))
    _frame(box.text_frame, fitted, lang, color)
    return box


def _mark_16x9(prs) -> None:
    sld_sz = prs.part._element.find(qn("p:sldSz"))
    sld_sz.set("type", "screen16x9")
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = re.sub(rb"<PresentationFormat>[^<]*</PresentationFormat>",
                                f"<PresentationFormat>{FORMAT_NAME}</PresentationFormat>".encode(), part.blob)


def _png(chart, rendered: dict) -> bytes | None:
    import json

    from core.report import images

    key = json.dumps(chart, sort_keys=True, default=str) if isinstance(chart, dict) else id(chart)
    if key not in rendered:
        try:
            rendered[key] = images.to_png(chart, scale=2)
        except Exception:  # a chart that cannot be drawn leaves the slide without it
            rendered[key] = None
    return rendered[key]


def _picture(slide, png: bytes, top: float, bottom: float) -> None:
    from core.report import images

    w_px, h_px = images.png_size(png)
    ratio = min(CONTENT_W / w_px, (bottom - top) / h_px)
    pw, ph = w_px * ratio, h_px * ratio
    slide.shapes.add_picture(io.BytesIO(png), _emu((W_PT - pw) / 2), _emu(top), _emu(pw), _emu(ph))


def headline_parts(headline: str, statistic: str, lang: str, width: float = CONTENT_W) -> tuple[str, str]:
    """(the slide's headline, its subline): the leading sentences of the plain
    headline that fit two lines at the smallest headline size; the sentences
    left over and the statistics go to the subline."""
    parts = sentences(headline)
    head = parts[0] if parts else headline
    used = 1
    for s in parts[1:]:
        cand = head + ("" if re.search(r"[\u3000-\u9fff]$", head) else " ") + s
        if len(textfit.wrap(cand, width * SAFETY, HEADLINE_SIZES[-1], True, latin_typeface(lang))) > 2:
            break
        head, used = cand, used + 1
    rest = " ".join(parts[used:])
    sub = " · ".join(x for x in (rest, statistic) if x)
    return head, sub


def _footer(slide, text: str, lang: str) -> float:
    """The footer at the bottom of a slide; returns its top (pt)."""
    fitted = fit(text, CONTENT_W, 1, (FOOTER_SIZE,), lang=lang)
    top = H_PT - MARGIN / 2 - fitted.height
    _text_box(slide, MARGIN, top, CONTENT_W, fitted, lang, GREY)
    return top


def _title_slide(prs, title: str, subtitle: list[str], lang: str) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[0])
    head = fit(title, CONTENT_W, 2, (40, 36, 32, 28), bold=True, lang=lang)
    sub = fit("\n".join(subtitle), CONTENT_W, 4, (18, 16, 14), lang=lang)
    total = head.height + 2 * GAP + sub.height
    top = max(MARGIN, (H_PT - total) / 2)
    for shape, fitted, y in ((s.shapes.title, head, top), (s.placeholders[1], sub, top + head.height + 2 * GAP)):
        shape.left, shape.top, shape.width, shape.height = _emu(MARGIN), _emu(y), _emu(CONTENT_W), _emu(fitted.height)
        _frame(shape.text_frame, fitted, lang, None if fitted is head else GREY)
        for p in shape.text_frame.paragraphs:
            p.alignment = 2   # centred (PP_ALIGN.CENTER)


def _summary_slide(prs, slides: list, lang: str) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[6])
    head = fit(t("report.findings_title", lang), CONTENT_W, 1, (28,), bold=True, lang=lang)
    _text_box(s, MARGIN, MARGIN, CONTENT_W, head, lang)
    y = MARGIN + head.height + 2 * GAP
    bottom = H_PT - MARGIN
    more = fit(t("report.more_findings", lang, n=len(slides)), CONTENT_W, 1, (14,), lang=lang)
    for i, sl in enumerate(slides):
        bullet = fit("• " + headline_parts(sl.headline, "", lang)[0], CONTENT_W, 2, (16, 15, 14), lang=lang)
        room = bottom - (more.height + GAP if i < len(slides) - 1 else 0)
        if y + bullet.height > room:
            more = fit(t("report.more_findings", lang, n=len(slides) - i), CONTENT_W, 1, (14,), lang=lang)
            _text_box(s, MARGIN, y, CONTENT_W, more, lang, GREY)
            break
        _text_box(s, MARGIN, y, CONTENT_W, bullet, lang)
        y += bullet.height + GAP


def _finding_slide(prs, sl, source: str, lang: str, rendered: dict) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[6])
    y = MARGIN * 0.6
    label = fit(sl.analysis_title, CONTENT_W, 1, (LABEL_SIZE,), lang=lang)
    _text_box(s, MARGIN, y, CONTENT_W, label, lang, GREY)
    y += label.height + GAP
    head_text, sub_text = headline_parts(sl.headline, sl.statistic, lang)
    head = fit(head_text, CONTENT_W, 2, HEADLINE_SIZES, bold=True, lang=lang)
    _text_box(s, MARGIN, y, CONTENT_W, head, lang)
    y += head.height + GAP
    if sub_text:
        sub = fit(sub_text, CONTENT_W, 2, SUBLINE_SIZES, lang=lang)
        _text_box(s, MARGIN, y, CONTENT_W, sub, lang, GREY)
        y += sub.height
    y += 2 * GAP
    foot = t("report.slide.footer", lang, source=source, n=sl.n) if sl.n is not None else source
    bottom = _footer(s, foot, lang) - 2 * GAP
    png = _png(sl.chart, rendered) if sl.chart is not None else None
    if png and bottom - y > 60:
        _picture(s, png, y, bottom)
    elif sl.detail:   # no chart: the technical line in readable type where the chart would be
        lines = max(1, int((bottom - y) // textfit.height_pt(1, 14)))
        _text_box(s, MARGIN, y, CONTENT_W, fit(sl.detail, CONTENT_W, lines, (16, 14), lang=lang), lang, GREY)
    notes = [sl.full or sl.headline, sl.detail, *sl.notes]
    s.notes_slide.notes_text_frame.text = xml_text("\n".join(x for x in notes if x))


def write(title: str, subtitle: list[str], slides: list, lang: str, source: str = "", figures: list = ()) -> bytes:
    """``slides``: :class:`core.report.findings.Slide` list; ``source``: the
    data file's name (footer of every finding slide); ``figures``: slides of
    the pinned charts (a path diagram …), laid out alike, after the findings."""
    from core.report import images  # noqa: F401  (fonts registered on first use)

    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    _mark_16x9(prs)
    _title_slide(prs, title, subtitle, lang)
    if slides:
        _summary_slide(prs, slides, lang)
    else:
        s = prs.slides.add_slide(prs.slide_layouts[6])
        none = fit(t("report.no_findings", lang), CONTENT_W, 3, (24, 20), lang=lang)
        _text_box(s, MARGIN, H_PT / 3, CONTENT_W, none, lang)
    rendered: dict = {}   # one PNG per distinct chart (several findings may share one)
    for sl in [*slides, *figures]:
        _finding_slide(prs, sl, source, lang, rendered)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
