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
``str.format`` syntax.  ``tests/test_i18n.py`` checks that every entry has both
languages with the same placeholders and that every key used in code exists.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
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
    return text.format(**kwargs) if kwargs else text


def has(key: str) -> bool:
    return key in catalogue()
