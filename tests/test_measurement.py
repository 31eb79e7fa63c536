"""Measurement analyses (reliability, screening, EFA, CFA, SEM) against R.

References: tests/reference/measurement_*.json, written by
tests/reference/r/measurement.R (psych 2.2.9, GPArotation 2022.10-2,
lavaan 0.6-14, semTools 0.5-6 on R 4.2.2).  Closed forms (alpha, KMO,
Bartlett, eigenvalues) to 1e-6; factor extraction to 1e-3; CFA/SEM fit
measures, R², validity and HTMT to 1e-6, lavaan's parameter estimates to the
measured tolerances in each JSON (tol, with tol_reason).  Rows are matched on
the tables' declared keys (conftest.compare).
"""
from __future__ import annotations

import itertools
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import DATA, ROOT, assert_close, compare, load_reference, rows, table_keys
from core import recipe as recipes
from core import registry
from core.data import io
from core.data.model import Dataset
from core.data.prepare import build_dataset
from core.errors import UserError

BIG5 = {s: [f"{s}{i}" for i in range(1, 6)] for s in "ACENO"}
REVERSE = {"A": ["A1"], "C": ["C4", "C5"], "E": ["E1", "E2"], "N": [], "O": ["O2", "O5"]}
HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
FIT_NAMES = {"chisq": "chi2", "pvalue": "p", "rmsea.ci.lower": "rmsea_ci_low", "rmsea.ci.upper": "rmsea_ci_high",
             "baseline.chisq": "baseline_chi2", "baseline.df": "baseline_df"}
LAVAAN = {"est": "estimate", "std_all": "std_estimate", "pvalue": "p"}   # parameterEstimates → estimates


def _bfi_recipe() -> dict:
    rec = recipes.empty()
    rec["scales"] = [recipes.validate_scale({"name": s, "items": it, "reverse": REVERSE[s], "min": 1, "max": 6})
                     for s, it in BIG5.items()]
    return rec


@pytest.fixture(scope="module")
def bfi() -> Dataset:
    return build_dataset(io.read_path(DATA / "bfi.csv"), _bfi_recipe())


@pytest.fixture(scope="module")
def bfi_raw() -> Dataset:
    """The items as R saw them (no scales, so no reverse keying)."""
    return build_dataset(io.read_path(DATA / "bfi.csv"), recipes.empty())


@pytest.fixture(scope="module")
def hs() -> Dataset:
    return build_dataset(io.read_path(DATA / "holzinger_swineford.csv"), recipes.empty())


@pytest.fixture(scope="module")
def pd_data() -> Dataset:
    return build_dataset(io.read_path(DATA / "political_democracy.csv"), recipes.empty())


def _frame_dataset(frame: pd.DataFrame, scales: list[dict] | None = None) -> Dataset:
    from core.data.model import RawData

    rec = recipes.empty()
    rec["scales"] = [recipes.validate_scale(s) for s in scales or []]
    return build_dataset(RawData(frame=frame, meta={}), rec)


# ---- reliability --------------------------------------------------------------------------
def test_alpha_matches_psych(bfi):
    ref = load_reference("measurement_alpha_bfi")
    res = registry.run("reliability", bfi, {})
    exp = ref["expected"]
    scales = [{"scale": s, **{k: e[k] for k in ("n", "raw_alpha", "std_alpha", "omega")}} for s, e in exp.items()]
    assert compare(res.tables["alpha"], scales, table_keys("reliability", "alpha"), ref["tol"], name="alpha",
                   rename={"raw_alpha": "alpha", "std_alpha": "alpha_std"}, complete=True) == 4 * 5
    items = [r for s, e in exp.items() for r in rows({"scale": [s] * len(e["item"]), "item": e["item"], **{
        k: e[k] for k in ("mean", "sd", "r_drop", "alpha_if_deleted")}})]
    assert compare(res.tables["items"], items, table_keys("reliability", "items"), ref["tol"], name="items",
                   complete=True) == 4 * 25
    assert list(zip(res.tables["items"]["scale"], res.tables["items"]["item"])) == [(r["scale"], r["item"])
                                                                                     for r in items]


