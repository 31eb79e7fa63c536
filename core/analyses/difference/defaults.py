"""Where a new difference battery starts: the demographics as splits, every scale as an outcome;
the two-way ANOVA and the cross-tab: the first two demographics (and the first scale) — a pick
nobody made, recorded as such (``"default"``: no key finding until the user changes it or pins a
result, core.report.model.untouched)."""
from core.data import roles as R
from core.data.model import Dataset


def start(ds: Dataset, roles: dict) -> dict:
    return {"groups": R.demographics(ds, roles), "outcomes": list(ds.scales)}


def two_way_start(ds: Dataset, roles: dict) -> dict:
    demo = R.demographics(ds, roles)
    pick = {"groups": demo[:1], "by": demo[1] if len(demo) > 1 else None, "outcomes": list(ds.scales)[:1]}
    return {**pick, "default": dict(pick)}


def crosstab_start(ds: Dataset, roles: dict) -> dict:
    demo = R.demographics(ds, roles)
    pick = {"rows": demo[:1], "cols": demo[1:2]}
    return {**pick, "default": dict(pick)}
