"""Data importers: CSV/TXT/TSV, Excel (.xlsx, legacy .xls), SPSS (.sav/.zsav), Stata (.dta).

Everything here turns bytes into a :class:`~core.data.model.RawData` and
turns every user-fixable problem (empty, binary, ragged, corrupt, ambiguous
Excel header, …) into a :class:`~core.errors.UserError` whose catalogue key
lives under ``io.`` in ``core/i18n/strings/data_io.toml``.  Unexpected parser
failures become ``io.unreadable``; nothing escapes as a raw traceback.

Uploaded data is never written to disk: pyreadstat, openpyxl and xlrd all
read from in-memory bytes.

Survey-platform quirks handled while reading: rows with no answer at all are
dropped (with a note), numbers typed with full-width digits (``４``, ``－１``,
``３．５``) are numbers, a column that a few stray cells keep from being
numeric is named with those cells, a Windows-1252 file that happens to decode
as GB18030 is decided by plausibility, and Qualtrics' second and third header
rows (question text, ``{"ImportId": …}``) are skipped, the question text kept
as variable labels.

An .xlsx is a zip of XML that can expand far beyond its size, and one server
process serves every user, so a workbook is checked against a budget before
openpyxl opens it (:func:`_check_xlsx_budget`: the zip's directory, then
each sheet's XML streamed once): every part of at most :data:`XLSX_MAX_PART_MB`
(worksheets) or :data:`XLSX_MAX_OTHER_MB` (shared strings, styles, …) and
:data:`XLSX_MAX_TOTAL_MB` in all, expanded; a part over 1 MB compressed at
most :data:`XLSX_MAX_RATIO`:1; at most :data:`XLSX_MAX_CELLS` cells in the
sheet (counted in its XML first, and again as openpyxl fills rows out to
their last cell); no cell text longer than Excel's own limit of
:data:`XLSX_MAX_CELL_CHARS` characters.  Larger data: save it as CSV.

A text table (CSV/TXT/TSV) is read from its bytes without a decoded copy of
the whole file, and within a budget checked before pandas parses it
(:func:`_check_csv_budget`): at most :data:`CSV_MAX_CELLS` cells, estimated as
its line ends × the header's fields (besides :data:`MAX_UPLOAD_MB`).  Reading
takes about 20 bytes a cell at its peak and keeps 8 bytes per numeric cell, so
the budget bounds one upload to roughly 400 MB at its peak and 160 MB kept
(measured: docs/performance.md).

Public API: :data:`MAX_UPLOAD_MB`, :data:`CSV_MAX_CELLS`, :func:`read_bytes`, :func:`read_path`,
:func:`list_sheets`.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from core.data.model import RawData, VariableMeta
from core.errors import UserError
from core.types import Note

MAX_UPLOAD_MB = 200
CSV_MAX_CELLS = 20_000_000
XLSX_MAX_CELLS = 1_000_000
XLSX_MAX_CELL_CHARS = 32_767
XLSX_MAX_PART_MB = 256
XLSX_MAX_OTHER_MB = 32
XLSX_MAX_TOTAL_MB = 256
XLSX_MAX_RATIO = 100

_TEXT_EXT = {".csv": "csv", ".txt": "csv", ".tsv": "csv"}
_EXCEL_EXT = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls"}
_STAT_EXT = {".sav": "sav", ".zsav": "zsav", ".dta": "dta"}
_SUPPORTED = ".csv, .txt, .tsv, .xlsx, .xls, .sav, .zsav, .dta"

# Language-neutral names used in messages ({format}, {detected}).
_FORMAT_NAMES = {
    "csv": "CSV",
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97-2003 (.xls)",
    "sav": "SPSS (.sav)",
    "zsav": "SPSS (.zsav)",
    "dta": "Stata (.dta)",
}

_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_CHARS = 32_768
_DECODE_PIECE = 4 * 1024 * 1024
_NON_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")
_EXCEL_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"}


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------
def read_bytes(
    content: bytes,
    filename: str,
    sheet: str | None = None,
    header_row: int | None = None,
    skip_rows: int | None = None,
) -> RawData:
    """Read an uploaded file's bytes into :class:`RawData`.

    ``filename`` decides the format by its extension.  ``sheet`` picks an
    Excel sheet (default: the first).  ``header_row`` is the 0-based row
    index of the header (Excel: the sheet row number minus one; text: the
    number of lines to skip before the header); ``None`` = the first row.
    ``skip_rows`` is the number of extra header rows below the header (the
    first of them gives variable labels); ``None`` = recognise Qualtrics'
    question-text and ImportId rows.
    """
    content = bytes(content) if not isinstance(content, bytes) else content
    name = Path(str(filename or "")).name
    _check_size(len(content))
    ext = Path(name).suffix.lower()
    fmt = _format_for(ext, name)
    if header_row is not None:
        if isinstance(header_row, bool) or not isinstance(header_row, (int, np.integer)) or header_row < 0:
            raise UserError("io.bad_header_row", header_row=str(header_row), row=str(header_row))
        header_row = int(header_row)
    if skip_rows is not None:
        if isinstance(skip_rows, bool) or not isinstance(skip_rows, (int, np.integer)) or skip_rows < 0:
            raise UserError("io.bad_skip_rows", skip_rows=str(skip_rows))
        skip_rows = int(skip_rows)

    try:
        if fmt == "csv":
            raw = _read_text(content, name, ext, header_row, skip_rows)
        elif fmt == "xlsx":
            raw = _read_xlsx(content, name, sheet, header_row, skip_rows)
        elif fmt == "xls":
            raw = _read_xls(content, name, sheet, header_row, skip_rows)
        else:
            raw = _read_stat(content, name, fmt)
    except UserError:
        raise
    except Exception as exc:  # any parser surprise is a readable message, never a traceback
        raise UserError("io.unreadable", name=name, format=_FORMAT_NAMES[fmt]) from exc

    raw.source.update(
        name=name,
        format=fmt,
        fingerprint=hashlib.sha256(content).hexdigest(),
        rows=int(raw.frame.shape[0]),
        columns=int(raw.frame.shape[1]),
    )
    for k in ("encoding", "delimiter", "sheet", "sheets", "header_row", "skip_rows"):
        raw.source.setdefault(k, None)
    return raw


def read_path(path, sheet: str | None = None, header_row: int | None = None,
              skip_rows: int | None = None) -> RawData:
    """Read a file from disk (recipes, CLI, tests) via :func:`read_bytes`."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        raise UserError("io.file_not_found", path=str(path)) from None
    if not p.is_file():
        raise UserError("io.file_not_found", path=str(path))
    _check_size(size)
    try:
        content = p.read_bytes()
    except OSError:
        raise UserError("io.file_not_found", path=str(path)) from None
    return read_bytes(content, p.name, sheet=sheet, header_row=header_row, skip_rows=skip_rows)


