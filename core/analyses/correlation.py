"""Pearson and Spearman correlations among chosen variables (SPSS CORRELATIONS
/ NONPAR CORR, R ``cor.test``), plus the thesis-style lower-triangle table
(M, SD and r with stars) that pages and exports share.

Pairwise deletion: each pair uses the rows where both variables are present
(Spearman ranks within those rows, as SPSS); listwise: only the rows where
every chosen variable is present.  p values are two-sided from
t = r·√((n − 2)/(1 − r²)) on n − 2 df — for Spearman this is
``cor.test(method = "spearman", exact = FALSE)`` and SPSS's approximation.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from core.data.model import Dataset
from core.errors import UserError
from core.format import fmt_num, star_note, stars
from core.i18n import t
from core.types import AnalysisSpec, Column, Finding, Note, Option, Result, TableSpec, ViewSpec

MATRIX_COLS = ("var_a", "var_b", "r", "p", "n")
DESC_COLS = ("variable", "n", "mean", "sd")


def _rank(x: np.ndarray) -> np.ndarray:
    return stats.rankdata(x, method="average")


def _r_p(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    n = x.size
    if n < 3:
        return math.nan, math.nan
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float(dx @ dx), float(dy @ dy)
    if sxx <= 0 or syy <= 0:
        return math.nan, math.nan
    r = float(dx @ dy) / math.sqrt(sxx * syy)
    r = max(-1.0, min(1.0, r))
    if abs(r) >= 1.0:
        return r, 0.0
    tval = r * math.sqrt((n - 2) / (1.0 - r * r))
    return r, float(2.0 * stats.t.sf(abs(tval), n - 2))


def run(ds: Dataset, opts: dict) -> Result:
    variables = list(dict.fromkeys(opts.get("variables") or []))
    if len(variables) < 2:
        raise UserError("correlation.error.too_few_variables")
    method = opts.get("method") or "pearson"
    missing = opts.get("missing") or "pairwise"
    cols = {v: ds.numeric(v) for v in variables}
    notes: list[Note] = []
    total = len(ds.frame)
    complete = np.ones(total, dtype=bool)
    for v in variables:
        complete &= np.isfinite(cols[v])
    if missing == "listwise":
        n_used = int(complete.sum())
        if n_used < 3:
            raise UserError("error.too_few_rows", n=n_used, need=3)
        data = {v: cols[v][complete] for v in variables}
        if method == "spearman":
            data = {v: _rank(x) for v, x in data.items()}
        notes.append(Note("correlation.note.listwise", {"n": n_used}))
    else:
        n_used = int(np.isfinite(np.column_stack([cols[v] for v in variables])).any(axis=1).sum())
        notes.append(Note("correlation.note.pairwise"))

    rows = []
    undefined = []
    for i, a in enumerate(variables):
        for b in variables[i + 1:]:
            if missing == "listwise":
                x, y = data[a], data[b]
            else:
                ok = np.isfinite(cols[a]) & np.isfinite(cols[b])
                x, y = cols[a][ok], cols[b][ok]
                if method == "spearman":
                    x, y = _rank(x), _rank(y)
            r, p = _r_p(x, y)
            if math.isnan(r):
                undefined.append(f"{a}–{b}")
            rows.append({"var_a": a, "var_b": b, "r": r, "p": p, "n": int(x.size)})
    matrix = pd.DataFrame(rows, columns=list(MATRIX_COLS))
    if undefined:
        notes.append(Note("correlation.note.undefined", {"pairs": ", ".join(undefined)}))

    drows = []
    for v in variables:
        x = cols[v][complete] if missing == "listwise" else cols[v][np.isfinite(cols[v])]
        drows.append({"variable": v, "n": int(x.size), "mean": float(x.mean()) if x.size else math.nan,
                      "sd": float(x.std(ddof=1)) if x.size > 1 else math.nan})
    descriptives = pd.DataFrame(drows, columns=list(DESC_COLS))
    notes.append(Note(f"correlation.note.{method}"))
    return Result("correlation", n_used, {"matrix": matrix, "descriptives": descriptives}, notes,
                  meta={"variables": variables, "method": method, "missing": missing})


# ---- the thesis-style table ----------------------------------------------------
def lower_triangle(result: Result, labels: dict | None = None, lang: str = "en", digits: int = 2,
                   scheme: str = "spss", diagonal: str = "1") -> pd.DataFrame:
    """The correlation table as theses print it: one row per variable
    ("1. Organisational climate"), columns M and SD, then 1 … k with r (no
    leading zero) and stars in the lower triangle, ``diagonal`` on the
    diagonal, blanks above.  Stars: SPSS (.05, .01) or APA (.05, .01, .001);
    :func:`lower_triangle_note` gives the matching footnote.  Strings, for
    display and exports (Word/Excel/HTML)."""
    variables = list(result.meta.get("variables") or result.tables["descriptives"]["variable"])
    labels = labels or {}
    desc = result.tables["descriptives"].set_index("variable")
    lookup = {}
    for row in result.tables["matrix"].itertuples(index=False):
        lookup[(row.var_a, row.var_b)] = lookup[(row.var_b, row.var_a)] = (row.r, row.p)
    head_var = t("correlation.tri.variable", lang)
    head_m, head_sd = t("correlation.tri.m", lang), t("correlation.tri.sd", lang)
    records = []
    for i, v in enumerate(variables):
        rec = {head_var: f"{i + 1}. {labels.get(v, v)}", head_m: fmt_num(desc.at[v, "mean"], digits),
               head_sd: fmt_num(desc.at[v, "sd"], digits)}
        for j, w in enumerate(variables):
            if j < i:
                r, p = lookup[(v, w)]
                rec[str(j + 1)] = "" if r is None or math.isnan(r) else \
                    fmt_num(r, digits, leading_zero=False) + stars(p, scheme)
            elif j == i:
                rec[str(j + 1)] = diagonal
            else:
                rec[str(j + 1)] = ""
        records.append(rec)
    return pd.DataFrame(records, columns=[head_var, head_m, head_sd] + [str(j + 1) for j in range(len(variables))])


def lower_triangle_note(result: Result, lang: str = "en", scheme: str = "spss") -> str:
    """Footnote of :func:`lower_triangle`: method, deletion, n and stars."""
    method = result.meta.get("method", "pearson")
    m = result.tables["matrix"]
    ns = sorted({int(v) for v in m["n"]}) if len(m) else [result.n_used]
    n_text = str(ns[0]) if len(ns) == 1 else f"{ns[0]}–{ns[-1]}"
    return t("correlation.tri.note", lang, method=t(f"correlation.choice.method.{method}", lang), n=n_text) + " " + \
        star_note(scheme, lang)


def triangle_view(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> tuple[pd.DataFrame, str]:
    """The ``triangle`` view: :func:`lower_triangle` with the variables' labels
    and its footnote (SPSS stars, as the page shows it)."""
    labels = {v: ds.label(v) for v in result.meta.get("variables") or []}
    return lower_triangle(result, labels, lang), lower_triangle_note(result, lang)


# ---- charts, interpretation, findings -------------------------------------------
def chart_list(result: Result, ds: Dataset, lang: str) -> list:
    from core.charts import regression as rch

    labels = {v: ds.label(v) for v in result.meta.get("variables", [])}
    return [("heatmap", rch.correlation_heatmap(result.tables["matrix"], result.meta.get("variables", []),
                                                labels, lang))]


def interpret(result: Result, ds: Dataset, lang: str) -> list[str]:
    from core.interpret import regression as ri

    return ri.correlation(result, ds, lang)


def findings(result: Result, ds: Dataset, lang: str) -> list[Finding]:
    from core.interpret import regression as ri

    return ri.correlation_findings(result, ds, lang)


SPEC = AnalysisSpec(
    type="correlation",
    group="regression",
    doc="Pearson or Spearman correlations among variables with two-sided p values and pairwise n; "
        "descriptives for the thesis-style lower-triangle table (M, SD, r with stars).",
    options=(
        Option("variables", "variables", default=[], required=True, role="numeric",
               doc="Two or more numeric variables or scales, in the order the table shows them."),
        Option("method", "choice", default="pearson", choices=("pearson", "spearman"),
               doc="pearson, or spearman (Pearson r of average ranks; p from the t approximation as "
                   "cor.test(exact = FALSE) and SPSS)."),
        Option("missing", "choice", default="pairwise", choices=("pairwise", "listwise"),
               doc="pairwise: each pair on the rows where both are present (SPSS default); "
                   "listwise: only rows where all chosen variables are present."),
    ),
    tables=(
        TableSpec("matrix", (
            Column("var_a", "text", "First variable of the pair (earlier in the given order)."),
            Column("var_b", "text", "Second variable of the pair."),
            Column("r", "num", "Pearson r, or Spearman ρ (Pearson r of average ranks)."),
            Column("p", "p", "Two-sided p from t = r√((n−2)/(1−r²)) on n − 2 df."),
            Column("n", "int", "Rows used for this pair."),
        ), "Every unordered pair once, var_a before var_b in the order the variables were given."),
        TableSpec("descriptives", (
            Column("variable", "text", "Variable or scale."),
            Column("n", "int", "Valid values (listwise: the common rows)."),
            Column("mean", "num", "Mean."),
            Column("sd", "num", "Standard deviation (n − 1)."),
        ), "M and SD for the thesis-style table: each variable's valid values (pairwise) or the "
           "complete rows (listwise)."),
    ),
    run=run,
    charts=chart_list,
    interpret=interpret,
    findings=findings,
    views=(ViewSpec("triangle", triangle_view,
                    "Thesis-style table: one row per variable with M and SD, r with stars (SPSS: * p < .05, "
                    "** p < .01) in the lower triangle."),),
)
