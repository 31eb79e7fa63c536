"""The natural order of a categorical variable's levels.

Text categories sorted by character code come out as ``博士, 大专及以下, 本科,
硕士`` and ``1-3年, 1年以下, 3-5年, 5年以上``.  :func:`natural_order` puts
them as a reader expects:

1. known ordinal sets — education (小学 < 初中 < 高中/中专 < 大专 < 本科 <
   硕士/研究生 < 博士, and the English degrees), gender (男, 女), and the
   Likert answer sets of :mod:`core.data.recode`;
2. numbers inside labels (age and tenure bands, income brackets), where
   ``以下 / 以内 / 不满 / under / less than / or younger`` come before and
   ``以上 / 及以上 / over / more than / or older / +`` after the other
   levels starting at the same number;
3. otherwise plain text sorts by character code, as before.

"其他 / Other / 不清楚" always go last.  The user can reorder, merge and relabel
levels; their choice is the ``levels`` section of the recipe and wins over
this proposal.
"""
from __future__ import annotations

import re

from core.data import recode
from core.errors import UserError

_EDUCATION = (  # (rank, keywords); the highest keyword found decides
    (1, ("小学", "primary", "elementary")),
    (2, ("初中", "middle school", "junior high")),
    (3, ("高中", "中专", "中职", "职高", "技校", "high school", "secondary")),
    (4, ("大专", "专科", "高职", "associate", "college diploma", "vocational")),
    (5, ("本科", "大学", "学士", "bachelor", "undergraduate")),
    (6, ("硕士", "研究生", "master", "postgraduate", "graduate")),
    (7, ("博士", "doctor", "phd", "ph.d")),
)
_GENDER = (("男", "male", "man"), ("女", "female", "woman"))
_LAST = re.compile(r"^(其他|其它|不清楚|不知道|other|others|unknown|prefer not)", re.I)
_NUM = re.compile(r"(\d+(?:\.\d+)?)")
_BELOW = re.compile(r"以下|以内|及以下|不满|不到|未满|under|less than|below|or younger|or less|up to|<", re.I)
_ABOVE = re.compile(r"以上|及以上|超过|多于|over|more than|or older|or more|above|\+|>", re.I)


def _education_rank(v: str) -> float | None:
    low = v.lower()
    ranks = [r for r, words in _EDUCATION if any(w in low for w in words)]
    if not ranks:
        return None
    # "硕士及以上" sorts just after 硕士; "大专及以下" just before 大专
    shift = 0.1 if _ABOVE.search(low) else (-0.1 if _BELOW.search(low) else 0.0)
    return max(ranks) + shift


def _number_key(v: str) -> tuple | None:
    m = _NUM.search(v)
    if not m:
        return None
    n = float(m.group(1))
    if _BELOW.search(v):
        return (n, -1)
    if _ABOVE.search(v) and not re.search(r"\d\s*[-–—~～至到]\s*\d", v):
        return (n, 1)
    return (n, 0)


def _gender_rank(v: str) -> int | None:
    low = v.strip().lower()
    for r, words in enumerate(_GENDER):
        if low in words:
            return r
    return None


def natural_order(values) -> list:
    """``values`` (distinct, any order) in their natural order (see module doc)."""
    vals = list(dict.fromkeys(values))
    if not vals or not all(isinstance(v, str) for v in vals):
        try:
            return sorted(vals)
        except TypeError:
            return sorted(vals, key=str)
    last = [v for v in vals if _LAST.match(v.strip())]
    body = [v for v in vals if v not in last]
    for key in (_gender_rank, _answer_rank(body), _education_rank, _number_key):
        if key is None:
            continue
        keys = [key(v) for v in body]
        if body and all(k is not None for k in keys) and len(set(keys)) == len(keys):
            return [v for _, v in sorted(zip(keys, body))] + sorted(last)
    return sorted(body) + sorted(last)


def _answer_rank(body: list[str]):
    """Rank by a recognised Likert answer set (None when the answers are no such set)."""
    found = recode.answer_set(body)
    if found is None:
        return None
    return lambda v: found["map"].get(v)


# ---- the level editor (pages/variables.py shows these rows) -----------------------------------
def editor_rows(codes: list, labels: list[str], counts: dict) -> list[dict]:
    """One row per level in its current order: position (1…), code, label,
    how many cases, and an empty "merge into" cell."""
    return [{"position": i + 1, "level": recode.key(c), "label": lab, "n": int(counts.get(c, 0)), "merge_into": ""}
            for i, (c, lab) in enumerate(zip(codes, labels))]


def from_editor(rows: list[dict]) -> tuple[dict, dict]:
    """(``prepare.levels`` entry, merge map) from an edited level table:
    levels sorted by position (ties keep the table order), labels that differ
    from the level, and ``{level: target level}`` for merged levels (a
    recode the caller adds)."""
    merge = {}
    kept = []
    for i, r in enumerate(rows):
        level = str(r["level"])
        into = str(r.get("merge_into") or "").strip()
        if into and into != level:
            merge[level] = into
            continue
        try:
            pos = float(r.get("position"))
        except (TypeError, ValueError):
            pos = float(i + 1)
        kept.append((pos, i, level, str(r.get("label") or "").strip()))
    kept.sort()
    entry = {"order": [lv for _, _, lv, _ in kept]}
    labels = {lv: lab for _, _, lv, lab in kept if lab and lab != lv}
    if labels:
        entry["labels"] = labels
    return entry, merge



def edit_prepare(prep: dict, name: str, rows: list[dict], numeric: bool) -> dict:
    """A recipe's ``prepare`` section with the level table of ``name``
    applied: its order and labels in ``levels``, merged levels as a recode
    (level → the level it is merged into) after the existing ones."""
    import copy


    entry, merge = from_editor(rows)
    out = copy.deepcopy(prep)
    out.setdefault("levels", {})[name] = entry
    if merge:
        def code(v):
            if not numeric:
                return v
            f = float(v)
            return int(f) if f.is_integer() else f
        try:
            mapping = {k: code(v) for k, v in merge.items()}
        except ValueError:
            raise UserError("levels.error.merge_target", name=name,
                            target=next(v for v in merge.values() if not recode.is_number(v))) from None
        out.setdefault("recodes", []).append(recode.validate({"columns": [name], "map": mapping, "missing": [],
                                                        "labels": {}}))
    return out

