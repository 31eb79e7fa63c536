"""Server time of the regression and measurement pages (issue 2's target: a
warm rerun under 300 ms; issue 4's: a what-if slider move under 150 ms).

    python benchmarks/bench_analysis_pages.py [--runs 15]

Each page runs in streamlit.testing AppTest with warm caches (one cold run
first), in English and Chinese, on both sample surveys.  Timed inside the
script thread (``ScriptRunner._run_script``: compiling the page, running it,
sending its elements): wall time, and the thread's CPU time, which a busy
machine does not inflate.  The simulator's time is the ``whatif`` fragment
function itself per slider move (what a fragment-only rerun runs).  Medians;
prints markdown tables for docs/performance.md.
"""
from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("pages/regression.py", "pages/measurement.py")


class Clock:
    """Wall and CPU time of every script run and every fragment call in this process."""

    def __init__(self):
        self.runs: list[tuple[float, float]] = []
        self.fragments: list[tuple[float, float]] = []

    def __enter__(self):
        import streamlit as st
        from streamlit.runtime.scriptrunner import script_runner as sr

        self._sr, self._orig_run, self._st, self._orig_fragment = sr, sr.ScriptRunner._run_script, st, st.fragment
        clock = self

        def run_script(runner, *a, **k):
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                return clock._orig_run(runner, *a, **k)
            finally:
                clock.runs.append((time.perf_counter() - t0, time.thread_time() - c0))

        def fragment(func=None, **kw):
            if func is None:
                return lambda f: fragment(f, **kw)

            @functools.wraps(func)
            def timed(*a, **k):
                t0, c0 = time.perf_counter(), time.thread_time()
                try:
                    return func(*a, **k)
                finally:
                    clock.fragments.append((time.perf_counter() - t0, time.thread_time() - c0))
            return clock._orig_fragment(timed, **kw)

        sr.ScriptRunner._run_script = run_script
        st.fragment = fragment
        return self

    def __exit__(self, *exc):
        self._sr.ScriptRunner._run_script = self._orig_run
        self._st.fragment = self._orig_fragment


def _app(path: str, lang: str, sample: str | None):
    from streamlit.testing.v1 import AppTest

    from core.data import samples

    at = AppTest.from_file(str(ROOT / path), default_timeout=300)
    at.session_state["lang"] = lang
    if sample:
        raw, recipe, _ = samples.load(sample)
        at.session_state["raw"], at.session_state["recipe"] = raw, recipe
    at.run()   # cold: fills the caches
    assert not at.exception, at.exception
    return at


def warm_reruns(at, clock: Clock, runs: int) -> tuple[float, float, float]:
    """Medians of ``runs`` reruns of a warm AppTest: (AppTest wall, script
    thread wall, script thread CPU), in seconds."""
    clock.runs.clear()
    wall = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        wall.append(time.perf_counter() - t0)
    assert not at.exception, at.exception
    return (statistics.median(wall), statistics.median(w for w, _ in clock.runs),
            statistics.median(c for _, c in clock.runs))


def reruns(runs: int) -> list[tuple]:
    out = []
    for path in PAGES:
        for sample in (None, "role_pressure"):
            for lang in ("en", "zh"):
                with Clock() as clock:
                    times = warm_reruns(_app(path, lang, sample), clock, runs)
                out.append((path, sample or "civil_servants", lang, *times))
    return out


def slider_moves(moves: int) -> list[tuple]:
    out = []
    for lang in ("en", "zh"):
        with Clock() as clock:
            at = _app("pages/regression.py", lang, None)
            slider = next(s for s in at.slider if s.key.endswith(".CD"))
            lo, hi = slider.min, slider.max
            clock.fragments.clear()
            for i in range(moves):
                slider.set_value(lo + (hi - lo) * (i + 1) / (moves + 2))
                at.run()
            assert not at.exception, at.exception
        out.append((lang, statistics.median(w for w, _ in clock.fragments), max(w for w, _ in clock.fragments),
                    statistics.median(c for _, c in clock.fragments)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    os.chdir(ROOT)
    print(f"load average before: {os.getloadavg()[0]:.1f}\n")
    print("| page | sample | language | AppTest rerun, median (ms) | script thread wall (ms) | "
          "script thread CPU (ms) |")
    print("|---|---|---|---:|---:|---:|")
    for path, sample, lang, wall, swall, cpu in reruns(args.runs):
        print(f"| {path} | {sample} | {lang} | {wall * 1000:.0f} | {swall * 1000:.0f} | {cpu * 1000:.0f} |",
              flush=True)
    print("\n| what-if slider move (`whatif` fragment) | median wall (ms) | max wall (ms) | median CPU (ms) |")
    print("|---|---:|---:|---:|")
    for lang, med, mx, cpu in slider_moves(args.runs):
        print(f"| civil_servants, {lang} | {med * 1000:.1f} | {mx * 1000:.1f} | {cpu * 1000:.1f} |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
