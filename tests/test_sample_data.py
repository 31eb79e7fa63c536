"""The synthetic sample data sets: reproducible, self-consistent, and showing
the effects they were built to show (sample_data/generate.py)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
FILES = [
    "civil_servants.csv",
    "civil_servants.codebook.json",
    "role_pressure.csv",
    "role_pressure.sav",
    "role_pressure.codebook.json",
]
STUDY1_DEMOGRAPHICS = ["gender", "age", "education", "school_type", "major", "work_nature",
                       "position", "marital", "tenure", "hometown"]


def _generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate", SAMPLE / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_data")
    assert _generator().main([str(out)]) == 0
    return out


def _load(stem):
    frame = pd.read_csv(SAMPLE / f"{stem}.csv", dtype="Int64")
    codebook = json.loads((SAMPLE / f"{stem}.codebook.json").read_text("utf-8"))
    return frame, codebook


@pytest.fixture(scope="module")
def study1():
    return _load("civil_servants")


@pytest.fixture(scope="module")
def study2():
    return _load("role_pressure")


def _scores(frame, codebook):
    """99 -> missing, reverse keys applied, mean of items (all required)."""
    data = frame.astype("float64")
    for code in codebook["missing_codes"]:
        data = data.replace(float(code), np.nan)
    out = {}
    for s in codebook["scales"]:
        x = data[s["items"]].copy()
        for r in s["reverse"]:
            x[r] = s["min"] + s["max"] - x[r]
        out[s["name"]] = x.mean(axis=1).where(x.notna().sum(axis=1) >= s["min_items"])
    return data, pd.DataFrame(out), out


def _alpha(x: pd.DataFrame) -> float:
    x = x.dropna().to_numpy()
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


# ---------------------------------------------------------------------------
def test_regeneration_is_byte_identical(regenerated):
    for name in FILES:
        assert (regenerated / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_sav_header_date_is_pinned():
    head = (SAMPLE / "role_pressure.sav").read_bytes()[:120]
    assert head[:4] == b"$FL2"
    assert head[92:109] == b"01 Jan 2400:00:00"


@pytest.mark.parametrize("stem,n", [("civil_servants", 600), ("role_pressure", 409)])
def test_codebook_matches_data(stem, n):
    frame, cb = _load(stem)
    assert len(frame) == n and frame["id"].tolist() == list(range(1, n + 1))
    assert cb["synthetic"] is True and cb["missing_codes"] == [99]
    assert "generate.py" in cb["description"]["en"] and str(cb["true_parameters"]["seed"]) in cb["description"]["en"]
    assert set(cb["variables"]) == set(frame.columns)  # keys are sorted in the file
    for col, v in cb["variables"].items():
        assert set(v["label"]) == {"en", "zh"} and all(v["label"].values()), col
        assert v["measure"] in ("nominal", "ordinal", "scale")
        observed = {int(x) for x in frame[col].dropna().unique()}
        if v["values"]:
            assert observed <= {int(k) for k in v["values"]}, col
        if v["construct"] and 99 in observed:
            assert "99" in v["values"], col
    names = {s["name"] for s in cb["scales"]}
    for s in cb["scales"]:
        assert set(s["label"]) == {"en", "zh"}
        assert s["items"] and set(s["items"]) <= set(frame.columns), s["name"]
        assert set(s["reverse"]) <= set(s["items"])
        assert (s["min"], s["max"], s["score"], s["min_items"]) == (1, 5, "mean", len(s["items"]))
        assert s["name"] not in frame.columns
    for col, v in cb["variables"].items():
        if v["construct"] is not None:
            assert v["construct"] in names
            assert any(col in s["items"] and s["name"] == v["construct"] for s in cb["scales"])
    roles = cb["roles"]
    for d in roles["demographics"]:
        assert d in frame.columns and cb["variables"][d]["values"]
    for key in ("stressors", "outcome", "x", "m", "w", "y"):
        for r in ([roles[key]] if isinstance(roles.get(key), str) else roles.get(key, [])):
            assert r in names
    # item values: 1..5, the missing code, or blank; some blanks, a few 99s
    items = [c for c, v in cb["variables"].items() if v["construct"]]
    vals = set(np.unique(frame[items].to_numpy(dtype="float64", na_value=np.nan)))
    vals.discard(np.nan)
    assert {v for v in vals if not np.isnan(v)} == {1, 2, 3, 4, 5, 99}
    assert 0 < frame[items].isna().to_numpy().mean() < 0.025
    assert 0 < int((frame[items] == 99).sum().sum()) < 20


def test_reverse_keys_documented(study1, study2):
    for (frame, cb), expected in ((study1, {"OC3", "WP_ps3"}), (study2, {"PS1", "PS3", "PS5"})):
        reverse = {r for s in cb["scales"] for r in s["reverse"]}
        assert reverse == expected
        assert set(cb["true_parameters"]["reverse_keyed"]) == expected
        for r in reverse:
            assert "reverse" in cb["variables"][r]["label"]["en"].lower()
            assert "反向" in cb["variables"][r]["label"]["zh"]
        # a reverse-keyed item correlates negatively with the rest of its scale as stored
        data = frame.astype("float64").replace(99.0, np.nan)
        for s in cb["scales"]:
            for r in s["reverse"]:
                rest = data[[i for i in s["items"] if i not in s["reverse"]]].mean(axis=1)
                ok = data[r].notna() & rest.notna()
                assert np.corrcoef(data[r][ok], rest[ok])[0, 1] < -0.3, r
    ps = next(s for s in study2[1]["scales"] if s["name"] == "PS")
    assert ps["reverse"] == ["PS1", "PS3", "PS5"]


def test_study1_effects(study1):
    frame, cb = study1
    data, scores, _ = _scores(frame, cb)
    wp = scores["WP"]
    assert 2.85 < wp.mean() < 3.15
    assert cb["roles"]["demographics"] == STUDY1_DEMOGRAPHICS

    def anova_p(var):
        ok = wp.notna()
        groups = [wp[ok & (data[var] == k)].to_numpy() for k in sorted(data[var].dropna().unique())]
        return stats.f_oneway(*groups).pvalue

    assert anova_p("gender") > 0.01
    assert anova_p("position") > 0.01
    for var in ("age", "education", "school_type", "major", "work_nature", "marital", "tenure", "hometown"):
        assert anova_p(var) < 0.01, var

    st = cb["roles"]["stressors"]
    assert st == ["OC", "PO", "FE", "CD", "RC"]
    both = scores[st + ["WP"]].dropna()
    for s in st:
        assert both[s].corr(both["WP"]) > 0.2, s
    z = (both - both.mean()) / both.std()
    beta, *_ = np.linalg.lstsq(z[st].to_numpy(), z["WP"].to_numpy(), rcond=None)
    resid = z["WP"].to_numpy() - z[st].to_numpy() @ beta
    r2 = 1 - resid @ resid / (z["WP"] ** 2).sum()
    assert np.all(beta > 0.05) and 0.35 < r2 < 0.55

    for s in cb["scales"]:
        x = data[s["items"]].copy()
        for r in s["reverse"]:
            x[r] = 6 - x[r]
        assert 0.75 <= _alpha(x) <= 0.93, s["name"]


def test_study2_effects(study2):
    frame, cb = study2
    data, scores, _ = _scores(frame, cb)
    roles = cb["roles"]
    assert (roles["x"], roles["m"], roles["w"], roles["y"]) == ("RP", "PS", "EMC", "WW")
    assert cb["true_parameters"]["paths"]["a"] < 0 and cb["true_parameters"]["paths"]["b"] < 0
    d = scores[["RP", "PS", "EMC", "WW"]].dropna()
    z = (d - d.mean()) / d.std()
    r_xm = stats.pearsonr(z["RP"], z["PS"])
    assert r_xm.statistic < -0.2 and r_xm.pvalue < 0.001
    assert z["PS"].corr(z["WW"]) < -0.2
    assert z["RP"].corr(z["WW"]) > 0.1
    # Y ~ X + M + W + X*W: negative interaction, negative b
    A = np.column_stack([np.ones(len(z)), z["RP"], z["PS"], z["EMC"], z["RP"] * z["EMC"]])
    coef, *_ = np.linalg.lstsq(A, z["WW"].to_numpy(), rcond=None)
    assert coef[2] < -0.15 and coef[4] < -0.08
    for s in cb["scales"]:
        x = data[s["items"]].copy()
        for r in s["reverse"]:
            x[r] = 6 - x[r]
        assert 0.75 <= _alpha(x) <= 0.93, s["name"]


def test_sav_matches_csv_and_declares_missing(study2):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame, cb = study2
    df, meta = pyreadstat.read_sav(str(SAMPLE / "role_pressure.sav"), user_missing=True)
    assert list(df.columns) == list(frame.columns)
    np.testing.assert_array_equal(df.to_numpy(), frame.to_numpy(dtype="float64", na_value=np.nan))
    with99 = [c for c in frame.columns if c != "id" and (frame[c] == 99).any()]
    assert with99 == ["EMC4", "WW7"]
    for c in frame.columns:
        declared = meta.missing_ranges.get(c)
        if c in with99:  # declared user-missing exactly where the codebook labels 99
            assert declared == [{"lo": 99.0, "hi": 99.0}]
        else:
            assert not declared, c
        assert meta.column_names_to_labels[c] == cb["variables"][c]["label"]["en"]
    for d in cb["roles"]["demographics"]:
        want = {float(k): v["en"] for k, v in cb["variables"][d]["values"].items()}
        assert meta.variable_value_labels[d] == want
