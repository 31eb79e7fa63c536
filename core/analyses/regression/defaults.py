"""Where a new regression (and correlation) entry starts, from the recipe's roles: the
study's outcome on its stressors (or the X/M/W scales of a mediation study, or the
scales that share no item with the outcome), the demographics as block 1 — nominal
ones as categorical predictors with their default reference level.  A start not
built from the roles is recorded as a default nobody chose (``"default"``: no key
finding until the user changes or pins it, core.report.model.untouched)."""
from __future__ import annotations

from core.data import roles as R
from core.data.model import Dataset, json_code


def _items(ds: Dataset, name: str) -> set:
    return set(ds.scales.get(name, {}).get("items", []))


def start(ds: Dataset, roles: dict) -> dict:
    scales = list(ds.scales)
    numeric = [c for c in ds.variables if ds.is_numeric(c)]
    outcome = R.one(ds, roles, "outcome") or R.one(ds, roles, "y")
    if outcome is None or not ds.is_numeric(outcome):
        outcome = scales[-1] if scales else (numeric[-1] if numeric else None)
    if outcome is None:
        return {"outcome": None, "blocks": [], "categorical": {}}
    preds = [v for v in R.present(ds, roles.get("stressors")) if v != outcome]
    if not preds:
        preds = [v for v in (R.one(ds, roles, k) for k in ("x", "m", "w")) if v and v != outcome]
    designed = bool(preds) and outcome in (R.one(ds, roles, "outcome"), R.one(ds, roles, "y"))
    if not preds:
        used = _items(ds, outcome)
        for s in scales:
            if s != outcome and not (_items(ds, s) & used):
                preds.append(s)
                used |= _items(ds, s)
    demo = [d for d in R.demographics(ds, roles) if d != outcome and d not in preds]
    categorical = {}
    for d in demo:
        meta = ds.meta.get(d)
        if ((meta is not None and meta.measure == "nominal") or not ds.is_numeric(d)) and ds.level_codes(d):
            categorical[d] = json_code(ds.reference_level(d))
    out = {"outcome": outcome, "blocks": [b for b in (demo, preds) if b], "categorical": categorical,
           "robust": None, "standardized": False, "scenarios": []}
    if not designed:   # not the study's roles: a default nobody chose (core.report.model.untouched)
        out["default"] = {"outcome": outcome, "blocks": out["blocks"]}
    return out


def correlation_start(ds: Dataset, roles: dict) -> dict:
    """The correlation triangle starts from the regression's variables: its predictors, then its outcome."""
    reg = start(ds, roles)
    names = list((reg["blocks"] or [[]])[-1]) + ([reg["outcome"]] if reg["outcome"] else [])
    out = {"variables": [v for v in names if ds.has(v) and ds.is_numeric(v)]}
    if "default" in reg:   # the regression's variables were not the study's roles either
        out["default"] = {"variables": out["variables"]}
    return out
