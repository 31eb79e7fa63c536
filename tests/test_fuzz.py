"""Hostile input, at scale: a property-based (hypothesis) fuzz suite.

It feeds the importers and every registered analysis type with generated
hostile input and checks one contract everywhere:

* the call either works or raises :class:`core.errors.UserError` whose key is
  in the catalogue in both languages (and formats with its arguments);
* nothing else escapes (no KeyError, ValueError, LinAlgError, …);
* nothing hangs: every example runs under a hard wall-clock guard
  (SIGALRM) besides hypothesis' own deadline;
* the caller's data are never changed: the dataset and the options are
  compared with deep copies taken before the call.

Importers get random bytes under every accepted extension (also behind real
magic numbers), valid .xlsx/.sav/.zsav/.dta files truncated or with bytes
flipped, generated CSV text in mixed encodings with NaN/inf/huge/tiny numbers,
duplicate and empty column names, quotes, newlines and HTML; plus 10,000
columns, one row and all-missing files.  Analyses get generated surveys
(1–200 rows; constant, all-missing, infinite, huge and tiny columns; hostile
names and value labels; singleton and duplicate-label groups) with option
dicts drawn from each spec's declared options (kinds, choices, ranges,
roles), including wrong names and degenerate choices.  Successful results
are also rendered (charts, interpretation, key findings in both languages),
as the pages do.

Examples per test: ``PE_FUZZ_EXAMPLES`` (default 40, the CI run, about two
minutes); a long run, e.g. ``PE_FUZZ_EXAMPLES=400 python -m pytest
tests/test_fuzz.py``, is what docs/reliability.md reports.
"""
from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import signal
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import recipe as recipes
from core import registry
from core.data import io as dio
from core.data import setup
from core.data.model import Dataset, RawData, VariableMeta
from core.data.prepare import build_dataset
from core.errors import UserError
from core.i18n import catalogue
from core.types import Result

# numerical warnings on degenerate data are expected; only exceptions matter here
pytestmark = [pytest.mark.filterwarnings("ignore::RuntimeWarning"), pytest.mark.filterwarnings("ignore::UserWarning")]

EXAMPLES = int(os.environ.get("PE_FUZZ_EXAMPLES", "40"))
LONG = EXAMPLES > 40
HARD_LIMIT_S = 60 if LONG else 30      # a hang, not a slow example
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                suppress_health_check=list(HealthCheck))
# counted per test for docs/reliability.md (printed with -s)
COUNTS: dict[str, dict[str, int]] = {}


def _count(test: str, outcome: str) -> None:
    c = COUNTS.setdefault(test, {})
    c[outcome] = c.get(outcome, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    if COUNTS:
        print("\nfuzz examples run (outcome counts):")
        for name, c in sorted(COUNTS.items()):
            print(f"  {name}: {sum(c.values())}  {json.dumps(c, sort_keys=True)}")


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int):
    """Fail an example that runs longer than ``seconds`` (a hang)."""
    def fire(signum, frame):
        raise Hang(f"no answer within {seconds} s")
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_user_error(err: UserError) -> None:
    """A UserError must name a catalogue entry that formats in both languages."""
    assert err.key in catalogue(), f"UserError key {err.key!r} is not in the catalogue"
    en, zh = err.message("en"), err.message("zh")
    assert en and zh and en != err.key and zh != err.key


def check_notes(notes) -> None:
    for n in notes:
        assert n.key in catalogue(), f"note key {n.key!r} is not in the catalogue"
        n.text("en"), n.text("zh")


def outcome(fn, *args, **kwargs):
    """Run ``fn``: its value, or the UserError it raised (checked)."""
    with time_limit(HARD_LIMIT_S):
        try:
            return fn(*args, **kwargs)
        except UserError as err:
            check_user_error(err)
            return err


# ---------------------------------------------------------------------------
# hostile text
# ---------------------------------------------------------------------------
HOSTILE = [
    "<img src=x onerror=alert(1)>", "<script>alert('x')</script>", "a:b", "x ~ y", "F =~ a + b", "Q 1",
    "=SUM(A1)", "+1", "-cmd", "@x", "年龄", "性别 (男/女)", "a.b", "1st", "it's \"quoted\"", "*bold* _u_",
    "`code`", "$x$", "a+b", "C(x)", "Intercept", "const", "group", "level", "[1]", "NaN", "None", "123",
    "x[T.1]", "a*b", "a|b", "\\", "%s %d {0} {name}", "\u200b", "é", "🙂", "a" * 300,
]
LABELS = HOSTILE + ["a\nb", "line1\r\nline2", "", "   ", "same", "same", "\t=1+1"]


def _name_pool():
    return st.sampled_from(HOSTILE) | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]),
                                              min_size=1, max_size=12)


