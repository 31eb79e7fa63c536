"""Recipes: the whole state of a session as JSON (version 2; version 1 is read).

::

    {"version": 2,
     "data": {"path": "...", "sheet": null, "header_row": null, "skip_rows": null, "missing_codes": [99]},
     "prepare": {"rename": {"6、(我经常需要加班…)": "Q6_1"}, "labels": {"Q6_1": "我经常需要加班…"},
                 "recodes": [{"columns": ["Q6_1"], "map": {"非常不同意": 1, …}, "missing": ["(跳过)"],
                              "labels": {"1": "非常不同意", …}}],
                 "levels": {"Q3": {"order": ["大专", "本科", "硕士"], "labels": {"大专": "专科"}}},
                 "durations": ["所用时间"]},
     "scales": [{"name": "A", "items": [...], "reverse": [...], "min": 1, "max": 6,
                 "score": "mean", "min_items": 5, "missing": [], "label": null}],
     "roles": {"demographics": [...], "paradata": [...], "duration": "所用时间"},
     "exclusions": [{"rows": [3, 17], "reason": "straight-lining"}],
     "analyses": [{"id": "d1", "type": "describe", ...options}],
     "report": [...], "ui": {...}}

Only ``version`` is required; every other part has a default.  Version 2
added ``prepare`` and ``data.skip_rows``; a version-1 recipe is read as a
version-2 recipe without them (an older app refuses a version-2 recipe rather
than silently skipping its recodes).  ``validate``
normalises a recipe (or raises :class:`UserError`); ``to_json``/``from_json``
round-trip it.  Analysis options are validated by :mod:`core.registry`.

A recipe may come from anyone (an upload, a colleague's file), so it has
limits, each far above what the app saves: :data:`MAX_BYTES` of JSON text,
:data:`MAX_DEPTH` levels of nesting, number literals of at most
:data:`MAX_NUMBER_CHARS` characters, :data:`MAX_ANALYSES` analyses,
:data:`MAX_REPORT_ITEMS` report items, :data:`MAX_SCALES` scales; analysis
ids are 1–64 letters, digits, ``_`` or ``-`` (:data:`ID_PATTERN`; they name
files of the reproduce script).  ``from_json`` checks the size, the nesting
and the numbers on the text *before* ``json.loads`` (whose recursion and
int conversion would otherwise fail with RecursionError/ValueError or take
the server's memory), so every hostile recipe ends in a translated
:class:`UserError`.
"""
from __future__ import annotations

import copy
import json
import math
import re

import numpy as np
import pandas as pd

from core import registry
from core.data import recode
from core.data.model import Dataset, RawData
from core.data.prepare import build_dataset
from core.errors import UserError
from core.types import Result

VERSION = 2
READS = (1, 2)
MAX_BYTES = 2_000_000
MAX_DEPTH = 32
MAX_NUMBER_CHARS = 40
MAX_ANALYSES = 200
MAX_REPORT_ITEMS = 500
MAX_SCALES = 200
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
_ID_KEYS = ("version", "data", "prepare", "scales", "roles", "exclusions", "analyses", "report", "ui")


def empty() -> dict:
    return {"version": VERSION,
            "data": {"path": None, "sheet": None, "header_row": None, "skip_rows": None, "missing_codes": []},
            "prepare": empty_prepare(), "scales": [], "roles": {}, "exclusions": [], "analyses": [], "report": [],
            "ui": {}}


def empty_prepare() -> dict:
    return {"rename": {}, "labels": {}, "recodes": [], "levels": {}, "durations": []}