def test_forgotten_reverse_key_is_flagged():
    raw = pd.read_csv(DATA / "bfi.csv")
    ds = _frame_dataset(raw, [{"name": "C", "items": BIG5["C"], "reverse": [], "min": 1, "max": 6}])
    res = registry.run("reliability", ds, {})
    flags = res.tables["items"].set_index("item")["flag"]
    assert flags["C4"] == "reverse" and flags["C5"] == "reverse"
    assert not {flags["C1"], flags["C2"], flags["C3"]} & {"reverse"}
    assert any(n.key == "reliability.note.reverse_suspect" and n.kwargs["item"] == "C4" for n in res.notes)
    # and with the keys applied nothing is reversed any more
    ds2 = _frame_dataset(raw, [{"name": "C", "items": BIG5["C"], "reverse": ["C4", "C5"], "min": 1, "max": 6}])
    assert "reverse" not in set(registry.run("reliability", ds2, {}).tables["items"]["flag"])


def test_reliability_one_item_and_two_items_are_explained():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2.0], "b": [2, 2, 3, 5, 4, 1.0], "c": [1, 3, 3, 4, 5, 2.0]})
    ds = _frame_dataset(frame, [{"name": "One", "items": ["a"], "min": 1, "max": 5},
                                {"name": "Two", "items": ["b", "c"], "min": 1, "max": 5}])
    res = registry.run("reliability", ds, {})
    keys = [n.key for n in res.notes]
    assert "reliability.note.one_item" in keys and "reliability.note.omega_two_items" in keys
    two = res.tables["alpha"].set_index("scale").loc["Two"]
    c = np.cov(frame[["b", "c"]].to_numpy().T)
    assert_close(two["alpha"], 2 * (1 - np.trace(c) / c.sum()), 1e-12)
    with pytest.raises(UserError) as err:
        registry.run("reliability", _frame_dataset(frame), {})
    assert err.value.key == "reliability.error.no_scales"


# ---- EFA ---------------------------------------------------------------------------------------
def _match(actual: np.ndarray, expected: np.ndarray) -> float:
    """Largest loading difference after the best column permutation and signs."""
    best = np.inf
    for perm in itertools.permutations(range(expected.shape[1])):
        m = actual[:, perm]
        s = np.sign((m * expected).sum(axis=0))
        best = min(best, float(np.abs(m * s - expected).max()))
    return best


def test_kmo_bartlett_eigen_harman_match_psych(bfi_raw):
    ref = load_reference("measurement_efa_bfi")
    e = ref["expected"]
    res = registry.run("efa", bfi_raw, {"items": e["items"], "n_factors": 5})
    assert res.n_used == e["n"]
    tol = ref["tol"]["closed_form_abs"]
    kmo = res.tables["kmo"]
    assert kmo["item"].iloc[0] == "overall"
    assert_close(kmo["msa"].iloc[0], e["kmo_overall"], tol)
    assert_close(list(kmo["msa"].iloc[1:]), e["kmo_items"], tol)
    b = res.tables["bartlett"].iloc[0]
    assert_close(b["chi2"], e["bartlett_chi2"], 1e-6, rel_tol=1e-10)
    assert int(b["df"]) == e["bartlett_df"]
    assert_close(b["p"], e["bartlett_p"], tol)
    assert_close(list(res.tables["eigenvalues"]["eigenvalue"]), e["eigenvalues"], tol)
    assert_close(res.tables["harman"]["first_factor_proportion"].iloc[0], e["harman"], tol)


@pytest.mark.parametrize("method", ["pc", "pa", "minres", "ml"])
@pytest.mark.parametrize("rotation", ["none", "varimax", "promax", "oblimin"])
def test_efa_matches_psych(bfi_raw, method, rotation):
    ref = load_reference("measurement_efa_bfi")
    e = ref["expected"]
    fit = e["fits"][f"{method}_{rotation}"]
    tol = ref["tol"]["loadings_abs"]
    res = registry.run("efa", bfi_raw, {"items": e["items"], "n_factors": 5, "method": method, "rotation": rotation})
    lt = res.tables["loadings"]
    lam = lt.pivot(index="item", columns="factor", values="loading").loc[e["items"]].to_numpy()
    assert _match(lam, np.array(fit["loadings"]).T) < tol
    h2 = lt.drop_duplicates("item").set_index("item").loc[e["items"], "communality"]
    assert_close(list(h2), fit["communality"], tol, what="communality")
    ss = res.tables["variance"]["ss_loadings"]
    assert_close(sorted(ss), sorted(fit["ss_loadings"]), tol, what="SS loadings")
    if not fit["phi"]:   # R's NULL (orthogonal) arrives as an empty object
        assert res.tables["factor_correlations"].empty
    else:
        phi = np.array(fit["phi"])
        got = sorted(abs(r) for r in res.tables["factor_correlations"]["r"])
        want = sorted(abs(phi[i, j]) for i in range(5) for j in range(i + 1, 5))
        assert_close(got, want, tol, what="phi")


