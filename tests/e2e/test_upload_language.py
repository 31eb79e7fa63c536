"""A new user uploads a CSV, sees the preview, switches to Chinese."""
from __future__ import annotations

import pytest

from .conftest import open_app, shot, wait_idle

pytestmark = pytest.mark.browser

CSV = ("编号,性别,Q1,Q2,Q3,marker\n" + "\n".join(
    f"{i},{1 + i % 2},{1 + i % 5},{1 + (i * 3) % 5},{1 + (i * 7) % 5},ZEBRA{i}" for i in range(1, 41)) + "\n")


def test_upload_preview_and_switch_language(page, server, tmp_path):
    path = tmp_path / "my_survey.csv"
    path.write_text(CSV, encoding="utf-8")
    open_app(page, server)
    assert page.get_by_text("Sample surveys").first.is_visible()  # opens with a sample loaded
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(path))
    wait_idle(page)
    page.get_by_text("Preview: my_survey.csv").wait_for(timeout=30_000)
    assert page.get_by_text("40 rows × 6 columns", exact=False).first.is_visible()
    shot(page, "e2e_upload_en")
    page.get_by_text("中文", exact=True).click()
    wait_idle(page)
    page.get_by_text("数据预览：my_survey.csv").wait_for(timeout=30_000)
    shot(page, "e2e_upload_zh")
    assert page.get_by_role("heading", name="变量列表").is_visible()
    # option labels follow the language (the browser keeps a widget's shown text)
    assert "基层公务员工作压力" in page.locator("[data-testid='stSelectbox']").first.evaluate("e => e.innerHTML")
    # the table headers are drawn by the data grid; its accessible header row names them
    grid = page.locator("[data-testid='stDataFrame']").last  # the variable table, below the preview
    grid.scroll_into_view_if_needed()
    # the grid's cells reach the page a moment after the script ends: wait for the header, not a fixed time
    grid.locator("[role='columnheader']", has_text="变量").first.wait_for(state="attached", timeout=30_000)
    assert page.dialogs == []
