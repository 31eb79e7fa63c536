"""Proposals for the variable-setup screen: platform structure (short names,
labels, paradata), text answers → codes, item groups → scales, their Likert
range, likely missing-value codes, demographic columns and their level order.

Everything here only *proposes*; the user edits the proposal in a table and
the result is stored in the recipe.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core import recipe as recipes
from core.data import platforms, recode
from core.data.levels import natural_order
from core.data.model import RawData, pick

_ITEM = re.compile(r"^(?P<prefix>.*?\D)[_\-. ]?(?P<num>\d{1,3})$")
_RANGES = [(1, 3), (1, 4), (1, 5), (0, 4), (0, 5), (1, 6), (1, 7), (0, 6), (1, 9), (0, 10), (1, 10), (1, 11)]
_MISSING_CANDIDATES = (-99, -9, -3, -2, -1, 9, 99, 98, 999, 88)   # 问卷星: -3 skipped, -2 empty
MAX_DEMOGRAPHIC_LEVELS = 12


def item_groups(columns) -> dict[str, list[str]]:
    """Columns named prefix + number (OC1…OC5, 组织氛围1…4, Q3_1…) grouped by
    prefix, in numeric order; groups of fewer than two items are dropped."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for c in columns:
        m = _ITEM.match(str(c))
        if m:
            prefix = m.group("prefix").rstrip("_-. ")
            if prefix:
                groups.setdefault(prefix, []).append((int(m.group("num")), c))
    return {p: [c for _, c in sorted(v)] for p, v in groups.items() if len(v) >= 2}


def likert_range(values: np.ndarray) -> tuple[int, int] | None:
    """The smallest usual Likert range containing the observed integer values."""
    v = values[np.isfinite(values)]
    if v.size == 0 or not np.all(v == np.round(v)):
        return None
    lo, hi = v.min(), v.max()
    for a, b in _RANGES:
        if a <= lo and hi <= b and (lo == a or a == 1):
            return a, b
    return None


def propose(raw: RawData, missing_codes=()) -> dict:
    """What the app proposes on upload (the same for ``python -m core propose``)::

        {"platform": "wjx" | "tencent" | "qualtrics" | "generic",
         "prepare": {"rename": {...}, "labels": {...}, "recodes": [...], "levels": {...}, "durations": [...]},
         "scales": [...], "demographics": [...], "missing_codes": [...],
         "paradata": [...], "duration": column or None}

    Names in ``scales``, ``demographics``, ``paradata`` and ``duration`` are
    the names after ``prepare.rename`` (short names ``Q6_1`` for numbered
    questions, full wording kept in ``prepare.labels``).  Matrix rows are
    proposed as scales named by their question (or its dimension); text
    answers of a known Likert set are recoded 1…k (most negative = 1);
    option letters (``A.男``) are dropped; paradata, Likert items,
    multi-choice and free-text columns are never demographics.
    """
    frame = raw.frame
    labels_in = {c: (m.label if isinstance(m.label, str) else None) for c, m in raw.meta.items()}
    cols = platforms.parse(frame, labels_in, raw.source)
    plat = platforms.platform(frame.columns, raw.source)
    short = platforms.short_names(cols, frame.columns)
    rename = {old: new for old, (new, _) in short.items() if new != old}
    labels = {new: wording for old, (new, wording) in short.items() if wording and wording != new}
    kind = {rename.get(c.name, c.name): c for c in cols}
    work = frame.rename(columns=rename)

    prepare: dict = {"rename": rename, "labels": labels, "recodes": [], "levels": {}, "durations": []}
    paradata = [n for n, c in kind.items() if c.kind == "paradata"]
    duration = next((n for n in paradata if platforms.is_duration(n, work[n])), None)
    if duration is not None and not pd.api.types.is_numeric_dtype(work[duration]):
        prepare["durations"].append(duration)

    # matrices: numbered questions with two or more rows; other files: prefix + number names
    blocks: dict[str, tuple[str, list[str]]] = {}
    for n, c in kind.items():
        if c.kind == "matrix" and c.q is not None:
            key = f"Q{c.q}"
            title, items = blocks.get(key, (c.title, []))
            blocks[key] = (title, items + [n])
    taken = {n for _, items in blocks.values() for n in items}
    for prefix, items in item_groups([n for n, c in kind.items() if c.kind == "other"]).items():
        blocks.setdefault(prefix, ("", items))
        taken.update(items)

    scales, guessed_missing, recoded = [], set(), set()
    used_names = set(work.columns)
    for key, (title, items) in blocks.items():
        items = [i for i in items if i in work.columns]
        if len(items) < 2:
            continue
        numeric = all(pd.api.types.is_numeric_dtype(work[i]) for i in items)
        if numeric:
            rng, cand = _numeric_range(raw, work, items, missing_codes)
            if rng is None:
                continue
            guessed_missing.update(cand)
        else:
            values = pd.unique(pd.concat([work[i].dropna().astype(str) for i in items]))
            rc = recode.propose_recode(items, values)
            if rc is None:
                continue
            prepare["recodes"].append(rc)
            recoded.update(items)
            rng = (1, len(rc["labels"]))
        name = _scale_name(title, key, used_names)
        used_names.add(name)
        sc = {"name": name, "items": items, "reverse": [], "min": rng[0], "max": rng[1],
              "score": "mean", "min_items": len(items), "missing": []}
        if title and title != name:
            sc["label"] = title
        scales.append(sc)

    demographics = []
    counts = work.nunique(dropna=True)
    for n, c in kind.items():
        if n in taken or c.kind in ("paradata", "matrix", "multi") or n in recoded:
            continue
        m = raw.meta.get(c.name)
        nunique = int(counts[n])
        labelled = bool(m and m.value_labels)
        if nunique < 2:
            continue
        if not (labelled or (m and m.measure == "nominal") or nunique <= MAX_DEMOGRAPHIC_LEVELS):
            continue
        col = work[n]
        if pd.api.types.is_numeric_dtype(col):
            if nunique == len(frame) and not labelled:
                continue  # an id
            if c.kind == "other" and set(col.dropna().unique()) <= {0, 1} and _looks_multi_option(n):
                continue
            demographics.append(n)
            continue
        values = list(col.dropna().astype(str).unique())
        if recode.answer_set(values) is not None:
            continue  # a lone Likert item is no demographic
        if any(len(v) > 40 for v in values):
            continue  # free text
        letters = recode.letter_map(values)
        missing = [v for v in values if recode.is_missing_token(v)]
        if letters or missing:
            prepare["recodes"].append({"columns": [n], "map": letters or {}, "missing": missing, "labels": {}})
            values = [letters.get(v, v) if letters else v for v in values if v not in missing]
        prepare["levels"][n] = {"order": natural_order(values)}
        demographics.append(n)
    return {"platform": plat, "prepare": prepare, "scales": scales, "demographics": demographics,
            "missing_codes": sorted(guessed_missing), "paradata": paradata, "duration": duration}


