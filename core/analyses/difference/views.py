"""Views of the difference battery: the thesis table of one split."""
from __future__ import annotations

from core.analyses.difference.text import thesis_tables
from core.types import Result


def thesis_view(result: Result, ds, lang: str, options: dict, key: str):
    """The ``thesis`` view of split ``key``: a row per outcome with M ± SD per group,
    t or F, p with stars and the significant post-hoc pairs (None when the split has no table)."""
    for block in thesis_tables(result, ds, lang, scheme=options.get("stars") or "apa"):
        if block["group"] == key:
            return block["table"], block["note"]
    return None, ""
