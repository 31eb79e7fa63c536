"""Difference battery and cross-tabulation: the computation (conventions in ``spec.py``)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import chdtrc, fdtrc, fdtri, gammaln, ndtr, stdtr, stdtrit

from core.data.model import Dataset, json_code
from core.errors import UserError
from core.engines.srange import ptukey, qtukey
from core.analyses.difference.spec import POSTHOC, SPECS
from core.types import Note, Result

TEST_NAMES = ("levene_mean", "levene_median", "student_t", "welch_t", "anova", "welch_anova", "brown_forsythe",
              "mann_whitney", "kruskal")
POOLED = ("tukey", "bonferroni", "lsd", "scheffe", "sidak")   # post-hoc tests on the pooled error variance
MAX_GROUPS = 50
ALPHA = 0.05

COLS = {tb.name: tb.column_names for tb in SPECS[0].tables}


# ---- splits -------------------------------------------------------------------
def suggest_merges(ds: Dataset, name: str, min_n: int = 5) -> list[list[str]]:
    """Merge each level smaller than ``min_n`` with its smaller neighbour (in
    level order) until every merged level has at least ``min_n`` rows; returns
    lists of level codes (the ``merge`` option's form)."""
    idx, codes = ds.group_codes(name)
    counts = np.bincount(idx[idx >= 0], minlength=len(codes)).tolist()
    blocks = [[i] for i in range(len(codes))]
    sizes = list(counts)
    while len(blocks) > 1 and min(sizes) < min_n:
        i = int(np.argmin(sizes))
        if i == 0:
            j = 1
        elif i == len(blocks) - 1:
            j = i - 1
        else:
            j = i - 1 if sizes[i - 1] <= sizes[i + 1] else i + 1
        a, b = sorted((i, j))
        blocks[a:b + 1] = [blocks[a] + blocks[b]]
        sizes[a:b + 1] = [sizes[a] + sizes[b]]
    return [[json_code(codes[i]) for i in blk] for blk in blocks if len(blk) > 1]


# ---- per-outcome preparation ----------------------------------------------------------
DISCRETE_MAX = 4096   # outcomes with at most this many distinct values use count tables


class _Split:
    """One split, prepared once for every outcome: group index per row
    (−1 = missing) in narrow integers, and the same with k for missing (``ck``)."""

    def __init__(self, codes: np.ndarray, k: int):
        self.k = k
        self.codes = codes.astype(np.int16 if k < 32000 else np.int64)   # narrow codes: cheaper gathers
        self.codes8 = codes.astype(np.int8) if k < 127 else self.codes
        self.ck = np.where(self.codes >= 0, self.codes, k).astype(np.int64)


class _Outcome:
    """One outcome, prepared once for every split.

    Discrete outcomes (Likert items and scores: few distinct values) keep the
    index of each row's value among the sorted distinct values (``inv``); a
    split × outcome cell is then one ``bincount`` of group × value, and every
    statistic — sums, centred sums of squares, medians, mid-ranks, ties — comes
    from that small table.  Continuous outcomes are sorted once (``rows`` in
    increasing y); medians and ranks of every split come from that order.
    """

    def __init__(self, y: np.ndarray):
        self.y = y
        self.inv_n = None
        fin_mask = np.isfinite(y)
        probe = y[:40_000]
        self.discrete = np.unique(probe[np.isfinite(probe)]).size <= DISCRETE_MAX // 2
        if self.discrete:
            codes, uniq = pd.factorize(y, use_na_sentinel=True)
            self.discrete = uniq.size <= DISCRETE_MAX
        if self.discrete:
            uniq = np.asarray(uniq, dtype=float)
            order = np.argsort(uniq)
            rank = np.empty(uniq.size, dtype=np.int64)
            rank[order] = np.arange(uniq.size)
            self.vals = uniq[order]
            self.nb = uniq.size
            # an outcome with no valid value at all has no ranks: every row is missing
            self.inv = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1) if uniq.size else np.full(y.shape, -1)
            return
        fin = np.flatnonzero(fin_mask)
        order = np.argsort(y[fin])
        self.rows = fin[order]                # row positions, by increasing y
        self.ys = y[self.rows]
        n = self.ys.size
        new = np.empty(n, dtype=bool)
        if n:
            new[0] = True
            np.not_equal(self.ys[1:], self.ys[:-1], out=new[1:])
        self.nb = int(new.sum())
        if self.nb == n:                      # no ties: ranks are positions
            self.block = np.arange(n)
            self.vals = self.ys
            self.rank_all = np.arange(1.0, n + 1.0)
            self.ties_all = 0.0
        else:
            self.block = np.cumsum(new) - 1   # tie block of each sorted value
            self.vals = self.ys[new]
            m_b = np.bincount(self.block, minlength=self.nb).astype(float)
            self.rank_all = (np.cumsum(m_b) - (m_b - 1) / 2)[self.block]   # mid-ranks among all finite values
            self.ties_all = float(np.sum(m_b ** 3 - m_b))
        # values centred on their mean: sums of deviations stay exact-ish in prefix sums
        self.center = float(self.ys.mean()) if self.ys.size else 0.0
        self.ys_c = self.ys - self.center

    def finite(self) -> np.ndarray:
        return self.y[np.isfinite(self.y)]

    def counts(self, split: _Split):
        """Rows per group and the state the summaries need."""
        k = split.k
        if self.discrete:
            if self.inv_n is None:
                self.inv_n = np.where(self.inv >= 0, self.inv, self.nb).astype(np.int64)
            # missing group → row k, missing value → column nb: no masks needed
            C = np.bincount(split.ck * (self.nb + 1) + self.inv_n, minlength=(k + 1) * (self.nb + 1))
            C = C.reshape(k + 1, self.nb + 1)[:k, :self.nb]
            return C.sum(1), ("table", C)
        gs = split.codes8[self.rows]            # group of each sorted value (a cache-resident gather)
        cnt = np.bincount(gs + 1, minlength=k + 1)[1:]
        return cnt, ("sorted", gs)

    def summaries(self, state, keep: np.ndarray, k_all: int) -> dict:
        """Grouped sufficient statistics of the kept groups."""
        kind = state[0]
        if kind == "table":
            return _table_summaries(state[1][keep].astype(float), self.vals)
        gs = state[1]
        if keep.size < k_all:
            lut = np.full(k_all + 1, -1, dtype=np.int64)
            lut[keep] = np.arange(keep.size)
            gs = lut[gs]
        return _row_summaries(self, gs, keep.size)


