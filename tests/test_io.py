"""Tests for core/data/io.py — every fixture file is built on the fly."""
from __future__ import annotations

import hashlib
import io
import math
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.data import io as dio
from core.data.io import MAX_UPLOAD_MB, list_sheets, read_bytes, read_path
from core.errors import UserError
from core.i18n import catalogue

CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def expect_error(key: str, fn, *args, **kwargs) -> UserError:
    """Call ``fn``; it must raise UserError ``key`` with a real zh/en message."""
    with pytest.raises(UserError) as info:
        fn(*args, **kwargs)
    err = info.value
    assert err.key == key, f"expected {key}, got {err.key} ({err})"
    assert key in catalogue(), f"{key} missing from the catalogue"
    en, zh = err.message("en"), err.message("zh")
    assert en != zh
    assert CJK.search(zh), zh
    assert not CJK.search(en) or any(CJK.search(str(v)) for v in err.kwargs.values())
    assert "{" not in en and "{" not in zh, "unfilled placeholder"
    return err


def note_keys(raw) -> list[str]:
    return [n.key for n in raw.warnings]


def note(raw, key):
    found = [n for n in raw.warnings if n.key == key]
    assert found, f"no {key} note in {note_keys(raw)}"
    n = found[0]
    assert key in catalogue()
    assert CJK.search(n.text("zh")) and n.text("en") != n.text("zh")
    assert "{" not in n.text("en") and "{" not in n.text("zh")
    return n


def xlsx_bytes(build) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def two_sheet_xlsx() -> bytes:
    def build(wb):
        ws = wb.active
        ws.title = "调查"
        ws.append(["编号", "性别", "压力"])
        ws.append([1, "男", 3.5])
        ws.append([2, "女", 4])
        ws.append([3, "女", None])
        ws2 = wb.create_sheet("Second")
        ws2.append(["id", "score", "code"])
        ws2.append([10, 1.25, "7"])  # a number stored as text
        ws2.append([11, 2.5, "8"])

    return xlsx_bytes(build)


def sav_bytes(tmp_path, compress=False) -> bytes:
    df = pd.DataFrame(
        {
            "gender": [1.0, 2.0, 1.0, 2.0, 1.0],
            "q1": [1.0, 9.0, 3.0, np.nan, 5.0],
            "income": [1500.0, 99.0, -1.0, 3200.0, 2100.0],
            "city": ["北京", "上海", " ", "广州", "深圳"],
        }
    )
    path = tmp_path / ("t.zsav" if compress else "t.sav")
    pyreadstat.write_sav(
        df,
        str(path),
        column_labels={"gender": "性别", "q1": "I feel stressed", "income": "Monthly income"},
        variable_value_labels={
            "gender": {1: "男", 2: "女"},
            "q1": {1: "Never", 5: "Always", 9: "Refused"},
        },
        missing_ranges={"q1": [9], "income": [{"lo": 90, "hi": 100}, -1]},
        variable_measure={"gender": "nominal", "q1": "ordinal", "income": "scale"},
        compress=compress,
    )
    return path.read_bytes()


def dta_bytes(tmp_path) -> bytes:
    df = pd.DataFrame({"sex": [1, 2, 2, 1], "score": [3.5, 4.0, np.nan, 2.5]})
    path = tmp_path / "t.dta"
    pyreadstat.write_dta(
        df,
        str(path),
        column_labels={"sex": "Sex of respondent", "score": "Stress score"},
        variable_value_labels={"sex": {1: "male", 2: "female"}},
    )
    return path.read_bytes()


# ---------------------------------------------------------------------------
# CSV: encodings and delimiters
# ---------------------------------------------------------------------------
def test_csv_utf8_types_values_and_source():
    content = b"id,group,score\n1,a,2.5\n2,b,3\n3,a,\n"
    raw = read_bytes(content, "data.csv")
    f = raw.frame
    assert list(f.columns) == ["id", "group", "score"]
    assert f["id"].dtype == np.int64
    assert f["score"].dtype == np.float64
    assert not pd.api.types.is_numeric_dtype(f["group"])
    assert f.loc[1, "group"] == "b"
    assert f.loc[0, "score"] == 2.5
    assert math.isnan(f.loc[2, "score"])
    src = raw.source
    assert src["name"] == "data.csv" and src["format"] == "csv"
    assert src["encoding"] == "utf-8" and src["delimiter"] == ","
    assert src["fingerprint"] == hashlib.sha256(content).hexdigest()
    assert src["rows"] == 3 and src["columns"] == 3
    assert src["sheet"] is None and src["sheets"] is None
    assert set(raw.meta) == {"id", "group", "score"}
    assert raw.meta["score"].name == "score"
    assert raw.warnings == []


def test_csv_utf8_bom_chinese():
    content = "\ufeff姓名,年龄\n张三,30\n李四,41\n".encode("utf-8")
    raw = read_bytes(content, "bom.csv")
    assert list(raw.frame.columns) == ["姓名", "年龄"]  # no BOM glued to the first name
    assert raw.frame.loc[1, "姓名"] == "李四"
    assert raw.frame["年龄"].tolist() == [30, 41]
    assert raw.source["encoding"] == "utf-8-sig"


def test_csv_gbk_chinese_headers_and_values():
    text = "编号,性别,压力得分,备注\n1,男,3.5,工作忙\n2,女,4.25,睡眠不足\n3,女,2,\n"
    raw = read_bytes(text.encode("gbk"), "gbk.csv")
    f = raw.frame
    assert list(f.columns) == ["编号", "性别", "压力得分", "备注"]
    assert f.loc[1, "性别"] == "女"
    assert f.loc[1, "备注"] == "睡眠不足"
    assert f.loc[1, "压力得分"] == 4.25
    assert f["压力得分"].dtype == np.float64
    assert raw.source["encoding"] == "gb18030"
    assert "io.warn_encoding_fallback" not in note_keys(raw)


def test_csv_gb18030_only_characters():
    text = "名字,分\n𠀀甲,1\n乙,2\n"  # 𠀀 exists in GB18030 but not GBK
    raw = read_bytes(text.encode("gb18030"), "x.csv")
    assert raw.frame.loc[0, "名字"] == "𠀀甲"


def test_csv_semicolon_delimiter():
    raw = read_bytes(b"a;b;c\n1;2;x\n3;4;y\n", "semi.csv")
    assert raw.source["delimiter"] == ";"
    assert list(raw.frame.columns) == ["a", "b", "c"]
    assert raw.frame["b"].tolist() == [2, 4]


def test_csv_semicolon_with_decimal_comma():
    raw = read_bytes(b"a;b\n1,5;x\n2,25;y\n3;z\n", "eu.csv")
    assert raw.source["delimiter"] == ";"
    assert raw.frame["a"].tolist() == [1.5, 2.25, 3.0]
    n = note(raw, "io.warn_decimal_comma")
    assert n.kwargs["names"] == "a"


@pytest.mark.parametrize("filename", ["tab.tsv", "tab.txt", "tab.csv"])
def test_csv_tab_delimiter(filename):
    raw = read_bytes("姓名\t分数\t班级\n王五\t88\t一班\n赵六\t92.5\t二班\n".encode(), filename)
    assert raw.source["delimiter"] == "\t"
    assert list(raw.frame.columns) == ["姓名", "分数", "班级"]
    assert raw.frame.loc[1, "分数"] == 92.5
    assert raw.frame.loc[0, "班级"] == "一班"


def test_csv_pipe_delimiter_and_quoted_commas():
    raw = read_bytes(b'id|comment|v\n1|"hello, world"|3\n2|fine|4\n', "p.csv")
    assert raw.source["delimiter"] == "|"
    assert raw.frame.loc[0, "comment"] == "hello, world"


def test_csv_quoted_commas_keep_comma_delimiter():
    raw = read_bytes(b'id,comment,v\n1,"a, b; c",3\n2,"d, e",4\n3,f,5\n', "q.csv")
    assert raw.source["delimiter"] == ","
    assert raw.frame.loc[0, "comment"] == "a, b; c"
    assert raw.frame["v"].tolist() == [3, 4, 5]


def test_csv_single_column():
    raw = read_bytes(b"score\n1\n2\n3\n", "one.csv")
    assert list(raw.frame.columns) == ["score"]
    assert raw.frame["score"].tolist() == [1, 2, 3]


def test_csv_utf16_with_bom():
    content = "a\tb\n1\t甲\n2\t乙\n".encode("utf-16")
    raw = read_bytes(content, "excel_unicode.txt")
    assert raw.frame.loc[1, "b"] == "乙"
    assert raw.source["encoding"] == "utf-16"


def test_csv_latin1_fallback_warns():
    content = "name,score\ncaf\xe9,1\nna\xefve,2\n".encode("latin-1")
    raw = read_bytes(content, "latin.csv")
    assert raw.frame.loc[0, "name"] == "café"
    assert raw.source["encoding"] == "cp1252"
    assert note(raw, "io.warn_encoding_fallback").kwargs["encoding"] == "Windows-1252"


