"""The two synthetic sample surveys shipped in ``sample_data/`` and their
codebooks (bilingual variable and value labels, scales, roles)."""
from __future__ import annotations

import json
from pathlib import Path

from core import recipe as recipes
from core.data import io
from core.data.model import RawData, VariableMeta
from core.errors import UserError

ROOT = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLES = {
    "civil_servants": {"file": "civil_servants.csv", "codebook": "civil_servants.codebook.json"},
    "role_pressure": {"file": "role_pressure.csv", "codebook": "role_pressure.codebook.json"},
}
DEFAULT = "civil_servants"


def codebook(key: str) -> dict:
    return read_codebook(ROOT / SAMPLES[key]["codebook"])


def read_codebook(path: Path) -> dict:
    """A codebook JSON (see sample_data/README.md); a broken one is a UserError."""
    try:
        book = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError("error.codebook_unreadable", path=str(path), detail=str(exc)[:120]) from None
    if not isinstance(book, dict) or not isinstance(book.get("variables", {}), dict):
        raise UserError("error.codebook_unreadable", path=str(path), detail="not a codebook object")
    return book


def apply_codebook(raw: RawData, book: dict) -> RawData:
    """Attach a codebook's bilingual labels and measures to the raw data."""
    meta = dict(raw.meta)
    for name, info in (book.get("variables") or {}).items():
        if name not in raw.frame.columns:
            continue
        col = raw.frame[name]
        values = {}
        for code, lab in (info.get("values") or {}).items():
            key = float(code) if col.dtype.kind == "f" else int(code) if col.dtype.kind in "iu" else code
            values[key] = lab
        old = meta.get(name) or VariableMeta(name=name)
        meta[name] = VariableMeta(name=name, label=info.get("label") or old.label,
                                  value_labels=values or old.value_labels,
                                  missing_values=old.missing_values, missing_ranges=old.missing_ranges,
                                  measure=info.get("measure") or old.measure)
    return RawData(frame=raw.frame, meta=meta, source={**raw.source, "synthetic": bool(book.get("synthetic"))},
                   warnings=raw.warnings)


def load(key: str = DEFAULT) -> tuple[RawData, dict, dict]:
    """(raw data with codebook labels, a starting recipe, the codebook)."""
    info = SAMPLES[key]
    book = codebook(key)
    raw = apply_codebook(io.read_path(ROOT / info["file"]), book)
    recipe = recipes.empty()
    recipe["data"].update(path=f"sample_data/{info['file']}", missing_codes=list(book.get("missing_codes") or []))
    recipe["scales"] = [recipes.validate_scale(s) for s in book.get("scales") or []]
    recipe["roles"] = dict(book.get("roles") or {})
    recipe["ui"] = {"sample": key}
    return raw, recipes.validate(recipe), book
