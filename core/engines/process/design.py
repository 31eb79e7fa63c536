"""From a Dataset and the ``process`` options to numeric equations.

Steps, in order (each one a PROCESS convention unless stated):

1. roles: X, M1…Mk, W, Z, Y and covariates must be distinct variables; Y and
   the mediators must be numeric and not categorical (a two-valued Y would
   need logistic regression, which this engine does not fit);
2. listwise deletion over every variable the model uses;
3. multicategorical X or W (models 1 and 4): indicator coding with the
   chosen reference level, indicators named ``var[level]``;
4. mean-centring (option ``center``): ``all`` centres every variable that
   forms a product (indicators and dichotomous ones included), ``continuous``
   only those with more than two distinct values; the centred variable is used
   in every equation (PROCESS ``center=1`` / ``center=2``);
5. equations from the template: each mediator on X (and earlier mediators in
   serial models), Y on X and every mediator, the products the template
   names, covariates where ``covariates_in`` puts them; the total-effect
   model (Y on X and covariates) for models 4 and 6.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

import numpy as np

from core.engines import ols
from core.data.model import Dataset, code_text, json_code
from core.errors import UserError
from core.stats import distinct_upto
from core.engines.process.templates import Template, template

ROLE_ORDER = ("X", "M1", "M2", "M3", "M4", "M5", "W", "Z")


@dataclass
class DesignColumn:
    name: str                 # "RP", "RP*EMC", "protest[1]*sexism", "constant", a covariate
    comp: tuple               # ((role, indicator index), ...); () for the constant; (("cov", name),)
    values: np.ndarray


@dataclass
class Equation:
    outcome_role: str         # "M1", …, "Y", or "Ytotal" (total-effect model)
    outcome: str              # variable name of the outcome
    label: str                # label used in tables (the outcome's name; "Y (total)" for the total model)
    cols: list[int]           # indexes into Model.columns (constant first)
    y: int                    # index of the outcome column in Model.columns
    terms: list[tuple]        # role tuples, one per term (covariates excluded)
    tests: list[tuple]        # (test name, [positions within cols]) highest-order interactions


@dataclass
class Role:
    role: str
    var: str
    kind: str                 # "continuous" | "dichotomous" | "categorical"
    colnames: list[str]       # one per column (k−1 indicators when categorical)
    values: np.ndarray        # n × k (centred when asked)
    levels: list = field(default_factory=list)      # categorical: level codes, reference first
    mean_shift: np.ndarray | None = None            # what was subtracted (centring)


@dataclass
class Model:
    number: int
    tpl: Template
    roles: dict[str, Role]
    mediators: list[str]                       # ["M1", …]
    covariates: list[str]
    columns: list[DesignColumn]
    equations: list[Equation]
    n: int
    rows: np.ndarray                           # dataset index of the rows used
    dropped: int
    centred: list[str]                         # variable names that were centred
    sd: dict[str, float]                       # sample SD of X and Y (standardized effects)
    cross: ols.Cross                           # the columns after the constant, centred, and their cross-products

    def col_index(self, name: str) -> int:
        for i, c in enumerate(self.columns):
            if c.name == name:
                return i
        raise KeyError(name)

    def matrix(self) -> np.ndarray:
        return np.column_stack([c.values for c in self.columns])

    def fit_columns(self, eq: Equation) -> tuple[list[int], int]:
        """The equation's predictor columns and outcome as indices of ``cross``."""
        return [c - 1 for c in eq.cols[1:]], eq.y - 1

    def eq(self, outcome_role: str) -> Equation:
        for e in self.equations:
            if e.outcome_role == outcome_role:
                return e
        raise KeyError(outcome_role)

    def var(self, role: str) -> str:
        return self.roles[role].var


