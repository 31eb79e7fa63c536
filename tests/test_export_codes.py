"""No internal code reaches a report (issue 12): `python -m core run … --docx --xlsx --html` on a recipe
with difference, crosstab, regression, correlation, process and cfa analyses, in Chinese and English;
every cell of the three files is scanned against the raw values of the declared code and flag columns; results
keep level codes (groups, cross-tab levels, dummies of a categorical predictor), which every file reads as the value
labels in its own language."""
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core import i18n
from core import recipe as recipes
from core import registry
from core.data import samples
from core import format as fmt
from core.format import code_key

ROOT = Path(__file__).resolve().parents[1]

ANALYSES = [
    {"id": "diff", "type": "difference", "groups": ["gender", "education"], "outcomes": ["WW", "PS"],
     "by": "gender"},
    {"id": "ct", "type": "crosstab", "rows": ["gender"], "cols": ["education"], "correct": True},
    {"id": "reg", "type": "regression", "outcome": "WW", "blocks": [["gender", "education"], ["RP", "PS"]],
     "categorical": {"education": None}, "scenarios": [{"name": "more pressure", "values": {"RP": 4}}]},
    {"id": "cor", "type": "correlation", "variables": ["RP", "PS", "WW"]},
    {"id": "med", "type": "process", "model": 4, "x": "RP", "m": ["PS"], "y": "WW", "n_boot": 300, "seed": 7,
     "standardized": True},
    {"id": "cfa", "type": "cfa"},
    {"id": "rel", "type": "reliability"},
    {"id": "hyp", "type": "hypotheses", "hypotheses": [
        {"label": "H1", "text": "Women withdraw more", "type": "difference",
         "options": {"groups": ["gender"], "outcomes": ["WW"]}, "table": "group_stats",
         "row": {"group": "gender", "outcome": "WW", "level": 2}, "expected": "any"},
        {"label": "H2", "text": "Role pressure raises withdrawal", "type": "regression",
         "options": {"outcome": "WW", "blocks": [["gender"], ["RP", "PS"]]}, "table": "coefficients",
         "row": {"step": 2, "term": "RP"}, "expected": "positive"}]},
]
# kinds whose raw values are codes read through the catalogue or their row (the hypothesis summary's test)
READ_KINDS = ("flag", "analysis", "table", "row")


def _recipe() -> dict:
    _, rec, _ = samples.load("role_pressure")
    rec = dict(rec, analyses=ANALYSES)
    rec["data"] = dict(rec["data"], path=str(ROOT / "sample_data" / "role_pressure.csv"))
    return recipes.validate(rec)


