"""Privacy and safety of what users upload (issue 8), at the level of pages
(AppTest) and code.  The real-server checks — nothing uploaded reaches the
disk, hostile names fire no script in a browser — are in
tests/e2e/test_privacy_browser.py; formula neutralisation of CSV/Excel and
small-cell suppression of exports are tested in tests/test_report.py.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import recipe as recipes
from core.data import io as dio
from core.data import samples
from core.i18n import t

ROOT = Path(__file__).resolve().parents[1]
CSV = ("grp,Q1,Q2,Q3,note\n" + "\n".join(f"{1 + i % 2},{1 + i % 5},{1 + (i * 2) % 5},{1 + (i * 3) % 5},n{i}"
                                          for i in range(40)) + "\n").encode()


@pytest.fixture(autouse=True)
def _clear_cache():
    import streamlit as st

    st.cache_data.clear()
    yield


def _data_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


# ---- upload size ---------------------------------------------------------------------------------
def test_server_upload_limit_is_the_importers_own_and_it_listens_on_localhost():
    """The server refuses an upload over MAX_UPLOAD_MB before holding it in
    memory (the importer refuses it too, translated, for files read from disk);
    a recipe upload is capped at 2 MB, just above recipes.MAX_BYTES; the
    server binds to localhost unless the launcher is asked for the network."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == dio.MAX_UPLOAD_MB
    assert config["server"]["address"] == "localhost"
    at = _data_page("zh")   # the limits the widgets enforce (and state, pages/_ui/forms.uploader)
    assert at.file_uploader(key="upload").proto.max_upload_size_mb == dio.MAX_UPLOAD_MB
    assert at.file_uploader(key="recipe_upload").proto.max_upload_size_mb == 2
    assert recipes.MAX_BYTES <= 2 * 1024 * 1024


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_too_large_upload_is_refused_with_a_translated_message(monkeypatch, lang):
    at = _data_page(lang)
    monkeypatch.setattr(dio, "MAX_UPLOAD_MB", 0.001)          # ~1 KB: the CSV below is larger
    before = at.session_state["raw"].source["name"]
    at.file_uploader(key="upload").set_value(("big.csv", CSV * 3, "text/csv"))
    at.run()
    assert not at.exception
    msg = at.error[0].value
    expected = t("io.too_large", lang, size_mb=f"{len(CSV * 3) / 1048576:.1f}", limit_mb="0.001")
    assert msg.replace("\\", "") == expected                  # (arguments are Markdown-escaped)
    assert at.session_state["raw"].source["name"] == before     # the data already loaded stay
    assert at.info and at.info[0].value == t("data.previous_kept", lang)


