"""Benchmark of the process analysis (recipe type "process").

    python benchmarks/bench_process.py [--repeat 5] [--skip-large]

Times, in one run on the same data:

- our full analysis (``registry.run("process", …)``: design, OLS, every table,
  5,000-resample bootstrap) for PROCESS models 4, 7 and 58 on the
  role_pressure sample (409 rows; 392/386 complete), and the bootstrap alone;
- ``pingouin.mediation_analysis`` (model 4 only; 5,000 resamples — it has no
  percentile option and always reports bias-corrected CIs);
- ``pyprocessmacro.Process`` (models 4, 7 and 58 with ``boot=5000``,
  ``percent=True`` (percentile CIs, PROCESS v4's default) and
  ``spotlight="percentiles"`` (16th/50th/84th), i.e. options set alike);
- our model 4 with 5,000 resamples on 100,000 synthetic rows (time and peak
  resident memory; the bootstrap uses two worker threads there, so its CPU
  time can exceed its wall time);
- PROCESS model 1 with Johnson–Neyman on 1,000,000 synthetic rows (the OLS
  engine at scale): our full analysis (design, fit, every table: conditional
  effects at the 16th/50th/84th percentiles, JN boundaries and table, plot
  data) beside, in the same run, pyprocessmacro (``jn=True``, percentile
  spotlights, no bootstrap), statsmodels ``OLS`` on the NumPy design and a
  NumPy closed form (normal equations), both followed by the same
  conditional effects and JN boundaries.

``--large-only`` runs just the 100,000-row case (``--repeat`` times), for
quick before/after comparisons on a shared machine; ``--jn-only`` just the
1,000,000-row model 1 case.

pyprocessmacro is needed for this benchmark only (``pip install
pyprocessmacro``); it is not a test dependency.  Prints a markdown table
(median of ``--repeat`` runs after one warm-up) for docs/performance.md.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import registry  # noqa: E402
from core.data import samples  # noqa: E402
from core.data.model import Dataset  # noqa: E402
from core.data.prepare import build_dataset  # noqa: E402
from core.engines.process import design as dsn  # noqa: E402
from core.engines.process import effects as fx  # noqa: E402
from core.engines.process.boot import Bootstrap  # noqa: E402

N_BOOT = 5000
MODELS = {4: {"x": "RP", "m": ["PS"], "y": "WW"},
          7: {"x": "RP", "m": ["PS"], "w": "EMC", "y": "WW"},
          58: {"x": "RP", "m": ["PS"], "w": "EMC", "y": "WW"}}


BEST = False   # --best: report the fastest run instead of the median (a machine shared with other jobs)


def median_time(fn, repeat: int) -> tuple[float, float]:
    """(wall, CPU) seconds of one call: median (or fastest with --best) of
    ``repeat`` calls after a warm-up.  CPU time counts every thread of the
    process; our bootstrap runs single-threaded, so its CPU time is what an
    idle machine shows when other jobs share the two cores."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    pick = min if BEST else statistics.median
    return pick(walls), pick(cpus)


def ours(ds, model: int):
    return lambda: registry.run("process", ds, {"model": model, **MODELS[model], "n_boot": N_BOOT, "seed": 1})


def ours_boot_only(ds, model: int):
    m, _ = dsn.build(ds, {"model": model, **MODELS[model]})
    if m.tpl.moderated:
        vecs, _, _ = dsn.moderator_values(m.roles["W"], "percentiles")
        stats = [fx.product_stat(m, p, 0, {"W": v}) for p in fx.paths(m) for v in vecs]
    else:
        stats = [fx.product_stat(m, p, 0, {}) for p in fx.paths(m)]
    bs = Bootstrap(m.matrix(), [(e.outcome_role, e.cols, e.y) for e in m.equations])
    return lambda: bs.run(lambda c, s: fx.evaluate(stats, c, s), N_BOOT, 1)


def pingouin_run(df):
    import pingouin as pg

    return lambda: pg.mediation_analysis(data=df, x="RP", m="PS", y="WW", n_boot=N_BOOT, seed=1)


def ppm_run(df, model: int):
    from pyprocessmacro import Process

    kw = {k: v for k, v in MODELS[model].items()}
    extra = {"spotlight": "percentiles"} if "w" in kw else {}

    def go():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Process(data=df, model=model, boot=N_BOOT, seed=1, percent=True, suppr_init=True, **kw, **extra)
    return go