def _table_summaries(C: np.ndarray, v: np.ndarray) -> dict:
    """Everything from the k × distinct-values count table."""
    keepv = C.sum(0) > 0
    C, v = C[:, keepv], v[keepv]
    n = C.sum(1)
    mean = (C @ v) / n
    dev = v[None, :] - mean[:, None]
    ss = (C * dev * dev).sum(1)
    z = np.abs(dev)
    zm = (C * z).sum(1) / n
    zss = (C * (z - zm[:, None]) ** 2).sum(1)
    cum = C.cumsum(1)
    lo = ((n - 1) // 2)[:, None]
    hi = (n // 2)[:, None]
    med = 0.5 * (v[(cum <= lo).sum(1)] + v[(cum <= hi).sum(1)])
    z2 = np.abs(v[None, :] - med[:, None])
    z2m = (C * z2).sum(1) / n
    z2ss = (C * (z2 - z2m[:, None]) ** 2).sum(1)
    m_b = C.sum(0)
    rank_b = np.cumsum(m_b) - (m_b - 1) / 2
    return dict(n=n, mean=mean, ss=ss, zm=zm, zss=zss, z2m=z2m, z2ss=z2ss, med=med, rsum=C @ rank_b,
                ties=float(np.sum(m_b ** 3 - m_b)))


def _row_summaries(out: _Outcome, gs: np.ndarray, k: int) -> dict:
    """Grouped statistics from the outcome's sorted values; ``gs`` = group of
    each sorted value (−1 = not used).  Each group's values come out of the
    one sort already in order, so its median is read off, and the sums of
    absolute deviations around the group mean and median follow from prefix
    sums (no second pass over the rows)."""
    ys = out.ys_c
    if k <= 8:
        pos = [np.flatnonzero(gs == j) for j in range(k)]
    else:
        perm = np.argsort(gs, kind="stable")     # radix sort of small integers: by group, then by y
        cnt = np.bincount(gs + 1, minlength=k + 1)
        pos = np.split(perm[cnt[0]:], np.cumsum(cnt[1:])[:-1])
    used = sum(p.size for p in pos)
    if used == ys.size:
        rank_src, ties = out.rank_all, out.ties_all
    else:                                          # ranks among the rows this cell uses
        valid = gs >= 0
        m_b = np.bincount(out.block[valid], minlength=out.nb).astype(float)
        rank_src = (np.cumsum(m_b) - (m_b - 1) / 2)[out.block]
        ties = float(np.sum(m_b ** 3 - m_b))
    positional = rank_src is out.rank_all and out.ties_all == 0.0   # ranks are positions + 1
    f = np.zeros((10, k))
    for j, p in enumerate(pos):
        v = ys[p]                                  # ascending
        n = v.size
        s1 = float(v.sum())
        mean = s1 / n
        # values are centred on the overall mean, so Σv² − n·mean² loses nothing that matters
        ss = max(float(np.einsum("i,i->", v, v)) - s1 * mean, 0.0)
        med = 0.5 * (v[(n - 1) // 2] + v[n // 2])

        def absdev(c):
            q = int(np.searchsorted(v, c))
            below = float(v[:q].sum())
            return (c * q - below) + ((s1 - below) - c * (n - q))
        rs = float(p.sum()) + n if positional else float(rank_src[p].sum())
        f[:, j] = (n, mean, ss, absdev(mean) / n, 0.0, absdev(med) / n, 0.0, med, rs, 0.0)
    n, mean, ss, zm, _, z2m, _, med, rsum, _ = f
    zss = np.maximum(ss - n * zm * zm, 0.0)                              # Σ(z − z̄)² = Σz² − n z̄², Σz² = ss
    z2ss = np.maximum(ss + n * (mean - med) ** 2 - n * z2m * z2m, 0.0)   # Σ(y − med)² = ss + n (ȳ − med)²
    return dict(n=n, mean=mean + out.center, ss=ss, zm=zm, zss=zss, z2m=z2m, z2ss=z2ss, med=med + out.center,
                rsum=rsum, ties=ties)


def _oneway_f(n, means, ss):
    """Classic ANOVA F from group n, means and within sums of squares."""
    N, k = n.sum(), n.size
    grand = (n * means).sum() / N
    ssb = float((n * (means - grand) ** 2).sum())
    ssw = float(ss.sum())
    if ssw <= 0:
        return math.nan, k - 1, N - k, math.nan, ssb, ssw
    f = (ssb / (k - 1)) / (ssw / (N - k))
    return f, k - 1, N - k, float(fdtrc(k - 1, N - k, f)), ssb, ssw


def _tests(s: dict) -> tuple[dict, dict]:
    """All tests and effect sizes of one cell from its summaries."""
    n, m, ss = s["n"], s["mean"], s["ss"]
    k, N = n.size, float(n.sum())
    var = ss / (n - 1)
    out: dict[str, tuple] = {}
    nan = math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        f, d1, d2, p, _, _ = _oneway_f(n, s["zm"], s["zss"])
        out["levene_mean"] = (f, d1, d2, p)
        f, d1, d2, p, _, _ = _oneway_f(n, s["z2m"], s["z2ss"])
        out["levene_median"] = (f, d1, d2, p)
        fa, d1, d2, pa, ssb, ssw = _oneway_f(n, m, ss)
        if k == 2:
            sp2 = ssw / (N - 2)
            se = math.sqrt(sp2 * (1 / n[0] + 1 / n[1]))
            t = (m[0] - m[1]) / se if se > 0 else nan
            out["student_t"] = (t, N - 2, nan, 2 * stdtr(N - 2, -abs(t)) if t == t else nan)
            a, b = var[0] / n[0], var[1] / n[1]
            sw = math.sqrt(a + b)
            dfw = (a + b) ** 2 / (a * a / (n[0] - 1) + b * b / (n[1] - 1)) if sw > 0 else nan
            tw = (m[0] - m[1]) / sw if sw > 0 else nan
            out["welch_t"] = (tw, dfw, nan, 2 * stdtr(dfw, -abs(tw)) if tw == tw else nan)
        out["anova"] = (fa, d1, d2, pa)
        # Welch's ANOVA (oneway.test(var.equal = FALSE))
        if np.all(var > 0):
            w = n / var
            W = w.sum()
            mw = (w * m).sum() / W
            A = (w * (m - mw) ** 2).sum() / (k - 1)
            tmp = ((1 - w / W) ** 2 / (n - 1)).sum() / (k * k - 1)
            fw = A / (1 + 2 * (k - 2) * tmp)
            dfw2 = 1 / (3 * tmp)
            out["welch_anova"] = (fw, k - 1, dfw2, float(fdtrc(k - 1, dfw2, fw)))
        else:
            out["welch_anova"] = (nan, k - 1, nan, nan)
        # Brown–Forsythe F* for means (SPSS): df1 = k − 1, Satterthwaite df2
        c = (1 - n / N) * var
        if c.sum() > 0:
            fb = ssb / c.sum()
            dfb = 1 / (((c / c.sum()) ** 2) / (n - 1)).sum()
            out["brown_forsythe"] = (fb, k - 1, dfb, float(fdtrc(k - 1, dfb, fb)))
        else:
            out["brown_forsythe"] = (nan, k - 1, nan, nan)
        # rank tests (tie-corrected)
        R, T = s["rsum"], s["ties"]
        if k == 2:
            n1, n2 = n[0], n[1]
            U = R[0] - n1 * (n1 + 1) / 2
            zc = U - n1 * n2 / 2
            sig = math.sqrt(n1 * n2 / 12 * ((N + 1) - T / (N * (N - 1))))
            if sig > 0:
                z = (zc - 0.5 * np.sign(zc)) / sig
                pu = 2 * min(ndtr(z), ndtr(-z))
            else:
                pu = nan
            out["mann_whitney"] = (U, nan, nan, pu)
        corr = 1 - T / (N ** 3 - N)
        if corr > 0:
            H = (12 / (N * (N + 1)) * (R ** 2 / n).sum() - 3 * (N + 1)) / corr
            out["kruskal"] = (H, k - 1, nan, float(chdtrc(k - 1, H)))
        else:
            out["kruskal"] = (nan, k - 1, nan, nan)
    eff = {}
    sst = ssb + ssw
    msw = ssw / (N - k) if N > k else nan
    if k == 2:
        sp = math.sqrt(ssw / (N - 2)) if N > 2 else nan
        d = (m[0] - m[1]) / sp if sp > 0 else nan
        df = N - 2
        J = math.exp(gammaln(df / 2) - math.log(math.sqrt(df / 2)) - gammaln((df - 1) / 2)) if df > 1 else nan
        eff["cohen_d"] = d
        eff["hedges_g"] = d * J
    eff["eta2"] = ssb / sst if sst > 0 else nan
    eff["omega2"] = max(0.0, (ssb - (k - 1) * msw) / (sst + msw)) if sst > 0 else nan
    return out, eff


def _chosen(k: int, tests: dict, mode: str) -> tuple[str, str]:
    lev_p = tests["levene_mean"][3]
    if mode == "student":
        welch, rule = False, "forced_student"
    elif mode == "welch":
        welch, rule = True, "forced_welch"
    elif lev_p == lev_p and lev_p < ALPHA:
        welch, rule = True, "auto_levene_sig"
    else:
        welch, rule = False, "auto_levene_ns"
    if k == 2:
        return ("welch_t" if welch else "student_t"), rule
    return ("welch_anova" if welch else "anova"), rule


# ---- the battery ----------------------------------------------------------------
def run(ds: Dataset, opts: dict) -> Result:
    groups = list(dict.fromkeys(opts.get("groups") or []))
    outcomes = list(dict.fromkeys(opts.get("outcomes") or []))
    if not groups or not outcomes:
        raise UserError("difference.error.nothing_chosen")
    mode = opts.get("test") or "auto"
    posthoc = [m for m in POSTHOC if m in (opts.get("posthoc") or [])]
    small = int(opts.get("small_group") or 5)
    merge = opts.get("merge") or {}
    if not isinstance(merge, dict):
        raise UserError("difference.error.bad_merge", name="merge")
    notes: list[Note] = []

    splits = {}
    for g in groups:
        codes, levels = ds.split_codes(g, merge)
        splits[g] = (codes, levels, _Split(codes, len(levels)))
    prepared = {}
    for o in outcomes:
        if ds.is_numeric(o):
            prepared[o] = _Outcome(ds.numeric(o))

    rows = {name: [] for name in COLS}
    pending = []   # post-hoc work, evaluated together
    tested_splits: set[str] = set()
    tested_outcomes: set[str] = set()
    dropped: dict[tuple, list] = {}
    flagged: dict[tuple, int] = {}

    for g in groups:
        codes, levels, split = splits[g]
        k_all = len(levels)
        for o in outcomes:
            base = {"group": g, "outcome": o}

            def fail(code, k=None, n=None):
                rows["tests"].append({**base, "k": k, "n": n, "test": None, "statistic": None, "df1": None,
                                      "df2": None, "p": None, "effect_size_name": None, "effect_size": None,
                                      "rule": None, "note": code})
                kw = {"group": g} if code == "too_many_groups" else {"group": g, "outcome": o}
                note = Note(f"difference.note.cell_{code}", kw)
                if note not in notes:
                    notes.append(note)

            if o not in prepared:
                fail("not_numeric")
                continue
            out = prepared[o]
            if k_all > MAX_GROUPS:
                fail("too_many_groups", k=k_all)
                continue
            cnt, state = out.counts(split)
            keep = np.flatnonzero(cnt >= 2)
            for j in np.flatnonzero(cnt < 2):
                dropped.setdefault((g, levels[j], int(cnt[j])), []).append(o)
            if keep.size < 2:
                fail("no_data" if cnt.sum() == 0 else "one_group", k=int(keep.size), n=int(cnt[keep].sum()))
                continue
            levs = [levels[j] for j in keep]
            k = len(levs)
            s = out.summaries(state, keep, k_all)
            tested_splits.add(g)
            tested_outcomes.add(o)
            n, mean, var = s["n"], s["mean"], s["ss"] / (s["n"] - 1)
            N = int(n.sum())
            se = np.sqrt(var / n)
            tq = stdtrit(n - 1, 0.975)
            for j, lev in enumerate(levs):
                is_small = bool(n[j] < small)
                if is_small:
                    flagged[(g, lev)] = max(flagged.get((g, lev), 0), int(n[j]))
                rows["group_stats"].append({**base, "level": lev, "n": int(n[j]), "mean": mean[j],
                                            "sd": math.sqrt(var[j]), "se": se[j], "ci_low": mean[j] - tq[j] * se[j],
                                            "ci_high": mean[j] + tq[j] * se[j], "small": is_small})
            if s["ss"].sum() + float((n * (mean - (n * mean).sum() / N) ** 2).sum()) <= 0:
                fail("constant", k=k, n=N)
                continue
            if s["ss"].sum() <= 0:
                fail("no_within_variance", k=k, n=N)
                continue
            tests, eff = _tests(s)
            for name in TEST_NAMES:
                if name in tests:
                    st, d1, d2, p = tests[name]
                    rows["all_tests"].append({**base, "test": name, "statistic": st, "df1": d1, "df2": d2, "p": p})
            for name, v in eff.items():
                rows["effects"].append({**base, "measure": name, "value": v})
            chosen, rule = _chosen(k, tests, mode)
            st, d1, d2, p = tests[chosen]
            if chosen == "welch_anova" and not st == st:
                # SPSS: robust tests cannot be performed when a group has zero variance
                chosen, rule = "anova", "welch_undefined"
                st, d1, d2, p = tests[chosen]
                notes.append(Note("difference.note.welch_undefined", {"group": g, "outcome": o}))
            es_name = "cohen_d" if k == 2 else "eta2"
            rows["tests"].append({**base, "k": k, "n": N, "test": chosen, "statistic": st, "df1": d1, "df2": d2,
                                  "p": p, "effect_size_name": es_name, "effect_size": eff[es_name], "rule": rule,
                                  "note": None})
            if posthoc:
                pending.append((base, levs, n, mean, var, float(s["ss"].sum())))

    rows["posthoc"] = _posthoc(pending, posthoc)
    for (g, lev, cnt), outs in dropped.items():
        notes.append(Note("difference.note.dropped_group", {"group": g, "level": json_code(lev), "n": cnt,
                                                            "outcomes": ", ".join(outs)}, {"level": g}))
    for (g, lev), cnt in flagged.items():
        notes.append(Note("difference.note.small_group", {"group": g, "level": json_code(lev), "n": cnt,
                                                          "min": small}, {"level": g}))

    rows["levels"] = _levels(ds, outcomes, prepared, notes)
    by = opts.get("by")
    if by:
        f_rows, fm_rows = _factorial_all(ds, groups, by, outcomes, prepared, merge, notes)
        rows["factorial"], rows["factorial_means"] = f_rows, fm_rows

    tables = {name: pd.DataFrame(rows[name], columns=COLS[name]) for name in COLS
              if name not in ("factorial", "factorial_means") or by}
    notes.insert(0, Note("difference.note.convention"))
    notes.insert(1, Note(f"difference.note.rule_{mode}"))
    if posthoc:
        notes.append(Note("difference.note.posthoc"))
    # rows used: valid on at least one tested split and at least one tested outcome
    # (every split is crossed with every outcome, so that is the union of the cells)
    n_used = 0
    if tested_splits:
        any_split = np.zeros(len(ds.frame), dtype=bool)
        for g in tested_splits:
            any_split |= splits[g][0] >= 0
        any_outcome = np.zeros(len(ds.frame), dtype=bool)
        for o in tested_outcomes:
            any_outcome |= np.isfinite(prepared[o].y)
        n_used = int((any_split & any_outcome).sum())
    return Result("difference", n_used, tables, notes,
                  meta={"test": mode, "by": by or None, "merge": merge})


def _posthoc(pending: list, methods: list[str]) -> list[dict]:
    """Pairwise comparisons of every cell, the studentized range evaluated once
    for all pairs."""
    if not pending or not methods:
        return []
    recs = []
    for base, levs, n, mean, var, ssw in pending:
        k = len(levs)
        N = n.sum()
        ia, ib = [], []
        for b in range(k - 1):
            for a in range(b + 1, k):
                ia.append(a)
                ib.append(b)
        ia, ib = np.array(ia), np.array(ib)
        recs.append((base, levs, k, N, mean[ia] - mean[ib], ia, ib, n, var, ssw / (N - k)))
    out = []
    # per method, gather every pair of every cell
    for method in methods:
        parts = []
        for base, levs, k, N, diff, ia, ib, n, var, mse in recs:
            m = len(ia)
            if method in POOLED:
                se = np.sqrt(mse * (1 / n[ia] + 1 / n[ib]))
                df = np.full(m, N - k)
            else:
                va, vb = var[ia] / n[ia], var[ib] / n[ib]
                se = np.sqrt(va + vb)
                with np.errstate(divide="ignore", invalid="ignore"):
                    df = (va + vb) ** 2 / (va * va / (n[ia] - 1) + vb * vb / (n[ib] - 1))
            parts.append((base, levs, k, diff, se, df, ia, ib, m))
        diff = np.concatenate([p[3] for p in parts])
        se = np.concatenate([p[4] for p in parts])
        df = np.concatenate([p[5] for p in parts]).astype(float)
        kk = np.concatenate([np.full(p[8], p[2], dtype=float) for p in parts])
        mm = np.concatenate([np.full(p[8], p[2] * (p[2] - 1) / 2) for p in parts])
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = diff / se
            p_lsd = 2 * stdtr(df, -np.abs(stat))
            if method == "bonferroni":
                p = np.minimum(1.0, p_lsd * mm)
                half = stdtrit(df, 1 - ALPHA / (2 * mm)) * se
            elif method == "lsd":
                p = p_lsd
                half = stdtrit(df, 1 - ALPHA / 2) * se
            elif method == "sidak":
                p = np.minimum(1.0, -np.expm1(mm * np.log1p(-p_lsd)))        # 1 − (1 − p)^m, exact for small p
                half = stdtrit(df, 1 + np.expm1(np.log1p(-ALPHA) / mm) / 2) * se   # α_S = 1 − (1 − α)^(1/m)
            elif method == "scheffe":
                p = fdtrc(kk - 1, df, stat * stat / (kk - 1))
                half = np.sqrt((kk - 1) * fdtri(kk - 1, df, 1 - ALPHA)) * se
            else:
                p = ptukey(np.abs(stat) * math.sqrt(2), kk, df, lower_tail=False)
                # one quantile per distinct (k, df): Tukey shares it within a cell
                key = np.stack([kk, df], axis=1)
                uniq, inv = np.unique(key, axis=0, return_inverse=True)
                crit = qtukey(1 - ALPHA, uniq[:, 0], uniq[:, 1])[inv.ravel()]
                half = crit * se / math.sqrt(2)
        pos = 0
        for base, levs, k, _, _, _, ia, ib, m in parts:
            for j in range(m):
                i = pos + j
                out.append({**base, "method": method, "level_a": levs[ia[j]], "level_b": levs[ib[j]],
                            "diff": diff[i], "se": se[i], "ci_low": diff[i] - half[i], "ci_high": diff[i] + half[i],
                            "p": p[i], "statistic": stat[i], "df": df[i]})
            pos += m
    order = {m: i for i, m in enumerate(methods)}
    out.sort(key=lambda r: order[r["method"]])
    return out


# ---- levels: each outcome against its scale's midpoint -------------------------------
def _levels(ds: Dataset, outcomes: list[str], prepared: dict, notes: list[Note]) -> list[dict]:
    out = []
    for o in outcomes:
        if o not in prepared:
            continue
        rng = ds.scale_range(o)
        if rng is None:
            notes.append(Note("difference.note.no_scale_range", {"outcome": o}))
            continue
        lo, hi = rng
        x = prepared[o].finite()
        n = x.size
        if n < 2:
            continue
        mean = float(x.mean())
        sd = float(x.std(ddof=1))
        mid = (lo + hi) / 2
        c1, c2 = lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3
        level = "low" if mean < c1 else "high" if mean > c2 else "medium"
        t = (mean - mid) / (sd / math.sqrt(n)) if sd > 0 else math.nan
        p = 2 * stdtr(n - 1, -abs(t)) if t == t else math.nan
        out.append({"outcome": o, "n": n, "mean": mean, "sd": sd, "midpoint": mid, "low_cut": c1, "high_cut": c2,
                    "level": level, "t": t, "df": n - 1, "p": p})
    return out


# ---- two-way ANOVA, Type III sums of squares -----------------------------------------
def _contr_sum(k: int) -> np.ndarray:
    c = np.zeros((k, k - 1))
    c[:k - 1] = np.eye(k - 1)
    c[k - 1] = -1.0
    return c


def _factorial_all(ds, groups, by, outcomes, prepared, merge, notes):
    f_rows, m_rows = [], []
    gb, lb = ds.split_codes(by, merge)
    for g in groups:
        if g == by:
            continue
        ga, la = ds.split_codes(g, merge)
        if len(la) * len(lb) > 200:
            notes.append(Note("difference.note.factorial_too_many", {"group": g, "by": by}))
            continue
        for o in outcomes:
            if o not in prepared:
                continue
            y = prepared[o].y
            ok = (ga >= 0) & (gb >= 0) & np.isfinite(y)
            y, a, b = y[ok], ga[ok], gb[ok]
            ka, kb = len(la), len(lb)
            cell = a * kb + b
            cnt = np.bincount(cell, minlength=ka * kb).astype(float)
            # levels with no rows at all in this outcome are not part of the design
            use_a = np.flatnonzero(cnt.reshape(ka, kb).sum(1) > 0)
            use_b = np.flatnonzero(cnt.reshape(ka, kb).sum(0) > 0)
            sub = cnt.reshape(ka, kb)[np.ix_(use_a, use_b)]
            if use_a.size < 2 or use_b.size < 2:
                notes.append(Note("difference.note.factorial_one_level", {"group": g, "by": by, "outcome": o}))
                continue
            if (sub == 0).any():
                notes.append(Note("difference.note.factorial_empty_cell", {"group": g, "by": by, "outcome": o}))
                continue
            res = _factorial(y, a, b, ka, kb, use_a, use_b)
            if res is None:
                notes.append(Note("difference.note.factorial_failed", {"group": g, "by": by, "outcome": o}))
                continue
            table, cells = res
            names = {"intercept": "(Intercept)", "a": g, "b": by, "ab": f"{g}:{by}"}
            for r in table:
                f_rows.append({"group": g, "by": by, "outcome": o, **r, "source": names.get(r["source"], r["source"])})
            for (i, j), (n, mean, sd) in cells.items():
                se = sd / math.sqrt(n) if n > 1 else math.nan
                tq = float(stdtrit(n - 1, 0.975)) if n > 1 else math.nan
                m_rows.append({"group": g, "by": by, "outcome": o, "level": la[i], "by_level": lb[j], "n": int(n),
                               "mean": mean, "sd": sd, "se": se, "ci_low": mean - tq * se, "ci_high": mean + tq * se})
    return f_rows, m_rows


def _factorial(y, a, b, ka, kb, use_a, use_b):
    ma = np.full(ka, -1)
    ma[use_a] = np.arange(use_a.size)
    mb = np.full(kb, -1)
    mb[use_b] = np.arange(use_b.size)
    a, b = ma[a], mb[b]
    ka, kb = use_a.size, use_b.size
    cell = a * kb + b
    nc = np.bincount(cell, minlength=ka * kb).astype(float)
    sums = np.bincount(cell, weights=y, minlength=ka * kb)
    cm = sums / nc
    d = y - cm[cell]
    ssw_c = np.bincount(cell, weights=d * d, minlength=ka * kb)
    sse = float(ssw_c.sum())
    N = y.size
    dfe = N - ka * kb
    if dfe <= 0 or sse <= 0:
        return None
    ca, cb = _contr_sum(ka), _contr_sum(kb)
    X = []
    for i in range(ka):
        for j in range(kb):
            X.append(np.concatenate([[1.0], ca[i], cb[j], np.kron(ca[i], cb[j])]))
    X = np.array(X)
    XtX = X.T @ (X * nc[:, None])
    Xty = X.T @ sums
    try:
        V = np.linalg.inv(XtX)
    except np.linalg.LinAlgError:
        return None
    beta = V @ Xty
    pa, pb = ka - 1, kb - 1
    terms = {"intercept": [0], "a": list(range(1, 1 + pa)), "b": list(range(1 + pa, 1 + pa + pb)),
             "ab": list(range(1 + pa + pb, 1 + pa + pb + pa * pb))}
    mse = sse / dfe
    rows = []
    ybar = y.mean()
    sst_c = float(((y - ybar) ** 2).sum())
    ss_model = sst_c - sse
    dfm = ka * kb - 1
    fm = ss_model / dfm / mse
    rows.append({"source": "Corrected Model", "ss": ss_model, "df": dfm, "ms": ss_model / dfm, "f": fm,
                 "p": float(fdtrc(dfm, dfe, fm)), "partial_eta2": ss_model / (ss_model + sse)})
    for name, idx in terms.items():
        bt = beta[idx]
        ss = float(bt @ np.linalg.solve(V[np.ix_(idx, idx)], bt))
        df = len(idx)
        f = ss / df / mse
        rows.append({"source": name, "ss": ss, "df": df, "ms": ss / df, "f": f, "p": float(fdtrc(df, dfe, f)),
                     "partial_eta2": ss / (ss + sse)})
    rows.append({"source": "Residuals", "ss": sse, "df": dfe, "ms": mse, "f": None, "p": None, "partial_eta2": None})
    rows.append({"source": "Total", "ss": float((y * y).sum()), "df": N, "ms": None, "f": None, "p": None,
                 "partial_eta2": None})
    rows.append({"source": "Corrected Total", "ss": sst_c, "df": N - 1, "ms": None, "f": None, "p": None,
                 "partial_eta2": None})
    cells = {}
    for i in range(ka):
        for j in range(kb):
            c = i * kb + j
            n = nc[c]
            sd = math.sqrt(ssw_c[c] / (n - 1)) if n > 1 else math.nan
            cells[(int(use_a[i]), int(use_b[j]))] = (n, float(cm[c]), sd)
    return rows, cells


# ---- cross-tabulation ------------------------------------------------------------------
def run_crosstab(ds: Dataset, opts: dict) -> Result:
    rows_v = list(dict.fromkeys(opts.get("rows") or []))
    cols_v = list(dict.fromkeys(opts.get("cols") or []))
    correct = bool(opts.get("correct"))
    if cols_v:
        pairs = [(r, c) for r in rows_v for c in cols_v if r != c]
    else:
        pairs = [(rows_v[i], rows_v[j]) for i in range(len(rows_v)) for j in range(i + 1, len(rows_v))]
    if not pairs:
        raise UserError("crosstab.error.nothing_chosen")
    chi_rows, cell_rows, notes = [], [], []
    used = np.zeros(len(ds.frame), dtype=bool)
    for rv, cv in pairs:
        ra, la = ds.split_codes(rv)
        rb, lb = ds.split_codes(cv)
        base = {"row_var": rv, "col_var": cv}
        if len(la) > MAX_GROUPS or len(lb) > MAX_GROUPS:
            chi_rows.append({**base, "chi2": None, "df": None, "p": None, "cramers_v": None, "n": None,
                             "min_expected": None, "low_expected": None, "yates": False})
            notes.append(Note("crosstab.note.too_many_levels", {"row": rv, "col": cv, "max": MAX_GROUPS}))
            continue
        ok = (ra >= 0) & (rb >= 0)
        used |= ok
        tab = np.bincount(ra[ok] * len(lb) + rb[ok], minlength=len(la) * len(lb)).reshape(len(la), len(lb))
        keep_r = np.flatnonzero(tab.sum(1) > 0)
        keep_c = np.flatnonzero(tab.sum(0) > 0)
        tab = tab[np.ix_(keep_r, keep_c)].astype(float)
        n = float(tab.sum())
        if tab.shape[0] < 2 or tab.shape[1] < 2:
            chi_rows.append({**base, "chi2": None, "df": None, "p": None, "cramers_v": None, "n": int(n),
                             "min_expected": None, "low_expected": None, "yates": False})
            notes.append(Note("crosstab.note.one_level", {"row": rv, "col": cv}))
            continue
        E = np.outer(tab.sum(1), tab.sum(0)) / n
        yates = correct and tab.shape == (2, 2)
        dev = np.abs(tab - E)
        chi2_pearson = float((dev ** 2 / E).sum())
        chi2 = float(((dev - min(0.5, float(dev.min()))) ** 2 / E).sum()) if yates else chi2_pearson
        df = (tab.shape[0] - 1) * (tab.shape[1] - 1)
        # Cramér's V from the Pearson χ² without continuity correction, also beside Yates's χ² (SPSS, effectsize)
        v = math.sqrt(chi2_pearson / (n * (min(tab.shape) - 1)))
        low = int((E < 5).sum())
        chi_rows.append({**base, "chi2": chi2, "df": df, "p": float(chdtrc(df, chi2)), "cramers_v": v, "n": int(n),
                         "min_expected": float(E.min()), "low_expected": low, "yates": yates})
        if low:
            notes.append(Note("crosstab.note.low_expected", {"row": rv, "col": cv, "cells": low,
                                                              "pct": round(100 * low / E.size, 1)}))
        rs, cs = tab.sum(1), tab.sum(0)
        for i, ri in enumerate(keep_r):
            for j, cj in enumerate(keep_c):
                cell_rows.append({**base, "row_level": la[ri], "col_level": lb[cj], "n": int(tab[i, j]),
                                  "expected": E[i, j], "row_pct": 100 * tab[i, j] / rs[i],
                                  "col_pct": 100 * tab[i, j] / cs[j], "total_pct": 100 * tab[i, j] / n})
    notes.insert(0, Note("crosstab.note.convention_yates" if correct else "crosstab.note.convention"))
    return Result("crosstab", int(used.sum()), {
        "chi2": pd.DataFrame(chi_rows, columns=["row_var", "col_var", "chi2", "df", "p", "cramers_v", "n",
                                                "min_expected", "low_expected", "yates"]),
        "cells": pd.DataFrame(cell_rows, columns=["row_var", "col_var", "row_level", "col_level", "n", "expected",
                                                  "row_pct", "col_pct", "total_pct"])}, notes)
