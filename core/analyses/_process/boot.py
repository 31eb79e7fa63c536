"""The vectorised nonparametric bootstrap.

Each resample is a vector of multinomial counts c (how often each row was
drawn: n uniform draws with replacement, counted).  A resample's OLS
normal equations are ``X' diag(c) X b = X' diag(c) y``, and every entry of
every equation's ``X' diag(c) X`` and ``X' diag(c) y`` is a sum
``Σ c_i u_i v_i`` over two columns of the model's union design matrix U.  So
one matrix product ``C @ Q`` — C the (resamples × n) counts, Q the
(n × pairs) element-wise products of U's column pairs — gives all Gram
matrices of all equations of all resamples; the small systems are then
solved together (a batched Cholesky over the stack).  No per-resample model
objects, no Python loop over resamples: resamples are processed in chunks
that bound memory (4 MB of counts per chunk, at least 32 resamples: 26 MB
at 100,000 rows), and counts are drawn in
sub-batches so that counting stays in cache.

Random stream: ``numpy.random.default_rng(seed)``; for a fixed seed, data and
number of resamples the results are identical run to run.  A resample whose
design is singular or nearly so (a Cholesky pivot of its unit-diagonal Gram
below 1e-10, e.g. all rows of one group) is replaced by a fresh one, as PROCESS does; the number replaced
is reported.
"""
from __future__ import annotations

import contextlib

import numpy as np
from scipy import sparse

try:  # installed with scikit-learn; without it BLAS keeps its default thread count
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None

COUNTS_BYTES = 4 * 2**20       # counts per chunk (float64): stays in cache for small n …
MIN_CHUNK = 32                 # … but at least this many resamples, so Q is read once per 32 resamples
SUB_ELEMENTS = 400_000         # draws counted per bincount call (its counts stay in cache)
PIVOT_MIN = 1e-10     # smallest Cholesky pivot of the unit-diagonal Gram (≈ 1 / condition number)