def validate_prepare(p) -> dict:
    """The ``prepare`` section checked and normalised (see docs/recipes.md)."""
    if p is None:
        return empty_prepare()
    if not isinstance(p, dict) or set(p) - set(empty_prepare()):
        raise UserError("error.bad_recipe", detail="prepare: " + ", ".join(sorted(set(p) - set(empty_prepare())))
                        if isinstance(p, dict) else "prepare")
    out = empty_prepare()
    for key in ("rename", "labels"):
        v = p.get(key) or {}
        if not isinstance(v, dict) or not all(isinstance(a, str) and isinstance(b, str) and b.strip()
                                              for a, b in v.items()):
            raise UserError("error.bad_recipe", detail=f"prepare.{key} must map names to names")
        out[key] = {a: b.strip() for a, b in v.items()}
    targets = list(out["rename"].values())
    if len(set(targets)) != len(targets):
        raise UserError("error.bad_recipe", detail="prepare.rename gives two columns one name")
    recodes = p.get("recodes") or []
    if not isinstance(recodes, list):
        raise UserError("error.bad_recipe", detail="prepare.recodes")
    out["recodes"] = [recode.validate(r) for r in recodes]
    levels = p.get("levels") or {}
    if not isinstance(levels, dict):
        raise UserError("error.bad_recipe", detail="prepare.levels")
    for name, lv in levels.items():
        if not isinstance(lv, dict) or not isinstance(lv.get("order", []), list) \
                or not isinstance(lv.get("labels", {}), dict):
            raise UserError("error.bad_recipe", detail=f"prepare.levels.{name}")
        entry = {"order": list(lv.get("order") or [])}
        if lv.get("labels"):
            entry["labels"] = {str(k): str(v) for k, v in lv["labels"].items()}
        out["levels"][str(name)] = entry
    durations = p.get("durations") or []
    if not isinstance(durations, list) or not all(isinstance(d, str) for d in durations):
        raise UserError("error.bad_recipe", detail="prepare.durations")
    out["durations"] = list(durations)
    return out


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def validate_scale(sc) -> dict:
    if not isinstance(sc, dict) or not isinstance(sc.get("name"), str) or not sc["name"].strip():
        raise UserError("error.scale_bad", scale=str(sc)[:60], detail="name")
    name = sc["name"].strip()
    items = sc.get("items")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise UserError("error.scale_bad", scale=name, detail="items")
    if len(set(items)) != len(items):
        raise UserError("error.scale_bad", scale=name, detail="items")
    reverse = sc.get("reverse") or []
    if not isinstance(reverse, list) or any(r not in items for r in reverse):
        raise UserError("error.scale_reverse", scale=name)
    lo, hi = sc.get("min"), sc.get("max")
    if not (_num(lo) and _num(hi)) or lo >= hi:
        raise UserError("error.scale_range", scale=name)
    score = sc.get("score", "mean")
    if score not in ("mean", "sum"):
        raise UserError("error.scale_bad", scale=name, detail="score")
    min_items = sc.get("min_items", len(items))
    if min_items is None:
        min_items = len(items)
    if not isinstance(min_items, int) or isinstance(min_items, bool) or not 1 <= min_items <= len(items):
        raise UserError("error.scale_min_items", scale=name, k=len(items))
    missing = sc.get("missing") or []
    if not isinstance(missing, list) or not all(_num(m) for m in missing):
        raise UserError("error.scale_bad", scale=name, detail="missing")
    out = {"name": name, "items": list(items), "reverse": list(reverse), "min": lo, "max": hi,
           "score": score, "min_items": min_items, "missing": list(missing)}
    if sc.get("label") is not None:
        out["label"] = sc["label"]
    return out


def check_id(aid) -> str:
    """An analysis id (it names files of the reproduce script): 1–64 of A–Z a–z 0–9 _ -."""
    if not isinstance(aid, str) or not ID_PATTERN.fullmatch(aid):
        raise UserError("error.recipe_bad_id", id=str(aid)[:40])
    return aid


def validate(recipe) -> dict:
    """Check the structure of a recipe and fill defaults (returns a copy)."""
    if not isinstance(recipe, dict):
        raise UserError("error.bad_recipe", detail="not a JSON object")
    if recipe.get("version") not in READS or isinstance(recipe.get("version"), bool):
        raise UserError("error.recipe_version", version=str(recipe.get("version")))
    out = empty()
    extra = sorted(set(recipe) - set(_ID_KEYS))
    if extra:
        raise UserError("error.bad_recipe", detail="unknown keys: " + ", ".join(extra))
    data = recipe.get("data") or {}
    if not isinstance(data, dict):
        raise UserError("error.bad_recipe", detail="data")
    out["data"].update(copy.deepcopy(data))
    mc = out["data"].get("missing_codes") or []
    if not isinstance(mc, list) or not all(_num(m) for m in mc):
        raise UserError("error.bad_recipe", detail="data.missing_codes must be a list of numbers")
    out["data"]["missing_codes"] = mc
    sr = out["data"].get("skip_rows")
    if sr is not None and (isinstance(sr, bool) or not isinstance(sr, int) or sr < 0):
        raise UserError("error.bad_recipe", detail="data.skip_rows must be a whole number ≥ 0 or null")
    out["prepare"] = validate_prepare(recipe.get("prepare"))
    scales = recipe.get("scales") or []
    if not isinstance(scales, list):
        raise UserError("error.bad_recipe", detail="scales")
    out["scales"] = [validate_scale(s) for s in scales]
    names = [s["name"] for s in out["scales"]]
    if len(set(names)) != len(names):
        raise UserError("error.scale_duplicate", scale=next(n for n in names if names.count(n) > 1))
    for key in ("roles", "ui"):
        v = recipe.get(key) or {}
        if not isinstance(v, dict):
            raise UserError("error.bad_recipe", detail=key)
        out[key] = copy.deepcopy(v)
    for key in ("exclusions", "report"):
        v = recipe.get(key) or []
        if not isinstance(v, list):
            raise UserError("error.bad_recipe", detail=key)
        out[key] = copy.deepcopy(v)
    analyses = recipe.get("analyses") or []
    if not isinstance(analyses, list):
        raise UserError("error.bad_recipe", detail="analyses")
    for what, items, limit in (("analyses", analyses, MAX_ANALYSES), ("report", out["report"], MAX_REPORT_ITEMS),
                               ("scales", out["scales"], MAX_SCALES)):
        if len(items) > limit:
            raise UserError("error.recipe_too_many", what=what, n=len(items), limit=limit)
    seen = set()
    for i, a in enumerate(analyses):
        if not isinstance(a, dict) or "type" not in a:
            raise UserError("error.bad_recipe", detail=f"analyses[{i}] needs a type")
        aid = check_id(a.get("id") or f"a{i + 1}")
        if aid in seen:
            raise UserError("error.duplicate_analysis_id", id=aid)
        seen.add(aid)
        spec = registry.get(a["type"])
        registry.validate(spec, a)
        out["analyses"].append({**copy.deepcopy(a), "id": aid})
    return out


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_LONG_NUMBER = re.compile(r"[-+0-9.eE]{%d,}" % (MAX_NUMBER_CHARS + 1))