def _looks_multi_option(name: str) -> bool:
    return bool(re.search(r"[(（].+[)）]$|_\d+$", str(name)))


def _scale_name(title: str, key: str, used: set) -> str:
    """A matrix's dimension when it is short (组织氛围), else its question number (Q6)."""
    short = title.strip() if len(title.strip()) <= 12 and not re.search(r"[?？。.]$", title.strip()) else ""
    for cand in (short, key):
        if cand and cand not in used:
            return cand
    k = 2
    while f"{key}_{k}" in used:
        k += 1
    return f"{key}_{k}"


def _numeric_range(raw: RawData, work: pd.DataFrame, items: list[str], missing_codes) -> tuple:
    """(Likert range or None, guessed missing codes) of a block of numeric items."""
    # the block's distinct values decide both (a float copy of the whole block took 8 bytes a cell, twice)
    values = np.unique(np.concatenate([pd.unique(work[i].to_numpy(dtype="float64", na_value=np.nan)) for i in items]))
    user_missing = set(missing_codes)
    for it in items:
        m = raw.meta.get(it)
        if m:
            user_missing.update(m.missing_values)
    cand = {c for c in _MISSING_CANDIDATES if np.any(values == c)} - user_missing
    rng = likert_range(values[~np.isin(values, list(cand | user_missing))])
    if rng is None:
        return None, set()
    # a candidate is a missing code only if it lies outside the Likert range
    return rng, {c for c in cand if not rng[0] <= c <= rng[1]}


def proposed_recipe(raw: RawData, base: dict | None = None) -> dict:
    """The recipe the app starts from after an upload: ``base`` (data path,
    sheet, …) plus the proposal's preparation, scales and roles.  Validated."""
    prop = propose(raw)
    new = recipes.empty()
    new["data"].update((base or {}).get("data") or {})
    new["data"].update(missing_codes=prop["missing_codes"], skip_rows=raw.source.get("skip_rows") or None)
    new["prepare"] = prop["prepare"]
    new["scales"] = prop["scales"]
    new["roles"] = {"demographics": prop["demographics"], "paradata": prop["paradata"]}
    if prop["duration"]:
        new["roles"]["duration"] = prop["duration"]
    new["ui"] = {"platform": prop["platform"]}
    return recipes.validate(new)


