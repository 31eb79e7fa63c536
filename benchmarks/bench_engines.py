"""Why the hand-written engines: each one beside the library it could have
been taken from, in one run (figures for core/engines/README.md).

    python benchmarks/bench_engines.py [--repeat 5]

- OLS (core/engines/ols.py) vs ``statsmodels.OLS`` on 1,000,000 rows ×
  10 predictors: classical and HC3 fits, wall/CPU time and the largest
  difference in coefficients and HC3 SEs;
- the studentized range (core/engines/srange.py) vs
  ``scipy.stats.studentized_range`` on the R ``ptukey``/``qtukey`` reference
  grid (tests/reference/difference_srange.json): time and largest error
  against R;
- principal axis factoring (core/engines/factor.py) vs
  ``factor_analyzer`` (``method="principal"``, the nearest it has) on psych's
  bfi, 5 factors: communalities against ``psych::fa(fm = "pa")``
  (tests/reference/measurement_efa_bfi.json);
- the SEM/CFA fitter (core/engines/sem.py) vs ``semopy`` on the
  Holzinger–Swineford three-factor CFA: χ², RMSEA, AIC, BIC against lavaan
  (tests/reference/measurement_cfa_hs.json).

Every library here is a benchmark/test dependency only.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import registry  # noqa: E402
from core.engines import ols  # noqa: E402
from core.engines.srange import ptukey, qtukey  # noqa: E402
from core.data import io  # noqa: E402
from core.data.prepare import build_dataset  # noqa: E402
from core import recipe as recipes  # noqa: E402

REF = ROOT / "tests" / "reference"
DATA = ROOT / "tests" / "data"


def timed(fn, repeat: int, warm: bool = True) -> tuple[float, float, object]:
    """(median wall s, median CPU s, last result) of ``repeat`` calls after a
    warm-up (``warm``; scipy's studentized range takes a minute: one cold call)."""
    out = fn() if warm else None
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), out


def ols_case(repeat: int) -> None:
    import statsmodels.api as sm

    n, k = 1_000_000, 10
    rng = np.random.default_rng(7)
    X = rng.normal(size=(n, k)) * rng.uniform(0.5, 3, size=k) + rng.uniform(-5, 50, size=k)
    y = X @ rng.normal(size=k) + rng.normal(size=n) * (1 + np.abs(X[:, 0] - X[:, 0].mean()))
    Xc = sm.add_constant(X)

    def ours(hc):
        def go():
            with ols.blas_single_thread():
                cr = ols.cross(X, y)
                ols.check_design(cr)
                return ols.fit(cr, hc=hc)
        return go

    def theirs(hc):
        return lambda: sm.OLS(y, Xc).fit(**({"cov_type": hc} if hc else {}))
    print(f"\n### OLS, {n:,} rows × {k} predictors (load {os.getloadavg()[0]:.1f})\n")
    print("| fit | ours wall (CPU) s | statsmodels wall (CPU) s | max rel. diff b | max rel. diff SE |")
    print("|---|---|---|---|---|")
    for hc in (None, "HC3"):
        w1, c1, a = timed(ours(hc), repeat)
        w2, c2, b = timed(theirs(hc), repeat)
        db = np.max(np.abs(a.coef - b.params) / np.abs(b.params))
        dse = np.max(np.abs(a.se - b.bse) / b.bse)
        print(f"| {hc or 'classical'} | {w1:.3f} ({c1:.3f}) | {w2:.3f} ({c2:.3f}) | {db:.1e} | {dse:.1e} |")
    p_ours, p_sm = ours("HC3")().p[1], theirs("HC3")().pvalues[1]
    print(f"\nstatsmodels' HC3 p values are normal (z) tests unless use_t=True: slope 1 p = {p_sm:.3g} "
          f"(ours, t on n − k − 1 df as lmtest::coeftest and SPSS: {p_ours:.3g})")


