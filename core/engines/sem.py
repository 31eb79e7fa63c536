"""A small maximum-likelihood SEM engine that follows lavaan's conventions.

Model syntax (lavaan style, one statement per line or separated by ``;``)::

    visual  =~ x1 + x2 + x3        # latent factor measured by items
    textual ~  visual              # regression
    x1 ~~ x4                       # (residual) covariance
    f =~ NA*x1 + a*x2 + 0.5*x3     # free / labelled (equal when labels repeat) / fixed

Parameterisation as lavaan's ``cfa()``/``sem()`` defaults: the first loading
of each factor fixed to 1 (marker variable); residual variances of observed
variables and (residual) variances of latent variables free; covariances
among exogenous latent factors free; residual covariances among "pure"
endogenous variables (regressed on something, predicting nothing) free;
observed exogenous predictors keep their sample (co)variances (fixed.x: their
(co)variances are estimated — identical to the sample values at the optimum —
but not counted as parameters, and the baseline model leaves them
saturated).

Estimation: normal-theory ML on the covariance matrix with divisor N (lavaan's
``likelihood = "normal"``), F = log|Σ| + tr(SΣ⁻¹) − log|S| − p (+ the mean
term with a mean structure), χ² = Σ_g N_g·F_g; the objective is minimised with
an analytic gradient (RAM formulation, Σ = F(I−A)⁻¹S(I−A)⁻ᵀF′), followed by
Fisher scoring.  Standard errors from the expected information (lavaan's
default for complete data), computed with N.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats

from core.errors import UserError

try:  # installed with scikit-learn; BLAS threads only slow these small matrices down
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as threadpool_limits

_TOKEN = re.compile(r"^[A-Za-z_\u0080-\uffff.][\w.\u0080-\uffff]*$")


# ---- syntax ------------------------------------------------------------------------------
@dataclass
class Stmt:
    lhs: str
    op: str
    rhs: str
    fixed: float | None = None   # numeric modifier
    free: bool = False           # NA* modifier
    label: str | None = None


def parse(text: str) -> list[Stmt]:
    """lavaan-style model text → statements.  UserError on anything it does not understand."""
    if not isinstance(text, str) or not text.strip():
        raise UserError("cfa.error.empty_model")
    out: list[Stmt] = []
    for raw_line in re.split(r"[\n;]", text):
        line = raw_line.split("#", 1)[0].split("!", 1)[0].strip()
        if not line:
            continue
        op = next((o for o in ("=~", "~~", "~") if o in line), None)
        if op is None or line.count(op) != 1 or ":=" in line or "==" in line or "|" in line:
            raise UserError("cfa.error.syntax", line=line[:80])
        left, right = (s.strip() for s in line.split(op))
        if right == "1" or right.startswith("1 ") or re.search(r"(^|\+)\s*1\s*($|\+)", right):
            raise UserError("cfa.error.syntax", line=line[:80])
        lhs_names = [s.strip() for s in left.split("+")]
        if not all(_TOKEN.match(n) for n in lhs_names):
            raise UserError("cfa.error.syntax", line=line[:80])
        for term in right.split("+"):
            term = term.strip()
            fixed, free, label = None, False, None
            if "*" in term:
                mod, name = (s.strip() for s in term.rsplit("*", 1))
                if mod.upper() == "NA":
                    free = True
                else:
                    try:
                        fixed = float(mod)
                    except ValueError:
                        if not _TOKEN.match(mod):
                            raise UserError("cfa.error.syntax", line=line[:80]) from None
                        label = mod
            else:
                name = term
            if not _TOKEN.match(name):
                raise UserError("cfa.error.syntax", line=line[:80])
            for lhs in lhs_names:
                out.append(Stmt(lhs, op, name, fixed, free, label))
    if not out:
        raise UserError("cfa.error.empty_model")
    return out


def model_text(factors: dict[str, list[str]]) -> str:
    return "\n".join(f"{f} =~ " + " + ".join(items) for f, items in factors.items())


# ---- model -------------------------------------------------------------------------------
@dataclass
class Par:
    """One row of the parameter table (per group)."""
    lhs: str
    op: str
    rhs: str
    group: int
    free: int = -1          # index into theta, -1 = fixed
    value: float = 0.0      # fixed value or start
    label: str | None = None
    fixed_x: bool = False   # exogenous covariate (co)variance (not counted)
    user: bool = False


@dataclass
class Spec:
    observed: list[str]
    latent: list[str]
    pars: list[Par]
    n_free: int
    n_groups: int
    meanstructure: bool
    exo_observed: list[str] = field(default_factory=list)

    @property
    def variables(self) -> list[str]:
        return self.observed + self.latent


def build(stmts: list[Stmt], data_columns, n_groups: int = 1, meanstructure: bool = False,
          group_equal: tuple = ()) -> Spec:
    latent = list(dict.fromkeys(s.lhs for s in stmts if s.op == "=~"))
    names_in_order = []
    for s in stmts:
        for n in (s.lhs, s.rhs):
            if n not in names_in_order:
                names_in_order.append(n)
    observed = [n for n in names_in_order if n not in latent]
    cols = set(data_columns)
    missing = [n for n in observed if n not in cols]
    if missing:
        raise UserError("cfa.error.unknown_variable", name=missing[0])
    indicators = {f: [s.rhs for s in stmts if s.op == "=~" and s.lhs == f] for f in latent}
    for f, ind in indicators.items():
        if len(ind) == 1:
            raise UserError("cfa.error.one_indicator", factor=f, item=ind[0])
    reg = [s for s in stmts if s.op == "~"]
    y_names = {s.lhs for s in reg}
    x_names = {s.rhs for s in reg}
    ind_names = {s.rhs for s in stmts if s.op == "=~"}
    # observed exogenous covariates: predictors only (fixed.x)
    exo_obs = [n for n in observed if n in x_names and n not in y_names and n not in ind_names
               and not any(s.op == "~~" and s.lhs != s.rhs and n in (s.lhs, s.rhs) for s in stmts)]
    ind_lat = {s.rhs for s in stmts if s.op == "=~" and s.rhs in latent}   # first-order factors of a higher-order one
    exo_lat = [f for f in latent if f not in y_names and f not in ind_lat]
    pure_y = [n for n in names_in_order if n in y_names and n not in x_names]

    pars: list[Par] = []
    seen = set()

    def add(lhs, op, rhs, g, fixed=None, free=False, label=None, user=False, fixed_x=False):
        key = (lhs, op, rhs, g) if op != "~~" else (min(lhs, rhs), op, max(lhs, rhs), g)
        if key in seen:
            for p in pars:
                pk = (p.lhs, p.op, p.rhs, p.group) if p.op != "~~" else (min(p.lhs, p.rhs), p.op, max(p.lhs, p.rhs), p.group)
                if pk == key and user:
                    p.value = fixed if fixed is not None else p.value
                    p.free = -1 if fixed is not None else 0
                    p.label = label or p.label
                    p.user = True
            return
        seen.add(key)
        pars.append(Par(lhs, op, rhs, g, free=-1 if fixed is not None else 0,
                        value=fixed if fixed is not None else 0.0, label=label, user=user, fixed_x=fixed_x))

    for g in range(n_groups):
        first_done = set()
        for s in stmts:
            if s.op == "=~":
                if s.lhs not in first_done:
                    first_done.add(s.lhs)
                    if s.fixed is None and not s.free:
                        add(s.lhs, "=~", s.rhs, g, fixed=1.0, label=s.label, user=True)
                        continue
                add(s.lhs, "=~", s.rhs, g, fixed=s.fixed, label=s.label, user=True)
        for s in stmts:
            if s.op == "~":
                add(s.lhs, "~", s.rhs, g, fixed=s.fixed, label=s.label, user=True)
        for s in stmts:
            if s.op == "~~":
                add(s.lhs, "~~", s.rhs, g, fixed=s.fixed, label=s.label, user=True)
        for n in observed:
            add(n, "~~", n, g, fixed_x=n in exo_obs)
        for f in latent:
            add(f, "~~", f, g)
        for i, a in enumerate(exo_lat):
            for b in exo_lat[i + 1:]:
                add(a, "~~", b, g)
        for i, a in enumerate(exo_obs):
            for b in exo_obs[i + 1:]:
                add(a, "~~", b, g, fixed_x=True)
        for i, a in enumerate(pure_y):
            for b in pure_y[i + 1:]:
                add(a, "~~", b, g)
        if meanstructure:
            for n in observed:
                add(n, "~1", "", g, fixed_x=n in exo_obs)
            for f in latent:
                add(f, "~1", "", g, fixed=0.0)
    # group.equal: labels shared across groups for loadings / intercepts
    if n_groups > 1:
        if "loadings" in group_equal:
            for p in pars:
                if p.op == "=~" and p.free == 0 and p.label is None:
                    p.label = f".eq.{p.lhs}=~{p.rhs}"
        if "intercepts" in group_equal:
            for p in pars:
                if p.op == "~1" and p.lhs in observed and p.label is None and not p.fixed_x:
                    p.label = f".eq.{p.lhs}~1"
            for p in pars:   # latent means free in groups 2..G
                if p.op == "~1" and p.lhs in latent and p.group > 0:
                    p.free, p.value = 0, 0.0
    # number the free parameters (labels shared)
    idx, by_label = 0, {}
    for p in pars:
        if p.free == -1:
            continue
        if p.label is not None and p.label in by_label:
            p.free = by_label[p.label]
            continue
        p.free = idx
        if p.label is not None:
            by_label[p.label] = idx
        idx += 1
    return Spec(observed, latent, pars, idx, n_groups, meanstructure, exo_obs)


# ---- data per group --------------------------------------------------------------------
@dataclass
class GroupData:
    n: int
    cov: np.ndarray     # divisor N
    mean: np.ndarray
    logdet: float


SINGULAR_TOL = 1e-10   # smallest / largest eigenvalue of the sample covariance


def group_data(x: np.ndarray) -> GroupData:
    n = x.shape[0]
    mean = x.mean(axis=0)
    xc = x - mean
    cov = xc.T @ xc / n
    # singular when the smallest eigenvalue is zero to rounding (a total score among its items): the
    # sign of a determinant that is zero to rounding depends on the BLAS kernel, a relative bound does not
    ev = np.linalg.eigvalsh(cov) if np.isfinite(cov).all() else np.array([np.nan])
    if not np.isfinite(ev).all() or ev[0] <= SINGULAR_TOL * max(ev[-1], 0.0):
        raise UserError("cfa.error.singular")
    return GroupData(n, cov, mean, float(np.log(ev).sum()))


# ---- the fitter -----------------------------------------------------------------------------
class Fit:
    def __init__(self, spec: Spec, groups: list[GroupData]):
        self.spec, self.groups = spec, groups
        self.p = len(spec.observed)
        self.m = len(spec.variables)
        self.idx = {v: i for i, v in enumerate(spec.variables)}
        self.N = sum(g.n for g in groups)
        # slots per group: arrays (free index, i, j) for A, S and M
        self._slots = []
        self._fixed = []
        for g in range(spec.n_groups):
            a_s, s_s, m_s = [], [], []
            A0 = np.zeros((self.m, self.m))
            S0 = np.zeros((self.m, self.m))
            M0 = np.zeros(self.m)
            for p in spec.pars:
                if p.group != g:
                    continue
                kind, i, j = self._slot(p)
                if p.free < 0:
                    if kind == "A":
                        A0[i, j] = p.value
                    elif kind == "S":
                        S0[i, j] = S0[j, i] = p.value
                    else:
                        M0[i] = p.value
                else:
                    (a_s if kind == "A" else s_s if kind == "S" else m_s).append((p.free, i, j))
            self._slots.append(tuple(np.array(v, dtype=int).reshape(-1, 3) for v in (a_s, s_s, m_s)))
            self._fixed.append((A0, S0, M0))
        self.ms = spec.meanstructure

    def _slot(self, p: Par):
        if p.op == "=~":
            return "A", self.idx[p.rhs], self.idx[p.lhs]
        if p.op == "~":
            return "A", self.idx[p.lhs], self.idx[p.rhs]
        if p.op == "~~":
            return "S", self.idx[p.lhs], self.idx[p.rhs]
        return "M", self.idx[p.lhs], 0

    def matrices(self, theta, g):
        A0, S0, M0 = self._fixed[g]
        sa, ss, sm = self._slots[g]
        A, S, M = A0.copy(), S0.copy(), M0.copy()
        if len(sa):
            A[sa[:, 1], sa[:, 2]] = theta[sa[:, 0]]
        if len(ss):
            S[ss[:, 1], ss[:, 2]] = theta[ss[:, 0]]
            S[ss[:, 2], ss[:, 1]] = theta[ss[:, 0]]
        if len(sm):
            M[sm[:, 1]] = theta[sm[:, 0]]
        return A, S, M

    def implied(self, theta, g):
        A, S, M = self.matrices(theta, g)
        B = np.linalg.inv(np.eye(self.m) - A)
        G = B[: self.p]
        sigma = G @ S @ G.T
        mu = G @ M
        return sigma, mu, A, S, M, B, G

    # F_ML summed over groups with weights N_g / N; returns (f, grad)
    def objective(self, theta, want_grad=True):
        f = 0.0
        grad = np.zeros(self.spec.n_free)
        for g, gd in enumerate(self.groups):
            sigma, mu, A, S, M, B, G = self.implied(theta, g)
            try:
                c = np.linalg.cholesky(sigma)
                si = np.linalg.inv(sigma)   # a numerically singular trial point is just a bad step
            except np.linalg.LinAlgError:
                return (np.inf, grad) if want_grad else np.inf
            logdet = 2 * np.log(np.diag(c)).sum()
            fg = logdet + np.sum(gd.cov * si) - gd.logdet - self.p
            d = gd.mean - mu
            if self.ms:
                sid = si @ d
                fg += d @ sid
            w = gd.n / self.N
            f += w * fg
            if not want_grad:
                continue
            extra = gd.cov + (np.outer(d, d) if self.ms else 0.0)
            W = si - si @ extra @ si
            GW = G.T @ W
            K = G @ S @ B.T
            gA = 2 * GW @ K
            gS = GW @ G
            sa, ss, sm = self._slots[g]
            if self.ms:
                u = G.T @ sid
                gA = gA - 2 * np.outer(u, B @ M)
                gM = -2 * u
            if len(sa):
                np.add.at(grad, sa[:, 0], w * gA[sa[:, 1], sa[:, 2]])
            if len(ss):
                mult = np.where(ss[:, 1] == ss[:, 2], 1.0, 2.0)
                np.add.at(grad, ss[:, 0], w * mult * gS[ss[:, 1], ss[:, 2]])
            if len(sm) and self.ms:
                np.add.at(grad, sm[:, 0], w * gM[sm[:, 1]])
        return (f, grad) if want_grad else f

    def _slot_table(self, g):
        """Per group: parameter index, the two columns of U = [G | K] whose
        symmetric outer product is the slot's dΣ, and its coefficient."""
        if not hasattr(self, "_slot_cache"):
            self._slot_cache = {}
        if g not in self._slot_cache:
            sa, ss, sm = self._slots[g]
            t = np.concatenate([sa[:, 0], ss[:, 0]]).astype(int)
            a = np.concatenate([sa[:, 1], ss[:, 1]]).astype(int)
            b = np.concatenate([self.m + sa[:, 2], ss[:, 2]]).astype(int)
            c = np.concatenate([np.ones(len(sa)), np.where(ss[:, 1] == ss[:, 2], 0.5, 1.0)])
            E = np.zeros((self.spec.n_free, len(t)))
            E[t, np.arange(len(t))] = 1.0
            self._slot_cache[g] = (a, b, c, E)
        return self._slot_cache[g]

    def information(self, theta):
        """Expected information per observation (Σ_g N_g/N · I_g).

        Every dΣ/dθ_k is a sum of symmetric rank-two terms c(ab′ + ba′) with
        a, b columns of U = [F(I−A)⁻¹ | FΣ_full], so ½tr(Σ⁻¹dΣ_kΣ⁻¹dΣ_l)
        reduces to products of entries of Q = U′Σ⁻¹U (no p × p work per
        parameter)."""
        k = self.spec.n_free
        info = np.zeros((k, k))
        for g, gd in enumerate(self.groups):
            sigma, mu, A, S, M, B, G = self.implied(theta, g)
            si = np.linalg.inv(sigma)
            K = G @ S @ B.T
            U = np.hstack([G, K])
            Q = U.T @ si @ U
            a, b, c, E = self._slot_table(g)
            Qaa, Qbb, Qab = Q[np.ix_(a, a)], Q[np.ix_(b, b)], Q[np.ix_(a, b)]
            islot = (Qaa * Qbb + Qab * Qab.T) * np.outer(c, c)
            ig = E @ islot @ E.T
            if self.ms:
                sa, ss, sm = self._slots[g]
                BM = B @ M
                dm = np.zeros((k, self.p))
                if len(sa):
                    np.add.at(dm, sa[:, 0], (G[:, sa[:, 1]] * BM[sa[:, 2]]).T)
                if len(sm):
                    np.add.at(dm, sm[:, 0], G[:, sm[:, 1]].T)
                ig += dm @ si @ dm.T
            info += gd.n / self.N * ig
        return info

    def _scoring(self, theta, max_iter=200):
        """Fisher scoring with step halving; returns (theta, f, grad, ok)."""
        f, g = self.objective(theta)
        if not np.isfinite(f):
            return theta, f, g, False
        for _ in range(max_iter):
            if np.max(np.abs(g)) < 1e-10:
                return theta, f, g, True
            try:
                step = np.linalg.solve(self.information(theta), g / 2)
            except np.linalg.LinAlgError:
                return theta, f, g, False
            if not np.all(np.isfinite(step)):
                return theta, f, g, False
            t = 1.0
            for _h in range(40):
                cand = theta - t * step
                fc, gc = self.objective(cand)
                if np.isfinite(fc) and fc <= f + 1e-13 * max(1.0, abs(f)):
                    break
                t /= 2
            else:
                return theta, f, g, np.max(np.abs(g)) < 1e-6
            small = abs(f - fc) < 1e-15 and np.max(np.abs(t * step)) < 1e-12
            theta, f, g = cand, fc, gc
            if small:
                break
        return theta, f, g, np.max(np.abs(g)) < 1e-6

    def fit(self, theta0):
        theta, f, g, ok = self._scoring(np.asarray(theta0, dtype=float))
        if not ok:   # fall back to a quasi-Newton search, then polish
            res = optimize.minimize(lambda th: self.objective(th), theta0, jac=True, method="L-BFGS-B",
                                    options={"maxiter": 5000, "maxfun": 20000, "ftol": 1e-14, "gtol": 1e-8})
            theta, f, g, ok = self._scoring(res.x, 50)
        self.theta, self.fmin, self.grad = theta, f, g
        self.converged = bool(np.isfinite(f) and np.max(np.abs(g)) < 1e-5)
        return theta


