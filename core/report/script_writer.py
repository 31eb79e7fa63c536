"""A Python script that reproduces every table of a session with core's API.

The script embeds the session's recipe (JSON), reads the data file with
``core.data.io``, builds the dataset with ``core.recipe`` and runs every
analysis through ``core.registry``; it prints each table and can write them
as CSV.  Run it from the Pressure Explorer folder (or with that folder on
``PYTHONPATH``)::

    python reproduce.py DATAFILE [--lang zh] [--csv OUTDIR]
"""
from __future__ import annotations

import datetime as _dt
import json

from core import recipe as recipes

TEMPLATE = '''#!/usr/bin/env python3
"""Reproduce the tables of a Pressure Explorer session ({date}).

Usage (from the Pressure Explorer folder, or with it on PYTHONPATH):

    python {name} [DATAFILE] [--lang {lang}] [--csv OUTDIR]

DATAFILE defaults to the file the session used ({path}).
Every table is printed at full precision; --csv also writes one CSV per table.
The recipe below is the session's complete state (scales, reverse-keyed items,
missing-value codes, exclusions and every analysis option); the same recipe
runs headless with:  python -m core run recipe.json --data DATAFILE --out results.json
"""
import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from core import recipe as recipes
from core import registry
from core.data import io

RECIPE_JSON = {recipe_literal}


def load_raw(path, recipe):
    raw = io.read_path(path, sheet=recipe["data"].get("sheet"), header_row=recipe["data"].get("header_row"))
    sample = (recipe.get("ui") or {{}}).get("sample")
    if sample:  # the app's sample surveys carry their labels in a codebook
        from core.data import samples
        if sample in samples.SAMPLES and Path(path).name == samples.SAMPLES[sample]["file"]:
            raw = samples.apply_codebook(raw, samples.codebook(sample))
    return raw


def main(argv=None):
    recipe = recipes.validate(json.loads(RECIPE_JSON))
    ap = argparse.ArgumentParser(description="Reproduce the tables of a Pressure Explorer session")
    ap.add_argument("data", nargs="?", default=recipe["data"].get("path"), help="data file")
    ap.add_argument("--lang", default={lang!r}, choices=("en", "zh"))
    ap.add_argument("--csv", help="folder to write one CSV per table into")
    args = ap.parse_args(argv)
    if not args.data:
        ap.error("give the data file")
    raw = load_raw(args.data, recipe)
    dataset = recipes.dataset_for(raw, recipe, args.lang)
    results = {{}}
    for entry in recipe["analyses"]:
        res = registry.run(entry["type"], dataset, entry)
        results[entry["id"]] = res
        print(f"== {{entry['id']}} ({{entry['type']}}), N used = {{res.n_used}}")
        for name, table in res.tables.items():
            print(f"-- {{name}}")
            with pd.option_context("display.max_rows", None, "display.max_columns", None,
                                   "display.width", 200, "display.precision", 10):
                print(table.to_string(index=False))
            if args.csv:
                out = Path(args.csv)
                out.mkdir(parents=True, exist_ok=True)
                table.to_csv(out / f"{{entry['id']}}_{{name}}.csv", index=False, encoding="utf-8-sig")
        for note in res.notes:
            print("note:", note.text(args.lang, dataset))
    return results


if __name__ == "__main__":
    main()
    sys.exit(0)
'''


def write(recipe: dict, lang: str = "en", name: str = "reproduce.py") -> bytes:
    """The script's bytes.  Analysis ids name the script's CSV files, so each
    must be a plain name (recipes.check_id): the script writes only inside
    its --csv folder."""
    for entry in recipe.get("analyses") or []:
        recipes.check_id(entry.get("id"))
    text = recipes.to_json(recipe)
    literal = repr(text)   # a Python string literal: safe whatever the recipe holds
    path = (recipe.get("data") or {}).get("path") or "—"
    script = TEMPLATE.format(date=_dt.date.today().isoformat(), name=name, lang=lang,
                             path=json.dumps(str(path), ensure_ascii=True)[1:-1].replace('"""', ""),
                             recipe_literal=literal)
    return script.encode("utf-8")
