"""Where a new structural model starts, from the recipe's roles: the mediation of a study with X, M
and Y scales, else the study's outcome on its stressors, else a chain of the first three scales.
Always recorded as a default nobody chose (``"default"``): its paths are no key finding until the
user edits the model or pins a result (core.report.model.untouched)."""
from __future__ import annotations

from core.analyses.measurement.efa import leaf_scales
from core.data import roles as R
from core.data.model import Dataset


def sem_start(ds: Dataset, roles: dict) -> dict:
    model = _model(ds, roles)
    return {"model": model, "default": {"model": model}}


def _model(ds: Dataset, roles: dict) -> str:
    x, m, y = (roles.get(k) for k in ("x", "m", "y"))
    if all(isinstance(v, str) and v in ds.scales for v in (x, m, y)):
        return f"{m} ~ {x}\n{y} ~ {m} + {x}"
    stress = [s for s in R.present(ds, roles.get("stressors")) if s in ds.scales]
    out = roles.get("outcome")
    if stress and isinstance(out, str) and out in ds.scales:
        return f"{out} ~ " + " + ".join(stress)
    leaves = leaf_scales(ds)
    if len(leaves) >= 3:
        return f"{leaves[1]} ~ {leaves[0]}\n{leaves[2]} ~ {leaves[1]}"
    return ""
