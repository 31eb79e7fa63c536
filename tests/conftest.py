"""Shared test helpers.

References live in ``tests/reference/<name>.json``::

    {"source": "R 4.2.2: oneway.test(weight ~ group, PlantGrowth)",
     "generator": "tests/reference/r/difference.R",
     "dataset": "tests/data/plantgrowth.csv", "options": {...},
     "expected": {"<table>": [{"<key column>": ..., "<statistic>": value, ...}, ...], ...},
     "tol": {"default": 1e-6, "<statistic>": 1e-5, ...}, "tol_reason": {"<statistic>": "why"},
     "key_map": {"<key column>": {"<R's spelling>": "ours"}}}

``load_reference`` reads one; ``compare`` matches a result table's rows to the
expected rows on the table's declared keys (``TableSpec.keys``) and checks
every expected statistic with its tolerance (absolute; ``tol["default"]``
unless the statistic has its own, with the reason in ``tol_reason``);
``assert_close`` compares single numbers.  Data sets used by references are
committed as CSV in ``tests/data/``.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from core import registry
from core.data.model import code_text
from core.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).parent / "reference"
DATA = Path(__file__).parent / "data"


def load_reference(name: str) -> dict:
    path = REFERENCE / (name if name.endswith(".json") else f"{name}.json")
    ref = json.loads(path.read_text(encoding="utf-8"))
    for key in ("source", "generator", "expected"):
        assert key in ref, f"{path.name} lacks {key!r} (provenance is required)"
    assert (ROOT / ref["generator"]).exists(), f"{path.name}: generator {ref['generator']} is not committed"
    tol = ref.get("tol") or {}
    looser = [k for k, v in tol.items() if "default" in tol and k != "default" and v > tol["default"]]
    unexplained = [k for k in looser if k not in (ref.get("tol_reason") or {})]
    assert not unexplained, f"{path.name}: tolerances {unexplained} looser than the default need a tol_reason"
    return ref


def assert_close(actual, expected, abs_tol: float = 1e-6, rel_tol: float = 0.0, what: str = ""):
    """Numbers (or lists of numbers) equal within tolerance; None ≡ NaN."""
    if isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected), f"{what}: length {len(actual)} != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, abs_tol, rel_tol, f"{what}[{i}]")
        return
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        assert actual is None or (isinstance(actual, float) and math.isnan(actual)), f"{what}: {actual} != NaN"
        return
    assert actual is not None and math.isclose(float(actual), float(expected), abs_tol=abs_tol, rel_tol=rel_tol), \
        f"{what}: got {actual!r}, expected {expected!r} (abs tol {abs_tol})"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _key(v) -> str:
    """A key cell as text: 2, 2.0 and "2.0" are one key, numbers to 12 significant digits and |x| < 1e-9 as 0
    (R prints a moderator value computed as mean + SD, or a centred mean, with other last digits); None, NaN
    and "" are one (empty) key."""
    if _missing(v) or v == "":
        return ""
    if isinstance(v, str):
        try:
            v = float(v)
        except ValueError:
            return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return "0" if abs(v) < 1e-9 else f"{float(v):.12g}"
    return str(v)


def rows(columns: dict) -> list[dict]:
    """R's column lists ({"lhs": [...], "est": [...]}) as a list of rows."""
    n = {len(v) for v in columns.values()}
    assert len(n) == 1, f"columns of unequal length: { {k: len(v) for k, v in columns.items()} }"
    return [dict(zip(columns, vals)) for vals in zip(*columns.values())]


def tolerance(tol, table: str, column: str) -> float:
    """The absolute tolerance of one statistic (named as in the reference): tol["<table>.<column>"],
    tol["<column>"], else tol["default"]; a number is the tolerance of every statistic."""
    if not isinstance(tol, dict):
        return float(tol)
    for k in (f"{table}.{column}", column, "default"):
        if k in tol:
            return float(tol[k])
    raise AssertionError(f"tolerance of {table}.{column}: no entry and no default in {tol}")


def table_keys(analysis: str, table: str) -> tuple[str, ...]:
    """The declared row keys of one result table (``TableSpec.keys``)."""
    return next(t.keys for t in registry.get(analysis).tables if t.name == table)


