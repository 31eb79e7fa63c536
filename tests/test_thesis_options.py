"""The thesis-chapter options of existing analyses against R (issue 15):
SPSS ONEWAY's LSD / Scheffé / Šidák post-hoc tests (posthoc.R), normality as
SPSS EXAMINE prints it (normality.R: nortest::lillie.test, shapiro.test,
skewness and kurtosis over their SEs), competing CFA models and the method
factor (cfa_thesis.R, lavaan), PROCESS effect shares (mediation_steps.R)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core import recipe as recipes
from core import registry
from core.data import io
from core.data.model import RawData
from core.data.prepare import build_dataset
from tests.conftest import ROOT, compare, load_reference, table_keys


def _csv(path: str):
    return build_dataset(io.read_path(ROOT / path), recipes.empty())


# ---- post-hoc choices ------------------------------------------------------------------
POSTHOC = load_reference("difference_posthoc_spss")


@pytest.mark.parametrize("name", sorted(POSTHOC["expected"]))
def test_posthoc_lsd_scheffe_sidak_as_spss(name):
    ds = _csv(POSTHOC["dataset"][name])
    res = registry.run("difference", ds, {**POSTHOC["options"][name], "posthoc": ["lsd", "scheffe", "sidak"]})
    rows = POSTHOC["expected"][name]
    cells = {(r["group"], r["outcome"]) for r in rows}
    ph = res.tables["posthoc"]
    ph = ph[[(g, o) in cells for g, o in zip(ph["group"], ph["outcome"])]]
    assert set(ph["method"]) == {"lsd", "scheffe", "sidak"}
    assert compare(ph, rows, table_keys("difference", "posthoc"), POSTHOC["tol"]["abs"], name=name,
                   complete=True) == 5 * len(rows)


def test_posthoc_default_is_unchanged():
    ds = _csv(POSTHOC["dataset"]["plantgrowth"])
    res = registry.run("difference", ds, POSTHOC["options"]["plantgrowth"])
    assert list(dict.fromkeys(res.tables["posthoc"]["method"])) == ["tukey", "games_howell", "bonferroni"]


# ---- normality --------------------------------------------------------------------------
NORMAL = load_reference("describe_normality")


@pytest.mark.parametrize("name", sorted(NORMAL["expected"]))
def test_normality_as_spss_explore(name):
    res = registry.run("describe", _csv(NORMAL["dataset"][name]), NORMAL["options"][name])
    assert compare(res.tables["normality"], NORMAL["expected"][name], table_keys("describe", "normality"),
                   NORMAL["tol"]["abs"], name=name, complete=True) == 7 * len(NORMAL["expected"][name])


def test_lilliefors_p_agrees_with_statsmodels_below_point_one():
    # statsmodels' "approx" is Dallal–Wilkinson below .1 (above it, its table; nortest uses Stephens' polynomials)
    from statsmodels.stats.diagnostic import lilliefors

    res = registry.run("describe", _csv(NORMAL["dataset"]["airquality"]), NORMAL["options"]["airquality"])
    aq = _csv(NORMAL["dataset"]["airquality"]).frame
    for r in res.tables["normality"].itertuples():
        _, p = lilliefors(aq[r.variable].dropna().to_numpy(float), dist="norm", pvalmethod="approx")
        assert p < 0.1 and abs(p - r.ks_p) < 1e-12


def test_normality_off_by_default_and_short_columns():
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4, np.nan, np.nan], "b": [1.0, 1, 1, 1, 1, 1]})
    ds = build_dataset(RawData(frame=frame, meta={}), recipes.empty())
    assert "normality" not in registry.run("describe", ds, {"variables": ["a", "b"]}).tables
    t = registry.run("describe", ds, {"variables": ["a", "b"], "normality": True}).tables["normality"]
    assert t["ks_d"].isna().all() and list(t["n"]) == [4, 6]     # fewer than 5 values; no variation


# ---- CFA: competing models and the method factor ------------------------------------------
CFA = load_reference("measurement_cfa_thesis")
CMP = ["factors", "chi2", "df", "p", "chi2_df", "cfi", "tli", "rmsea", "srmr", "aic", "bic", "d_chi2", "d_df", "d_p"]
MF = ["chi2", "df", "cfi", "tli", "rmsea", "srmr", "d_cfi", "d_tli", "d_rmsea", "d_srmr", "method_variance"]


def test_competing_models_as_lavaan():
    o = CFA["options"]["competing"]
    res = registry.run("cfa", _csv(CFA["dataset"]["competing"]), {"factors": o["factors"], "competing": True})
    assert compare(res.tables["model_comparison"], CFA["expected"]["model_comparison"],
                   table_keys("cfa", "model_comparison"), CFA["tol"]["abs"], name="competing",
                   complete=True) == len(CMP) * len(CFA["expected"]["model_comparison"])


def test_method_factor_as_lavaan():
    o = CFA["options"]["method_factor"]
    rec = recipes.empty()
    rec["scales"] = [recipes.validate_scale({"name": f, "items": it, "reverse": [r for r in o["reverse"] if r in it],
                                             "min": 1, "max": 6}) for f, it in o["factors"].items()]
    ds = build_dataset(io.read_path(ROOT / CFA["dataset"]["method_factor"]), rec)
    res = registry.run("cfa", ds, {"factors": o["factors"], "method_factor": True})
    assert compare(res.tables["method_factor"], CFA["expected"]["method_factor"], table_keys("cfa", "method_factor"),
                   CFA["tol"]["abs"], name="method factor", complete=True) == len(MF) * 2
    keys = [n.key for n in res.notes]
    assert "cfa.note.harman" in keys and "cfa.note.method_rule" in keys


def test_method_factor_improper_solution_is_flagged():
    o = CFA["options"]["competing"]
    res = registry.run("cfa", _csv(CFA["dataset"]["competing"]), {"factors": o["factors"], "method_factor": True})
    mf = res.tables["method_factor"]
    assert list(mf["model"]) == ["trait", "trait_method"]
    assert "cfa.note.method_heywood" in [n.key for n in res.notes]   # lavaan: "some estimated lv variances are negative"


# ---- PROCESS effect shares ------------------------------------------------------------------
SHARE = load_reference("process_proportion_pmi")


@pytest.mark.parametrize("name", sorted(SHARE["expected"]))
def test_process_effect_share(name):
    case = SHARE["expected"][name]
    res = registry.run("process", _csv(SHARE["dataset"]), {**case["options"], "n_boot": 0})
    e = res.tables["effects"]
    assert compare(e[e["kind"] == "indirect"], case["effects"], table_keys("process", "effects"), SHARE["tol"]["abs"],
                   name=name, complete=True) == 2 * len(case["effects"])
    assert e.loc[e["kind"] != "indirect", "proportion"].isna().all()


def test_process_opposite_signs_note():
    rng = np.random.default_rng(5)
    x = rng.normal(size=300)
    m = x + rng.normal(size=300)
    y = m - 1.5 * x + rng.normal(size=300)          # indirect +, direct −
    ds = build_dataset(RawData(frame=pd.DataFrame({"x": x, "m": m, "y": y}), meta={}), recipes.empty())
    res = registry.run("process", ds, {"model": 4, "x": "x", "m": ["m"], "y": "y", "n_boot": 0})
    assert "process.note.opposite_signs" in [n.key for n in res.notes]
