"""Where a new item analysis starts: the first scale — a pick nobody made, recorded as such
(``"default"``: no key finding until the user picks a scale or pins a result,
core.report.model.untouched)."""
from core.data.model import Dataset


def start(ds: Dataset, roles: dict) -> dict:
    first = next(iter(ds.scales), None)
    return {"scale": first, "default": {"scale": first}} if first else {}
