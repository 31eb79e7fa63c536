"""First contact (issue 16): the app opens in the user's language and keeps it
in the URL; the launcher behind the README's two commands."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _app(locale: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if locale is not None:
        at.context["locale"] = locale
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def _chinese(at: AppTest) -> bool:
    caption = " ".join(c.value for c in at.sidebar.caption)
    return "行" in caption


@pytest.mark.parametrize("locale, lang", [("zh-CN", "zh"), ("zh-TW", "zh"), ("zh", "zh"), ("en-US", "en"),
                                          ("de-DE", "en"), (None, "en")])
def test_the_app_starts_in_the_browsers_language(locale, lang):
    at = _app(locale)
    assert at.session_state["lang"] == lang
    assert _chinese(at) == (lang == "zh")
    assert at.query_params["lang"] == lang            # written to the URL: a reload keeps it


@pytest.mark.parametrize("asked, locale, lang", [("en", "zh-CN", "en"), ("zh", "en-US", "zh"), ("fr", "zh-CN", "zh"),
                                                 ("", "en-GB", "en")])
def test_lang_in_the_url_wins_over_the_browser(asked, locale, lang):
    at = _app(locale, lang=asked)
    assert at.session_state["lang"] == lang and _chinese(at) == (lang == "zh")


def test_switching_language_updates_the_url_and_keeps_other_parameters():
    at = _app("en-US", s="token-from-another-helper", page_state="x")
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception and _chinese(at)
    params = {k: at.query_params[k] for k in at.query_params}
    assert params == {"lang": "zh", "s": "token-from-another-helper", "page_state": "x"}