def variable_table(raw: RawData, lang: str = "en") -> pd.DataFrame:
    """One row per column: name, label, type, valid, missing, distinct, value labels."""
    rows = []
    for c in raw.frame.columns:
        col = raw.frame[c]
        m = raw.meta.get(c)
        vl = m.value_labels if m else {}
        rows.append({
            "variable": c,
            "label": (pick(m.label, lang) if m else None) or "",
            "type": "numeric" if pd.api.types.is_numeric_dtype(col) else "text",
            "n": int(col.notna().sum()),
            "missing": int(col.isna().sum()),
            "distinct": int(col.nunique(dropna=True)),
            "value_labels": "; ".join(f"{_code(k)}={pick(v, lang)}" for k, v in list(vl.items())[:12]),
        })
    return pd.DataFrame(rows, columns=["variable", "label", "type", "n", "missing", "distinct", "value_labels"])


def _code(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


_SEPARATORS = ",，;；、\n"


def split_names(text, known) -> list[str]:
    """Names typed in one cell (scale items, reverse keys) → a list.

    Names are separated by commas (, or ，), semicolons or new lines, but a
    known column name is taken whole even when it holds such a character
    (``5、(单位内部沟通顺畅，信息公开透明)``): at each position the longest known
    name that starts there wins; anything else runs to the next separator."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    s = str(text)
    names = sorted({str(k) for k in known}, key=len, reverse=True)
    out, i = [], 0
    while i < len(s):
        if s[i] in _SEPARATORS or s[i].isspace():
            i += 1
            continue
        hit = next((n for n in names if s.startswith(n, i) and (i + len(n) == len(s) or s[i + len(n)] in _SEPARATORS
                                                                    or s[i + len(n)].isspace())), None)
        if hit is None:
            j = i
            while j < len(s) and s[j] not in ",，;；\n":
                j += 1
            hit = s[i:j].strip()
        out.append(hit)
        i += len(hit) if s.startswith(hit, i) else max(1, len(hit))
    return [n for n in out if n]


def proposal_summary(recipe: dict) -> list[tuple[str, dict]]:
    """What a proposed recipe did, as catalogue keys with their values
    (the data page shows them for the user to confirm)."""
    prep = recipe.get("prepare") or {}
    roles = recipe.get("roles") or {}
    platform = (recipe.get("ui") or {}).get("platform") or "generic"
    out = [(f"prep.proposal.platform.{platform}", {})]
    coded = [rc for rc in prep.get("recodes") or [] if rc.get("set")]
    if coded:
        out.append(("prep.proposal.recoded", {"items": str(sum(len(rc["columns"]) for rc in coded)),
                                              "sets": str(len(coded))}))
    if prep.get("rename"):
        out.append(("prep.proposal.renamed", {"count": str(len(prep["rename"]))}))
    out.append(("prep.proposal.scales", {"count": str(len(recipe.get("scales") or [])),
                                         "names": ", ".join(s["name"] for s in recipe.get("scales") or []) or "—"}))
    labels = prep.get("labels") or {}
    demo = [f"{d}（{labels[d]}）" if d in labels else d for d in roles.get("demographics") or []]
    out.append(("prep.proposal.demographics", {"names": ", ".join(demo) or "—"}))
    if roles.get("paradata"):
        out.append(("prep.proposal.paradata", {"names": ", ".join(roles["paradata"])}))
    return out


def recode_preview(rc: dict) -> pd.DataFrame:
    """code → the answers that get it (one row per code, in code order)."""
    by_code: dict = {}
    for answer, code in rc["map"].items():
        by_code.setdefault(code, []).append(answer)
    return pd.DataFrame([{"code": c, "answer": " / ".join(by_code[c])} for c in sorted(by_code)],
                        columns=["code", "answer"])


def speeders(ds, duration: str, seconds: float) -> list[int]:
    """Rows (1-based, as ``exclusions`` count them) whose completion time in
    ``duration`` is below ``seconds`` — respondents too fast to have read
    the questions."""
    t = ds.numeric(duration)
    return [int(r) for r, v in zip(ds.frame.index, t) if np.isfinite(v) and v < seconds]


def speeder_cutoff(ds, duration: str) -> float:
    """A starting cut-off: a third of the median completion time (seconds)."""
    t = ds.numeric(duration)
    t = t[np.isfinite(t)]
    return float(np.floor(np.median(t) / 3)) if t.size else 0.0
