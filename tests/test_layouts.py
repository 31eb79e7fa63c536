"""The declared page layouts (AnalysisSpec.layout / layouts): every name in them is one the analysis
declares, every custom section is registered, every heading exists in both languages, no option is
left without a widget; and the generic page draws them (pages/_ui/page.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from core import i18n, registry
from core.types import OPTION_KINDS
from pages._ui.custom import SECTIONS

ROOT = Path(__file__).resolve().parents[1]
SPECS = list(registry.specs().values())


def _layouts(spec):
    return [("", spec.page_layout())] + [(name, spec.page_layout(name)) for name, _ in spec.layouts]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.type)
def test_layouts_name_only_what_the_analysis_declares(spec):
    options = {o.name for o in spec.options}
    tables = {tb.name for tb in spec.tables}
    views = {v.name for v in spec.views}
    drawn = set()
    for name, lay in _layouts(spec):
        assert lay.sections, (spec.type, name)
        for need in lay.needs:
            assert set(need.split("|")) <= options, (spec.type, need)
        assert {k for k, _ in lay.fixed} <= options
        for sec in lay.sections:
            names = [n for col in sec.columns for n in col]
            assert set(names) <= options, (spec.type, sec)
            assert all(spec.option(n).widget != "hidden" for n in names), (spec.type, sec)
            assert set(sec.one) <= set(names) and all(spec.option(n).kind == "variables" for n in sec.one)
            drawn |= set(names)
            for item in sec.show:
                assert item in tables | views | {"tables", "charts", "text", "notes"} or item.startswith("chart:"), \
                    (spec.type, item)
            assert not sec.custom or sec.custom in SECTIONS, (spec.type, sec.custom)
            for key in (sec.title, sec.caption, sec.none):
                assert not key or i18n.has(key), (spec.type, key)
        assert not lay.empty or i18n.has(lay.empty), (spec.type, lay.empty)
        assert 0 <= lay.form < len(lay.sections)
    # every option a user sets has a widget in some layout (or is fixed by one, or set by a custom section)
    fixed = {k for _, lay in _layouts(spec) for k, _ in lay.fixed}
    loose = {o.name for o in spec.options if o.widget != "hidden"} - drawn - fixed
    assert loose == set(), (spec.type, loose)


def test_every_custom_section_is_used_by_a_layout():
    used = {sec.custom for spec in SPECS for _, lay in _layouts(spec) for sec in lay.sections if sec.custom}
    assert set(SECTIONS) == used


def test_option_widgets_fit_their_kinds():
    for spec in SPECS:
        for o in spec.options:
            assert o.kind in OPTION_KINDS
            if o.widget in ("level", "count"):
                assert o.kind == "json", (spec.type, o.name)
            if o.widget == "level" or o.kind in ("map",) and o.widget != "hidden":
                assert o.of and set(o.of) <= {x.name for x in spec.options}, (spec.type, o.name)
            if o.widget == "toggle":
                assert o.kind == "bool" or (o.kind == "choice" and o.nullable), (spec.type, o.name)
            if o.widget == "area":
                assert o.kind == "text", (spec.type, o.name)


def test_process_applies_only_the_roles_of_the_chosen_model():
    spec = registry.get("process")
    assert {"m", "w", "z"} & spec.applies({"model": 4}) == {"m"}
    assert {"m", "w", "z"} & spec.applies({"model": 1}) == {"w"}
    assert {"m", "w", "z"} & spec.applies({"model": 3}) == {"w", "z"}
    assert "categorical:w" in spec.applies({"model": 1}) and "categorical:w" not in spec.applies({"model": 7})
    assert "covariates_in" not in spec.applies({"model": 4}) and "covariates_in" in spec.applies(
        {"model": 4, "covariates": ["age"]})
    names = {o.name for o in spec.options}
    for model in (1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 58, 59):
        assert {n.partition(":")[0] for n in spec.applies({"model": model})} <= names


def _process_page():
    from streamlit.testing.v1 import AppTest

    from core.data import samples

    raw, recipe, _ = samples.load("role_pressure")
    at = AppTest.from_file(str(ROOT / "pages" / "process.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["raw"], at.session_state["recipe"] = raw, recipe
    at.run()
    return at


def _entry(at, aid):
    return next(a for a in at.session_state["recipe"]["analyses"] if a["id"] == aid)


def test_a_role_the_model_leaves_out_is_cleared_from_the_recipe_and_comes_back():
    import streamlit as st

    st.cache_data.clear()
    at = _process_page()
    assert _entry(at, "process")["w"] is None                 # model 4 has no moderator: the recipe stays valid
    assert not any(s.key and s.key.startswith("opt.process.w.") for s in at.selectbox)
    at.selectbox(key="process_model").set_value(1).run()
    assert not at.exception and not at.error
    assert _entry(at, "process")["w"] == "EMC" and _entry(at, "process")["m"] == []
    at.selectbox(key="opt.process.w.en").set_value("RA").run()
    at.selectbox(key="process_model").set_value(4).run()
    assert _entry(at, "process")["w"] is None and _entry(at, "process")["m"] == ["PS"]   # M back
    at.selectbox(key="process_model").set_value(1).run()
    assert _entry(at, "process")["w"] == "RA"                 # the user's W back, not the default


def test_optional_column_only_when_it_holds_a_value():
    import streamlit as st

    st.cache_data.clear()
    at = _process_page()
    coef = [d.value for d in at.dataframe if "constant" not in d.value.columns and "b" in d.value.columns]
    assert coef and all("std_b" not in df.columns for df in coef)
    next(c for c in at.checkbox if c.key == "opt.process.standardized.en").check().run()
    assert not at.exception
    assert any("std_b" in d.value.columns for d in at.dataframe)
