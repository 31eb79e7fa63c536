"""Formula-injection neutralisation for everything written to CSV or Excel.

A spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@`` (and,
through some importers, a tab or carriage return) as a formula: a column name
or value label from an uploaded file such as ``=HYPERLINK(...)`` would run on
the reader's machine.  Every *text* cell we write is prefixed with a single
quote when it starts with one of those characters (OWASP's advice).  Numbers
are never touched: ``-1.5`` stays the number -1.5.
"""
from __future__ import annotations

import csv
import io
import math
import re

import numpy as np
import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text) -> str:
    """Text without the characters XML (docx, pptx, xlsx) cannot hold, such as
    control characters from data files."""
    return _NOT_XML.sub("", str(text))


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading ``'``;
    anything else (numbers included) is returned unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def cell_value(value):
    """A value ready for a spreadsheet cell: numbers as Python numbers,
    missing as None, everything else as neutralised text."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return neutralise(str(value))


def csv_text(header: list[str], rows: list[list]) -> str:
    """CSV with neutralised text cells; numbers written at full precision."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        out = []
        for v in row:
            v = cell_value(v)
            out.append("" if v is None else repr(v) if isinstance(v, float) else v)
        w.writerow(out)
    return buf.getvalue()


def frame_csv(df: pd.DataFrame, header: list[str] | None = None) -> bytes:
    """A DataFrame as UTF-8 CSV with a BOM (so Excel opens Chinese correctly)."""
    header = list(df.columns) if header is None else header
    rows = [list(r) for r in df.itertuples(index=False, name=None)]
    return ("\ufeff" + csv_text(header, rows)).encode("utf-8")