def srange_case(repeat: int) -> None:
    from scipy.stats import studentized_range

    ref = json.loads((REF / "difference_srange.json").read_text())["expected"]
    P = pd.DataFrame(ref["ptukey"])
    Q = pd.DataFrame(ref["qtukey"])
    q, k, df, want = (P[c].to_numpy(float) for c in ("q", "k", "df", "upper"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w1, c1, ours_p = timed(lambda: ptukey(q, k, df, lower_tail=False), repeat)
        w2, c2, sp_p = timed(lambda: studentized_range.sf(q, k, df), 1, warm=False)
        pq, kq, dq, wq = (Q[c].to_numpy(float) for c in ("p", "k", "df", "q"))
        w3, c3, ours_q = timed(lambda: qtukey(pq, kq, dq), repeat)
        w4, c4, sp_q = timed(lambda: studentized_range.ppf(pq, kq, dq), 1, warm=False)
    print(f"\n### Studentized range, R reference grid (load {os.getloadavg()[0]:.1f})\n")
    print("| function | values | ours wall (CPU) s | max abs error vs R | scipy wall (CPU) s | max abs error vs R |")
    print("|---|---|---|---|---|---|")
    print(f"| ptukey (upper tail) | {len(q)} | {w1:.4f} ({c1:.4f}) | {np.max(np.abs(ours_p - want)):.1e} | "
          f"{w2:.3f} ({c2:.3f}) | {np.nanmax(np.abs(sp_p - want)):.1e} |")
    print(f"| qtukey | {len(pq)} | {w3:.4f} ({c3:.4f}) | {np.max(np.abs(ours_q - wq)):.1e} | "
          f"{w4:.3f} ({c4:.3f}) | {np.nanmax(np.abs(sp_q - wq)):.1e} |")


def factor_case(repeat: int) -> None:
    from factor_analyzer import FactorAnalyzer

    ref = json.loads((REF / "measurement_efa_bfi.json").read_text())["expected"]
    items = ref["items"]
    lam = np.array(ref["fits"]["pa_none"]["loadings"]).T
    h2_psych = (lam ** 2).sum(axis=1)
    ds = build_dataset(io.read_path(DATA / "bfi.csv"), recipes.empty())
    X = ds.frame[items].dropna().to_numpy(float)
    opts = {"items": items, "n_factors": 5, "method": "pa", "rotation": "none"}
    w1, c1, res = timed(lambda: registry.run("efa", ds, opts), repeat)
    lo = res.tables["loadings"]
    ours_h2 = lo.groupby("item")["communality"].first().loc[items].to_numpy(float)

    def fa():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return FactorAnalyzer(n_factors=5, rotation=None, method="principal").fit(X)
    w2, c2, m = timed(fa, repeat)
    fa_h2 = m.get_communalities()
    print(f"\n### Principal axis, bfi ({len(X)} rows, 25 items, 5 factors; load {os.getloadavg()[0]:.1f})\n")
    print("| engine | wall (CPU) s | max abs diff of communalities vs psych::fa(fm = \"pa\") |")
    print("|---|---|---|")
    print(f"| ours (`registry.run(\"efa\")`, every table) | {w1:.3f} ({c1:.3f}) | "
          f"{np.max(np.abs(ours_h2 - h2_psych)):.1e} |")
    print(f"| factor_analyzer `method=\"principal\"` | {w2:.3f} ({c2:.3f}) | {np.max(np.abs(fa_h2 - h2_psych)):.1e} |")


def sem_case(repeat: int) -> None:
    import semopy

    ref = json.loads((REF / "measurement_cfa_hs.json").read_text())
    model = ref["options"]["model"]
    lav = ref["expected"]["fit"]
    ds = build_dataset(io.read_path(DATA / "holzinger_swineford.csv"), recipes.empty())
    w1, c1, res = timed(lambda: registry.run("cfa", ds, {"model": model}), repeat)
    fit = res.tables["fit"]
    ours = dict(zip(fit.iloc[:, 0], fit.iloc[:, 1])) if fit.shape[0] > 1 else fit.iloc[0].to_dict()
    data = ds.frame[[f"x{i}" for i in range(1, 10)]]

    def go():
        m = semopy.Model(model)
        m.fit(data)
        return semopy.calc_stats(m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w2, c2, st = timed(go, repeat)
    s = st.T.iloc[:, 0]
    print(f"\n### CFA, Holzinger–Swineford (301 rows, 3 factors; load {os.getloadavg()[0]:.1f})\n")
    print("| statistic | lavaan | ours | semopy |\n|---|---|---|---|")
    for name, lk, sk in (("χ²", "chisq", "chi2"), ("RMSEA", "rmsea", "RMSEA"), ("CFI", "cfi", "CFI"),
                         ("AIC", "aic", "AIC"), ("BIC", "bic", "BIC")):
        okey = {"chisq": "chi2"}.get(lk, lk)
        print(f"| {name} | {lav[lk]:.6g} | {float(ours.get(okey, np.nan)):.6g} | {float(s[sk]):.6g} |")
    print(f"| wall (CPU) s | — | {w1:.3f} ({c1:.3f}) | {w2:.3f} ({c2:.3f}) |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", choices=("ols", "srange", "factor", "sem"))
    args = ap.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}; load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores); "
          f"median of {args.repeat} runs after a warm-up")
    for name, fn in (("ols", ols_case), ("srange", srange_case), ("factor", factor_case), ("sem", sem_case)):
        if args.only in (None, name):
            fn(args.repeat)


if __name__ == "__main__":
    main()