# ---- results of uploaded data stay in the session -------------------------------------------------
def _describe_page(raw=None, recipe=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "describe.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    if raw is not None:
        at.session_state["raw"], at.session_state["recipe"] = raw, recipe
    return at.run()


def test_results_of_uploaded_data_stay_in_the_session_and_sample_results_are_shared():
    from core import recipe as recipes
    from core.data import setup

    at = _describe_page()                                   # the sample survey
    assert not at.exception
    assert not at.session_state["_session_results"] if "_session_results" in at.session_state else True
    raw = dio.read_bytes(CSV, "mine.csv")
    prop = setup.propose(raw)
    rec = recipes.validate({**recipes.empty(), "scales": prop["scales"],
                            "roles": {"demographics": prop["demographics"]}})
    other = _describe_page(raw, rec)
    assert not other.exception
    store = other.session_state["_session_results"]
    assert store, "results of uploaded data must be kept in the session"
    assert {k[0] for k in store} >= {"_run_impl"}
    # a second session with the same upload does not see the first one's results
    fresh = _describe_page(raw, rec)
    assert fresh.session_state["_session_results"] is not store


def test_sample_surveys_count_as_shared_data_and_uploads_do_not():
    from pages._ui import state

    raw, _, _ = samples.load("role_pressure")
    fps = state._sample_fingerprints()
    assert raw.source["fingerprint"] in fps
    assert dio.read_bytes(CSV, "mine.csv").source["fingerprint"] not in fps


# ---- small cells: presentation mode (key findings, slides) and exports ------------------------------
def _small_group_session():
    import numpy as np
    import pandas as pd

    from core import recipe as recipes
    from core import registry
    from core.data.model import RawData, VariableMeta
    from core.data.prepare import build_dataset

    rng = np.random.default_rng(2)
    y = rng.normal(3, 0.5, 80)
    y[-3:] = 4.9                                    # the three members of "tiny" stand out
    frame = pd.DataFrame({"unit": ["big"] * 40 + ["mid"] * 37 + ["tiny"] * 3, "y": y.round(2)})
    rec = recipes.validate({"version": 1, "analyses": [
        {"id": "d", "type": "difference", "groups": ["unit"], "outcomes": ["y"]}],
        "report": [{"kind": "table", "analysis": "d", "table": "group_stats"},
                   {"kind": "table", "analysis": "d", "table": "posthoc"}]})
    ds = build_dataset(RawData(frame=frame, meta={c: VariableMeta(name=c) for c in frame}), rec)
    return rec, ds, {"d": registry.run("difference", ds, rec["analyses"][0])}


def test_small_cells_hide_small_groups_in_presentation_mode_and_exports():
    import io

    from docx import Document

    from core import report as reports

    rec, ds, results = _small_group_session()
    rec["ui"] = {"report": {"small_cells": False}}
    shown = " ".join(k.headline for k in reports.key_findings(rec, ds, results, "en"))
    assert "tiny" in shown and "4.90" in shown                      # off: the small group is told
    rec["ui"] = {"report": {"small_cells": True, "min_cell": 5}}
    findings = reports.key_findings(rec, ds, results, "en")
    text = " ".join(k.headline + " " + k.detail for k in findings)
    assert "4.90" not in text and "tiny >" not in text               # no mean, no pairwise standing
    for slide in reports.slides(rec, ds, results, "en", findings):
        assert "4.90" not in slide.headline + slide.detail + slide.full + slide.statistic
    doc = Document(io.BytesIO(reports.export("docx", rec, ds, results, "en")))
    rows = [[c.text for c in r.cells] for tb in doc.tables for r in tb.rows]
    tiny = [r for r in rows if "tiny" in r]
    words = {t(f"difference.choice.posthoc.{m}", "en") for m in ("tukey", "games_howell", "bonferroni")}
    assert tiny and all(set(r) <= {"unit", "y", "tiny", "big", "mid", "", "✓"} | words for r in tiny), tiny


# ---- sessions that are gone are shut down, memory handed back (pages/_ui/memory.py) -----------------
def test_housekeeping_shuts_down_expired_sessions_and_removes_their_downloads(monkeypatch):
    from types import SimpleNamespace

    from streamlit.runtime.caching.ttl_cache import TTLCache

    from pages._ui import memory

    class Session:
        def __init__(self, sid):
            self.sid = sid
            self._session_state = State(upload=b"x" * 100, raw="data")   # what the user loaded
            self._session_state._new_widget_state.widget_metadata["w"] = "format_func of a page"

        def shutdown(self):
            closed.append(self.sid)

    class State(dict):
        def __init__(self, **kw):
            super().__init__(**kw)
            self._new_widget_state = SimpleNamespace(widget_metadata={})

    now = [0.0]
    cache = TTLCache(maxsize=10, ttl=120, timer=lambda: now[0])
    closed, orphan_calls = [], []
    sessions = {sid: Session(sid) for sid in ("gone", "recent")}
    for sid in sessions:
        cache[sid] = SimpleNamespace(session=sessions[sid])
        now[0] += 100
    mgr = SimpleNamespace(_session_storage=SimpleNamespace(_cache=cache), list_sessions=lambda: list(cache.values()))
    rt = SimpleNamespace(_session_mgr=mgr,
                         media_file_mgr=SimpleNamespace(remove_orphaned_files=lambda: orphan_calls.append(1)))
    monkeypatch.setattr(memory, "_runtime", lambda: rt)
    assert memory.sessions_after_reaping() == 1             # "gone" disconnected 200 s ago (> TTL)
    assert closed == ["gone"] and orphan_calls == [1]
    gone, recent = sessions["gone"]._session_state, sessions["recent"]._session_state
    assert not gone and not gone._new_widget_state.widget_metadata          # its data goes with it …
    assert recent and recent._new_widget_state.widget_metadata              # … nobody else's
    del cache["recent"]   # dropped by Streamlit itself (at someone's disconnect), yet still referenced
    assert memory.sessions_after_reaping() == 0
    assert not recent and not recent._new_widget_state.widget_metadata
    memory.release()                                          # gc + malloc_trim: must not fail


def test_housekeeping_is_a_no_op_without_a_server():
    from pages._ui import memory

    assert memory.sessions_after_reaping() is None


# ---- names and labels are plain text in widget labels ---------------------------------------------
HOSTILE_LABEL = "**bold** [link](http://evil.example) ![img](http://evil.example/x.png)"


def test_variable_labels_are_plain_text_in_widget_labels():
    """Streamlit renders widget labels and metric labels as Markdown: the
    what-if sliders, reference-level pickers and the prediction metric show a
    label built from a hostile name as text (no bold, no link, no image)."""
    raw, recipe, _ = samples.load(samples.DEFAULT)
    for meta in raw.meta.values():
        meta.label = HOSTILE_LABEL + " " + meta.name
    for sc in recipe["scales"]:
        sc["label"] = HOSTILE_LABEL + " " + sc["name"]
    at = AppTest.from_file(str(ROOT / "pages" / "regression.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["raw"], at.session_state["recipe"] = raw, recipe
    at.run()
    assert not at.exception
    labels = [w.label for w in [*at.slider, *at.selectbox, *at.metric, *at.button]]
    hostile = [lab for lab in labels if "evil" in lab]
    assert len([s for s in at.slider if "evil" in s.label]) >= 2
    assert any("evil" in m.label for m in at.metric)
    for lab in hostile:
        assert "**bold**" not in lab and "](http" not in lab and "![" not in lab, lab
        assert r"\*\*bold\*\*" in lab and r"\]\(http" in lab, lab
