"""PowerPoint (.pptx) deck for officials: a title slide, a summary slide,
then one finding per slide with its one-sentence headline and its chart
(technical detail in small type and in the speaker notes)."""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from core.i18n import t
from core.report.safety import xml_text

EA_FONT = {"zh": "Microsoft YaHei", "en": "Calibri"}
W, H = Inches(13.333), Inches(7.5)     # 16:9


def _style_runs(frame, lang: str, size: float | None = None, bold: bool | None = None):
    for para in frame.paragraphs:
        for run in para.runs:
            if size:
                run.font.size = Pt(size)
            if bold is not None:
                run.font.bold = bold
            rpr = run._r.get_or_add_rPr()
            for tag in ("a:latin", "a:ea"):
                el = rpr.find(qn(tag))
                if el is None:
                    el = rpr.makeelement(qn(tag), {})
                    rpr.append(el)
                el.set("typeface", EA_FONT["zh"] if (tag == "a:ea" or lang == "zh") else EA_FONT["en"])


def _text_box(slide, left, top, width, height, text: str, lang: str, size: float, bold=False, color=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    lines = xml_text(text).replace("\r", "").split("\n")
    tf.text = lines[0]
    for line in lines[1:]:
        tf.add_paragraph().text = line
    _style_runs(tf, lang, size, bold)
    if color is not None:
        for p in tf.paragraphs:
            for r in p.runs:
                r.font.color.rgb = color
    return box


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


def write(title: str, subtitle: list[str], slides: list, lang: str) -> bytes:
    """``slides``: :class:`core.report.findings.Slide` list."""
    from pptx.dml.color import RGBColor

    from core.report import images  # noqa: F401  (fonts registered on first use)

    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    blank = prs.slide_layouts[6]
    title_layout = prs.slide_layouts[0]

    s = prs.slides.add_slide(title_layout)
    s.shapes.title.text = xml_text(title)
    _style_runs(s.shapes.title.text_frame, lang, 40, True)
    s.shapes.title.left, s.shapes.title.width = Inches(0.8), W - Inches(1.6)
    sub = s.placeholders[1]
    sub.text = xml_text("\n".join(subtitle))
    sub.left, sub.width = Inches(0.8), W - Inches(1.6)
    _style_runs(sub.text_frame, lang, 20)

    grey = RGBColor(0x55, 0x55, 0x55)
    rendered: dict = {}   # one PNG per distinct chart (several findings may share one)
    if slides:
        s = prs.slides.add_slide(blank)
        _text_box(s, Inches(0.6), Inches(0.4), W - Inches(1.2), Inches(1.0), t("report.findings_title", lang),
                  lang, 32, True)
        body = "\n".join("• " + sl.headline for sl in slides[:8])
        if len(slides) > 8:
            body += "\n" + t("report.more_findings", lang, n=len(slides) - 8)
        _text_box(s, Inches(0.8), Inches(1.5), W - Inches(1.6), H - Inches(2.0), body, lang, 18)
    else:
        s = prs.slides.add_slide(blank)
        _text_box(s, Inches(0.6), Inches(2.5), W - Inches(1.2), Inches(1.5), t("report.no_findings", lang),
                  lang, 28)

    for sl in slides:
        s = prs.slides.add_slide(blank)
        _text_box(s, Inches(0.6), Inches(0.3), W - Inches(1.2), Inches(1.3), sl.headline, lang, 28, True)
        _text_box(s, Inches(0.6), Inches(1.5), W - Inches(1.2), Inches(0.4), sl.analysis_title, lang, 14,
                  color=grey)
        top = Inches(2.0)
        detail_h = Inches(0.9)
        png = _png(sl.chart, rendered) if sl.chart is not None else None
        if sl.chart is not None:
            if png:
                w_px, h_px = images.png_size(png)
                max_w, max_h = W - Inches(1.2), H - top - detail_h - Inches(0.2)
                ratio = min(max_w / w_px, max_h / h_px)
                pw, ph = int(w_px * ratio), int(h_px * ratio)
                s.shapes.add_picture(io.BytesIO(png), Emu(int((W - pw) / 2)), top, Emu(pw), Emu(ph))
        if sl.detail and png:
            _text_box(s, Inches(0.6), H - detail_h - Inches(0.1), W - Inches(1.2), detail_h, sl.detail, lang, 12,
                      color=grey)
        elif sl.detail:   # no chart: the detail in readable type where the chart would be
            _text_box(s, Inches(0.8), top + Inches(0.4), W - Inches(1.6), H - top - Inches(1.0), sl.detail, lang,
                      20, color=grey)
        notes = "\n".join([sl.detail] + list(sl.notes)) if sl.detail else "\n".join(sl.notes)
        s.notes_slide.notes_text_frame.text = xml_text(notes)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
