"""The hand-written engines (core/engines/) cross-checked against the
libraries they could have been taken from — statsmodels, scipy,
factor_analyzer, semopy — where those agree with R, and the documented
differences where they do not (the reasons in core/engines/README.md; the R
references themselves are checked in test_regression, test_process,
test_difference and test_measurement)."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import semopy
import statsmodels.api as sm
from factor_analyzer import FactorAnalyzer
from scipy.stats import studentized_range

from core import recipe as recipes
from core import registry
from core.data import io
from core.data.prepare import build_dataset
from core.engines import ols
from core.engines.srange import ptukey, qtukey
from core.stats import distinct_upto
from tests.conftest import DATA, load_reference


@pytest.fixture(scope="module")
def design():
    rng = np.random.default_rng(11)
    n = 300
    X = rng.normal(size=(n, 4)) * [1.0, 2.0, 0.5, 3.0] + [10.0, -4.0, 50.0, 0.0]
    X[:, 3] = X[:, 0] * X[:, 1]                       # a product column, as PROCESS has
    y = X @ [0.5, -0.2, 0.3, 0.05] + rng.normal(size=n) * (1 + np.abs(X[:, 1] + 4))
    return X, y


@pytest.mark.parametrize("hc", [None, "HC0", "HC1", "HC2", "HC3"])
def test_ols_matches_statsmodels(design, hc):
    X, y = design
    ours = ols.fit(ols.cross(X, y), hc=hc)
    theirs = sm.OLS(y, sm.add_constant(X)).fit(**({"cov_type": hc, "use_t": True} if hc else {}))
    np.testing.assert_allclose(ours.coef, theirs.params, rtol=1e-10)
    np.testing.assert_allclose(ours.cov, theirs.cov_params(), rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(ours.p, theirs.pvalues, rtol=1e-7, atol=1e-300)
    np.testing.assert_allclose([ours.ci_low, ours.ci_high], theirs.conf_int().T, rtol=1e-9)
    assert ours.r2 == pytest.approx(theirs.rsquared, rel=1e-12)
    f = float(np.squeeze(theirs.fvalue))     # with an HC covariance statsmodels' F is the Wald F, as ours
    assert ours.f == pytest.approx(f, rel=1e-8)


def test_hc4_is_the_sandwich_with_the_hat_matrix(design):
    # statsmodels has no HC4: the sandwich with ω = e²/(1−h)^min(4, n·h/k) from the explicit hat matrix
    X, y = design
    Xf = sm.add_constant(X)
    n, k = Xf.shape
    h = np.diag(Xf @ np.linalg.solve(Xf.T @ Xf, Xf.T))
    e = y - Xf @ np.linalg.lstsq(Xf, y, rcond=None)[0]
    bread = np.linalg.inv(Xf.T @ Xf)
    V = bread @ (Xf.T * (e ** 2 / (1 - h) ** np.minimum(4.0, n * h / k))) @ Xf @ bread
    np.testing.assert_allclose(ols.fit(ols.cross(X, y), hc="HC4").cov, V, rtol=1e-9)


@pytest.mark.parametrize("hc", [None, "HC3"])
def test_union_design_fits_equal_separate_fits_and_drop_tests_equal_refits(design, hc):
    # PROCESS: one cross-product matrix holds every equation's predictors and
    # outcomes; a fit on columns [0, 3] with column 4 (y) as the outcome is
    # the fit of y on those columns, and dropping a term needs no refit
    X, y = design
    U = np.column_stack([X, y])
    whole = ols.fit(ols.cross_columns(list(U.T)), [0, 1, 3], y=4, hc=hc)
    alone = ols.fit(ols.cross(X[:, [0, 1, 3]], y), hc=hc)
    for a in ("coef", "cov", "p"):
        np.testing.assert_allclose(getattr(whole, a), getattr(alone, a), rtol=1e-10, atol=1e-300)
    small = sm.OLS(y, sm.add_constant(X[:, [0, 1]])).fit()
    big = sm.OLS(y, sm.add_constant(X[:, [0, 1, 3]])).fit()
    drop = ols.drop_test(whole, [3])
    assert drop["r2_change"] == pytest.approx(big.rsquared - small.rsquared, rel=1e-9)
    if hc is None:
        f, p, _ = big.compare_f_test(small)
        assert (drop["f"], drop["p"]) == (pytest.approx(f, rel=1e-9), pytest.approx(p, rel=1e-8))


def test_collinear_and_constant_columns_are_found_from_the_cross_products(design):
    X, y = design
    Z = np.column_stack([X, X[:, 0] - 2 * X[:, 2], np.full(len(y), 3.0)])
    cr = ols.cross(Z, y)
    with pytest.raises(ols.Collinear) as exc:
        ols.check_design(cr, [0, 1, 2, 3, 4])
    assert (exc.value.column, exc.value.others) == (4, [0, 2])
    with pytest.raises(ols.Constant):
        ols.check_design(cr, [0, 5])
    ols.check_design(cr, [0, 1, 2, 3])


@pytest.mark.parametrize("x,count", [([], 0), ([2.0] * 5, 1), ([1.0, 0.0, 1.0, 1.0], 2),
                                     ([0.0, 1.0, 2.0, 0.0], 3), ([-0.0, 0.0, 5.0], 2)])
def test_distinct_upto_counts_like_unique(x, count):
    assert distinct_upto(np.array(x), 3) == count
    big = np.repeat(np.array(x), 70_000)      # values first seen in later blocks
    assert distinct_upto(np.concatenate([np.zeros(70_000), big])[70_000:], 3) == count


def test_studentized_range_agrees_with_scipy_where_scipy_agrees_with_r():
    q, k, df = np.array([1.5, 3.0, 4.5]), np.array([3, 5, 8]), np.array([10.0, 20.0, 60.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = studentized_range.sf(q, k, df)
    np.testing.assert_allclose(ptukey(q, k, df, lower_tail=False), theirs, atol=1e-7)


def test_scipy_studentized_range_quantile_differs_from_r_at_small_df():
    # README: R's qtukey(0.99, 10, 2) = 34.9256 (ours to 1e-9); scipy's ppf gives 31.69
    ref = pd.DataFrame(load_reference("difference_srange")["expected"]["qtukey"])
    row = ref[(ref.p == 0.99) & (ref.k == 10) & (ref.df == 2)].iloc[0]
    assert abs(float(qtukey(row.p, row.k, row.df)) - row.q) < 1e-9
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert abs(float(studentized_range.ppf(row.p, row.k, row.df)) - row.q) > 1.0


@pytest.fixture(scope="module")
def bfi():
    ref = load_reference("measurement_efa_bfi")["expected"]
    ds = build_dataset(io.read_path(DATA / "bfi.csv"), recipes.empty())
    return ref, ds, ds.frame[ref["items"]].dropna().to_numpy(float)


def _communalities(ds, items, method):
    res = registry.run("efa", ds, {"items": items, "n_factors": 5, "method": method, "rotation": "none"})
    return res.tables["loadings"].groupby("item")["communality"].first().loc[items].to_numpy(float)


def test_factor_extraction_agrees_with_factor_analyzer_minres_and_ml(bfi):
    ref, ds, X = bfi
    for method in ("minres", "ml"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fa = FactorAnalyzer(n_factors=5, rotation=None, method=method).fit(X)
        np.testing.assert_allclose(_communalities(ds, ref["items"], method), fa.get_communalities(), atol=1e-4)


def test_factor_analyzer_has_no_iterated_principal_axis(bfi):
    # README: psych::fa(fm = "pa") iterates the communalities; factor_analyzer's
    # "principal" does not, and its communalities differ from psych's by up to 0.26
    ref, ds, X = bfi
    lam = np.array(ref["fits"]["pa_none"]["loadings"]).T
    psych_h2 = (lam ** 2).sum(axis=1)
    np.testing.assert_allclose(_communalities(ds, ref["items"], "pa"), psych_h2, atol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fa = FactorAnalyzer(n_factors=5, rotation=None, method="principal").fit(X)
    assert np.max(np.abs(fa.get_communalities() - psych_h2)) > 0.1


def test_cfa_agrees_with_semopy_but_semopy_scales_rmsea_and_aic_differently():
    # README: same ML estimates and χ²; semopy's RMSEA divides by N − 1
    # (lavaan, and ours, by N) and its AIC is 2k − 2·χ²/N (lavaan: 2k − 2 logL)
    ref = load_reference("measurement_cfa_hs")
    lav = ref["expected"]["fit"]
    ds = build_dataset(io.read_path(DATA / "holzinger_swineford.csv"), recipes.empty())
    fit = registry.run("cfa", ds, {"model": ref["options"]["model"]}).tables["fit"]
    ours = fit.iloc[0]
    m = semopy.Model(ref["options"]["model"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.fit(ds.frame[[f"x{i}" for i in range(1, 10)]])
        st = semopy.calc_stats(m).T.iloc[:, 0]
    n, df, k = 301, lav["df"], lav["npar"]
    assert float(st["chi2"]) == pytest.approx(lav["chisq"], rel=1e-4)
    assert float(ours["chi2"]) == pytest.approx(lav["chisq"], rel=1e-9)
    assert float(ours["rmsea"]) == pytest.approx(np.sqrt((lav["chisq"] / df - 1) / n), rel=1e-9)
    assert float(st["RMSEA"]) == pytest.approx(np.sqrt((float(st["chi2"]) / df - 1) / (n - 1)), rel=1e-9)
    assert float(ours["aic"]) == pytest.approx(lav["aic"], rel=1e-9)
    assert float(st["AIC"]) == pytest.approx(2 * k - 2 * float(st["chi2"]) / n, rel=1e-6)
