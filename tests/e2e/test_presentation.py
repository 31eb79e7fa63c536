"""Presentation mode, walked in a real browser as an analyst would before a
meeting: run two analyses, open the report, present, step through the
findings with the buttons and the arrow keys, open the technical detail, exit."""
from __future__ import annotations

import re

import pytest

from pages._ui.nav import PAGES

from .conftest import open_app, shot, wait_idle

pytestmark = pytest.mark.browser
MENU = [p for p, _, _ in PAGES]


def _open(page, script: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a").nth(MENU.index(script)).click()
    wait_idle(page, 120_000)


def _position(page) -> tuple[int, int]:
    text = page.get_by_text(re.compile(r"第 \d+ / \d+ 条发现")).first.inner_text()
    i, n = map(int, re.findall(r"\d+", text))
    return i, n


def test_presentation_mode_walk_in_chinese(page, server):
    page.set_viewport_size({"width": 1024, "height": 768})   # a projector
    open_app(page, server)
    page.get_by_text("中文", exact=True).click()
    wait_idle(page)
    _open(page, "pages/describe.py")       # each page adds its analysis to the session
    _open(page, "pages/differences.py")
    _open(page, "pages/report.py")
    page.get_by_text("演示模式").first.click()
    wait_idle(page, 120_000)
    i, n = _position(page)
    assert i == 1 and n >= 3, (i, n)
    first = page.locator("h1").first.inner_text()
    # the headline and its chart fit the projector's screen, the sidebar is out of the way
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for()
    box = chart.bounding_box()
    assert box["y"] + box["height"] <= 768 and box["x"] + box["width"] <= 1024, box
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    shot(page, "e2e_present_1_zh")
    # a clicker's keys work at once: no click into the page first
    for key, expected in (("PageDown", 2), ("PageUp", 1), ("ArrowRight", 2), ("Space", 3), ("ArrowLeft", 2),
                          ("End", n), ("Home", 1)):
        page.keyboard.press(key)
        wait_idle(page)
        assert _position(page)[0] == expected, key
        if key == "PageDown":
            assert page.locator("h1").first.inner_text() != first   # a new headline
    page.get_by_role("button", name="下一条").click()          # the buttons too
    wait_idle(page)
    assert _position(page)[0] == 2
    page.get_by_text("技术细节").first.click()               # detail is one click away
    wait_idle(page)
    shot(page, "e2e_present_2_zh_detail")
    page.get_by_role("button", name="退出演示").click()
    wait_idle(page)
    assert page.get_by_text("第 2 /").count() == 0
    page.get_by_text("演示模式").first.click()                # re-entering starts at the first finding
    wait_idle(page, 120_000)
    assert _position(page)[0] == 1
    assert page.dialogs == []