def test_oblimin_with_kaiser_normalisation_matches_gparotation(bfi_raw):
    ref = load_reference("measurement_efa_bfi")
    e = ref["expected"]
    fit = e["fits"]["pa_oblimin_kaiser"]
    res = registry.run("efa", bfi_raw, {"items": e["items"], "n_factors": 5, "method": "pa", "rotation": "oblimin",
                                        "kaiser_oblimin": True})
    lam = res.tables["loadings"].pivot(index="item", columns="factor", values="loading").loc[e["items"]].to_numpy()
    assert _match(lam, np.array(fit["loadings"]).T) < ref["tol"]["loadings_abs"]
    plain = registry.run("efa", bfi_raw, {"items": e["items"], "n_factors": 5, "method": "pa", "rotation": "oblimin"})
    lam0 = plain.tables["loadings"].pivot(index="item", columns="factor", values="loading").loc[e["items"]].to_numpy()
    assert _match(lam0, np.array(fit["loadings"]).T) > 0.01      # the two conventions really differ
    assert any(n.key == "efa.note.rotation_oblimin_kaiser" for n in res.notes)


def test_efa_factor_number_rules(bfi):
    items = load_reference("measurement_efa_bfi")["expected"]["items"]
    eig = registry.run("efa", bfi, {"items": items})
    ev = eig.tables["eigenvalues"]["eigenvalue"]
    assert eig.meta["n_factors"] == int((ev > 1).sum())
    par = registry.run("efa", bfi, {"items": items, "n_factors": "parallel", "n_iter": 20, "seed": 3})
    pe = par.tables["eigenvalues"]
    k = par.meta["n_factors"]
    assert (pe["eigenvalue"].iloc[:k] > pe["parallel"].iloc[:k]).all()
    assert pe["eigenvalue"].iloc[k] <= pe["parallel"].iloc[k]
    again = registry.run("efa", bfi, {"items": items, "n_factors": "parallel", "n_iter": 20, "seed": 3})
    assert list(again.tables["eigenvalues"]["parallel"]) == list(pe["parallel"])   # seeded


def test_loading_matrix_sorts_and_hides(bfi):
    from core.analyses.measurement.efa import loading_matrix

    items = load_reference("measurement_efa_bfi")["expected"]["items"]
    res = registry.run("efa", bfi, {"items": items, "n_factors": 5, "method": "pa", "rotation": "varimax"})
    wide = loading_matrix(res.tables["loadings"], cutoff=0.3, sort=True)
    assert list(wide.columns) == ["item", "F1", "F2", "F3", "F4", "F5", "communality"]
    vals = wide[["F1", "F2", "F3", "F4", "F5"]]
    assert ((vals.abs() >= 0.3) | vals.isna()).all().all()
    primary = vals.abs().fillna(0).to_numpy().argmax(axis=1)
    assert list(primary) == sorted(primary)          # grouped by strongest factor


