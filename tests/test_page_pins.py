"""Pins on the regression and measurement pages: a pinned item lands in the
recipe's report and the Word export (core.report) contains it — including
the analyses' views (thesis layouts made from a result) and the saved what-if
scenarios."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as open_docx
from streamlit.testing.v1 import AppTest

from core import recipe as recipes
from core import registry
from core.analyses.regression import views
from core.analyses.measurement import efa as efa_mod
from core.data.prepare import build_dataset
from core.i18n import t
from core import report as reports

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clear_cache():
    import streamlit as st

    st.cache_data.clear()
    yield


def _page(name: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    return at


def _export(at: AppTest, lang: str):
    """What the report page does: run every analysis of the session's recipe,
    then the Word export of the pinned items."""
    recipe = at.session_state["recipe"]
    ds = build_dataset(at.session_state["raw"], recipe, lang)
    # an analysis the page has not been given its variables yet (logistic) fails, as on the report page
    results = recipes.run_all(recipe, ds, on_error="collect")
    doc = reports.build(recipe, ds, results, lang)
    word = open_docx(io.BytesIO(reports.export("docx", recipe, ds, results, lang, document=doc)))
    return ds, results, doc, word


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_regression_page_pins_the_thesis_table_and_it_exports_to_word():
    lang = "zh"
    at = _page("regression", lang)
    # an empty number (the intercept's β) is a blank cell, not "None"
    coef = next(d for d in at.dataframe if "vif" in d.value.columns)
    assert coef.value["beta"].isna().any() and coef.proto.placeholder == ""
    at.button(key="pin_table_correlation_triangle").click().run()
    assert not at.exception
    assert at.button(key="pin_table_correlation_triangle").label == t("report.unpin", lang)
    # the pin froze the page's analysis as a snapshot under its own id
    assert at.session_state["recipe"]["report"] == [{"kind": "table", "analysis": "correlation_1", "table": "triangle"}]

    ds, results, doc, word = _export(at, lang)
    block = doc.tables[0]
    assert block.title == t("correlation.table.triangle", lang)
    expected = views.lower_triangle(results["correlation"], {v: ds.label(v) for v in results["correlation"].meta[
        "variables"]}, lang)
    rows = _rows(word.tables[0])
    assert rows[0] == list(expected.columns)               # 变量, M, SD, 1 … k
    assert rows[1:] == expected.astype(str).values.tolist()  # r with stars, as the page shows it
    text = "\n".join(p.text for p in word.paragraphs)
    assert block.title in text and views.lower_triangle_note(results["correlation"], lang) \
        .removeprefix(t("report.note_label", lang)).strip()[:20] in text


def test_saved_scenario_reaches_the_pinned_scenarios_table():
    lang = "en"
    at = _page("regression", lang)
    slider = next(s for s in at.slider if s.key.endswith(".CD"))
    sig = slider.key.split(".")[1]
    slider.set_value(slider.min).run()
    at.text_input(key=f"wi.{sig}.name").input("Lower CD").run()
    at.button(key=f"wi.{sig}.save").click().run()
    at.button(key="pin_table_regression_scenarios").click().run()
    assert not at.exception
    entry = next(a for a in at.session_state["recipe"]["analyses"] if a["id"] == "regression")
    assert [s["name"] for s in entry["scenarios"]] == ["Lower CD"]
    assert at.session_state["recipe"]["report"] == [{"kind": "table", "analysis": "regression_1", "table": "scenarios"}]

    # the report page runs the analyses through the same cache as the regression page
    report = AppTest.from_file(str(ROOT / "pages" / "report.py"), default_timeout=120)
    report.session_state["lang"] = lang
    report.session_state["raw"], report.session_state["recipe"] = at.session_state["raw"], at.session_state["recipe"]
    report.run()
    assert not report.exception
    assert any("Lower CD" in df.value.astype(str).values for df in report.dataframe)

    _, results, doc, word = _export(at, lang)
    scen = results["regression"].tables["scenarios"]
    assert list(scen["scenario"]) == ["baseline", "Lower CD"]
    rows = _rows(word.tables[0])
    assert [r[0] for r in rows[1:]] == [t("regression.scenario.baseline", lang), "Lower CD"]   # the code in words
    assert rows[2][1] == doc.tables[0].cell_text(scen["prediction"].iloc[1], doc.tables[0].columns[1])


def test_measurement_page_pins_the_loading_matrix_and_it_exports_to_word():
    lang = "en"
    at = _page("measurement", lang)
    at.button(key="pin_table_efa_loading_matrix").click().run()
    at.button(key="pin_table_cfa_fit").click().run()
    assert not at.exception
    assert at.session_state["recipe"]["report"] == [{"kind": "table", "analysis": "efa_1", "table": "loading_matrix"},
                                                    {"kind": "table", "analysis": "cfa_1", "table": "fit"}]

    _, results, doc, word = _export(at, lang)
    assert [b.name for b in doc.tables] == ["loading_matrix", "fit"]
    entry = next(a for a in at.session_state["recipe"]["analyses"] if a["id"] == "efa")
    cutoff = entry.get("cutoff", 0.3)
    wide = efa_mod.loading_matrix(results["efa"].tables["loadings"], cutoff, entry.get("sort", True))
    rows = _rows(word.tables[0])
    assert rows[0][0] == t("efa.col.item", lang) and rows[0][-1] == t("efa.col.communality", lang)
    assert [r[0] for r in rows[1:]] == list(wide["item"])
    # the page's loading matrix in Word: loadings under the cutoff blank, the others formatted as numbers
    block = doc.tables[0]
    for row, (_, want) in zip(rows[1:], wide.iterrows()):
        assert row[1:] == [block.cell_text(v, c) for v, c in zip(want.iloc[1:], block.columns[1:])]
    assert any("" in r[1:-1] for r in rows[1:]) and all(r[-1] for r in rows[1:])
    assert t("efa.view.cutoff", lang, cutoff=f"{cutoff:.2f}") in "\n".join(p.text for p in word.paragraphs)
    assert t("cfa.table.fit", lang) in "\n".join(p.text for p in word.paragraphs)


def test_views_are_documented_and_never_shadow_a_result_table():
    for spec in registry.specs().values():
        tables = {tb.name for tb in spec.tables}
        for view in spec.views:
            assert view.doc and view.name not in tables, (spec.type, view.name)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_differences_page_pins_a_thesis_table_and_it_exports_as_a_three_line_table(lang):
    at = _page("differences", lang)
    entry = next(a for a in at.session_state["recipe"]["analyses"] if a["id"] == "differences")
    split = entry["groups"][0]
    at.button(key=f"pin_table_differences_thesis_{split}").click().run()
    assert not at.exception
    assert at.session_state["recipe"]["report"] == [{"kind": "table", "analysis": "differences_1",
                                                     "table": f"thesis:{split}"}]
    ds, results, doc, word = _export(at, lang)
    block = doc.tables[0]
    assert block.title.endswith(t("difference.table_per.thesis", lang, value=ds.label(split)))
    rows = _rows(word.tables[0])
    outcomes = list(dict.fromkeys(results["differences"].tables["tests"].outcome))
    assert [r[0] for r in rows[1:]] == [ds.label(o) for o in outcomes]
    assert all("±" in c for r in rows[1:] for c in r[1:3])
    # three-line table: a top and a bottom rule and a rule under the header, no vertical lines
    xml = word.tables[0]._tbl.xml
    assert "w:top" in xml and "w:bottom" in xml and 'w:left w:val="single"' not in xml
