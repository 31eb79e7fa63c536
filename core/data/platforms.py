"""Survey platforms: which one wrote a file, what each column is.

:func:`parse` reads every column header (and the value pattern where names
say nothing) into a :class:`Column`: its question number and text, the
matrix row (item) it carries, and its kind —

- ``paradata``: row numbers, submit/start/end times, durations, sources,
  IP and location, respondent ids, total scores (问卷星 序号 / 提交答卷时间 /
  所用时间 ``125秒`` / 来源 / 来源详情 / 来自IP ``112.x.x.x(山西-晋城)`` / 总分,
  腾讯问卷 编号 / 开始答题时间 / 答题时长 / IP地址 / 用户ID, Qualtrics StartDate …
  UserLanguage);
- ``matrix``: a row of a matrix question (问卷星 ``6、(我经常需要加班…)``,
  ``6、工作压力(…)``; 腾讯问卷 ``Q5:组织氛围—…``; Qualtrics ``Q6_1`` with the
  question text ``… - item``);
- ``multi``: a multi-choice answer (``┋``-joined text, or 问卷星's numeric
  option columns ``5(运动)``) or an "其他〖…〗" free-text answer;
- ``question``: any other numbered question (``1、您的性别：``, ``1.您的性别``);
- ``other``: a column of a file no platform wrote (named by the user).

Numbered questions get short names (``Q6_1``; ``Q1``) with the full wording
kept as the variable label (:func:`short_names`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

_WJX = re.compile(r"^(?P<q>\d{1,3})[、．.](?!\d)\s*(?P<rest>.*)$", re.S)
_WJX_OPTION = re.compile(r"^(?P<q>\d{1,3})[(（](?P<item>.+)[)）]$", re.S)
_TENCENT_MATRIX = re.compile(r"^Q(?P<q>\d{1,3})[:：]\s*(?P<title>.*?)\s*[—–]+\s*(?P<item>.+)$", re.S)
_BRACKET_ITEM = re.compile(r"^(?P<title>[^()（）]*?)\s*[(（](?P<item>.+)[)）]\s*$", re.S)
_QUALTRICS_NAME = re.compile(r"^Q(?P<q>\d{1,3})(?:_(?P<row>\d{1,3}))?(?:_TEXT)?$", re.I)

_PARADATA_NAMES = re.compile(
    r"^(序号|编号|答卷编号|id|用户id|respondent ?id|responseid|response id|_?record ?id|"
    r"提交答卷时间|提交时间|答题时间|开始答题时间|结束答题时间|开始时间|结束时间|填写时间|"
    r"所用时间|答题时长|用时|填写用时|duration.*|"
    r"来源|来源详情|来源渠道|渠道|来自ip|ip|ip地址|ip归属地|地理位置|ip ?address|"
    r"总分|total ?score|"
    r"startdate|enddate|recordeddate|status|progress|finished|recipient.*|externalreference|"
    r"location.*|distributionchannel|userlanguage|q_.*|timestamp|submitted.*|微信昵称|昵称|openid)$", re.I)
_DURATION_VALUE = re.compile(r"^\s*(?:(\d+)\s*(?:小时|时|h))?\s*(?:(\d+)\s*(?:分钟|分|min|m))?\s*(?:(\d+)\s*(?:秒|s))?\s*$")
_IP_VALUE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}")
_DATETIME_VALUE = re.compile(r"^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}")
_DURATION_NAMES = re.compile(r"所用时间|答题时长|用时|duration", re.I)


@dataclass
class Column:
    name: str
    kind: str                 # paradata / matrix / multi / question / other
    q: int | None = None      # question number
    title: str = ""           # question text (or a matrix's dimension)
    item: str = ""            # matrix row / option text


def platform(columns, source: dict | None = None) -> str:
    """``wjx`` (问卷星), ``tencent`` (腾讯问卷), ``qualtrics`` or ``generic``."""
    names = [str(c) for c in columns]
    if (source or {}).get("skip_rows") == 2 or {"ResponseId", "StartDate"} <= set(names):
        return "qualtrics"
    if any(re.match(r"^\d{1,3}、", n) for n in names) or {"提交答卷时间", "所用时间"} & set(names):
        return "wjx"
    if any(_TENCENT_MATRIX.match(n) for n in names) or {"答题时长", "开始答题时间"} & set(names) \
            or sum(bool(re.match(r"^\d{1,3}\.\D", n)) for n in names) >= 2:
        return "tencent"
    return "generic"


def _clean_title(s: str) -> str:
    s = re.sub(r"\[(多选题|单选题|矩阵.*?|填空题|排序题)\]", "", s)
    return s.strip().rstrip("：:？?").strip()


def _values_are_paradata(col: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(col):
        return False
    v = col.dropna().head(50).astype(str)
    if v.empty:
        return False
    for pat in (_IP_VALUE, _DATETIME_VALUE):
        if v.map(lambda x, p=pat: bool(p.match(x))).mean() > 0.9:
            return True
    return bool(v.map(lambda x: bool(re.search(r"\d", x)) and bool(_DURATION_VALUE.match(x))).mean() > 0.9)


def _is_multi(col: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(col):
        return False
    v = col.dropna().astype(str)
    return bool(len(v)) and bool(v.str.contains("┋|〖", regex=True).mean() > 0.05)


def parse(frame: pd.DataFrame, labels: dict | None = None, source: dict | None = None) -> list[Column]:
    """One :class:`Column` per column of ``frame`` (see module doc)."""
    labels = labels or {}
    plat = platform(frame.columns, source)
    out = []
    numeric = frame.dtypes.map(pd.api.types.is_numeric_dtype)
    empty = pd.Series([], dtype=float)
    for name, is_num in zip(frame.columns, numeric):
        s = str(name).strip()
        col = empty if is_num else frame[name]   # numbers carry no text pattern (and wide files stay fast)
        if _PARADATA_NAMES.match(s) or _values_are_paradata(col):
            out.append(Column(name, "paradata"))
            continue
        m = _TENCENT_MATRIX.match(s)
        if m:
            out.append(Column(name, "matrix", int(m["q"]), _clean_title(m["title"]), m["item"].strip()))
            continue
        m = _WJX_OPTION.match(s)
        if m and plat == "wjx":
            out.append(Column(name, "multi", int(m["q"]), "", m["item"].strip()))
            continue
        m = _WJX.match(s)
        if m and plat in ("wjx", "tencent"):
            q, rest = int(m["q"]), m["rest"].strip()
            b = _BRACKET_ITEM.match(rest)
            if b and rest.endswith((")", "）")):
                kind = "multi" if _is_multi(col) else "matrix"
                out.append(Column(name, kind, q, _clean_title(b["title"]), b["item"].strip()))
            else:
                kind = "multi" if _is_multi(col) or "[多选题]" in rest else "question"
                out.append(Column(name, kind, q, _clean_title(rest)))
            continue
        m = _QUALTRICS_NAME.match(s)
        if m and plat == "qualtrics":
            label = str(labels.get(name) or "")
            title, _, item = label.partition(" - ")
            kind = "matrix" if m["row"] else ("multi" if _is_multi(col) else "question")
            out.append(Column(name, kind, int(m["q"]), title.strip(), item.strip() if m["row"] else ""))
            continue
        out.append(Column(name, "multi" if _is_multi(col) else "other"))
    return out


def short_names(cols: list[Column], taken) -> dict[str, tuple[str, str]]:
    """``{column: (short name, full wording)}`` for numbered questions whose
    name is long: matrix rows and option columns ``Q6_1`` …, questions ``Q1``."""
    taken = set(map(str, taken))
    out: dict[str, tuple[str, str]] = {}
    rows: dict[int, int] = {}
    for c in cols:
        if c.q is None or _QUALTRICS_NAME.match(str(c.name)):
            continue
        if c.kind in ("matrix", "multi") and c.item:
            rows[c.q] = rows.get(c.q, 0) + 1
            new = f"Q{c.q}_{rows[c.q]}"
            wording = f"{c.title}：{c.item}" if c.title and c.kind == "multi" else c.item
        else:
            new = f"Q{c.q}"
            wording = c.title or str(c.name)
        if new in taken or new in {v[0] for v in out.values()}:
            continue
        out[c.name] = (new, wording)
    return out


def duration_seconds(col: pd.Series) -> pd.Series:
    """``125秒``, ``2分5秒``, ``1小时2分`` or plain numbers → seconds (else missing)."""
    if pd.api.types.is_numeric_dtype(col):
        return col.astype("float64")

    def one(v):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return float("nan")
        s = str(v).strip()
        try:
            return float(s)
        except ValueError:
            pass
        m = _DURATION_VALUE.match(s)
        if not m or not any(m.groups()):
            return float("nan")
        h, mi, se = (int(g) if g else 0 for g in m.groups())
        return float(h * 3600 + mi * 60 + se)

    return col.map(one).astype("float64")


def is_duration(name: str, col: pd.Series) -> bool:
    if _DURATION_NAMES.search(str(name)):
        return True
    v = col.dropna().astype(str).head(50)
    return bool(len(v)) and not pd.api.types.is_numeric_dtype(col) and \
        bool(v.map(lambda x: bool(re.search(r"\d", x)) and bool(_DURATION_VALUE.match(x))).mean() > 0.9)