# ---- starting values -----------------------------------------------------------------------
def start_values(spec: Spec, groups: list[GroupData]) -> np.ndarray:
    theta = np.zeros(spec.n_free)
    obs_idx = {v: i for i, v in enumerate(spec.observed)}
    count = np.zeros(spec.n_free)
    for g, gd in enumerate(groups):
        s = gd.cov
        lam, lvar = {}, {}
        for f in spec.latent:
            ind = [p for p in spec.pars if p.group == g and p.op == "=~" and p.lhs == f]
            obs = [p.rhs for p in ind if p.rhs in obs_idx]
            if len(obs) >= 2 and len(obs) == len(ind):
                ii = [obs_idx[o] for o in obs]
                sub = s[np.ix_(ii, ii)]
                w, v = np.linalg.eigh(sub)
                vec = v[:, -1] * math.sqrt(max(w[-1], 1e-6))
                marker = next((k for k, p in enumerate(ind) if p.free < 0 and p.value != 0), 0)
                scale = vec[marker] / (ind[marker].value if ind[marker].free < 0 else 1.0)
                if abs(scale) < 1e-8:
                    scale = 1.0
                for k, p in enumerate(ind):
                    lam[(f, p.rhs)] = vec[k] / scale
                lvar[f] = scale ** 2
            else:
                for p in ind:
                    lam[(f, p.rhs)] = 1.0
                lvar[f] = 0.05
        for p in spec.pars:
            if p.group != g or p.free < 0:
                continue
            if p.op == "=~":
                val = lam.get((p.lhs, p.rhs), 1.0)
            elif p.op == "~~" and p.lhs == p.rhs:
                if p.lhs in obs_idx:
                    i = obs_idx[p.lhs]
                    val = s[i, i] if p.fixed_x else 0.5 * s[i, i]
                else:
                    exo = not any(q.op == "~" and q.lhs == p.lhs for q in spec.pars)
                    val = lvar.get(p.lhs, 0.05) if exo else 0.5 * lvar.get(p.lhs, 0.1)
            elif p.op == "~~" and p.fixed_x and p.lhs in obs_idx and p.rhs in obs_idx:
                val = s[obs_idx[p.lhs], obs_idx[p.rhs]]
            elif p.op == "~1" and p.lhs in obs_idx:
                val = gd.mean[obs_idx[p.lhs]]
            else:
                val = 0.0
            theta[p.free] += val
            count[p.free] += 1
    return theta / np.maximum(count, 1)