# ---------------------------------------------------------------------------
# importers
# ---------------------------------------------------------------------------
EXTENSIONS = [".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".sav", ".zsav", ".dta"]
MAGIC = [b"", b"PK\x03\x04", b"PK\x05\x06", b"$FL2", b"$FL3", b"<stata_dta>", b"\xff\xfe", b"\xfe\xff",
         b"\xef\xbb\xbf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF", b"\x1f\x8b", b"\x00\x00"]


def check_raw(raw) -> None:
    """What every successfully imported file promises."""
    cols = list(raw.frame.columns)
    assert cols and all(isinstance(c, str) and c and c == c.strip() for c in cols), cols
    assert len(set(cols)) == len(cols), cols
    assert not any(ch in c for c in cols for ch in "\r\n\t"), cols
    assert len(raw.frame) >= 1
    assert set(raw.meta) == set(cols)
    check_notes(raw.warnings)
    for c in cols:
        kind = raw.frame[c].dtype.kind
        assert kind in "biufOTUSM" or pd.api.types.is_string_dtype(raw.frame[c]), (c, raw.frame[c].dtype)
    # what the data page does next: proposal, variable table, dataset from the proposal
    setup.variable_table(raw, "en")
    setup.variable_table(raw, "zh")
    rec = setup.proposed_recipe(raw)
    build_dataset(raw, rec, "zh")


def import_outcome(content: bytes, name: str, test: str, **kw):
    before = bytes(content)
    res = outcome(dio.read_bytes, content, name, **kw)
    assert content == before
    if isinstance(res, UserError):
        _count(test, "user_error")
    else:
        _count(test, "read")
        outcome(check_raw, res)
    return res


@FUZZ
@given(prefix=st.sampled_from(MAGIC), body=st.binary(max_size=3000), ext=st.sampled_from(EXTENSIONS),
       upper=st.booleans())
def test_random_bytes_under_every_extension(prefix, body, ext, upper):
    name = "upload" + (ext.upper() if upper else ext)
    import_outcome(prefix + body, name, "random_bytes")
    if ext in (".xlsx", ".xlsm"):
        res = outcome(dio.list_sheets, prefix + body, name)
        assert isinstance(res, (list, UserError))


# ---- valid files to break ------------------------------------------------------
def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 30
    return pd.DataFrame({
        "id": np.arange(1, n + 1),
        "q1": rng.integers(1, 6, n).astype(float),
        "q2": rng.integers(1, 6, n).astype(float),
        "x": rng.normal(0, 1e6, n),
        "g": rng.integers(1, 4, n).astype(float),
        "s": [f"<b>{i}</b> \"q\" 男" for i in range(n)],
    })


def _labels() -> dict:
    return {"g": {1.0: "<script>alert(1)</script>", 2.0: "a\nb \"quoted\"", 3.0: "=1+1"}}


def _valid_files() -> dict[str, bytes]:
    df = _frame()
    out = {}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append(list(row))
    wb.create_sheet("二")["A1"] = "<img src=x onerror=alert(1)>"
    buf = io.BytesIO()
    wb.save(buf)
    out[".xlsx"] = buf.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        var_labels = ["编号", "<i>q1</i>", "q2 \"it\"", "x\nnewline", "group", "text"]
        p = Path(tmp) / "f.sav"
        pyreadstat.write_sav(df, str(p), column_labels=var_labels, variable_value_labels=_labels(),
                             missing_ranges={"q1": [9]})
        out[".sav"] = p.read_bytes()
        p = Path(tmp) / "f.zsav"
        pyreadstat.write_sav(df, str(p), column_labels=var_labels, variable_value_labels=_labels(), compress=True)
        out[".zsav"] = p.read_bytes()
        p = Path(tmp) / "f.dta"
        dta = df.copy()
        dta["g"] = dta["g"].astype(int)
        pyreadstat.write_dta(dta, str(p), column_labels=["id", "q1", "q2", "x", "group", "text"],
                             variable_value_labels={"g": {1: "<script>", 2: "b", 3: "=1+1"}})
        out[".dta"] = p.read_bytes()
    return out


VALID = _valid_files()


def test_the_valid_files_read():
    for ext, content in VALID.items():
        raw = dio.read_bytes(content, "f" + ext)
        check_raw(raw)
        assert len(raw.frame) == 30


@FUZZ
@given(ext=st.sampled_from(sorted(VALID)), cut=st.floats(0, 1, exclude_max=True),
       flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
       mode=st.sampled_from(["truncate", "flip", "both", "append"]), as_ext=st.sampled_from([None] + EXTENSIONS))
def test_truncated_and_corrupted_valid_files(ext, cut, flips, mode, as_ext):
    data = bytearray(VALID[ext])
    if mode in ("flip", "both"):
        for pos, byte in flips:
            data[int(pos * len(data))] = byte
    if mode in ("truncate", "both"):
        data = data[: int(cut * len(data))]
    if mode == "append":
        data += bytes(b for _, b in flips) * 50
    name = "broken" + (as_ext or ext)
    import_outcome(bytes(data), name, "truncated_files")


def _zip_member_corruption(member: str, payload: bytes) -> bytes:
    """The valid workbook with one part replaced (a zip that is a broken xlsx)."""
    src = zipfile.ZipFile(io.BytesIO(VALID[".xlsx"]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            z.writestr(info, payload if info.filename == member else src.read(info.filename))
    return buf.getvalue()


@FUZZ
@given(member=st.sampled_from(sorted(zipfile.ZipFile(io.BytesIO(VALID[".xlsx"])).namelist())),
       payload=st.binary(max_size=400) | st.sampled_from([b"", b"<x/>", b"<?xml version='1.0'?><worksheet/>",
                                                           b"<!DOCTYPE x [<!ENTITY a 'a'>]><x>&a;</x>"]))
def test_xlsx_with_a_broken_part(member, payload):
    import_outcome(_zip_member_corruption(member, payload), "parts.xlsx", "xlsx_parts")


# ---- generated text tables -------------------------------------------------------
CELLS = ["", " ", "NA", "nan", "NaN", "null", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e400", "1e-320",
         "5e-324", "0", "-0", "1", "2.5", "1,5", "0x1F", "1_000", "١٢٣", "99999999999999999999999", "TRUE",
         "\"quoted, comma\"", "\"a\"\"b\"", "\"multi\nline\"", "=1+1", "<b>x</b>", "男", "女", "#N/A", "  7  "]


@st.composite
def text_tables(draw):
    ncol = draw(st.integers(1, 8))
    header = draw(st.lists(st.sampled_from(["", "a", "a", "B", " "]) | _name_pool(), min_size=ncol, max_size=ncol))
    nrow = draw(st.integers(0, 12))
    cell = st.sampled_from(CELLS) | st.integers(-10**20, 10**20).map(str) | \
        st.floats(allow_nan=True, allow_infinity=True).map(repr) | st.text(max_size=8)
    rows = [draw(st.lists(cell, min_size=max(0, ncol - 2), max_size=ncol + 1)) for _ in range(nrow)]
    sep = draw(st.sampled_from([",", ";", "\t", "|", " "]))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))

    def q(v: str) -> str:
        if v.startswith('"'):
            return v
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in (sep, '"', "\n", "\r")) else v
    return eol.join(sep.join(q(v) for v in r) for r in [header] + rows) + draw(st.sampled_from(["", eol]))


