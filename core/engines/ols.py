"""Ordinary least squares from cross-products (NumPy), with the statistics
SPSS REGRESSION and R (``lm``, ``car``, ``sandwich``/``lmtest``) report.

The design is centred once (``Xc = X - mean``), the cross-products
``Xc'Xc`` and ``Xc'y`` are formed once, and every step of a hierarchical
regression is a *prefix* of the columns, so it reuses a slice of them:

* coefficients ``b = (Xc'Xc)^-1 Xc'(y - ȳ)``, intercept ``ȳ - x̄'b`` (the same
  model as ``lm``; centring only improves the conditioning of the normal
  equations);
* classical covariance ``σ² (X'X)^-1`` built from the centred blocks;
* HC3 covariance (MacKinnon & White 1985; ``sandwich::vcovHC(type="HC3")``):
  ``(X'X)^-1 X' diag(e²/(1-h)²) X (X'X)^-1`` with leverages
  ``h_i = 1/n + rowsum((Xc (Xc'Xc)^-1) * Xc)`` — never the n × n hat matrix;
* t tests and CIs on the residual df ``n - k - 1`` (also under HC3, as
  ``lmtest::coeftest`` and SPSS do);
* the model F (classical, or the Wald F of all slopes with the HC3
  covariance, as ``lmtest::waldtest(m, vcov = vcovHC(m, "HC3"))``);
* VIF = diagonal of the inverse correlation matrix of the predictors
  (``car::vif`` for 1-df terms; SPSS's VIF for every dummy);
* Durbin–Watson ``Σ(e_i - e_{i-1})² / Σ e_i²`` in row order.

Memory: besides the caller's ``X`` (which may be centred in place) there is
one n × k float64 work buffer.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from core.stats import f_from_r2

# 1 - R² of a column on the columns before it below this: perfectly collinear.
COLLINEAR_TOL = 1e-10


class Collinear(Exception):
    """Column ``column`` is a linear combination of ``others`` (indices)."""

    def __init__(self, column: int, others: list[int]):
        self.column = column
        self.others = others
        super().__init__(f"column {column} is a linear combination of {others}")


class Constant(Exception):
    """Columns (indices) with zero variance."""

    def __init__(self, columns: list[int]):
        self.columns = columns
        super().__init__(f"constant columns {columns}")


@dataclass
class Cross:
    """The centred design and its cross-products (shared by nested fits)."""

    n: int
    xbar: np.ndarray      # (k,)
    ybar: float
    xc: np.ndarray        # (n, k) centred predictors
    yc: np.ndarray        # (n,) centred outcome
    sxx: np.ndarray       # (k, k) Xc'Xc
    sxy: np.ndarray       # (k,)  Xc'yc
    syy: float

    @property
    def x_sd(self) -> np.ndarray:
        return np.sqrt(np.diag(self.sxx) / (self.n - 1))

    @property
    def y_sd(self) -> float:
        return float(np.sqrt(self.syy / (self.n - 1)))


@dataclass
class Fit:
    """One OLS fit.  Arrays over parameters start with the intercept."""

    n: int
    k: int                     # predictors (without the intercept)
    df_resid: int
    coef: np.ndarray           # (k+1,)
    cov: np.ndarray            # (k+1, k+1) covariance used for inference
    cov_classical: np.ndarray  # (k+1, k+1) σ² (X'X)^-1
    se: np.ndarray
    t: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    sigma2: float
    sse: float
    sst: float
    r2: float
    adj_r2: float
    f: float                   # model F (Wald F under HC3)
    df1: int
    p_f: float
    dw: float
    vif: np.ndarray            # (k,)
    beta: np.ndarray           # (k,) b · sd(x) / sd(y)
    robust: str | None
    resid: np.ndarray | None = None
    hc3_undefined: bool = False  # some leverage h_i = 1: HC3 not defined

    @property
    def t_crit(self) -> float:
        return float(stats.t.ppf(0.975, self.df_resid))


def cross(X: np.ndarray, y: np.ndarray, overwrite: bool = False) -> Cross:
    """Centre the design and form its cross-products once.  ``overwrite``:
    centre ``X`` in place (it becomes the centred design; saves a copy)."""
    X = np.asarray(X, dtype="float64")
    y = np.asarray(y, dtype="float64")
    n = y.shape[0]
    xbar = X.mean(axis=0) if X.shape[1] else np.zeros(0)
    ybar = float(y.mean())
    xc = np.subtract(X, xbar, out=X if overwrite else None)
    yc = y - ybar
    sxx = xc.T @ xc
    sxx = (sxx + sxx.T) / 2.0
    return Cross(n=n, xbar=xbar, ybar=ybar, xc=xc, yc=yc, sxx=sxx, sxy=xc.T @ yc, syy=float(yc @ yc))


def check_design(cr: Cross, tol: float = COLLINEAR_TOL) -> None:
    """Raise :class:`Constant` or :class:`Collinear` (naming the first
    column, in order, that is a linear combination of earlier ones)."""
    d = np.diag(cr.sxx)
    scale = max(1.0, float(np.max(np.abs(cr.xbar)) if cr.xbar.size else 1.0))
    const = [int(j) for j in np.flatnonzero(d <= (1e-13 * scale) ** 2 * cr.n)]
    if const:
        raise Constant(const)
    sd = np.sqrt(d)
    r = cr.sxx / np.outer(sd, sd)
    accepted: list[int] = []
    for j in range(r.shape[0]):
        if accepted:
            rss = r[np.ix_(accepted, accepted)]
            rsj = r[accepted, j]
            c = np.linalg.solve(rss, rsj)
            resid = 1.0 - float(rsj @ c)
        else:
            c, resid = np.zeros(0), 1.0
        if resid < tol:
            big = np.abs(c) > 1e-6 * max(1.0, float(np.max(np.abs(c))))
            raise Collinear(j, [accepted[i] for i in np.flatnonzero(big)])
        accepted.append(j)


def fit(cr: Cross, k: int | None = None, robust: str | None = None, keep_resid: bool = False,
        level: float = 0.95) -> Fit:
    """OLS of y on the first ``k`` centred columns (all when None) plus an
    intercept.  ``robust``: None or "HC3"."""
    k = cr.xc.shape[1] if k is None else k
    n = cr.n
    df = n - k - 1
    xbar = cr.xbar[:k]
    xc = cr.xc[:, :k]
    sxx = cr.sxx[:k, :k]
    sd = np.sqrt(np.diag(sxx))
    if k:
        rinv = np.linalg.inv(sxx / np.outer(sd, sd))
        rinv = (rinv + rinv.T) / 2.0
        sinv = rinv / np.outer(sd, sd)
        b = sinv @ cr.sxy[:k]
        e = cr.yc - xc @ b
        vif = np.diag(rinv).copy()
    else:
        rinv = sinv = np.zeros((0, 0))
        b = np.zeros(0)
        e = cr.yc.copy()
        vif = np.zeros(0)
    a = cr.ybar - float(xbar @ b)
    sse = float(e @ e)
    sst = cr.syy
    sigma2 = sse / df if df > 0 else np.nan
    r2 = 1.0 - sse / sst
    adj_r2 = 1.0 - (1.0 - r2) * (n - 1) / df if df > 0 else np.nan
    dw = float(np.sum(np.diff(e) ** 2) / sse) if sse > 0 else np.nan

    # Covariances in the centred parametrisation θ = (ȳ-level intercept, b),
    # then mapped to (intercept, b) by β = T θ with T = [[1, -x̄'], [0, I]].
    t_map = np.eye(k + 1)
    t_map[0, 1:] = -xbar
    v_theta = np.zeros((k + 1, k + 1))
    v_theta[0, 0] = sigma2 / n
    v_theta[1:, 1:] = sigma2 * sinv
    cov_classical = t_map @ v_theta @ t_map.T
    hc3_undefined = False
    if robust == "HC3":
        if k:
            # one column-major work buffer: Xc (Xc'Xc)^-1, then Xc·|e|/(1-h)
            work = np.empty(xc.shape, order="F")
            np.matmul(xc, sinv, out=work)
            np.multiply(work, xc, out=work)
            h = work.sum(axis=1)
            h += 1.0 / n
        else:
            work = None
            h = np.full(n, 1.0 / n)
        one_minus = 1.0 - h
        hc3_undefined = bool(np.any(one_minus <= 1e-12))
        with np.errstate(divide="ignore", invalid="ignore"):
            root_w = np.abs(e) / one_minus          # √ of the HC3 weights e²/(1-h)²
        m = np.empty((k + 1, k + 1))
        m[0, 0] = float(root_w @ root_w)
        if k:
            np.multiply(xc, root_w[:, None], out=work)
            m[0, 1:] = m[1:, 0] = root_w @ work
            m[1:, 1:] = work.T @ work               # symmetric rank-k update
            del work
        bread = np.zeros((k + 1, k + 1))
        bread[0, 0] = 1.0 / n
        bread[1:, 1:] = sinv
        with np.errstate(invalid="ignore"):
            v_theta_r = bread @ m @ bread
            cov = t_map @ v_theta_r @ t_map.T
        cov = (cov + cov.T) / 2.0
    else:
        cov = cov_classical

    coef = np.concatenate([[a], b])
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.diag(cov))
        tval = coef / se
    p = 2.0 * stats.t.sf(np.abs(tval), df) if df > 0 else np.full(k + 1, np.nan)
    q = stats.t.ppf(0.5 + level / 2.0, df) if df > 0 else np.nan
    f, p_f = _wald_or_classical(b, cov[1:, 1:], r2, k, df, robust, hc3_undefined)
    beta = b * sd / np.sqrt(sst) if k else np.zeros(0)
    return Fit(n=n, k=k, df_resid=df, coef=coef, cov=cov, cov_classical=cov_classical, se=se, t=tval, p=p,
               ci_low=coef - q * se, ci_high=coef + q * se, sigma2=sigma2, sse=sse, sst=sst, r2=r2,
               adj_r2=adj_r2, f=f, df1=k, p_f=p_f, dw=dw, vif=vif, beta=beta, robust=robust,
               resid=e if keep_resid else None, hc3_undefined=hc3_undefined)


def _wald_or_classical(b, vb, r2, k, df, robust, undefined) -> tuple[float, float]:
    if k == 0 or df <= 0:
        return np.nan, np.nan
    if robust:
        if undefined:
            return np.nan, np.nan
        f = float(b @ np.linalg.solve(vb, b)) / k
    else:
        f = f_from_r2(r2, k, r2, df)
    return f, float(stats.f.sf(f, k, df))


def change_test(small: Fit, big: Fit) -> tuple[float, int, int, float]:
    """F-change between nested fits (``big`` adds columns after ``small``'s):
    classical ``anova(small, big)``, or under HC3 the Wald F of the added
    coefficients with ``big``'s HC3 covariance (``lmtest::waldtest(small,
    big, vcov = vcovHC(big, "HC3"))``).  Returns (F, df1, df2, p)."""
    q = big.k - small.k
    df2 = big.df_resid
    if q <= 0 or df2 <= 0:
        return np.nan, q, df2, np.nan
    if big.robust:
        if big.hc3_undefined:
            return np.nan, q, df2, np.nan
        bn = big.coef[1 + small.k:]
        vn = big.cov[1 + small.k:, 1 + small.k:]
        f = float(bn @ np.linalg.solve(vn, bn)) / q
    else:
        f = f_from_r2(big.r2 - small.r2, q, big.r2, df2)
    return f, q, df2, float(stats.f.sf(f, q, df2))
