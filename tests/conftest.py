"""Shared test helpers.

References live in ``tests/reference/<name>.json``::

    {"source": "R 4.2.2: oneway.test(weight ~ group, PlantGrowth)",
     "generator": "tests/reference/r/difference.R",
     "dataset": "tests/data/plantgrowth.csv", "options": {...},
     "expected": {"<table>.<column>[<row selector>]": value, ...},
     "tol": {"abs": 1e-6}}

``load_reference`` reads one; ``assert_close`` compares with its tolerance.
Data sets used by references are committed as CSV in ``tests/data/``.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).parent / "reference"
DATA = Path(__file__).parent / "data"


def load_reference(name: str) -> dict:
    path = REFERENCE / (name if name.endswith(".json") else f"{name}.json")
    ref = json.loads(path.read_text(encoding="utf-8"))
    for key in ("source", "generator", "expected"):
        assert key in ref, f"{path.name} lacks {key!r} (provenance is required)"
    assert (ROOT / ref["generator"]).exists(), f"{path.name}: generator {ref['generator']} is not committed"
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


@pytest.fixture
def reference():
    return load_reference


def assert_rows(ours, rows: list, keys: list[str], cols: list[str], abs_tol: float, what: str = ""):
    """Every R row (a dict, as jsonlite writes a data.frame) has one row of
    ``ours`` with the same ``keys`` whose ``cols`` match within ``abs_tol``;
    the row counts agree."""
    assert len(ours) == len(rows), f"{what}: {len(ours)} rows, R has {len(rows)}"
    for r in rows:
        mask = None
        for k in keys:
            m = ours[k].astype(str) == str(r[k])
            mask = m if mask is None else mask & m
        hit = ours[mask]
        assert len(hit) == 1, f"{what}: {len(hit)} rows match {[r[k] for k in keys]}"
        for c in cols:
            exp = r.get(c)
            if isinstance(exp, str):
                assert hit.iloc[0][c] == exp, f"{what} {[r[k] for k in keys]} {c}: {hit.iloc[0][c]!r} != {exp!r}"
            else:
                got = hit.iloc[0][c]
                assert_close(None if got is None else float(got), exp, abs_tol,
                             what=f"{what} {[r[k] for k in keys]} {c}")
