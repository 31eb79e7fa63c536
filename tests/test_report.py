"""Reports: Word/Excel/HTML/PowerPoint/script exports, chart images, key
findings, small-cell suppression and formula-injection safety.

The exported files are opened with python-docx / openpyxl / python-pptx and
compared with the results they were made from (numbers formatted by the
column kinds, numbers stored as numbers).  A fake analysis with p values,
group sizes, charts and interpretation (registered for the test only) makes
the generic paths testable whatever analyses exist.
"""
from __future__ import annotations

import base64
import csv
import io
import json
import math
import re
import runpy

import altair as alt
import numpy as np
import pandas as pd
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from core import recipe as recipes
from core import registry
from core import report as reports
from core.__main__ import main as cli_main
from core.data import io as dio
from core.data import samples
from core.data.prepare import build_dataset
from core.format import fmt_num
from core.i18n import t
from core.report import content, images, model, safety, xlsx_writer
from core.report.findings import first_sentence
from core.types import AnalysisSpec, Column, Finding, Note, Result, TableSpec

from tests.conftest import ROOT

# ---------------------------------------------------------------------------
# a fake analysis with every column kind, p values, group sizes, a chart with
# a Chinese title and interpretation text (no ``findings``: tests the fallback)
# ---------------------------------------------------------------------------
FAKE_TABLES = (
    TableSpec("groups", (Column("group", "text", "Group."), Column("n", "int", "Size."),
                         Column("mean", "num", "Mean."), Column("sd", "num", "SD.")), "Groups."),
    TableSpec("tests", (Column("test", "text", "Test."), Column("statistic", "num", "Statistic."),
                        Column("df", "int", "df."), Column("p", "p", "p value."), Column("pct", "pct", "Percent.")),
              "Tests."),
)


def _fake_run(ds, opts):
    groups = pd.DataFrame({"group": ["=HYPERLINK(\"x\")", "+A", "-B", "@C", "\tD", "\rE", "plain", "tiny"],
                           "n": [10, 11, 12, 13, 14, 15, 16, 3],
                           "mean": [-1.5, 2.25, -0.125, 3.0, 4.0, 5.0, 6.0, 7.0],
                           "sd": [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7]})
    tests = pd.DataFrame({"test": ["welch", "student", "nonsig"], "statistic": [-3.14159265, 2.5, 0.1],
                          "df": [10, 20, 30], "p": [0.0031234, 0.00001, 0.5], "pct": [12.345, 50.0, 99.99]})
    return Result("fakediff", 98, {"groups": groups, "tests": tests},
                  [Note("describe.note.convention")], {"seed": 1})


def _fake_charts(res, ds, lang, options=None):
    df = res.tables["groups"].dropna(subset=["mean"])
    chart = alt.Chart(df).mark_bar().encode(x="group:N", y="mean:Q").properties(title="职业发展压力", width=300,
                                                                                  height=200)
    return [("means", chart)]


def _fake_interpret(res, ds, lang):
    return ["Group means differ (t = 3.14, p = .003). The effect is moderate.", "Second paragraph here."]


FAKE = AnalysisSpec("fakediff", "differences", (), FAKE_TABLES, _fake_run, _fake_charts, _fake_interpret,
                    doc="Fake analysis for report tests.")


@pytest.fixture
def fake(monkeypatch):
    real = registry.get

    def get(type_):
        return FAKE if type_ == "fakediff" else real(type_)
    monkeypatch.setattr(registry, "get", get)
    return FAKE


# ---------------------------------------------------------------------------
# sessions
# ---------------------------------------------------------------------------
def _session(lang: str = "en", extra: list[dict] | None = None, report: list[dict] | None = None):
    raw, recipe, _ = samples.load("civil_servants")
    recipe["analyses"] = [{"id": "desc", "type": "describe", "variables": ["OC", "CD", "WP"],
                           "frequencies": ["gender", "age"]}] + (extra or [])
    recipe["report"] = report or []
    recipe = recipes.validate(recipe)
    ds = build_dataset(raw, recipe, lang)
    return recipe, ds, recipes.run_all(recipe, ds)


@pytest.fixture(scope="module")
def describe_session():
    return _session("en")


def _cell_borders(cell) -> dict:
    tc_pr = cell._tc.tcPr
    box = tc_pr.find(qn("w:tcBorders")) if tc_pr is not None else None
    out = {}
    if box is not None:
        for side in ("top", "bottom", "left", "right"):
            e = box.find(qn(f"w:{side}"))
            if e is not None:
                out[side] = e.get(qn("w:val"))
    return out


