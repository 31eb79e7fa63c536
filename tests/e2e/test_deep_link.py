"""A first visitor who opens a page by its address (/describe) still gets the
app's frame (menu, language switch), not the bare page script."""
from __future__ import annotations

import pytest

from .conftest import start_server, wait_idle

pytestmark = pytest.mark.browser


def test_deep_link_on_a_fresh_server_is_framed(browser):
    proc, url = start_server()  # fresh: no session has run app.py yet
    try:
        pg = browser.new_page()
        pg.goto(url + "/describe")
        wait_idle(pg)
        pg.get_by_text("Descriptive statistics").first.wait_for(timeout=30_000)
        assert pg.get_by_text("中文", exact=True).count() == 1  # the language switch of app.py
        nav = pg.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Variables & scales" in nav and "app" not in nav.split()
        pg.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
