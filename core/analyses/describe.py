"""Descriptive statistics and frequency tables (SPSS DESCRIPTIVES / FREQUENCIES).

Each variable is described on its own valid values (no listwise deletion
across variables), as SPSS does; ``n_used`` is the number of rows with at least
one valid value among the chosen variables.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core import charts
from core.data.model import Dataset
from core.interpret import describe as describe_text
from core.errors import UserError
from core.stats import moments
from core.types import AnalysisSpec, Column, Note, Option, Result, TableSpec

DESCRIBE_COLS = ("variable", "label", "n", "missing", "mean", "sd", "min", "max", "skew", "se_skew",
                 "kurtosis", "se_kurtosis")


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
    describe = pd.DataFrame(rows, columns=list(DESCRIBE_COLS))

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
            frows.append({"variable": name, "level": lab, "code": _json_code(code), "n": n, "percent": pct,
                          "cum_percent": cum, "percent_of_all": 100.0 * n / len(col) if len(col) else np.nan})
        if valid < len(col):
            notes.append(Note("describe.note.freq_missing", {"name": name, "n": int(len(col) - valid)}))
    frequencies = pd.DataFrame(frows, columns=["variable", "level", "code", "n", "percent", "cum_percent",
                                               "percent_of_all"])
    used = ds.frame[list(dict.fromkeys(variables + freqs))].notna().any(axis=1).sum()
    notes.append(Note("describe.note.convention"))
    return Result("describe", int(used), {"describe": describe, "frequencies": frequencies}, notes)


def _json_code(code):
    if isinstance(code, (np.integer,)):
        return int(code)
    if isinstance(code, (float, np.floating)):
        return int(code) if float(code).is_integer() else float(code)
    return code


def chart_list(result: Result, ds: Dataset, lang: str) -> list:
    out = []
    freq = result.tables["frequencies"]
    for name, sub in freq.groupby("variable", sort=False):
        out.append((f"freq_{name}", charts.frequency_bars(sub, ds.label(name), lang)))
    return out


SPEC = AnalysisSpec(
    type="describe",
    group="describe",
    doc="Descriptive statistics of numeric variables and scales, and frequency tables of categorical ones.",
    options=(
        Option("variables", "variables", default=[], role="numeric",
               doc="Numeric variables or scales to describe."),
        Option("frequencies", "variables", default=[], role="categorical",
               doc="Categorical variables to tabulate (levels named by value labels)."),
    ),
    tables=(
        TableSpec("describe", (
            Column("variable", "text", "Variable or scale name."),
            Column("label", "text", "Variable label (or the name)."),
            Column("n", "int", "Valid values."),
            Column("missing", "int", "Missing values."),
            Column("mean", "num", "Mean."),
            Column("sd", "num", "Standard deviation (n − 1)."),
            Column("min", "num", "Minimum."),
            Column("max", "num", "Maximum."),
            Column("skew", "num", "Skewness, bias-adjusted G1 (as SPSS)."),
            Column("se_skew", "num", "Standard error of skewness (SPSS)."),
            Column("kurtosis", "num", "Excess kurtosis, bias-adjusted G2 (as SPSS)."),
            Column("se_kurtosis", "num", "Standard error of kurtosis (SPSS)."),
        ), "One row per variable, each on its own valid values."),
        TableSpec("frequencies", (
            Column("variable", "text", "Categorical variable."),
            Column("level", "text", "Level, named by its value label when there is one."),
            Column("code", "text", "The level's code in the data."),
            Column("n", "int", "Count."),
            Column("percent", "pct", "Percent of valid values (SPSS 'Valid Percent')."),
            Column("cum_percent", "pct", "Cumulative valid percent."),
            Column("percent_of_all", "pct", "Percent of all rows, missing included (SPSS 'Percent')."),
        ), "One row per variable × level."),
    ),
    run=run,
    charts=chart_list,
    findings=describe_text.findings,
)
