"""The report model: an ordered list of items stored in the recipe.

A report lives in the recipe's top-level ``"report"`` list, so it is saved,
reloaded and re-run with the recipe (next year's survey wave gets the same
report).  Items are small JSON objects that *refer* to results rather than
copy them, so a report always shows the current numbers::

    {"kind": "section", "title": "Differences by gender"}
    {"kind": "table", "analysis": "d1", "table": "describe"}
    {"kind": "chart", "analysis": "d1", "chart": "freq_gender"}
    {"kind": "text", "analysis": "d1", "paragraph": 0}   # an interpretation paragraph
    {"kind": "text", "text": "Free text written by the user."}
    {"kind": "findings"}                                 # the key-findings summary

Report settings (title, star scheme, small-cell suppression, decimals) live in
``recipe["ui"]["report"]`` (see :func:`settings`).
"""
from __future__ import annotations

import copy

from core.format import STAR_SCHEMES

KINDS = ("section", "table", "chart", "text", "findings")

DEFAULT_SETTINGS = {
    "title": None,        # report title (None: the translated default)
    "stars": "apa",       # star scheme: "apa" (* ** ***) or "spss" (* **)
    "small_cells": False, # suppress statistics of groups with n < min_cell
    "min_cell": 5,
    "digits": 3,          # decimals of estimates
}


def settings(recipe: dict) -> dict:
    """The report settings of a recipe, defaults filled and bad values ignored."""
    out = dict(DEFAULT_SETTINGS)
    user = ((recipe or {}).get("ui") or {}).get("report") or {}
    if not isinstance(user, dict):
        return out
    if isinstance(user.get("title"), str) and user["title"].strip():
        out["title"] = user["title"].strip()
    if user.get("stars") in STAR_SCHEMES:
        out["stars"] = user["stars"]
    if isinstance(user.get("small_cells"), bool):
        out["small_cells"] = user["small_cells"]
    mc = user.get("min_cell")
    if isinstance(mc, int) and not isinstance(mc, bool) and 1 <= mc <= 1000:
        out["min_cell"] = mc
    dg = user.get("digits")
    if isinstance(dg, int) and not isinstance(dg, bool) and 0 <= dg <= 6:
        out["digits"] = dg
    return out


def normalise(item) -> dict | None:
    """A clean copy of one report item, or None when it is malformed."""
    if not isinstance(item, dict):
        return None
    kind = item.get("kind")
    if kind == "section":
        title = item.get("title")
        return {"kind": "section", "title": title} if isinstance(title, str) else None
    if kind == "findings":
        return {"kind": "findings"}
    if kind in ("table", "chart"):
        aid, name = item.get("analysis"), item.get(kind)
        if isinstance(aid, str) and isinstance(name, str):
            return {"kind": kind, "analysis": aid, kind: name}
        return None
    if kind == "text":
        if isinstance(item.get("text"), str):
            return {"kind": "text", "text": item["text"]}
        aid, par = item.get("analysis"), item.get("paragraph")
        if isinstance(aid, str) and isinstance(par, int) and not isinstance(par, bool) and par >= 0:
            return {"kind": "text", "analysis": aid, "paragraph": par}
    return None


def item_key(item: dict) -> str:
    """A stable identity of an item (used for pin state and widget keys)."""
    kind = item.get("kind")
    if kind in ("table", "chart"):
        return f"{kind}:{item['analysis']}:{item[kind]}"
    if kind == "text" and "analysis" in item:
        return f"text:{item['analysis']}:{item['paragraph']}"
    if kind == "findings":
        return "findings"
    return f"{kind}:{item.get('title') or item.get('text') or ''}"


# ---- snapshots: pins freeze the analysis they come from -------------------------------
IDENTITY_KEYS = ("id", "title", "snapshot_of")


def _body(entry: dict) -> dict:
    """An analysis entry without its identity (what it computes)."""
    return {k: v for k, v in entry.items() if k not in IDENTITY_KEYS}


def find_snapshot(recipe: dict, aid: str) -> str | None:
    """The id of the snapshot of analysis ``aid`` as it is now (same type and
    options), or None when there is none yet (``aid`` itself when it is a
    snapshot, or not in the recipe: then there is nothing to freeze)."""
    entries = recipe.get("analyses") or []
    live = next((a for a in entries if a.get("id") == aid), None)
    if live is None or live.get("snapshot_of"):
        return aid
    body = _body(live)
    return next((a["id"] for a in entries if a.get("snapshot_of") == aid and _body(a) == body), None)