def _encode(text: str, enc: str) -> bytes:
    if enc == "mixed":    # a file pasted together from a UTF-8 and a GBK export
        half = len(text) // 2
        return text[:half].encode("utf-8", "replace") + text[half:].encode("gbk", "replace")
    return text.encode(enc, "replace")


@FUZZ
@given(text=text_tables(), enc=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "latin-1",
                                                "mixed"]),
       ext=st.sampled_from([".csv", ".txt", ".tsv"]), header_row=st.sampled_from([None, None, 0, 1, 3]))
def test_generated_text_tables(text, enc, ext, header_row):
    import_outcome(_encode(text, enc), "t" + ext, "text_tables", header_row=header_row)


@FUZZ
@given(cells=st.lists(st.lists(st.one_of(st.none(), st.integers(-10**15, 10**15), st.floats(),
                                         st.sampled_from(CELLS + HOSTILE + ["#DIV/0!", "#REF!"]),
                                         st.booleans()), min_size=1, max_size=6), min_size=1, max_size=10),
       header_row=st.sampled_from([None, None, 0, 1, 5]), merge=st.booleans())
def test_generated_workbooks(cells, header_row, merge):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in cells:
        ws.append([None if isinstance(v, float) and not math.isfinite(v) else v for v in r])
    if merge and ws.max_column >= 2:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    buf = io.BytesIO()
    wb.save(buf)
    import_outcome(buf.getvalue(), "w.xlsx", "workbooks", header_row=header_row)


@FUZZ
@given(labels=st.lists(st.sampled_from(LABELS) | st.text(max_size=40), min_size=3, max_size=3),
       var_label=st.sampled_from(LABELS) | st.text(max_size=40), names=st.lists(
           st.sampled_from(["q1", "Q_2", "年龄", "a" * 60, "v", "x1"]), min_size=3, max_size=3, unique=True),
       values=st.lists(st.floats(allow_nan=True, allow_infinity=False, width=64) |
                       st.sampled_from([1e308, -1e308, 5e-324, 1e-300, 0.0]), min_size=1, max_size=8),
       fmt=st.sampled_from([".sav", ".zsav", ".dta"]))
def test_generated_stat_files_with_hostile_labels(labels, var_label, names, values, fmt):
    df = pd.DataFrame({names[0]: values, names[1]: [float(i % 3 + 1) for i in range(len(values))],
                       names[2]: ["<b>t</b>"] * len(values)})
    vvl = {names[1]: {1.0: labels[0], 2.0: labels[1], 3.0: labels[2]}}
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / ("f" + fmt)
        try:
            if fmt == ".dta":
                df[names[1]] = df[names[1]].astype(int)
                pyreadstat.write_dta(df, str(p), column_labels=[var_label, "b", "c"],
                                     variable_value_labels={names[1]: {1: labels[0], 2: labels[1], 3: labels[2]}})
            else:
                pyreadstat.write_sav(df, str(p), column_labels=[var_label, "b", "c"], variable_value_labels=vvl,
                                     compress=fmt == ".zsav")
        except Exception:   # the writer refuses (e.g. Stata's label length): nothing to read
            _count("stat_files", "writer_refused")
            return
        content = p.read_bytes()
    res = import_outcome(content, "f" + fmt, "stat_files")
    if not isinstance(res, UserError):
        assert len(res.frame) == len(values)


# ---- shapes ------------------------------------------------------------------------------
def test_ten_thousand_columns_one_row_all_missing():
    wide = ",".join(f"v{i}" for i in range(10_000)) + "\n" + ",".join(str(i % 7) for i in range(10_000)) + "\n"
    raw = import_outcome(wide.encode(), "wide.csv", "shapes")
    assert raw.frame.shape == (1, 10_000)
    ds = build_dataset(raw, recipes.empty())
    for type_, opts in (("describe", {"variables": list(raw.frame.columns[:2000])}),
                        ("correlation", {"variables": list(raw.frame.columns[:50])}),
                        ("reliability", {})):
        _count("shapes", "analysis")
        assert isinstance(outcome(registry.run, type_, ds, opts), (Result, UserError))
    # all missing, in every format
    empty = "a,b,c\n,,\n,,\n".encode()
    res = import_outcome(empty, "empty.csv", "shapes")
    if not isinstance(res, UserError):
        assert res.frame.isna().all().all()
        ds = build_dataset(res, recipes.empty())
        for type_, opts in (("describe", {"variables": ["a", "b"], "frequencies": ["c"]}),
                            ("correlation", {"variables": ["a", "b"]}),
                            ("regression", {"outcome": "a", "blocks": [["b"]]})):
            assert isinstance(outcome(registry.run, type_, ds, opts), (Result, UserError))
    # one row, with header in the second line, and a lone header
    for text, name in (("x,y\n1,2\n", "one.csv"), ("x;y\n", "header.csv"), ("\n\n\n", "blank.tsv"),
                       ("x\n" + "1\n" * 3, "single.txt")):
        import_outcome(text.encode(), name, "shapes")


