"""Where a new PROCESS entry starts: model 4 with the roles of the study (x RP, m PS,
w EMC, y WW in the role-pressure sample), else the first scales in order (the
dimensions of X left out; recorded as a default nobody chose, so it is no key
finding until the user changes or pins it), and a fresh seed that is then kept and
shown.  W and Z wait for a model that uses them (pages keep only the roles the model
uses)."""
from __future__ import annotations

import numpy as np

from core.data import roles as R
from core.data.model import Dataset


def start(ds: Dataset, roles: dict) -> dict:
    scales = list(ds.scales) or [c for c in ds.variables if ds.is_numeric(c)]
    pick = [s for s in scales if s not in (roles.get("x_dimensions") or [])] or scales

    def role(key, k):
        return R.one(ds, roles, key) or (pick[min(k, len(pick) - 1)] if pick else None)

    x, m, w, y = role("x", 0), role("m", 1), role("w", 2), role("y", len(pick) - 1)
    z = R.one(ds, roles, "z") or next((s for s in [*pick, *scales] if s not in (x, m, w, y)), None)
    out = {"model": 4, "x": x, "m": [m] if m else [], "w": w, "z": z, "y": y,
           "seed": int(np.random.default_rng().integers(1, 100_000))}
    if not all(R.one(ds, roles, k) for k in ("x", "m", "y")):   # scales in order, not the study's: nobody chose
        out["default"] = {k: out[k] for k in ("model", "x", "m", "y")}   # them (core.report.model.untouched)
    return out