# ---- results --------------------------------------------------------------------------------
def fit_model(spec: Spec, groups: list[GroupData]) -> Fit:
    with threadpool_limits(1):
        return _fit_model(spec, groups)


def _fit_model(spec: Spec, groups: list[GroupData]) -> Fit:
    fitter = Fit(spec, groups)
    theta0 = start_values(spec, groups)
    if not np.isfinite(fitter.objective(theta0, want_grad=False)):
        # fall back to a guaranteed positive-definite start
        for p in spec.pars:
            if p.free >= 0 and p.op != "~1" and not (p.op == "~~" and p.lhs == p.rhs):
                theta0[p.free] = 0.0 if p.op != "=~" else 1.0
    fitter.fit(theta0)
    return fitter


def n_counted(spec: Spec) -> int:
    """Free parameters as lavaan counts them (exogenous covariates' (co)variances and means left out)."""
    fx = {p.free for p in spec.pars if p.free >= 0 and p.fixed_x}
    return spec.n_free - len(fx)


def moments(spec: Spec) -> int:
    p = len(spec.observed)
    q = len(spec.exo_observed)
    per = p * (p + 1) // 2 + (p if spec.meanstructure else 0) - (q * (q + 1) // 2 + (q if spec.meanstructure else 0))
    return per * spec.n_groups


