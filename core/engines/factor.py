"""Factor-analysis numerics shared by reliability and EFA (pure NumPy/SciPy).

Everything works on a correlation matrix ``R`` (p × p).  Conventions follow R's
psych 2.2.9 (``fa``, ``principal``, ``KMO``, ``cortest.bartlett``) and
GPArotation 2022.10 so that users can check numbers against them:

* ``pc``      principal components: loadings = eigenvectors · √eigenvalues
              (SPSS FACTOR's default, psych::principal).
* ``pa``      iterated principal-axis factoring exactly as psych: start from
              squared multiple correlations, iterate until the sum of
              communalities changes by less than 0.001 (at most 50 times).
* ``minres``  minimum residual (= unweighted least squares): uniquenesses
              minimising the squared off-diagonal residuals (psych's fixed
              point); solved here to full precision with L-BFGS-B.
* ``ml``      maximum likelihood (factanal's / psych's concentrated
              likelihood in the uniquenesses, bounded below by 0.005).

Rotations: ``varimax`` is stats::varimax (Kaiser normalisation, eps 1e-5);
``promax`` is psych's (power 4 after varimax; in fa() the pattern is Kaiser
normalised first as psych::kaiser does, principal() uses stats::promax);
``oblimin`` is GPArotation::oblimin with gamma 0 and *no* Kaiser
normalisation (psych's convention; SPSS normalises, which changes loadings by
up to ~0.1).  After rotation factors are signed so that each column sums
positive and ordered by the variance they account for (psych).
"""
from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from core.engines import sem as sm
from core.errors import UserError


# ---- basics ----------------------------------------------------------------------
def cov_listwise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(covariance with n − 1, means, n) of the complete rows of ``x``."""
    n = x.shape[0]
    mean = x.mean(axis=0)
    xc = x - mean
    c = xc.T @ xc / (n - 1)
    return c, mean, n


def cov_to_cor(c: np.ndarray) -> np.ndarray:
    d = 1.0 / np.sqrt(np.diag(c))
    r = c * d[:, None] * d[None, :]
    np.fill_diagonal(r, 1.0)
    return r


def check_pd(r: np.ndarray, names: list[str]) -> None:
    """UserError when the correlation matrix is singular / not positive definite."""
    w = np.linalg.eigvalsh(r)
    if not np.all(np.isfinite(w)) or w[0] <= 1e-10 * max(1.0, w[-1]):
        # name the most collinear item: largest diagonal of the pseudo-inverse
        try:
            dinv = np.diag(np.linalg.pinv(r))
            worst = names[int(np.argmax(dinv))]
        except np.linalg.LinAlgError:  # pragma: no cover - pinv of finite matrix
            worst = names[0]
        raise UserError("measure.error.singular", item=worst)


def smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations 1 − 1/diag(R⁻¹)."""
    return 1.0 - 1.0 / np.diag(np.linalg.inv(r))


def kmo(r: np.ndarray) -> tuple[float, np.ndarray]:
    """Kaiser–Meyer–Olkin measure (psych::KMO): overall and per item."""
    q = np.linalg.inv(r)
    d = 1.0 / np.sqrt(np.diag(q))
    a = q * d[:, None] * d[None, :]          # anti-image correlations (sign irrelevant: squared)
    np.fill_diagonal(a, 0.0)
    r0 = r.copy()
    np.fill_diagonal(r0, 0.0)
    r2, a2 = r0 ** 2, a ** 2
    overall = r2.sum() / (r2.sum() + a2.sum())
    per = r2.sum(axis=0) / (r2.sum(axis=0) + a2.sum(axis=0))
    return float(overall), per


def bartlett(r: np.ndarray, n: int) -> tuple[float, int, float]:
    """Bartlett's test of sphericity (psych::cortest.bartlett)."""
    p = r.shape[0]
    sign, logdet = np.linalg.slogdet(r)
    chi2 = -logdet * (n - 1 - (2 * p + 5) / 6)
    df = p * (p - 1) // 2
    return float(chi2), int(df), float(stats.chi2.sf(chi2, df))


