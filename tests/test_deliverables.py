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

import pandas as pd
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
    """EMU the shape's text needs at its width, font sizes and Latin typeface (as an
    office renderer draws it)."""
    tf = shape.text_frame
    width = (shape.width - (tf.margin_left or 0) - (tf.margin_right or 0)) / textfit.EMU_PER_PT
    total = 0.0
    for para in tf.paragraphs:
        sizes = [r.font.size.pt for r in para.runs if r.font.size is not None] or [18.0]
        bold = any(r.font.bold for r in para.runs)
        size = max(sizes)
        typeface = next((el.get("typeface") for r in para.runs for el in [r._r.find(f"{qn('a:rPr')}/{qn('a:latin')}")]
                         if el is not None), None)
        text = para.text   # line breaks as "\v"
        n = sum(len(textfit.wrap(line, width, size, bold, typeface)) for line in text.split("\v"))
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
    _assert_layout(deck[0])


def _assert_layout(prs) -> None:
    """Every shape inside its slide, no text overflowing its box, no two boxes overlapping."""
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
        assert sl.chart is not None and len(pictures) == 1, sl.full   # every finding with its own chart
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
        head, _ = pptx_writer.headline_parts(word * n, "", lang)
        fitted = pptx_writer.fit(head, pptx_writer.CONTENT_W, 2, pptx_writer.HEADLINE_SIZES, bold=True, lang=lang)
        assert 1 <= len(fitted.lines) <= 2
        widest = max(textfit.width_pt(x, fitted.size, True, pptx_writer.latin_typeface(lang)) for x in fitted.lines)
        assert widest <= pptx_writer.CONTENT_W
        if n == 200:
            assert fitted.lines[-1].endswith("…") and fitted.size == pptx_writer.HEADLINE_SIZES[-1]


def test_slide_text_measure_never_undercuts_libreoffice():
    """Widths LibreOffice draws (tests/reference/slide_text_widths.json, recorded by
    scripts/measure_slide_text.py): CJK with digits, brackets and Latin set in
    Microsoft YaHei (drawn in DejaVu Sans, with autospace), English in Calibri.  A
    line the writer breaks to fit SAFETY of its box must fit the box as rendered —
    and the measure must not be so wide that it shrinks text for nothing."""
    import json
    from pathlib import Path

    ref = json.loads((Path(__file__).parent / "reference" / "slide_text_widths.json").read_text(encoding="utf-8"))
    assert ref["script"] == "scripts/measure_slide_text.py" and len(ref["cases"]) >= 20
    for case in ref["cases"]:
        typeface = pptx_writer.latin_typeface(case["lang"])
        estimate = textfit.width_pt(case["text"], case["size"], case["bold"], typeface)
        assert estimate >= pptx_writer.SAFETY * case["rendered"], case   # text measured to fit SAFETY of a box fits it
        assert estimate <= 1.3 * case["rendered"], case


def test_closing_punctuation_never_starts_a_line():
    text = "角色压力（总体）在性别上存在显著差异。女高于男。PS 的聚合效度较弱（AVE 低于 .50 或 CR 低于 .70）。"
    for width in range(60, 700, 7):
        lines = textfit.wrap(text, width, 26, True, "Microsoft YaHei")
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line[0] in "）。，、；：" or line[-1] == "（" for line in lines if line), (width, lines)


def measurement_session(lang: str):
    """(recipe, dataset, results) of the role-pressure survey's measurement chapter: reliability, CFA, a SEM."""
    import copy

    from core import recipe as recipes
    from core.data import samples
    from core.data.prepare import build_dataset

    raw, recipe, _ = samples.load("role_pressure")
    recipe = copy.deepcopy(recipe)
    recipe["analyses"] = [{"id": "reliability", "type": "reliability", "scales": [s["name"] for s in recipe["scales"]]},
                          {"id": "cfa", "type": "cfa"},
                          {"id": "sem", "type": "sem", "model": "PS ~ RP\nWW ~ PS + RP"}]
    recipe = recipes.validate(recipe)
    ds = build_dataset(raw, recipe, lang)
    return recipe, ds, recipes.run_all(recipe, ds)


@pytest.fixture(scope="module", params=["zh", "en"])
def model_deck(request):
    """A deck of the role-pressure survey's measurement chapter: reliability, CFA and a SEM."""
    lang = request.param
    recipe, ds, results = measurement_session(lang)
    findings = reports.key_findings(recipe, ds, results, lang)
    data = reports.export("pptx", recipe, ds, results, lang, findings=findings)
    return lang, Presentation(io.BytesIO(data)), reports.slides(recipe, ds, results, lang, findings)