def _para_after(doc, table):
    body = list(doc.element.body)
    i = body.index(table._tbl)
    for el in body[i + 1:]:
        if el.tag == qn("w:p"):
            return "".join(x.text or "" for x in el.iter(qn("w:t")))
    return ""


# ---------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_docx_tables_headers_numbers_rules_and_notes(lang):
    recipe, ds, results = _session(lang, report=[{"kind": "table", "analysis": "desc", "table": "describe"},
                                                  {"kind": "table", "analysis": "desc", "table": "frequencies"}])
    data = reports.export("docx", recipe, ds, results, lang)
    doc = open_docx(io.BytesIO(data))
    assert len(doc.tables) == 2
    res = results["desc"]
    spec = registry.get("describe")
    for table, name in zip(doc.tables, ("describe", "frequencies")):
        df = res.tables[name]
        tspec = spec.table(name)
        header = [c.text for c in table.rows[0].cells]
        assert header == [content.column_title(c, lang, "describe") for c in tspec.column_names]
        assert len(table.rows) == len(df) + 1
        for i, row in enumerate(df.itertuples(index=False)):
            cells = [c.text for c in table.rows[i + 1].cells]
            for col, cell in zip(tspec.columns, cells):
                v = getattr(row, col.name)
                if col.kind == "num":
                    assert cell == fmt_num(v, 3), (name, col.name)
                elif col.kind == "pct":
                    assert cell == fmt_num(v, 1)
                elif col.kind == "int":
                    assert cell == str(int(v))
                elif col.kind == "var":      # a variable name reads as its label
                    assert cell == ds.label(v)
                elif col.kind == "level":    # a level code as its value label, in the report's language
                    assert cell == ds.level_label(getattr(row, col.of), v) != str(v)
                else:
                    assert cell == str(v)
        # three-line table: no table-level lines; top + header rules; bottom rule; nothing else
        tbl_borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert all(e.get(qn("w:val")) == "nil" for e in tbl_borders)
        for c in table.rows[0].cells:
            b = _cell_borders(c)
            assert b["top"] == "single" and b["bottom"] == "single" and b["left"] == "nil" and b["right"] == "nil"
        for c in table.rows[-1].cells:
            assert _cell_borders(c)["bottom"] == "single"
        for r in table.rows[1:-1]:
            for c in r.cells:
                assert "single" not in _cell_borders(c).values()
        # numbers right-aligned
        num_col = tspec.column_names.index("n")
        assert table.rows[1].cells[num_col].paragraphs[0].alignment == 2  # RIGHT
        note = _para_after(doc, table)
        if name == "describe":   # the method note under the analysis' first table …
            assert note.startswith(t("report.note_label", lang))
            assert t("report.note.n_used", lang, n=res.n_used) in note
            assert t("describe.note.convention", lang) in note
        else:                    # … and not again under its next one
            assert t("report.note.n_used", lang, n=res.n_used) not in note
    styles = doc.styles.element
    east = {e.get(qn("w:eastAsia")) for e in styles.iter(qn("w:rFonts"))}
    assert ("宋体" if lang == "zh" else "SimSun") in east