def list_sheets(content: bytes, filename: str) -> list[str]:
    """Sheet names of an Excel workbook, in order; ``[]`` for other formats."""
    name = Path(str(filename or "")).name
    ext = Path(name).suffix.lower()
    if ext not in _EXCEL_EXT:
        return []
    content = bytes(content)
    _check_size(len(content))
    if _EXCEL_EXT[ext] == "xls":
        return [sh.name for sh in _open_xls(content, name).sheets()]
    _check_xlsx_container(content, name)
    _check_xlsx_budget(content, name)
    try:
        wb = _open_workbook(content, name)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    except UserError:
        raise
    except Exception as exc:
        raise UserError("io.unreadable", name=name, format=_FORMAT_NAMES["xlsx"]) from exc


# ---------------------------------------------------------------------------
# dispatch helpers
# ---------------------------------------------------------------------------
def _check_size(n_bytes: int) -> None:
    limit = MAX_UPLOAD_MB * 1024 * 1024
    if n_bytes > limit:
        raise UserError(
            "io.too_large",
            size_mb=f"{n_bytes / (1024 * 1024):.1f}",
            limit_mb=str(MAX_UPLOAD_MB),
        )


def _format_for(ext: str, name: str) -> str:
    if ext in _TEXT_EXT:
        return _TEXT_EXT[ext]
    if ext in _EXCEL_EXT:
        return _EXCEL_EXT[ext]
    if ext in _STAT_EXT:
        return _STAT_EXT[ext]
    raise UserError("io.unsupported_format", name=name, ext=ext or "-", supported=_SUPPORTED)


