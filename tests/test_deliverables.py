"""Exported files that need no retouching (issue 14), checked on realistic
sessions of both sample surveys (tests/report_sessions.py), in both languages,
and on a survey whose every label is a sentence long.

PowerPoint: 16:9 marked as such; every shape inside the slide; no text frame
overlapping a picture or another text frame, each text frame measured at the
height its text needs (:mod:`core.report.textfit`, at the frame's own width
and font size); title placeholders with height; a picture on every finding
slide whose finding has a chart.
"""
from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn

from core import report as reports
from core.report import pptx_writer, textfit
from core.report.findings import split_statistics
from tests.report_sessions import session

CASES = [("civil_servants", "en", False), ("civil_servants", "zh", False), ("role_pressure", "en", False),
         ("role_pressure", "zh", False), ("role_pressure", "en", True), ("civil_servants", "zh", True)]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0]}-{c[1]}{'-long' if c[2] else ''}")
def deck(request):
    key, lang, long = request.param
    recipe, ds, results = session(key, lang, long)
    findings = reports.key_findings(recipe, ds, results, lang)
    data = reports.export("pptx", recipe, ds, results, lang, findings=findings)
    return Presentation(io.BytesIO(data)), reports.slides(recipe, ds, results, lang, findings), data


def _needed_height(shape) -> float:
    """EMU the shape's text needs at its width and font sizes."""
    tf = shape.text_frame
    width = (shape.width - (tf.margin_left or 0) - (tf.margin_right or 0)) / textfit.EMU_PER_PT
    total = 0.0
    for para in tf.paragraphs:
        sizes = [r.font.size.pt for r in para.runs if r.font.size is not None] or [18.0]
        bold = any(r.font.bold for r in para.runs)
        size = max(sizes)
        text = para.text   # line breaks as "\v"
        n = sum(len(textfit.wrap(line, width, size, bold)) for line in text.split("\v"))
        spacing = para.line_spacing.pt if hasattr(para.line_spacing, "pt") else size * textfit.LINE_SPACING
        total += n * spacing
    return total * textfit.EMU_PER_PT + (tf.margin_top or 0) + (tf.margin_bottom or 0)


def _box(shape):
    height = shape.height
    if shape.has_text_frame and shape.text_frame.text.strip():
        needed = _needed_height(shape)
        if shape.text_frame.auto_size == MSO_AUTO_SIZE.SHAPE_TO_FIT_TEXT:
            height = needed          # a box that grows to fit is as tall as its text
        else:
            assert needed <= height + 1, f"text overflows its box: {shape.text_frame.text!r}"
    return shape.left, shape.top, shape.left + shape.width, shape.top + height


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def test_deck_is_16_9_and_marked_so(deck):
    prs, _, data = deck
    assert prs.slide_width * 9 == prs.slide_height * 16
    assert prs.part._element.find(qn("p:sldSz")).get("type") == "screen16x9"
    import zipfile
    app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode()
    assert "<PresentationFormat>On-screen Show (16:9)</PresentationFormat>" in app


def test_every_shape_inside_and_nothing_overlaps(deck):
    prs, _, _ = deck
    W, H = prs.slide_width, prs.slide_height
    for number, slide in enumerate(prs.slides, 1):
        boxes = []
        for shape in slide.shapes:
            box = _box(shape)
            assert box[0] >= 0 and box[1] >= 0 and box[2] <= W and box[3] <= H, (number, shape.name)
            if shape.has_text_frame and not shape.text_frame.text.strip():
                continue
            boxes.append((shape.name, box))
        for i, (na, a) in enumerate(boxes):
            for nb, b in boxes[i + 1:]:
                assert not _overlap(a, b), f"slide {number}: {na} overlaps {nb}"


def test_title_slide_has_placeholders_with_height(deck):
    prs, _, _ = deck
    first = prs.slides[0]
    title, sub = first.shapes.title, first.placeholders[1]
    assert title.height > 0 and sub.height > 0 and title.text_frame.text and sub.text_frame.text
    assert title.top + title.height <= sub.top


def test_one_finding_per_slide_plain_headline_chart_footer_notes(deck):
    prs, deck_slides, _ = deck
    finding_slides = list(prs.slides)[2:]
    assert len(finding_slides) == len(deck_slides)
    for slide, sl in zip(finding_slides, deck_slides):
        texts = [s for s in slide.shapes if s.has_text_frame]
        headline = texts[1]
        lines = headline.text_frame.text.split("\v")
        assert 1 <= len(lines) <= 2
        assert max(r.font.size.pt for p in headline.text_frame.paragraphs for r in p.runs) >= 18
        # no test statistic in the headline: it is in the subline and the notes
        assert not re.search(r"\bp [<=] \.\d", headline.text_frame.text)
        assert sl.full in slide.notes_slide.notes_text_frame.text
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == (1 if sl.chart is not None else 0)
        footer = max(texts, key=lambda s: s.top).text_frame.text
        assert "n = " in footer and "csv" in footer


def test_split_statistics_keeps_the_words():
    plain, stats = split_statistics("Work pressure differs significantly by Age, F(3, 576) = 9.11, p < .001, "
                                    "η² = .05. It is highest among 31-40 (M = 3.30).")
    assert plain == "Work pressure differs significantly by Age. It is highest among 31-40."
    assert stats == "F(3, 576) = 9.11, p < .001, η² = .05 · M = 3.30"
    plain, stats = split_statistics("角色冲突越高，工作压力（总体）越高（β = .28，p < .001）。")
    assert plain == "角色冲突越高，工作压力（总体）越高。" and stats == "β = .28，p < .001"
    assert split_statistics("Cronbach's α from .83 (FE) to .91.")[0] == "Cronbach's α from .83 (FE) to .91."


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_any_headline_length_fits_two_lines(lang):
    word = "压力" if lang == "zh" else "pressure "
    for n in (1, 10, 40, 200):
        head, _ = pptx_writer.headline_parts(word * n, "")
        fitted = pptx_writer.fit(head, pptx_writer.CONTENT_W, 2, pptx_writer.HEADLINE_SIZES, bold=True)
        assert 1 <= len(fitted.lines) <= 2
        widest = max(textfit.width_pt(x, fitted.size, True) for x in fitted.lines)
        assert widest <= pptx_writer.CONTENT_W
        if n == 200:
            assert fitted.lines[-1].endswith("…") and fitted.size == pptx_writer.HEADLINE_SIZES[-1]