def test_docx_p_values_stars_note_and_figure(fake):
    recipe, ds, results = _session("en", extra=[{"id": "f1", "type": "fakediff"}],
                                   report=[{"kind": "section", "title": "Differences"},
                                           {"kind": "table", "analysis": "f1", "table": "tests"},
                                           {"kind": "chart", "analysis": "f1", "chart": "means"},
                                           {"kind": "text", "analysis": "f1", "paragraph": 1}])
    recipe["ui"]["report"] = {"stars": "apa"}
    doc = open_docx(io.BytesIO(reports.export("docx", recipe, ds, results, "en")))
    (table,) = doc.tables
    p_col = [c.text for c in table.rows[0].cells].index("p")
    assert [r.cells[p_col].text for r in table.rows[1:]] == [".003**", "< .001***", ".500"]
    stat_col = 1
    assert table.rows[1].cells[stat_col].text == "-3.142"
    note = _para_after(doc, table)
    assert t("format.stars.apa", "en") in note
    assert len(doc.inline_shapes) == 1            # the figure
    texts = [p.text for p in doc.paragraphs]
    assert "Differences" in texts and "Second paragraph here." in texts
    assert "Figure 1" in texts and "Table 1" in texts
    # SPSS scheme: two levels
    recipe["ui"]["report"] = {"stars": "spss"}
    doc = open_docx(io.BytesIO(reports.export("docx", recipe, ds, results, "en",
                                              items=[{"kind": "table", "analysis": "f1", "table": "tests"}])))
    assert [r.cells[p_col].text for r in doc.tables[0].rows[1:]] == [".003**", "< .001**", ".500"]


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------
def test_xlsx_numbers_are_numbers_and_contents_links(describe_session):
    recipe, ds, results = describe_session
    recipe = {**recipe, "analyses": [{**recipe["analyses"][0], "title": "A very long [title]: with * bad ? chars / \\ "
                                                                        "that Excel refuses"}]}
    wb = load_workbook(io.BytesIO(reports.export("xlsx", recipe, ds, results, "en")))
    toc = wb.worksheets[0]
    assert toc.title == "Contents"
    sheets = wb.sheetnames[1:]
    assert len(sheets) == 2
    for name in wb.sheetnames:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert len({n.lower() for n in wb.sheetnames}) == len(wb.sheetnames)
    links = [c.hyperlink.location if c.hyperlink.location else c.hyperlink.target
             for row in toc.iter_rows() for c in row if c.hyperlink is not None]
    assert [l.strip("#").split("!")[0].strip("'") for l in links] == sheets
    res = results["desc"]
    ws = wb[sheets[0]]
    spec = registry.get("describe").table("describe")
    header = [c.value for c in ws[3]][:len(spec.columns)]
    assert header == [content.column_title(c, "en", "describe") for c in spec.column_names]
    df = res.tables["describe"]
    for i, row in enumerate(df.itertuples(index=False)):
        values = [c.value for c in ws[4 + i]]
        for j, col in enumerate(spec.column_names):
            v = getattr(row, col)
            if isinstance(v, str):   # text: a variable name reads as its label
                assert values[j] == (ds.label(v) if spec.columns[j].kind == "var" else v)
            else:
                assert isinstance(values[j], (int, float)) and not isinstance(values[j], bool)
                assert values[j] == pytest.approx(float(v), abs=0, rel=1e-15)
    assert ws.cell(4, spec.column_names.index("mean") + 1).number_format == "0.000"
    notes = [ws.cell(r, 1).value for r in range(4 + len(df), ws.max_row + 1) if ws.cell(r, 1).value]
    assert any(t("describe.note.convention", "en") in n for n in notes)


def test_xlsx_p_column_number_format_and_stars(fake):
    recipe, ds, results = _session("en", extra=[{"id": "f1", "type": "fakediff"}],
                                   report=[{"kind": "table", "analysis": "f1", "table": "tests"}])
    wb = load_workbook(io.BytesIO(reports.export("xlsx", recipe, ds, results, "en")))
    ws = wb.worksheets[1]
    header = [c.value for c in ws[3] if c.value is not None]
    assert header == ["test", "statistic", "df", "p", "Sig.", "pct"]
    assert [ws.cell(r, 4).value for r in (4, 5, 6)] == [0.0031234, 0.00001, 0.5]
    assert ws.cell(4, 4).number_format == '[<0.001]"< .001";.000'
    assert [ws.cell(r, 5).value for r in (4, 5, 6)] == ["**", "***", None]
    assert ws.cell(4, 2).value == -3.14159265


def test_safe_sheet_names():
    taken: set[str] = set()
    names = [xlsx_writer.safe_sheet_name(x, taken) for x in
             ["a/b\\c[d]e:f*g?h", "x" * 40, "x" * 40, "History", "'quoted'", "", "Contents", "contents"]]
    for n in names:
        assert 0 < len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) and not n.startswith("'")
    assert len({n.lower() for n in names}) == len(names)
    assert names[0] == "a b c d e f g h"
    assert names[3] != "History"


# ---------------------------------------------------------------------------
# formula injection
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_text_starting_with_a_formula_trigger_is_neutralised(text):
    assert safety.neutralise(text) == "'" + text
    assert safety.cell_value(text) == "'" + text


def test_numbers_stay_numbers():
    assert safety.neutralise(-1.5) == -1.5
    assert safety.cell_value(-1.5) == -1.5 and isinstance(safety.cell_value(np.float64(-2.0)), float)
    assert safety.cell_value(np.int64(-3)) == -3 and isinstance(safety.cell_value(np.int64(-3)), int)
    assert safety.cell_value(float("nan")) is None
    assert safety.neutralise("plain") == "plain" and safety.neutralise("a=b") == "a=b"


