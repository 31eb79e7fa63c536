"""Privacy and safety against a real `streamlit run` server (issue 8).

One user session on a server of its own (so its log is ours to read):

1. uploads an SPSS file whose value labels and variable labels hold
   HTML/JS/Markdown (``<script>alert(2)</script>``, a ``javascript:`` link,
   ``<img … onerror=…>``) and visits every page;
2. uploads a CSV with a column named ``<img src=x onerror=alert(1)>``, a
   ``<script>`` value and a unique marker, visits every page, adds the
   default report items and opens the exported HTML report in the browser;

and asserts that no dialog ever fired and no element was injected (the
hostile text is shown as text), and that nothing uploaded was written by the
app to disk or to its log: after the session, every file the app process
could have written since it started — the repo, the working directory,
/tmp, /var/tmp, /dev/shm, ~/.streamlit — is searched for the marker, and so
is the server's output.  (The browser's own profile and download folders are
the browser's, not the app's, and are left out.)
"""
from __future__ import annotations

import os
import re
import subprocess
import time
import uuid
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from core.i18n import t
from pages._ui.nav import PAGES

from .conftest import ROOT, open_app, shot, start_server, wait_idle

pytestmark = pytest.mark.browser

EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_LABEL = "<script>alert(2)</script>"
INJECTED = """() => ({
    img: document.querySelectorAll("img[src='x'], img[onerror]").length,
    script: Array.from(document.scripts).filter(s => s.text.includes('alert(')).length,
    links: Array.from(document.querySelectorAll('a[href]')).filter(a => a.href.startsWith('javascript:')).length,
    bold: Array.from(document.querySelectorAll('b')).filter(b => b.textContent === 'team').length,
})"""


