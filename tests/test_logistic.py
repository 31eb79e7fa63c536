"""Binary logistic regression against R (glm binomial, Wald, exp(confint.default),
deviance χ², Cox–Snell / Nagelkerke, Hosmer–Lemeshow in SPSS's 10 groups,
classification at .5) — tests/reference/logistic_infert.json from
tests/reference/r/logistic.R — with statsmodels' own results as a cross-check,
the probability what-if, and bad input."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core import recipe as recipes
from core import registry
from core.analyses.logistic import compute
from core.data import io
from core.data.model import RawData
from core.data.prepare import build_dataset
from core.errors import UserError
from tests.conftest import ROOT, assert_close, compare, load_reference, table_keys

REF = load_reference("logistic_infert")


@pytest.fixture(scope="module")
def infert():
    return build_dataset(io.read_path(ROOT / REF["dataset"]), recipes.empty())


@pytest.fixture(scope="module")
def result(infert):
    return registry.run("logistic", infert, REF["options"])


def test_against_r(result):
    e, tol = REF["expected"], REF["tol"]["abs"]
    # the classification table names its outcome (its level columns hold that variable's codes)
    e = {**e, "classification": [{"outcome": REF["options"]["outcome"], **r} for r in e["classification"]]}
    for table in ("coefficients", "steps", "classification"):
        cols = len(result.tables[table].columns) - len(table_keys("logistic", table))
        assert compare(result.tables[table], e[table], table_keys("logistic", table), tol, name=table,
                       complete=True) == len(e[table]) * cols


def test_event_level_flips_the_signs(infert):
    other = compute.run(infert, {**REF["options"], "event": "control"})
    a = REF["expected"]["coefficients"]
    mine = other.tables["coefficients"].set_index(["step", "term"])["b"]
    for r in a:
        assert_close(mine[(r["step"], r["term"])], -r["b"], 1e-6, what=r["term"])


def test_hosmer_lemeshow_keeps_ties_together():
    p = np.array([0.1] * 5 + [0.2] * 10 + [0.3] * 5)
    y = np.array([0] * 5 + [0, 1] * 5 + [1] * 5, dtype=float)
    chi2, df, _ = compute.hosmer_lemeshow(y, p)
    # blocks end at rows 5, 15, 20 -> groups ceil(2.5) = 3, ceil(7.5) = 8, 10: three groups, df 1
    assert df == 1
    exp = (0 - 0.5) ** 2 / 0.5 + (0 - 0.5) ** 2 / 4.5 + (5 - 2) ** 2 / 2 + (5 - 2) ** 2 / 8 \
        + (5 - 1.5) ** 2 / 1.5 + (5 - 1.5) ** 2 / 3.5
    assert_close(chi2, exp, 1e-12)


def test_probability_what_if(result):
    model = result.meta["whatif"]
    base = compute.predict_probability(model, {})
    older = compute.predict_probability(model, {"age": 40})
    b_age = result.tables["coefficients"].query("step == 2 and term == 'age'")["b"].iloc[0]
    logit = lambda p: math.log(p / (1 - p))   # noqa: E731
    age_mean = model["predictors"][0]["mean"]
    assert_close(logit(older["probability"]) - logit(base["probability"]), b_age * (40 - age_mean), 1e-9)
    assert base["ci_low"] < base["probability"] < base["ci_high"]


@pytest.mark.parametrize("frame,opts,key", [
    (pd.DataFrame({"y": [0, 1, 2] * 10, "x": range(30)}), {"outcome": "y", "blocks": [["x"]]},
     "logistic.error.not_binary"),
    (pd.DataFrame({"y": [0, 1] * 10, "x": range(20)}), {"outcome": "y", "blocks": []}, "logistic.error.nothing_chosen"),
    (pd.DataFrame({"y": [0] * 10 + [1] * 10, "x": range(20)}), {"outcome": "y", "blocks": [["x"]]},
     "logistic.error.no_convergence"),
])
def test_bad_input(frame, opts, key):
    ds = build_dataset(RawData(frame=frame, meta={}), recipes.empty())
    with pytest.raises(UserError) as err:
        compute.run(ds, opts)
    assert err.value.key == key


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_and_probability_charts(result, infert, lang):
    from core.analyses.logistic import charts, text

    paras = text.paragraphs(result, infert, lang)
    assert len(paras) == 1 + 6 and all("logistic." not in p for p in paras)   # model + 6 terms of step 2
    assert any("\u4e00" <= ch <= "\u9fff" for ch in paras[0]) == (lang == "zh")
    names = [n for n, _ in charts.charts(result, infert, lang)]
    assert names == ["probability_age", "probability_parity", "probability_spontaneous", "probability_induced"]
    assert {f.chart for f in text.findings(result, infert, lang)} >= {"probability_spontaneous"}