def test_csv_whitespace_is_trimmed_and_blank_cells_are_missing():
    raw = read_bytes(b" a , b ,c\n 1 , 2 ,x \n3,  , y\n", "ws.csv")
    f = raw.frame
    assert list(f.columns) == ["a", "b", "c"]
    assert f["b"].dtype == np.float64
    assert f.loc[0, "b"] == 2.0 and math.isnan(f.loc[1, "b"])
    assert f["c"].tolist() == ["x", "y"]


def test_csv_short_rows_are_padded_with_missing():
    raw = read_bytes(b"a,b,c\n1,2,3\n4,5\n", "short.csv")
    assert raw.frame.shape == (2, 3)
    assert math.isnan(raw.frame.loc[1, "c"])
    assert raw.frame.loc[1, "b"] == 5


def test_csv_header_row_override():
    content = b"Survey export 2024\n\nid,x\n1,10\n2,20\n"
    raw = read_bytes(content, "h.csv", header_row=2)
    assert list(raw.frame.columns) == ["id", "x"]
    assert raw.frame["x"].tolist() == [10, 20]
    assert raw.source["header_row"] == 2


# ---------------------------------------------------------------------------
# CSV: bad input
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf"])
def test_csv_empty(content):
    expect_error("io.empty", read_bytes, content, "empty.csv")


def test_csv_header_only():
    expect_error("io.no_rows", read_bytes, b"a,b,c\n", "h.csv")
    expect_error("io.no_rows", read_bytes, b"a,b,c\n\n\n", "h.csv")


def test_csv_ragged_row_names_line():
    content = b"a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n11,12,13\n"
    err = expect_error("io.ragged_rows", read_bytes, content, "r.csv")
    assert err.kwargs["line"] == "4"
    assert err.kwargs["expected"] == "3" and err.kwargs["saw"] == "4"
    assert "4" in err.message("en") and "4" in err.message("zh")


def test_csv_ragged_first_data_row_is_not_silently_truncated():
    err = expect_error("io.ragged_rows", read_bytes, b"a,b\n1,2,3\n4,5\n", "r.csv")
    assert err.kwargs["line"] == "2"


def test_csv_ragged_line_counts_blank_and_multiline_records():
    content = b'a,b\n1,"x\ny"\n\n3,4,5\n'
    err = expect_error("io.ragged_rows", read_bytes, content, "r.csv")
    assert err.kwargs["line"] == "5"


def test_csv_unclosed_quote():
    expect_error("io.unclosed_quote", read_bytes, b'a,b\n1,"oops\n3,4\n', "q.csv")


def test_csv_binary_garbage_with_nul():
    rng = np.random.default_rng(1)
    garbage = rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()
    expect_error("io.not_text", read_bytes, garbage, "garbage.csv")


def test_csv_binary_garbage_without_nul():
    rng = np.random.default_rng(2)
    garbage = bytes(b for b in rng.integers(1, 256, 4096, dtype=np.uint8).tobytes())
    assert b"\x00" not in garbage
    expect_error("io.not_text", read_bytes, garbage, "garbage.csv")


def test_csv_png_renamed():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
    expect_error("io.not_text", read_bytes, png, "photo.csv")


def test_csv_that_is_really_xlsx():
    err = expect_error("io.extension_mismatch", read_bytes, two_sheet_xlsx(), "data.csv")
    assert "Excel" in err.kwargs["detected"]