def spd_solve(A: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve a stack of symmetric positive-definite systems A b = r.

    Batched Cholesky of the equilibrated matrix (unit diagonal), written as
    loops over the (few) coefficients and vector operations over the
    resamples — much faster than LAPACK's per-matrix calls for thousands of
    tiny systems.  Returns (b, ok); ok is False where a pivot falls below
    ``PIVOT_MIN`` (a singular or nearly singular resample).
    """
    B, p, _ = A.shape
    d = np.sqrt(np.maximum(np.einsum("bii->bi", A), 1e-300))
    S = A / d[:, :, None] / d[:, None, :]
    rs = r / d
    L = np.zeros((p, p, B))
    piv_min = np.full(B, np.inf)
    for j in range(p):
        s = S[:, j, j] - sum(L[j, k] * L[j, k] for k in range(j)) if j else S[:, j, j].copy()
        piv_min = np.minimum(piv_min, s)
        ljj = np.sqrt(np.maximum(s, PIVOT_MIN))
        L[j, j] = ljj
        for i in range(j + 1, p):
            v = S[:, i, j] - sum(L[i, k] * L[j, k] for k in range(j)) if j else S[:, i, j]
            L[i, j] = v / ljj
    z = np.empty((p, B))
    for i in range(p):
        z[i] = (rs[:, i] - sum(L[i, k] * z[k] for k in range(i))) / L[i, i] if i else rs[:, i] / L[i, i]
    x = np.empty((p, B))
    for i in reversed(range(p)):
        x[i] = (z[i] - sum(L[k, i] * x[k] for k in range(i + 1, p))) / L[i, i] if i < p - 1 else z[i] / L[i, i]
    ok = np.isfinite(piv_min) & (piv_min >= PIVOT_MIN)
    return (x / d.T).T, ok


def _dedupe(U: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique columns of U and, per original column, its unique index."""
    keep: list[int] = []
    where = np.empty(U.shape[1], dtype=int)
    for j in range(U.shape[1]):
        for k, i in enumerate(keep):
            if np.array_equal(U[:, i], U[:, j]):
                where[j] = k
                break
        else:
            where[j] = len(keep)
            keep.append(j)
    return U[:, keep], where


class Bootstrap:
    """Resample-level coefficients of several OLS equations sharing rows.

    ``equations``: list of (key, predictor column indexes into U, outcome
    column index).  ``sd_cols``: name → column of U whose resample SD is
    wanted (standardized effects).
    """

    def __init__(self, U: np.ndarray, equations: list, sd_cols: dict | None = None):
        self.n = U.shape[0]
        Uq, where = _dedupe(U)
        self.q = Uq.shape[1]
        self.eqs = [(key, where[np.asarray(cols)], int(where[y])) for key, cols, y in equations]
        self.sd_cols = {k: int(where[c]) for k, c in (sd_cols or {}).items()}
        self.const = int(where[0])
        # only the column pairs some equation (or SD) needs: Gram entries Σ c·u·v
        need = set()
        for _, cols, y in self.eqs:
            ids = [*map(int, cols), y]
            need |= {(min(a, b), max(a, b)) for a in ids for b in ids if not (a == b == y)}
        for c in self.sd_cols.values():
            need |= {(min(self.const, c), max(self.const, c)), (c, c)}
        iu, ju = (np.array(v, dtype=int) for v in zip(*sorted(need)))
        self.Q = Uq[:, iu] * Uq[:, ju]             # n × needed pairs
        self.pair = np.full((self.q, self.q), -1, dtype=int)
        self.pair[iu, ju] = np.arange(iu.size)
        self.pair[ju, iu] = np.arange(iu.size)
        self._ones = None
        self._indptr = None

    # -- counts --------------------------------------------------------------
    def _counts(self, rng: np.random.Generator, m: int, out: np.ndarray | None = None) -> np.ndarray:
        """(m × n) multinomial counts: n uniform row draws per resample, counted.

        Draws are exact bounded integers from the Generator; a sub-batch of
        about 400,000 draws (cache-resident) is counted in one pass by
        scipy's CSR → dense conversion, which sums duplicate entries: the
        sub-batch is a CSR matrix with one row per resample, the drawn row
        numbers as column indices and 1 as every value."""
        n = self.n
        C = out[:m] if out is not None and out.shape[0] >= m else np.empty((m, n))
        sub = max(1, min(m, SUB_ELEMENTS // n))
        dtype = np.int32 if (sub + 1) * n < 2**31 else np.int64
        if self._ones is None or self._ones.size < sub * n:
            self._ones = np.ones(sub * n)
            self._indptr = np.arange(0, (sub + 1) * n, n, dtype=dtype)
        for s in range(0, m, sub):   # sub-batches of resamples (not one per resample)
            k = min(sub, m - s)
            idx = rng.integers(0, n, size=k * n, dtype=dtype)
            block = C[s:s + k]
            block.fill(0.0)
            sparse.csr_matrix((self._ones[:k * n], idx, self._indptr[:k + 1]), shape=(k, n)).toarray(out=block)
        return C

    def _solve(self, G: np.ndarray) -> tuple[dict, dict, np.ndarray]:
        """Coefficients per equation, SDs and a validity mask for Gram stack G (m × pairs)."""
        m = G.shape[0]
        coefs, ok = {}, np.ones(m, dtype=bool)
        for key, cols, y in self.eqs:
            A = G[:, self.pair[np.ix_(cols, cols)]]
            r = G[:, self.pair[cols, y]]
            coefs[key], good = spd_solve(A, r)
            ok &= good
        sds = {}
        n = self.n
        for name, c in self.sd_cols.items():
            s1 = G[:, self.pair[self.const, c]]
            s2 = G[:, self.pair[c, c]]
            sds[name] = np.sqrt(np.maximum(s2 - s1 * s1 / n, 0.0) / (n - 1))
        return coefs, sds, ok

    def run(self, stat_fn, n_boot: int, seed: int, progress=None) -> tuple[np.ndarray, int]:
        """(n_boot × K) statistics ``stat_fn(coefs, sds)`` over resamples, and
        how many singular resamples were replaced.

        BLAS runs single-threaded here: the products are small (or memory-bound
        for large n), and a second BLAS thread competing with other work on a
        2-core machine made them up to 10× slower."""
        limit = threadpool_limits(limits=1, user_api="blas") if threadpool_limits else contextlib.nullcontext()
        with limit:
            return self._run(stat_fn, n_boot, seed, progress)

    def _run(self, stat_fn, n_boot: int, seed: int, progress=None) -> tuple[np.ndarray, int]:
        rng = np.random.default_rng(seed)
        chunk = max(1, min(n_boot, max(MIN_CHUNK, COUNTS_BYTES // (8 * self.n))))
        out = None
        bad_total = 0
        todo = np.arange(n_boot)
        buf = np.empty((chunk, self.n))     # counts buffer, reused by every chunk
        rounds = 0
        done = 0
        while todo.size and rounds < 50:
            bad = []
            for s in range(0, todo.size, chunk):
                ids = todo[s:s + chunk]
                C = self._counts(rng, ids.size, buf)
                G = C @ self.Q
                coefs, sds, ok = self._solve(G)
                vals = stat_fn(coefs, sds)
                if out is None:
                    out = np.full((n_boot, vals.shape[1]), np.nan)
                out[ids[ok]] = vals[ok]
                bad.append(ids[~ok])
                done += int(ok.sum())
                if progress is not None:
                    progress(min(1.0, done / n_boot))
            todo = np.concatenate(bad) if bad else np.array([], dtype=int)
            bad_total += todo.size
            rounds += 1
        return out, bad_total


def percentile_ci(samples: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """PROCESS's percentile interval: the sorted resamples at positions
    round(B·α/2) and trunc(B·(1−α/2)) + 1 (1-based), e.g. the 125th and
    4876th of 5,000 for 95%."""
    B = samples.shape[0]
    alpha = 1.0 - conf / 100.0
    lo = int(min(max(round(B * alpha / 2.0), 1), B))
    hi = int(min(max(int(B * (1.0 - alpha / 2.0)) + 1, 1), B))
    s = np.partition(samples, sorted({lo - 1, hi - 1}), axis=0)
    return s[lo - 1], s[hi - 1]


def bc_ci(samples: np.ndarray, estimate: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Bias-corrected interval: z0 = Φ⁻¹(share of resamples below the
    estimate); the percentiles Φ(2·z0 ± z) are read at the same positions
    as :func:`percentile_ci`."""
    from scipy.stats import norm

    B = samples.shape[0]
    alpha = 1.0 - conf / 100.0
    z = norm.ppf(1.0 - alpha / 2.0)
    s = np.sort(samples, axis=0)
    lows, highs = np.empty(samples.shape[1]), np.empty(samples.shape[1])
    for k in range(samples.shape[1]):
        below = np.mean(samples[:, k] < estimate[k])
        below = min(max(below, 0.5 / B), 1.0 - 0.5 / B)
        z0 = norm.ppf(below)
        pl, ph = norm.cdf(2 * z0 - z), norm.cdf(2 * z0 + z)
        lo = int(min(max(round(B * pl), 1), B))
        hi = int(min(max(int(B * ph) + 1, 1), B))
        lows[k], highs[k] = s[lo - 1, k], s[hi - 1, k]
    return lows, highs
