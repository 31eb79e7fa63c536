"""From a raw file plus a recipe to the analysis-ready :class:`Dataset`.

Order of operations (each is documented in docs/recipes.md):
0. the recipe's ``prepare`` section: columns renamed (``rename``), variable
   labels set (``labels``), text answers recoded to codes or other texts
   (``recodes``: value → code, merged levels, values marked missing, value
   labels), durations such as ``125秒`` turned into seconds (``durations``),
   and level orders and labels set (``levels``);
1. ±infinity (no survey answer can be infinite), user-missing values declared
   in the file (SPSS) and the recipe's ``data.missing_codes`` become NaN in
   every numeric column;
2. rows listed in ``exclusions`` are dropped (reported as "n excluded, why");
3. each scale: its own ``missing`` codes become NaN in its items, reverse-keyed
   items are reversed as ``min + max - x``, and the score is the mean (or sum)
   of the answered items when at least ``min_items`` were answered (SPSS's
   ``MEAN.n`` / ``SUM.n``), else missing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.data import recode
from core.data.model import Dataset, RawData, VariableMeta
from core.data.platforms import duration_seconds
from core.errors import UserError

SCORE_BLOCK_CELLS = 2_000_000


def _blank_missing(col: pd.Series, codes, ranges=()) -> pd.Series:
    if not pd.api.types.is_numeric_dtype(col):
        return col
    mask = col.isin(list(codes)) if codes else pd.Series(False, index=col.index)
    for lo, hi in ranges:
        mask |= (col >= lo) & (col <= hi)
    if mask.any():
        col = col.astype("float64").mask(mask)
    return col


def apply_missing(raw: RawData, missing_codes=()) -> pd.DataFrame:
    """Raw frame with file-declared and recipe missing codes set to NaN."""
    frame = raw.frame.copy(deep=False)   # copy-on-write: only the columns changed below are copied
    for name in frame.columns:
        if frame[name].dtype.kind == "f" and np.isinf(frame[name].to_numpy()).any():
            frame[name] = frame[name].mask(np.isinf(frame[name].to_numpy()))  # ±inf is no answer: missing
        m = raw.meta.get(name)
        codes = list(missing_codes) + (list(m.missing_values) if m else [])
        ranges = list(m.missing_ranges) if m else []
        if codes or ranges:
            frame[name] = _blank_missing(frame[name], codes, ranges)
    return frame


def score_scale(frame: pd.DataFrame, scale: dict) -> pd.Series:
    """The score of one scale (see module docstring for the rules).  Rows are
    scored in blocks of about :data:`SCORE_BLOCK_CELLS` cells, so a large
    upload never needs a float copy of all its items at once."""
    items = scale["items"]
    for it in items:
        if not pd.api.types.is_numeric_dtype(frame[it]):
            raise UserError("error.scale_item_not_numeric", scale=scale["name"], item=it)
    lo, hi = float(scale["min"]), float(scale["max"])
    rev = [items.index(r) for r in scale.get("reverse", [])]
    need = int(scale.get("min_items") or len(items))
    missing = np.asarray(scale.get("missing") or [], dtype=float)
    step = max(1, SCORE_BLOCK_CELLS // len(items))
    score = np.empty(len(frame))
    for r0 in range(0, len(frame), step):
        x = frame[items].iloc[r0:r0 + step].to_numpy(dtype="float64", na_value=np.nan, copy=True)  # writable
        if missing.size:
            x = np.where(np.isin(x, missing), np.nan, x)
        if rev:
            x[:, rev] = lo + hi - x[:, rev]
        answered = np.sum(~np.isnan(x), axis=1)
        with np.errstate(invalid="ignore"):
            total = np.nansum(x, axis=1)
            part = total / np.where(answered > 0, answered, 1) if scale.get("score", "mean") == "mean" else total
        score[r0:r0 + step] = np.where(answered >= need, part, np.nan)
    return pd.Series(score, index=frame.index, name=scale["name"])


def scored_items(frame: pd.DataFrame, scale: dict) -> pd.DataFrame:
    """The scale's items with its missing codes blanked and reverse keys applied
    (what reliability and factor analyses use)."""
    x = frame[scale["items"]].astype("float64")
    if scale.get("missing"):
        x = x.mask(x.isin(scale["missing"]))
    lo, hi = float(scale["min"]), float(scale["max"])
    for r in scale.get("reverse", []):
        x[r] = lo + hi - x[r]
    return x


def prepared(raw: RawData, prep: dict | None) -> RawData:
    """``raw`` with the recipe's ``prepare`` section applied (a new RawData;
    ``raw`` is left as read)."""
    if not prep or not any(prep.get(k) for k in ("rename", "labels", "recodes", "levels", "durations")):
        return raw
    rename = {k: v for k, v in (prep.get("rename") or {}).items() if k in raw.frame.columns}
    names = [rename.get(c, c) for c in raw.frame.columns]
    if len(set(names)) != len(names):
        old = next(k for k, v in rename.items() if names.count(v) > 1)
        raise UserError("recode.error.rename_clash", old=old, new=rename[old])
    frame = raw.frame.rename(columns=rename)
    meta = {}
    for c, m in raw.meta.items():
        new = rename.get(c, c)
        meta[new] = VariableMeta(name=new, label=m.label, value_labels=dict(m.value_labels),
                                 missing_values=list(m.missing_values), missing_ranges=list(m.missing_ranges),
                                 measure=m.measure, order=list(m.order) if m.order else None)

    def need(name):
        if name not in frame.columns:
            raise UserError("recode.error.unknown_column", name=name)

    for name, label in (prep.get("labels") or {}).items():
        need(name)
        meta[name].label = label
    for rc in prep.get("recodes") or []:
        for name in rc["columns"]:
            need(name)
            frame[name], labels = recode.apply(frame[name], rc)
            if labels:
                meta[name].value_labels = labels
    for name in prep.get("durations") or []:
        need(name)
        frame[name] = duration_seconds(frame[name])
    for name, lv in (prep.get("levels") or {}).items():
        need(name)
        m = meta[name]
        numeric = pd.api.types.is_numeric_dtype(frame[name])
        m.order = [_as_code(v, numeric) for v in lv.get("order") or []] or None
        for k, lab in (lv.get("labels") or {}).items():
            m.value_labels[_as_code(k, numeric)] = lab
    return RawData(frame=frame, meta=meta, source=raw.source, warnings=raw.warnings)


def _as_code(v, numeric: bool):
    """A level as written in a recipe (JSON text or number) → the column's value."""
    if not numeric:
        return str(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return int(f) if f.is_integer() else f


def build_dataset(raw: RawData, recipe: dict, lang: str = "en") -> Dataset:
    """Apply a (validated) recipe's preparation, data options, exclusions and scales."""
    data_opts = recipe.get("data") or {}
    raw = prepared(raw, recipe.get("prepare"))
    frame = apply_missing(raw, data_opts.get("missing_codes") or [])
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")

    excluded: dict[str, int] = {}
    for ex in recipe.get("exclusions") or []:
        rows = [r for r in ex.get("rows", []) if r in frame.index]
        if rows:
            frame = frame.drop(index=rows)
            reason = ex.get("reason") or "manual"
            excluded[reason] = excluded.get(reason, 0) + len(rows)

    meta = dict(raw.meta)
    scales = {}
    new_cols = {}
    for sc in recipe.get("scales") or []:
        missing_items = [it for it in sc["items"] if it not in frame.columns]
        if missing_items:
            raise UserError("error.scale_unknown_items", scale=sc["name"], items=", ".join(missing_items))
        if sc["name"] in frame.columns:
            raise UserError("error.scale_name_taken", scale=sc["name"])
        new_cols[sc["name"]] = score_scale(frame, sc)
        scales[sc["name"]] = sc
        meta[sc["name"]] = VariableMeta(name=sc["name"], label=sc.get("label"), measure="scale")
    if new_cols:
        frame = pd.concat([frame, pd.DataFrame(new_cols, index=frame.index)], axis=1)
    return Dataset(frame=frame, meta=meta, scales=scales, lang=lang, excluded=excluded)
