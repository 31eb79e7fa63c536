"""A browser reload keeps the work (issue 13): the reload store in server
memory (pages/_ui/memory.py, used by pages/_ui/state.py), its expiry, and
its privacy."""
from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t
from pages._ui import memory, state

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
import platforms  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_store(monkeypatch):
    import streamlit as st

    st.cache_data.clear()
    monkeypatch.setattr(memory, "STORE", memory.ReloadStore())
    yield


# ---- the store itself -------------------------------------------------------------------------
def test_store_gives_the_work_back_within_the_ttl_and_forgets_it_after():
    store = memory.ReloadStore(ttl=120)
    store.put("tok", "session-1", {"recipe": {"version": 2}}, now=0.0)
    assert store.take("tok", "session-2", connected=set(), now=100.0) == {"recipe": {"version": 2}}
    # the reloaded session now owns it; it leaves too, and 121 s later the work is gone
    assert store.expire(connected=set(), now=221.0) == 1
    assert store.take("tok", "session-3", connected=set(), now=222.0) is None
    assert len(store) == 0


def test_store_keeps_the_work_of_a_connected_session_however_long():
    store = memory.ReloadStore(ttl=120)
    store.put("tok", "s1", {"x": 1}, now=0.0)
    assert store.expire(connected={"s1"}, now=10_000.0) == 0
    assert store.take("tok", "s1", connected={"s1"}, now=10_001.0) == {"x": 1}


def test_one_session_cannot_read_another_sessions_token():
    store = memory.ReloadStore(ttl=120)
    store.put("tok-a", "a", {"who": "a"}, now=0.0)
    store.put("tok-b", "b", {"who": "b"}, now=0.0)
    # a link shared while its owner is connected gives nothing
    assert store.take("tok-a", "b", connected={"a", "b"}, now=1.0) is None
    # unknown and guessed tokens give nothing
    assert store.take("tok-c", "b", connected={"b"}, now=1.0) is None
    assert store.take("", "b", connected={"b"}, now=1.0) is None
    assert store.take("tok-b", "b", connected={"a", "b"}, now=1.0) == {"who": "b"}


def test_housekeeping_expires_the_reload_store(monkeypatch):
    from types import SimpleNamespace

    store = memory.ReloadStore(ttl=0.0)
    store.put("old", "gone-session", {"x": 1}, now=time.monotonic() - 10)
    monkeypatch.setattr(memory, "STORE", store)
    mgr = SimpleNamespace(_session_storage=None, list_sessions=lambda: [], list_active_sessions=lambda: [])
    rt = SimpleNamespace(_session_mgr=mgr, media_file_mgr=SimpleNamespace(remove_orphaned_files=lambda: None))
    monkeypatch.setattr(memory, "_runtime", lambda: rt)
    assert memory.sessions_after_reaping() == 0
    assert len(store) == 0


# ---- a reload in the app ----------------------------------------------------------------------
def _data_page_then_keep():
    """The data page, then what app.py does at the end of every run (AppTest
    cannot upload through st.navigation)."""
    import runpy
    from pathlib import Path

    from pages._ui import state as st_state

    runpy.run_path(str(Path(st_state.__file__).resolve().parents[1] / "data.py"))
    st_state.keep()


def _app(token: str | None = None, lang: str | None = None, upload_page: bool = False) -> AppTest:
    at = (AppTest.from_function(_data_page_then_keep, default_timeout=120) if upload_page
          else AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    if token:
        at.query_params["s"] = token
    if lang:
        at.session_state["lang"] = lang
    return at.run()


def _upload_wjx(at: AppTest) -> tuple[AppTest, bytes]:
    ex = platforms.exports()["wjx_text_csv"]
    marker = f"建议{uuid.uuid4().hex}".encode("gbk")
    content = ex.content.replace("增加人手".encode("gbk"), marker, 1)
    at.file_uploader(key="upload").set_value((ex.name, content, "text/csv"))
    return at.run(), marker


def test_reload_brings_back_data_recipe_levels_and_language():
    start = time.time()
    at = _app(lang="zh", upload_page=True)
    at, marker = _upload_wjx(at)
    assert not at.exception
    token = at.query_params["s"]
    token = token[0] if isinstance(token, list) else token
    assert len(token) >= 32
    rec = at.session_state["recipe"]
    assert [s["name"] for s in rec["scales"]] == ["Q6", "Q7", "Q8", "Q9"]
    # the user reorders education's levels (博士 first) — what the Variables page stores
    rec["prepare"]["levels"]["Q3"] = {"order": ["博士", "硕士", "本科", "大专", "高中/中专及以下"]}
    rec["analyses"].append({"id": "d", "type": "difference", "groups": ["Q3"], "outcomes": ["Q6"]})
    at.run()

    again = _app(token)                          # a new session: the reload
    assert not again.exception
    assert again.session_state["raw"].source["name"] == platforms.exports()["wjx_text_csv"].name
    back = again.session_state["recipe"]
    assert back["prepare"]["levels"]["Q3"]["order"][0] == "博士"
    assert any(a["id"] == "d" for a in back["analyses"])
    assert again.session_state["lang"] == "zh"
    ds = state.build_dataset(again.session_state["raw"], back, "zh")
    assert ds.levels("Q3")[1][0] == "博士"
    assert any(t("reload.kept", "zh", minutes=f"{memory.TTL / 60:g}") == c.value for c in again.sidebar.caption)

    # no uploaded byte reached the disk: no file written since the test began holds the marker
    for top in (ROOT, Path(tempfile.gettempdir())):
        for dirpath, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d not in (".git", ".venv", "node_modules", "__pycache__")]
            for f in files:
                p = Path(dirpath) / f
                try:
                    if p.stat().st_mtime >= start and p.stat().st_size < 50_000_000:
                        assert marker not in p.read_bytes(), p
                except OSError:
                    continue


def test_an_expired_or_foreign_token_opens_the_sample_and_says_so():
    at = _app("not-a-token-anyone-holds", lang="en")
    assert not at.exception
    assert at.session_state["raw"].source["name"] != platforms.exports()["wjx_text_csv"].name
    assert any(i.value == t("reload.lost", "en") for i in at.sidebar.info)
