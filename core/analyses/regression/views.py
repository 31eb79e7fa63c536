"""Views of the regression family: the thesis-style correlation triangle."""
from __future__ import annotations

import math

import pandas as pd

from core.data.model import Dataset
from core.format import fmt_num, star_note, stars
from core.i18n import t
from core.types import Result


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
