"""Memory of one large upload, and whether it comes back after the session ends.

    python benchmarks/upload_memory.py [--mb 38] [--ttl 30]

Starts the app as the launcher does (MALLOC_ARENA_MAX=2) with
``server.disconnectedSessionTTL`` set to ``--ttl`` seconds (Streamlit's
default is 120; a shorter one only shortens the wait), opens it in headless
chromium, uploads a generated CSV survey of about ``--mb`` MB (numbers 1–5,
200 columns; the default 38 MB is 19.9 million cells, the most the CSV budget
in core/data/io.py accepts — a larger file is refused, and the script then
waits for the refusal), waits until the preview shows it, closes the browser context and
waits for the TTL plus the housekeeping interval (pages/_ui/memory.py).
Prints the server's RSS (MB) at the start, with the sample loaded, at its peak,
with the upload read, after the session is closed and after it is dropped, and
the load average (and the RSS every 15 s while it waits).  Needs Debian's
chromium (as the browser tests).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_FLAGS, chromium_path, start_server, wait_idle  # noqa: E402


def rss(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def survey(path: Path, mb: float) -> None:
    cols = 200
    rows = int(mb * 1024 * 1024 / (cols * 2))
    rng = np.random.default_rng(1)
    with path.open("w") as fh:
        fh.write(",".join(f"q{i}" for i in range(cols)) + "\n")
        for start in range(0, rows, 10_000):
            block = rng.integers(1, 6, size=(min(10_000, rows - start), cols))
            fh.write("\n".join(",".join(map(str, r)) for r in block.tolist()) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=38)
    ap.add_argument("--ttl", type=int, default=30)
    ap.add_argument("--system-pool", action="store_true", help="Arrow allocates with malloc (ARROW_DEFAULT_MEMORY_POOL=system)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="pe-upload-"))
    csv = tmp / "big_survey.csv"
    survey(csv, args.mb)
    print(f"upload: {csv.stat().st_size / 1048576:.0f} MB; load average",
          " ".join(open("/proc/loadavg").read().split()[:3]))
    proc, url = start_server({"MALLOC_ARENA_MAX": "2", **({"ARROW_DEFAULT_MEMORY_POOL": "system"} if "--system-pool" in sys.argv else {}), "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(args.ttl)})
    try:
        print(f"server started: {rss(proc.pid)[0]:.0f} MB")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            ctx = browser.new_context(locale="en-US")
            pg = ctx.new_page()
            pg.goto(url)
            wait_idle(pg, timeout=180_000)
            base = rss(proc.pid)[0]
            print(f"sample loaded: {base:.0f} MB")
            t0 = time.perf_counter()
            pg.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(csv))
            preview = pg.get_by_text("Preview: big_survey.csv")
            preview.or_(pg.locator("[data-testid='stAlertContentError']")).first.wait_for(timeout=600_000)
            wait_idle(pg, timeout=600_000)
            now, peak = rss(proc.pid)
            print(f"upload {'read' if preview.count() else 'refused'} in {time.perf_counter() - t0:.0f} s: "
                  f"{now:.0f} MB (peak {peak:.0f} MB)")
            ctx.close()
            browser.close()
        time.sleep(5)
        print(f"session closed: {rss(proc.pid)[0]:.0f} MB")
        for _ in range((args.ttl + 95) // 15):   # the TTL, then up to three housekeeping rounds
            time.sleep(15)
            print(f"  {rss(proc.pid)[0]:.0f} MB", flush=True)
        back = rss(proc.pid)[0]
        print(f"after TTL {args.ttl} s + housekeeping: {back:.0f} MB ({100 * (back - base) / base:+.0f}% of the "
              f"sample-loaded baseline); load average", " ".join(open("/proc/loadavg").read().split()[:3]))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        csv.unlink()


if __name__ == "__main__":
    main()
