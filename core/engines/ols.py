"""Ordinary least squares from cross-products (NumPy): the one OLS engine,
used by ``regression`` (SPSS REGRESSION; R ``lm``, ``car``,
``sandwich``/``lmtest``) and by ``process`` (Hayes' PROCESS v4).

The design is centred once (``Xc = X - mean``) and its cross-products
``Xc'Xc`` (and ``Xc'y``) are formed once; every fit is a set of its columns
— a prefix for a step of a hierarchical regression, any subset for a
PROCESS equation — so it reuses a block of them, and never factors the
n × k design itself:

* coefficients ``b = (Xc'Xc)^-1 Xc'(y - ȳ)``, intercept ``ȳ - x̄'b`` (the same
  model as ``lm``), solved on the correlation scale (``Xc'Xc`` scaled to a
  unit diagonal), which keeps the normal equations well conditioned;
* rank: a column whose R² on the columns before it exceeds
  ``1 - COLLINEAR_TOL`` (or with no variance) is rejected by
  :func:`check_design`, from the k × k cross-products;
* classical covariance ``σ² (X'X)^-1`` built from the centred blocks;
* heteroscedasticity-consistent covariances ``(X'X)^-1 X' diag(ω) X
  (X'X)^-1`` with ω as ``sandwich::vcovHC`` (and PROCESS ``hc=0…4``) define
  it, k the number of coefficients: HC0 e², HC1 e²·n/(n−k), HC2 e²/(1−h),
  HC3 e²/(1−h)², HC4 e²/(1−h)^δ with δ = min(4, n·h/k); the leverages
  ``h_i = 1/n + rowsum((Xc (Xc'Xc)^-1) * Xc)`` — never the n × n hat matrix;
* t tests and CIs on the residual df ``n - k - 1`` (also under HC, as
  ``lmtest::coeftest``, SPSS and PROCESS do);
* the model F (classical, or the Wald F of all slopes with the HC
  covariance, as ``lmtest::waldtest(m, vcov = vcovHC(m, "HC3"))`` and
  PROCESS);
* joint tests of linear combinations (:func:`linear_test`; the R² change
  of dropping columns without refitting) and nested-fit F-changes
  (:func:`change_test`);
* VIF = diagonal of the inverse correlation matrix of the predictors
  (``car::vif`` for 1-df terms; SPSS's VIF for every dummy);
* Durbin–Watson ``Σ(e_i - e_{i-1})² / Σ e_i²`` in row order.

Memory: besides the caller's ``X`` (which may be centred in place) there is
one n × k float64 work buffer (HC covariances only).
"""
from __future__ import annotations

from dataclasses import dataclass

import contextlib

import numpy as np
from scipy import special

from core.stats import f_from_r2

try:  # installed with scikit-learn; without it BLAS keeps its default thread count
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover
    ThreadpoolController = None
_CONTROLLER: list = []   # one controller, made on first use (finding the BLAS libraries takes ~4 ms)

# 1 - R² of a column on the columns before it below this: perfectly collinear.
COLLINEAR_TOL = 1e-10
HC_TYPES = ("HC0", "HC1", "HC2", "HC3", "HC4")


def blas_single_thread():
    """A context in which BLAS runs single-threaded.  The products here are
    tall and skinny (n × k, k small) and memory-bound: a second BLAS thread
    only adds contention (measured 1–3× slower on the 2-core machine, more
    when it is busy).  Entering it costs ~0.03 ms (``threadpool_limits``
    rescans the libraries every time: ~1.3 ms)."""
    if ThreadpoolController is None:  # pragma: no cover
        return contextlib.nullcontext()
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


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
    """The centred design and its cross-products (shared by every fit on it).
    ``yc`` is None for a design that holds its outcomes among its columns
    (PROCESS: one union design for every equation; see :func:`fit`'s ``y``)."""

    n: int
    xbar: np.ndarray      # (p,)
    ybar: float
    xc: np.ndarray        # (n, p) centred columns
    yc: np.ndarray | None  # (n,) centred outcome
    sxx: np.ndarray       # (p, p) Xc'Xc
    sxy: np.ndarray       # (p,)  Xc'yc
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
    cov: np.ndarray            # (k+1, k+1) covariance used for inference (HC when asked)
    cov_classical: np.ndarray  # (k+1, k+1) σ² (X'X)^-1
    se: np.ndarray
    t: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    sigma2: float              # SSE / df_resid (PROCESS's MSE)
    sse: float
    sst: float
    r2: float
    adj_r2: float
    f: float                   # model F (Wald F under HC)
    df1: int
    p_f: float
    dw: float
    vif: np.ndarray            # (k,)
    beta: np.ndarray           # (k,) b · sd(x) / sd(y)
    hc: str | None
    resid: np.ndarray | None = None
    hc_undefined: bool = False  # HC2–HC4 with some leverage h_i = 1: not defined

    @property
    def t_crit(self) -> float:
        return float(special.stdtrit(self.df_resid, 0.975))


