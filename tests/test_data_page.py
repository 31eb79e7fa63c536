"""The data page: uploads replace the data only when they are good; bad input
gets a translated message and the previous data stay; recipes load back."""
from __future__ import annotations

import io as _io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import recipe as recipes

ROOT = Path(__file__).resolve().parents[1]


def _at(lang="en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


def _upload(at: AppTest, name: str, content: bytes, key="upload", mime="application/octet-stream") -> AppTest:
    at.file_uploader(key=key).set_value((name, content, mime))
    return at.run()


def test_good_csv_replaces_the_sample_and_proposes_scales():
    at = _at()
    csv = "sex,A1,A2,A3\n" + "\n".join(f"{1 + i % 2},{1 + i % 5},{1 + (i * 2) % 5},{1 + (i * 3) % 5}"
                                        for i in range(30))
    at = _upload(at, "mine.csv", csv.encode(), mime="text/csv")
    assert not at.exception and not at.error
    assert at.session_state["raw"].source["name"] == "mine.csv"
    rec = at.session_state["recipe"]
    assert [s["name"] for s in rec["scales"]] == ["A"]
    assert rec["roles"]["demographics"] == ["sex"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name,content", [
    ("empty.csv", b""),
    ("garbage.csv", bytes(range(256)) * 20),
    ("notes.pdf", b"%PDF-1.4 nothing"),
    ("ragged.csv", b"a,b\n1,2\n3,4,5,6\n"),
    ("fake.xlsx", b"a,b\n1,2\n"),
])
def test_bad_upload_shows_translated_message_and_keeps_previous_data(lang, name, content):
    at = _at(lang)
    before = at.session_state["raw"].source["name"]
    at = _upload(at, name, content)
    assert not at.exception
    assert at.error, "no message shown"
    msg = at.error[0].value
    assert "Traceback" not in msg
    assert any("\u4e00" <= ch <= "\u9fff" for ch in msg) == (lang == "zh"), msg
    assert at.session_state["raw"].source["name"] == before


def test_xlsx_with_two_sheets_offers_a_sheet_picker():
    buf = _io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        pd.DataFrame({"x": [1, 2, 3], "g": [1, 2, 1]}).to_excel(xw, sheet_name="wave1", index=False)
        pd.DataFrame({"y": [4, 5, 6, 7], "g": [1, 2, 1, 2]}).to_excel(xw, sheet_name="wave2", index=False)
    at = _upload(_at(), "two.xlsx", buf.getvalue())
    assert list(at.session_state["raw"].frame.columns) == ["x", "g"]
    at.selectbox(key="sheet_pick").set_value("wave2")
    at.run()
    assert list(at.session_state["raw"].frame.columns) == ["y", "g"]
    assert at.session_state["recipe"]["data"]["sheet"] == "wave2"


def test_recipe_upload_restores_scales_and_bad_recipe_keeps_state():
    at = _at()
    rec = at.session_state["recipe"]
    saved = recipes.validate({**rec, "scales": rec["scales"][:2],
                              "analyses": [{"id": "describe", "type": "describe", "variables": ["OC"]}]})
    at = _upload(at, "r.json", recipes.to_json(saved).encode(), key="recipe_upload", mime="application/json")
    assert not at.error
    assert [s["name"] for s in at.session_state["recipe"]["scales"]] == [s["name"] for s in saved["scales"]]
    assert at.session_state["recipe"]["analyses"] == saved["analyses"]
    at = _upload(at, "bad.json", b'{"version": 1, "scales": [{"name": "Z", "items": ["nope"], "min": 1, "max": 5}]}',
                 key="recipe_upload", mime="application/json")
    assert at.error and "nope" in at.error[0].value
    assert [s["name"] for s in at.session_state["recipe"]["scales"]] == [s["name"] for s in saved["scales"]]