def test_injection_in_xlsx_and_csv(fake):
    recipe, ds, results = _session("en", extra=[{"id": "f1", "type": "fakediff"}],
                                   report=[{"kind": "table", "analysis": "f1", "table": "groups"},
                                           {"kind": "section", "title": "=cmd|' /C calc'!A0"}])
    wb = load_workbook(io.BytesIO(reports.export("xlsx", recipe, ds, results, "en")))
    ws = wb.worksheets[1]
    groups = [ws.cell(r, 1).value for r in range(4, 12)]
    assert groups[:6] == ["'=HYPERLINK(\"x\")", "'+A", "'-B", "'@C", "'\tD", "'\rE"]
    assert groups[6] == "plain"
    means = [ws.cell(r, 3).value for r in range(4, 12)]
    assert means[0] == -1.5 and means[2] == -0.125          # negative numbers are numbers
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", c.value              # no formula anywhere
    toc_values = [c.value for row in wb.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=cmd|' /C calc'!A0" in toc_values
    # per-table CSV
    block = reports.table_block(recipe, ds, results, "f1", "groups", "en")
    text = safety.frame_csv(block.frame, [c.title for c in block.columns]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:7]] == ["'=HYPERLINK(\"x\")", "'+A", "'-B", "'@C", "'\tD", "'\rE"]
    assert rows[1][2] == "-1.5" and rows[3][2] == "-0.125"   # numbers, not neutralised text
    one = load_workbook(io.BytesIO(xlsx_writer.table_workbook(block, "en"))).active
    assert one.cell(4, 1).value == "'=HYPERLINK(\"x\")" and one.cell(4, 3).value == -1.5


def test_control_characters_from_data_files_do_not_break_exports(describe_session):
    recipe, ds, results = describe_session
    recipe = {**recipe, "ui": {"report": {"title": "Wave\x01 2"}},
              "report": [{"kind": "section", "title": "bad\x00\x0b title"}, {"kind": "text", "text": "x\x1fy"},
                         {"kind": "table", "analysis": "desc", "table": "describe"}]}
    doc = open_docx(io.BytesIO(reports.export("docx", recipe, ds, results, "en")))
    assert "bad title" in [p.text for p in doc.paragraphs] and "xy" in [p.text for p in doc.paragraphs]
    wb = load_workbook(io.BytesIO(reports.export("xlsx", recipe, ds, results, "en")))
    assert wb.worksheets[0].cell(1, 1).value == "Wave 2"
    prs = Presentation(io.BytesIO(reports.export("pptx", recipe, ds, results, "en")))
    assert list(prs.slides)[0].shapes.title.text == "Wave 2"


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------
def test_html_escapes_user_text():
    evil = "<img src=x onerror=alert(1)>"
    csv_bytes = (f"{evil},grp\n" + "\n".join(f"{i % 5 + 1},{'<b>a</b>' if i % 2 else 'b&c'}"
                                              for i in range(30))).encode()
    raw = dio.read_bytes(csv_bytes, "evil.csv")
    recipe = recipes.validate({"version": 1, "analyses": [
        {"id": "d", "type": "describe", "variables": [evil], "frequencies": ["grp"]}],
        "report": [{"kind": "section", "title": "<script>alert('s')</script>"},
                   {"kind": "text", "text": "1 < 2 & <i>x</i>"},
                   {"kind": "table", "analysis": "d", "table": "describe"},
                   {"kind": "table", "analysis": "d", "table": "frequencies"},
                   {"kind": "chart", "analysis": "d", "chart": "freq_grp"}]})
    ds = build_dataset(raw, recipe, "en")
    results = recipes.run_all(recipe, ds)
    page = reports.export("html", recipe, ds, results, "en").decode("utf-8")
    assert evil not in page and "<script>" not in page and "<b>a</b>" not in page and "<i>x</i>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;alert(&#x27;s&#x27;)&lt;/script&gt;" in page
    assert "1 &lt; 2 &amp; &lt;i&gt;x&lt;/i&gt;" in page
    # the only tags with attributes that load anything are our data-URI images
    srcs = re.findall(r"<img [^>]*src=\"([^\"]*)\"", page)
    assert srcs and all(s.startswith("data:image/svg+xml;base64,") for s in srcs)
    svg = base64.b64decode(srcs[0].split(",", 1)[1]).decode("utf-8")
    assert "<b>a</b>" not in svg and "&lt;b&gt;a&lt;/b&gt;" in svg
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert 'http' not in re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg)  # no external resources


# ---------------------------------------------------------------------------
# chart images
# ---------------------------------------------------------------------------
def _title_chart(title: str) -> alt.Chart:
    df = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
    return alt.Chart(df).mark_bar().encode(x="x:N", y="y:Q").properties(
        title=alt.TitleParams(title, fontSize=28, font="Noto Sans CJK SC"), width=360, height=160)


