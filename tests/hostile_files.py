"""Small spreadsheet files that expand enormously once read (zip/XML bombs),
shared by tests/test_hostile.py and the browser test of a bomb upload."""
from __future__ import annotations

import io
import zipfile

import openpyxl


def book(sheet_xml: bytes, shared_xml: bytes | None = None, level: int = 9) -> bytes:
    """A valid workbook made by openpyxl with its sheet (and shared strings) replaced."""
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["A1"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            elif item.filename == "[Content_Types].xml" and shared_xml is not None:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels" and shared_xml is not None:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            z.writestr(item, data)
        if shared_xml is not None:
            z.writestr("xl/sharedStrings.xml", shared_xml)
    return out.getvalue()


NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
END = b"</sheetData></worksheet>"


def col(i: int) -> str:
    s = ""
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def shared_string_bomb(text: str, uses: int) -> bytes:
    shared = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
              b"<si><t>" + text.encode() + b"</t></si></sst>")
    cells = b"".join(b'<c r="%s2" t="s"><v>0</v></c>' % col(i).encode() for i in range(1, uses + 1))
    header = b"".join(b'<c r="%s1" t="inlineStr"><is><t>v%d</t></is></c>' % (col(i).encode(), i)
                      for i in range(1, uses + 1))
    return book(NS + b'<row r="1">' + header + b'</row><row r="2">' + cells + b"</row>" + END, shared)