def test_efa_bad_input():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, (50, 4)).astype(float)
    frame = pd.DataFrame(x, columns=list("abcd"))
    frame["e"] = frame["a"] + frame["b"]             # a linear combination
    ds = _frame_dataset(frame)
    with pytest.raises(UserError) as err:
        registry.run("efa", ds, {"items": ["a", "b", "c", "d", "e"]})
    assert err.value.key == "measure.error.singular"
    with pytest.raises(UserError) as err:
        registry.run("efa", ds, {"items": ["a", "b"]})
    assert err.value.key == "efa.error.few_items"
    with pytest.raises(UserError) as err:
        registry.run("efa", ds, {"items": ["a", "b", "c", "d"], "n_factors": 4})
    assert err.value.key == "efa.error.too_many_factors"
    with pytest.raises(UserError) as err:
        registry.run("efa", ds, {"items": ["a", "b", "c", "d"], "n_factors": "lots"})
    assert err.value.key == "efa.error.n_factors"
    small = _frame_dataset(frame.iloc[:4])
    with pytest.raises(UserError) as err:
        registry.run("efa", small, {"items": ["a", "b", "c", "d"]})
    assert err.value.key == "efa.error.too_few_rows"


# ---- CFA ----------------------------------------------------------------------------------------
def _check_fit(fit: pd.DataFrame, expected: dict, ref: dict, what: str):
    """Every fitMeasures() value (logl included) against the one-row fit table."""
    assert compare(fit, [expected], table_keys("cfa", "fit"), ref["tol"], name=f"{what} fit",
                   rename=FIT_NAMES) == len(expected) == 19


def _check_estimates(est: pd.DataFrame, e: dict, ref: dict, what: str):
    """Every row of lavaan's parameterEstimates() + standardizedSolution() — the same rows as ours, matched on
    (group, lhs, op, rhs); lavaan's SE 0 of a fixed parameter is our empty SE."""
    expected = [dict(r, se=r["se"] or None) for r in rows(e)]
    assert compare(est, expected, table_keys("cfa", "estimates"), ref["tol"], name=f"{what} estimates",
                   rename=LAVAAN, key_map=ref["key_map"], complete=True) == 4 * len(expected)


def test_cfa_matches_lavaan(hs):
    ref = load_reference("measurement_cfa_hs")
    e, tol = ref["expected"], ref["tol"]
    res = registry.run("cfa", hs, {"model": ref["options"]["model"]})
    _check_fit(res.tables["fit"], e["fit"], ref, "cfa")
    _check_estimates(res.tables["estimates"], e["estimates"], ref, "cfa")
    load = res.tables["loadings"]
    assert list(load.columns) == ["factor", "item", "estimate", "se", "z", "p", "std_estimate"]
    names = e["htmt"]["factors"]
    validity = [{"factor": f, "cr_model": e["cr_model"][f], "ave_model": e["ave_model"][f]} for f in names]
    assert compare(res.tables["validity"], validity, table_keys("cfa", "validity"), tol, name="validity",
                   complete=True) == 6
    val = res.tables["validity"].set_index("factor")
    for f in names:
        lam = load[load["factor"] == f]["std_estimate"].to_numpy()
        assert_close(val.loc[f, "ave"], float(np.mean(lam ** 2)), 1e-12)
        assert_close(val.loc[f, "cr"], lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam ** 2)), 1e-12)
    htmt = [{"factor_a": names[a], "factor_b": names[b], "htmt": e["htmt"]["matrix"][a][b],
             "htmt2": e["htmt2"]["matrix"][a][b]} for a, b in itertools.combinations(range(len(names)), 2)]
    assert compare(res.tables["htmt"], htmt, table_keys("cfa", "htmt"), tol, name="htmt", complete=True) == 6
    fits = ("chisq", "df", "cfi", "tli", "rmsea", "srmr", "aic", "bic")
    models = [{"model": "hypothesised", **{k: e["fit"][k] for k in fits}},
              {"model": "one_factor", **{k: e["one_factor"][k] for k in fits},
               "d_chi2": e["one_factor"]["chisq"] - e["fit"]["chisq"]}]
    assert compare(res.tables["model_comparison"], models, table_keys("cfa", "model_comparison"), tol,
                   name="model_comparison", rename=FIT_NAMES, complete=True) == 17
    fl = res.tables["fornell_larcker"]
    diag = fl[fl["kind"] == "sqrt_ave"].set_index("factor_a")["value"]
    assert_close(list(diag), list(np.sqrt(val["ave"])), 1e-12)
    corr = [{"factor_a": r["lhs"], "factor_b": r["rhs"], "r": r["std_all"]} for r in rows(e["estimates"])
            if r["op"] == "~~" and r["lhs"] != r["rhs"]]
    assert compare(res.tables["factor_correlations"], corr, table_keys("cfa", "factor_correlations"), tol,
                   name="factor_correlations", complete=True) == 3


