"""Where a new describe entry starts: every scale, and frequencies of the demographics."""
from core.data import roles as R
from core.data.model import Dataset


def start(ds: Dataset, roles: dict) -> dict:
    return {"variables": list(ds.scales), "frequencies": R.demographics(ds, roles)}
