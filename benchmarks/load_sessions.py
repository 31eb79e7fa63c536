"""Many users at once: ten browser sessions against one `streamlit run` server.

    python benchmarks/load_sessions.py [--sessions 10] [--rows 400] [--ttl 120]

Each session is its own Playwright browser context (Debian's headless
chromium) and uploads its own generated CSV: the scales are named after the
session (``StressA`` … ``StressJ``), so every value the pages show is unique
to one file.  All sessions run at the same time through the UI: upload →
Differences (battery over the demographics) → Regression (hierarchical, with
the what-if simulator) → Mediation (PROCESS model 4 with the default 5,000
bootstrap resamples).  Checked per session:

* it sees its own data and results only: its file name, its scale names and
  the regression R² and indirect effect that core computes from its file —
  and no other session's file or scale names;
* no error: no exception box, no error alert;

and for the server process (RSS from /proc/<pid>/status): the baseline after
a warm-up session has come and gone, the peak under load, and the RSS after
all sessions closed, Streamlit's disconnected-session TTL
(``server.disconnectedSessionTTL``, default 120 s) has passed and the app's
housekeeping thread (pages/_ui/memory.py) has run — it must be back within
10% of the baseline.  Prints a markdown table for
docs/performance.md; exits 1 when a check fails.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from e2e.conftest import CHROMIUM_FLAGS, chromium_path, start_server  # noqa: E402

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def rss_mb(pid: int) -> float:
    """Resident set size of the server process and its children, in MB."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


# ---- one file per session ------------------------------------------------------------------
def make_csv(i: int, rows: int, folder: Path) -> tuple[Path, str]:
    """Session i's survey: three Likert scales (StressX, PressureX, BurnoutX
    with X the session's letter) in a mediation chain whose strength grows
    with i, a gender and a unit column."""
    tag = LETTERS[i]
    rng = np.random.default_rng(1000 + i)
    x = rng.normal(size=rows)
    m = (0.25 + 0.06 * i) * x + rng.normal(size=rows)
    y = (0.35 + 0.03 * i) * m + 0.15 * x + rng.normal(size=rows)
    gender = rng.integers(1, 3, rows)

    def items(latent, k):
        return [np.clip(np.round(3 + 0.9 * latent + rng.normal(scale=0.7, size=rows)), 1, 5).astype(int)
                for _ in range(k)]
    cols = {"gender": gender, "unit": [f"Unit{tag}{1 + r % 3}" for r in range(rows)]}
    for name, latent, k in ((f"Stress{tag}", x, 4), (f"Pressure{tag}", m, 4), (f"Burnout{tag}", y + 0.3 * gender, 4)):
        for j, v in enumerate(items(latent, k), 1):
            cols[f"{name}_{j}"] = v
    path = folder / f"load_{tag}.csv"
    pd.DataFrame(cols).to_csv(path, index=False)
    return path, tag


def expected(path: Path, tag: str) -> dict:
    """What the app must show for this file: computed by core from the same
    bytes, with the recipe the data page proposes and the pages' defaults."""
    from core import registry
    from core.data import io, setup
    from core.data.prepare import build_dataset

    raw = io.read_bytes(path.read_bytes(), path.name)
    rec = setup.proposed_recipe(raw)
    prop = {"demographics": rec["roles"]["demographics"]}
    ds = build_dataset(raw, rec, "en")
    x, m, y = f"Stress{tag}", f"Pressure{tag}", f"Burnout{tag}"
    assert list(ds.scales) == [x, m, y], list(ds.scales)
    demo = prop["demographics"]
    reg = registry.run("regression", ds, {"outcome": y, "blocks": [demo, [x, m]] if demo else [[x, m]]})
    r2 = float(reg.tables["steps"]["r2"].iloc[-1])
    proc = registry.run("process", ds, {"model": 4, "x": x, "m": [m], "y": y, "n_boot": 0})
    eff = proc.tables["effects"]
    ab = float(eff.loc[eff["kind"] == "indirect", "effect"].iloc[0])
    return {"tag": tag, "name": path.name, "scales": [x, m, y], "r2": r2, "ab": ab}


def _two(v: float) -> str:
    """0.2034 → '.20' (APA style, as the reading paragraphs print R²)."""
    s = f"{v:.2f}"
    return s[1:] if s.startswith("0.") else s


# ---- one user ---------------------------------------------------------------------------------
async def wait_idle(page, timeout=600_000):
    await page.wait_for_selector(IDLE, timeout=timeout)
    await page.wait_for_timeout(400)
    await page.wait_for_selector(IDLE, timeout=timeout)


def done_text(slug: str) -> str:
    """Text a page shows once its analysis has run (English UI)."""
    from core.i18n import t

    return {"differences": t("difference.page.reading", "en"),
            "regression": t("regression.page.interpretation", "en"),
            "process": "bootstrap resamples with seed"}[slug]


async def go(page, slug: str):
    """Open a page from the menu and wait until its analysis is on screen
    (the script state alone can still say "not running" just after the click)."""
    await page.locator(f"[data-testid='stSidebarNav'] a[href$='/{slug}']").click()
    await page.wait_for_url(re.compile(rf"/{slug}(\?.*)?$"), timeout=600_000)   # the URL keeps ?lang=…&s=…
    await page.get_by_text(done_text(slug)).first.wait_for(timeout=600_000)
    await wait_idle(page)