def test_cfa_default_model_from_scales(bfi):
    res = registry.run("cfa", bfi, {"compare_one_factor": False})
    assert sorted(res.tables["loadings"]["factor"].unique()) == list("ACENO")
    assert res.tables["model_comparison"].shape[0] == 1
    explicit = registry.run("cfa", bfi, {"factors": BIG5, "compare_one_factor": False})
    assert_close(res.tables["fit"]["chi2"].iloc[0], explicit.tables["fit"]["chi2"].iloc[0], 1e-9)


def test_invariance_matches_lavaan(hs):
    ref = load_reference("measurement_invariance_hs")
    e = ref["expected"]
    res = registry.run("cfa", hs, {"model": ref["options"]["model"], "group": "school",
                                   "compare_one_factor": False})
    steps = ("configural", "metric", "scalar")
    expected = [{"model": name, **{k: e[name][k] for k in ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr",
                                                            "aic", "bic")},
                 "d_chi2": e["lrt_chisq_diff"][i], "d_df": e["lrt_df_diff"][i], "d_p": e["lrt_p"][i]}
                for i, name in enumerate(steps)]
    expected[1]["d_cfi"] = e["metric"]["cfi"] - e["configural"]["cfi"]
    assert compare(res.tables["invariance"], expected, table_keys("cfa", "invariance"), ref["tol"],
                   name="invariance", rename=FIT_NAMES, complete=True) == 3 * 12 + 1
    assert list(res.tables["invariance"]["model"]) == list(steps)


def test_invariance_engine_matches_lavaan_metric_estimates(hs):
    """Group-specific estimates of the metric model (groups in lavaan's order)."""
    from core.engines import sem as sm

    ref = load_reference("measurement_invariance_hs")
    e = ref["expected"]
    frame = hs.frame
    groups = e["groups"]
    spec = sm.build(sm.parse(HS_MODEL), list(frame.columns), 2, True, ("loadings",))
    data = [sm.group_data(frame[frame["school"] == g][spec.observed].to_numpy(float)) for g in groups]
    fit = sm.fit_model(spec, data)
    est = pd.DataFrame(sm.estimates(fit))
    _check_estimates(est, e["metric_estimates"], ref, "metric")


@pytest.mark.parametrize("key,data", [("hs", "hs"), ("pd", "pd_data"), ("hsx", "hs")])
def test_sem_matches_lavaan(key, data, request):
    ref = load_reference("measurement_sem")
    ds = request.getfixturevalue(data)
    e = ref["expected"][key]
    res = registry.run("sem", ds, {"model": ref["options"][f"{key}_model"]})
    _check_fit(res.tables["fit"], e["fit"], ref, key)
    _check_estimates(res.tables["estimates"], e["estimates"], ref, key)
    endogenous = {r["lhs"] for r in rows(e["estimates"]) if r["op"] == "~"}   # lavaan also lists the indicators
    r2 = [{"variable": v, "r2": x} for v, x in e["r2"].items() if v in endogenous]
    assert compare(res.tables["r2"], r2, table_keys("sem", "r2"), ref["tol"], name=f"{key} r2",
                   complete=True) == len(r2)
    paths = res.tables["paths"]
    assert set(paths["op"]) == {"~"} and len(paths) == sum(1 for op in e["estimates"]["op"] if op == "~")


def test_sem_uses_scales_as_factors_and_second_order():
    from core.data import samples

    raw, rec, _ = samples.load("role_pressure")
    ds = build_dataset(raw, rec)
    res = registry.run("sem", ds, {"model": "PS ~ RP\nWW ~ PS + RP"})
    est = res.tables["estimates"]
    second = est[(est["op"] == "=~") & (est["lhs"] == "RP")]
    assert list(second["rhs"]) == ["RA", "RCF", "RO"]                 # RP over its sub-scales
    assert set(res.tables["r2"]["variable"]) == {"PS", "WW"}
    assert res.tables["paths"]["se"].notna().all()
    # reverse-keyed items enter reversed: every PS loading is positive
    assert (res.tables["loadings"].query("factor == 'PS'")["std_estimate"] > 0).all()


