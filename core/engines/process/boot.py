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
objects, no Python loop over resamples.

Random streams: the resamples are drawn in blocks of ⌈BLOCK_DRAWS / n⌉
resamples (32 at 100,000 rows, all of them for a few hundred rows); block
b of round r (r = 0, then the rounds that replace singular resamples)
draws from its own generator ``numpy.random.default_rng(SeedSequence(seed,
spawn_key=(r, b)))``, its resamples one after another, n exact bounded
integers each.  So a seed (with the data and the number of resamples)
fixes every resample, however the work is chunked for memory or cache and
however many threads do it.  Within a block, resamples are processed in
chunks that bound memory (4 MB of counts, at least 32 resamples), counted
in sub-batches of ~400,000 draws that stay in cache; blocks of large jobs
(≥ THREAD_MIN_DRAWS draws) go to two worker threads — drawing and the BLAS
product release the GIL, counting does not — with a few reused counts
buffers (three blocks' counts: ≈ 80 MB at 100,000 rows), so memory stays
bounded.

A resample whose design is singular or nearly so (a Cholesky pivot of its
unit-diagonal Gram below 1e-10, e.g. all rows of one group) is replaced by
a fresh one, as PROCESS does; the number replaced is reported.
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

from core.engines.ols import blas_single_thread

COUNTS_BYTES = 4 * 2**20       # counts per chunk (float64): stays in cache for small n …
MIN_CHUNK = 32                 # … but at least this many resamples, so Q is read once per 32 resamples
SUB_ELEMENTS = 400_000         # draws counted per CSR → dense call (its counts stay in cache)
PIVOT_MIN = 1e-10     # smallest Cholesky pivot of the unit-diagonal Gram (≈ 1 / condition number)
BLOCK_DRAWS = 3_200_000        # a block of resamples (one random stream) holds ⌈BLOCK_DRAWS / n⌉ resamples;
                               # part of what a seed means: changing it changes the resamples
THREADS = min(2, os.cpu_count() or 1)   # worker threads for large jobs …
THREAD_MIN_DRAWS = 20_000_000  # … of at least this many draws in all (fewer: thread start-up is not worth it)


def block_size(n: int) -> int:
    """Resamples per random-stream block for n rows."""
    return max(1, -(-BLOCK_DRAWS // n))


def block_rng(seed: int, rnd: int, block: int) -> np.random.Generator:
    """The generator of block ``block`` of round ``rnd`` (0 = the first draw of
    every resample; 1, 2, … = replacements of singular ones)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(rnd, block)))


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
        self._parts = None

    # -- counts --------------------------------------------------------------
    def _counts(self, rng: np.random.Generator, m: int, out: np.ndarray | None = None) -> np.ndarray:
        """(m × n) multinomial counts: n uniform row draws per resample, counted.

        Draws: NumPy's exact bounded 64-bit integers v, uniform on [0, nᵈ)
        with d the largest power that fits 64 bits (3 for n = 100,000, 7 for
        n = 409); the d base-n digits of each v are d independent uniform row
        numbers, so one 64-bit draw gives d rows (a resample takes
        ⌈n/d⌉ of them and uses the first n of their digits, taken digit by
        digit) — a third of the generator work of one bounded draw per row.
        Counting: a sub-batch of about 400,000 draws (cache-resident) in one
        pass of scipy's CSR → dense conversion, which sums duplicate entries:
        one CSR row per resample, the digits as column indices, 1 as the
        value (0 for the unused digits of the last draw)."""
        n = self.n
        C = out[:m] if out is not None and out.shape[0] >= m else np.empty((m, n))
        sub = max(1, min(m, SUB_ELEMENTS // n))
        d, vpr, weights, indptr = self._csr_parts(sub)
        nn = np.uint64(n)
        for s in range(0, m, sub):   # sub-batches of resamples (not one per resample)
            k = min(sub, m - s)
            v = rng.integers(0, n ** d, size=(k, vpr), dtype=np.uint64)
            D = np.empty((k, d, vpr), dtype=indptr.dtype)
            q = np.empty_like(v)
            for t in range(d - 1):    # digit t = v mod n, then v ← v div n
                np.floor_divide(v, nn, out=q)
                np.subtract(v, q * nn, out=D[:, t, :], casting="unsafe")
                v, q = q, v
            np.copyto(D[:, d - 1, :], v, casting="unsafe")
            block = C[s:s + k]
            block.fill(0.0)
            sparse.csr_matrix((weights[:k * d * vpr], D.reshape(-1), indptr[:k + 1]),
                              shape=(k, n)).toarray(out=block)
        return C

    def _csr_parts(self, sub: int) -> tuple:
        """Digits per draw d, draws per resample, the CSR values (1, or 0 for
        unused digits) and row pointers for a sub-batch of up to ``sub``
        resamples (made before any thread starts; read-only after)."""
        n = self.n
        if self._parts is None or self._parts[3].size < sub + 1:
            d = 1
            while n ** (d + 1) <= 2**64:
                d += 1
            vpr = -(-n // d)
            per = d * vpr                           # digits drawn per resample (≥ n)
            dtype = np.int32 if (sub + 1) * per < 2**31 else np.int64
            weights = np.ones((sub, per))
            weights[:, n:] = 0.0
            self._parts = (d, vpr, weights.reshape(-1), np.arange(0, (sub + 1) * per, per, dtype=dtype))
        return self._parts

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
        2-core machine made them up to 10× slower; large jobs use threads of
        their own instead (blocks of resamples; see the module docstring)."""
        with blas_single_thread():
            return self._run(stat_fn, n_boot, seed, progress)

    def _block(self, seed: int, rnd: int, b: int, m: int, buf: np.ndarray, stat_fn):
        """Statistics and validity of the m resamples of block ``b`` (round
        ``rnd``), chunk by chunk (``buf`` holds one chunk's counts)."""
        rng = block_rng(seed, rnd, b)
        vals, oks = [], []
        for s in range(0, m, buf.shape[0]):
            k = min(buf.shape[0], m - s)
            coefs, sds, ok = self._solve(self._counts(rng, k, buf) @ self.Q)
            vals.append(stat_fn(coefs, sds))
            oks.append(ok)
        return (vals[0], oks[0]) if len(vals) == 1 else (np.vstack(vals), np.concatenate(oks))

    def _run(self, stat_fn, n_boot: int, seed: int, progress=None) -> tuple[np.ndarray, int]:
        n = self.n
        bsize = min(n_boot, block_size(n))
        chunk = max(1, min(bsize, max(MIN_CHUNK, COUNTS_BYTES // (8 * n))))
        self._csr_parts(max(1, min(chunk, SUB_ELEMENTS // n)))
        threads = THREADS if THREADS > 1 and n_boot * n >= THREAD_MIN_DRAWS and n_boot > bsize else 1
        out = None
        bad_total = 0
        todo = np.arange(n_boot)
        rnd = 0
        done = 0

        def collect(ids, vals, ok):
            nonlocal out, done
            if out is None:
                out = np.full((n_boot, vals.shape[1]), np.nan)
            out[ids[ok]] = vals[ok]
            done += int(ok.sum())
            if progress is not None:
                progress(min(1.0, done / n_boot))
            return ids[~ok]

        free = [np.empty((chunk, n)) for _ in range(threads + 1 if threads > 1 else 1)]   # counts buffers
        pool = ThreadPoolExecutor(max_workers=threads) if threads > 1 else None
        try:
            while todo.size and rnd < 50:
                bad = []
                pending: deque = deque()
                for b, s in enumerate(range(0, todo.size, bsize)):
                    ids = todo[s:s + bsize]
                    if pool is None:
                        bad.append(collect(ids, *self._block(seed, rnd, b, ids.size, free[0], stat_fn)))
                        continue
                    if not free:     # every buffer is in use: collect the oldest block (results stay in order)
                        pids, fut, buf = pending.popleft()
                        bad.append(collect(pids, *fut.result()))
                        free.append(buf)
                    buf = free.pop()
                    pending.append((ids, pool.submit(self._block, seed, rnd, b, ids.size, buf, stat_fn), buf))
                while pending:
                    pids, fut, buf = pending.popleft()
                    bad.append(collect(pids, *fut.result()))
                    free.append(buf)
                todo = np.concatenate(bad) if bad else np.array([], dtype=int)
                bad_total += todo.size
                rnd += 1
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
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