def _title_strip(png: bytes) -> np.ndarray:
    im = Image.open(io.BytesIO(png)).convert("L")
    a = np.asarray(im, dtype=float)
    return a[: int(a.shape[0] * 0.25), :]     # the title sits at the top


def test_png_export_is_a_valid_high_resolution_image_with_chinese_glyphs():
    png = images.to_png(_title_chart("职业发展压力来源"), scale=2)
    im = Image.open(io.BytesIO(png))
    im.verify()
    w, h = images.png_size(png)
    svg = images.to_svg(_title_chart("职业发展压力来源"))
    sw, sh = (float(x) for x in re.search(r'<svg[^>]*width="([\d.]+)"[^>]*height="([\d.]+)"', svg).groups())
    assert (w, h) == (round(sw * 2), round(sh * 2))          # scale 2: twice the CSS size
    assert w >= 700
    cjk = _title_strip(png)
    other = _title_strip(images.to_png(_title_chart("家庭环境角色冲突"), scale=2))
    boxes = _title_strip(images.to_png(_title_chart("□" * 8), scale=2))
    ink = (cjk < 128).mean()
    assert ink > 0.01                                          # something is drawn
    # Tofu draws every character as the same missing-glyph box, so two different
    # Chinese strings of the same length would give identical pixels.  The check
    # is validated on characters no font has (private-use plane): identical.
    tofu_a = _title_strip(images.to_png(_title_chart("".join(chr(0xF0000 + i) for i in range(8))), scale=2))
    tofu_b = _title_strip(images.to_png(_title_chart("".join(chr(0xF0100 + i) for i in range(8))), scale=2))
    assert np.abs(tofu_a - tofu_b).mean() < 0.5                # the detector sees tofu as tofu
    assert np.abs(cjk - other).mean() > 2.0                     # real glyphs: the strings differ
    assert np.abs(cjk - boxes).mean() > 2.0                     # and do not look like "□" boxes


def test_svg_export_and_container_width():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q").properties(width="container")
    spec = images.vega_lite(chart)
    assert spec["width"] == images.DEFAULT_WIDTH
    svg = images.to_svg(chart)
    assert svg.startswith("<svg") and "</svg>" in svg
    assert images.vega_lite(chart.to_dict())["width"] == images.DEFAULT_WIDTH  # dict specs too


# ---------------------------------------------------------------------------
# the report model and recipes
# ---------------------------------------------------------------------------
def test_report_model_pin_move_remove_and_recipe_round_trip():
    recipe = recipes.empty()
    rep = model.Report(recipe)
    a = {"kind": "table", "analysis": "d1", "table": "describe"}
    b = {"kind": "chart", "analysis": "d1", "chart": "freq_gender"}
    c = {"kind": "text", "analysis": "d1", "paragraph": 0}
    assert rep.toggle(a) is True and rep.toggle(b) is True and rep.add(c) is True
    assert rep.add(a) is False                                  # pinned once
    rep.add({"kind": "section", "title": "Intro"})
    rep.add({"kind": "text", "text": "Free text"})
    assert rep.move(3, -3) == 0
    assert [i["kind"] for i in rep.items] == ["section", "table", "chart", "text", "text"]
    assert rep.toggle(b) is False and not rep.has(b)
    rep.remove(0)
    recipe["report"].append({"kind": "bogus"})                  # malformed items are skipped
    back = recipes.from_json(recipes.to_json(recipe))
    assert model.Report(back).items == [a, c, {"kind": "text", "text": "Free text"}]
    with pytest.raises(ValueError):
        rep.add({"kind": "table"})


def test_settings_defaults_and_bad_values():
    assert model.settings({}) == model.DEFAULT_SETTINGS
    s = model.settings({"ui": {"report": {"stars": "nope", "min_cell": -1, "digits": 2, "small_cells": True}}})
    assert s["stars"] == "apa" and s["min_cell"] == 5 and s["digits"] == 2 and s["small_cells"] is True


def test_missing_or_failed_items_are_said_plainly(describe_session):
    recipe, ds, results = describe_session
    doc = reports.build(recipe, ds, results, "en", items=[{"kind": "table", "analysis": "gone", "table": "x"},
                                                          {"kind": "chart", "analysis": "desc", "chart": "nope"}])
    assert [b.kind for b in doc.blocks] == ["missing", "missing"]
    from core.errors import UserError
    doc = reports.build(recipe, ds, {"desc": UserError("error.too_few_rows", n=2, need=5)}, "en",
                        items=[{"kind": "table", "analysis": "desc", "table": "describe"}])
    assert "Only 2 usable rows" in doc.blocks[0].text