def test_size_limit_message(monkeypatch):
    monkeypatch.setattr(dio, "MAX_UPLOAD_MB", 0)
    err = outcome(dio.read_bytes, b"a,b\n1,2\n", "x.csv")
    assert isinstance(err, UserError) and err.key == "io.too_large"


# ---------------------------------------------------------------------------
# analyses
# ---------------------------------------------------------------------------
BASE = ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "g2", "g3", "x", "w", "const", "empty", "txt"]


@st.composite
def surveys(draw) -> Dataset:
    """A generated survey: two scales (A, B), two groupings, two continuous
    variables, a constant, an all-missing and a text column — with hostile
    names, labels and values drawn."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.sampled_from([60, 120, 30, 200, 80, 12, 8, 5, 3, 2, 1]))   # realistic sizes first (hypothesis starts simple)
    names = {b: b for b in BASE}
    if draw(st.integers(0, 2)) == 0:
        used = set()
        for b in BASE:
            if draw(st.integers(0, 3)) == 0:
                nm = draw(_name_pool()).strip().replace("\n", " ").replace("\r", " ").replace("\t", " ")
                if nm and nm not in used and nm not in BASE:
                    names[b] = nm
            used.add(names[b])
    lat = rng.normal(size=n)
    lat2 = 0.5 * lat + rng.normal(size=n)
    miss = draw(st.sampled_from([0.0, 0.0, 0.05, 0.3, 0.9, 1.0]))

    def likert(latent):
        v = np.clip(np.round(3 + latent + rng.normal(scale=0.8, size=n)), 1, 5)
        v[rng.random(n) < miss] = np.nan
        return v
    cols = {"A1": likert(lat), "A2": likert(lat), "A3": likert(lat), "A4": likert(-lat),
            "B1": likert(lat2), "B2": likert(lat2), "B3": likert(lat2)}
    degenerate = draw(st.sets(st.sampled_from(["const_item", "same_items", "inf", "huge", "tiny", "one_group",
                                               "singleton", "text_groups", "neg_zero", "int_items"]), max_size=4))
    if "const_item" in degenerate:
        cols["A2"] = np.full(n, 3.0)
    if "same_items" in degenerate:
        cols["B2"] = cols["B1"].copy()
        cols["B3"] = cols["B1"].copy()
    k3 = draw(st.integers(1, 6))
    g3 = rng.integers(1, k3 + 1, n).astype(float)
    if "singleton" in degenerate and n > 2:
        g3[:] = 1.0
        g3[0] = 2.0
    g2 = rng.integers(1, 3, n).astype(float)
    if "one_group" in degenerate:
        g2[:] = 1.0
    x = rng.normal(size=n) * draw(st.sampled_from([1.0, 1.0, 1e-8, 1e8]))
    w = lat + rng.normal(size=n)
    if "huge" in degenerate:
        x = x * 1e150
    if "tiny" in degenerate:
        w = w * 1e-150
    if "inf" in degenerate and n > 1:
        x[rng.integers(0, n)] = np.inf
        w[rng.integers(0, n)] = -np.inf
    if "neg_zero" in degenerate:
        w = np.where(w > 0, -0.0, w)
    cols.update(g2=g2, g3=g3, x=x, w=w, const=np.full(n, 7.0), empty=np.full(n, np.nan),
                txt=np.array([["是", "否", "<b>不</b>"][i % 3] for i in range(n)], dtype=object))
    if "text_groups" in degenerate:
        cols["g3"] = np.array([None if np.isnan(v) else f"L{int(v)} <i>" for v in g3], dtype=object)
    frame = pd.DataFrame({names[b]: cols[b] for b in BASE})
    if "int_items" in degenerate and miss == 0:
        for b in ("A1", "A3", "B1"):
            frame[names[b]] = frame[names[b]].astype("int64")
    frame["txt" if names["txt"] == "txt" else names["txt"]] = frame[names["txt"]].astype("str")
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=6, max_size=6))
    meta = {c: VariableMeta(name=c) for c in frame.columns}
    meta[names["g2"]].value_labels = {1.0: labels[0], 2.0: labels[1]}
    meta[names["g2"]].label = labels[2]
    if "text_groups" not in degenerate:
        meta[names["g3"]].value_labels = {float(i): labels[(i + 2) % 6] for i in range(1, k3 + 1)}
    meta[names["g3"]].measure = "nominal"
    raw = RawData(frame=frame, meta=meta, source={"name": "fuzz", "fingerprint": str(seed)})
    scale_names = [names["A1"] + "_S", "B"] if draw(st.booleans()) else ["A", "B"]
    if draw(st.booleans()):
        scale_names[0] = draw(st.sampled_from(HOSTILE)).strip() or "A"
    rec = recipes.empty()
    rec["scales"] = [
        {"name": scale_names[0], "items": [names[b] for b in ("A1", "A2", "A3", "A4")], "reverse": [names["A4"]],
         "min": 1, "max": 5, "label": {"en": labels[3], "zh": labels[4]},
         "min_items": draw(st.integers(1, 4))},
        {"name": scale_names[1], "items": [names[b] for b in ("B1", "B2", "B3")], "min": 1, "max": 5,
         "score": draw(st.sampled_from(["mean", "sum"]))},
    ]
    if scale_names[0] == scale_names[1]:
        rec["scales"] = rec["scales"][1:]
    # a scale may not take a column's name (build_dataset refuses it; the variables page checks first)
    rec["scales"] = [sc for sc in rec["scales"] if sc["name"] not in frame.columns]
    rec = recipes.validate(rec)
    return build_dataset(raw, rec, draw(st.sampled_from(["en", "zh"])))


def _pools(ds: Dataset, sane: bool) -> dict[str, list[str]]:
    """Variables to offer per role.  Sane pools leave out what is degenerate
    (constant, empty, text where numbers are needed), as the pages do."""
    nun = {c: ds.frame[c].nunique(dropna=True) for c in ds.variables}
    ok = [c for c in ds.variables if not sane or nun[c] >= 2]
    numeric = [c for c in ok if ds.is_numeric(c)]
    cat = [c for c in ok if 1 <= nun[c] <= 8]
    items = [i for s in ds.scales.values() for i in s["items"] if i in ok]
    scales = [s for s in ds.scales if s in ok]
    pools = {"any": ok, "numeric": scales + [c for c in numeric if c not in scales], "categorical": cat,
             "scale": scales or list(ds.scales), "item": items or numeric}
    return {k: v or list(ds.variables) for k, v in pools.items()}    # never empty


class Gen:
    """Draws option values for one spec: ``sane`` mode picks names from the
    right pools and sizes that make sense (so fits run deep); otherwise
    anything of the declared kind goes, wrong names included."""

    def __init__(self, draw, ds: Dataset, sane: bool):
        self.draw, self.ds, self.sane, self.pools = draw, ds, sane, _pools(ds, sane)

    def var(self, role: str, exclude=()):
        d = self.draw
        if not self.sane and d(st.integers(0, 9)) == 0:
            return d(st.sampled_from(["nope", "", "A1 ", self.ds.variables[0] + "?"]))
        if not self.sane and d(st.integers(0, 4)) == 0:
            return d(st.sampled_from(self.pools["any"]))
        pool = [v for v in self.pools.get(role) or self.pools["any"] if v not in exclude] or self.pools["any"]
        return d(st.sampled_from(pool))

    def vars(self, role: str, lo: int = 0, hi: int = 5, exclude=()) -> list[str]:
        if self.sane:
            pool = [v for v in self.pools.get(role) or self.pools["any"] if v not in exclude]
            if not pool:
                return []
            return self.draw(st.lists(st.sampled_from(pool), min_size=min(lo, len(pool)),
                                      max_size=min(hi, len(pool)), unique=True))
        return [self.var(role) for _ in range(self.draw(st.integers(0, hi)))]

    def level(self, var):
        d, ds = self.draw, self.ds
        if not isinstance(var, str) or not ds.has(var):
            return d(st.sampled_from([1, "x", None]))
        codes, labels = ds.levels(var)
        pool = [c.item() if hasattr(c, "item") else c for c in codes] + labels
        if not self.sane or not pool:
            pool += [99, "nope", None]
        return d(st.sampled_from(pool))

    def model_text(self) -> str:
        d = self.draw
        v = (self.pools["scale"] if self.sane and d(st.booleans()) else self.pools["numeric"]) + \
            ([] if self.sane else ["nope"])
        pick = st.sampled_from(v)
        if self.sane:
            items = self.pools["item"]
            k = d(st.integers(1, 3))
            chunks = [items[i::k] for i in range(k)]
            lines = [f"F{i + 1} =~ " + " + ".join(c) for i, c in enumerate(chunks) if c]
            if d(st.booleans()) and len(lines) >= 2:
                lines.append("F2 ~ F1")
            if d(st.booleans()):
                lines = [f"{d(pick)} ~ {d(pick)}"] + ([f"{d(pick)} ~ {d(pick)} + {d(pick)}"] if d(st.booleans())
                                                      else [])
            return "\n".join(lines)
        lines = []
        for _ in range(d(st.integers(0, 4))):
            kind = d(st.sampled_from(["=~", "~", "~~", "junk", "mod"]))
            if kind == "=~":
                lhs = d(st.sampled_from(["F1", "F2", "因子", "<b>F</b>", v[0]]))
                lines.append(f"{lhs} =~ " + " + ".join(d(st.lists(pick, min_size=1, max_size=4))))
            elif kind == "~":
                lines.append(f"{d(pick)} ~ " + " + ".join(d(st.lists(pick | st.sampled_from(["F1", "F2"]),
                                                                     min_size=1, max_size=3))))
            elif kind == "~~":
                lines.append(f"{d(pick)} ~~ {d(pick)}")
            elif kind == "mod":
                lines.append(f"F1 =~ 1*{d(pick)} + NA*{d(pick)} + a*{d(pick)}")
            else:
                lines.append(d(st.sampled_from(["=~", "~ ~", "F1 =~", "# comment", "a := b*c", "F1 =~ +", "(((",
                                                "F1 =~ x\nF1 =~ x"]) | st.text(max_size=20)))
        return "\n".join(lines)


_UNSET = object()


def _special(g: Gen, type_: str, opt, options: dict):
    """Values for options whose kind alone does not say what they hold (or
    that need each other); ``_UNSET`` = draw it by kind."""
    d, ds = g.draw, g.ds
    key = (type_, opt.name)
    if key == ("cfa", "factors"):
        if d(st.booleans()):
            return None
        return {d(st.sampled_from(["F1", "F2", "<b>F</b>", "x ~ y"] + ([] if g.sane else [""]))):
                g.vars("item", 2 if g.sane else 0, 5) for _ in range(d(st.integers(1 if g.sane else 0, 3)))}
    if key in (("cfa", "model"), ("sem", "model")):
        if type_ == "cfa" and g.sane and d(st.booleans()):
            return ""
        return g.model_text()
    if key == ("difference", "groups"):
        return g.vars("categorical", 1 if g.sane else 0, 3)
    if key == ("difference", "outcomes"):
        return g.vars("numeric", 1 if g.sane else 0, 3)
    if key == ("difference", "by") and g.sane:
        return d(st.sampled_from([None, None, g.var("categorical")]))
    if key == ("difference", "merge"):
        out = {}
        for grp in (options.get("groups") or [])[:2]:
            if d(st.booleans()):
                out[grp] = [[g.level(grp) for _ in range(d(st.integers(0, 3)))] for _ in range(d(st.integers(0, 2)))]
        return out
    if key in (("correlation", "variables"), ("screening", "items")):
        return g.vars("numeric" if type_ == "correlation" else "item", 2 if g.sane else 0, 6)
    if key == ("efa", "items"):
        return g.vars("item", 3 if g.sane else 0, 8)
    if key == ("crosstab", "rows"):
        return g.vars("categorical", 1 if g.sane else 0, 2)
    if key == ("regression", "outcome"):
        return g.var("numeric")
    if key == ("regression", "blocks"):
        if not g.sane:
            return [g.vars("any", 0, 3) for _ in range(d(st.integers(0, 3)))]
        out, used = [], {options.get("outcome")}
        for _ in range(d(st.integers(1, 3))):
            b = g.vars(d(st.sampled_from(["numeric", "numeric", "categorical", "any"])), 1, 3, exclude=used)
            if b:
                out.append(b)
                used |= set(b)
        return out
    if key == ("regression", "categorical"):
        preds = [v for b in options.get("blocks") or [] for v in b]
        return {v: g.level(v) for v in preds if d(st.integers(0, 2)) == 0}
    if key == ("regression", "scenarios"):
        preds = [v for b in options.get("blocks") or [] for v in b]
        if g.sane:
            return [{"name": f"s{i} <b>", "values": {v: d(st.sampled_from([0.0, 1.0, 4.5])) for v in preds[:2]
                                                     if ds.has(v) and ds.is_numeric(v)}}
                    for i in range(d(st.integers(0, 2)))]
        return [{"name": d(st.sampled_from(["s1", "<b>s</b>", "baseline", ""])),
                 "values": {v: d(st.sampled_from([0.0, 1e300, -1.0, "x", None, 1])) for v in preds[:2]}}
                for _ in range(d(st.integers(0, 2)))]
    if type_ == "process" and g.sane and opt.name in ("x", "y", "m", "w", "z"):
        from core.engines.process.templates import template
        tpl = template(options.get("model", 4))
        taken = [options.get(r) for r in ("x", "y", "w")] + list(options.get("m") or [])
        if opt.name == "m":
            if tpl.mediators == "none":
                return []
            return g.vars("numeric", tpl.min_m, min(tpl.max_m, 3), exclude=taken)
        if opt.name in ("w", "z"):
            if opt.name.upper() not in tpl.moderators:
                return None
            return g.var("any" if tpl.categorical and d(st.booleans()) else "numeric", exclude=taken)
        return g.var("numeric", exclude=taken)
    if key == ("process", "covariates") and g.sane:
        return g.vars("numeric", 0, 2, exclude=[options.get(r) for r in ("x", "y", "w", "z")] + (options.get("m") or []))
    if key == ("process", "categorical"):
        out = {}
        from core.engines.process.templates import template
        roles = template(options.get("model", 4)).categorical if g.sane else ("X", "W")
        for role in ("x", "w"):
            v = options.get(role)
            if v and role.upper() in roles and d(st.integers(0, 2)) == 0:
                out[v] = g.level(v)
        return out
    if key == ("process", "n_boot"):
        return d(st.sampled_from([0, 1, 2, 10, 100] + ([1000] if LONG else [])))
    if key == ("efa", "n_factors"):
        if g.sane:
            return d(st.sampled_from(["eigen", "parallel", 1, 2, 3]))
        return d(st.sampled_from(["eigen", "parallel", 0, 1, 2, 3, 8, -1, 2.5, "two", None, True]))
    if key == ("efa", "n_iter"):
        return d(st.sampled_from([10, 20]))
    return _UNSET


def _options(draw, ds: Dataset, spec) -> dict:
    g = Gen(draw, ds, sane=draw(st.integers(0, 9)) < 7)
    opts: dict = {}
    for opt in spec.options:
        special = _special(g, spec.type, opt, opts)
        if special is not _UNSET:
            if special is not None or not opt.required:
                opts[opt.name] = special
            continue
        if not g.sane and draw(st.integers(0, 5)) == 0:
            continue                                       # leave it to the default
        k = opt.kind
        if k == "variable":
            if (opt.nullable or not opt.required) and draw(st.integers(0, 3)) == 0:
                opts[opt.name] = None
            else:
                opts[opt.name] = g.var(opt.role)
        elif k == "variables":
            opts[opt.name] = g.vars(opt.role)
        elif k == "choice":
            opts[opt.name] = draw(st.sampled_from(list(opt.choices) + ([None] if opt.nullable else [])))
        elif k == "choices":
            opts[opt.name] = draw(st.lists(st.sampled_from(list(opt.choices)), max_size=len(opt.choices) + 1,
                                           unique=g.sane))
        elif k == "int":
            lo = int(opt.min) if opt.min is not None else -5
            hi = int(opt.max) if opt.max is not None else 10**6
            opts[opt.name] = draw(st.sampled_from([lo, min(hi, lo + 1), min(hi, lo + 3)]) | st.integers(lo, hi))
        elif k == "float":
            lo = opt.min if opt.min is not None else -1e6
            hi = opt.max if opt.max is not None else 1e6
            opts[opt.name] = draw(st.sampled_from([lo, hi]) | st.floats(lo, hi))
        elif k == "bool":
            opts[opt.name] = draw(st.booleans())
        elif k == "text":
            opts[opt.name] = draw(st.text(max_size=30))
        elif k == "map":
            opts[opt.name] = {}
        elif k == "blocks":
            opts[opt.name] = [g.vars("any", 0, 3) for _ in range(draw(st.integers(0, 3)))]
        elif k == "pairs":
            opts[opt.name] = [[g.var(opt.role), g.var(opt.role)] for _ in range(draw(st.integers(int(g.sane), 3)))]
        elif k == "json":
            opts[opt.name] = draw(st.sampled_from([None, [], {}, "x", 1]))
    # every so often a bad value of the right name (the recipe runner must answer with a UserError)
    if not g.sane and spec.options and draw(st.integers(0, 9)) == 0:
        o = draw(st.sampled_from(spec.options))
        opts[o.name] = draw(st.sampled_from([object.__name__, -1, 1e309, [1, [2]], {"a": {}}, True]))
    return opts


def _snapshot(ds: Dataset):
    return (ds.frame.copy(deep=True), copy.deepcopy(ds.meta), copy.deepcopy(ds.scales), dict(ds.excluded))


def _same(ds: Dataset, snap) -> None:
    frame, meta, scales, excluded = snap
    pd.testing.assert_frame_equal(ds.frame, frame, check_exact=True)
    assert ds.meta == meta and ds.scales == scales and ds.excluded == excluded


def check_result(spec, res: Result, ds: Dataset) -> None:
    """A result as the pages use it: declared tables, notes, charts,
    interpretation and findings in both languages."""
    assert isinstance(res, Result) and res.type == spec.type
    assert isinstance(res.n_used, (int, np.integer)) and 0 <= res.n_used <= len(ds.frame)
    for name, df in res.tables.items():
        assert isinstance(df, pd.DataFrame), name
        try:
            tspec = spec.table(name)
        except KeyError:
            continue
        missing = [c for c in tspec.column_names if c not in df.columns]
        assert not missing or df.empty, (name, missing)
    check_notes(res.notes)
    json.dumps(recipes.result_to_json(res), allow_nan=False, default=str)
    for lang in ("en", "zh"):
        if spec.charts:
            for _, chart in spec.charts(res, ds, lang):
                chart.to_dict() if hasattr(chart, "to_dict") else chart
        if spec.interpret:
            assert all(isinstance(p, str) for p in spec.interpret(res, ds, lang))
        if spec.findings:
            spec.findings(res, ds, lang)


TYPES = sorted(registry.specs())


@pytest.mark.parametrize("type_", TYPES)
@FUZZ
@given(data=st.data())
def test_every_analysis_on_hostile_surveys(type_, data):
    spec = registry.get(type_)
    ds = data.draw(surveys(), label="survey")
    opts = _options(data.draw, ds, spec)
    note = f"{type_} n={len(ds.frame)} options={json.dumps(opts, ensure_ascii=False, default=str)[:600]}"
    snap, opts_before = _snapshot(ds), copy.deepcopy(opts)
    res = outcome(registry.run, type_, ds, opts)
    _same(ds, snap)
    assert opts == opts_before, note
    if isinstance(res, UserError):
        _count(f"analysis:{type_}", "user_error")
        return
    _count(f"analysis:{type_}", "result")
    try:   # pages draw these without catching anything: even a UserError would be a crash
        with time_limit(HARD_LIMIT_S):
            check_result(spec, res, ds)
    except Exception as exc:
        raise AssertionError(f"rendering {note}") from exc
    _same(ds, snap)


# ---------------------------------------------------------------------------
# defects the fuzz suite found (fixed in core), kept as plain regression tests
# ---------------------------------------------------------------------------
def _ds(frame: pd.DataFrame, scales=()) -> Dataset:
    rec = recipes.validate({"version": 1, "scales": list(scales)})
    return build_dataset(RawData(frame=frame, meta={c: VariableMeta(name=c) for c in frame}), rec)


def test_found_all_missing_outcome_in_a_difference_battery():
    ds = _ds(pd.DataFrame({"g": [1, 1, 2, 2, 1], "y": [np.nan] * 5, "z": [1.0, 2, 3, 4, 5]}))
    res = registry.run("difference", ds, {"groups": ["g"], "outcomes": ["y", "z"]})
    assert list(res.tables["tests"]["note"])[0] == "no_data"


def test_found_negative_efa_seed_is_refused_plainly():
    ds = _ds(pd.DataFrame(np.random.default_rng(1).integers(1, 6, (50, 4)).astype(float), columns=list("abcd")))
    err = outcome(registry.run, "efa", ds, {"items": list("abcd"), "n_factors": "parallel", "seed": -2})
    assert isinstance(err, UserError) and err.key == "error.option_range"


def test_found_infinity_is_missing_data():
    raw = dio.read_bytes(b"a,b\n1,inf\n2,3\n3,-Infinity\n4,1e400\n", "inf.csv")
    assert raw.frame["b"].isna().sum() == 3 and any(n.key == "io.warn_infinite" for n in raw.warnings)
    ds = _ds(pd.DataFrame({"x": [1.0, np.inf, 3.0, -np.inf, 5.0], "y": [2.0, 1, 4, 3, 6]}))
    assert ds.frame["x"].isna().sum() == 2
    res = registry.run("correlation", ds, {"variables": ["x", "y"]})
    assert res.tables["matrix"]["n"].min() == 3


def test_found_cfa_of_scales_whose_names_have_spaces():
    rng = np.random.default_rng(3)
    lat = rng.normal(size=(200, 2))
    names = ["Q 1", "Q 2", "Q 3", "压力 1", "a+b", "x ~ y"]
    frame = pd.DataFrame({nm: np.clip(np.round(3 + lat[:, i // 3] + rng.normal(size=200) * .7), 1, 5)
                          for i, nm in enumerate(names)})
    ds = _ds(frame, [{"name": "Work pressure", "items": names[:3], "min": 1, "max": 5},
                     {"name": "T", "items": names[3:], "min": 1, "max": 5}])
    res = registry.run("cfa", ds, {})
    assert set(res.tables["loadings"]["item"]) == set(names)


def test_found_nan_in_process_meta_keeps_results_json_strict():
    rng = np.random.default_rng(1)
    ds = _ds(pd.DataFrame({"x": rng.integers(1, 4, 120).astype(float), "y": rng.normal(size=120),
                           "w": rng.normal(size=120)}))
    res = registry.run("process", ds, {"model": 1, "x": "x", "y": "y", "w": "w", "categorical": {"x": 1},
                                       "n_boot": 0})
    json.dumps(recipes.result_to_json(res), allow_nan=False)


def test_found_singular_hc_covariance_gives_an_undefined_f():
    from core.engines.ols import wald_f
    assert math.isnan(wald_f(np.array([1.0, 2.0]), np.zeros((2, 2))))


def test_found_principal_axis_of_uncorrelated_items_still_extracts():
    # communalities (SMCs) summing below the convergence bound left the
    # iteration with no loadings at all (psych's fa.pa loop never runs either)
    x = np.random.default_rng(5).normal(size=(200, 3))
    q, _ = np.linalg.qr(x - x.mean(axis=0))     # centred, exactly uncorrelated columns: SMCs 0
    ds = _ds(pd.DataFrame(q * 10 + 3, columns=["a", "b", "c"]))
    res = registry.run("efa", ds, {"items": ["a", "b", "c"], "n_factors": 1, "method": "pa", "rotation": "none"})
    assert res.tables["loadings"].shape[0] == 3


def test_found_bootstrap_with_no_usable_resample_gives_no_interval():
    # an outcome on the scale of 1e156 overflows every standardized resample:
    # the effects stay, the intervals are undefined and a note says why
    rng = np.random.default_rng(1)
    x = rng.normal(size=60)
    m = x + rng.normal(size=60)
    ds = _ds(pd.DataFrame({"x": x, "m": m, "y": (m + rng.normal(size=60)) * 1e156}))
    for ci_type in ("percentile", "bc"):
        res = registry.run("process", ds, {"model": 4, "x": "x", "m": ["m"], "y": "y", "n_boot": 200,
                                           "ci_type": ci_type, "standardized": True})
        ind = res.tables["effects"].query("kind == 'indirect'").iloc[0]
        assert np.isfinite(ind["effect"]) and np.isnan(ind["ci_low"]) and np.isnan(ind["ci_high"])
        dropped = [n for n in res.notes if n.key == "process.note.boot_dropped"]
        assert dropped and dropped[0].kwargs["n"] == 200


def test_found_exact_fit_gives_an_infinite_f():
    # Y is exactly M (a scale of one repeated item): R² = 1, no residual left
    rng = np.random.default_rng(2)
    x = rng.normal(size=40)
    m = np.round(x + rng.normal(size=40)) + 3
    ds = _ds(pd.DataFrame({"x": x, "m": m, "y": m.copy()}))
    res = registry.run("process", ds, {"model": 4, "x": "x", "m": ["m"], "y": "y", "n_boot": 100, "seed": 1})
    models = res.tables["models"]
    y_row = models[models["equation"] == "y"].iloc[0]
    assert y_row["r2"] == pytest.approx(1.0) and y_row["f"] > 1e12 and y_row["p"] == 0
    reg = registry.run("regression", ds, {"outcome": "y", "blocks": [["x"], ["m"]]})
    assert reg.tables["steps"]["f_change"].iloc[-1] > 1e12