def _top(r: np.ndarray, nf: int) -> tuple[np.ndarray, np.ndarray]:
    w, v = np.linalg.eigh(r)
    idx = np.argsort(w)[::-1]
    return w[idx], v[:, idx]


# ---- extraction ------------------------------------------------------------------------
def extract(r: np.ndarray, nf: int, method: str) -> dict:
    """Unrotated loadings (p × nf) by ``method``; dict with loadings,
    communality, uniqueness, iterations, converged."""
    if method == "pc":
        w, v = _top(r, nf)
        lam = v[:, :nf] * np.sqrt(np.maximum(w[:nf], 0))
        info = {"iterations": 0, "converged": True}
    elif method == "pa":
        lam, info = _pa(r, nf)
    elif method == "minres":
        lam, info = _minres(r, nf)
    elif method == "ml":
        lam, info = _ml(r, nf)
    else:  # pragma: no cover - validated by the registry
        raise ValueError(method)
    lam = _sign(lam)
    h2 = (lam ** 2).sum(axis=1)
    return {"loadings": lam, "communality": h2, "uniqueness": 1 - h2, **info}


def _sign(lam: np.ndarray) -> np.ndarray:
    s = np.sign(lam.sum(axis=0))
    s[s == 0] = 1
    return lam * s


def _pa(r: np.ndarray, nf: int, min_err: float = 0.001, max_iter: int = 50):
    rm = r.copy()
    if nf <= r.shape[0]:
        np.fill_diagonal(rm, smc(r))
    comm = float(np.trace(rm))
    i, converged = 1, True
    while True:   # psych's `while (err > min.err)` with err = comm at first, but at least one step
        w, v = _top(rm, nf)      # (items with communalities summing below min_err left psych with no loadings)
        lam = v[:, :nf] * np.sqrt(np.maximum(w[:nf], 0))   # psych would give NaN for < 0
        new = (lam ** 2).sum(axis=1)
        comm1 = float(new.sum())
        np.fill_diagonal(rm, new)
        err = abs(comm - comm1)
        comm = comm1
        i += 1
        if i > max_iter:
            converged = False
            break
        if not err > min_err:
            break
    return lam, {"iterations": i - 1, "converged": converged}


def _minres(r: np.ndarray, nf: int):
    p = r.shape[0]
    upper = max(float(smc(r).max()), 1.0)

    def parts(psi):
        s = r.copy()
        np.fill_diagonal(s, 1.0 - psi)
        w, v = _top(s, nf)
        lam = v[:, :nf] * np.sqrt(np.maximum(w[:nf], 0))
        return lam

    def f(psi):
        lam = parts(psi)
        res = r - lam @ lam.T
        np.fill_diagonal(res, 1.0 - psi - (lam ** 2).sum(axis=1))
        # ULS: off-diagonal residuals plus the diagonal, which is 0 at the optimum
        val = float((res ** 2).sum()) / 2
        grad = -np.diag(res).copy()
        return val, grad

    start = 1.0 - smc(r)
    res = optimize.minimize(f, start, jac=True, method="L-BFGS-B", bounds=[(0.005, upper)] * p,
                            options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10})
    return parts(res.x), {"iterations": int(res.nit), "converged": bool(res.success)}


def ml_uniqueness(r: np.ndarray, nf: int, start: np.ndarray | None = None):
    """Uniquenesses maximising the normal likelihood (factanal / psych fm='ml')."""
    p = r.shape[0]
    upper = max(float(smc(r).max()), 1.0)

    def f(psi):
        sc = 1.0 / np.sqrt(psi)
        ss = r * sc[:, None] * sc[None, :]
        w, v = np.linalg.eigh(ss)
        w, v = w[::-1], v[:, ::-1]
        e = w[nf:]
        val = -(np.sum(np.log(e) - e) - nf + p)
        lam = v[:, :nf] * np.sqrt(np.maximum(w[:nf] - 1, 0))
        lam = lam * np.sqrt(psi)[:, None]
        g = lam @ lam.T + np.diag(psi) - r
        return val, np.diag(g) / psi ** 2

    x0 = (1.0 - smc(r)) if start is None else start
    x0 = np.clip(x0, 0.005, upper)
    res = optimize.minimize(f, x0, jac=True, method="L-BFGS-B", bounds=[(0.005, upper)] * p,
                            options={"maxiter": 5000, "ftol": 1e-16, "gtol": 1e-11})
    return res.x, res