def compare(table: pd.DataFrame, expected: list[dict], keys, tol, *, name: str = "table", rename: dict | None = None,
            key_map: dict | None = None, skip=(), complete: bool = False) -> int:
    """Match every expected row to ``table``'s row with the same ``keys`` and compare every other expected cell.

    ``rename`` maps the reference's column names to ours (lavaan's ``est`` → ``estimate``); ``key_map``
    ({column: {R's spelling: ours}}, or {column: function(R's value, R's row) → ours}, see :func:`level_keys`)
    translates key values (lavaan's group 1 → our 0, a factor level's label → its code); ``skip`` names
    reference columns with no counterpart.  Numbers must agree within ``tolerance(tol, name, column)``
    (None ≡ NaN), text exactly.  Rows of ``table`` with equal keys must be identical (PROCESS repeats a row
    when two moderator percentiles coincide).  ``complete``: ``table`` has no row R lacks.  Returns the
    number of cells compared."""
    rename, key_map = rename or {}, key_map or {}
    keys = tuple(keys)
    assert set(keys) <= set(table.columns), f"{name}: key columns {set(keys) - set(table.columns)} not in the table"
    index: dict[tuple, dict] = {}
    for r in table.to_dict("records"):
        k = tuple(_key(r[c]) for c in keys)
        assert k not in index or all(_key(index[k][c]) == _key(r[c]) for c in r), \
            f"{name}: two different rows with keys {dict(zip(keys, k))}"
        index[k] = r
    checked, matched = 0, set()
    inverse = {ours: theirs for theirs, ours in rename.items()}
    def key_of(c, e):
        theirs, how = e[inverse.get(c, c)], key_map.get(c, {})
        return how(theirs, e) if callable(how) else how.get(_key(theirs), theirs)

    for e in expected:
        k = tuple(_key(key_of(c, e)) for c in keys)
        where = f"{name} row {dict(zip(keys, k))}"
        assert k in index, f"{where}: no such row in the result"
        matched.add(k)
        got = index[k]
        for col, want in e.items():
            ours = rename.get(col, col)
            if ours in keys or col in skip:
                continue
            assert ours in got, f"{where}: the result has no column {ours!r} (reference column {col!r})"
            have = got[ours]
            if isinstance(want, str) or isinstance(have, str) and not _missing(want):
                assert _key(have) == _key(want), f"{where} column {ours}: got {have!r}, expected {want!r}"
            elif _missing(want):
                assert _missing(have), f"{where} column {ours}: got {have!r}, expected empty (R: NA)"
            else:
                t = tolerance(tol, name, col)
                assert not _missing(have) and abs(float(have) - float(want)) <= t, \
                    f"{where} column {ours}: got {have!r}, expected {want!r} (tolerance {t:g})"
            checked += 1
    if complete:
        extra = [dict(zip(keys, k)) for k in index if k not in matched]
        assert not extra, f"{name}: rows R does not have: {extra[:5]}"
    return checked


def level_keys(dataset, analysis: str, table: str) -> dict:
    """``key_map`` of :func:`compare` for a table whose key columns hold level codes (``Column`` kind "level"):
    R names a level by its factor label, our results by its code — each such key maps R's label to the code of
    the level of the variable named in the same row (a value that is no level, e.g. a continuous moderator's,
    stays as it is and must then equal ours)."""
    tb = registry.get(analysis).table(table)

    def code(of):
        def read(v, row):
            if _missing(v) or not dataset.has(str(row.get(of))):
                return v
            try:
                return dataset.resolve_level(row[of], v)
            except UserError:
                return v
        return read
    return {c.name: code(c.of) for c in tb.columns if c.kind == "level" and c.name in tb.keys}


def dummy_key(dataset):
    """``key_map`` entry of :func:`compare` for a term column: R names a dummy "variable[label]", our results
    "variable[code]" (read back as the label at the edge)."""
    def read(v, row=None):
        m = re.fullmatch(r"(.+)\[(.+)\]", v) if isinstance(v, str) else None
        if not m or not dataset.has(m[1]):
            return v
        return f"{m[1]}[{code_text(dataset.resolve_level(m[1], m[2]))}]"
    return read


@pytest.fixture
def reference():
    return load_reference