def _sav(path: Path) -> Path:
    n = 60
    df = pd.DataFrame({
        "gender": [1.0 + i % 2 for i in range(n)],
        **{f"Q{j}": [float(1 + (i * j + i // 3) % 5) for i in range(n)] for j in range(1, 5)},
        **{f"W{j}": [float(1 + (i * (j + 1) + i // 2) % 5) for i in range(n)] for j in range(1, 5)},
    })
    labels = {"gender": {1.0: EVIL_LABEL, 2.0: "**bold** [x](javascript:alert(3))"}}
    column_labels = ["<b onmouseover=alert(6)>gender</b>", "<img src=x onerror=alert(4)>", "$x$ `q2`", "q3", "q4",
                     "w1", "w2", "w3", "w4"]
    pyreadstat.write_sav(df, str(path), variable_value_labels=labels, column_labels=column_labels)
    return path


def _csv(marker: str) -> bytes:
    rows = [f"{EVIL_NAME},<b>team</b>,A1,A2,A3,B1,B2,B3,{marker}_col"]
    for i in range(60):
        team = EVIL_LABEL if i % 3 == 0 else "=HYPERLINK(\"http://x\")" if i % 3 == 1 else "[x](javascript:alert(7))"
        team = team.replace('"', '""')
        rows.append(f"{1 + i % 2},\"{team}\",{1 + i % 5},{1 + (i * 2) % 5},{1 + (i * 3) % 5},"
                    f"{1 + (i + 1) % 5},{1 + (i * 2 + 1) % 5},{1 + (i // 2) % 5},{marker}_{i % 4}")
    return ("\n".join(rows) + "\n").encode("utf-8")


def _visit_every_page(pg, tag: str) -> None:
    present = [p for p, _, _ in PAGES if (ROOT / p).exists()]
    for path in present:
        slug = Path(path).stem
        link = pg.locator(f"[data-testid='stSidebarNav'] a[href$='/{slug}']")
        if slug == "data":
            link = pg.locator("[data-testid='stSidebarNav'] a").first
        link.click()
        if slug != "data":
            pg.wait_for_url(re.compile(rf"/{slug}(\?.*)?$"), timeout=120_000)   # ?s=: the reload token
        pg.wait_for_timeout(500)
        wait_idle(pg, 180_000)
        pg.wait_for_timeout(1200)                      # charts and grids draw after the script
        found = pg.evaluate(INJECTED)
        assert found == {"img": 0, "script": 0, "links": 0, "bold": 0}, (tag, slug, found)
        assert pg.locator("[data-testid='stException']").count() == 0, (tag, slug)
        assert pg.dialogs == [], (tag, slug, pg.dialogs)
        shot(pg, f"privacy_{tag}_{slug}")


def _written_since(start: float, marker: bytes) -> list[str]:
    roots = [ROOT, Path.cwd(), Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), Path.home() / ".streamlit"]
    hits, seen = [], set()
    for root in roots:
        if not root.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            # the browser's own profile, cache and downloads are not the app's
            dirnames[:] = [d for d in dirnames if "playwright" not in d and "chrom" not in d.lower()
                           and d not in (".git", "node_modules")]
            for f in filenames:
                p = Path(dirpath) / f
                try:
                    st = p.lstat()
                    if not p.is_file() or p.is_symlink() or st.st_mtime < start or p in seen:
                        continue
                    seen.add(p)
                    if st.st_size > 200_000_000:
                        continue
                    if marker in p.read_bytes():
                        hits.append(str(p))
                except OSError:
                    continue
    return hits


def test_hostile_text_stays_text_and_uploads_never_reach_the_disk(browser, tmp_path):
    marker = f"PEMARK{uuid.uuid4().hex}"
    sav = _sav(tmp_path / "hostile.sav")          # written by the test, before the server starts
    start = time.time()
    proc, url = start_server()
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US", accept_downloads=True)
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    try:
        open_app(pg, url)
        upload = pg.locator("[data-testid='stFileUploader'] input[type='file']").first
        # 1 · value and variable labels with HTML/JS/Markdown
        upload.set_input_files(str(sav))
        wait_idle(pg)
        pg.get_by_text(t("data.preview", "en", name="hostile.sav")).wait_for(timeout=60_000)
        _visit_every_page(pg, "labels")
        # 2 · a column named <img …>, <script> values, the privacy marker (from memory, not from a file)
        pg.locator("[data-testid='stSidebarNav'] a").first.click()
        wait_idle(pg)
        upload = pg.locator("[data-testid='stFileUploader'] input[type='file']").first
        upload.set_input_files({"name": "private.csv", "mimeType": "text/csv", "buffer": _csv(marker)})
        wait_idle(pg)
        pg.get_by_text(t("data.preview", "en", name="private.csv")).wait_for(timeout=60_000)
        _visit_every_page(pg, "names")
        # the hostile name is shown, as text
        pg.locator("[data-testid='stSidebarNav'] a[href$='/describe']").click()
        wait_idle(pg, 120_000)
        assert pg.get_by_text(EVIL_NAME, exact=False).count() > 0
        # the report: default items, then the exported HTML opened in the browser
        pg.locator("[data-testid='stSidebarNav'] a[href$='/report']").click()
        wait_idle(pg, 120_000)
        add_all = pg.locator(".st-key-report_add_all button")
        if add_all.count():
            add_all.click()
            wait_idle(pg, 180_000)
        with pg.expect_download(timeout=180_000) as dl:
            pg.locator(".st-key-dl_report_html button").click()
        html = Path(dl.value.path()).read_text(encoding="utf-8")
        dl.value.delete()
        assert EVIL_NAME not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
        view = ctx.new_page()
        view.dialogs = []
        view.on("dialog", lambda d: (view.dialogs.append(d.message), d.dismiss()))
        view.set_content(html, wait_until="load")
        view.wait_for_timeout(1000)
        assert view.dialogs == [] and view.evaluate(INJECTED)["img"] == 0
        shot(view, "privacy_html_report")
        assert pg.dialogs == []
    finally:
        ctx.close()
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    log = proc.stdout.read() if proc.stdout else b""
    assert marker.encode() not in log, "the server log holds uploaded data"
    assert _written_since(start, marker.encode()) == []
    # the search itself finds what it looks for (a planted file with another marker)
    canary = f"PECANARY{uuid.uuid4().hex}".encode()
    planted = Path("/tmp") / f"pe_canary_{uuid.uuid4().hex}.bin"
    planted.write_bytes(b"x" * 100 + canary)
    try:
        assert _written_since(start, canary) == [str(planted)]
    finally:
        planted.unlink()