def _ml(r: np.ndarray, nf: int):
    psi, res = ml_uniqueness(r, nf)
    sc = 1.0 / np.sqrt(psi)
    w, v = _top(r * sc[:, None] * sc[None, :], nf)
    lam = v[:, :nf] * np.sqrt(np.maximum(w[:nf] - 1, 0)) * np.sqrt(psi)[:, None]
    return lam, {"iterations": int(res.nit), "converged": bool(res.success)}


# ---- rotation ------------------------------------------------------------------------------
def varimax(x: np.ndarray, normalize: bool = True, eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """stats::varimax, step for step (same stopping rule)."""
    nc = x.shape[1]
    if nc < 2:
        return x.copy(), np.eye(nc)
    sc = None
    if normalize:
        sc = np.sqrt((x ** 2).sum(axis=1))
        x = x / sc[:, None]
    p = x.shape[0]
    tt = np.eye(nc)
    d = 0.0
    for _ in range(1000):
        z = x @ tt
        b = x.T @ (z ** 3 - z @ np.diag((z ** 2).sum(axis=0)) / p)
        u, s, vt = np.linalg.svd(b)
        tt = u @ vt
        dpast, d = d, float(s.sum())
        if d < dpast * (1 + eps):
            break
    z = x @ tt
    if normalize:
        z = z * sc[:, None]
    return z, tt


def promax(x: np.ndarray, m: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """psych::Promax / stats::promax: (pattern, Phi)."""
    z0, rot = varimax(x)
    q = z0 * np.abs(z0) ** (m - 1)
    u = np.linalg.lstsq(z0, q, rcond=None)[0]
    d = np.diag(np.linalg.inv(u.T @ u))
    u = u @ np.diag(np.sqrt(d))
    z = z0 @ u
    u = rot @ u
    ui = np.linalg.inv(u)
    return z, ui @ ui.T


def kaiser_promax(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """psych::kaiser(rotate = 'Promax') — what psych::fa(rotate = 'promax') does."""
    h = np.sqrt((x ** 2).sum(axis=1))
    z, phi = promax(x / h[:, None])
    return z * h[:, None], phi


def oblimin(a: np.ndarray, gam: float = 0.0, eps: float = 1e-5, maxit: int = 1000, normalize: bool = False):
    """GPArotation::oblimin via GPFoblq (gradient projection), step for step."""
    k = a.shape[1]
    w = None
    if normalize:
        w = np.sqrt((a ** 2).sum(axis=1))
        a = a / w[:, None]
    p = a.shape[0]
    off = 1.0 - np.eye(k)

    def vgq(lam):
        xx = (lam ** 2) @ off
        if gam != 0:
            xx = (np.eye(p) - gam / p) @ xx
        return lam * xx, float(np.sum(lam ** 2 * xx)) / 4

    tm = np.eye(k)
    al = 1.0
    lam = a @ np.linalg.inv(tm).T
    gq, f = vgq(lam)
    g = -(lam.T @ gq @ np.linalg.inv(tm)).T
    converged = False
    for _ in range(maxit + 1):
        gp = g - tm @ np.diag(np.sum(tm * g, axis=0))
        s = float(np.sqrt(np.sum(gp ** 2)))
        if s < eps:
            converged = True
            break
        al *= 2
        for _i in range(11):
            xm = tm - al * gp
            v = 1.0 / np.sqrt(np.sum(xm ** 2, axis=0))
            tmt = xm * v[None, :]
            lam = a @ np.linalg.inv(tmt).T
            gqt, ft = vgq(lam)
            if f - ft > 0.5 * s ** 2 * al:
                break
            al /= 2
        tm = tmt
        f = ft
        g = -(lam.T @ gqt @ np.linalg.inv(tmt)).T
    if normalize:
        lam = lam * w[:, None]
    return lam, tm.T @ tm, converged


def rotate(lam: np.ndarray, rotation: str, method: str,
           kaiser: bool = False) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """Rotated pattern, factor correlations (None if orthogonal), converged.
    ``kaiser`` row-normalises before oblimin (SPSS; GPArotation normalize = TRUE)."""
    k = lam.shape[1]
    if rotation == "none" or k < 2:
        return lam.copy(), None, True
    if rotation == "varimax":
        z, _ = varimax(lam)
        return z, None, True
    if rotation == "promax":
        z, phi = promax(lam) if method == "pc" else kaiser_promax(lam)
        return z, phi, True
    if rotation == "oblimin":
        z, phi, ok = oblimin(lam, normalize=kaiser)
        return z, phi, ok
    raise ValueError(rotation)  # pragma: no cover


def order_and_sign(lam: np.ndarray, phi: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """psych's presentation: columns summing positive, ordered by variance accounted for."""
    s = np.sign(lam.sum(axis=0))
    s[s == 0] = 1
    lam = lam * s
    if phi is not None:
        phi = phi * s[:, None] * s[None, :]
    ss = ss_loadings(lam, phi)
    order = np.argsort(-ss, kind="stable")
    lam = lam[:, order]
    if phi is not None:
        phi = phi[np.ix_(order, order)]
    return lam, phi


def ss_loadings(lam: np.ndarray, phi: np.ndarray | None) -> np.ndarray:
    """Variance accounted for per factor: colSums(L²), or diag(Φ L'L) when oblique (psych)."""
    if phi is None:
        return (lam ** 2).sum(axis=0)
    return np.diag(phi @ lam.T @ lam)


# ---- number of factors -------------------------------------------------------------------
def parallel_eigen(n: int, p: int, n_iter: int = 100, seed: int = 20240607) -> np.ndarray:
    """Mean eigenvalues of correlation matrices of ``n × p`` standard normal
    data (Horn's parallel analysis, principal components), seeded."""
    rng = np.random.default_rng(seed)
    acc = np.zeros(p)
    for _ in range(n_iter):
        z = rng.standard_normal((n, p))
        z -= z.mean(axis=0)
        c = z.T @ z
        d = 1 / np.sqrt(np.diag(c))
        acc += np.sort(np.linalg.eigvalsh(c * d[:, None] * d[None, :]))[::-1]
    return acc / n_iter


def one_factor_omega(c: np.ndarray) -> tuple[float, bool]:
    """McDonald's omega total from a one-factor ML model of the covariance
    matrix ``c``: (Σλ)²φ / ((Σλ)²φ + Σθ) with the model-implied total variance
    (= semTools::compRelSEM(cfa(...), obs.var = FALSE)).  Fitted with the SEM
    engine (ML is scale-free, so the divisor of ``c`` does not matter).
    Returns (omega, heywood) where heywood flags a negative or zero residual
    variance."""
    p = c.shape[0]
    names = [f"i{j}" for j in range(p)]
    spec = sm.build([sm.Stmt("f", "=~", n) for n in names], names)
    sign, logdet = np.linalg.slogdet(c)
    if sign <= 0:
        raise np.linalg.LinAlgError("singular")
    fit = sm.fit_model(spec, [sm.GroupData(1000, c, np.zeros(p), float(logdet))])
    if not fit.converged:
        raise ValueError("omega model did not converge")
    A, S, _ = sm.implied_total_var(fit)
    lam = A[:p, p]
    phi = S[p, p]
    theta = np.diag(S)[:p]
    num = lam.sum() ** 2 * phi
    return float(num / (num + theta.sum())), bool(np.any(theta <= 1e-8 * np.diag(c)))
