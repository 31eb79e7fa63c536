"""PROCESS model numbers as data, the design matcher and diagram data.

A template says which mediator structure a model has and which moderator
moderates which path.  Path codes follow Hayes (2022):

- ``a`` — X → Mi (each mediator), ``b`` — Mi → Y, ``c`` — X → Y (direct),
  ``d`` — Mi → Mj (serial mediators, i < j).

A moderation entry is a tuple of moderator specs: ``"W"`` (two-way product
with W), ``"Z"``, or ``"W*Z"`` (the three-way product with all lower-order
terms, model 3).  Everything else — equations, products, indirect paths,
which effects are conditional — is derived from this table by
:mod:`core.engines.process.design` and :mod:`core.engines.process.effects`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations


@dataclass(frozen=True)
class Template:
    number: int
    mediators: str                 # "none" | "parallel" | "serial"
    min_m: int = 0
    max_m: int = 0
    moderators: tuple = ()         # roles among ("W", "Z") the model needs
    moderated: dict = field(default_factory=dict)   # path code -> tuple of moderator specs
    categorical: tuple = ()        # roles that may be multicategorical


TEMPLATES: dict[int, Template] = {t.number: t for t in (
    Template(1, "none", moderators=("W",), moderated={"c": ("W",)}, categorical=("X", "W")),
    Template(2, "none", moderators=("W", "Z"), moderated={"c": ("W", "Z")}),
    Template(3, "none", moderators=("W", "Z"), moderated={"c": ("W*Z",)}),
    Template(4, "parallel", 1, 5, categorical=("X",)),
    Template(5, "parallel", 1, 5, moderators=("W",), moderated={"c": ("W",)}),
    Template(6, "serial", 2, 4),
    Template(7, "parallel", 1, 5, moderators=("W",), moderated={"a": ("W",)}),
    Template(8, "parallel", 1, 5, moderators=("W",), moderated={"a": ("W",), "c": ("W",)}),
    Template(14, "parallel", 1, 5, moderators=("W",), moderated={"b": ("W",)}),
    Template(15, "parallel", 1, 5, moderators=("W",), moderated={"b": ("W",), "c": ("W",)}),
    Template(58, "parallel", 1, 5, moderators=("W",), moderated={"a": ("W",), "b": ("W",)}),
    Template(59, "parallel", 1, 5, moderators=("W",), moderated={"a": ("W",), "b": ("W",), "c": ("W",)}),
)}

MODEL_NUMBERS = tuple(sorted(TEMPLATES))


def template(number: int) -> Template:
    return TEMPLATES[int(number)]


# ---- describe the design -> model number ---------------------------------
def signature(t: Template) -> tuple:
    """What identifies a template: mediator structure plus moderated paths."""
    has_m = t.mediators != "none"
    return ("serial" if t.mediators == "serial" else "parallel" if has_m else "none",
            tuple(sorted((p, tuple(sorted(m))) for p, m in t.moderated.items())))


def match_design(mediators: str = "parallel", moderated: dict | None = None) -> int | None:
    """The PROCESS model number of a described design, or None.

    ``mediators``: "none" (moderation only), "parallel" (one or more mediators
    side by side; one mediator is "parallel" too) or "serial".
    ``moderated``: path code -> moderator spec(s), e.g. ``{"a": "W"}`` for "W
    moderates the X→M path", ``{"c": ["W", "Z"]}`` for model 2 or
    ``{"c": "W*Z"}`` for model 3.  Paths not named are unmoderated.
    """
    mods = {}
    for p, m in (moderated or {}).items():
        if not m:
            continue
        m = (m,) if isinstance(m, str) else tuple(m)
        mods[p] = tuple(sorted(m))
    key = (mediators, tuple(sorted(mods.items())))
    for num, t in TEMPLATES.items():
        if signature(t) == key:
            return num
    return None


# ---- diagram data ---------------------------------------------------------
def conceptual(number: int, n_mediators: int | None = None) -> dict:
    """Nodes and edges of the conceptual diagram of a model number.

    Returns ``{"nodes": [role, ...], "edges": [(from, to), ...],
    "moderations": [(moderator, (from, to)), ...]}`` with roles X, M1…Mk, W,
    Z, Y; a moderation arrow points at the middle of the edge it moderates
    (for model 3, Z moderates the W → (X→Y) moderation).
    """
    t = template(number)
    k = n_mediators if n_mediators else (t.min_m if t.mediators == "serial" else min(1, t.max_m))
    k = max(t.min_m, min(k, t.max_m)) if t.max_m else 0
    ms = [f"M{i}" for i in range(1, k + 1)]
    nodes = ["X", *ms, *t.moderators, "Y"]
    edges = [("X", "Y")] + [("X", m) for m in ms] + [(m, "Y") for m in ms]
    if t.mediators == "serial":
        edges += [(a, b) for a, b in combinations(ms, 2)]
    moderations = []
    for path, specs in t.moderated.items():
        targets = {"c": [("X", "Y")], "a": [("X", m) for m in ms], "b": [(m, "Y") for m in ms]}[path]
        for spec in specs:
            for edge in targets:
                if spec == "W*Z":
                    moderations.append(("W", edge))
                    moderations.append(("Z", ("W", edge)))
                else:
                    moderations.append((spec, edge))
    return {"nodes": nodes, "edges": edges, "moderations": moderations}
