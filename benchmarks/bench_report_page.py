"""Server time of a Report page rerun in a realistic session (issue 14's
target: ≤ 300 ms with a dozen analyses and a full report).

    python benchmarks/bench_report_page.py [--runs 10]

The session: the role-pressure sample survey analysed as a thesis chapter
(tests/report_sessions.py: describe, reliability, correlations, differences by
every demographic, regression, PROCESS models 4, 1 and 14) plus EFA, CFA, a
cross-tabulation and data screening — twelve analyses — with the thesis
chapter pinned (every item of the default report).  The page runs in
streamlit.testing AppTest, warm (one cold run first), in English and Chinese;
timed inside the script thread as benchmarks/bench_analysis_pages.py does
(wall and the thread's CPU time, which a busy machine does not inflate).
Medians; prints a markdown table for docs/performance.md.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_analysis_pages import Clock, warm_reruns  # noqa: E402


def recipe_and_raw():
    from core.data import samples
    from tests.report_sessions import analyses

    raw, recipe, _ = samples.load("role_pressure")
    recipe["analyses"] = analyses("role_pressure", recipe) + [
        {"id": "efa", "type": "efa", "items": [i for s in recipe["scales"] if s["name"] in ("RA", "RCF", "RO")
                                               for i in s["items"]]},
        {"id": "cfa", "type": "cfa"},
        {"id": "crosstab", "type": "crosstab", "rows": ["gender"], "cols": ["rank"]},
        {"id": "screening", "type": "screening"}]
    return raw, recipe


@contextlib.contextmanager
def compiled_once():
    """AppTest compiles the page script again on every run (a new ScriptCache
    each time); the server compiles it once (the Runtime's ScriptCache) — so
    one cache for the runs here, and the compile (30–100 ms of AST rewriting
    for this page) is not counted as rerun time."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import local_script_runner

    shared = ScriptCache()
    local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        local_script_runner.ScriptCache = ScriptCache


def rerun_times(lang: str, runs: int) -> tuple[float, float, float, int]:
    from streamlit.testing.v1 import AppTest

    from core import report as reports
    from core.data.prepare import build_dataset
    from core import recipe as recipes

    raw, recipe = recipe_and_raw()
    ds = build_dataset(raw, recipe, lang)
    recipe["report"] = reports.default_items(recipe, ds, recipes.run_all(recipe, ds), lang)
    with Clock() as clock, compiled_once():
        at = AppTest.from_file(str(ROOT / "pages" / "report.py"), default_timeout=600)
        at.session_state["lang"] = lang
        at.session_state["raw"], at.session_state["recipe"] = raw, recipe
        at.run()   # cold: fills the caches
        assert not at.exception, at.exception
        return (*warm_reruns(at, clock, runs), len(recipe["report"]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    runs = ap.parse_args().runs
    os.chdir(ROOT)
    rows = [f"load average before: {os.getloadavg()[0]:.1f}", "",
            "| Report page, 12 analyses | items | AppTest rerun, median (ms) | script thread wall (ms) | "
            "script thread CPU (ms) |", "|---|---:|---:|---:|---:|"]
    for lang in ("en", "zh"):
        wall, swall, cpu, n = rerun_times(lang, runs)
        rows.append(f"| role_pressure, {lang} | {n} | {wall * 1000:.0f} | {swall * 1000:.0f} | {cpu * 1000:.0f} |")
    rows += ["", f"load average after: {os.getloadavg()[0]:.1f}"]
    print("\n".join(rows))


if __name__ == "__main__":
    main()