def _magic(content: bytes) -> str | None:
    """What the first bytes say the file is (None = no known signature)."""
    head = content[:16]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "Excel (.xlsx) / ZIP"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "Excel 97-2003 (.xls)"
    if head.startswith((b"$FL2", b"$FL3")):
        return "SPSS (.sav)"
    if head.startswith(b"<stata_dta>"):
        return "Stata (.dta)"
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.startswith(b"\x89PNG"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x1f\x8b"):
        return "GZIP"
    return None


def _looks_binary(content: bytes) -> bool:
    """NUL bytes or many control characters: not a text table."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM
        return False
    sample = content[:65_536]
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([c])) for c in (*range(1, 9), 11, *range(14, 27), *range(28, 32), 127))
    return controls > max(2, len(sample) // 100)


# ---------------------------------------------------------------------------
# CSV / TXT / TSV
# ---------------------------------------------------------------------------
def _decodes(content: bytes, encoding: str) -> bool:
    """Whether all of ``content`` decodes as ``encoding``, checked in pieces
    (the whole text is never held)."""
    dec = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for i in range(0, len(view), _DECODE_PIECE):
            dec.decode(view[i:i + _DECODE_PIECE])
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding(content: bytes) -> tuple[str, list[Note]]:
    """Encoding of a CSV: UTF-16/UTF-8 by BOM or validity, then GB18030 or
    Windows-1252 decided by plausibility (see :func:`_gb_plausibility`)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", []
    if _decodes(content, "utf-8"):
        return ("utf-8-sig" if content.startswith(b"\xef\xbb\xbf") else "utf-8"), []
    gb = _decodes(content, "gb18030")
    western = _decodes(content, "cp1252")
    if gb:
        share = _gb_plausibility(content.decode("gb18030"))
        if not western or share >= 0.9:
            return "gb18030", []
        if share < 0.5:  # mostly rare characters: a Western file that happens to decode as GB18030
            return "cp1252", [Note("io.warn_encoding_guess", {"encoding": "Windows-1252", "other": "GB18030 (GBK)"})]
        return "gb18030", [Note("io.warn_encoding_guess", {"encoding": "GB18030 (GBK)", "other": "Windows-1252"})]
    if western:
        return "cp1252", [Note("io.warn_encoding_fallback", {"encoding": "Windows-1252"})]
    return "latin-1", [Note("io.warn_encoding_fallback", {"encoding": "latin-1"})]


def _gb_plausibility(text: str) -> float:
    """Share of the non-ASCII characters of a GB18030 decoding that are in
    GB2312 (the 6,763 common hanzi and CJK punctuation every Chinese survey
    uses).  Western text mis-read as GB18030 gives mostly rare characters
    (é followed by an ASCII letter is a GBK extension character)."""
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return 1.0
    common = 0
    for c in wide:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(wide)


def _sniff_delimiter(text: str, ext: str) -> str:
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
    if not lines:
        return "\t" if ext == ".tsv" else ","

    def consistent(d: str) -> int:
        """Field count if every sampled line agrees (>1), else 0."""
        try:
            counts = {len(r) for r in csv.reader(lines, delimiter=d) if r}
        except csv.Error:
            return 0
        # quoted fields spanning lines make per-line counts unreliable; use the header's
        first = len(next(csv.reader(lines[:1], delimiter=d), []))
        if first > 1 and (len(counts) == 1 or max(counts) <= first):
            return first
        return 0

    try:
        d = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        d = None
    if d in _DELIMITERS and consistent(d):
        return d
    preferred = ("\t",) + _DELIMITERS if ext == ".tsv" else _DELIMITERS
    best, best_n = None, 0
    for cand in preferred:
        n = consistent(cand)
        if n > best_n:
            best, best_n = cand, n
    if best:
        return best
    # No consistent split: the delimiter most frequent in the header line, else the default.
    header = lines[0]
    counts = {c: header.count(c) for c in preferred}
    top = max(counts, key=counts.get)
    if counts[top] > 0:
        return top
    return "\t" if ext == ".tsv" else ","


def _first_records(lines, delimiter: str):
    """(header, first data record, physical line of that record) — blank lines skipped.
    ``lines``: the text's lines (a stream: only the first records are read)."""
    reader = csv.reader(lines, delimiter=delimiter)
    header = first = None
    first_line = 0
    try:
        for rec in reader:
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue
            if header is None:
                header = rec
                prev = reader.line_num
                continue
            first = rec
            first_line = prev + 1
            break
    except csv.Error:
        pass
    return header, first, first_line


def _find_long_record(lines, delimiter: str, width: int) -> tuple[int, int] | None:
    """Physical line number and field count of the first record longer than the header."""
    reader = csv.reader(lines, delimiter=delimiter)
    seen_header = False
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not rec:
                continue
            if not seen_header:
                seen_header = True
                continue
            if len(rec) > width:
                return start, len(rec)
    except csv.Error:
        return None
    return None


def _blank_bytes(content: bytes, start: int = 0) -> bool:
    """Nothing but ASCII white space from ``start`` on (no copy of the bytes)."""
    return _NON_SPACE.search(content, start) is None


def _text_lines(content: bytes, start: int, encoding: str):
    """The text from byte ``start`` on, decoded as it is read (lines end at \\n only,
    as a plain split would cut them): the whole text is never held."""
    buf = io.BytesIO(content)   # shares the bytes, no copy
    buf.seek(start)
    return io.TextIOWrapper(buf, encoding=encoding, newline="\n")


def _check_csv_budget(content: bytes, start: int, columns: int, name: str) -> None:
    """Refuse a text table that would be too large once read, before pandas
    reads it: rows estimated by counting line ends (an upper bound: a quoted
    answer spanning lines counts twice), times the header's fields."""
    rows = content.count(b"\n", start) + 1
    if rows * columns > CSV_MAX_CELLS:
        raise UserError("io.csv_too_many_cells", name=name, rows=f"{rows:,}", columns=f"{columns:,}",
                        limit=f"{CSV_MAX_CELLS:,}")


def _read_text(content: bytes, name: str, ext: str, header_row: int | None, skip_rows: int | None) -> RawData:
    """A delimited text file, read from its bytes: the encoding is checked in
    pieces, the delimiter and first records come from the head of the text, and
    pandas parses the bytes themselves — no decoded copy of the whole file is
    ever made (a Python str of it, or a StringIO, costs 1–4 bytes per character;
    a 100 MB upload peaked at 1.6 GB that way)."""
    if _blank_bytes(content):
        raise UserError("io.empty", name=name)
    if _magic(content) and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = _magic(content)
        if kind in ("Excel (.xlsx) / ZIP", "Excel 97-2003 (.xls)", "SPSS (.sav)", "Stata (.dta)"):
            raise UserError("io.extension_mismatch", name=name, ext=ext, detected=kind)
        raise UserError("io.not_text", name=name)
    if _looks_binary(content):
        raise UserError("io.not_text", name=name)

    found_encoding, notes = _encoding(content)
    encoding = found_encoding
    if encoding == "utf-16":   # the one encoding whose line ends are not the byte \n: as UTF-8 from here on
        content, encoding = content.decode("utf-16").encode("utf-8"), "utf-8"
    if content.endswith(b"\x1a"):  # DOS end-of-file marker
        content = content.rstrip(b"\x1a")
    if _blank_bytes(content):
        raise UserError("io.empty", name=name)

    # from here the encoding is ASCII-compatible and no multi-byte character holds the byte \n
    start = skipped = 0
    if header_row:
        for _ in range(header_row):
            start = content.find(b"\n", start) + 1
            if not start:
                break
        if not start or _blank_bytes(content, start):
            raise UserError("io.bad_header_row", header_row=str(header_row), row=str(header_row + 1))
        skipped = header_row

    delimiter = _sniff_delimiter(_text_lines(content, start, encoding).read(_SAMPLE_CHARS + 1), ext)
    header, first, first_line = _first_records(_text_lines(content, start, encoding), delimiter)
    if header is None:
        raise UserError("io.empty", name=name)
    if first is None:
        raise UserError("io.no_rows", name=name)
    if len(first) > len(header):
        raise UserError(
            "io.ragged_rows",
            name=name,
            line=str(first_line + skipped),
            expected=str(len(header)),
            saw=str(len(first)),
        )
    _check_csv_budget(content, start, len(header), name)

    try:
        buf = io.BytesIO(content)   # shares the bytes
        buf.seek(start)
        frame = pd.read_csv(
            buf,
            encoding=encoding,
            sep=delimiter,
            header=0,
            index_col=False,
            skip_blank_lines=True,
            low_memory=False,
        )
    except pd.errors.ParserError as exc:
        msg = str(exc)
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if m:
            found = _find_long_record(_text_lines(content, start, encoding), delimiter, len(header))
            line, saw = found if found else (int(m.group(2)), int(m.group(3)))
            raise UserError(
                "io.ragged_rows",
                name=name,
                line=str(line + skipped),
                expected=str(len(header)),
                saw=str(saw),
            ) from None
        m = re.search(r"EOF inside string starting at row (\d+)", msg)
        if m:
            raise UserError("io.unclosed_quote", name=name, line=str(int(m.group(1)) + 1 + skipped)) from None
        raise UserError("io.unreadable", name=name, format=_FORMAT_NAMES["csv"]) from exc
    except pd.errors.EmptyDataError:
        raise UserError("io.empty", name=name) from None

    raw_names = list(header) if len(header) == frame.shape[1] else list(frame.columns)
    frame.columns = range(frame.shape[1])
    frame, labels, skip = _platform_header_rows(frame, skip_rows)
    frame, comma_cols, blocked = _tidy_frame(frame, decimal_comma=delimiter != ",", numeric_text=True)
    empty = frame.isna().all(axis=1)
    if empty.any():  # a row of bare delimiters (Excel leaves them) is nobody's answer
        holed = [c for c in frame.columns if frame[c].dtype.kind == "f" and frame[c].isna().any()]
        frame = frame.loc[~empty].copy()
        for c in holed:  # integer columns that were float only because of the empty rows
            frame[c] = _maybe_int(frame[c])
        notes.append(Note("io.warn_dropped_empty_rows", {"count": str(int(empty.sum()))}))
        if frame.empty:
            raise UserError("io.no_rows", name=name)
    raw = _finish(frame, raw_names, None, name, notes, drop_unnamed_empty=True, decimal_cols=comma_cols,
                  blocked=blocked, labels=labels)
    raw.source.update(encoding=found_encoding, delimiter=delimiter, header_row=header_row, skip_rows=skip)
    return raw


_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')


def _platform_header_rows(frame: pd.DataFrame, skip: int | None) -> tuple[pd.DataFrame, list | None, int]:
    """Extra header rows below the header: ``skip`` of them, or (``None``)
    Qualtrics' two — row 2 = question text, row 3 = ``{"ImportId": …}``.

    Returns the frame without them, the texts of the first (variable labels,
    by position) and the number of rows skipped."""
    if skip is not None:
        if skip and skip >= len(frame):
            raise UserError("io.bad_skip_rows", skip_rows=str(skip))
        if not skip:
            return frame, None, 0
        labels = [v.strip() if isinstance(v, str) and v.strip() else None for v in frame.iloc[0].tolist()]
        return frame.iloc[skip:].reset_index(drop=True), labels, skip
    if len(frame) < 3:
        return frame, None, 0
    third = [v for v in frame.iloc[1].tolist() if isinstance(v, str) and v.strip()]
    if not third or sum(bool(_IMPORT_ID.match(v.strip())) for v in third) < max(1, len(third) / 2):
        return frame, None, 0
    labels = [v.strip() if isinstance(v, str) and v.strip() else None for v in frame.iloc[0].tolist()]
    return frame.iloc[2:].reset_index(drop=True), labels, 2


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------
def _check_xlsx_container(content: bytes, name: str) -> None:
    if _blank_bytes(content):
        raise UserError("io.empty", name=name)
    kind = _magic(content)
    if kind == "Excel (.xlsx) / ZIP":
        return
    if kind == "Excel 97-2003 (.xls)":
        raise UserError("io.excel_legacy_or_protected", name=name)
    if kind is None and not _looks_binary(content):
        raise UserError("io.extension_mismatch", name=name, ext=Path(name).suffix.lower(), detected="CSV / text")
    if kind is not None:
        raise UserError("io.extension_mismatch", name=name, ext=Path(name).suffix.lower(), detected=kind)
    raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES["xlsx"])