# ---------------------------------------------------------------------------
# small cells
# ---------------------------------------------------------------------------
def test_small_groups_are_suppressed_in_exports(fake):
    recipe, ds, results = _session("en", extra=[{"id": "f1", "type": "fakediff"}],
                                   report=[{"kind": "table", "analysis": "f1", "table": "groups"},
                                           {"kind": "chart", "analysis": "f1", "chart": "means"}])
    df = results["f1"].tables["groups"]
    out, k = content.suppress_small(df, 5)
    assert k == 1 and out.loc[7, "group"] == "tiny" and math.isnan(out.loc[7, "mean"]) and math.isnan(out.loc[7, "n"])
    assert out.loc[0, "mean"] == -1.5 and df.loc[7, "mean"] == 7.0   # the result itself is untouched
    recipe["ui"]["report"] = {"small_cells": True, "min_cell": 5}
    doc = open_docx(io.BytesIO(reports.export("docx", recipe, ds, results, "en")))
    last = [c.text for c in doc.tables[0].rows[-1].cells]
    assert last == ["tiny", "", "", ""]
    assert t("report.note.suppressed", "en", k=5, rows=1) in _para_after(doc, doc.tables[0])
    wb = load_workbook(io.BytesIO(reports.export("xlsx", recipe, ds, results, "en")))
    assert [c.value for c in wb.worksheets[1][11]][:4] == ["tiny", None, None, None]
    # the chart is drawn from the suppressed table
    built = reports.build(recipe, ds, results, "en")
    chart = built.charts[0].chart
    values = next(iter(chart["datasets"].values()))
    assert all(v["group"] != "tiny" for v in values)
    # off: everything shown
    recipe["ui"]["report"] = {"small_cells": False}
    doc = open_docx(io.BytesIO(reports.export("docx", recipe, ds, results, "en")))
    assert [c.text for c in doc.tables[0].rows[-1].cells] == ["tiny", "3", "7.000", "1.700"]


# ---------------------------------------------------------------------------
# key findings
# ---------------------------------------------------------------------------
def test_first_sentence_keeps_decimals():
    assert first_sentence("Means differ (t = 3.14, p < .001). Small effect.") == "Means differ (t = 3.14, p < .001)."
    assert first_sentence("均值差异显著（t = 3.14，p = .003）。效应较小。") == "均值差异显著（t = 3.14，p = .003）。"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_key_findings_describe_numbers_and_fallback(fake, lang):
    recipe, ds, results = _session(lang, extra=[{"id": "f1", "type": "fakediff"}])
    found = reports.key_findings(recipe, ds, results, lang)
    desc = [f for f in found if f.analysis == "desc"]
    assert len(desc) == 2 and desc[0].finding.kind == "description"
    table = results["desc"].tables["describe"].set_index("variable")
    hi, lo = table["mean"].idxmax(), table["mean"].idxmin()      # same 1–5 range
    assert ds.label(hi) in desc[0].headline and fmt_num(table.loc[hi, "mean"], 2) in desc[0].headline
    assert ds.label(lo) in desc[0].headline and fmt_num(table.loc[lo, "mean"], 2) in desc[0].headline
    assert desc[1].chart == "freq_gender" and "600" in desc[1].headline
    fb = [f for f in found if f.analysis == "f1"]
    assert [f.headline for f in fb] == ["Group means differ (t = 3.14, p = .003).", "Second paragraph here."]
    assert fb[0].source == "interpret" and fb[0].chart == "means"


def test_key_findings_order_and_broken_specs(monkeypatch, describe_session):
    recipe, ds, results = describe_session

    def finds(res, ds_, lang):
        return [Finding("small ns", kind="difference", significant=False, strength=0.1),
                Finding("big sig", kind="difference", significant=True, strength=0.8),
                Finding("mediation", kind="mediation", significant=True, strength=0.3),
                Finding("weak sig", kind="difference", significant=True, strength=0.2)]

    def broken(res, ds_, lang):
        raise RuntimeError("bug")
    spec_ok = AnalysisSpec("fk", "x", (), FAKE_TABLES, _fake_run, findings=finds, doc="d")
    spec_bad = AnalysisSpec("fb", "x", (), FAKE_TABLES, _fake_run, findings=broken, doc="d")
    real = registry.get
    monkeypatch.setattr(registry, "get", lambda ty: {"fk": spec_ok, "fb": spec_bad}.get(ty) or real(ty))
    rec = {**recipe, "analyses": [{"id": "b", "type": "fb"}, {"id": "k", "type": "fk"}]}
    res = {"b": _fake_run(ds, {}), "k": _fake_run(ds, {})}
    heads = [f.headline for f in reports.key_findings(rec, ds, res, "en")]
    assert heads == ["big sig", "weak sig", "small ns", "mediation"]


