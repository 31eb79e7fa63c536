"""Every page renders without exceptions in both languages, on both sample
surveys (streamlit.testing AppTest; pages run through the same session state
as in the app)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.data import samples
from pages._ui.nav import PAGES as ALL_PAGES

ROOT = Path(__file__).resolve().parents[1]
PAGES = [p for p, _, _ in ALL_PAGES if (ROOT / p).exists()]


@pytest.fixture(autouse=True)
def _clear_cache():
    import streamlit as st

    st.cache_data.clear()
    yield


def _page(path: str, lang: str, sample: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    at.session_state["lang"] = lang
    if sample:
        raw, recipe, _ = samples.load(sample)
        at.session_state["raw"] = raw
        at.session_state["recipe"] = recipe
    at.run()
    return at.run()  # a rerun with the widgets' state, as a user's next click


def _problems(at: AppTest) -> list[str]:
    return [e.value for e in at.exception] + [e.value for e in at.error]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_frame_renders_with_sample_loaded(lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    assert at.session_state["raw"].frame.shape[0] > 0  # never opens empty
    caption = " ".join(c.value for c in at.sidebar.caption)
    assert ("行" in caption) == (lang == "zh")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", PAGES)
def test_page_renders(path, lang):
    at = _page(path, lang)
    assert _problems(at) == []
    assert at.title, f"{path} shows no title"
    title = at.title[0].value
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title) == (lang == "zh"), title


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_on_second_sample(path):
    at = _page(path, "zh", sample="role_pressure")
    assert _problems(at) == []


@pytest.mark.parametrize("sample", ["civil_servants", "role_pressure"])
def test_visiting_every_page_leaves_a_recipe_that_runs_headless(sample):
    """Pages keep no recipe entry that cannot run (an analysis shown with nothing chosen yet): the
    downloaded recipe of a session that visited every page runs through `python -m core run`."""
    from core import recipe as recipes
    from core.errors import UserError

    raw, recipe, _ = samples.load(sample)
    for path in PAGES:
        at = AppTest.from_file(str(ROOT / path), default_timeout=120)
        at.session_state["lang"] = "en"
        at.session_state["raw"], at.session_state["recipe"] = raw, recipe
        at.run()
        assert _problems(at) == [], path
        recipe = at.session_state["recipe"]
    recipe = recipes.from_json(recipes.to_json(recipe))
    results = recipes.run_all(recipe, recipes.dataset_for(raw, recipe), on_error="collect")
    failed = {aid: r.message("en") for aid, r in results.items() if isinstance(r, UserError)}
    assert failed == {}


# ---- a language switch refits nothing (results keep codes; labels at render) ----------------
SWITCH = {   # page → its analyses (recipe entries) whose results hold level codes of labelled variables
    "pages/differences.py": [
        {"id": "differences", "type": "difference", "groups": ["gender", "education"], "outcomes": ["WW", "PS"],
         "posthoc": ["tukey"], "small_group": 20, "merge": {"education": [[1, 2]]}},   # the page's own merge
        {"id": "differences_crosstab", "type": "crosstab", "rows": ["gender"], "cols": ["education"]}],
    "pages/describe.py": [{"id": "describe", "type": "describe", "variables": ["WW"],
                           "frequencies": ["gender", "education"]}],
    "pages/regression.py": [{"id": "regression", "type": "regression", "outcome": "WW",
                             "blocks": [["gender", "education"], ["RP", "PS"]],
                             "categorical": {"gender": 1, "education": 1}}],
}
SHOWN = {"pages/regression.py": {"gender": [2], "education": [2, 3, 4]}}   # dummies: the reference level has none


def _words(at: AppTest) -> str:
    """Everything the page shows as text: tables (cells and headers), markdown, captions, headings."""
    parts = [el.value.to_csv() for el in at.dataframe]
    for kind in ("markdown", "caption", "subheader", "header", "info", "success", "warning"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("page", list(SWITCH))
def test_switching_language_refits_nothing_and_shows_the_other_labels(monkeypatch, page):
    """Difference, crosstab, describe and a regression with a categorical predictor keep level codes in their
    results: switching the language reruns the page with the same fits — no call into any analysis — and the
    page names the groups, levels and dummies by their value labels in the new language."""
    import streamlit as st

    from core import registry

    st.cache_data.clear()
    calls = []
    for entry in SWITCH[page]:
        run = registry.get(entry["type"]).run      # the declaration's lazy reference to the compute function
        real = run.resolve()
        monkeypatch.setattr(run, "_fn", lambda *a, _r=real, _t=entry["type"], **k: calls.append(_t) or _r(*a, **k))
    raw, recipe, _ = samples.load("role_pressure")
    recipe = {**recipe, "analyses": [dict(e) for e in SWITCH[page]]}
    shown = SHOWN.get(page) or {v: list(raw.meta[v].value_labels) for v in ("gender", "education")}
    labels = {v: [raw.meta[v].value_labels[c] for c in codes] for v, codes in shown.items()}
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.session_state["lang"] = "zh"
    at.session_state["raw"], at.session_state["recipe"] = raw, recipe
    at.run()
    at.run()   # the user's next click: the page's sections settled (its two-way section fits a battery too)
    assert not _problems(at)
    fitted = sorted(calls)
    assert set(fitted) == {e["type"] for e in SWITCH[page]}
    for lang, other in (("zh", "en"), ("en", "zh"), ("zh", "en")):
        if lang != at.session_state["lang"]:
            at.session_state["lang"] = lang
            at.run()
        assert not _problems(at) and sorted(calls) == fitted, (lang, calls)
        words = _words(at)
        for var, values in labels.items():
            for label in values:
                assert label[lang] in words, (lang, var, label)
                assert label[other] not in words, (lang, var, label)


def test_degrees_of_freedom_read_as_the_formatter_writes_them():
    """A page table's df column: whole df stay sortable numbers shown as integers (586); a column with a
    Welch df reads as the formatter writes it (586 and 585.972), never 585.9718762020271."""
    import pandas as pd
    import pyarrow as pa

    from core.types import Column
    from pages._ui.render import arrow_table

    cols = [Column("df", "df")]
    whole = arrow_table(pd.DataFrame({"df": [586.0, 2.0]}), cols, "en").column("df")
    assert pa.types.is_floating(whole.type) and whole.to_pylist() == [586.0, 2.0]
    welch = arrow_table(pd.DataFrame({"df": [586.0, 585.9718762020271, None]}), cols, "en").column("df")
    assert welch.to_pylist() == ["586", "585.972", ""]