def test_model_fit_findings_speak_plainly_in_two_lines(model_deck):
    """The CFA/SEM fit findings: a plain verdict as the headline, the indices
    (RMSEA with its interval …) in the subline; every headline of the deck at most
    two lines at its size, not cut, and laid out without overlaps."""
    lang, prs, deck_slides = model_deck
    _assert_layout(prs)
    fits = [sl for sl in deck_slides if sl.chart_name == "fit" and sl.analysis in ("cfa", "sem")]
    assert {sl.analysis for sl in fits} == {"cfa", "sem"}
    for sl in fits:
        assert "RMSEA" in sl.statistic and "[" in sl.statistic and not re.search(r"\d", sl.headline), sl.full
    for slide, sl in zip(list(prs.slides)[2:], deck_slides):
        headline = [s for s in slide.shapes if s.has_text_frame][1]
        lines = headline.text_frame.text.split("\v")
        assert 1 <= len(lines) <= 2 and not lines[-1].endswith("…"), lines
        assert headline.height <= _needed_height(headline) + 1   # the box holds its lines as rendered, no more
        assert not re.search(r"[=<>]\s*[-−]?\d*\.\d", headline.text_frame.text), sl.full   # no statistic


# ---------------------------------------------------------------------------
# Word: the default export (nothing pinned) as a thesis chapter
# ---------------------------------------------------------------------------
WORD_CASES = [("civil_servants", "en"), ("civil_servants", "zh"), ("role_pressure", "en"), ("role_pressure", "zh")]


@pytest.fixture(scope="module", params=WORD_CASES, ids=lambda c: f"{c[0]}-{c[1]}")
def word(request, tmp_path_factory):
    key, lang = request.param
    recipe, ds, results = session(key, lang)
    data = reports.export("docx", recipe, ds, results, lang)
    path = tmp_path_factory.mktemp("docx") / f"{key}_{lang}.docx"
    path.write_bytes(data)
    return recipe, lang, path