def _open_workbook(content: bytes, name: str):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES["xlsx"]) from exc


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


_MB = 1024 * 1024


def _check_xlsx_budget(content: bytes, name: str) -> dict[str, list[tuple[int, int, int, int]]]:
    """Refuse a workbook that would expand beyond the budget, before openpyxl
    opens it (its read-only mode parses a sheet without a <dimension> through
    to the end just to open the workbook).  The zip's directory bounds every
    part's expanded size (Python's zipfile never inflates a part beyond the size
    its directory states); each worksheet's XML is then streamed once to count
    its cells.  Returns each sheet's merged cell ranges (by sheet name) as
    (min_col, min_row, max_col, max_row), 1-based: openpyxl's read-only mode
    does not expose them."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            parts = z.infolist()
            total = 0
            for part in parts:
                size = part.file_size
                total += size
                limit = XLSX_MAX_PART_MB if part.filename.startswith("xl/worksheets/") else XLSX_MAX_OTHER_MB
                ratio = size / max(part.compress_size, 1)
                if size > limit * _MB or total > XLSX_MAX_TOTAL_MB * _MB or (size > _MB and ratio > XLSX_MAX_RATIO):
                    raise UserError("io.xlsx_bomb", name=name, part=part.filename[:80], size_mb=f"{size / _MB:.0f}",
                                    ratio=f"{ratio:.0f}", limit_mb=str(limit), limit_ratio=str(XLSX_MAX_RATIO))
            sheets = _sheet_names(z)
            merges = {}
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    sheet = sheets.get(part.filename, part.filename)
                    merges[sheet] = _scan_sheet(z, part.filename, sheet, name)
            return merges
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES["xlsx"]) from exc


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """Zip member → sheet name, from the workbook's XML ({} when it cannot be told)."""
    try:
        rels = {}
        for el in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter():
            target = el.get("Target")
            if el.tag.endswith("}Relationship") and target:
                rels[el.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out = {}
        for el in ET.fromstring(z.read("xl/workbook.xml")).iter():
            if el.tag.endswith("}sheet"):
                rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
                if rid in rels:
                    out[rels[rid]] = el.get("name") or ""
        return out
    except Exception:   # a broken workbook: openpyxl says so
        return {}


# a cell element, with or without a namespace prefix (<c r="A1">, <x:c/>, <c>)
_CELL_STARTS = tuple(a + b"c" + b for a in (b"<", b":") for b in (b" ", b"\n", b"\r", b"\t", b"/", b">"))
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')


def _scan_sheet(z: zipfile.ZipFile, part: str, sheet: str, name: str) -> list[tuple[int, int, int, int]]:
    """Stream one worksheet's XML in 4 MB pieces: refuse it past XLSX_MAX_CELLS
    cells, and return its merged cell ranges.  A part that cannot be inflated
    or parsed stops the scan (openpyxl reports the broken file)."""
    from openpyxl.utils.cell import range_boundaries

    cells, refs = 0, []
    try:
        with z.open(part) as fh:
            carry = b""
            while cells <= XLSX_MAX_CELLS:
                piece = fh.read(4 * _MB)
                text = carry + piece
                cut = text.rfind(b">") + 1 if piece else len(text)   # never split a tag
                text, carry = text[:cut], text[cut:]
                cells += sum(text.count(tag) for tag in _CELL_STARTS)
                refs += _MERGE_REF.findall(text)
                if not piece:
                    break
    except Exception:   # zlib.error, a bad CRC, a truncated part: not ours to report
        pass
    if cells > XLSX_MAX_CELLS:
        raise UserError("io.xlsx_too_many_cells", name=name, sheet=sheet, limit=f"{XLSX_MAX_CELLS:,}")
    try:
        return [tuple(range_boundaries(r.decode("ascii"))) for r in refs]
    except ValueError:
        return []


def _sheet_rows(ws, name: str, sheet: str) -> list[list]:
    """The sheet's rows as lists, counting cells as openpyxl fills each row out
    to its last cell (one far-right cell makes a row 16,384 wide)."""
    rows, cells = [], 0
    for r in ws.iter_rows(values_only=True):
        cells += max(len(r), 1)
        if cells > XLSX_MAX_CELLS:
            raise UserError("io.xlsx_too_many_cells", name=name, sheet=sheet, limit=f"{XLSX_MAX_CELLS:,}")
        if any(isinstance(v, str) and len(v) > XLSX_MAX_CELL_CHARS for v in r):
            raise UserError("io.xlsx_long_text", name=name, sheet=sheet, row=str(len(rows) + 1),
                            limit=f"{XLSX_MAX_CELL_CHARS:,}")
        rows.append(list(r))
    return rows


def _is_text_cell(v) -> bool:
    if not isinstance(v, str):
        return False
    try:
        float(v.strip())
        return False
    except ValueError:
        return True


def _detect_header_problem(merged: list, sheet: str, rows: list[list], r0: int, width: int) -> None:
    """Raise if the header is not a single, plain first row."""
    row1 = r0 + 1  # 1-based sheet row of the first non-empty row
    merges = [
        m for m in merged
        if m[1] <= row1 <= m[3] and (m[2] > m[0] or m[3] > m[1])
    ]
    if merges:
        suggest = max(max(m[3] for m in merges) - 1, r0 + 1)  # 0-based index of the lowest header row
        raise UserError("io.merged_header", sheet=sheet, row=str(suggest + 1), header_row=str(suggest))

    r1 = next((i for i in range(r0 + 1, min(len(rows), r0 + 11)) if any(not _blank(v) for v in rows[i])), None)
    if r1 is None or width < 2:
        return
    n0 = sum(not _blank(v) for v in rows[r0])
    n1 = sum(not _blank(v) for v in rows[r1])
    texts1 = sum(_is_text_cell(v) for v in rows[r1])
    if n0 <= width / 2 and n0 < n1 and n1 >= 0.8 * width and texts1 >= 0.8 * n1:
        raise UserError("io.header_not_first_row", sheet=sheet, row=str(r1 + 1), header_row=str(r1))


def _read_xlsx(content: bytes, name: str, sheet: str | None, header_row: int | None,
               skip_rows: int | None = None) -> RawData:
    _check_xlsx_container(content, name)
    merges = _check_xlsx_budget(content, name)
    wb = _open_workbook(content, name)
    try:
        sheets = list(wb.sheetnames)
        if not sheets:
            raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES["xlsx"])
        sheet = _pick_sheet(sheet, sheets)
        ws = wb[sheet]
        try:
            ws.reset_dimensions()  # some writers store a wrong dimension; read what is really there
        except Exception:
            pass
        try:
            rows = _sheet_rows(ws, name, sheet)
        except UserError:
            raise
        except Exception as exc:
            raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES["xlsx"]) from exc
    finally:
        wb.close()
    return _sheet_to_raw(rows, name, sheet, sheets, header_row, skip_rows, lambda: merges.get(sheet, []))