def cross(X: np.ndarray, y: np.ndarray | None = None, overwrite: bool = False) -> Cross:
    """Centre the design and form its cross-products once.  ``overwrite``:
    centre ``X`` in place (it becomes the centred design; saves a copy).
    ``y`` None: the outcomes are columns of ``X`` (``fit(..., y=j)``)."""
    X = np.asarray(X, dtype="float64")
    xbar = X.mean(axis=0) if X.shape[1] else np.zeros(0)
    return _products(xbar, np.subtract(X, xbar, out=X if overwrite else None), y)


def cross_columns(columns: list[np.ndarray]) -> Cross:
    """:func:`cross` of the design made of ``columns`` (outcomes among them,
    no separate ``y``), centred straight into one column-major buffer."""
    xc = np.empty((columns[0].shape[0] if columns else 0, len(columns)), order="F")
    xbar = np.empty(len(columns))
    for j, c in enumerate(columns):
        xbar[j] = c.mean()
        np.subtract(c, xbar[j], out=xc[:, j])
    return _products(xbar, xc, None)


def _products(xbar: np.ndarray, xc: np.ndarray, y: np.ndarray | None) -> Cross:
    n = xc.shape[0]
    sxx = xc.T @ xc
    sxx = (sxx + sxx.T) / 2.0
    if y is None:
        return Cross(n=n, xbar=xbar, ybar=np.nan, xc=xc, yc=None, sxx=sxx, sxy=np.zeros(xc.shape[1]),
                     syy=np.nan)
    y = np.asarray(y, dtype="float64")
    ybar = float(y.mean())
    yc = y - ybar
    return Cross(n=n, xbar=xbar, ybar=ybar, xc=xc, yc=yc, sxx=sxx, sxy=xc.T @ yc, syy=float(yc @ yc))


def _columns(cr: Cross, cols) -> np.ndarray:
    """Column indices of a fit: all (None), the first ``cols`` (int), or a list."""
    if cols is None:
        return np.arange(cr.xc.shape[1])
    if isinstance(cols, (int, np.integer)):
        return np.arange(int(cols))
    return np.asarray(cols, dtype=int).reshape(-1)


def check_design(cr: Cross, cols=None, tol: float = COLLINEAR_TOL) -> None:
    """Raise :class:`Constant` or :class:`Collinear` (naming the first
    column, in order, that is a linear combination of earlier ones) for the
    columns ``cols`` (as in :func:`fit`; indices in the exceptions are
    positions within them)."""
    idx = _columns(cr, cols)
    sxx = cr.sxx[np.ix_(idx, idx)]
    xbar = cr.xbar[idx]
    d = np.diag(sxx)
    scale = max(1.0, float(np.max(np.abs(xbar)) if xbar.size else 1.0))
    const = [int(j) for j in np.flatnonzero(d <= (1e-13 * scale) ** 2 * cr.n)]
    if const:
        raise Constant(const)
    sd = np.sqrt(d)
    r = sxx / np.outer(sd, sd)
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


def hc_weights(e: np.ndarray, h: np.ndarray, n: int, k: int, hc: str) -> np.ndarray:
    """√ω of the HC sandwich (k coefficients, intercept included), as a new
    array (one n-vector of work besides it)."""
    w = np.abs(e)
    if hc == "HC0":
        return w
    if hc == "HC1":
        w *= np.sqrt(n / (n - k))
        return w
    if hc not in ("HC2", "HC3", "HC4"):
        raise ValueError(hc)
    one_minus = 1.0 - h
    if hc == "HC2":
        np.sqrt(one_minus, out=one_minus)
    elif hc == "HC4":
        np.power(one_minus, np.minimum(4.0, n * h / k) / 2.0, out=one_minus)
    with np.errstate(divide="ignore", invalid="ignore"):
        w /= one_minus
    return w


