"""The zh/en catalogue is complete and every key the code uses exists."""
import re
import string
from pathlib import Path

from core import i18n, registry

ROOT = Path(__file__).resolve().parents[1]
KEY_CALL = re.compile(r"""\b(?:t|_t|UserError|Note|has)\(\s*["']([a-z_][\w.]*)["']""")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_entry_has_both_languages_with_same_placeholders():
    for key, entry in i18n.catalogue().items():
        assert entry.get("en", "").strip(), f"{key}: no English"
        assert entry.get("zh", "").strip(), f"{key}: no Chinese"
        assert _fields(entry["en"]) == _fields(entry["zh"]), f"{key}: placeholders differ"


def test_chinese_entries_are_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    word = re.compile(r"[A-Za-z]{4,}")
    # symbols and abbreviations (p, t, df, SD…) may be the same in both languages
    missing = [k for k, e in i18n.catalogue().items() if word.search(e["en"]) and not cjk.search(e["zh"])]
    assert missing == []


def test_keys_used_in_code_exist():
    missing = []
    for folder in ("core", "pages"):
        for p in list((ROOT / folder).rglob("*.py")) + ([ROOT / "app.py"] if folder == "pages" else []):
            for key in KEY_CALL.findall(p.read_text(encoding="utf-8")):
                if not i18n.has(key):
                    missing.append(f"{p.relative_to(ROOT)}: {key}")
    assert missing == []


def test_every_analysis_has_its_titles_and_option_labels():
    missing = []
    for spec in registry.specs().values():
        needed = [f"{spec.type}.title"] + [f"{spec.type}.table.{tb.name}" for tb in spec.tables] \
            + [f"{spec.type}.opt.{o.name}" for o in spec.options] \
            + [f"{spec.type}.table.{v.name}" for v in spec.views]
        missing += [k for k in needed if not i18n.has(k)]
    assert missing == []


def test_unknown_key_is_visible_not_a_crash():
    assert i18n.t("no.such.key", "zh") == "no.such.key"
    assert i18n.t("error.too_few_rows", "zh", n=3, need=5) != i18n.t("error.too_few_rows", "en", n=3, need=5)


def test_chinese_values_sit_between_chinese_characters_without_spaces():
    """A zh template's space next to a placeholder is dropped where it would stand between Chinese
    characters (the value's and the template's); Latin values keep their spaces, formats still apply."""
    zh = {"w": "差错管理氛围", "x": "角色压力（总体）", "y": "工作退缩行为"}
    assert i18n.t("process.chart.slopes_title", "zh", **zh) == "简单斜率：不同差错管理氛围水平下角色压力（总体）对工作退缩行为的影响"
    assert i18n.t("process.chart.slopes_title", "zh", w="EMC", x="RP", y="WW") == "简单斜率：不同 EMC 水平下 RP 对 WW 的影响"
    assert i18n.t("process.chart.slopes_title", "zh", w="EMC", x="角色压力", y="WW") == "简单斜率：不同 EMC 水平下角色压力对 WW 的影响"
    assert i18n.t("process.chart.slopes_title", "en", **zh) == "Simple slopes: 工作退缩行为 by 角色压力（总体） at values of 差错管理氛围"


def test_chinese_fill_equals_format_for_latin_values():
    """With Latin values every zh entry fills exactly as str.format would (only Chinese values change spacing)."""
    checked = 0
    for key, entry in i18n.catalogue().items():
        fields = {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(entry["zh"]) if f}
        if not fields or any(not f.isidentifier() for f in fields):
            continue
        values = {f: "Ab1" for f in fields}
        try:
            want = entry["zh"].format(**values)
        except (ValueError, IndexError, KeyError, AttributeError, TypeError):   # a numeric format spec
            continue
        assert i18n.t(key, "zh", **values) == want, key
        checked += 1
    assert checked > 300
