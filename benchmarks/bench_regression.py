"""Regression speed: OLS with 10 predictors on 1,000,000 rows with every
statistic the analysis reports (b, SE, t, p, CI, β, VIF, tolerance, R², F,
Durbin–Watson; classical and HC3), beside statsmodels OLS + summary in the
same run; and the what-if simulator's work per slider move.

    python benchmarks/bench_regression.py [--rows 1000000]

Prints a markdown table (used in docs/performance.md, section "Regression").
Peak memory is the largest allocation tracked by tracemalloc during the call
(NumPy reports its buffers to tracemalloc), on top of the data already held.
"""
from __future__ import annotations

import argparse
import json
import gc
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import registry  # noqa: E402
from core.analyses.regression import whatif as reg  # noqa: E402
from core.analyses.regression import charts as rch  # noqa: E402
from core.data.model import Dataset  # noqa: E402


def make_data(n: int, k: int = 10, seed: int = 1) -> Dataset:
    rng = np.random.default_rng(seed)
    cov = 0.3 + 0.7 * np.eye(k)
    X = rng.multivariate_normal(np.zeros(k), cov, size=n) + 3.0
    beta = np.linspace(0.05, 0.5, k)
    y = 1.0 + X @ beta + rng.standard_normal(n) * (1.0 + 0.3 * np.abs(X[:, 0] - 3))
    frame = pd.DataFrame(X, columns=[f"x{i + 1}" for i in range(k)])
    frame["y"] = y
    frame.index = pd.RangeIndex(1, n + 1, name="row")
    return Dataset(frame=frame, meta={})