def _pick_sheet(sheet: str | None, sheets: list[str]) -> str:
    if sheet is None:
        return sheets[0]
    if sheet not in sheets:
        raise UserError("io.unknown_sheet", sheet=str(sheet), sheets=", ".join(sheets))
    return sheet


def _open_xls(content: bytes, name: str):
    """A legacy BIFF workbook (old 问卷星 / WPS / Office downloads) read by xlrd."""
    import xlrd

    if _blank_bytes(content):
        raise UserError("io.empty", name=name)
    kind = _magic(content)
    if kind == "Excel (.xlsx) / ZIP":
        raise UserError("io.extension_mismatch", name=name, ext=".xls", detected=kind)
    if kind is None and not _looks_binary(content):
        raise UserError("io.extension_mismatch", name=name, ext=".xls", detected="CSV / text")
    if kind is not None and kind != "Excel 97-2003 (.xls)":
        raise UserError("io.extension_mismatch", name=name, ext=".xls", detected=kind)
    try:
        return xlrd.open_workbook(file_contents=content, on_demand=False, formatting_info=True)
    except Exception:
        try:  # some writers' files lack the formatting records xlrd wants for merged cells
            return xlrd.open_workbook(file_contents=content)
        except Exception as exc:
            raise UserError("io.excel_legacy_or_protected", name=name) from exc