@pytest.mark.parametrize("model,key", [
    ("F =~ x1", "cfa.error.one_indicator"),
    ("F =~ x1 + x2 + nope", "cfa.error.unknown_variable"),
    ("F => x1 + x2", "cfa.error.syntax"),
    ("F =~ x1 + x2\nx1 ~ 1", "cfa.error.syntax"),
    ("", None),
])
def test_cfa_bad_models(hs, model, key):
    if key is None:   # empty text: the model comes from the scales, and there are none
        with pytest.raises(UserError) as err:
            registry.run("cfa", hs, {"model": model})
        assert err.value.key == "cfa.error.no_factors"
        return
    with pytest.raises(UserError) as err:
        registry.run("cfa", hs, {"model": model})
    assert err.value.key == key
    assert err.value.message("zh") != err.value.message("en")


def test_cfa_identification_rows_and_groups(hs):
    with pytest.raises(UserError) as err:     # 2 items, no other factor: 5 parameters for 3 moments
        registry.run("cfa", hs, {"model": "F =~ x1 + x2"})
    assert err.value.key == "cfa.error.not_identified"
    few = _frame_dataset(hs.frame.iloc[:8].reset_index(drop=True))
    with pytest.raises(UserError) as err:
        registry.run("cfa", few, {"model": HS_MODEL})
    assert err.value.key == "cfa.error.too_few_rows"
    one_group = _frame_dataset(hs.frame.assign(all_same="x").reset_index(drop=True))
    res = registry.run("cfa", one_group, {"model": HS_MODEL, "group": "all_same"})
    assert res.tables["invariance"].empty
    assert any(n.key == "cfa.error.one_group" for n in res.notes)
    with pytest.raises(UserError) as err:
        registry.run("sem", hs, {"model": HS_MODEL})
    assert err.value.key == "sem.error.no_paths"
    dup = _frame_dataset(hs.frame.assign(x10=hs.frame["x1"] + hs.frame["x2"]).reset_index(drop=True))
    with pytest.raises(UserError) as err:     # a total score among the items: singular covariance matrix
        registry.run("cfa", dup, {"model": HS_MODEL + "\nvisual =~ x10"})
    assert err.value.key == "cfa.error.singular"


def test_heywood_case_is_noted():
    rng = np.random.default_rng(5)
    n = 300
    f = rng.standard_normal(n)
    g = 0.999 * f + 0.045 * rng.standard_normal(n)
    frame = pd.DataFrame({"a": f + 0.02 * rng.standard_normal(n), "b": g + 1.2 * rng.standard_normal(n),
                          "c": f + 1.1 * rng.standard_normal(n), "d": g + 0.01 * rng.standard_normal(n),
                          "e": g + 1.3 * rng.standard_normal(n), "h": f + 1.0 * rng.standard_normal(n)})
    ds = _frame_dataset(frame)
    res = registry.run("cfa", ds, {"model": "F =~ a + c + h\nG =~ b + d + e"})
    est = res.tables["estimates"]
    improper = ((est["op"] == "~~") & (est["lhs"] == est["rhs"]) & (est["estimate"] < 0)).any() or \
        (res.tables["loadings"]["std_estimate"].abs() > 1).any()
    assert improper
    note = next(n for n in res.notes if n.key == "cfa.note.heywood")
    assert "a" in note.kwargs["names"] or "d" in note.kwargs["names"]