def _check_roles(ds: Dataset, tpl: Template, opts: dict) -> tuple[dict, list[str], list[str]]:
    x, y, w, z = opts.get("x"), opts.get("y"), opts.get("w"), opts.get("z")
    ms = list(opts.get("m") or [])
    covs = list(opts.get("covariates") or [])
    if not x:
        raise UserError("process.error.need_role", role="X", model=tpl.number)
    if not y:
        raise UserError("process.error.need_role", role="Y", model=tpl.number)
    if tpl.mediators == "none" and ms:
        raise UserError("process.error.no_mediators", model=tpl.number)
    if tpl.mediators != "none" and not (tpl.min_m <= len(ms) <= tpl.max_m):
        raise UserError("process.error.n_mediators", model=tpl.number, min=tpl.min_m, max=tpl.max_m, n=len(ms))
    for role, v in (("W", w), ("Z", z)):
        if role in tpl.moderators and not v:
            raise UserError("process.error.need_role", role=role, model=tpl.number)
        if role not in tpl.moderators and v:
            raise UserError("process.error.unused_moderator", role=role, model=tpl.number)
    roles = {"X": x, **{f"M{i + 1}": m for i, m in enumerate(ms)}}
    for role in tpl.moderators:
        roles[role] = w if role == "W" else z
    roles["Y"] = y
    seen: dict[str, str] = {}
    for role, v in roles.items():
        if v in seen:
            raise UserError("process.error.same_variable", name=v, role1=seen[v], role2=role)
        seen[v] = role
    for c in covs:
        if c in seen:
            raise UserError("process.error.covariate_role", name=c, role=seen[c])
    if len(set(covs)) != len(covs):
        raise UserError("process.error.covariate_twice")
    for v in [*roles.values(), *covs]:
        ds.require(v)
    return roles, ms, covs


def _nominal(ds: Dataset, name: str) -> bool:
    m = ds.meta.get(name)
    return bool(m and m.measure == "nominal")