def large_dataset(n: int = 100_000) -> Dataset:
    rng = np.random.default_rng(2026)
    x = rng.normal(size=n)
    m = 0.4 * x + rng.normal(size=n)
    y = 0.3 * m + 0.2 * x + rng.normal(size=n)
    frame = pd.DataFrame({"X": x, "M": m, "Y": y}, index=pd.RangeIndex(1, n + 1))
    return Dataset(frame=frame, meta={})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--best", action="store_true", help="fastest of the repeats instead of the median")
    ap.add_argument("--large-only", action="store_true", help="only the 100,000-row case")
    ap.add_argument("--jn-only", action="store_true", help="only the 1,000,000-row model 1 + JN case")
    args = ap.parse_args()
    global BEST
    BEST = args.best
    import os
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores); "
          f"{'fastest' if BEST else 'median'} of {args.repeat} runs\n")
    if args.large_only:
        large_case(args.repeat)
        return
    if args.jn_only:
        jn_case(args.repeat)
        return
    raw, recipe, _ = samples.load("role_pressure")
    ds = build_dataset(raw, recipe, "en")
    df = ds.frame[["RP", "PS", "EMC", "WW"]]
    rows = []
    for model in (4, 7, 58):
        need = ["RP", "PS", "WW"] + (["EMC"] if model != 4 else [])
        d = df[need].dropna().reset_index(drop=True)
        t_ours = median_time(ours(ds, model), args.repeat)
        t_boot = median_time(ours_boot_only(ds, model), args.repeat)
        t_ppm = median_time(ppm_run(d, model), max(1, args.repeat // 2))
        t_pg = median_time(pingouin_run(d), max(1, args.repeat // 2)) if model == 4 else None
        rows.append((f"model {model}, {len(d)} rows", t_ours, t_boot, t_pg, t_ppm))
    print(f"| analysis ({N_BOOT} resamples) | ours: full analysis | ours: bootstrap only | pingouin | "
          f"pyprocessmacro | × pingouin | × pyprocessmacro |")
    print("|---|---|---|---|---|---|---|")

    def cell(wc):
        return "—" if wc is None else f"{wc[0]:.3f} s ({wc[1]:.3f})"

    def ratio(other, ours_):
        return "—" if other is None else f"{other[0] / ours_[0]:.0f}× ({other[1] / ours_[1]:.0f}×)"
    for name, a, b, pg_, ppm in rows:
        print(f"| {name} | {cell(a)} | {cell(b)} | {cell(pg_)} | {cell(ppm)} | {ratio(pg_, a)} | {ratio(ppm, a)} |")
    print("\nwall seconds (CPU seconds of the process in brackets); ratios: wall (CPU)")
    if not args.skip_large:
        large_case(2 if BEST else 1)
        jn_case(args.repeat)


def large_case(repeat: int) -> None:
    import os

    registry.get("process")          # the registry imports every analysis module once (≈ 2 s): not timed
    big = large_dataset()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    runs = []
    for _ in range(repeat):
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        registry.run("process", big, {"model": 4, "x": "X", "m": ["M"], "y": "Y", "n_boot": N_BOOT, "seed": 1})
        runs.append((time.perf_counter() - t0, time.process_time() - c0, load))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    dt, cpu, load = min(runs)
    print(f"\nmodel 4, 100,000 rows, {N_BOOT} resamples: {dt:.2f} s wall ({cpu:.2f} s CPU; load average "
          f"{load:.1f} at its start), fastest of {repeat}; every run: "
          + ", ".join(f"{w:.2f} s ({c:.2f})" for w, c, _ in runs)
          + f"; peak RSS {peak / 1024:.0f} MB (+{max(0, peak - before) / 1024:.0f} MB during the runs)")



JN_ROWS = 1_000_000


def jn_data(n: int = JN_ROWS) -> pd.DataFrame:
    """X, W, Y with the effect of X crossing zero inside W's range (JN boundaries exist)."""
    rng = np.random.default_rng(2026)
    x = rng.normal(size=n)
    w = rng.normal(size=n)
    y = 0.1 * x + 0.2 * w + 0.1 * x * w + rng.normal(size=n)
    return pd.DataFrame({"X": x, "W": w, "Y": y})


def _jn_tables(b: np.ndarray, V: np.ndarray, df: int, w: np.ndarray) -> tuple:
    """What the other programs are asked for beside the fit: the effect of X
    (b1 + b3·w) with SE, t, p, CI at the 16th/50th/84th percentiles of W, and
    the JN boundaries (roots of (b1 + b3 w)² = t²·Var(b1 + b3 w))."""
    from scipy import stats as st

    tc = st.t.ppf(0.975, df)
    ws = np.percentile(w, [16, 50, 84], method="weibull")
    eff = b[1] + b[3] * ws
    se = np.sqrt(V[1, 1] + 2 * ws * V[1, 3] + ws * ws * V[3, 3])
    p = 2 * st.t.sf(np.abs(eff / se), df)
    qa = b[3] ** 2 - tc * tc * V[3, 3]
    qb = 2 * (b[1] * b[3] - tc * tc * V[1, 3])
    qc = b[1] ** 2 - tc * tc * V[1, 1]
    roots = np.roots([qa, qb, qc])
    roots = roots[np.isreal(roots)].real
    return eff, se, p, eff - tc * se, eff + tc * se, roots[(roots >= w.min()) & (roots <= w.max())]


def _design(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    x, w = df["X"].to_numpy(), df["W"].to_numpy()
    return np.column_stack([np.ones(len(df)), x, w, x * w]), df["Y"].to_numpy()


def numpy_closed_form(df: pd.DataFrame):
    def go():
        X, y = _design(df)
        xtx = X.T @ X
        b = np.linalg.solve(xtx, X.T @ y)
        e = y - X @ b
        dfr = X.shape[0] - X.shape[1]
        V = float(e @ e) / dfr * np.linalg.inv(xtx)
        return b, _jn_tables(b, V, dfr, df["W"].to_numpy())
    return go


def statsmodels_ols(df: pd.DataFrame):
    import statsmodels.api as sm

    def go():
        X, y = _design(df)
        m = sm.OLS(y, X).fit()
        m.bse, m.tvalues, m.pvalues, m.conf_int(), m.fvalue, m.f_pvalue, m.rsquared
        return m.params, _jn_tables(m.params, m.cov_params(), int(m.df_resid), df["W"].to_numpy())
    return go


def ppm_jn(df: pd.DataFrame):
    from pyprocessmacro import Process

    def go():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Process(data=df, model=1, x="X", m="W", y="Y", jn=True, boot=0, spotlight="percentiles",
                           suppr_init=True)
    return go


def jn_case(repeat: int) -> None:
    import os

    registry.get("process")
    df = jn_data()
    ds = Dataset(frame=df.set_axis(pd.RangeIndex(1, len(df) + 1)), meta={})
    opts = {"model": 1, "x": "X", "w": "W", "y": "Y", "jn": True}
    res = registry.run("process", ds, opts)
    ours_b = res.tables["coefficients"]["b"].to_numpy()
    ours_jn = np.sort(res.tables["johnson_neyman"]["boundary"].to_numpy())
    nb, (_, _, _, _, _, n_jn) = numpy_closed_form(df)()
    assert np.allclose(ours_b, nb, rtol=1e-9, atol=1e-12) and np.allclose(ours_jn, np.sort(n_jn), rtol=1e-7)
    cases = [("ours: `registry.run(\"process\", …)`, every table", lambda: registry.run("process", ds, opts)),
             ("pyprocessmacro `Process(model=1, jn=True)`", ppm_jn(df)),
             ("statsmodels `OLS(y, X).fit()` + effects, JN", statsmodels_ols(df)),
             ("NumPy closed form (normal equations) + effects, JN", numpy_closed_form(df))]
    print(f"\nPROCESS model 1 with Johnson–Neyman, {len(df):,} rows; load average "
          f"{os.getloadavg()[0]:.2f} at start; {'fastest' if BEST else 'median'} of {repeat} runs after a warm-up")
    print("\n| program | wall (s) | CPU (s) |\n|---|---|---|")
    for name, fn in cases:
        wall, cpu = median_time(fn, repeat)
        print(f"| {name} | {wall:.3f} | {cpu:.3f} |")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
