"""Report export times (issue 7 target: exporting a report of 20 items < 5 s).

    python benchmarks/bench_report.py [--lang zh]

The report: on the civil-servants sample survey, the describe analysis of every
scale and all ten demographics; 20 items = key findings, 4 section titles,
2 tables, 10 charts (frequency bars, PNG in Word, SVG in HTML) and 3 paragraphs.
Times each format on its own (median of 3 warm runs, after one cold run in this
process, which includes vl-convert's start-up) as wall time and as this
process's CPU time (the wall time an idle machine would show: the work is
single-threaded), and the headless
``--docx --xlsx --html`` trio as ``cli_exports`` does it (one shared document,
each chart rendered once per image format).  Prints a markdown table for
docs/performance.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def session(lang: str):
    from core import recipe as recipes
    from core.data import samples
    from core.data.prepare import build_dataset

    raw, recipe, _ = samples.load("civil_servants")
    demo = recipe["roles"]["demographics"]
    recipe["analyses"] = [{"id": "desc", "type": "describe", "variables": [s["name"] for s in recipe["scales"]],
                           "frequencies": demo}]
    items = [{"kind": "findings"}, {"kind": "section", "title": "Scales"},
             {"kind": "table", "analysis": "desc", "table": "describe"},
             {"kind": "text", "text": "Scale scores are item means on 1–5 Likert scales."},
             {"kind": "section", "title": "Sample"},
             {"kind": "table", "analysis": "desc", "table": "frequencies"},
             {"kind": "text", "text": "The sample is described by ten demographic variables."},
             {"kind": "section", "title": "Charts"}]
    items += [{"kind": "chart", "analysis": "desc", "chart": f"freq_{d}"} for d in demo]
    items += [{"kind": "section", "title": "Notes"}, {"kind": "text", "text": "Synthetic data."}]
    assert len(items) == 20, len(items)
    recipe["report"] = items
    recipe = recipes.validate(recipe)
    ds = build_dataset(raw, recipe, lang)
    return recipe, ds, recipes.run_all(recipe, ds)


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, all threads)."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def median_of(fn, n: int = 3) -> tuple[float, float]:
    runs = [timed(fn) for _ in range(n)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="zh", choices=("en", "zh"))
    args = ap.parse_args()
    from core import report

    recipe, ds, results = session(args.lang)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("docx", "xlsx", "html", "pptx", "py"):
            cold = timed(lambda: report.export(fmt, recipe, ds, results, args.lang))
            warm = median_of(lambda: report.export(fmt, recipe, ds, results, args.lang))
            rows.append((fmt, cold, warm))
        paths = {k: str(Path(tmp) / f"r.{k}") for k in ("docx", "xlsx", "html")}
        trio = median_of(lambda: report.cli_exports(recipe, ds, results, paths, args.lang))
    n_slides = len(report.key_findings(recipe, ds, results, args.lang))
    print(f"20-item report ({args.lang}): 2 tables, 10 charts, key findings ({n_slides} for the deck)\n")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| export | first in process: wall (CPU) s | warm, median of 3: wall (CPU) s |")
    print("|---|---|---|")
    for fmt, cold, warm in rows:
        print(f"| {fmt} | {cold[0]:.2f} ({cold[1]:.2f}) | {warm[0]:.2f} ({warm[1]:.2f}) |")
    print(f"| docx + xlsx + html (`cli_exports`) | — | {trio[0]:.2f} ({trio[1]:.2f}) |")


if __name__ == "__main__":
    main()