def _prescan(text: str) -> None:
    """Refuse a recipe text over the limits before json.loads sees it: its
    nesting depth (brackets outside strings) and the length of its numbers."""
    bare = _STRING.sub('""', text)   # linear: strings can hold brackets and digits
    if _LONG_NUMBER.search(bare):
        raise UserError("error.recipe_long_number", limit=MAX_NUMBER_CHARS)
    brackets = np.frombuffer(re.sub(r"[^\[\]{}]", "", bare).encode("ascii"), dtype=np.uint8)
    if brackets.size:
        steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
        if int(np.cumsum(steps).max()) > MAX_DEPTH:
            raise UserError("error.recipe_too_deep", limit=MAX_DEPTH)


def from_json(text: str | bytes) -> dict:
    """A recipe from JSON text (or a file's bytes, read as UTF-8): every
    malformed or over-limit recipe is a UserError."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise UserError("error.recipe_not_json", detail=type(text).__name__)
    if len(text) > MAX_BYTES:   # before decoding or scanning anything
        raise UserError("error.recipe_too_large", size_kb=len(text) // 1000, limit_kb=MAX_BYTES // 1000)
    if not isinstance(text, str):
        text = bytes(text).decode("utf-8-sig", errors="replace")
    _prescan(text)
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:   # JSONDecodeError is a ValueError
        raise UserError("error.recipe_not_json", detail=str(exc)[:120]) from None
    return validate(obj)


def to_json(recipe: dict) -> str:
    return json.dumps(recipe, ensure_ascii=False, indent=1)


def dataset_for(raw: RawData, recipe: dict, lang: str = "en") -> Dataset:
    return build_dataset(raw, recipe, lang)


def run_all(recipe: dict, dataset: Dataset, on_error: str = "raise") -> dict[str, Result | UserError]:
    """Run every analysis of a validated recipe.  ``on_error="collect"`` keeps
    going and returns the UserError in place of a failed result."""
    out: dict[str, Result | UserError] = {}
    for entry in recipe["analyses"]:
        try:
            out[entry["id"]] = registry.run(entry["type"], dataset, entry)
        except UserError as exc:
            if on_error == "raise":
                raise
            out[entry["id"]] = exc
    return out


# ---- results as JSON --------------------------------------------------------
def _cell(v):
    if v is None:
        return None
    if isinstance(v, (bool,)):
        return v
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _json_safe(v):
    """Nested meta (lists, dicts) with non-finite numbers as None: results JSON is strict JSON."""
    if isinstance(v, dict):
        return {k: _json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_safe(x) for x in v]
    if getattr(v, "ndim", 0):   # a NumPy array
        return _json_safe(v.tolist())
    return _cell(v)


def table_records(df: pd.DataFrame) -> list[dict]:
    cols = list(df.columns)
    return [{c: _cell(v) for c, v in zip(cols, row)} for row in df.itertuples(index=False, name=None)]


def result_to_json(result: Result, lang: str = "en", dataset=None) -> dict:
    """A result as JSON: tables as records (level codes as codes), notes as text in ``lang`` (level codes read
    as labels with the ``dataset``)."""
    return {"type": result.type, "n_used": int(result.n_used),
            "tables": {name: table_records(df) for name, df in result.tables.items()},
            "notes": [n.text(lang, dataset) for n in result.notes],
            **({"meta": _json_safe(result.meta)}
               if result.meta else {})}
