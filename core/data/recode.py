"""Text answers to codes.

- :func:`answer_set` recognises the common Likert answer sets in Chinese and
  English (agreement, 符合 / "true of me", frequency 从不…总是, satisfaction,
  importance; 5- and 7-point) and maps them to 1…k from the most negative to
  the most positive answer (非常不同意 = 1 … 非常同意 = 5), whichever of the
  k answers were actually given;
- :func:`strip_letters` drops option letters and numbers (``A.男`` → ``男``);
- :func:`apply` carries out a recipe recode: value → code (or → another
  text, which merges levels), values marked missing, value labels.

Platform "no answer" tokens (问卷星's ``(跳过)`` and ``(空)``, ``N/A``,
``不适用``) are proposed as missing.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.errors import UserError

MISSING_TOKENS = ("(跳过)", "(空)", "跳过", "(skip)", "n/a", "na", "不适用", "无法回答", "not applicable")

_MID_ZH = ("一般", "不确定", "中立", "说不清", "不好说", "中等", "无所谓")
_SLOTS: dict[str, list[tuple[str, ...]]] = {
    "agree5_zh": [("非常不同意", "完全不同意", "很不同意", "强烈不同意"), ("不同意", "比较不同意", "不太同意"),
                  ("既不同意也不反对", *_MID_ZH), ("同意", "比较同意"), ("非常同意", "完全同意", "很同意", "强烈同意")],
    "agree7_zh": [("非常不同意", "完全不同意", "强烈不同意"), ("不同意", "比较不同意"),
                  ("有点不同意", "稍微不同意", "略不同意", "不太同意"), ("既不同意也不反对", *_MID_ZH),
                  ("有点同意", "稍微同意", "略同意"), ("同意", "比较同意"), ("非常同意", "完全同意", "强烈同意")],
    "conform5_zh": [("完全不符合", "非常不符合", "很不符合"), ("比较不符合", "不太符合", "不符合", "有点不符合"),
                    ("不确定", "一般", "部分符合", "有些符合", "说不清", "中立"), ("比较符合", "符合", "有点符合"),
                    ("完全符合", "非常符合", "很符合")],
    "conform7_zh": [("完全不符合", "非常不符合"), ("不符合",), ("有点不符合", "比较不符合"), ("不确定", "一般", "说不清"),
                    ("有点符合", "比较符合"), ("符合",), ("完全符合", "非常符合")],
    "freq5_zh": [("从不", "从来没有", "从未", "没有"), ("很少", "偶尔", "极少"), ("有时", "有时候", "时有"),
                 ("经常", "常常", "较多"), ("总是", "一直", "每天", "几乎总是")],
    "satis5_zh": [("非常不满意", "很不满意"), ("不满意", "比较不满意", "不太满意"), _MID_ZH,
                  ("满意", "比较满意"), ("非常满意", "很满意")],
    "satis7_zh": [("非常不满意",), ("不满意",), ("比较不满意", "有点不满意"), _MID_ZH, ("比较满意", "有点满意"),
                  ("满意",), ("非常满意",)],
    "importance5_zh": [("非常不重要", "完全不重要", "很不重要"), ("不重要", "不太重要", "比较不重要"), _MID_ZH,
                       ("重要", "比较重要"), ("非常重要", "很重要")],
    "agree5_en": [("strongly disagree",), ("disagree", "somewhat disagree"),
                  ("neither agree nor disagree", "neutral", "undecided", "not sure"),
                  ("agree", "somewhat agree"), ("strongly agree",)],
    "agree7_en": [("strongly disagree",), ("disagree",), ("somewhat disagree", "slightly disagree"),
                  ("neither agree nor disagree", "neutral", "undecided"), ("somewhat agree", "slightly agree"),
                  ("agree",), ("strongly agree",)],
    "true5_en": [("not at all true", "not true at all", "completely untrue"), ("slightly true", "mostly untrue"),
                 ("moderately true", "somewhat true"), ("very true", "mostly true"), ("completely true",)],
    "freq5_en": [("never",), ("rarely", "seldom"), ("sometimes", "occasionally"), ("often", "frequently", "usually"),
                 ("always", "very often", "almost always")],
    "satis5_en": [("very dissatisfied",), ("dissatisfied", "somewhat dissatisfied"),
                  ("neither satisfied nor dissatisfied", "neutral"), ("satisfied", "somewhat satisfied"),
                  ("very satisfied",)],
    "satis7_en": [("extremely dissatisfied",), ("moderately dissatisfied",), ("slightly dissatisfied",),
                  ("neither satisfied nor dissatisfied", "neutral"), ("slightly satisfied",),
                  ("moderately satisfied",), ("extremely satisfied",)],
    "importance5_en": [("not at all important", "not important"), ("slightly important",),
                       ("moderately important",), ("very important",), ("extremely important",)],
}
_LETTER = re.compile(r"^\s*(?:[A-Za-z]|\d{1,2})\s*[.、．:：)）]\s*(?=\S)")


def normalise(v: str) -> str:
    """Lower case, option letter/number and spaces removed (matching only)."""
    return re.sub(r"\s+", " ", _LETTER.sub("", str(v))).strip().lower().replace("（", "(").replace("）", ")")


def is_missing_token(v) -> bool:
    return isinstance(v, str) and normalise(v) in MISSING_TOKENS


def answer_set(values) -> dict | None:
    """The Likert set every one of ``values`` (distinct answers) belongs to,
    as ``{"set": id, "k": points, "map": {answer: code}, "labels": {code: answer}}``;
    None when no set fits (two answers in one slot, or an unknown answer).
    Missing tokens are ignored here (see :func:`propose_recode`)."""
    answers = [v for v in dict.fromkeys(values) if isinstance(v, str) and not is_missing_token(v)]
    if len(answers) < 2:
        return None
    for sid, slots in _SLOTS.items():
        index = {w: i for i, words in enumerate(slots) for w in words}
        codes = {}
        for a in answers:
            i = index.get(normalise(a))
            if i is None:
                break
            codes[a] = i + 1
        else:
            if len(set(codes.values())) == len(codes):
                labels = {i + 1: words[0] for i, words in enumerate(slots)}
                for a, c in codes.items():
                    labels[c] = strip_letters(a)
                return {"set": sid, "k": len(slots), "map": codes, "labels": labels}
    return None


def strip_letters(v: str) -> str:
    """``A.男`` → ``男``, ``2、本科`` → ``本科`` (the option's own text)."""
    return _LETTER.sub("", v).strip() if isinstance(v, str) else v


def letter_map(values) -> dict[str, str] | None:
    """``{"A.男": "男", "B.女": "女"}`` when every answer carries an option letter."""
    vals = [v for v in dict.fromkeys(values) if isinstance(v, str)]
    if not vals or not all(_LETTER.match(v) for v in vals):
        return None
    out = {v: strip_letters(v) for v in vals}
    return out if len(set(out.values())) == len(out) else None


def propose_recode(columns: list[str], values) -> dict | None:
    """A recode for a block of columns that share one answer set (a matrix):
    ``{"columns", "map", "missing", "labels", "set"}``, or None."""
    vals = list(dict.fromkeys(v for v in values if isinstance(v, str)))
    found = answer_set(vals)
    if found is None:
        return None
    return {"columns": list(columns), "map": dict(found["map"]),
            "missing": [v for v in vals if is_missing_token(v)],
            "labels": {str(k): v for k, v in found["labels"].items()}, "set": found["set"]}


def validate(rc) -> dict:
    """A recipe recode (see docs/recipes.md) checked and normalised."""
    if not isinstance(rc, dict) or not isinstance(rc.get("columns"), list) or not rc["columns"] \
            or not all(isinstance(c, str) for c in rc["columns"]):
        raise UserError("recode.error.bad", detail="columns")
    mapping = rc.get("map") or {}
    if not isinstance(mapping, dict):
        raise UserError("recode.error.bad", detail="map")
    for k, v in mapping.items():
        if v is not None and not isinstance(v, (str, int, float)) or isinstance(v, bool):
            raise UserError("recode.error.bad_value", value=str(k), code=str(v))
    missing = rc.get("missing") or []
    if not isinstance(missing, list):
        raise UserError("recode.error.bad", detail="missing")
    labels = rc.get("labels") or {}
    if not isinstance(labels, dict):
        raise UserError("recode.error.bad", detail="labels")
    out = {"columns": list(rc["columns"]), "map": dict(mapping), "missing": [str(m) for m in missing],
           "labels": {str(k): str(v) for k, v in labels.items()}}
    if rc.get("set"):
        out["set"] = str(rc["set"])
    return out


def key(v) -> str:
    """A value as text the way recipes write it (2.0 → "2", trimmed)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def apply(col: pd.Series, rc: dict) -> tuple[pd.Series, dict]:
    """One column recoded by a validated recode: values found in ``map`` take
    their code (None = missing), values in ``missing`` become missing, other
    values stay.  Returns the column (numeric when every value is a number)
    and its value labels ``{code: label}``."""
    mapping = {key(k): v for k, v in rc["map"].items()}
    missing = {key(m) for m in rc["missing"]}

    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        k = key(v)
        if k in missing:
            return None
        return mapping.get(k, v)

    out = pd.Series([one(v) for v in col.to_numpy(dtype=object)], index=col.index, dtype=object)
    nonnull = out.dropna()
    labels = {}
    if nonnull.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all():
        num = pd.to_numeric(out, errors="coerce").astype("float64")
        if num.dropna().mod(1).eq(0).all() and num.notna().all():
            num = num.astype("int64")
        out = num
        for k, lab in rc["labels"].items():
            try:
                code = float(k)
            except ValueError:
                continue
            labels[int(code) if code.is_integer() else code] = lab
        return out, labels
    return out.map(lambda v: None if v is None else key(v)).astype("str"), labels


# ---- the recode editor (pages/variables.py shows these rows) ---------------------------------
def editor_rows(values: pd.Series, rc: dict | None) -> list[dict]:
    """One row per observed value of the columns (pooled): the value, how
    often it occurs, its code (text; empty = unchanged) and whether it is
    marked missing."""
    mapping = {key(k): v for k, v in ((rc or {}).get("map") or {}).items()}
    missing = {key(m) for m in (rc or {}).get("missing") or []}
    counts = values.dropna().map(key).value_counts()
    order = list(counts.index)
    found = answer_set(order)
    if found is not None:
        order.sort(key=lambda v: found["map"].get(v, 0))
    else:
        order.sort(key=lambda v: (mapping.get(v) is None, str(mapping.get(v, "")), v))
    return [{"value": v, "n": int(counts[v]), "code": "" if mapping.get(v) is None else key(mapping[v]),
             "missing": v in missing} for v in order]


def from_editor(columns: list[str], rows: list[dict], old: dict | None = None) -> dict:
    """The recode an edited table describes: codes that read as numbers are
    numbers, other codes are texts (merging the values that share one),
    ticked values are missing; value labels are kept for codes that stay."""
    mapping, missing = {}, []
    for r in rows:
        value = str(r.get("value"))
        if r.get("missing"):
            missing.append(value)
            continue
        code = r.get("code")
        code = "" if code is None or (isinstance(code, float) and np.isnan(code)) else str(code).strip()
        if not code:
            continue
        try:
            f = float(code.translate(str.maketrans("０１２３４５６７８９－．", "0123456789-.")))
            mapping[value] = int(f) if f.is_integer() else f
        except ValueError:
            mapping[value] = code
    codes = {key(v) for v in mapping.values()}
    labels = {k: v for k, v in ((old or {}).get("labels") or {}).items() if k in codes}
    for value, code in mapping.items():
        if isinstance(code, (int, float)) and key(code) not in labels and not is_number(value):
            labels[key(code)] = strip_letters(value)
    return validate({"columns": list(columns), "map": mapping, "missing": missing, "labels": labels})


def is_number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def replace(recodes: list[dict], new: dict) -> list[dict]:
    """The recipe's recodes with ``new`` in place of the first one for the
    same columns (or added at the end; later recodes of those columns, such
    as merges from the level editor, stay after it); a recode that maps
    nothing is dropped."""
    out = list(recodes)
    at = next((i for i, r in enumerate(out) if r["columns"] == new["columns"]), None)
    if at is not None:
        del out[at]
    else:
        at = len(out)
    if new["map"] or new["missing"]:
        out.insert(at, new)
    return out