def pdf_pages(path) -> int:
    """Pages of a .docx as LibreOffice lays it out (rendered to PDF)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice renders the page count: apt-get install -y libreoffice-writer"
    out = path.parent
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/lo-profile", "--convert-to", "pdf",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=300)
    pdf = (out / path.name).with_suffix(".pdf").read_bytes()
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_default_word_export_is_a_short_thesis_chapter(word):
    from docx import Document as open_docx

    from core.i18n import t

    recipe, lang, path = word
    doc = open_docx(str(path))
    assert doc.paragraphs[0].text == t("report.default_title", lang)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    order = [t(f"report.chapter.{c}", lang) for c in ("sample", "measurement", "descriptives", "differences",
                                                      "regression", "mediation", "moderation",
                                                      "moderated_mediation")]
    chapter = [h for h in headings if h in order]
    assert chapter == sorted(chapter, key=order.index) and len(chapter) >= 6
    # no detail table of hundreds of rows
    assert max(len(tb.rows) for tb in doc.tables) <= 100
    captions = [p.text for p in doc.paragraphs if re.match(t("report.table_label", lang, n=r"\d+") + "$", p.text)
                or re.match(t("report.table_label", lang, n=r"\d+") + r"\s", p.text)]
    numbers = [int(re.search(r"\d+", c).group()) for c in captions]
    assert numbers == list(range(1, len(doc.tables) + 1))
    text = "\n".join(p.text for p in doc.paragraphs)
    for entry in recipe["analyses"]:
        assert f"({entry['id']})" not in text
    label = t("report.note_label", lang)
    notes = [p.text for p in doc.paragraphs if p.text.startswith(label)]
    assert notes and all(n.count(label) == 1 for n in notes)
    used = t("report.note.n_used", lang, n=0).split("0")[0]
    assert sum(n.count(used) for n in notes) <= len(recipe["analyses"])   # the method note once per analysis


def test_default_word_chapter_shows_each_process_models_path_diagram(word):
    """The chapter's mediation/moderation sections carry the statistical diagram of each PROCESS model
    (the figure a thesis shows), as a picture with its caption."""
    from docx import Document as open_docx

    from core.i18n import t

    recipe, lang, path = word
    doc = open_docx(str(path))
    title = t("process.chart.statistical_title", lang)
    captions = [p.text for p in doc.paragraphs if title in p.text]   # only a caption names the figure
    assert len(captions) == sum(a["type"] == "process" for a in recipe["analyses"]) >= 1, captions
    assert len(doc.inline_shapes) >= len(captions)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_figures_leave_their_title_to_the_caption(lang):
    """A figure in Word/HTML has its title once, in the caption: the drawing does not repeat it (a star
    legend given as the chart's subtitle stays in the drawing)."""
    from core.report.content import ChartBlock

    recipe, ds, results = session("role_pressure", lang)
    doc = reports.build(recipe, ds, results, lang)
    charts = [b for b in doc.blocks if isinstance(b, ChartBlock)]
    assert {"forest", "diagram"} <= {b.name for b in charts}
    for b in charts:
        own = b.chart.to_dict()["title"] if hasattr(b.chart, "to_dict") else b.chart["title"]
        own = own["text"] if isinstance(own, dict) else own
        drawn = re.findall(r"<text[^>]*>([^<]*)</text>", b.svg())
        assert drawn and own not in drawn and own in b.title, (b.name, own)


@pytest.mark.render
def test_default_word_export_is_at_most_25_pages(word):
    """Pages as LibreOffice lays the export out (Debian's libreoffice-writer; scripts/launch.py installs it)."""
    assert pdf_pages(word[2]) <= 25


def test_every_word_table_fits_its_page_and_numbers_never_wrap(word):
    _assert_tables_fit(word[2])


def _assert_tables_fit(path):
    """Every table of the .docx at ``path`` fits between its section's margins; no number wraps."""
    from docx import Document as open_docx
    from docx.oxml.ns import qn as wqn

    doc = open_docx(str(path))
    body = doc.element.body
    pending = []
    checked = 0
    for el in body.iterchildren():
        if el.tag == wqn("w:tbl"):
            pending.append(el)
        sect = el.find(f"{wqn('w:pPr')}/{wqn('w:sectPr')}") if el.tag == wqn("w:p") else \
            el if el.tag == wqn("w:sectPr") else None
        if sect is None:
            continue
        size, margins = sect.find(wqn("w:pgSz")), sect.find(wqn("w:pgMar"))
        avail = int(size.get(wqn("w:w"))) - int(margins.get(wqn("w:left"))) - int(margins.get(wqn("w:right")))
        for tbl in pending:
            grid = [int(g.get(wqn("w:w"))) for g in tbl.find(wqn("w:tblGrid")).findall(wqn("w:gridCol"))]
            assert sum(grid) <= avail + 2
            for tr in tbl.findall(wqn("w:tr")):
                for j, tc in enumerate(tr.findall(wqn("w:tc"))):
                    if tc.find(f"{wqn('w:tcPr')}/{wqn('w:noWrap')}") is None:
                        continue
                    text = "".join(x.text or "" for x in tc.iter(wqn("w:t")))
                    half = int(tc.find(f".//{wqn('w:sz')}").get(wqn("w:val")))
                    assert textfit.width_pt(text, half / 2) * 20 <= grid[j], text
            checked += 1
        pending = []
    assert checked == len(doc.tables)


# ---------------------------------------------------------------------------
# pins are snapshots; a pin whose analysis is gone is a warning, never text in a file
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_measurement_chapter_turns_wide_fit_tables_and_shows_the_path_diagrams(lang, tmp_path):
    """The default Word export of a CFA and a SEM: the 21 fit indices of each model, too wide even for a
    landscape page, are turned into rows (index, value) and fit a portrait page; every table fits its page;
    each model's path diagram is a figure with its caption; factors and paths read as the scales' labels."""
    from docx import Document as open_docx

    from core.i18n import t

    recipe, ds, results = measurement_session(lang)
    path = tmp_path / f"measurement_{lang}.docx"
    path.write_bytes(reports.export("docx", recipe, ds, results, lang))
    _assert_tables_fit(path)
    doc = open_docx(str(path))
    turned = [tb for tb in doc.tables if [c.text for c in tb.rows[0].cells] == ["", t("report.turned.value", lang)]]
    assert len(turned) == 2, [[c.text for c in tb.rows[0].cells] for tb in doc.tables]
    for tb in turned:
        first = [r.cells[0].text for r in tb.rows]
        assert {"CFI", "TLI", "SRMR"} <= {x.split("（")[0].split(" (")[0] for x in first}, first
        assert len(tb.rows) > 15
    for title in (t("measure.chart.cfa_diagram", lang), t("measure.chart.sem_diagram", lang)):
        assert any(title in p.text for p in doc.paragraphs), title   # the figure's caption
    assert len(doc.inline_shapes) >= 2
    # factors and paths by their labels, in the tables and the sentences
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{ds.label('RP')} → {ds.label('PS')}" in text and "RP → PS" not in text
    first = {row.cells[0].text for tb in doc.tables for row in tb.rows[1:]}   # the label column of every table
    assert {ds.label(s["name"]) for s in recipe["scales"]} <= first
    assert not {s["name"] for s in recipe["scales"]} & first - {""}, first


def test_pinned_process_models_coexist_as_snapshots():
    from docx import Document as open_docx

    from core import recipe as recipes
    from core.data import samples
    from core.data.prepare import build_dataset
    from core.report import model

    raw, recipe, _ = samples.load("role_pressure")
    live = {"id": "process", "type": "process", "model": 4, "x": "RP", "m": ["PS"], "y": "WW", "n_boot": 200,
            "seed": 1}
    recipe["analyses"] = [live]
    rep = model.Report(recipe)
    rep.add({"kind": "table", "analysis": model.snapshot(recipe, "process"), "table": "effects"})
    assert model.snapshot(recipe, "process") == "process_1"          # unchanged: the same snapshot
    live.update(model=1, m=[], w="EMC")                               # the page switches to model 1 …
    assert model.find_snapshot(recipe, "process") is None
    rep.add({"kind": "table", "analysis": model.snapshot(recipe, "process"), "table": "conditional_effects"})
    live.update(model=14, m=["PS"])                                   # … then to model 14
    rep.add({"kind": "table", "analysis": model.snapshot(recipe, "process"), "table": "index_moderated_mediation"})
    assert [a.get("model") for a in recipe["analyses"]] == [14, 4, 1, 14]
    assert [i["analysis"] for i in rep.items] == ["process_1", "process_2", "process_3"]
    recipe = recipes.validate(recipe)                                 # snapshots are valid recipe entries
    ds = build_dataset(raw, recipe, "en")
    results = recipes.run_all(recipe, ds)
    doc = reports.build(recipe, ds, results, "en")
    assert not doc.missing and [b.name for b in doc.tables] == ["effects", "conditional_effects",
                                                                  "index_moderated_mediation"]
    # key findings tell the live model 14 and its identical snapshot once
    found = reports.key_findings(recipe, ds, results, "en")
    assert not any(kf.analysis == "process_3" for kf in found)
    assert {kf.analysis for kf in found} >= {"process", "process_1", "process_2"}
    # unpinning the last item drops its snapshot
    rep = model.Report(recipe)
    rep.discard({"kind": "table", "analysis": "process_3", "table": "index_moderated_mediation"})
    model.prune_snapshots(recipe)
    assert [a["id"] for a in recipe["analyses"]] == ["process", "process_1", "process_2"]
    text = "\n".join(p.text for p in open_docx(io.BytesIO(reports.export("docx", recipe, ds, results, "en")))
                     .paragraphs)
    assert "no longer" not in text


def test_cli_exports_the_rest_and_warns_about_items_whose_analysis_is_gone(tmp_path, capsys):
    import json

    from docx import Document as open_docx

    from core.__main__ import main as cli_main
    from core.data import samples
    from core.i18n import t
    from tests.conftest import ROOT

    recipe = {"version": 1, "data": {"path": str(ROOT / "sample_data" / "civil_servants.csv")},
              "scales": samples.load("civil_servants")[1]["scales"],
              "analyses": [{"id": "d1", "type": "describe", "variables": ["WP"]}],
              "report": [{"kind": "table", "analysis": "d1", "table": "describe"},
                         {"kind": "table", "analysis": "gone", "table": "coefficients"},
                         {"kind": "text", "analysis": "gone", "paragraph": 0}]}
    rp = tmp_path / "recipe.json"
    rp.write_text(json.dumps(recipe), encoding="utf-8")
    out = {k: tmp_path / f"r.{k}" for k in ("docx", "html", "xlsx")}
    code = cli_main(["run", str(rp), "--out", str(tmp_path / "res.json"), "--lang", "zh",
                     *[x for k, p in out.items() for x in (f"--{k}", str(p))]])
    assert code == 0
    err = capsys.readouterr().err
    assert err.count(t("report.warning", "zh") + ":") == 2 and "gone" in err
    doc = open_docx(str(out["docx"]))
    assert len(doc.tables) == 1
    gone = t("report.missing.gone", "zh", what="")[:6]
    assert gone not in "\n".join(p.text for p in doc.paragraphs)
    assert gone not in out["html"].read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# key findings lead with what matters
# ---------------------------------------------------------------------------
def test_key_findings_start_with_the_main_outcome_level_and_skip_default_crosstabs():
    from core import recipe as recipes

    recipe, ds, results = session("civil_servants", "en")
    cross = {"id": "crosstab", "type": "crosstab", "rows": ["gender"], "cols": ["age"]}   # the page's default
    recipe["analyses"].append(cross)
    results.update(recipes.run_all({**recipe, "analyses": [cross]}, ds))
    found = reports.key_findings(recipe, ds, results, "en")
    assert found[0].chart == "level_WP" and found[0].plain.startswith("Work pressure (overall) is at a")
    assert "crosstab" not in {kf.analysis for kf in found}
    kinds = [kf.finding.kind for kf in found if kf.source != "summary"]
    assert kinds.index("difference") < kinds.index("predictor") < kinds.index("mediation")
    diffs = [kf.finding for kf in found if kf.finding.kind == "difference" and kf.finding.significant]
    assert [f.strength for f in diffs] == sorted((f.strength for f in diffs), reverse=True)   # largest first
    assert all(f.chart.startswith("means_") for f in diffs)     # each with its own chart, not the heat map
    recipe["report"] = [{"kind": "table", "analysis": "crosstab", "table": "chi2"}]   # pinned: it counts
    assert "crosstab" in {kf.analysis for kf in reports.key_findings(recipe, ds, results, "en")}


PAGES = ("data", "variables", "describe", "measurement", "differences", "regression", "process", "report")


def _visit(name: str, lang: str, work: dict, edit=None):
    """One page of a session (the work — data and recipe — carried from page to page)."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / f"{name}.py"), default_timeout=300)
    at.session_state["lang"] = lang
    for k, v in work.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, (name, at.exception)
    if edit is not None:
        edit(at)
        assert not at.exception, (name, at.exception)
    return at, {k: at.session_state[k] for k in ("raw", "recipe")}


def test_key_findings_after_visiting_every_page_hold_only_what_the_user_chose():
    """Visiting a page computes its defaults (a starting SEM, a two-way pair, Baron–Kenny beside PROCESS): they
    are no key finding and no part of the default Word chapter until the user edits or pins them."""
    from core import recipe as recipes
    from core.data.prepare import build_dataset
    from core.report import model

    from core.i18n import t

    lang, work = "en", {}
    for name in PAGES:
        at, work = _visit(name, lang, work)
    recipe = work["recipe"]
    # the report page says what it left out, and how to include it
    note = next(c.value for c in at.caption if t("sem.title", lang) in c.value)
    assert note.startswith(t("report.left_out", lang, names="").split(":")[0])
    entries = {a["id"]: a for a in recipe["analyses"]}
    assert {"sem", "differences_twoway", "mediation_steps", "differences_crosstab"} <= set(entries)
    assert entries["sem"]["model"].strip() and model.untouched(entries["sem"])
    ds = build_dataset(work["raw"], recipe, lang)
    results = recipes.run_all(recipe, ds, on_error="collect")
    found = reports.key_findings(recipe, ds, results, lang)
    told = {kf.analysis for kf in found}
    assert found[0].chart == "level_WP"                                  # the study's headline first
    assert {"differences", "regression"} <= told         # the study's design: its outcome on its stressors
    # the sample's roles name no X, M and Y: the PROCESS page's start (the first scales in order) is nobody's
    assert not told & {"sem", "differences_twoway", "mediation_steps", "differences_crosstab", "process",
                       "item_analysis"}, told
    assert {"reliability", "cfa"} <= told               # the scales the study defined: reliability and validity
    chapter = {i.get("analysis") for i in reports.default_items(recipe, ds, results, lang)}
    assert "differences" in chapter and not chapter & {"sem", "differences_twoway", "mediation_steps",
                                                       "item_analysis"}

    # the user edits the structural model: now it is theirs, and its paths are findings
    def edit(at):   # the box showing the structural model (CFA's box has the same label)
        box = next(a for a in at.text_area if a.value.strip() == entries["sem"]["model"].strip())
        box.set_value("WP ~ RC + CD\n").run()

    _, work = _visit("measurement", lang, work, edit)
    recipe = work["recipe"]
    sem = next(a for a in recipe["analyses"] if a["id"] == "sem")
    assert sem["model"].strip() == "WP ~ RC + CD" and not model.untouched(sem)
    results = recipes.run_all(recipe, ds, on_error="collect")
    found = reports.key_findings(recipe, ds, results, lang)
    assert "sem" in {kf.analysis for kf in found}
    assert "sem" in {i.get("analysis") for i in reports.default_items(recipe, ds, results, lang)}


def test_a_pinned_default_is_a_finding():
    """Pinning a default (the page's two-way pair) makes it the user's: its snapshot is told."""
    from core import recipe as recipes
    from core.report import model

    recipe, ds, results = session("civil_servants", "en")
    two = {"id": "two", "type": "difference", "groups": ["gender"], "outcomes": ["OC"], "by": "age",
           "default": {"groups": ["gender"], "outcomes": ["OC"], "by": "age"}}
    recipe["analyses"].append(two)
    results.update(recipes.run_all({**recipe, "analyses": [two]}, ds))
    assert "two" not in {kf.analysis for kf in reports.key_findings(recipe, ds, results, "en")}
    sid = model.snapshot(recipe, "two")
    recipe["report"] = [{"kind": "table", "analysis": sid, "table": "factorial"}]
    results[sid] = results["two"]
    assert sid in {kf.analysis for kf in reports.key_findings(recipe, ds, results, "en")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_finding_kind_has_its_own_chart_with_the_results_numbers(lang):
    """Mediation (the indirect effects with their bootstrap CIs), reliability (α and ω per scale against .70/.80),
    scale means, CFA validity and fit, SEM paths, Harman: each finding's slide has a chart, drawn from its result."""
    from core import recipe as recipes

    recipe, ds, results = session("role_pressure", lang)
    extra = [{"id": "cfa", "type": "cfa", "compare_one_factor": True},
             {"id": "sem", "type": "sem", "model": "WW ~ RP + PS\nPS ~ RP"}, {"id": "efa", "type": "efa"},
             {"id": "steps", "type": "mediation_steps", "x": "RP", "m": "PS", "y": "WW"}]
    recipe["analyses"] += extra
    results.update(recipes.run_all({**recipe, "analyses": extra}, ds))
    deck_slides = reports.slides(recipe, ds, results, lang)
    assert {s.analysis for s in deck_slides} >= {"describe", "reliability", "process", "process_m14", "cfa", "sem",
                                                   "efa", "steps"}
    assert all(s.chart is not None for s in deck_slides), [s.full for s in deck_slides if s.chart is None]

    def values(chart, field):
        return {round(float(row[field]), 9) for data in chart["datasets"].values() for row in data
                if isinstance(row, dict) and isinstance(row.get(field), (int, float))}

    by = {(s.analysis, s.chart_name): s.chart for s in deck_slides}
    alpha = results["reliability"].tables["alpha"]
    assert values(by["reliability", "alpha"], "value") == \
        {round(float(v), 9) for v in list(alpha["alpha"]) + list(alpha["omega"])}
    for aid in ("process", "process_m14"):   # every effect with its CI: the indirect ones' bootstrap interval
        eff, imm = results[aid].tables["effects"], results[aid].tables["index_moderated_mediation"]
        assert values(by[aid, "effects"], "lo") == {round(float(v), 9) for v in pd.concat([eff["ci_low"],
                                                                                           imm["ci_low"]])}
        assert values(by[aid, "effects"], "effect") == {round(float(v), 9) for v in pd.concat([eff["effect"],
                                                                                               imm["index"]])}
    assert len(results["process_m14"].tables["index_moderated_mediation"]) == 1   # model 14's index is drawn
    assert values(by["sem", "paths"], "value") == {round(float(v), 9) for v in
                                                   results["sem"].tables["paths"]["std_estimate"]}
    assert values(by["cfa", "validity"], "value") == {round(float(v), 9) for v in pd.concat(
        [results["cfa"].tables["validity"]["ave"], results["cfa"].tables["validity"]["cr"]])}
    means = values(by["describe", "means"], "mean")
    assert means == {round(float(v), 9) for v in results["describe"].tables["describe"]["mean"]}
