"""Mediation in causal steps against R (lm on one complete-case sample, beta
from z-scored data, first-order Sobel, the 2004 verdict) —
tests/reference/mediation_steps_pmi.json from
tests/reference/r/mediation_steps.R on Hayes' Tal-Or data — and bad input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core import recipe as recipes
from core import registry
from core.analyses.mediation_steps import compute
from core.data import io
from core.data.model import RawData
from core.data.prepare import build_dataset
from core.errors import UserError
from tests.conftest import ROOT, compare, load_reference, table_keys

REF = load_reference("mediation_steps_pmi")


@pytest.fixture(scope="module")
def pmi():
    return build_dataset(io.read_path(ROOT / REF["dataset"]), recipes.empty())


@pytest.mark.parametrize("name", sorted(REF["expected"]))
def test_against_r(pmi, name):
    case = REF["expected"][name]
    res = registry.run("mediation_steps", pmi, case["options"])
    tol = REF["tol"]["abs"]
    for table in ("steps", "models", "summary"):
        assert compare(res.tables[table], case[table], table_keys("mediation_steps", table), tol, name=table,
                       complete=True) == len(case[table]) * (len(res.tables[table].columns)
                                                             - len(table_keys("mediation_steps", table)))


def test_tal_or_has_no_mediation_by_the_causal_steps(pmi):
    # Hayes' example: total effect p = .077, so the 2004 procedure stops at step 1
    res = compute.run(pmi, {"x": "cond", "m": "pmi", "y": "reaction"})
    s = res.tables["summary"].iloc[0]
    assert (s["verdict"], s["decided_by"]) == ("none", "c")
    assert 0.07 < res.tables["steps"].query("model == 'c' and term == 'cond'")["p"].iloc[0] < 0.08


def test_every_verdict_is_reached():
    assert compute.verdict(0.2, 0.01, 0.01, 0.01, 0.01) == ("none", "c")
    assert compute.verdict(0.01, 0.01, 0.01, 0.01, 0.01) == ("partial", "ab")
    assert compute.verdict(0.01, 0.01, 0.01, 0.3, 0.01) == ("full", "ab")
    assert compute.verdict(0.01, 0.2, 0.01, 0.3, 0.03) == ("full", "sobel")
    assert compute.verdict(0.01, 0.2, 0.01, 0.3, 0.2) == ("none", "sobel")


def test_one_common_sample():
    rng = np.random.default_rng(1)
    x = rng.normal(size=80)
    m = 0.5 * x + rng.normal(size=80)
    y = 0.4 * m + 0.2 * x + rng.normal(size=80)
    frame = pd.DataFrame({"x": x, "m": m, "y": y, "w": rng.normal(size=80)})
    frame.loc[:4, "w"] = np.nan                     # missing only on the covariate
    frame.loc[5:6, "m"] = np.nan
    ds = build_dataset(RawData(frame=frame, meta={}), recipes.empty())
    res = compute.run(ds, {"x": "x", "m": "m", "y": "y", "covariates": ["w"]})
    assert res.n_used == 73 and set(res.tables["models"]["n"]) == {73}
    s = res.tables["summary"].iloc[0]
    assert abs(s["c"] - (s["c_prime"] + s["indirect"])) < 1e-10


@pytest.mark.parametrize("opts,key", [
    ({"x": "cond", "y": "reaction"}, "mediation_steps.error.nothing_chosen"),
    ({"x": "cond", "m": "cond", "y": "reaction"}, "mediation_steps.error.same_variable"),
    ({"x": "cond", "m": "pmi", "y": "nope"}, "error.unknown_variable"),
])
def test_bad_options(pmi, opts, key):
    with pytest.raises(UserError) as err:
        compute.run(pmi, opts)
    assert err.value.key == key


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["talor", "full", "sobel"])
def test_text_names_the_deciding_step_and_the_bootstrap(pmi, lang, name):
    from core.analyses.mediation_steps import charts, text

    res = registry.run("mediation_steps", pmi, REF["expected"][name]["options"])
    paras = text.paragraphs(res, pmi, lang)
    assert all("mediation_steps." not in p for p in paras)
    assert "PROCESS" in paras[-1]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in paras[0]) == (lang == "zh")
    assert [n for n, _ in charts.charts(res, pmi, lang)] == ["paths"]