def _read_xls(content: bytes, name: str, sheet: str | None, header_row: int | None,
              skip_rows: int | None = None) -> RawData:
    import xlrd

    wb = _open_xls(content, name)
    sheets = wb.sheet_names()
    if not sheets:
        raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES["xls"])
    sheet = _pick_sheet(sheet, sheets)
    ws = wb.sheet_by_name(sheet)

    def value(cell):
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return None
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(cell.value, wb.datemode)
            except Exception:
                return cell.value
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
            return int(cell.value)   # BIFF stores every number as a double
        return cell.value

    rows = [[value(c) for c in ws.row(i)] for i in range(ws.nrows)]
    # xlrd's merged_cells are (rlo, rhi, clo, chi), 0-based, half-open; as 1-based inclusive boxes
    merges = [(clo + 1, rlo + 1, chi, rhi) for rlo, rhi, clo, chi in getattr(ws, "merged_cells", []) or []]
    return _sheet_to_raw(rows, name, sheet, sheets, header_row, skip_rows, lambda: merges)


def _sheet_to_raw(rows: list[list], name: str, sheet: str, sheets: list[str], header_row: int | None,
                  skip_rows: int | None, merges) -> RawData:
    """A sheet's cell values (rows of Python values) → RawData: trim, header, blank rows, types."""
    for r in rows:
        while r and _blank(r[-1]):
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise UserError("io.empty_sheet", name=name, sheet=sheet)
    width = max(len(r) for r in rows)
    for r in rows:
        if len(r) < width:
            r.extend([None] * (width - len(r)))

    if header_row is None:
        h = next(i for i, r in enumerate(rows) if any(not _blank(v) for v in r))
        _detect_header_problem(merges(), sheet, rows, h, width)
    else:
        h = header_row
        if h >= len(rows) or all(_blank(v) for v in rows[h]):
            raise UserError("io.bad_header_row", header_row=str(h), row=str(h + 1))

    raw_names = rows[h]
    body = rows[h + 1:]
    data = [r for r in body if any(not _blank(v) for v in r)]
    inner_blank = len(body) - len(data)
    if not data:
        raise UserError("io.no_rows", name=name)
    frame = pd.DataFrame(data, columns=range(width), dtype=object)
    for c in frame.columns:
        col = frame[c]
        if col.map(lambda v: isinstance(v, str) and v.strip() in _EXCEL_ERRORS).any():
            frame[c] = col.map(lambda v: None if isinstance(v, str) and v.strip() in _EXCEL_ERRORS else v)
    frame, labels, skip = _platform_header_rows(frame, skip_rows)
    frame = frame.infer_objects()
    frame, _, blocked = _tidy_frame(frame, decimal_comma=False, numeric_text=True)
    notes = [Note("io.warn_dropped_empty_rows", {"count": str(inner_blank)})] if inner_blank else []
    raw = _finish(frame, raw_names, None, name, notes, drop_unnamed_empty=True, blocked=blocked, labels=labels)
    raw.source.update(sheet=sheet, sheets=sheets, header_row=h, skip_rows=skip)
    return raw


