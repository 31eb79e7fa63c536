"""Effects as linear forms in an equation's coefficients.

The effect of a focal variable (one of its columns) in an equation, at given
moderator values, is the partial derivative of the equation with respect to
that column: ``L·b`` with ``L[c] = Π(other components of column c)`` for every
column containing the focal column, 0 elsewhere.  Its SE is ``√(L V L')``.
An indirect effect is a product of such forms along a path X → M… → Y; the
index of moderated mediation is the same product with the moderated link's
form replaced by its slope in W (exact because every link is linear in W).
A :class:`Stat` is a sum of such products, evaluated at once for the point
estimates and for every bootstrap resample.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from scipy import special

from core.engines.process.design import Equation, Model


def link_form(model: Model, eq: Equation, focal: str, j: int, point: dict) -> np.ndarray:
    """L for the effect of column ``j`` of role ``focal`` in ``eq`` at ``point``
    (role → vector of that role's column values)."""
    L = np.zeros(len(eq.cols))
    for pos, ci in enumerate(eq.cols):
        comp = model.columns[ci].comp
        if (focal, j) not in comp:
            continue
        w = 1.0
        for r, jj in comp:
            if r == focal:
                continue
            if r not in point:
                raise KeyError(f"no value for {r}")
            w *= float(point[r][jj])
        L[pos] = w
    return L


def link_moderators(model: Model, eq: Equation, focal: str) -> list[str]:
    """Moderator roles the focal's effect in ``eq`` depends on."""
    out = []
    for ci in eq.cols:
        comp = model.columns[ci].comp
        roles = [r for r, _ in comp]
        if focal in roles:
            out += [r for r in roles if r != focal and r in ("W", "Z")]
    return sorted(set(out), key=("W", "Z").index)


def paths(model: Model) -> list[list[str]]:
    """Indirect paths X → … → Y (role sequences)."""
    ms = model.mediators
    if model.tpl.mediators == "serial":
        out = []
        for k in range(1, len(ms) + 1):
            for combo in combinations(ms, k):
                out.append(["X", *combo, "Y"])
        return out
    return [["X", m, "Y"] for m in ms]


def link_eq(model: Model, to_role: str) -> Equation:
    return model.eq(to_role)


@dataclass
class Stat:
    """Σ coef · Π (b_eq · L) × scale; scale "" | "complete" (·SDx/SDy) | "partial" (/SDy)."""
    terms: list = field(default_factory=list)    # [(coef, [(eq role, L), ...]), ...]
    scale: str = ""

    def __sub__(self, other: "Stat") -> "Stat":
        return Stat(self.terms + [(-c, f) for c, f in other.terms], self.scale)


def product_stat(model: Model, path: list[str], xcol: int, point: dict, slope_in: str | None = None) -> Stat:
    """The indirect effect along ``path`` at ``point``; with ``slope_in`` = a
    moderator role, the derivative of that effect in the moderator (index)."""
    factors = []
    for a, b in zip(path[:-1], path[1:]):
        eq = link_eq(model, b)
        j = xcol if a == "X" else 0
        L = link_form(model, eq, a, j, point)
        if slope_in and slope_in in link_moderators(model, eq, a):
            p1 = dict(point)
            p1[slope_in] = np.asarray(point[slope_in]) + 1.0
            L = link_form(model, eq, a, j, p1) - L
        factors.append((eq.outcome_role, L))
    return Stat([(1.0, factors)])


def evaluate(stat_list: list[Stat], coefs: dict, sds: dict | None = None) -> np.ndarray:
    """(B, K) values of the statistics; ``coefs[eq role]`` is (B, p)."""
    B = next(iter(coefs.values())).shape[0]
    out = np.empty((B, len(stat_list)))
    cache: dict = {}
    for k, st in enumerate(stat_list):
        tot = np.zeros(B)
        for coef, factors in st.terms:
            prod = np.full(B, coef)
            for role, L in factors:
                key = (role, L.tobytes())
                if key not in cache:
                    cache[key] = coefs[role] @ L
                prod = prod * cache[key]
            tot += prod
        if st.scale == "complete":
            tot = tot * sds["X"] / sds["Y"]
        elif st.scale == "partial":
            tot = tot / sds["Y"]
        out[:, k] = tot
    return out


def t_crit(df: int, conf: float) -> float:
    """Two-sided critical t for a conf% interval."""
    return float(special.stdtrit(df, 0.5 + conf / 200.0))


def linear_effect(L: np.ndarray, b: np.ndarray, V: np.ndarray, df: int, conf: float) -> dict:
    est = float(L @ b)
    se = float(np.sqrt(max(L @ V @ L, 0.0)))
    t = est / se if se > 0 else np.nan
    p = float(2.0 * special.stdtr(df, -abs(t))) if se > 0 else np.nan
    tc = t_crit(df, conf)
    return {"effect": est, "se": se, "t": t, "p": p, "ci_low": est - tc * se, "ci_high": est + tc * se}


def johnson_neyman(L0: np.ndarray, L1: np.ndarray, b: np.ndarray, V: np.ndarray, df: int, conf: float,
                   lo: float, hi: float) -> list[float]:
    """Moderator values within [lo, hi] where the effect L0·b + w·L1·b is just
    significant: roots of (a + c·w)² = t²·(v00 + 2·w·v01 + w²·v11)."""
    tc = t_crit(df, conf)
    a, c = float(L0 @ b), float(L1 @ b)
    v00, v01, v11 = float(L0 @ V @ L0), float(L0 @ V @ L1), float(L1 @ V @ L1)
    A = c * c - tc * tc * v11
    Bq = 2.0 * (a * c - tc * tc * v01)
    C = a * a - tc * tc * v00
    if abs(A) < 1e-14 * max(1.0, abs(Bq), abs(C)):
        roots = [-C / Bq] if Bq != 0 else []
    else:
        disc = Bq * Bq - 4.0 * A * C
        if disc < 0:
            roots = []
        else:
            s = np.sqrt(disc)
            roots = sorted({(-Bq - s) / (2 * A), (-Bq + s) / (2 * A)})
    return [float(r) for r in roots if lo <= r <= hi]