def baseline_chi2(spec: Spec, groups: list[GroupData]) -> tuple[float, int]:
    """Independence model (exogenous covariates saturated), as lavaan."""
    exo = [spec.observed.index(v) for v in spec.exo_observed]
    rest = [i for i in range(len(spec.observed)) if i not in exo]
    chi2 = 0.0
    for gd in groups:
        s = gd.cov
        fb = np.sum(np.log(np.diag(s)[rest])) - gd.logdet
        if exo:
            fb += np.linalg.slogdet(s[np.ix_(exo, exo)])[1]
        chi2 += gd.n * fb
    p, q = len(spec.observed), len(exo)
    df = (p * (p - 1) // 2 - q * (q - 1) // 2) * spec.n_groups
    return float(chi2), int(df)


def rmsea_ci(x2: float, df: int, n: int, g: int = 1) -> tuple[float, float]:
    if df < 1:
        return 0.0, 0.0

    def lower(lam):
        return stats.ncx2.cdf(x2, df, lam) - 0.95 if lam > 0 else stats.chi2.cdf(x2, df) - 0.95

    def upper(lam):
        return stats.ncx2.cdf(x2, df, lam) - 0.05 if lam > 0 else stats.chi2.cdf(x2, df) - 0.05

    lo = 0.0
    if lower(0) >= 0:
        lo_l = optimize.brentq(lower, 0, max(x2, 1e-8), xtol=1e-12)
        lo = math.sqrt(lo_l / (n * df))
    hi = 0.0
    n_r = max(n, x2 * 4)
    if not (upper(n_r) > 0 or upper(0) < 0):
        hi_l = optimize.brentq(upper, 0, n_r, xtol=1e-12)
        hi = math.sqrt(hi_l / (n * df))
    return lo * math.sqrt(g), hi * math.sqrt(g)


def fit_measures(fit: Fit) -> dict:
    spec, groups = fit.spec, fit.groups
    N, G = fit.N, spec.n_groups
    chi2 = float(N * fit.fmin)
    npar = n_counted(spec)
    df = moments(spec) - npar
    pval = float(stats.chi2.sf(chi2, df)) if df > 0 else float("nan")
    b_chi2, b_df = baseline_chi2(spec, groups)
    logl = 0.0
    srmr_w = gfi_w = 0.0
    p = fit.p
    exo = [spec.observed.index(v) for v in spec.exo_observed]
    for g, gd in enumerate(groups):
        sigma, mu, *_ = fit.implied(fit.theta, g)
        si = np.linalg.inv(sigma)
        d = gd.mean - mu if spec.meanstructure else np.zeros(p)
        logl += -gd.n / 2 * (p * math.log(2 * math.pi) + np.linalg.slogdet(sigma)[1] + np.sum(gd.cov * si) + d @ si @ d)
        if exo:   # fixed.x: lavaan's logL is conditional on the covariates (their saturated part removed)
            q = len(exo)
            logl -= -gd.n / 2 * (q * math.log(2 * math.pi) + np.linalg.slogdet(gd.cov[np.ix_(exo, exo)])[1] + q)
        sd = 1 / np.sqrt(np.diag(gd.cov))
        res = (gd.cov - sigma) * sd[:, None] * sd[None, :]
        tri = res[np.tril_indices(p)]
        e = p * (p + 1) / 2
        ss = float(np.sum(tri ** 2))
        if spec.meanstructure:
            ss += float(np.sum((d * sd) ** 2))
            e += p
        srmr_w += gd.n / N * math.sqrt(ss / e)
        # GFI (lavaan): 1 − e′We / s′Ws with the ML weight Σ⁻¹
        a = si @ (gd.cov - sigma)
        s_obs = gd.cov
        if exo:   # lavaan (fixed.x): the covariates' own (co)variances carry no weight
            s_obs = s_obs.copy()
            s_obs[np.ix_(exo, exo)] = 0.0
        b = si @ s_obs
        num = 0.5 * np.sum(a * a.T)
        den = 0.5 * np.sum(b * b.T)
        if spec.meanstructure:   # mean part of the ML weight matrix: Σ⁻¹ (cov part: ½ D′(Σ⁻¹⊗Σ⁻¹)D)
            num += float(d @ si @ d)
            den += float(gd.mean @ si @ gd.mean)
        gfi_w += gd.n / N * (1 - num / den)
    n_el = (p * (p + 1) // 2 + (p if spec.meanstructure else 0)) * G   # lavaan's AGFI: every sample moment
    rmsea = math.sqrt(max((chi2 / N) / df - 1 / N, 0.0)) * math.sqrt(G) if df > 0 else 0.0
    lo, hi = rmsea_ci(chi2, df, N, G) if df > 0 else (float("nan"), float("nan"))
    cfi_num = max(chi2 - df, 0.0)
    cfi_den = max(chi2 - df, b_chi2 - b_df, 0.0)
    out = {
        "chi2": chi2, "df": int(df), "p": pval, "chi2_df": chi2 / df if df > 0 else float("nan"),
        "cfi": 1 - cfi_num / cfi_den if cfi_den > 0 else 1.0,
        "tli": ((b_chi2 / b_df) - (chi2 / df)) / ((b_chi2 / b_df) - 1) if df > 0 and b_df > 0 else float("nan"),
        "rmsea": rmsea, "rmsea_ci_low": lo, "rmsea_ci_high": hi,
        "srmr": srmr_w, "gfi": gfi_w,
        "agfi": 1 - (n_el / df) * (1 - gfi_w) if df > 0 else float("nan"),
        "nfi": (b_chi2 - chi2) / b_chi2 if b_chi2 > 0 else float("nan"),
        "ifi": (b_chi2 - chi2) / (b_chi2 - df) if b_chi2 != df else float("nan"),
        "aic": -2 * logl + 2 * npar, "bic": -2 * logl + npar * math.log(N),
        "logl": logl, "npar": npar, "n": N, "baseline_chi2": b_chi2, "baseline_df": b_df,
    }
    return out


def estimates(fit: Fit) -> list[dict]:
    """Parameter table rows: group, lhs, op, rhs, label, free, estimate, se, z, p, std_estimate."""
    with threadpool_limits(1):
        return _estimates(fit)


def _estimates(fit: Fit) -> list[dict]:
    spec = fit.spec
    theta = fit.theta
    try:
        info = fit.information(theta)
        vcov = np.linalg.inv(info) / fit.N
        se_all = np.sqrt(np.clip(np.diag(vcov), 0, None))
        if not np.all(np.isfinite(se_all)):
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        se_all = np.full(spec.n_free, np.nan)
    rows = []
    idx = fit.idx
    for g in range(spec.n_groups):
        A, S, M = fit.matrices(theta, g)
        B = np.linalg.inv(np.eye(fit.m) - A)
        C = B @ S @ B.T
        var = np.diag(C)
        sd = np.sqrt(np.where(var > 0, var, np.nan))
        for p in spec.pars:
            if p.group != g:
                continue
            if p.op == "=~":
                est = A[idx[p.rhs], idx[p.lhs]]
                std = est * sd[idx[p.lhs]] / sd[idx[p.rhs]]
            elif p.op == "~":
                est = A[idx[p.lhs], idx[p.rhs]]
                std = est * sd[idx[p.rhs]] / sd[idx[p.lhs]]
            elif p.op == "~~":
                i, j = idx[p.lhs], idx[p.rhs]
                est = S[i, j]
                if i == j:
                    std = est / var[i] if var[i] > 0 else float("nan")
                else:
                    den = S[i, i] * S[j, j]
                    std = est / math.sqrt(den) if den > 0 else float("nan")
            else:
                i = idx[p.lhs]
                est = M[i]
                std = est / sd[i] if sd[i] > 0 else float("nan")
            if p.free >= 0 and not p.fixed_x:
                se = float(se_all[p.free])
                z = est / se if se > 0 else float("nan")
                pv = float(2 * stats.norm.sf(abs(z))) if np.isfinite(z) else float("nan")
            else:
                se = z = pv = float("nan")
            rows.append({"group": g, "lhs": p.lhs, "op": p.op, "rhs": p.rhs, "label": p.label or "",
                         "free": p.free >= 0 and not p.fixed_x, "estimate": float(est), "se": se, "z": z,
                         "p": pv, "std_estimate": float(std)})
    order = {"=~": 0, "~": 1, "~~": 2, "~1": 3}
    rows.sort(key=lambda r: (r["group"], order[r["op"]]))
    return rows


def implied_total_var(fit: Fit, g: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    A, S, M = fit.matrices(fit.theta, g)
    B = np.linalg.inv(np.eye(fit.m) - A)
    return A, S, B @ S @ B.T
