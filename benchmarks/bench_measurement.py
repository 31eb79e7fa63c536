"""Benchmark of the measurement analyses (issue 6).

    python benchmarks/bench_measurement.py

Targets: alpha with item statistics for 25 items on 1,000,000 rows < 0.5 s;
KMO + Bartlett + a 5-factor EFA of 25 items on 2,800 rows < 0.2 s; a CFA of
5 factors × 5 items on 2,800 rows < 1 s.  Data: psych's bfi (25 Big-Five items,
2,800 rows, tests/data/bfi.csv) and, for 1,000,000 rows, one-factor Likert data
(1–5) drawn with seed 1.  Each figure is the median wall time of 5 runs after
one warm-up run, through ``core.registry.run`` (validation, listwise deletion,
every table).  Prints a markdown table.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from core import recipe as recipes  # noqa: E402
from core import registry  # noqa: E402
from core.data import io  # noqa: E402
from core.data.model import Dataset  # noqa: E402
from core.data.prepare import build_dataset  # noqa: E402

BIG5 = {s: [f"{s}{i}" for i in range(1, 6)] for s in "ACENO"}
REVERSE = {"A": ["A1"], "C": ["C4", "C5"], "E": ["E1", "E2"], "N": [], "O": ["O2", "O5"]}


def bfi() -> Dataset:
    raw = io.read_path(ROOT / "tests/data/bfi.csv")
    rec = recipes.empty()
    rec["scales"] = [recipes.validate_scale({"name": s, "items": it, "reverse": REVERSE[s], "min": 1, "max": 6})
                     for s, it in BIG5.items()]
    return build_dataset(raw, rec)


def million(n: int = 1_000_000, k: int = 25) -> Dataset:
    rng = np.random.default_rng(1)
    f = rng.standard_normal(n)
    x = 0.7 * f[:, None] + 0.7 * rng.standard_normal((n, k))
    x = np.clip(np.round(3 + x), 1, 5)
    items = [f"q{j + 1}" for j in range(k)]
    frame = pd.DataFrame(x, columns=items)
    frame["S"] = x.mean(axis=1)
    frame.index = pd.RangeIndex(1, n + 1, name="row")
    scale = recipes.validate_scale({"name": "S", "items": items, "reverse": [], "min": 1, "max": 5})
    return Dataset(frame=frame, meta={}, scales={"S": scale})


def timed(fn, reps: int = 5) -> float:
    fn()
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    ds = bfi()
    big = million()
    items = [i for s in BIG5.values() for i in s]
    cfa_model = "\n".join(f"{s} =~ " + " + ".join(it) for s, it in BIG5.items())
    rows = [
        ("reliability: alpha + omega + item stats, 25 items × 1,000,000 rows", "< 0.5",
         lambda: registry.run("reliability", big, {"scales": ["S"]})),
        ("reliability: 5 Big-Five scales, 2,800 rows", "",
         lambda: registry.run("reliability", ds, {})),
        ("efa: KMO + Bartlett + 5 factors, pc / none (SPSS default), 25 items × 2,800", "< 0.2",
         lambda: registry.run("efa", ds, {"items": items, "n_factors": 5})),
        ("efa: same, pa / varimax", "< 0.2",
         lambda: registry.run("efa", ds, {"items": items, "n_factors": 5, "method": "pa", "rotation": "varimax"})),
        ("efa: same, minres / oblimin", "< 0.2",
         lambda: registry.run("efa", ds, {"items": items, "n_factors": 5, "method": "minres", "rotation": "oblimin"})),
        ("efa: same, ml / promax", "< 0.2",
         lambda: registry.run("efa", ds, {"items": items, "n_factors": 5, "method": "ml", "rotation": "promax"})),
        ("efa: parallel analysis (100 data sets) + pa / oblimin", "",
         lambda: registry.run("efa", ds, {"items": items, "n_factors": "parallel", "method": "pa",
                                          "rotation": "oblimin"})),
        ("cfa: 5 factors × 5 items, 2,800 rows (fit, loadings, validity, HTMT)", "< 1",
         lambda: registry.run("cfa", ds, {"model": cfa_model, "compare_one_factor": False})),
        ("cfa: same + one-factor comparison model", "",
         lambda: registry.run("cfa", ds, {"model": cfa_model})),
        ("cfa: same + invariance by gender (configural, metric, scalar)", "",
         lambda: registry.run("cfa", ds, {"model": cfa_model, "group": "gender"})),
        ("sem: 5 factors, N ~ E + C, A ~ N, 2,800 rows", "",
         lambda: registry.run("sem", ds, {"model": cfa_model + "\nN ~ E + C\nA ~ N"})),
        ("screening: 3 checks over 25 items, 2,800 rows", "",
         lambda: registry.run("screening", ds, {})),
    ]
    print("| analysis | target (s) | median (s) |")
    print("|---|---|---|")
    for name, target, fn in rows:
        print(f"| {name} | {target} | {timed(fn):.3f} |", flush=True)


if __name__ == "__main__":
    main()
