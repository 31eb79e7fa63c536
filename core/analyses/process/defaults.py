"""Where a new PROCESS entry starts: model 4 with the roles of the study (x RP, m PS,
w EMC, y WW in the role-pressure sample), else the first scales in order (the
dimensions of X left out; recorded as a default nobody chose, so it is no key
finding until the user changes or pins it), and a fresh seed that is then kept
and shown."""
from __future__ import annotations

import numpy as np

from core.data import roles as R
from core.data.model import Dataset


def start(ds: Dataset, roles: dict) -> dict:
    scales = list(ds.scales) or [c for c in ds.variables if ds.is_numeric(c)]
    pick = [s for s in scales if s not in (roles.get("x_dimensions") or [])] or scales

    def role(key, k):
        return R.one(ds, roles, key) or (pick[min(k, len(pick) - 1)] if pick else None)

    m = role("m", 1)
    out = {"model": 4, "x": role("x", 0), "m": [m] if m else [], "w": role("w", 2), "y": role("y", len(pick) - 1),
           "seed": int(np.random.default_rng().integers(1, 100_000))}
    if not all(R.one(ds, roles, k) for k in ("x", "m", "y")):   # scales in order, not the study's: nobody chose
        out["default"] = {k: out[k] for k in ("model", "x", "m", "y")}   # them (core.report.model.untouched)
    return out