def test_key_findings_respect_small_cell_suppression(monkeypatch, describe_session):
    recipe, ds, results = describe_session

    def finds(res, ds_, lang):
        g = res.tables["groups"]
        return [Finding(f"{r.group} averages {r.mean}", kind="difference") for r in g.itertuples()]
    spec = AnalysisSpec("fg", "x", (), FAKE_TABLES, _fake_run, findings=finds, doc="d")
    real = registry.get
    monkeypatch.setattr(registry, "get", lambda ty: spec if ty == "fg" else real(ty))
    rec = {**recipe, "analyses": [{"id": "g", "type": "fg"}], "ui": {"report": {"small_cells": True}}}
    res = {"g": _fake_run(ds, {})}
    heads = [f.headline for f in reports.key_findings(rec, ds, res, "en", per_analysis=0)]
    assert "plain averages 6.0" in heads and not any(h.startswith("tiny") for h in heads)
    rec["ui"]["report"]["small_cells"] = False
    heads = [f.headline for f in reports.key_findings(rec, ds, res, "en", per_analysis=0)]
    assert "tiny averages 7.0" in heads


# ---------------------------------------------------------------------------
# PowerPoint
# ---------------------------------------------------------------------------
def test_pptx_one_finding_per_slide_with_chart(fake):
    recipe, ds, results = _session("zh", extra=[{"id": "f1", "type": "fakediff"}])
    prs = Presentation(io.BytesIO(reports.export("pptx", recipe, ds, results, "zh")))
    found = reports.key_findings(recipe, ds, results, "zh")
    slides = list(prs.slides)
    assert len(slides) == 2 + len(found)
    assert slides[0].shapes.title.text == t("report.default_title", "zh")
    for slide, kf in zip(slides[2:], found):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        shown = re.sub(r"\s", "", texts[1]).rstrip("…")   # the plain headline, measured into lines
        assert shown and re.sub(r"\s", "", kf.plain).startswith(shown)
        assert kf.headline in slide.notes_slide.notes_text_frame.text
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == (1 if kf.chart else 0)
    xml = slides[2].shapes[1].text_frame._txBody.xml
    assert 'typeface="Microsoft YaHei"' in xml


# ---------------------------------------------------------------------------
# the Python script
# ---------------------------------------------------------------------------
def test_script_reproduces_every_table(tmp_path, describe_session):
    recipe, ds, results = describe_session
    recipe = {**recipe, "analyses": [{**recipe["analyses"][0], "title": "quotes ''' \"\"\" \\ end"}]}
    path = tmp_path / "reproduce.py"
    path.write_bytes(reports.export("py", recipe, ds, results, "en"))
    ns = runpy.run_path(str(path), run_name="reproduce")
    embedded = json.loads(ns["RECIPE_JSON"])
    assert embedded["analyses"][0]["title"] == "quotes ''' \"\"\" \\ end"
    out = ns["main"]([str(ROOT / "sample_data" / "civil_servants.csv"), "--csv", str(tmp_path / "csv")])
    for name, df in results["desc"].tables.items():
        pd.testing.assert_frame_equal(out["desc"].tables[name], df)
        assert (tmp_path / "csv" / f"desc_{name}.csv").exists()