def snapshot(recipe: dict, aid: str) -> str:
    """Freeze analysis ``aid`` as it is now under its own id (made once per
    distinct set of options), so that changing the page's analysis later —
    another PROCESS model, other predictors — leaves what was pinned alone.
    Returns the snapshot's id."""
    found = find_snapshot(recipe, aid)
    if found is not None:
        return found
    entries = recipe.setdefault("analyses", [])
    live = next(a for a in entries if a.get("id") == aid)
    ids = {a.get("id") for a in entries}
    n = 1
    while f"{aid}_{n}" in ids:
        n += 1
    frozen = {**copy.deepcopy(live), "id": f"{aid}_{n}", "snapshot_of": aid}
    entries.append(frozen)
    return frozen["id"]


def distinct(analyses: list[dict]) -> list[dict]:
    """The analyses without repeats: a snapshot identical to an analysis
    before it (the page's analysis not changed since it was pinned) is left
    out, so key findings and default reports tell each result once."""
    seen, out = [], []
    for a in analyses:
        body = _body(a)
        if body in seen:
            continue
        seen.append(body)
        out.append(a)
    return out


def untouched(entry: dict) -> bool:
    """Whether an analysis entry still holds what a page filled in by itself
    (``entry["default"]``: the options as filled in, e.g. the measurement page's
    starting structural model): nobody chose it, so it is no finding of the
    study until the user changes one of those options or pins it."""
    filled = entry.get("default")
    return isinstance(filled, dict) and bool(filled) and all(entry.get(k) == v for k, v in filled.items())


def invited(entry: dict, recipe: dict) -> bool:
    """Whether an analysis belongs in the key findings and the default report:
    pinned, or chosen by the user — not a default a page computes on a visit
    (:func:`untouched`) nor a cross-tabulation of two demographics."""
    pinned = {i.get("analysis") for i in recipe.get("report") or [] if isinstance(i, dict)}
    if entry.get("snapshot_of") or entry.get("id") in pinned:
        return True
    if untouched(entry):
        return False
    if entry.get("type") != "crosstab":
        return True
    demo = set((recipe.get("roles") or {}).get("demographics") or [])
    return not (set(entry.get("rows") or []) | set(entry.get("cols") or [])) <= demo


def prune_snapshots(recipe: dict) -> None:
    """Drop snapshots no report item refers to any more (unpinned)."""
    used = {i.get("analysis") for i in recipe.get("report") or [] if isinstance(i, dict)}
    recipe["analyses"] = [a for a in recipe.get("analyses") or [] if not a.get("snapshot_of") or a["id"] in used]


class Report:
    """An ordered list of report items, edited in place.

    ``Report(recipe)`` works on ``recipe["report"]`` itself (created when
    absent), so pages can mutate the session's recipe directly.
    """

    def __init__(self, recipe: dict):
        if not isinstance(recipe.get("report"), list):
            recipe["report"] = []
        self._items: list = recipe["report"]

    @property
    def items(self) -> list[dict]:
        """The well-formed items, in order (malformed ones are skipped)."""
        return [n for n in (normalise(i) for i in self._items) if n is not None]

    def __len__(self) -> int:
        return len(self._items)

    def _index(self, item: dict) -> int:
        key = item_key(normalise(item) or item)
        for i, it in enumerate(self._items):
            n = normalise(it)
            if n is not None and item_key(n) == key:
                return i
        return -1

    def has(self, item: dict) -> bool:
        return self._index(item) >= 0

    def add(self, item: dict) -> bool:
        """Append an item (tables, charts and pinned paragraphs only once)."""
        n = normalise(item)
        if n is None:
            raise ValueError(f"not a report item: {item!r}")
        if n["kind"] in ("table", "chart", "findings") or "analysis" in n:
            if self.has(n):
                return False
        self._items.append(n)
        return True

    def discard(self, item: dict) -> bool:
        i = self._index(item)
        if i < 0:
            return False
        del self._items[i]
        return True

    def toggle(self, item: dict) -> bool:
        """Pin or unpin; returns whether the item is pinned afterwards."""
        if self.discard(item):
            return False
        self.add(item)
        return True

    def remove(self, index: int) -> None:
        del self._items[index]

    def move(self, index: int, delta: int) -> int:
        """Move the item at ``index`` by ``delta`` places; returns its new index."""
        j = max(0, min(len(self._items) - 1, index + delta))
        if j != index:
            self._items.insert(j, self._items.pop(index))
        return j

    def insert(self, index: int, item: dict) -> None:
        n = normalise(item)
        if n is None:
            raise ValueError(f"not a report item: {item!r}")
        self._items.insert(index, n)

    def clear(self) -> None:
        self._items.clear()

    def to_list(self) -> list[dict]:
        return copy.deepcopy(self.items)
