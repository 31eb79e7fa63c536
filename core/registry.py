"""Every analysis, declared once.

Each family package ``core/analyses/<family>/`` declares its analyses in
``spec.py`` (``SPEC`` or ``SPECS``, :class:`~core.types.AnalysisSpec`); this
module discovers them — importing only the declarations, never compute, chart
or text modules — validates recipe options against them and runs them.  Pages,
the recipe runner, exports and tests all go through :func:`run`.
"""
from __future__ import annotations

import importlib
import math
import pkgutil
from functools import lru_cache

import core.analyses as pkg
from core.data.model import Dataset
from core.errors import UserError
from core.types import AnalysisSpec, Note, Option, Result

# Keys an analysis entry of a recipe may hold besides its options.
# snapshot_of: the analysis a pinned snapshot was frozen from; default: the options a page filled in
# itself, nobody chose them (see core.report.model.untouched)
ENTRY_KEYS = ("id", "type", "title", "snapshot_of", "default")


@lru_cache(maxsize=1)
def specs() -> dict[str, AnalysisSpec]:
    found: dict[str, AnalysisSpec] = {}
    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if not mod.ispkg or mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"core.analyses.{mod.name}.spec")
        for spec in getattr(module, "SPECS", ()) or ((module.SPEC,) if hasattr(module, "SPEC") else ()):
            if spec.type in found:
                raise ValueError(f"analysis type {spec.type!r} declared twice")
            found[spec.type] = spec
    return found


def get(type_: str) -> AnalysisSpec:
    try:
        return specs()[type_]
    except KeyError:
        raise UserError("error.unknown_analysis", type=str(type_), known=", ".join(sorted(specs()))) from None


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check(opt: Option, value, type_: str):
    bad = UserError("error.bad_option", analysis=type_, option=opt.name, value=repr(value)[:80])
    if value is None:
        if opt.nullable or not opt.required:
            return None
        raise UserError("error.missing_option", analysis=type_, option=opt.name)
    k = opt.kind
    if k == "variable":
        if not isinstance(value, str):
            raise bad
    elif k in ("variables", "choices"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise bad
        value = list(value)
        if k == "choices" and any(v not in opt.choices for v in value):
            raise bad
    elif k == "choice":
        if value not in opt.choices:
            raise bad
    elif k == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad
    elif k == "float":
        if not _is_num(value):
            raise bad
        value = float(value)
    elif k == "bool":
        if not isinstance(value, bool):
            raise bad
    elif k == "text":
        if not isinstance(value, str):
            raise bad
    elif k == "map":
        if not isinstance(value, dict):
            raise bad
    elif k == "blocks":
        if not isinstance(value, list) or not all(
            isinstance(b, list) and all(isinstance(v, str) for v in b) for b in value
        ):
            raise bad
    elif k == "pairs":
        if not isinstance(value, (list, tuple)) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(v, str) for v in p) for p in value
        ):
            raise bad
        value = [list(p) for p in value]
    if k in ("int", "float"):
        if (opt.min is not None and value < opt.min) or (opt.max is not None and value > opt.max):
            raise UserError("error.option_range", analysis=type_, option=opt.name, value=value,
                            min=opt.min, max=opt.max)
    return value


def validate(spec: AnalysisSpec, entry: dict) -> dict:
    """Recipe entry → complete options (defaults filled, kinds checked)."""
    if not isinstance(entry, dict):
        raise UserError("error.bad_recipe", detail="analysis entry is not an object")
    known = {o.name for o in spec.options} | set(ENTRY_KEYS)
    unknown = sorted(set(entry) - known)
    if unknown:
        raise UserError("error.unknown_options", analysis=spec.type, options=", ".join(unknown),
                        known=", ".join(o.name for o in spec.options))
    out = {}
    for opt in spec.options:
        value = entry.get(opt.name, opt.default)
        if value is None and opt.required:
            raise UserError("error.missing_option", analysis=spec.type, option=opt.name)
        out[opt.name] = _check(opt, value, spec.type)
    return out


def check_variables(spec: AnalysisSpec, options: dict, dataset: Dataset) -> None:
    """Every variable an option names exists in the dataset."""
    for opt in spec.options:
        v = options.get(opt.name)
        if v is None:
            continue
        if opt.kind == "variable":
            dataset.require(v)
        elif opt.kind == "variables":
            for name in v:
                dataset.require(name)
        elif opt.kind in ("blocks", "pairs"):
            for block in v:
                for name in block:
                    dataset.require(name)


def run(type_: str, dataset: Dataset, entry: dict, progress=None) -> Result:
    """Validate a recipe entry (or options dict) and run its analysis.
    ``progress(fraction)`` is passed on to analyses that report progress."""
    spec = get(type_)
    options = validate(spec, entry)
    check_variables(spec, options, dataset)
    if spec.progress and progress is not None:
        result = spec.run(dataset, options, progress=progress)
    else:
        result = spec.run(dataset, options)
    return _with_row_notes(result, dataset)


def _with_row_notes(result: Result, dataset: Dataset) -> Result:
    """Every analysis says how many rows it used and why others were left out."""
    extra = []
    total = len(dataset.frame)
    if result.n_used < total:
        extra.append(Note("note.rows_dropped", {"total": total, "used": int(result.n_used),
                                                 "dropped": int(total - result.n_used)}))
    for reason, n in dataset.excluded.items():
        extra.append(Note("note.rows_excluded", {"n": n, "reason": reason}))
    if extra:
        result.notes = extra + list(result.notes)
    return result