async def session(browser, url: str, path: Path, exp: dict, others: list[dict], log: dict) -> None:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = await ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    problems: list[str] = []
    times: dict[str, float] = {}
    texts: dict[str, str] = {}
    try:
        t0 = time.perf_counter()
        await page.goto(url)
        await wait_idle(page)
        await page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(path))
        await wait_idle(page)
        await page.get_by_text(f"Preview: {exp['name']}").wait_for(timeout=120_000)
        times["upload"] = time.perf_counter() - t0
        texts["data"] = await page.inner_text("body")
        for slug in ("differences", "regression", "process"):
            t1 = time.perf_counter()
            await go(page, slug)
            times[slug] = time.perf_counter() - t1
            texts[slug] = await page.inner_text("body")
            for sel, what in (("[data-testid='stException']", "exception"),
                              ("[data-testid='stAlertContentError']", "error alert")):
                n = await page.locator(sel).count()
                if n:
                    problems.append(f"{slug}: {n} {what}(s): {(await page.locator(sel).first.inner_text())[:200]}")
        log["page"] = (ctx, page)
    except Exception as exc:   # a timeout or a crash is a failed session, reported, not a dead script
        problems.append(f"{type(exc).__name__}: {str(exc)[:300]}")
        log["page"] = (ctx, page)
    # checks: own data and results, nobody else's
    own = [exp["name"], *exp["scales"]]
    for slug, text in texts.items():
        for token in own if slug != "data" else own[:1]:
            if token not in text:
                problems.append(f"{slug}: own value {token!r} not shown")
        for o in others:
            for token in (o["name"], *o["scales"]):
                if token in text:
                    problems.append(f"{slug}: shows {token!r} of another session")
    if "regression" in texts and f"R² = {_two(exp['r2'])}" not in texts["regression"]:
        problems.append(f"regression: R² = {_two(exp['r2'])} not shown")
    if "process" in texts and f"indirect effect {exp['ab']:.2f}" not in texts["process"]:
        problems.append(f"process: indirect effect {exp['ab']:.2f} not shown")
    if dialogs:
        problems.append(f"dialogs: {dialogs}")
    log.update(times=times, problems=problems)


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, False

    def run(self):
        while not self.stop:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.25)


async def settle(pid: int, ttl: int) -> float:
    """RSS once the server has let go of closed sessions: Streamlit keeps them
    for the TTL, then the app's housekeeping thread (pages/_ui/memory.py,
    every 30 s) drops them, collects and trims."""
    from pages._ui.memory import INTERVAL

    await asyncio.sleep(ttl + 2 * INTERVAL + 5)
    return rss_mb(pid)


async def main_async(args) -> int:
    from playwright.async_api import async_playwright

    folder = Path(tempfile.mkdtemp(prefix="pe_load_"))
    files = [make_csv(i, args.rows, folder) for i in range(args.sessions + 1)]
    exps = [expected(p, tag) for p, tag in files]
    warm, warm_exp = files[-1], exps[-1]
    # the server as scripts/run_app.sh starts it (two malloc arenas)
    proc, url = start_server({"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(args.ttl), "MALLOC_ARENA_MAX": "2"})
    pid = proc.pid
    rows = []
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            start_rss = rss_mb(pid)
            # warm-up: one user walks the same path (imports, sample caches), then leaves
            log: dict = {}
            await session(browser, url, warm[0], warm_exp, [], log)
            await log["page"][0].close()
            if log["problems"]:
                print("warm-up problems:", log["problems"], file=sys.stderr)
            baseline = await settle(pid, args.ttl)
            # the load
            sampler = Sampler(pid)
            sampler.start()
            logs = [dict() for _ in range(args.sessions)]
            t0 = time.perf_counter()
            await asyncio.gather(*(
                session(browser, url, files[i][0], exps[i], [e for j, e in enumerate(exps[:-1]) if j != i], logs[i])
                for i in range(args.sessions)))
            wall = time.perf_counter() - t0
            under_load = rss_mb(pid)
            for lg in logs:
                await lg["page"][0].close()
            closed = rss_mb(pid)
            sampler.stop = True
            after = await settle(pid, args.ttl)
            await browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except Exception:
            proc.kill()
        out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    failed = [(i, lg["problems"]) for i, lg in enumerate(logs) if lg.get("problems")]
    for step in ("upload", "differences", "regression", "process"):
        ts = [lg["times"][step] for lg in logs if step in lg.get("times", {})]
        if ts:
            rows.append((step, len(ts), statistics.median(ts), max(ts)))
    print(f"\n{args.sessions} sessions at once, {args.rows} rows each, 5,000-resample mediation; "
          f"wall {wall:.0f} s\n")
    print("| step (per session) | sessions done | median s | slowest s |")
    print("|---|---|---|---|")
    for step, n, med, mx in rows:
        print(f"| {step} | {n} | {med:.1f} | {mx:.1f} |")
    ok_mem = after <= baseline * 1.10
    print("\n| server RSS | MB |")
    print("|---|---|")
    print(f"| at start | {start_rss:.0f} |")
    print(f"| baseline (warm-up session gone) | {baseline:.0f} |")
    print(f"| peak under load | {sampler.peak:.0f} |")
    print(f"| all sessions done, still open | {under_load:.0f} |")
    print(f"| just closed | {closed:.0f} |")
    print(f"| {args.ttl} s (disconnected-session TTL) + housekeeping later | {after:.0f} "
          f"({100 * (after / baseline - 1):+.1f}% vs baseline) |")
    print(f"\nsessions with problems: {len(failed)} of {args.sessions}")
    for i, probs in failed:
        print(f"  session {LETTERS[i]}: " + "; ".join(probs))
    if "Traceback" in out:
        print("server log has a traceback:\n" + out[-3000:])
    print("memory back within 10%:", "yes" if ok_mem else "NO")
    return 0 if not failed and ok_mem and "Traceback" not in out else 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--rows", type=int, default=400)
    ap.add_argument("--ttl", type=int, default=120, help="server.disconnectedSessionTTL in seconds")
    sys.exit(asyncio.run(main_async(ap.parse_args())))


if __name__ == "__main__":
    main()
