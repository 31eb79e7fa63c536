"""Where a new difference battery starts: the demographics as splits, every scale as an outcome."""
from core.data import roles as R
from core.data.model import Dataset


def start(ds: Dataset, roles: dict) -> dict:
    return {"groups": R.demographics(ds, roles), "outcomes": list(ds.scales)}