# ---- screening ------------------------------------------------------------------------------------
def test_screening_flags_and_exclusion_round_trip():
    from scipy.spatial.distance import mahalanobis
    from core.analyses.measurement.views import exclusion_entry
    from core.data.model import RawData

    rng = np.random.default_rng(11)
    n, k = 200, 8
    x = rng.integers(1, 6, (n, k)).astype(float)
    x[:, 1:] = np.clip(x[:, [0]] + rng.integers(-1, 2, (n, k - 1)), 1, 5)
    x[4] = 3                                  # straight-liner (share 1)
    x[9] = [5, 5, 5, 5, 5, 5, 1, 2]           # 6 of 8 the same: 0.75
    x[17, :3] = np.nan                        # 3 of 8 missing
    x[23] = [1, 5, 1, 5, 1, 5, 1, 5]          # an outlier
    frame = pd.DataFrame(x, columns=[f"q{j}" for j in range(k)])
    scale = {"name": "Q", "items": list(frame.columns), "min": 1, "max": 5, "min_items": 1}
    ds = _frame_dataset(frame, [scale])
    res = registry.run("screening", ds, {"straight_cutoff": 0.75})
    sl = res.tables["straight_lining"].set_index("row")
    assert {5, 10} <= set(sl.index)          # rows are 1-based
    assert_close(sl.loc[5, "modal_share"], 1.0, 0) and sl.loc[5, "modal_answer"] == 3
    assert_close(sl.loc[10, "modal_share"], 0.75, 1e-12)
    for r in sl.itertuples():                # the modal share, recomputed directly
        vals = pd.Series(x[r.Index - 1]).dropna()
        assert_close(r.modal_share, vals.value_counts().max() / len(vals), 1e-12)
    miss = res.tables["missing"].set_index("row")
    assert list(miss.index) == [18] and miss.loc[18, "n_missing"] == 3
    ok = ~np.isnan(x).any(axis=1)
    cov_inv = np.linalg.inv(np.cov(x[ok].T))
    mu = x[ok].mean(axis=0)
    mah = res.tables["mahalanobis"].set_index("row")
    assert 24 in mah.index
    assert_close(mah.loc[24, "d2"], mahalanobis(x[23], mu, cov_inv) ** 2, 1e-9)
    from scipy import stats
    d2_all = np.array([mahalanobis(v, mu, cov_inv) ** 2 for v in x[ok]])
    assert set(mah.index) == set((np.flatnonzero(ok) + 1)[stats.chi2.sf(d2_all, k) < .001])
    # one click: the exclusion entry goes into the recipe and every analysis says "n excluded, why"
    rec = recipes.empty()
    rec["scales"] = [recipes.validate_scale(scale)]
    rec["exclusions"] = [exclusion_entry(sl.index, "straight_lining", "en")]
    ds2 = build_dataset(RawData(frame=frame, meta={}), recipes.validate(rec))
    assert ds2.excluded == {"straight-lining": len(sl)} and 5 not in ds2.frame.index
    res2 = registry.run("reliability", ds2, {})
    assert any("straight-lining" in n.text("en") for n in res2.notes)
    assert exclusion_entry([3, 1], "mahalanobis", "zh")["reason"] == "多元异常值（马氏距离）"


# ---- charts, interpretation, CLI -------------------------------------------------------------------
def test_charts_and_texts_in_both_languages(hs, bfi):
    from core.analyses.measurement import charts as mc
    from core.analyses.measurement import text as it

    items = load_reference("measurement_efa_bfi")["expected"]["items"]
    efa = registry.run("efa", bfi, {"items": items, "n_factors": "parallel", "n_iter": 10})
    rel = registry.run("reliability", bfi, {})
    cfa = registry.run("cfa", hs, {"model": HS_MODEL, "group": "school"})
    sem = registry.run("sem", hs, {"model": HS_MODEL + "\ntextual ~ visual\nspeed ~ textual"})
    for lang in ("en", "zh"):
        spec = mc.scree(efa.tables["eigenvalues"], lang).to_dict()
        assert len(spec["layer"]) == 2
        mc.loadings_heatmap(efa.tables["loadings"], lang).to_dict()
        texts = it.reliability_text(rel, None, lang) + it.efa_text(efa, None, lang) + it.cfa_text(cfa, None, lang) + \
            it.sem_text(sem, None, lang)
        assert all(isinstance(s, str) and s for s in texts)
        joined = " ".join(texts)
        assert ("信度" in joined) == (lang == "zh")
        assert "CFI = .931" in joined and "KMO = .85" in joined
        for typ, res in (("reliability", rel), ("efa", efa), ("cfa", cfa), ("sem", sem)):
            found = registry.get(typ).findings(res, None, lang)
            assert found and all(f.headline and f.kind == "measurement" for f in found)
        sem_found = registry.get("sem").findings(sem, None, lang)
        assert [f.significant for f in sem_found[:2]] == [True, True]
        assert sem_found[0].strength == pytest.approx(abs(sem.tables["paths"]["std_estimate"].iloc[0]))
    # the path diagram (a declared chart): R² under the endogenous factor, standardized loadings on the arrows
    diagram = dict(registry.get("sem").charts(sem, hs, "en", {}))["diagram"].to_dict()
    texts = {r["text"] for rows in diagram["datasets"].values() for r in rows if "text" in r}
    assert "R² = .22" in texts and ".78" in texts
    assert dict(registry.get("cfa").charts(cfa, hs, "zh", {}))["diagram"].to_dict()["title"]["text"] == \
        "测量模型：标准化因子载荷"