def fit(cr: Cross, cols=None, y: int | None = None, hc: str | None = None, keep_resid: bool = False,
        level: float = 0.95) -> Fit:
    """OLS of the outcome on the columns ``cols`` (all when None, the first
    ``cols`` when an int, else a list of indices) plus an intercept.  The
    outcome is the cross's ``y``, or column ``y`` of the design.  ``hc``:
    None (classical) or one of :data:`HC_TYPES`."""
    if hc is not None and hc not in HC_TYPES:
        raise ValueError(hc)
    idx = _columns(cr, cols)
    k = idx.size
    n = cr.n
    p_all = cr.xc.shape[1]
    df = n - k - 1
    if y is None:
        ybar, yc, sxy, syy = cr.ybar, cr.yc, cr.sxy[idx], cr.syy
    else:
        ybar, yc, sxy, syy = float(cr.xbar[y]), cr.xc[:, y], cr.sxx[idx, y], float(cr.sxx[y, y])
    # the fit's columns: a view for a prefix; otherwise the whole design with
    # zero weights elsewhere (no n × k copy)
    prefix = bool(np.array_equal(idx, np.arange(k)))
    xc = cr.xc[:, :k] if prefix else cr.xc

    def spread(v: np.ndarray) -> np.ndarray:      # (k, …) → the columns of ``xc``
        if prefix:
            return v
        out = np.zeros((p_all,) + v.shape[1:])
        out[idx] = v
        return out

    xbar = cr.xbar[idx]
    sxx = cr.sxx[np.ix_(idx, idx)]
    sd = np.sqrt(np.diag(sxx))
    if k:
        rinv = np.linalg.inv(sxx / np.outer(sd, sd))
        rinv = (rinv + rinv.T) / 2.0
        sinv = rinv / np.outer(sd, sd)
        b = sinv @ sxy
        e = xc @ spread(b)
        np.subtract(yc, e, out=e)
        vif = np.diag(rinv).copy()
    else:
        sinv = np.zeros((0, 0))
        b = np.zeros(0)
        e = yc.copy()
        vif = np.zeros(0)
    a = ybar - float(xbar @ b)
    sse = float(e @ e)
    sst = syy
    sigma2 = sse / df if df > 0 else np.nan
    r2 = 1.0 - sse / sst if sst > 0 else np.nan   # an outcome constant to rounding has no R²
    adj_r2 = 1.0 - (1.0 - r2) * (n - 1) / df if df > 0 else np.nan
    # Σ(e_i - e_{i-1})² = 2·SSE - e_1² - e_n² - 2·Σ e_i e_{i-1}: no n-vector of differences
    dw = (2.0 * sse - e[0] ** 2 - e[-1] ** 2 - 2.0 * float(e[1:] @ e[:-1])) / sse if sse > 0 else np.nan

    # Covariances in the centred parametrisation θ = (ȳ-level intercept, b),
    # then mapped to (intercept, b) by β = T θ with T = [[1, -x̄'], [0, I]].
    t_map = np.eye(k + 1)
    t_map[0, 1:] = -xbar
    v_theta = np.zeros((k + 1, k + 1))
    v_theta[0, 0] = sigma2 / n
    v_theta[1:, 1:] = sigma2 * sinv
    cov_classical = t_map @ v_theta @ t_map.T
    hc_undefined = False
    if hc:
        if k:
            # one column-major work buffer: Xc (Xc'Xc)^-1, then Xc·√ω
            sinv_x = spread(spread(sinv).T)       # (Xc'Xc)^-1 on the design's columns
            work = np.empty(xc.shape, order="F")
            np.matmul(xc, sinv_x, out=work)
            np.multiply(work, xc, out=work)
            h = work.sum(axis=1)
            h += 1.0 / n
        else:
            work = None
            h = np.full(n, 1.0 / n)
        hc_undefined = hc in ("HC2", "HC3", "HC4") and bool(np.any(h >= 1.0 - 1e-12))
        root_w = hc_weights(e, h, n, k + 1, hc)
        m = np.empty((k + 1, k + 1))
        m[0, 0] = float(root_w @ root_w)
        if k:
            np.multiply(xc, root_w[:, None], out=work)
            cross_w = root_w @ work
            m_x = work.T @ work                     # symmetric rank-k update
            del work
            if not prefix:
                cross_w, m_x = cross_w[idx], m_x[np.ix_(idx, idx)]
            m[0, 1:] = m[1:, 0] = cross_w
            m[1:, 1:] = m_x
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
    if df > 0:
        p = 2.0 * special.stdtr(df, -np.abs(tval))
        q = special.stdtrit(df, 0.5 + level / 2.0)
    else:
        p, q = np.full(k + 1, np.nan), np.nan
    if k == 0 or df <= 0:
        f, p_f = np.nan, np.nan
    else:
        f = (np.nan if hc_undefined else wald_f(b, cov[1:, 1:])) if hc else f_from_r2(r2, k, r2, df)
        p_f = float(special.fdtrc(k, df, f))
    beta = b * sd / np.sqrt(sst) if k and sst > 0 else np.full(k, np.nan)
    return Fit(n=n, k=k, df_resid=df, coef=coef, cov=cov, cov_classical=cov_classical, se=se, t=tval, p=p,
               ci_low=coef - q * se, ci_high=coef + q * se, sigma2=sigma2, sse=sse, sst=sst, r2=r2,
               adj_r2=adj_r2, f=f, df1=k, p_f=p_f, dw=dw, vif=vif, beta=beta, hc=hc,
               resid=e if keep_resid else None, hc_undefined=hc_undefined)