def _raw_codes(recipe: dict) -> tuple[dict[str, set[str]], list[str]]:
    """Per language, the raw values of every declared code or flag column in this recipe's results whose
    words differ from the code ("direct" reads "direct" in English: not a leak); and the values of code
    columns that are neither in the catalogue nor a variable or a user's scenario name."""
    raw, _, _ = samples.load("role_pressure")
    ds = recipes.dataset_for(raw, recipe)
    names = {s["name"] for e in recipe["analyses"] for s in e.get("scenarios") or []}
    codes, unknown = {"en": set(), "zh": set()}, []
    for entry in recipe["analyses"]:
        spec = registry.get(entry["type"])
        res = registry.run(entry["type"], ds, {k: v for k, v in entry.items() if k not in ("id", "title")})
        for tb in spec.tables:
            df = res.tables.get(tb.name)
            if df is None:
                continue
            for col in tb.columns:
                if col.name not in df or not (col.codes or col.kind in READ_KINDS):
                    continue
                for v in {fmt.cell(v, col) if col.kind == "row" else str(v) for v in df[col.name].dropna()
                          if str(v).strip()}:
                    if col.kind in ("table", "row"):   # read through another column of the row
                        for lang in codes:
                            codes[lang].add(v)
                    elif col.kind in READ_KINDS or i18n.has(col.codes + code_key(v)):
                        for lang in codes:
                            if fmt.cell(v, col, lang) != v:
                                codes[lang].add(v)
                    elif re.fullmatch(r"(.+)\[.+\]", v) and ds.has(v.split("[")[0]):   # a dummy: variable[code]
                        for lang in codes:
                            codes[lang].add(v)
                    elif not (all(ds.has(part) for part in v.split(":")) or v in names):
                        unknown.append(f"{entry['type']}.{tb.name}.{col.name}: {v}")
    return codes, unknown


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = {}
    recipe = _recipe()
    folder = tmp_path_factory.mktemp("exports")
    path = folder / "recipe.json"
    path.write_text(json.dumps(recipe, ensure_ascii=False), encoding="utf-8")
    for lang in ("zh", "en"):
        files = {ext: folder / f"report_{lang}.{ext}" for ext in ("docx", "xlsx", "html")}
        proc = subprocess.run([sys.executable, "-m", "core", "run", str(path), "--lang", lang, "--out",
                               str(folder / f"results_{lang}.json")]
                              + [a for ext, f in files.items() for a in (f"--{ext}", str(f))],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        out[lang] = files
    return _raw_codes(recipe), out


def _docx_cells(path: Path) -> list[str]:
    import docx

    return [c.text.strip() for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells]


def _xlsx_cells(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    return [str(v).strip() for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if v is not None]


def _html_cells(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(r"<td[^>]*>(.*?)</td>", text, re.S)]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt_", ["docx", "xlsx", "html"])
def test_no_cell_is_an_internal_code(exported, lang, fmt_):
    (codes, unknown), files = exported
    assert unknown == []   # every code a code column holds has its words in the catalogue
    # the scan can fail: these are codes the analyses really produce
    assert {"student_t", "cohen_d", "indirect", "hypothesised", "False", "education[2]", "difference",
            "group_stats", "gender · WW · 2", "regression", "2 · RP"} <= codes[lang]
    cells = {"docx": _docx_cells, "xlsx": _xlsx_cells, "html": _html_cells}[fmt_](files[lang][fmt_])
    assert len(cells) > 200
    leaked = sorted({c for c in cells if c in codes[lang]})
    assert leaked == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt_", ["docx", "xlsx", "html"])
def test_level_codes_read_as_labels_in_the_files_language(exported, lang, fmt_):
    """Group levels (difference, crosstab) and dummies (regression) are codes in the results; each file names
    them by the value labels in its own language, never the other's."""
    _, files = exported
    raw, _, _ = samples.load("role_pressure")
    cells = {"docx": _docx_cells, "xlsx": _xlsx_cells, "html": _html_cells}[fmt_](files[lang][fmt_])
    # a level may be part of a cell or a header: the thesis table's "1. Male (n = 224)"
    text = "\n".join(cells) if fmt_ != "html" else \
        html.unescape(re.sub(r"<[^>]+>", "\n", files[lang][fmt_].read_text(encoding="utf-8")))
    other = "en" if lang == "zh" else "zh"
    for var in ("gender", "education"):
        for label in raw.meta[var].value_labels.values():
            assert label[lang] in text, (var, label)
            assert label[other] not in text, (var, label)
    dummy = f"{raw.meta['education'].label[lang]}[{raw.meta['education'].value_labels[2][lang]}]"
    assert dummy in cells


def test_codes_read_the_same_in_page_and_report():
    """The one formatter: a code column's cell in words, a whole df without decimals, a flag as a tick."""
    from core.types import Column

    test = Column("test", "text", codes="difference.testname.")
    assert fmt.cell("student_t", test, "zh") == fmt.value("student_t", test, "zh") != "student_t"
    assert fmt.cell(586.0, Column("df2", "df")) == "586"
    assert fmt.cell(28.3518, Column("df2", "df")) == "28.352"
    assert fmt.cell(True, Column("small", "flag")) == "✓" and fmt.cell(False, Column("small", "flag")) == ""
    source = Column("source", "text", codes="difference.source.")
    assert fmt.cell("age:gender", source, "en", labels={"age": "Age", "gender": "Gender"}) == "Age × Gender"
    assert fmt.cell("Corrected Model", source, "zh") != "Corrected Model"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_level_codes_through_the_one_formatter(lang):
    """A level column (kind "level") holds codes and names the column of their variable; the edge reads them as
    value labels in the dataset's language — a merged level ("1 + 2") as its members' labels — and a note's level
    argument likewise.  Without a dataset a code stays a code."""
    import pandas as pd

    from core.types import Column, Note

    raw, rec, _ = samples.load("role_pressure")
    ds = recipes.dataset_for(raw, rec, lang)
    lab = {v: {c: x[lang] for c, x in raw.meta[v].value_labels.items()} for v in ("gender", "education")}
    df = pd.DataFrame({"group": ["gender", "education", "education"], "level": [2, "1 + 2", 3.0]})
    cols = [Column("group", "var"), Column("level", "level", of="group")]
    shown = fmt.level_labels(df, cols, ds)
    assert list(shown["level"]) == [lab["gender"][2], f"{lab['education'][1]} + {lab['education'][2]}",
                                    lab["education"][3]]
    assert list(df["level"]) == [2, "1 + 2", 3.0]                     # the result itself is untouched
    assert fmt.cell(3.0, cols[1], lang) == "3"                        # no dataset: the code, as a code
    note = Note("difference.note.small_group", {"group": "gender", "level": 2, "n": 3, "min": 5}, {"level": "gender"})
    assert lab["gender"][2] in note.text(lang, ds) and lab["gender"][2] not in note.text(lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt_", ["docx", "xlsx", "html"])
def test_hypothesis_tests_read_in_the_files_language(exported, lang, fmt_):
    """The hypothesis summary names the analysis, the table and the row that test each hypothesis as the reader
    knows them: the analysis' and the table's titles, the row's variables and levels by their labels."""
    _, files = exported
    ds = recipes.dataset_for(samples.load("role_pressure")[0], _recipe(), lang)
    cells = {"docx": _docx_cells, "xlsx": _xlsx_cells, "html": _html_cells}[fmt_](files[lang][fmt_])
    words = [i18n.t("difference.title", lang), i18n.t("difference.table.group_stats", lang),
             f"{ds.label('gender')} · {ds.label('WW')} · {ds.level_label('gender', 2)}",
             i18n.t("regression.title", lang), i18n.t("regression.table.coefficients", lang)]
    assert set(words) <= set(cells)
    assert f"2 · {ds.label('RP')}" in cells


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt_", ["docx", "xlsx", "html"])
def test_process_paths_name_variables_by_their_labels(exported, lang, fmt_):
    """A PROCESS path ("RP->PS->WW" in the results) reads as the variables' labels joined by arrows in each
    file's language, the total-effect equation ("WW (total)") as the outcome's label and "total effect" in
    words; the raw names are nowhere in a cell."""
    _, files = exported
    ds = recipes.dataset_for(samples.load("role_pressure")[0], _recipe(), lang)
    cells = {"docx": _docx_cells, "xlsx": _xlsx_cells, "html": _html_cells}[fmt_](files[lang][fmt_])
    assert f"{ds.label('RP')} → {ds.label('PS')} → {ds.label('WW')}" in cells
    assert f"{ds.label('RP')} → {ds.label('WW')}" in cells
    assert f"{ds.label('WW')} ({i18n.t('format.total', lang)})" in cells   # the total-effect equation
    assert not {"RP->PS->WW", "RP->WW", "WW (total)"} & set(cells)
