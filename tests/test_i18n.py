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