# ---------------------------------------------------------------------------
# SPSS / Stata
# ---------------------------------------------------------------------------
def _read_stat(content: bytes, name: str, fmt: str) -> RawData:
    import pyreadstat

    if _blank_bytes(content):
        raise UserError("io.empty", name=name)
    kind = _magic(content)
    expected = "Stata (.dta)" if fmt == "dta" else "SPSS (.sav)"
    if kind is not None and kind != expected:
        raise UserError("io.extension_mismatch", name=name, ext="." + fmt, detected=kind)
    if kind is None and fmt != "dta":
        if not _looks_binary(content):
            raise UserError("io.extension_mismatch", name=name, ext="." + fmt, detected="CSV / text")
        raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES[fmt])
    if kind is None and fmt == "dta" and not _looks_binary(content):
        raise UserError("io.extension_mismatch", name=name, ext=".dta", detected="CSV / text")

    reader = pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav
    kwargs = dict(
        apply_value_formats=False,
        dates_as_pandas_datetime=True,
        # SPSS user-missing codes stay in the frame (declared in the meta);
        # Stata's extended missing (.a–.z) are real missing values → NaN.
        user_missing=fmt != "dta",
    )
    try:
        frame, meta = reader(io.BytesIO(content), **kwargs)
    except Exception as exc:
        text = str(exc).lower()
        if "encod" in text or "convert" in text or "iconv" in text:
            try:  # older Chinese files without an encoding record
                frame, meta = reader(io.BytesIO(content), encoding="GB18030", **kwargs)
            except Exception as exc2:
                raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES[fmt]) from exc2
        else:
            raise UserError("io.corrupt", name=name, format=_FORMAT_NAMES[fmt]) from exc

    if frame.shape[1] == 0:
        raise UserError("io.empty", name=name)
    if frame.shape[0] == 0:
        raise UserError("io.no_rows", name=name)

    names = [str(c) for c in frame.columns]
    frame.columns = range(frame.shape[1])
    # strings: trim, blanks → NaN (never numeric-coerced: their value labels are keyed by text)
    frame, _, _ = _tidy_frame(frame, decimal_comma=False, numeric_text=False)

    var_labels = getattr(meta, "column_names_to_labels", {}) or {}
    value_labels = getattr(meta, "variable_value_labels", {}) or {}
    ranges = getattr(meta, "missing_ranges", {}) or {}
    measures = getattr(meta, "variable_measure", {}) or {}
    metas = []
    for i, nm in enumerate(names):
        col = frame[i]
        conv = _key_converter(col)
        vm = VariableMeta(name=nm)
        lab = var_labels.get(nm)
        vm.label = lab if isinstance(lab, str) and lab.strip() else None
        vm.value_labels = {conv(k): v for k, v in (value_labels.get(nm) or {}).items()}
        for r in ranges.get(nm) or []:
            lo, hi = r.get("lo"), r.get("hi")
            if lo == hi:
                vm.missing_values.append(conv(lo))
            else:
                vm.missing_ranges.append((conv(lo), conv(hi)))
        m = measures.get(nm)
        vm.measure = m if m in ("nominal", "ordinal", "scale") else None
        metas.append(vm)

    return _finish(frame, names, metas, name, [], drop_unnamed_empty=False)


def _key_converter(col: pd.Series):
    """Make value-label / missing keys equal to the column's values (1 → 1.0 for floats)."""
    if pd.api.types.is_float_dtype(col):
        def conv(k):
            try:
                return float(k)
            except (TypeError, ValueError):
                return k
    elif pd.api.types.is_integer_dtype(col):
        def conv(k):
            try:
                f = float(k)
                return int(f) if f.is_integer() else f
            except (TypeError, ValueError):
                return k
    elif pd.api.types.is_string_dtype(col) or col.dtype == object:
        def conv(k):
            return k.strip() if isinstance(k, str) else k
    else:
        def conv(k):
            return k
    return conv


# ---------------------------------------------------------------------------
# shared clean-up
# ---------------------------------------------------------------------------
_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA_RE = re.compile(r"^[+-]?\d+(,\d+)?$")


_WIDE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       "．": ".", "－": "-", "＋": "+", "−": "-", "ｅ": "e", "Ｅ": "E"})
_BLOCK_SHARE = 0.05   # at most this share of a column's cells (or 3) may block it from being numeric


def _tidy_frame(frame: pd.DataFrame, decimal_comma: bool, numeric_text: bool
                ) -> tuple[pd.DataFrame, list[int], dict[int, list[tuple[int, str]]]]:
    """Trim text, blank → NaN, and turn all-number text columns into numbers.

    Full-width digits, point and minus (``４``, ``－１``, ``３．５``) count as
    numbers.  Returns the frame, the positions of columns read with a decimal
    comma, and the columns that a few cells keep from being numeric
    (position → [(row, value)]).  Columns are addressed by position (integer
    labels), so duplicate names do not matter here.
    """
    comma_cols: list[int] = []
    blocked: dict[int, list[tuple[int, str]]] = {}
    out = {}
    for c in frame.columns:
        s = frame[c]
        if s.dtype != object and not pd.api.types.is_string_dtype(s):
            out[c] = s
            continue
        if s.dtype != object:  # pandas' text dtype: vectorised
            t = s.str.strip()
            t = t.mask(t == "")
            all_str = True
        else:
            cleaned = []
            all_str = True
            for v in s.to_numpy(dtype=object):
                if isinstance(v, str):
                    v = v.strip() or None
                elif v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
                    v = None
                else:
                    all_str = False
                cleaned.append(v)
            t = pd.Series(cleaned, index=s.index, dtype=object)
        nonnull = t.dropna()
        if nonnull.empty:
            out[c] = pd.Series(np.nan, index=s.index, dtype="float64")
            continue
        if numeric_text:
            norm = t.map(lambda v: v.translate(_WIDE) if isinstance(v, str) else v, na_action="ignore")
            num = pd.to_numeric(norm, errors="coerce")
            bad = t.notna() & num.isna()
            n_bad = int(bad.sum())
            head = [v for v in norm.dropna().iloc[:50] if isinstance(v, str)]
            looks = not head or any(_NUMBER_RE.match(v) for v in head)
            if n_bad == 0 and looks:
                out[c] = _maybe_int(num)
                continue
            n_ok = len(nonnull) - n_bad
            if looks and n_ok >= 5 and n_bad <= max(3, _BLOCK_SHARE * len(nonnull)):
                blocked[c] = [(int(i), str(t[i])) for i in t.index[bad.to_numpy()]]
            if decimal_comma and all_str and all(_DECIMAL_COMMA_RE.match(v) for v in head):
                strs = nonnull.astype(str)
                if strs.str.match(_DECIMAL_COMMA_RE.pattern).all() and strs.str.contains(",").any():
                    out[c] = pd.to_numeric(t.astype(object).str.replace(",", ".", regex=False), errors="coerce")
                    comma_cols.append(c)
                    blocked.pop(c, None)
                    continue
        if not all_str:
            t = t.map(_as_text, na_action="ignore")
        out[c] = t.astype("str")
    return pd.DataFrame(out, index=frame.index, copy=False), comma_cols, blocked   # no copy of the columns


