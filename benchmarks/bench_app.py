"""App start-up and page rerun times (issue 2 targets: ready to serve < 5 s;
a rerun of any page on the sample survey < 300 ms of server time).

    python benchmarks/bench_app.py

Start-up: wall time from launching `streamlit run app.py` to the first 200 from
/_stcore/health, then to the first complete page in headless chromium (when
installed).  Rerun: median of 10 warm reruns of each page script with
streamlit.testing AppTest (server-side script time, caches warm), English and
Chinese.  Prints a markdown table for docs/performance.md.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def startup() -> tuple[float, float | None]:
    from e2e.conftest import CHROMIUM_FLAGS, chromium_path, start_server

    t0 = time.perf_counter()
    proc, url = start_server()
    ready = time.perf_counter() - t0
    first_page = None
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            pg = b.new_page()
            t1 = time.perf_counter()
            pg.goto(url)
            pg.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
            pg.get_by_text("Sample surveys").wait_for()
            first_page = time.perf_counter() - t1
            b.close()
    except Exception as exc:  # chromium missing: report the server figure only
        print(f"(browser timing skipped: {exc})", file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return ready, first_page


def reruns(n: int = 10) -> list[tuple[str, str, float]]:
    from streamlit.testing.v1 import AppTest

    from pages._ui.nav import PAGES

    rows = []
    for path, _, _ in PAGES:
        if not (ROOT / path).exists():
            continue
        for lang in ("en", "zh"):
            at = AppTest.from_file(str(ROOT / path), default_timeout=300)
            at.session_state["lang"] = lang
            at.run()  # cold: fills the caches
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - t0)
            rows.append((path, lang, statistics.median(times)))
    return rows


def main() -> None:
    ready, first = startup()
    print("| measure | seconds |\n|---|---|")
    print(f"| `streamlit run app.py` → /_stcore/health 200 | {ready:.2f} |")
    if first is not None:
        print(f"| browser: first page fully rendered (sample loaded) | {first:.2f} |")
    print("\n| page | language | median warm rerun (ms) |\n|---|---|---|")
    for path, lang, sec in reruns():
        print(f"| {path} | {lang} | {sec * 1000:.0f} |")


if __name__ == "__main__":
    main()
