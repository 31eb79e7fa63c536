"""Where a new structural model starts, from the recipe's roles: the mediation of a study with X, M
and Y scales, else the study's outcome on its stressors, else a chain of the first three scales."""
from __future__ import annotations

from core.analyses.measurement.efa import leaf_scales
from core.data import roles as R
from core.data.model import Dataset


def sem_start(ds: Dataset, roles: dict) -> dict:
    x, m, y = (roles.get(k) for k in ("x", "m", "y"))
    if all(isinstance(v, str) and v in ds.scales for v in (x, m, y)):
        return {"model": f"{m} ~ {x}\n{y} ~ {m} + {x}"}
    stress = [s for s in R.present(ds, roles.get("stressors")) if s in ds.scales]
    out = roles.get("outcome")
    if stress and isinstance(out, str) and out in ds.scales:
        return {"model": f"{out} ~ " + " + ".join(stress)}
    leaves = leaf_scales(ds)
    if len(leaves) >= 3:
        return {"model": f"{leaves[1]} ~ {leaves[0]}\n{leaves[2]} ~ {leaves[1]}"}
    return {"model": ""}