# ---------------------------------------------------------------------------
# the headless runner
# ---------------------------------------------------------------------------
def test_cli_writes_docx_xlsx_html_with_every_table(tmp_path):
    recipe = {"version": 1, "data": {"path": str(ROOT / "sample_data" / "civil_servants.csv"), "missing_codes": [99]},
              "scales": samples.load("civil_servants")[1]["scales"],
              "analyses": [{"id": "d1", "type": "describe", "variables": ["OC", "WP"], "frequencies": ["gender"]}]}
    rp = tmp_path / "recipe.json"
    rp.write_text(json.dumps(recipe), encoding="utf-8")
    out = {k: tmp_path / f"r.{k}" for k in ("docx", "xlsx", "html")}
    code = cli_main(["run", str(rp), "--out", str(tmp_path / "res.json"), "--lang", "zh",
                     "--docx", str(out["docx"]), "--xlsx", str(out["xlsx"]), "--html", str(out["html"])])
    assert code == 0
    payload = json.loads((tmp_path / "res.json").read_text(encoding="utf-8"))
    tables = payload["results"]["d1"]["tables"]
    doc = open_docx(str(out["docx"]))
    assert len(doc.tables) == len(tables) == 2
    # numbers in Word match the JSON results
    first = doc.tables[1]   # the thesis chapter: the sample profile (frequencies) first, then descriptives
    mean = registry.get("describe").table("describe").column_names.index("mean")
    assert [c.text for c in first.rows[1].cells][mean] == fmt_num(tables["describe"][0]["mean"], 3)
    assert any(p.text == t("report.findings_title", "zh") for p in doc.paragraphs)
    wb = load_workbook(str(out["xlsx"]))
    assert wb.sheetnames[0] == "目录" and len(wb.sheetnames) == 3
    # Excel keeps 15 significant digits
    assert wb.worksheets[1].cell(4, mean + 1).value == pytest.approx(tables["describe"][0]["mean"], rel=1e-15)
    page = out["html"].read_text(encoding="utf-8")
    assert page.count('<table class="apa">') == 2 and page.count("<img ") == 0   # no frequency bars in the chapter
    # an unwritable path is one clear line, exit 2
    code = cli_main(["run", str(rp), "--out", str(tmp_path / "res.json"), "--docx", str(tmp_path / "no" / "r.docx")])
    assert code == 2


# ---------------------------------------------------------------------------
# the page: pin, reorder, presentation mode (AppTest)
# ---------------------------------------------------------------------------
def test_pin_report_page_and_presentation_mode():
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "describe.py"), default_timeout=120)
    at.session_state["lang"] = "zh"
    at.run()
    at.button(key="pin_table_describe_describe").click().run()
    at.button(key="pin_chart_describe_freq_gender").click().run()
    assert at.button(key="pin_table_describe_describe").label == t("report.unpin", "zh")
    recipe = at.session_state["recipe"]
    # both pins froze the page's analysis once, as a snapshot under its own id
    assert model.Report(recipe).items == [{"kind": "table", "analysis": "describe_1", "table": "describe"},
                                          {"kind": "chart", "analysis": "describe_1", "chart": "freq_gender"}]
    assert [a["id"] for a in recipe["analyses"]] == ["describe", "describe_1"]
    assert recipe["analyses"][1]["snapshot_of"] == "describe"
    page = AppTest.from_file(str(ROOT / "pages" / "report.py"), default_timeout=120)
    page.session_state["lang"] = "zh"
    page.session_state["raw"] = at.session_state["raw"]
    page.session_state["recipe"] = recipe
    page.run()
    assert not page.exception
    page.button(key="report_down_0").click().run()
    assert [i["kind"] for i in page.session_state["recipe"]["report"]] == ["chart", "table"]
    page.text_input(key="report_new_section").input("<b>x</b>")
    page.button(key="report_add_section").click().run()
    assert page.session_state["recipe"]["report"][-1] == {"kind": "section", "title": "<b>x</b>"}
    for fmt in ("docx", "xlsx", "html", "pptx", "py"):
        assert any(b.key == f"dl_report_{fmt}" for b in page.get("download_button"))
    page.toggle(key="present").set_value(True).run()
    assert not page.exception
    headline = page.title[-1].value
    assert page.expander[0].label == t("report.present.detail", "zh")
    page.button(key="present_next").click().run()
    assert page.session_state["present_index"] == 1 and page.title[-1].value != headline
    page.button(key="present_prev").click().run()
    assert page.session_state["present_index"] == 0
    page.button(key="present_exit").click().run()
    assert page.session_state["present"] is False and not page.exception


def test_pages_drawing_tables_themselves_get_pins_through_render_table():
    from streamlit.testing.v1 import AppTest

    def script():
        import pandas as pd

        from core import registry
        from pages._ui import render

        df = pd.DataFrame({"variable": ["x"], "label": ["x"], "n": [3], "missing": [0], "mean": [1.5], "sd": [0.5],
                           "min": [1.0], "max": [2.0], "skew": [0.0], "se_skew": [1.0], "kurtosis": [0.0],
                           "se_kurtosis": [1.0]})
        render.table(df, registry.get("describe").table("describe"), "describe", key="t", aid="d9")
        render.table(df, registry.get("describe").table("describe"), "describe", key="preview")   # no aid: no pin

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert not at.exception
    assert [b.key for b in at.button if b.key.startswith("pin_")] == ["pin_table_d9_describe"]
    at.button(key="pin_table_d9_describe").click().run()
    assert at.session_state["recipe"]["report"] == [{"kind": "table", "analysis": "d9", "table": "describe"}]