def wald_f(est: np.ndarray, V: np.ndarray) -> float:
    """Wald F ``est' V⁻¹ est / q``; NaN when V is singular (an undefined HC
    covariance)."""
    try:
        return float(est @ np.linalg.solve(V, est) / est.size)
    except np.linalg.LinAlgError:
        return float("nan")


def change_test(small: Fit, big: Fit) -> tuple[float, int, int, float]:
    """F-change between nested fits (``big`` adds columns after ``small``'s):
    classical ``anova(small, big)``, or under HC the Wald F of the added
    coefficients with ``big``'s HC covariance (``lmtest::waldtest(small,
    big, vcov = vcovHC(big, "HC3"))``).  Returns (F, df1, df2, p)."""
    q = big.k - small.k
    df2 = big.df_resid
    if q <= 0 or df2 <= 0:
        return np.nan, q, df2, np.nan
    if big.hc:
        if big.hc_undefined:
            return np.nan, q, df2, np.nan
        f = wald_f(big.coef[1 + small.k:], big.cov[1 + small.k:, 1 + small.k:])
    else:
        f = f_from_r2(big.r2 - small.r2, q, big.r2, df2)
    return f, q, df2, float(special.fdtrc(q, df2, f))


def linear_test(full: Fit, L: np.ndarray) -> dict:
    """Joint test of the q linear combinations ``L coef = 0`` (L is q × (k+1),
    intercept first).

    F: the Wald F ``(Lb)'(L V L')⁻¹(Lb)/q`` on the fit's covariance (classic
    or HC).  With the classic covariance this is exactly the F of the nested
    OLS models, and the R² change is ``F_ols·q·(1 − R²)/df2`` — the R² lost
    by the restricted (nested) model, without refitting it; with an HC
    covariance the R² change is still that OLS one while F is the HC Wald F
    (as PROCESS prints both)."""
    L = np.atleast_2d(np.asarray(L, dtype=float))
    q = L.shape[0]
    est = L @ full.coef
    f_ols = wald_f(est, L @ full.cov_classical @ L.T)
    f = wald_f(est, L @ full.cov @ L.T)
    df2 = full.df_resid
    dr2 = f_ols * q * (1.0 - full.r2) / df2
    return {"r2_change": dr2, "f": f, "df1": q, "df2": df2, "p": float(special.fdtrc(q, df2, f))}


def drop_test(full: Fit, pos: list[int]) -> dict:
    """R² change when the coefficients at ``pos`` (intercept = 0) are
    dropped, and its F (or HC Wald F) test: :func:`linear_test` on them."""
    return linear_test(full, np.eye(full.k + 1)[pos])
