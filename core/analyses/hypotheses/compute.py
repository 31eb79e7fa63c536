"""The hypothesis summary: run each analysis a hypothesis points to (once per
distinct type + options, through the registry, so its options are validated
as in a recipe), find the row, and judge it.

A row is named by its key values as the results hold them (level codes,
dummies "gender[2]"); a level or a dummy may also be named by its label in
the data's language ("Female", "gender[Female]"), as recipes saved when
results held labels do.

Estimate: the first of b, effect, index, diff, r, estimate, value, statistic
the row has.  Significance at α = .05: p when the row has a finite p, else a
CI (ci_low, ci_high) that excludes 0.  Verdict: ``supported`` (significant and
in the expected direction, or ``expected = any``), ``opposite`` (significant
the other way), ``not_supported``.
"""
from __future__ import annotations

import json
import math

import pandas as pd

from core import registry
from core.analyses.hypotheses.spec import SPEC
from core.data.model import Dataset, split_term
from core.errors import UserError
from core.types import Note, Result
from core.stats import as_float

ALPHA = 0.05
ESTIMATES = ("b", "effect", "index", "diff", "r", "estimate", "value", "statistic")
EXPECTED = ("positive", "negative", "any")
COLS = SPEC.table("summary").column_names


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return math.isclose(as_float(a), as_float(b), rel_tol=1e-12, abs_tol=1e-12)


def verdict(estimate: float, p: float, lo: float, hi: float, expected: str) -> str:
    if math.isfinite(p):
        sig = p < ALPHA
    else:
        sig = math.isfinite(lo) and math.isfinite(hi) and (lo > 0 or hi < 0)
    if not sig or not math.isfinite(estimate):
        return "not_supported"
    if expected == "any" or (estimate > 0) == (expected == "positive"):
        return "supported"
    return "opposite"


def _check(h, i: int) -> dict:
    label = str(h.get("label") or f"H{i + 1}") if isinstance(h, dict) else f"H{i + 1}"
    if not isinstance(h, dict) or not isinstance(h.get("type"), str) or not isinstance(h.get("table"), str) \
            or not isinstance(h.get("options") or {}, dict) or not isinstance(h.get("row") or {}, dict):
        raise UserError("hypotheses.error.bad", label=label)
    if h["type"] == "hypotheses":
        raise UserError("hypotheses.error.bad", label=label)
    expected = h.get("expected") or "any"
    if expected not in EXPECTED:
        raise UserError("hypotheses.error.bad", label=label)
    return {"label": label, "text": str(h.get("text") or ""), "type": h["type"], "options": h.get("options") or {},
            "table": h["table"], "row": h.get("row") or {}, "expected": expected}


def _labelled(df: pd.DataFrame, col: str, spec, ds: Dataset) -> pd.Series | None:
    """The cells of ``col`` read as labels (a level column: its level's label;
    a variable column: a dummy's "variable[label]"); None when it holds neither."""
    column = next((c for c in spec.columns if c.name == col), None) if spec is not None else None
    if column is None:
        return None
    if column.kind == "level" and column.of in df:
        return pd.Series([ds.level_label(var, code) if ds.has(var) else code
                          for var, code in zip(df[column.of], df[col])], index=df.index)
    if column.kind == "var" or column.codes:   # as the formatter reads a variable column
        def read(v):
            term = split_term(v)
            return f"{term[0]}[{ds.level_label(term[0], term[1])}]" if term and ds.has(term[0]) else v
        return df[col].map(read)
    return None


def run(ds: Dataset, opts: dict) -> Result:
    hyps = opts.get("hypotheses") or []
    if not isinstance(hyps, list) or not hyps:
        raise UserError("hypotheses.error.none")
    hyps = [_check(h, i) for i, h in enumerate(hyps)]
    labels = [h["label"] for h in hyps]
    dup = next((lab for lab in labels if labels.count(lab) > 1), None)
    if dup is not None:
        raise UserError("hypotheses.error.duplicate", label=dup)
    results: dict[str, Result | UserError] = {}
    rows, notes = [], []
    for h in hyps:
        key = json.dumps([h["type"], h["options"]], sort_keys=True, default=str)
        if key not in results:
            try:
                results[key] = registry.run(h["type"], ds, h["options"])
            except UserError as err:
                results[key] = err
        res = results[key]
        row = {"hypothesis": h["label"], "text": h["text"], "analysis": h["type"], "table": h["table"], "row": h["row"],
               "estimate": math.nan, "p": math.nan, "ci_low": math.nan, "ci_high": math.nan,
               "expected": h["expected"], "verdict": None}
        df = res.tables.get(h["table"]) if isinstance(res, Result) else None
        hit = pd.DataFrame()
        if df is not None:
            mask = pd.Series(True, index=df.index)
            spec = registry.get(h["type"]).columns_spec(h["table"])
            for col, val in h["row"].items():
                if col not in df:
                    mask &= False
                    continue
                same = df[col].map(lambda v, val=val: _same(v, val))
                labelled = _labelled(df, col, spec, ds) if not same.any() else None
                mask &= same if labelled is None else labelled.map(lambda v, val=val: _same(v, val))
            hit = df[mask]
        if isinstance(res, UserError):
            notes += [Note("hypotheses.note.failed", {"label": h["label"]}), Note(res.key, res.kwargs)]
        elif len(hit) != 1:
            notes.append(Note("hypotheses.note.no_row", {"label": h["label"], "n": len(hit)}))
        else:
            r = hit.iloc[0]
            est = next((c for c in ESTIMATES if c in r.index and math.isfinite(as_float(r[c]))), None)
            row.update(estimate=as_float(r[est]) if est else math.nan, p=as_float(r.get("p")),
                       ci_low=as_float(r.get("ci_low")), ci_high=as_float(r.get("ci_high")))
            row["verdict"] = verdict(row["estimate"], row["p"], row["ci_low"], row["ci_high"], h["expected"])
        rows.append(row)
    notes.append(Note("hypotheses.note.convention"))
    return Result("hypotheses", int(len(ds.frame)), {"summary": pd.DataFrame(rows, columns=COLS)}, notes)