def build(ds: Dataset, opts: dict) -> tuple[Model, list]:
    """The compiled model and notes (``(key, kwargs)`` pairs)."""
    number = int(opts["model"])
    tpl = template(number)
    roles_vars, ms, covs = _check_roles(ds, tpl, opts)
    categorical = dict(opts.get("categorical") or {})
    for var in categorical:
        role = next((r for r, v in roles_vars.items() if v == var), None)
        if role is None or role not in tpl.categorical:
            allowed = ", ".join(tpl.categorical) or "—"
            raise UserError("process.error.categorical_role", name=str(var), model=number, allowed=allowed)
    notes: list = []

    # Y and mediators: numeric, continuous
    for role in ["Y", *[f"M{i + 1}" for i in range(len(ms))]]:
        v = roles_vars[role]
        if not ds.is_numeric(v) or _nominal(ds, v):
            raise UserError("process.error.categorical_outcome", name=v, role=role[0])

    # listwise deletion
    frame = ds.frame
    used = list(dict.fromkeys([*roles_vars.values(), *covs]))
    mask = np.ones(len(frame), dtype=bool)
    raw: dict[str, np.ndarray] = {}
    codes: dict[str, tuple] = {}
    for v in used:
        if v in categorical:
            idx, levcodes = ds.group_codes(v)
            codes[v] = (idx, levcodes)
            mask &= idx >= 0
        else:
            a = ds.numeric(v)
            raw[v] = a
            mask &= np.isfinite(a)
    n = int(mask.sum())
    complete = n == len(frame)
    rows = frame.index.to_numpy()[mask]
    dropped = int(len(frame) - n)

    def used_rows(a: np.ndarray) -> np.ndarray:      # no copy when no row is dropped
        return a if complete else a[mask]

    # roles with their columns
    roles: dict[str, Role] = {}
    for role, v in roles_vars.items():
        if v in categorical:
            idx, levcodes = codes[v]
            idx = used_rows(idx)
            present = [j for j in range(len(levcodes)) if np.any(idx == j)]
            if len(present) < 2:
                raise UserError("process.error.constant", name=v)
            ref_code = ds.resolve_level(v, categorical[v]) if categorical[v] not in (None, "") else levcodes[present[0]]
            ref = next((j for j in present if levcodes[j] == ref_code), None)
            if ref is None:
                raise UserError("error.unknown_level", name=v, level=str(categorical[v]))
            others = [j for j in present if j != ref]
            vals = np.column_stack([(idx == j).astype(float) for j in others])
            roles[role] = Role(role, v, "categorical", [f"{v}[{code_text(levcodes[j])}]" for j in others], vals,
                               levels=[json_code(levcodes[j]) for j in [ref, *others]])
        else:
            a = used_rows(raw[v])
            k = distinct_upto(a, 3)
            if k < 2:
                raise UserError("process.error.constant", name=v)
            roles[role] = Role(role, v, "dichotomous" if k == 2 else "continuous", [v], a[:, None])
    if roles["Y"].kind == "dichotomous":
        raise UserError("process.error.categorical_outcome", name=roles["Y"].var, role="Y")
    cov_vals = {}
    for c in covs:
        a = used_rows(raw[c])
        if n and distinct_upto(a, 2) < 2:
            raise UserError("process.error.constant", name=c)
        cov_vals[c] = a

    # equations' terms
    mroles = [f"M{i + 1}" for i in range(len(ms))]

    def expand(focal: str, specs: tuple) -> list[tuple]:
        out = []
        for s in specs:
            if s == "W*Z":
                out += [("W",), ("Z",), (focal, "W"), (focal, "Z"), ("W", "Z"), (focal, "W", "Z")]
            else:
                out += [(s,), (focal, s)]
        return out

    def order(terms: list[tuple]) -> list[tuple]:
        uniq = list(dict.fromkeys(terms))
        return sorted(uniq, key=lambda t: (len(t), uniq.index(t)))

    mod = tpl.moderated
    eq_terms: list[tuple[str, list[tuple]]] = []
    for i, mr in enumerate(mroles):
        terms = [("X",)] + ([(r,) for r in mroles[:i]] if tpl.mediators == "serial" else [])
        terms += expand("X", mod.get("a", ()))
        eq_terms.append((mr, order(terms)))
    yterms = [("X",)] + [(r,) for r in mroles] + expand("X", mod.get("c", ()))
    for r in mroles:
        yterms += expand(r, mod.get("b", ()))
    eq_terms.append(("Y", order(yterms)))
    total_model = tpl.number in (4, 6)
    if total_model:
        eq_terms.append(("Ytotal", [("X",)]))

    # centring
    in_products = {r for _, terms in eq_terms for t in terms if len(t) > 1 for r in t}
    centre = opts.get("center") or "none"
    centred = []
    if centre != "none":
        for r in ROLE_ORDER:
            if r in in_products and r in roles:
                ro = roles[r]
                if centre == "all" or ro.kind == "continuous":
                    shift = ro.values.mean(axis=0)
                    ro.values = ro.values - shift
                    ro.mean_shift = shift
                    centred.append(ro.var)

    # covariates per equation
    where = opts.get("covariates_in") or "all"
    if covs and where == "m" and not mroles:
        raise UserError("process.error.covariates_in_m", model=number)

    def has_covs(outcome_role: str) -> bool:
        if not covs:
            return False
        if where == "all":
            return True
        return (where == "m") == outcome_role.startswith("M")

    # union of design columns
    columns: list[DesignColumn] = [DesignColumn("constant", (), np.ones(n))]
    index: dict[str, int] = {"constant": 0}

    def add(col: DesignColumn) -> int:
        if col.name not in index:
            index[col.name] = len(columns)
            columns.append(col)
        return index[col.name]

    def term_columns(term: tuple) -> list[int]:
        out = []
        for combo in product(*[range(len(roles[r].colnames)) for r in term]):
            vals = roles[term[0]].values[:, combo[0]]
            for r, j in zip(term[1:], combo[1:]):
                vals = vals * roles[r].values[:, j]
            name = "*".join(roles[r].colnames[j] for r, j in zip(term, combo))
            out.append(add(DesignColumn(name, tuple(zip(term, combo)), vals)))
        return out

    equations: list[Equation] = []
    for outcome_role, terms in eq_terms:
        cols = [0]
        term_pos: dict[tuple, list[int]] = {}
        for t in terms:
            ids = term_columns(t)
            term_pos[t] = list(range(len(cols), len(cols) + len(ids)))
            cols += ids
        if has_covs(outcome_role):
            for c in covs:
                cols.append(add(DesignColumn(c, (("cov", c),), cov_vals[c])))
        yrole = "Y" if outcome_role == "Ytotal" else outcome_role
        ro = roles[yrole]
        ycol = add(DesignColumn(f"outcome:{ro.var}", (("outcome", yrole),), ro.values[:, 0]))
        top = max((len(t) for t in terms), default=1)
        tests = [(_term_name(roles, t), term_pos[t]) for t in terms if len(t) > 1 and len(t) == top]
        if len(tests) > 1:
            tests.append(("BOTH" if len(tests) == 2 else "ALL", sorted(p for _, ps in tests for p in ps)))
        label = ro.var if outcome_role != "Ytotal" else f"{ro.var} (total)"
        equations.append(Equation(outcome_role, ro.var, label, cols, ycol, terms, tests))

    need = max(len(e.cols) for e in equations) + 1
    if n < need:
        raise UserError("error.too_few_rows", n=n, need=need)
    cross = ols.cross_columns([c.values for c in columns[1:]])
    m = Model(number, tpl, roles, mroles, covs, columns, equations, n, rows, dropped, centred, {}, cross)
    for e in equations:
        cols, _ = m.fit_columns(e)
        try:
            ols.check_design(cross, cols)
        except (ols.Constant, ols.Collinear):
            raise UserError("process.error.collinear", equation=e.label) from None
    x_sd = cross.x_sd
    m.sd = {"X": float(x_sd[index[roles["X"].colnames[0]] - 1]) if roles["X"].kind != "categorical" else np.nan,
            "Y": float(x_sd[m.eq("Y").y - 1])}
    return m, notes


