"""A Chinese user in a real browser (issue 13): upload a 问卷星 text export,
confirm the proposed preparation, reorder a demographic's levels, run
differences and a regression, reload the page — and find everything still
there (data, codes, scales, level order, analyses, language)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from core.i18n import t

from .conftest import open_app, shot, wait_idle
from .test_journey import LONG, key_of, no_errors

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import platforms  # noqa: E402

pytestmark = pytest.mark.browser


def open_page(pg, slug: str) -> None:
    pg.locator(f"[data-testid='stSidebarNav'] a[href$='/{slug}']").click()
    pg.wait_for_url(re.compile(rf"/{slug}(\?.*)?$"), timeout=LONG)
    wait_idle(pg, LONG)
    no_errors(pg, slug)


def pick(pg, key: str, text: str) -> None:
    box = key_of(pg, key)
    box.scroll_into_view_if_needed()
    box.click()
    pg.get_by_role("option", name=text, exact=True).first.click()
    wait_idle(pg, LONG)


EDUCATION = ("高中/中专及以下", "大专", "本科", "硕士", "博士")


def shown_levels(pg, timeout_ms: int = 30_000) -> list[str]:
    """The education levels in the order the level editor lists them. The editor is
    drawn anew (new key) after an edit is applied, and its cells reach the page a
    moment after the script ends — so the grid is looked up again (and scrolled
    into view) until it lists every level (an empty or partial read is a grid
    still drawing, not an order)."""
    got: list[str] = []
    for _ in range(max(1, timeout_ms // 250)):
        try:   # between two drawings there may be no editor for a moment
            editor = key_of(pg, r"st-key-levels_editor_Q3")
            editor.scroll_into_view_if_needed(timeout=2_000)   # the grid draws the cells it shows
            cells = editor.locator("[role='gridcell']").all_inner_texts()
        except (AssertionError, PlaywrightError):
            cells = []
        got = list(dict.fromkeys(c for c in cells if c in EDUCATION))
        if len(got) == len(EDUCATION):
            return got
        pg.wait_for_timeout(250)
    return got


def settled_box(pg, locator, wait_ms: int) -> dict:
    """The element's box once the page around it has stopped moving (the same box
    twice ``wait_ms`` apart): tables above it still drawing push it down, and a
    click by position would land on the next row."""
    box = locator.bounding_box()
    for _ in range(20):
        pg.wait_for_timeout(wait_ms)
        again = locator.bounding_box()
        if again == box:
            return box
        box = again
    return box


def test_wjx_upload_levels_analyses_and_reload_in_chinese(page, server, tmp_path):
    ex = platforms.exports()["wjx_text_xlsx"]
    path = tmp_path / ex.name
    path.write_bytes(ex.content)
    open_app(page, server)
    page.get_by_text("中文", exact=True).click()
    wait_idle(page)

    # upload → the proposal to confirm
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(path))
    wait_idle(page, LONG)
    page.get_by_text(t("prep.proposal.title", "zh")).first.wait_for(timeout=LONG)
    page.get_by_text(t("prep.proposal.platform.wjx", "zh")).first.wait_for()
    assert page.get_by_text(t("prep.proposal.scales", "zh", count="4", names="Q6, Q7, Q8, Q9")).first.is_visible()
    shot(page, "platform_zh_01_proposal")
    page.get_by_role("button", name=t("prep.proposal.confirm", "zh")).click()
    wait_idle(page, LONG)
    assert "s=" in page.url
    no_errors(page, "data")

    # the levels of 学历 (Q3): 高中/中专及以下 moved last
    open_page(page, "variables")
    pick(page, r"st-key-levels_pick", "Q3 — 您的学历")
    want = ["大专", "本科", "硕士", "博士", "高中/中专及以下"]
    # the grid is edited by mouse position (a canvas): under load a keystroke can land before the cell
    # editor opens, so the edit is tried again while the grid still shows the original order (it is the
    # same edit each time; any other order is a wrong edit and fails at once)
    for attempt in range(4):
        now = shown_levels(page)
        if now == want:
            break
        assert now == list(EDUCATION), f"unexpected level order {now}"
        grid = key_of(page, r"st-key-levels_editor_Q3").locator("[data-testid='stDataFrame']").first
        grid.scroll_into_view_if_needed()
        box = settled_box(page, grid, 500 + 500 * attempt)
        row_h = 35
        page.mouse.dblclick(box["x"] + 40, box["y"] + row_h * 1.5)    # first data row, "位置"
        page.wait_for_timeout(500 + 500 * attempt)
        page.keyboard.press("Control+A")
        page.keyboard.type("9")
        page.keyboard.press("Enter")
        page.wait_for_timeout(500 + 500 * attempt)
        page.get_by_role("button", name=t("prep.levels.apply", "zh")).click()
        wait_idle(page, LONG)
        page.get_by_text(t("prep.levels.applied", "zh")).first.wait_for(timeout=LONG)
    shot(page, "platform_zh_02_levels")
    assert shown_levels(page) == want

    # differences and a regression run on the prepared data
    open_page(page, "differences")
    # the new order drives the tables: 大专 is now the first level
    page.locator("[role='columnheader']", has_text="1. 大专").first.wait_for(state="attached", timeout=LONG)
    shot(page, "platform_zh_03_differences")
    open_page(page, "regression")
    shot(page, "platform_zh_04_regression")

    # reload: the same URL (its ?s= token) brings it all back
    url = page.url
    page.reload()
    wait_idle(page, LONG)
    assert page.url == url
    no_errors(page, "reload")
    assert page.get_by_text(t("reload.kept", "zh", minutes="2")).first.is_visible()
    badge = page.locator("[data-testid='stSidebar']").get_by_text(ex.name, exact=False).first
    assert badge.is_visible() and "120" in badge.inner_text()    # the uploaded data, not the sample
    open_page(page, "variables")
    pick(page, r"st-key-levels_pick", "Q3 — 您的学历")
    shot(page, "platform_zh_05_after_reload")
    key_of(page, r"st-key-levels_editor_Q3").scroll_into_view_if_needed()
    assert shown_levels(page) == ["大专", "本科", "硕士", "博士", "高中/中专及以下"]
    assert page.get_by_role("heading", name=t("prep.recode.title", "zh")).is_visible()
    assert page.dialogs == []
