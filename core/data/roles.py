"""The recipe's roles (demographics, the study's outcome, its stressors, X/M/W/Y of a
mediation model) read against a Dataset: what the analyses' declared defaults
start new recipe entries from."""
from __future__ import annotations

from core.data.model import Dataset


def present(ds: Dataset, names) -> list[str]:
    """The names among ``names`` that are variables of the dataset, in order."""
    return [v for v in names or [] if isinstance(v, str) and ds.has(v)]


def one(ds: Dataset, roles: dict, key: str) -> str | None:
    v = roles.get(key)
    return v if isinstance(v, str) and ds.has(v) else None


def demographics(ds: Dataset, roles: dict) -> list[str]:
    return present(ds, roles.get("demographics"))