def timed(fn, repeat: int = 3):
    """(first-call time, best of ``repeat`` further runs, peak traced memory
    in MB of one run).  The first call pays for fresh memory pages."""
    gc.collect()
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    del out
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return first, min(times), peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.rows
    ds = make_data(n)
    xs = [f"x{i + 1}" for i in range(10)]
    rows = []

    def ours(robust, blocks):
        return lambda: registry.run("regression", ds, {"outcome": "y", "blocks": blocks, "robust": robust})

    for label, robust, blocks in (
            ("Pressure Explorer regression, 1 block, classical SEs", None, [xs]),
            ("Pressure Explorer regression, 1 block, HC3", "HC3", [xs]),
            ("Pressure Explorer regression, 2 blocks (5 + 5), HC3", "HC3", [xs[:5], xs[5:]])):
        rows.append((label, *timed(ours(robust, blocks))))

    import statsmodels.api as sm
    from statsmodels.stats.outliers_influence import variance_inflation_factor  # noqa: F401
    from statsmodels.stats.stattools import durbin_watson

    y = ds.frame["y"].to_numpy()
    X = sm.add_constant(ds.frame[xs].to_numpy())

    def sm_fit_summary():
        res = sm.OLS(y, X).fit()
        res.summary()
        return res

    def sm_hc3_dw():
        res = sm.OLS(y, X).fit(cov_type="HC3", use_t=True)
        res.summary()
        durbin_watson(res.resid)
        return res

    rows.append(("statsmodels OLS fit + summary() (classical; no VIF/β)", *timed(sm_fit_summary)))
    rows.append(("statsmodels OLS fit(cov_type='HC3', use_t) + summary() + durbin_watson", *timed(sm_hc3_dw)))

    def numpy_normal_equations():
        xtx = X.T @ X
        b = np.linalg.solve(xtx, X.T @ y)
        e = y - X @ b
        return b, e @ e

    rows.append(("plain NumPy normal equations (b and SSE only)", *timed(numpy_normal_equations)))

    # what-if: one slider move re-runs only the page's st.fragment: a
    # prediction with CI/PI, the scenario table (baseline + 4 saved + current),
    # the scenario chart = its data swapped into a spec built once per model
    # (core.analyses.regression.charts.with_data), serialised as Streamlit sends it
    # (JSON for the chart, Arrow for the table).  The model is never refitted
    # and the levers chart is outside the fragment.
    import pyarrow as pa

    res = ours("HC3", [xs])()
    model = reg.as_model(res)
    rng = np.random.default_rng(2)
    saved = [{"name": f"s{i}", "values": {x: float(rng.uniform(2, 4)) for x in xs[:3]}} for i in range(4)]
    template = rch.scenario_bars(reg.scenario_table(model, saved), "y", "en").to_dict()
    per_predict = []
    for _ in range(2000):
        v = {x: float(rng.uniform(1, 5)) for x in xs}
        t0 = time.perf_counter()
        reg.predict(model, v)
        per_predict.append(time.perf_counter() - t0)
    per_move = []
    for _ in range(200):
        v = {x: float(rng.uniform(1, 5)) for x in xs}
        t0 = time.perf_counter()
        reg.predict(model, v)
        reg.predict(model, {})
        scen = reg.scenario_table(model, saved + [{"name": "current", "values": v}])
        json.dumps(rch.with_data(template, scen))
        pa.Table.from_pandas(scen)
        per_move.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    rch.scenario_bars(scen, "y", "en").to_dict()
    rebuild = time.perf_counter() - t0

    frag = fragment_times()

    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, NumPy {np.__version__}, "
          f"statsmodels {sm.__version__ if hasattr(sm, '__version__') else ''}; rows = {n:,}, 10 predictors\n")
    print("| task | first call (s) | best of 3 (s) | peak memory (MB) |")
    print("|---|---:|---:|---:|")
    for label, first, sec, mb in rows:
        print(f"| {label} | {first:.3f} | {sec:.3f} | {mb:,.0f} |")
    print()
    print("| what-if (no refit) | median (ms) | max (ms) |")
    print("|---|---:|---:|")
    print(f"| predict(): prediction + 95% CI + PI | {1000 * statistics.median(per_predict):.3f} | "
          f"{1000 * max(per_predict):.3f} |")
    print(f"| one slider move (fragment work: 2 predictions, 6 scenarios, chart data swap, JSON + Arrow) | "
          f"{1000 * statistics.median(per_move):.2f} | {1000 * max(per_move):.2f} |")
    print(f"| for comparison: rebuilding the scenario chart with Altair each move | {1000 * rebuild:.0f} | |")
    print(f"| the page's simulator fragment (`whatif` in pages/regression.py, civil-servants sample, AppTest, "
          f"{len(frag)} slider moves) | {1000 * statistics.median(frag):.1f} | {1000 * max(frag):.1f} |")


def fragment_times(moves: int = 10) -> list[float]:
    """Server time of the page's what-if fragment per slider move: the page
    runs under AppTest with the profiler on, and the ``whatif`` function's
    cumulative time is read for each run after a slider change."""
    import cProfile
    import pstats

    from streamlit.runtime.scriptrunner import script_runner as sr
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1]
    box = {"prof": None}
    orig = sr.ScriptRunner._run_script

    def profiled(self, *a, **k):
        prof = box["prof"]
        if prof is None:
            return orig(self, *a, **k)
        prof.enable()
        try:
            return orig(self, *a, **k)
        finally:
            prof.disable()

    sr.ScriptRunner._run_script = profiled
    try:
        at = AppTest.from_file(str(root / "pages" / "regression.py"), default_timeout=300)
        at.session_state["lang"] = "en"
        at.run()
        slider = next(s for s in at.slider if s.key.endswith(".CD"))
        lo, hi = slider.min, slider.max
        out = []
        for i in range(moves):
            box["prof"] = cProfile.Profile()
            slider.set_value(lo + (hi - lo) * (i + 1) / (moves + 2))
            at.run()
            stats = pstats.Stats(box["prof"]).stats
            out += [v[3] for (path, _, name), v in stats.items() if name == "whatif" and path.endswith("regression.py")]
            box["prof"] = None
        return out
    finally:
        sr.ScriptRunner._run_script = orig

if __name__ == "__main__":
    main()