def test_cli_recipe_runs_every_measurement_analysis(tmp_path):
    rec = _bfi_recipe()
    rec["data"]["path"] = str(DATA / "bfi.csv")
    rec["analyses"] = [
        {"id": "rel", "type": "reliability"},
        {"id": "scr", "type": "screening", "checks": ["straight_lining", "missing"]},
        {"id": "efa", "type": "efa", "n_factors": 5, "method": "ml", "rotation": "oblimin"},
        {"id": "cfa", "type": "cfa", "group": "gender"},
        {"id": "sem", "type": "sem", "model": "N ~ E + C\nA ~ N"},
    ]
    path = tmp_path / "recipe.json"
    path.write_text(json.dumps(rec), encoding="utf-8")
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "core", "run", str(path), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text(encoding="utf-8"))["results"]
    ref = load_reference("measurement_alpha_bfi")["expected"]
    alpha = {r["scale"]: r for r in res["rel"]["tables"]["alpha"]}
    assert_close(alpha["A"]["alpha"], ref["A"]["raw_alpha"], 1e-6)
    assert set(res["rel"]["tables"]["items"][0]) >= {"scale", "item", "mean", "sd", "r_drop", "alpha_if_deleted"}
    assert set(res["efa"]["tables"]) >= {"kmo", "bartlett", "loadings", "variance", "harman"}
    assert set(res["cfa"]["tables"]["fit"][0]) >= {"chi2", "df", "p", "cfi", "tli", "rmsea", "rmsea_ci_low",
                                                    "rmsea_ci_high", "srmr", "gfi", "agfi", "nfi", "ifi", "aic",
                                                    "bic"}
    assert set(res["cfa"]["tables"]["validity"][0]) >= {"factor", "ave", "cr", "ave_model", "cr_model"}
    assert [r["model"] for r in res["cfa"]["tables"]["invariance"]] == ["configural", "metric", "scalar"]
    assert len(res["sem"]["tables"]["paths"]) == 3
    bad = tmp_path / "bad.json"
    rec["analyses"] = [{"id": "x", "type": "cfa", "model": "F =~ A1"}]
    bad.write_text(json.dumps(rec), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "core", "run", str(bad)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "A1" in proc.stderr


def test_page_one_click_reverse_key_and_exclusion():
    """The measurement page: a forgotten reverse key is offered for exactly the
    reversed items, and excluding flagged respondents writes the recipe."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from core.data import samples

    st.cache_data.clear()
    raw, recipe, _ = samples.load("role_pressure")
    for sc in recipe["scales"]:
        if sc["name"] == "PS":
            sc["reverse"] = []
    at = AppTest.from_file(str(ROOT / "pages" / "measurement.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["raw"], at.session_state["recipe"] = raw, recipe
    at.run()
    assert not at.exception
    offered = sorted(b.label.split()[1] for b in at.button if b.label.startswith("Reverse-key"))
    assert offered == ["PS1", "PS3", "PS5"]
    next(b for b in at.button if b.label.startswith("Reverse-key PS1")).click()
    at.run()
    assert next(sc for sc in at.session_state["recipe"]["scales"] if sc["name"] == "PS")["reverse"] == ["PS1"]
    exclude = next(b for b in at.button if b.label.startswith("Exclude"))
    exclude.click()
    at.run()
    assert not at.exception
    excl = at.session_state["recipe"]["exclusions"]
    assert len(excl) == 1 and excl[0]["rows"] and excl[0]["reason"]
    assert any("excluded" in c.value for c in at.caption)
