"""Screenshots of every page in both languages (for the README and for looking
at what we built): starts `streamlit run`, drives Debian's headless chromium.

    python scripts/screenshots.py [OUTDIR] [--pages describe,differences]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from e2e.conftest import CHROMIUM_FLAGS, chromium_path, start_server, wait_idle  # noqa: E402

from pages._ui.nav import PAGES  # noqa: E402


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(args[0]) if args else ROOT / "test-artifacts" / "screens"
    only = None
    if "--pages" in sys.argv:
        only = sys.argv[sys.argv.index("--pages") + 1].split(",")
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    proc, url = start_server()
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            pg = b.new_page(viewport={"width": 1400, "height": 2400})
            pg.goto(url)
            wait_idle(pg)
            for lang, switch in (("en", "English"), ("zh", "中文")):
                pg.get_by_text(switch, exact=True).click()
                wait_idle(pg)
                present = [p for p, _, _ in PAGES if (ROOT / p).exists()]
                for i, path in enumerate(present):
                    name = Path(path).stem
                    if only and name not in only:
                        continue
                    # click the menu (a URL change would start a new session)
                    pg.locator("[data-testid='stSidebarNav'] a").nth(i).click()
                    wait_idle(pg, 120_000)
                    pg.wait_for_timeout(1500)  # let charts draw
                    pg.screenshot(path=str(out / f"{name}_{lang}.png"), full_page=True)
                    print(out / f"{name}_{lang}.png")
            b.close()
    finally:
        proc.terminate()


if __name__ == "__main__":
    main()
