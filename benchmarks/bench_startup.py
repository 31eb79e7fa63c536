"""Start-up cost of the headless runner (issue 12): `python -m core run` on a one-`describe` recipe
against the peer `python -c "import numpy, pandas, scipy.stats"`, alternated in the same run.

    python benchmarks/bench_startup.py [--repeat 15]

Prints the best and median wall time of each, their ratio (goal: runner ≤ 1.2 × peer), the modules the
runner loads (no compute, chart or writer module beyond the analysis run) and the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        recipe = Path(tmp) / "one.json"
        recipe.write_text(json.dumps({"version": 1, "data": {"path": str(ROOT / "sample_data/civil_servants.csv")},
                                      "analyses": [{"id": "d", "type": "describe", "variables": ["OC1", "OC2"], "frequencies": ["gender"]}]}))
        runner = [sys.executable, "-m", "core", "run", str(recipe), "--out", str(Path(tmp) / "out.json")]
        peer = [sys.executable, "-c", "import numpy, pandas, scipy.stats"]
        _time(runner), _time(peer)   # warm the file cache
        rt, pt = [], []
        for _ in range(args.repeat):
            rt.append(_time(runner))
            pt.append(_time(peer))
        probe = [sys.executable, "-c", "import json, runpy, sys; sys.argv = " + repr(runner[2:]) + "\n"
                 "try:\n    runpy.run_module('core', run_name='__main__')\nexcept SystemExit:\n    pass\n"
                 "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('core.', 'altair', 'statsmodels', "
                 "'docx', 'pptx', 'openpyxl', 'scipy.stats')))), file=sys.stderr)"]
        loaded = json.loads(subprocess.run(probe, cwd=ROOT, capture_output=True, text=True).stderr.strip()
                            .splitlines()[-1])
    print(f"load average before/after: {os.getloadavg()}")
    print(f"python -m core run (one describe): best {min(rt):.3f} s, median {statistics.median(rt):.3f} s")
    print(f"import numpy, pandas, scipy.stats: best {min(pt):.3f} s, median {statistics.median(pt):.3f} s")
    print(f"ratio (best / best): {min(rt) / min(pt):.2f}   (median / median): "
          f"{statistics.median(rt) / statistics.median(pt):.2f}")
    print("heavy or analysis modules loaded by the runner:", [m for m in loaded if not m.startswith("core.")] or "none")
    print("core modules loaded:", len([m for m in loaded if m.startswith("core.")]),
          [m for m in loaded if m.startswith("core.analyses")])


if __name__ == "__main__":
    main()