def test_unsupported_extensions():
    err = expect_error("io.unsupported_format", read_bytes, b"%PDF-1.4 whatever", "report.pdf")
    assert err.kwargs["ext"] == ".pdf"
    assert ".xlsx" in err.message("zh")
    expect_error("io.unsupported_format", read_bytes, b"a,b\n1,2\n", "noextension")
    expect_error("io.excel_legacy_or_protected", read_bytes, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls")


def test_extension_is_case_insensitive():
    raw = read_bytes(b"a,b\n1,2\n3,4\n", "DATA.CSV")
    assert raw.frame["b"].tolist() == [2, 4]


def test_oversize_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(dio, "MAX_UPLOAD_MB", 0.0001)  # ≈ 105 bytes
    calls = []
    monkeypatch.setattr(dio, "_read_text", lambda *a, **k: calls.append(1))
    content = b"a,b\n" + b"1,2\n" * 100
    err = expect_error("io.too_large", read_bytes, content, "big.csv")
    assert err.kwargs["limit_mb"] == "0.0001"
    assert calls == []
    assert MAX_UPLOAD_MB == 200  # the real limit


def test_oversize_read_path(monkeypatch, tmp_path):
    p = tmp_path / "big.csv"
    p.write_bytes(b"a,b\n" + b"1,2\n" * 100)
    monkeypatch.setattr(dio, "MAX_UPLOAD_MB", 0.0001)
    expect_error("io.too_large", read_path, p)


def test_read_path_and_missing_file(tmp_path):
    p = tmp_path / "问卷.csv"
    p.write_bytes("题目,得分\n甲,1\n乙,2\n".encode("gbk"))
    raw = read_path(p)
    assert raw.source["name"] == "问卷.csv"
    assert raw.frame.loc[1, "题目"] == "乙"
    expect_error("io.file_not_found", read_path, tmp_path / "nope.csv")


def test_unexpected_parser_failure_becomes_unreadable(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("internal bug")

    monkeypatch.setattr(dio, "_tidy_frame", boom)
    err = expect_error("io.unreadable", read_bytes, b"a,b\n1,2\n", "x.csv")
    assert err.kwargs["format"] == "CSV"


# ---------------------------------------------------------------------------
# column names and data warnings (all formats share them)
# ---------------------------------------------------------------------------
def test_duplicate_column_names_renamed():
    raw = read_bytes(b"a,b,a,a,a_2\n1,2,3,4,5\n6,7,8,9,10\n", "dup.csv")
    assert list(raw.frame.columns) == ["a", "b", "a_3", "a_4", "a_2"]
    assert raw.frame["a_3"].tolist() == [3, 8]
    assert raw.frame["a_2"].tolist() == [5, 10]  # the real a_2 keeps its name
    n = note(raw, "io.warn_duplicate_columns")
    assert n.kwargs["names"] == "a"
    assert n.kwargs["renamed"] == "a_3, a_4"
    assert set(raw.meta) == set(raw.frame.columns)


def test_duplicate_column_names_simple():
    raw = read_bytes(b"q,q,q\n1,2,3\n4,5,6\n", "dup.csv")
    assert list(raw.frame.columns) == ["q", "q_2", "q_3"]
    assert raw.frame["q_2"].tolist() == [2, 5]


def test_empty_column_names_become_positional():
    raw = read_bytes(b"a,,c, \n1,2,3,4\n5,6,7,8\n", "u.csv")
    assert list(raw.frame.columns) == ["a", "V2", "c", "V4"]
    assert raw.frame["V2"].tolist() == [2, 6]
    assert note(raw, "io.warn_unnamed_columns").kwargs["names"] == "V2, V4"


def test_trailing_delimiter_column_is_dropped_with_note():
    raw = read_bytes(b"a,b,\n1,2,\n3,4,\n", "t.csv")
    assert list(raw.frame.columns) == ["a", "b"]
    assert note(raw, "io.warn_dropped_empty_columns").kwargs["count"] == "1"


def test_constant_and_empty_columns_warn():
    raw = read_bytes(b"a,const,blank\n1,5,\n2,5,\n3,5,\n", "c.csv")
    assert note(raw, "io.warn_constant_columns").kwargs["names"] == "const"
    assert note(raw, "io.warn_empty_columns").kwargs["names"] == "blank"
    assert raw.frame["const"].tolist() == [5, 5, 5]


def test_all_text_warns_but_loads():
    raw = read_bytes("性别,态度\n男,同意\n女,不同意\n".encode(), "t.csv")
    assert raw.frame.shape == (2, 2)
    note(raw, "io.warn_no_numeric")


def test_wrong_delimiter_symptom_all_in_one_column_warns():
    raw = read_bytes(b"a b c\nx y z\nu v w\n", "t.csv")
    assert raw.frame.shape[1] == 1
    note(raw, "io.warn_no_numeric")


def test_numeric_data_has_no_numeric_warning():
    raw = read_bytes(b"a,b\n1,x\n2,y\n", "n.csv")
    assert "io.warn_no_numeric" not in note_keys(raw)


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------
def test_xlsx_two_sheets_and_picker():
    content = two_sheet_xlsx()
    assert list_sheets(content, "book.xlsx") == ["调查", "Second"]
    first = read_bytes(content, "book.xlsx")
    assert first.source["sheet"] == "调查"
    assert first.source["sheets"] == ["调查", "Second"]
    assert first.source["format"] == "xlsx"
    assert list(first.frame.columns) == ["编号", "性别", "压力"]
    assert first.frame.loc[1, "性别"] == "女"
    assert first.frame["压力"].dtype == np.float64
    assert first.frame.loc[1, "压力"] == 4.0 and math.isnan(first.frame.loc[2, "压力"])
    assert first.frame["编号"].dtype == np.int64

    second = read_bytes(content, "book.xlsx", sheet="Second")
    assert second.source["sheet"] == "Second"
    assert second.frame["score"].tolist() == [1.25, 2.5]
    assert second.frame["code"].tolist() == [7, 8]  # numbers stored as text → numbers
    assert pd.api.types.is_numeric_dtype(second.frame["code"])


def test_xlsx_unknown_sheet_lists_sheets():
    err = expect_error("io.unknown_sheet", read_bytes, two_sheet_xlsx(), "book.xlsx", sheet="Nope")
    assert err.kwargs["sheets"] == "调查, Second"
    assert "Second" in err.message("zh")


def test_list_sheets_non_excel():
    assert list_sheets(b"a,b\n1,2\n", "x.csv") == []
    assert list_sheets(b"whatever", "x.sav") == []


def _merged_header(wb):
    ws = wb.active
    ws.title = "S1"
    ws["A1"] = "Demographics"
    ws.merge_cells("A1:B1")
    ws["C1"] = "Stress"
    ws.merge_cells("C1:D1")
    ws.append(["age", "sex", "item1", "item2"])
    ws.append([30, "F", 4, 5])
    ws.append([41, "M", 2, 3])


def test_xlsx_merged_header_detected_and_override():
    content = xlsx_bytes(_merged_header)
    err = expect_error("io.merged_header", read_bytes, content, "m.xlsx")
    assert err.kwargs["header_row"] == "1" and err.kwargs["row"] == "2"
    assert err.kwargs["sheet"] == "S1"
    raw = read_bytes(content, "m.xlsx", header_row=1)
    assert list(raw.frame.columns) == ["age", "sex", "item1", "item2"]
    assert raw.frame.loc[1, "item1"] == 2
    assert raw.frame["age"].tolist() == [30, 41]
    assert raw.source["header_row"] == 1


def test_xlsx_vertical_merge_two_row_header():
    def build(wb):
        ws = wb.active
        ws["A1"] = "id"
        ws.merge_cells("A1:A2")
        ws["B1"] = "Wave 1"
        ws.merge_cells("B1:C1")
        ws["B2"], ws["C2"] = "x", "y"
        ws.append([1, 2, 3])
        ws.append([4, 5, 6])

    content = xlsx_bytes(build)
    err = expect_error("io.merged_header", read_bytes, content, "v.xlsx")
    assert err.kwargs["header_row"] == "1"
    raw = read_bytes(content, "v.xlsx", header_row=1)
    assert list(raw.frame.columns) == ["V1", "x", "y"]
    assert raw.frame["y"].tolist() == [3, 6]
    note(raw, "io.warn_unnamed_columns")


def test_xlsx_title_row_detected_and_override():
    def build(wb):
        ws = wb.active
        ws["A1"] = "2024 员工压力调查"
        ws.append(["编号", "部门", "压力", "满意度"])
        ws.append([1, "销售", 4, 3])
        ws.append([2, "研发", 5, 2])

    content = xlsx_bytes(build)
    err = expect_error("io.header_not_first_row", read_bytes, content, "t.xlsx")
    assert err.kwargs["header_row"] == "1"
    raw = read_bytes(content, "t.xlsx", header_row=1)
    assert list(raw.frame.columns) == ["编号", "部门", "压力", "满意度"]
    assert raw.frame.loc[1, "部门"] == "研发"


def test_xlsx_header_row_out_of_range():
    expect_error("io.bad_header_row", read_bytes, two_sheet_xlsx(), "b.xlsx", header_row=50)
    expect_error("io.bad_header_row", read_bytes, two_sheet_xlsx(), "b.xlsx", header_row=-1)


def test_xlsx_blank_leading_rows_and_columns_and_error_cells():
    def build(wb):
        ws = wb.active
        ws["B3"], ws["C3"] = "a", "b"
        ws["B4"], ws["C4"] = 1, "#DIV/0!"
        ws["B5"], ws["C5"] = 2, 3.5

    raw = read_bytes(xlsx_bytes(build), "l.xlsx")
    assert list(raw.frame.columns) == ["a", "b"]
    assert raw.frame["b"].dtype == np.float64
    assert math.isnan(raw.frame.loc[0, "b"]) and raw.frame.loc[1, "b"] == 3.5


def test_xlsx_duplicates_and_constant():
    def build(wb):
        ws = wb.active
        ws.append(["x", "x", "k"])
        ws.append([1, 2, "same"])
        ws.append([3, 4, "same"])

    raw = read_bytes(xlsx_bytes(build), "d.xlsx")
    assert list(raw.frame.columns) == ["x", "x_2", "k"]
    assert raw.frame["x_2"].tolist() == [2, 4]
    assert note(raw, "io.warn_duplicate_columns").kwargs["renamed"] == "x_2"
    assert note(raw, "io.warn_constant_columns").kwargs["names"] == "k"


def test_xlsx_empty_sheet_and_header_only():
    def empty(wb):
        wb.active.title = "Blank"

    expect_error("io.empty_sheet", read_bytes, xlsx_bytes(empty), "e.xlsx")

    def header_only(wb):
        wb.active.append(["a", "b"])

    expect_error("io.no_rows", read_bytes, xlsx_bytes(header_only), "h.xlsx")


def test_xlsx_truncated():
    content = two_sheet_xlsx()
    expect_error("io.corrupt", read_bytes, content[: len(content) // 2], "cut.xlsx")
    expect_error("io.corrupt", list_sheets, content[: len(content) // 2], "cut.xlsx")


def test_xlsx_zip_but_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    expect_error("io.corrupt", read_bytes, buf.getvalue(), "z.xlsx")


def test_xlsx_that_is_really_csv():
    err = expect_error("io.extension_mismatch", read_bytes, b"a,b\n1,2\n", "fake.xlsx")
    assert err.kwargs["detected"] == "CSV / text"


def test_xlsx_legacy_or_protected():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    expect_error("io.excel_legacy_or_protected", read_bytes, ole, "old.xlsx")


# ---------------------------------------------------------------------------
# SPSS
# ---------------------------------------------------------------------------
def test_sav_labels_and_user_missing(tmp_path):
    content = sav_bytes(tmp_path)
    raw = read_bytes(content, "survey.sav")
    f = raw.frame
    assert raw.source["format"] == "sav"
    assert list(f.columns) == ["gender", "q1", "income", "city"]
    # raw codes, not labels
    assert f["gender"].tolist() == [1.0, 2.0, 1.0, 2.0, 1.0]
    # user-missing codes stay as raw values; system missing stays NaN
    assert f.loc[1, "q1"] == 9.0
    assert math.isnan(f.loc[3, "q1"])
    assert f.loc[2, "income"] == -1.0 and f.loc[1, "income"] == 99.0

    g = raw.meta["gender"]
    assert g.label == "性别"
    assert g.value_labels == {1.0: "男", 2.0: "女"}
    assert all(k in set(f["gender"]) for k in g.value_labels)  # keys match the column values
    assert g.measure == "nominal"

    q1 = raw.meta["q1"]
    assert q1.label == "I feel stressed"
    assert q1.value_labels[9.0] == "Refused"
    assert q1.missing_values == [9.0]
    assert q1.missing_ranges == []
    assert q1.measure == "ordinal"

    inc = raw.meta["income"]
    assert inc.missing_ranges == [(90.0, 100.0)]
    assert inc.missing_values == [-1.0]
    assert inc.measure == "scale"
    assert inc.value_labels == {}

    city = raw.meta["city"]
    assert city.label is None
    assert f.loc[0, "city"] == "北京"
    assert pd.isna(f.loc[2, "city"])  # blank string → missing


def test_zsav(tmp_path):
    raw = read_bytes(sav_bytes(tmp_path, compress=True), "survey.zsav")
    assert raw.source["format"] == "zsav"
    assert raw.meta["gender"].value_labels[2.0] == "女"
    assert raw.frame.loc[1, "q1"] == 9.0


def test_sav_read_path(tmp_path):
    sav_bytes(tmp_path)
    raw = read_path(tmp_path / "t.sav")
    assert raw.meta["q1"].missing_values == [9.0]
    assert raw.source["fingerprint"] == hashlib.sha256((tmp_path / "t.sav").read_bytes()).hexdigest()


def test_sav_no_temp_files_left(tmp_path, monkeypatch):
    import tempfile

    content = sav_bytes(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    read_bytes(content, "s.sav")
    assert list(scratch.iterdir()) == []


def test_sav_truncated(tmp_path):
    content = sav_bytes(tmp_path)
    err = expect_error("io.corrupt", read_bytes, content[: len(content) // 2], "cut.sav")
    assert err.kwargs["format"] == "SPSS (.sav)"
    expect_error("io.corrupt", read_bytes, content[:300], "cut.sav")


def test_sav_not_spss():
    expect_error("io.extension_mismatch", read_bytes, b"a,b\n1,2\n", "fake.sav")
    expect_error("io.extension_mismatch", read_bytes, two_sheet_xlsx(), "fake.sav")
    expect_error("io.empty", read_bytes, b"", "empty.sav")


# ---------------------------------------------------------------------------
# Stata
# ---------------------------------------------------------------------------
def test_dta_value_and_variable_labels(tmp_path):
    raw = read_bytes(dta_bytes(tmp_path), "s.dta")
    f = raw.frame
    assert raw.source["format"] == "dta"
    assert f["score"].tolist()[:2] == [3.5, 4.0] and math.isnan(f.loc[2, "score"])
    sex = raw.meta["sex"]
    assert sex.label == "Sex of respondent"
    assert sex.value_labels == {1.0: "male", 2.0: "female"}
    # pyreadstat gives int keys for Stata labels; they must match the column's values
    col_values = set(f["sex"].tolist())
    assert set(sex.value_labels) == col_values
    assert all(type(k) is type(f["sex"].iloc[0].item()) for k in sex.value_labels)
    assert raw.meta["score"].label == "Stress score"
    assert sex.missing_values == [] and sex.missing_ranges == []


def test_dta_truncated(tmp_path):
    content = dta_bytes(tmp_path)
    expect_error("io.corrupt", read_bytes, content[: len(content) // 2], "cut.dta")


def test_dta_not_stata():
    expect_error("io.extension_mismatch", read_bytes, b"a,b\n1,2\n", "fake.dta")


# ---------------------------------------------------------------------------
# performance and properties
# ---------------------------------------------------------------------------
def test_100k_row_csv_keeps_types():
    rng = np.random.default_rng(0)
    n = 100_000
    df = pd.DataFrame({f"q{i}": rng.integers(1, 6, n) for i in range(15)})
    df["group"] = rng.choice(["男", "女"], n)
    df["x"] = rng.normal(size=n)
    content = df.to_csv(index=False).encode()
    raw = read_bytes(content, "big.csv")
    assert raw.frame.shape == (n, 17)
    assert raw.frame["q3"].dtype == np.int64
    assert raw.frame["group"].iloc[5] == df["group"].iloc[5]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(
        st.tuples(st.integers(-1000, 1000), st.sampled_from(["男", "女", "其他", "x y"])),
        min_size=2,
        max_size=30,
    ),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
)
def test_csv_roundtrip_property(data, sep, encoding):
    df = pd.DataFrame(data, columns=["数值", "类别"])
    content = df.to_csv(index=False, sep=sep).encode(encoding)
    raw = read_bytes(content, "p.csv")
    assert raw.source["delimiter"] == sep
    assert list(raw.frame.columns) == ["数值", "类别"]
    assert raw.frame["数值"].tolist() == df["数值"].tolist()
    assert raw.frame["类别"].tolist() == df["类别"].tolist()


# ---------------------------------------------------------------------------
# survey-platform quirks (issue 13)
# ---------------------------------------------------------------------------
def test_csv_wholly_empty_rows_are_dropped_with_a_note():
    content = "id,score,city\n1,3,甲\n,,\n2,4,乙\n , ,\n,,\n".encode("utf-8")
    raw = read_bytes(content, "empty_rows.csv")
    assert len(raw.frame) == 2
    assert raw.frame["score"].tolist() == [3, 4]
    assert note(raw, "io.warn_dropped_empty_rows").kwargs["count"] == "3"


def test_xlsx_empty_rows_between_answers_are_noted():
    def build(wb):
        ws = wb.active
        ws.append(["a", "b"])
        ws.append([1, 2])
        ws.append([None, None])
        ws.append([3, 4])
    raw = read_bytes(xlsx_bytes(build), "gap.xlsx")
    assert raw.frame["a"].tolist() == [1, 3]
    assert note(raw, "io.warn_dropped_empty_rows").kwargs["count"] == "1"


def test_full_width_digits_and_stray_spaces_are_numbers():
    content = "q1,q2,q3\n４,１,3\n 2 ,－１,３．５\n5　,2,1\n".encode("utf-8")
    f = read_bytes(content, "wide.csv").frame
    assert f["q1"].tolist() == [4, 2, 5]
    assert f["q2"].tolist() == [1, -1, 2]
    assert f["q3"].tolist() == [3.0, 3.5, 1.0]


def test_full_width_digits_in_excel_text_cells():
    def build(wb):
        ws = wb.active
        ws.append(["q1"])
        for v in (1, 2, "４", 5, "３"):
            ws.append([v])
    f = read_bytes(xlsx_bytes(build), "wide.xlsx").frame
    assert f["q1"].tolist() == [1, 2, 4, 5, 3]


def test_a_few_blocking_cells_are_named():
    rows = ["q1,q2"] + [f"{i % 5 + 1},甲" for i in range(40)]
    rows[8] = "四,甲"
    rows[20] = "不适用,乙"
    raw = read_bytes(("\n".join(rows) + "\n").encode("utf-8"), "blocked.csv")
    assert not pd.api.types.is_numeric_dtype(raw.frame["q1"])
    n = note(raw, "io.warn_blocked_numeric")
    assert n.kwargs["name"] == "q1" and n.kwargs["count"] == "2"
    assert "8: “四”" in n.kwargs["cells"] and "20: “不适用”" in n.kwargs["cells"]
    assert "q2" not in [m.kwargs.get("name") for m in raw.warnings if m.key == "io.warn_blocked_numeric"]


def test_windows_1252_that_decodes_as_gb18030_is_not_misread():
    text = "name,city,score\nHélène,Genève,3\nJürgen,Besançon,4\nGérard,Orléans,5\n"
    content = text.encode("cp1252")
    content.decode("gb18030")  # the trap: valid GB18030 too
    raw = read_bytes(content, "western.csv")
    assert raw.frame["name"].tolist() == ["Hélène", "Jürgen", "Gérard"]
    assert raw.source["encoding"] == "cp1252"
    assert note(raw, "io.warn_encoding_guess").kwargs["encoding"] == "Windows-1252"


def test_gbk_chinese_is_still_gbk_without_a_warning():
    text = "性别,学历,得分\n男,本科,3\n女,硕士研究生,4\n"
    raw = read_bytes(text.encode("gbk"), "zh.csv")
    assert raw.source["encoding"] == "gb18030"
    assert raw.frame["学历"].tolist() == ["本科", "硕士研究生"]
    assert not [n for n in raw.warnings if n.key.startswith("io.warn_encoding")]


def _xls_bytes(rows, sheet="Sheet1") -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_legacy_xls_is_read():
    content = _xls_bytes([["1、您的性别：", "2、得分", "备注"], ["男", 3, "好"], [None, None, None], ["女", 4.5, None]])
    raw = read_bytes(content, "old.xls")
    assert list(raw.frame.columns) == ["1、您的性别：", "2、得分", "备注"]
    assert raw.frame["2、得分"].tolist() == [3.0, 4.5]
    assert raw.frame["1、您的性别："].tolist() == ["男", "女"]
    assert raw.source["format"] == "xls" and raw.source["sheet"] == "Sheet1"
    assert list_sheets(content, "old.xls") == ["Sheet1"]


def test_xls_that_is_really_csv_or_xlsx():
    assert expect_error("io.extension_mismatch", read_bytes, b"a,b\n1,2\n", "fake.xls").kwargs["detected"] == \
        "CSV / text"
    def build(wb):
        wb.active.append(["a"])
    expect_error("io.extension_mismatch", read_bytes, xlsx_bytes(build), "new.xls")


QUALTRICS = (
    'StartDate,Duration (in seconds),ResponseId,Q1,Q2_1,Q2_2\n'
    '"Start Date","Duration (in seconds)","Response ID","What is your gender?",'
    '"How much do you agree? - I like my job","How much do you agree? - My work, my pride"\n'
    '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""duration""}",'
    '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_1""}","{""ImportId"":""QID2_2""}"\n'
    '2024-03-01 10:00:00,305,R_1,Male,4,5\n'
    '2024-03-01 10:05:00,188,R_2,Female,2,3\n'
)


def test_qualtrics_three_header_rows():
    raw = read_bytes(QUALTRICS.encode("utf-8"), "qualtrics.csv")
    f = raw.frame
    assert len(f) == 2
    assert f["Q2_1"].tolist() == [4, 2] and f["Duration (in seconds)"].tolist() == [305, 188]
    assert raw.meta["Q2_2"].label == "How much do you agree? - My work, my pride"
    assert raw.source["skip_rows"] == 2
    assert "io.warn_no_numeric" not in note_keys(raw)


def test_gbk_with_many_rare_characters_is_read_as_gbk_with_a_warning():
    # 12 common + 4 rare (GBK-extension) characters: plausible Chinese, but not surely
    text = "名称,得分\n工作压力很大,3\n侤侫侭侰,4\n"
    content = text.encode("gbk")
    content.decode("cp1252")  # valid Windows-1252 too
    raw = read_bytes(content, "unsure.csv")
    assert raw.source["encoding"] == "gb18030" and raw.frame["名称"].tolist() == ["工作压力很大", "侤侫侭侰"]
    n = note(raw, "io.warn_encoding_guess")
    assert n.kwargs == {"encoding": "GB18030 (GBK)", "other": "Windows-1252"}
