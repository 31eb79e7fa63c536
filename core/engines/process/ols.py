"""Ordinary least squares as PROCESS reports it.

Coefficient covariance: classic ``MSE·(X'X)⁻¹`` or a heteroscedasticity-
consistent sandwich ``(X'X)⁻¹ X' diag(ω) X (X'X)⁻¹`` with ω as R's
``sandwich::vcovHC`` (and PROCESS ``hc=0…4``) define it, h the leverages,
k the number of coefficients:

- HC0: e²; HC1: e²·n/(n−k); HC2: e²/(1−h); HC3: e²/(1−h)²;
- HC4: e²/(1−h)^δ with δ = min(4, n·h/k).

With an HC covariance, the model F and the interaction tests are Wald tests
``b'V⁻¹b/df1`` on that covariance (R²-change is still reported from OLS),
as PROCESS does; without it, they are the usual F and R²-change F tests.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from core.stats import f_from_r2


@dataclass
class Fit:
    b: np.ndarray
    V: np.ndarray
    se: np.ndarray
    t: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: int
    k: int
    df2: int
    r2: float
    mse: float
    f: float
    df1: int
    p_model: float
    sse: float
    V_ols: np.ndarray | None = None    # classic MSE·(X'X)⁻¹ (= V without hc); R² changes of Wald tests use it


def hc_weights(e: np.ndarray, h: np.ndarray, n: int, k: int, hc: str) -> np.ndarray:
    e2 = e * e
    if hc == "HC0":
        return e2
    if hc == "HC1":
        return e2 * n / (n - k)
    if hc == "HC2":
        return e2 / (1.0 - h)
    if hc == "HC3":
        return e2 / (1.0 - h) ** 2
    if hc == "HC4":
        delta = np.minimum(4.0, n * h / k)
        return e2 / (1.0 - h) ** delta
    raise ValueError(hc)


def wald_f(b: np.ndarray, V: np.ndarray, pos: list[int]) -> float:
    bb = b[pos]
    VV = V[np.ix_(pos, pos)]
    try:
        return float(bb @ np.linalg.solve(VV, bb) / len(pos))
    except np.linalg.LinAlgError:   # a singular (HC) covariance: the Wald F is undefined
        return float("nan")


def fit(X: np.ndarray, y: np.ndarray, hc: str | None = None, conf: float = 95.0) -> Fit:
    """OLS of y on X (X's first column is the constant)."""
    n, k = X.shape
    Q, R = np.linalg.qr(X)
    b = np.linalg.solve(R, Q.T @ y)
    e = y - X @ b
    sse = float(e @ e)
    df2 = n - k
    mse = sse / df2
    Rinv = np.linalg.solve(R, np.eye(k))
    XtXi = Rinv @ Rinv.T
    V_ols = mse * XtXi
    if hc:
        h = np.sum(Q * Q, axis=1)
        omega = hc_weights(e, h, n, k, hc)
        meat = (X * omega[:, None]).T @ X
        V = XtXi @ meat @ XtXi
    else:
        V = V_ols
    se = np.sqrt(np.diag(V))
    t = b / se
    p = 2.0 * special.stdtr(df2, -np.abs(t))
    tc = special.stdtrit(df2, 0.5 + conf / 200.0)
    sst = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - sse / sst
    df1 = k - 1
    if df1 == 0:
        f, pm = np.nan, np.nan
    else:
        f = wald_f(b, V, list(range(1, k))) if hc else f_from_r2(r2, df1, r2, df2)
        pm = float(special.fdtrc(df1, df2, f))
    return Fit(b, V, se, t, p, b - tc * se, b + tc * se, n, k, df2, r2, mse, f, df1, pm, sse, V_ols)


def r2_change_test(X: np.ndarray, y: np.ndarray, full: Fit, pos: list[int], hc: str | None) -> dict:
    """R² change when the columns ``pos`` are dropped, and its F (or HC Wald) test."""
    keep = [j for j in range(X.shape[1]) if j not in pos]
    Xr = X[:, keep]
    br, *_ = np.linalg.lstsq(Xr, y, rcond=None)
    er = y - Xr @ br
    sst = float(np.sum((y - y.mean()) ** 2))
    r2r = 1.0 - float(er @ er) / sst
    dr2 = full.r2 - r2r
    df1 = len(pos)
    if hc:
        f = wald_f(full.b, full.V, pos)
    else:
        f = f_from_r2(dr2, df1, full.r2, full.df2)
    return {"r2_change": dr2, "f": f, "df1": df1, "df2": full.df2, "p": float(special.fdtrc(df1, full.df2, f))}


def _wald(est: np.ndarray, V: np.ndarray) -> float:
    try:
        return float(est @ np.linalg.solve(V, est) / est.size)
    except np.linalg.LinAlgError:
        return float("nan")


def linear_test(full: Fit, L: np.ndarray) -> dict:
    """Joint test of the q linear combinations ``L b = 0`` (L is q × k).

    F: the Wald F ``(Lb)'(L V L')⁻¹(Lb)/q`` on the fit's covariance (classic
    or HC).  With the classic covariance this is exactly the F of the nested
    OLS models, and the R² change is ``F_ols·q·(1 − R²)/df2`` — the R² lost
    by the restricted (nested) model; with an HC covariance the R² change is
    still that OLS one while F is the HC Wald F (as PROCESS prints both)."""
    L = np.atleast_2d(np.asarray(L, dtype=float))
    q = L.shape[0]
    est = L @ full.b
    f_ols = _wald(est, L @ full.V_ols @ L.T)
    f = _wald(est, L @ full.V @ L.T)
    dr2 = f_ols * q * (1.0 - full.r2) / full.df2
    return {"r2_change": dr2, "f": f, "df1": q, "df2": full.df2, "p": float(special.fdtrc(q, full.df2, f))}
