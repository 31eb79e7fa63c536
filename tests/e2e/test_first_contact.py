"""First contact in a real browser (issue 16): a zh-CN browser sees Chinese on
its first load and after a reload, Streamlit's uploader texts included; no
request leaves localhost; a bomb upload
in one session is refused quickly while a second session stays healthy, and
the server's memory stays bounded."""
from __future__ import annotations

import subprocess
import threading
import time
import urllib.request
from urllib.parse import urlparse

import pytest
from hostile_files import shared_string_bomb

from core.data import io as dio
from core.i18n import t

from .conftest import open_app, shot, start_server, wait_idle

pytestmark = pytest.mark.browser

LOCAL = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _outside(urls: list[str]) -> list[str]:
    return [u for u in urls if urlparse(u).scheme not in ("data", "blob", "about")
            and urlparse(u).hostname not in LOCAL]


def test_zh_browser_sees_chinese_first_and_after_reload_and_nothing_leaves_localhost(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = ctx.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    open_app(pg, server)
    pg.get_by_text("示例问卷").first.wait_for(timeout=30_000)      # the data page, in Chinese
    assert "lang=zh" in pg.url
    shot(pg, "e2e_first_contact_zh")
    pg.reload()
    wait_idle(pg)
    pg.get_by_text("示例问卷").first.wait_for(timeout=30_000)
    assert "lang=zh" in pg.url
    # another page, then a reload there: still Chinese
    pg.locator("[data-testid='stSidebarNav'] a").nth(2).click()
    wait_idle(pg)
    pg.reload()
    wait_idle(pg)
    nav = pg.locator("[data-testid='stSidebarNav']").inner_text()
    assert "描述统计" in nav, nav
    pg.wait_for_timeout(1000)   # late requests (favicon, fonts)
    assert requests and not _outside(requests), _outside(requests)
    assert any(u.endswith(".png") or "/media/" in u for u in requests)   # the local page icon
    ctx.close()


_PSEUDO = """(e) => { const s = getComputedStyle(e), a = getComputedStyle(e, '::after');
    const r = e.getBoundingClientRect();
    return {size: s.fontSize, text: e.textContent, after: a.content, width: r.width}; }"""


def _styled(pg, locator, want_after: str, timeout_ms: int = 30_000) -> dict:
    """The element's text, size and ``::after`` content once its ``::after`` reads ``want_after``
    (or the last reading after ``timeout_ms``, for the assertion to show): the page may still be
    drawing (a first run in the browser's language follows the first script run)."""
    found: dict = {}
    for _ in range(max(1, timeout_ms // 250)):
        found = locator.evaluate(_PSEUDO)
        if found["after"] == want_after:
            break
        pg.wait_for_timeout(250)
    return found


def test_zh_uploader_shows_chinese_and_the_limit_it_enforces(browser, server, tmp_path):
    """Streamlit's own uploader texts (button, stated limit, the hint while a file
    is dragged over it) show in Chinese; the English originals take no space;
    the stated limit is the one the widget enforces (its own text) and the app's;
    the error of a file over it is ours."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = ctx.new_page()
    open_app(pg, server)
    pg.get_by_text("示例问卷").first.wait_for(timeout=30_000)      # the data page, in Chinese
    wait_idle(pg)
    up = pg.locator(".st-key-upload [data-testid='stFileUploaderDropzone']")
    button = _styled(pg, up.locator("[data-testid='stBaseButton-secondary'] [data-testid='stMarkdownContainer'] p"),
                     '"上传文件"')
    assert button["after"] == '"上传文件"' and button["size"] == "0px" and button["width"] > 20, button
    want = f'"CSV、Excel、SPSS 或 Stata 数据 · 每个文件不超过 {dio.MAX_UPLOAD_MB} MB"'
    limit = _styled(pg, up.locator("[data-testid='stFileUploaderDropzoneInstructions'] span"), want)
    assert limit["size"] == "0px" and limit["width"] > 100, limit
    assert limit["text"].startswith(f"{dio.MAX_UPLOAD_MB}MB per file"), limit   # what the widget enforces
    assert limit["after"] == want, limit
    recipe = pg.locator(".st-key-recipe_upload [data-testid='stFileUploaderDropzoneInstructions'] span")
    pg.get_by_text("加载已保存的分析方案").click()
    found = _styled(pg, recipe, '"JSON 方案文件 · 每个文件不超过 2 MB"')
    assert found["after"] == '"JSON 方案文件 · 每个文件不超过 2 MB"', found
    assert found["text"].startswith("2MB per file"), found
    # a file dragged over the box: Streamlit's hint, in Chinese
    drag = pg.evaluate_handle("() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.csv')); return d; }")
    up.dispatch_event("dragenter", {"dataTransfer": drag})
    hint = up.locator(".euud7oh2")
    hint.wait_for(timeout=10_000)
    found = _styled(pg, hint, '"将文件拖放到此处"')
    assert found["after"] == '"将文件拖放到此处"' and found["size"] == "0px" and found["width"] > 50, found
    shot(pg, "e2e_uploader_zh")
    up.dispatch_event("dragleave", {"dataTransfer": drag})
    # a file over the stated limit, refused by the widget itself: its error (on the chip and in the
    # tooltip over it) is ours, in Chinese
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * 3_000_000 + b"}")
    pg.locator(".st-key-recipe_upload input[type='file']").set_input_files(str(big))
    chip = pg.locator(".st-key-recipe_upload [data-testid='stFileChip']")
    failed = t("upload.failed", "zh")
    assert _styled(pg, chip.locator("[role='alert']"), f'"{failed}"')["after"] == f'"{failed}"'
    chip.hover()
    tip = pg.locator("[data-testid='stTooltipErrorContent']")
    tip.wait_for(timeout=10_000)
    found = _styled(pg, tip, f'"{failed}"')
    assert found["after"] == f'"{failed}"' and found["size"] == "0px" and "2.0MB" in found["text"], found
    ctx.close()


def _rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MB (Linux /proc)."""
    fields = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def test_a_bomb_upload_is_refused_while_another_session_stays_healthy(browser, tmp_path):
    bomb = tmp_path / "survey.xlsx"
    bomb.write_bytes(shared_string_bomb("A" * 40_000_000, 200))      # 45 KB that would expand to 8 GB
    proc, url = start_server()
    try:
        uploader = browser.new_context(locale="zh-CN").new_page()
        other = browser.new_context(locale="en-US").new_page()
        for pg in (uploader, other):   # one at a time: a cold server on a busy machine
            open_app(pg, url)
        before, _ = _rss_mb(proc.pid)

        health: list[float] = []
        stop = threading.Event()

        def poll():   # the server answers its health check throughout
            while not stop.is_set():
                t0 = time.perf_counter()
                with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as r:
                    assert r.status == 200
                health.append(time.perf_counter() - t0)
                time.sleep(0.2)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        t0 = time.perf_counter()
        uploader.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(bomb))
        # meanwhile the second session works: it opens another page and gets it
        other.locator("[data-testid='stSidebarNav'] a").nth(2).click()
        wait_idle(other)
        other.get_by_text("Descriptive statistics").first.wait_for(timeout=30_000)
        other_seconds = time.perf_counter() - t0
        wait_idle(uploader)
        uploader.get_by_text("无法安全读取").first.wait_for(timeout=30_000)   # translated refusal
        refused_seconds = time.perf_counter() - t0
        stop.set()
        poller.join(timeout=15)
        _, peak = _rss_mb(proc.pid)
        shot(uploader, "e2e_bomb_refused_zh")
        # bounds for a shared 2-core machine under load; alone each takes a few seconds
        assert refused_seconds < 60, refused_seconds
        assert other_seconds < 60, other_seconds
        assert health and max(health) < 10, max(health or [0])
        print(f"refused {refused_seconds:.1f} s, other session {other_seconds:.1f} s, "
              f"health max {max(health):.2f} s, server peak +{peak - before:.0f} MB")
        assert peak - before < 300, (before, peak)
        assert uploader.locator("[data-testid='stException']").count() == 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
