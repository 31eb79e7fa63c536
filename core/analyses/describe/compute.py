"""Descriptive statistics and frequency tables (SPSS DESCRIPTIVES / FREQUENCIES).

Each variable is described on its own valid values (no listwise deletion
across variables), as SPSS does; ``n_used`` is the number of rows with at least
one valid value among the chosen variables.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.analyses.describe.spec import SPEC
from core.data.model import Dataset, json_code
from core.errors import UserError
from core.stats import moments
from core.types import Note, Result


def run(ds: Dataset, opts: dict) -> Result:
    variables = opts["variables"] or []
    freqs = opts["frequencies"] or []
    if not variables and not freqs:
        raise UserError("describe.error.nothing_chosen")
    notes: list[Note] = []
    rows = []
    for name in variables:
        if not ds.is_numeric(name):
            notes.append(Note("describe.note.not_numeric", {"name": name}))
            continue
        x = ds.numeric(name)
        m = moments(x)
        rows.append({"variable": name, "label": ds.label(name), **m, "missing": int(len(x) - m["n"])})
    describe = pd.DataFrame(rows, columns=SPEC.table("describe").column_names)

    frows = []
    for name in freqs:
        codes, labels = ds.levels(name)
        col = ds.frame[name]
        valid = int(col.notna().sum())
        counts = col.value_counts(dropna=True)
        cum = 0.0
        for code, lab in zip(codes, labels):
            n = int(counts.get(code, 0))
            pct = 100.0 * n / valid if valid else np.nan
            cum += pct
            frows.append({"variable": name, "level": lab, "code": json_code(code), "n": n, "percent": pct,
                          "cum_percent": cum, "percent_of_all": 100.0 * n / len(col) if len(col) else np.nan})
        if valid < len(col):
            notes.append(Note("describe.note.freq_missing", {"name": name, "n": int(len(col) - valid)}))
    frequencies = pd.DataFrame(frows, columns=SPEC.table("frequencies").column_names)
    used = ds.frame[list(dict.fromkeys(variables + freqs))].notna().any(axis=1).sum()
    notes.append(Note("describe.note.convention"))
    return Result("describe", int(used), {"describe": describe, "frequencies": frequencies}, notes)
