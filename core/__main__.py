"""The headless recipe runner and proposer.

    python -m core run RECIPE.json --data DATAFILE --out RESULTS.json [--lang zh]
        [--docx F] [--xlsx F] [--html F] [--pptx F] [--py F]
    python -m core propose DATAFILE [--sheet S] [--lang zh] --out RECIPE.json

``propose`` writes the recipe the data page proposes on upload (same code
path, :func:`core.data.setup.proposed_recipe`): platform structure, short
names and labels, recodes of text answers, level orders, scales,
demographics and paradata; its ``data.path`` is relative to the recipe.

A codebook beside the data file (``survey.codebook.json`` for ``survey.csv``,
the format of sample_data/) supplies variable and value labels.

Runs every analysis of a recipe on a data file without a browser.  Exit 0 on
success; on a bad recipe or bad data, exit 2 with one clear line on stderr
(never a traceback).  Reports are written by ``core.report.cli_exports``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from core import recipe as recipes
from core.data import io, samples, setup
from core.errors import UserError
from core.i18n import t


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core", description="Pressure Explorer recipe runner")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run every analysis of a recipe on a data file")
    r.add_argument("recipe", help="recipe JSON file")
    r.add_argument("--data", help="data file (overrides the recipe's data.path)")
    r.add_argument("--out", help="results JSON file (default: standard output)")
    r.add_argument("--lang", choices=("en", "zh"), default="en", help="language of labels and notes")
    for flag, help_ in (("--docx", "also write a Word report"), ("--xlsx", "also write an Excel workbook"),
                        ("--html", "also write a self-contained HTML report"),
                        ("--pptx", "also write a PowerPoint deck of the findings"),
                        ("--py", "also write a Python script that reproduces every table")):
        r.add_argument(flag, help=help_)
    pr = sub.add_parser("propose", help="write the recipe the app proposes for a data file")
    pr.add_argument("data", help="data file (csv, txt, tsv, xlsx, xls, sav, zsav, dta)")
    pr.add_argument("--sheet", help="Excel sheet (default: the first)")
    pr.add_argument("--lang", choices=("en", "zh"), default="en", help="language of messages")
    pr.add_argument("--out", help="recipe JSON file (default: standard output)")
    return p


def propose(args) -> dict:
    path = Path(args.data)
    raw = io.read_path(path, sheet=args.sheet)
    where = Path(args.out).resolve().parent if args.out else Path.cwd()
    try:
        rel = os.path.relpath(path.resolve(), where)
    except ValueError:  # another drive (Windows)
        rel = str(path.resolve())
    return setup.proposed_recipe(raw, {"data": {"path": Path(rel).as_posix(), "sheet": args.sheet}})


def run(args) -> dict:
    recipe_path = Path(args.recipe)
    try:
        text = recipe_path.read_bytes()
    except OSError as exc:
        raise UserError("error.file_unreadable", path=str(recipe_path), detail=exc.strerror or str(exc)) from None
    recipe = recipes.from_json(text)
    data_path = args.data or recipe["data"].get("path")
    if not data_path:
        raise UserError("error.no_data_path")
    path = Path(data_path)
    if not args.data and not path.is_absolute():
        path = recipe_path.parent / path
    if not path.exists():
        raise UserError("error.file_unreadable", path=str(path), detail="not found")
    raw = io.read_path(path, sheet=recipe["data"].get("sheet"), header_row=recipe["data"].get("header_row"),
                       skip_rows=recipe["data"].get("skip_rows"))
    book = path.with_name(path.stem + ".codebook.json")
    if book.exists():  # labels of a data file that carries none (e.g. the sample CSVs)
        raw = samples.apply_codebook(raw, samples.read_codebook(book))
    dataset = recipes.dataset_for(raw, recipe, args.lang)
    results = recipes.run_all(recipe, dataset)
    payload = {"version": recipes.VERSION,
               "results": {aid: recipes.result_to_json(res, args.lang, dataset) for aid, res in results.items()}}
    exports = {k: getattr(args, k) for k in ("docx", "xlsx", "html", "pptx", "py") if getattr(args, k)}
    if exports:
        from core.report import cli_exports  # the writers load only when asked for

        for text in cli_exports(recipe, dataset, results, exports, args.lang):   # the rest is exported
            print(f"{t('report.warning', args.lang)}: {text}", file=sys.stderr)
    return payload


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "propose":
            text = recipes.to_json(propose(args))
        else:
            text = json.dumps(run(args), ensure_ascii=False, indent=1, allow_nan=False)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text + "\n")
        return 0
    except UserError as exc:
        print(f"error: {exc.message(args.lang)}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still one line, never a traceback
        print(f"error: {t('error.internal', args.lang, detail=type(exc).__name__ + ': ' + str(exc)[:200])}",
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
