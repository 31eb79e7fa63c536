"""The one zh/en string catalogue.

Every user-visible string lives in a TOML file: the shared ones in
``core/i18n/strings/*.toml``, each analysis family's own in
``core/analyses/<family>/strings.toml``; all are merged into a single
catalogue at first use (a duplicate key is an error).  Each entry has an
``en`` and a ``zh`` text::

    [describe.title]
    en = "Descriptive statistics"
    zh = "描述统计"

``t("describe.title", "zh")`` looks an entry up; placeholders use
``str.format`` syntax.  A Chinese text puts no space between Chinese
characters: a space of the template next to a placeholder whose value is
Chinese text, between Chinese characters, is dropped ("不同 {w} 水平下" with
w = 差错管理氛围 reads 不同差错管理氛围水平下; with w = EMC it keeps its
spaces).  ``tests/test_i18n.py`` checks that every entry has both
languages with the same placeholders and that every key used in code exists.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from string import Formatter
from pathlib import Path

LANGS = ("en", "zh")
_DIR = Path(__file__).parent / "strings"
_ANALYSES = Path(__file__).parent.parent / "analyses"


def sources() -> list[Path]:
    """Every catalogue file: the shared ones, then one per analysis family."""
    return sorted(_DIR.glob("*.toml")) + sorted(_ANALYSES.glob("*/strings.toml"))


def _flatten(prefix: str, node: dict, out: dict, source: str) -> None:
    if set(node) and set(node) <= set(LANGS) and all(isinstance(v, str) for v in node.values()):
        if prefix in out:
            raise ValueError(f"duplicate catalogue key {prefix!r} in {source}")
        out[prefix] = node
        return
    for k, v in node.items():
        if not isinstance(v, dict):
            raise ValueError(f"catalogue entry {prefix}.{k} in {source} is not a table")
        _flatten(f"{prefix}.{k}" if prefix else k, v, out, source)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All entries, key → {"en": …, "zh": …}."""
    out: dict[str, dict[str, str]] = {}
    for path in sources():
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), out, str(path.relative_to(_ANALYSES.parent)))
    return out


def t(key: str, lang: str = "en", **kwargs) -> str:
    """Translate ``key`` into ``lang`` and fill its placeholders.

    An unknown key returns the key itself (visible, never a crash); the test
    suite makes sure that does not happen for keys used in code.
    """
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    if not kwargs:
        return text
    if lang == "zh":
        return _fill_zh(text, kwargs)
    return text.format(**kwargs)


def _wide(ch: str) -> bool:
    """A Chinese character or full-width punctuation (，（）《》…)."""
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple:
    return tuple(Formatter().parse(text))


def _fill_zh(text: str, kwargs: dict) -> str:
    """``text.format(**kwargs)`` without the template's spaces between a
    Chinese character and a placeholder's Chinese value."""
    pieces: list[list[str]] = []   # [literal, value] pairs
    for literal, field, spec, conversion in _parsed(text):
        value = "" if field is None else format(_convert(_field(field, kwargs), conversion), spec or "")
        pieces.append([literal, value])
    for i, (literal, value) in enumerate(pieces):
        if not value:
            continue
        if literal.endswith(" ") and len(literal) > 1 and _wide(literal[-2]) and _wide(value[0]):
            pieces[i][0] = literal[:-1]
        after = pieces[i + 1][0] if i + 1 < len(pieces) else ""
        if after.startswith(" ") and len(after) > 1 and _wide(after[1]) and _wide(value[-1]):
            pieces[i + 1][0] = after[1:]
    return "".join(literal + value for literal, value in pieces)


def _field(name: str, kwargs: dict):
    """A placeholder's value: ``name``, ``name.attr`` or ``name[key]`` as str.format reads it."""
    return Formatter().get_field(name, (), kwargs)[0]


def _convert(value, conversion: str | None):
    return Formatter().convert_field(value, conversion)


def has(key: str) -> bool:
    return key in catalogue()