def _maybe_int(num: pd.Series) -> pd.Series:
    if num.dtype.kind == "f" and num.notna().all() and np.all(np.mod(num.to_numpy(), 1) == 0):
        if np.all(np.abs(num.to_numpy()) < 2**53):
            return num.astype("int64")
    return num


def _as_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, pd.Timestamp) or hasattr(v, "isoformat"):
        try:
            return v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
        except TypeError:
            return v.isoformat()
    return str(v)


def _clean_name(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return re.sub(r"[\r\n\t]+", " ", str(v)).strip()


def _name_list(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", … (+{len(names) - limit})" if len(names) > limit else "")


def _finish(
    frame: pd.DataFrame,
    raw_names: list,
    metas: list[VariableMeta] | None,
    name: str,
    notes: list[Note],
    drop_unnamed_empty: bool,
    decimal_cols: list[int] = (),
    blocked: dict | None = None,
    labels: list | None = None,
) -> RawData:
    """Name columns (strip, V1…, dedupe), attach meta and the data warnings.

    ``blocked``: columns a few cells keep from being numeric (named in a
    note with those cells); ``labels``: variable labels by position
    (Qualtrics' question-text row)."""
    notes = list(notes)

    names = [_clean_name(v) for v in raw_names]
    keep: list[int] = []
    dropped = 0
    unnamed: list[str] = []
    for pos, nm in enumerate(names):
        if not nm:
            if drop_unnamed_empty and frame[pos].isna().all():
                dropped += 1
                continue
            names[pos] = f"V{pos + 1}"
            unnamed.append(names[pos])
        keep.append(pos)
    if not keep:
        raise UserError("io.no_rows", name=name)
    if len(keep) < frame.shape[1]:
        frame = frame[keep]
    names = [names[p] for p in keep]
    if metas is not None:
        metas = [metas[p] for p in keep]

    # duplicates: the later copies become name_2, name_3, …
    all_names = set(names)
    used: set[str] = set()
    final: list[str] = []
    dup_originals: list[str] = []
    renamed: list[str] = []
    for nm in names:
        if nm not in used:
            final.append(nm)
            used.add(nm)
            continue
        k = 2
        while f"{nm}_{k}" in used or f"{nm}_{k}" in all_names:
            k += 1
        new = f"{nm}_{k}"
        final.append(new)
        used.add(new)
        renamed.append(new)
        if nm not in dup_originals:
            dup_originals.append(nm)

    pos_to_name = dict(zip(keep, final))
    frame = frame.copy(deep=False)   # copy-on-write: the caller's frame keeps its names, no data is copied
    frame.columns = final
    frame = frame.reset_index(drop=True)

    if dropped:
        notes.append(Note("io.warn_dropped_empty_columns", {"count": str(dropped)}))
    if unnamed:
        notes.append(Note("io.warn_unnamed_columns", {"names": _name_list(unnamed)}))
    if dup_originals:
        notes.append(Note("io.warn_duplicate_columns", {"names": _name_list(dup_originals), "renamed": _name_list(renamed)}))
    for pos, cells in (blocked or {}).items():
        if pos in pos_to_name:
            shown = "; ".join(f"{row + 1}: “{v}”" for row, v in cells[:5]) + (" …" if len(cells) > 5 else "")
            notes.append(Note("io.warn_blocked_numeric", {"name": pos_to_name[pos], "count": str(len(cells)),
                                                          "cells": shown}))
    if decimal_cols:
        cols = [pos_to_name[c] for c in decimal_cols if c in pos_to_name]
        if cols:
            notes.append(Note("io.warn_decimal_comma", {"names": _name_list(cols)}))

    # ±inf (CSV text "inf", "-Infinity", 1e400) is no answer a survey can give: missing, and said so
    infinite = [c for c in final if frame[c].dtype.kind == "f" and np.isinf(frame[c].to_numpy()).any()]
    for c in infinite:
        frame[c] = frame[c].mask(np.isinf(frame[c].to_numpy()))
    if infinite:
        notes.append(Note("io.warn_infinite", {"names": _name_list(infinite)}))

    empty_cols, constant_cols = [], []
    for c in final:
        s = frame[c]
        nonnull = s.dropna()
        if nonnull.empty:
            empty_cols.append(c)
        elif len(frame) > 1 and bool((nonnull == nonnull.iloc[0]).all()):
            constant_cols.append(c)
    if empty_cols:
        notes.append(Note("io.warn_empty_columns", {"names": _name_list(empty_cols)}))
    if constant_cols:
        notes.append(Note("io.warn_constant_columns", {"names": _name_list(constant_cols)}))
    numeric = [
        c for c in final
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) and c not in empty_cols
    ]
    if not numeric:
        notes.append(Note("io.warn_no_numeric"))

    meta: dict[str, VariableMeta] = {}
    for i, nm in enumerate(final):
        vm = metas[i] if metas is not None else VariableMeta(name=nm)
        vm.name = nm
        if labels is not None and keep[i] < len(labels) and labels[keep[i]] and labels[keep[i]] != nm:
            vm.label = labels[keep[i]]
        meta[nm] = vm
    return RawData(frame=frame, meta=meta, source={}, warnings=notes)