def _term_name(roles: dict, term: tuple) -> str:
    return "*".join(roles[r].var for r in term)


# ---- moderator values ----------------------------------------------------
def moderator_values(ro: Role, conditioning: str) -> tuple[list[np.ndarray], list, list]:
    """Conditioning values of a moderator role.

    Returns (column vectors to plug in, values/labels to show, notes).
    Continuous: 16th/50th/84th percentiles at p·(n+1) (NumPy "weibull", R
    type 6) or mean − SD, mean, mean + SD (a value outside the observed range
    is replaced by the minimum or maximum, as PROCESS does); dichotomous: its
    two values; categorical: each level (reference first).
    """
    notes = []
    if ro.kind == "categorical":
        k = len(ro.colnames)
        shift = ro.mean_shift if ro.mean_shift is not None else np.zeros(k)
        vecs = [np.zeros(k) - shift] + [np.eye(k)[j] - shift for j in range(k)]
        return vecs, list(ro.levels), notes
    x = ro.values[:, 0]
    if ro.kind == "dichotomous":
        vals = [x.min(), x.max()]
    elif conditioning == "mean_sd":
        m, s = x.mean(), x.std(ddof=1)
        vals = [m - s, m, m + s]
        lo, hi = x.min(), x.max()
        if vals[0] < lo:
            vals[0] = lo
            notes.append(("process.note.sd_below_min", {"name": ro.var}))
        if vals[2] > hi:
            vals[2] = hi
            notes.append(("process.note.sd_above_max", {"name": ro.var}))
    else:
        vals = percentiles(x, [16, 50, 84])
    vals = [float(v) for v in vals]
    return [np.array([v]) for v in vals], vals, notes


def percentiles(x: np.ndarray, qs: list[float]) -> list[float]:
    """``np.percentile(x, qs, method="weibull")`` (R type 6: position
    p·(n+1), linear between order statistics), from one partial sort per
    percentile, each on the part above the previous one, instead of NumPy's
    single call with every order statistic as a pivot (3–10× slower on 10⁶
    values)."""
    a = np.array(x, dtype="float64")
    n = a.size
    out = []
    start = 0
    for q in qs:     # ascending
        p = q / 100.0
        h = n * p + p - 1.0            # NumPy's virtual index, as it computes it
        lo = int(np.floor(h))
        frac = h - lo
        lo = min(max(lo, 0), n - 1)
        if lo >= start:
            a[start:].partition(lo - start)
            start = lo
        v_lo = a[lo]
        v_hi = a[lo + 1:].min() if 0 <= h < n - 1 else v_lo
        diff = v_hi - v_lo           # NumPy's lerp, exactly
        out.append(float(v_hi - diff * (1.0 - frac) if frac >= 0.5 else v_lo + diff * frac))
    return out

