"""Benchmark of the difference battery (issue 3) beside the same battery
written as pingouin calls in a loop, in the same run.

    python benchmarks/bench_difference.py            # survey + 1,000,000 rows
    python benchmarks/bench_difference.py --quick    # survey only
    python benchmarks/bench_difference.py --pingouin-1m   # also the full pingouin loop at 1M rows (~1 min)

The battery: 10 demographic splits × 8 scale scores of the sample survey, every
test (Levene mean/median, Student/Welch t, ANOVA, Welch ANOVA, Brown–Forsythe,
Mann–Whitney, Kruskal–Wallis), effect sizes and all three post-hoc tests.
1,000,000 rows = the survey's rows drawn with replacement (seed 1); a second
1M case adds tiny continuous noise to every score so no value repeats (the
row-wise path instead of the count-table path).  Peak memory is the child
process' maximum resident set size.  Prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from core import registry  # noqa: E402
from core.data import samples  # noqa: E402
from core.data.model import Dataset  # noqa: E402
from core.data.prepare import build_dataset  # noqa: E402


def survey() -> tuple[Dataset, list[str], list[str]]:
    raw, recipe, _ = samples.load("civil_servants")
    ds = build_dataset(raw, recipe, "en")
    return ds, list(recipe["roles"]["demographics"]), list(ds.scales)[:8]


def big(ds: Dataset, n: int, noise: bool) -> Dataset:
    rng = np.random.default_rng(1)
    idx = rng.integers(0, len(ds.frame), n)
    frame = ds.frame.iloc[idx].reset_index(drop=True)
    frame.index = frame.index + 1
    if noise:
        for s in ds.scales:
            frame[s] = frame[s] + rng.normal(0, 1e-3, n)
    return Dataset(frame=frame, meta=ds.meta, scales=ds.scales, lang="en")


def ours(ds, groups, outcomes) -> tuple[float, float]:
    """(wall, CPU) seconds of one battery."""
    t0, c0 = time.perf_counter(), time.process_time()
    registry.run("difference", ds, {"groups": groups, "outcomes": outcomes})
    return time.perf_counter() - t0, time.process_time() - c0


def pingouin_loop(ds, groups, outcomes) -> float:
    import pingouin as pg
    from scipy.stats import mannwhitneyu

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for g in groups:
            for o in outcomes:
                d = ds.frame[[g, o]].dropna()
                d = d[d.groupby(g)[o].transform("size") >= 2]
                if d[g].nunique() < 2:
                    continue
                pg.homoscedasticity(d, dv=o, group=g, center="mean")
                pg.homoscedasticity(d, dv=o, group=g, center="median")
                if d[g].nunique() == 2:
                    a, b = [x[o].to_numpy() for _, x in d.groupby(g)]
                    pg.ttest(a, b, correction=False)
                    pg.ttest(a, b, correction=True)
                    mannwhitneyu(a, b)   # pg.mwu builds an n1 × n2 matrix (its CLES): impossible at 1M
                pg.anova(d, dv=o, between=g, detailed=True, effsize="n2")
                pg.welch_anova(d, dv=o, between=g)
                pg.kruskal(d, dv=o, between=g)
                pg.pairwise_tukey(d, dv=o, between=g)
                pg.pairwise_gameshowell(d, dv=o, between=g)
                pg.pairwise_tests(d, dv=o, between=g, padjust="bonf")
    return time.perf_counter() - t0


def child(case: str, quick_pg: bool) -> dict:
    ds, groups, outcomes = survey()
    if case != "survey":
        ds = big(ds, 1_000_000, noise=case == "1m_continuous")
    ours(ds, groups, outcomes)                       # warm-up (imports, tables of the range distribution)
    times = [ours(ds, groups, outcomes) for _ in range(5 if case == "survey" else 3)]
    out = {"case": case, "rows": len(ds.frame), "ours_s": min(w for w, _ in times),
           "ours_cpu_s": min(c for _, c in times)}
    if case == "survey" or quick_pg:
        out["pingouin_s"] = pingouin_loop(ds, groups, outcomes)
    elif case == "1m_discrete":
        # two splits × one outcome, scaled to the 80 cells (marked as an estimate)
        sub_t = pingouin_loop(ds, groups[:2], outcomes[:1])
        out["pingouin_est_s"] = sub_t * len(groups) * len(outcomes) / 2
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--pingouin-1m", action="store_true")
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.pingouin_1m)))
        return
    cases = ["survey"] + ([] if args.quick else ["1m_discrete", "1m_continuous"])
    rows = []
    for case in cases:
        cmd = [sys.executable, __file__, "--child", case] + (["--pingouin-1m"] if args.pingouin_1m else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")
    print("| data | rows | battery wall (s) | battery CPU (s) | pingouin loop (s) | peak memory (MB) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        pg = f"{r['pingouin_s']:.2f}" if "pingouin_s" in r else \
            (f"≈ {r['pingouin_est_s']:.0f} (estimated from 2 of 80 cells)" if "pingouin_est_s" in r else "—")
        print(f"| {r['case']} | {r['rows']:,} | {r['ours_s']:.3f} | {r['ours_cpu_s']:.3f} | {pg} | "
              f"{r['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
