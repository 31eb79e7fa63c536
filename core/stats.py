"""Small statistical building blocks shared by analyses (vectorised NumPy).

Conventions follow SPSS unless stated: sample SD with n − 1; skewness and
kurtosis bias-adjusted (SPSS's G1/G2, R's ``e1071::skewness(type = 2)``).
"""
from __future__ import annotations

import math

import numpy as np


def moments(x: np.ndarray) -> dict:
    """n, mean, sd, min, max, skew (G1), kurtosis (G2, excess) and their SEs of
    the finite values of ``x``; NaN where undefined (n too small, sd = 0)."""
    x = np.asarray(x, dtype="float64")
    x = x[np.isfinite(x)]
    n = x.size
    out = dict(n=n, mean=np.nan, sd=np.nan, min=np.nan, max=np.nan, skew=np.nan, kurtosis=np.nan,
               se_skew=np.nan, se_kurtosis=np.nan)
    if n == 0:
        return out
    mean = x.mean()
    d = x - mean
    m2 = np.mean(d**2)
    out.update(mean=mean, min=x.min(), max=x.max())
    if n > 1:
        out["sd"] = np.sqrt(np.sum(d**2) / (n - 1))
    if n > 2 and m2 > 0:
        g1 = np.mean(d**3) / m2**1.5
        out["skew"] = np.sqrt(n * (n - 1)) / (n - 2) * g1
        out["se_skew"] = np.sqrt(6.0 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)))
    if n > 3 and m2 > 0:
        g2 = np.mean(d**4) / m2**2 - 3.0
        out["kurtosis"] = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6.0)
        out["se_kurtosis"] = 2.0 * out["se_skew"] * np.sqrt((n * n - 1.0) / ((n - 3) * (n + 5)))
    return out


def f_from_r2(r2_gain: float, df1: int, r2: float, df2: int) -> float:
    """The F of an R² (or R² change) ``r2_gain`` on df1 over the residual
    share 1 − ``r2`` of the full model on df2.  An exact fit (R² = 1) leaves
    no residual: F is infinite (R's summary.lm, "essentially perfect fit"),
    or undefined when nothing was gained either."""
    resid = (1.0 - r2) / df2
    if resid > 0:
        return (r2_gain / df1) / resid
    return np.inf if r2_gain > 0 else np.nan


DISTINCT_BLOCK = 65_536   # rows compared at a time by distinct_upto


def distinct_upto(x: np.ndarray, stop: int = 3) -> int:
    """The number of distinct values of ``x``, counted only up to ``stop``
    (e.g. 3: "constant, dichotomous or more").  Scans ``x`` in blocks and
    stops at the first block where ``stop`` values have been seen — a
    continuous column stops in its first block — instead of sorting it
    (``np.unique``).  Values compare with ``!=`` (NaN never equals itself:
    give it finite values)."""
    x = np.asarray(x).reshape(-1)
    seen: list = []
    for start in range(0, x.size, DISTINCT_BLOCK):
        block = x[start:start + DISTINCT_BLOCK]
        new = np.ones(block.size, dtype=bool)
        for v in seen:
            new &= block != v
        while new.any():
            v = block[int(new.argmax())]
            seen.append(v)
            if len(seen) >= stop:
                return stop
            new &= block != v
    return len(seen)


def as_float(v) -> float:
    """A table cell as a float; NaN for anything that is not a number (None, text)."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan
