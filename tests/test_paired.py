"""Paired-samples t test (recipe type "paired_t") against R, pingouin and scipy,
and on the Differences page.

References: tests/reference/paired_{sleep,anorexia,airquality}.json, produced by
tests/reference/r/paired.R (R 4.2.2: t.test(paired = TRUE), cor.test,
wilcox.test(paired = TRUE, exact = FALSE, correct = TRUE)) on datasets::sleep in
wide form (a zero difference and ties), MASS::anorexia (90% CI) and
datasets::airquality (missing values: listwise per pair).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats
from streamlit.testing.v1 import AppTest

from conftest import ROOT, assert_close, load_reference
from core import recipe as recipes
from core import registry
from core.data import io, samples
from core.data.model import Dataset, RawData, VariableMeta
from core.data.prepare import build_dataset
from core.errors import UserError

KEYS = ("var_a", "var_b")


def dataset(path: str, lang: str = "en") -> Dataset:
    return build_dataset(io.read_path(ROOT / path), recipes.validate(recipes.empty()), lang)


@pytest.mark.parametrize("name", ["paired_sleep", "paired_anorexia", "paired_airquality"])
def test_against_r(name):
    ref = load_reference(name)
    res = registry.run("paired_t", dataset(ref["dataset"]), ref["options"])
    mine = {tuple(r[k] for k in KEYS): r for r in res.tables["tests"].to_dict("records")}
    expected = ref["expected"]["tests"]
    assert len(mine) == len(expected)
    checked = 0
    for row in expected:
        got = mine[tuple(row[k] for k in KEYS)]
        for col, val in row.items():
            if col not in KEYS:
                assert_close(got[col], val, ref["tol"]["abs"], what=f"{name} {row['var_a']}-{row['var_b']} {col}")
                checked += 1
    assert checked == 20 * len(expected)


def test_zero_differences_are_dropped_from_wilcoxon_with_a_note():
    ref = load_reference("paired_sleep")
    res = registry.run("paired_t", dataset(ref["dataset"]), ref["options"])
    zeros = [n for n in res.notes if n.key == "paired_t.note.zeros"]
    assert [(n.kwargs["a"], n.kwargs["n"]) for n in zeros] == [("drug1", 1), ("drug2", 1)]
    assert not any(n.key == "paired_t.note.zeros" for n in registry.run(
        "paired_t", dataset("tests/data/airquality.csv"), {"pairs": [["Wind", "Temp"]]}).notes)


@pytest.fixture(scope="module")
def survey():
    raw, recipe, _ = samples.load("civil_servants")
    return build_dataset(raw, recipes.validate(recipe), "en")


def test_against_pingouin_and_scipy(survey):
    """Cross-check on the sample survey (missing values, many ties)."""
    pairs = [["OC", "PO"], ["FE", "CD"], ["WP_ph", "WP_ps"], ["CD", "RC"]]
    res = registry.run("paired_t", survey, {"pairs": pairs, "conf": 90})
    for row, (a, b) in zip(res.tables["tests"].itertuples(index=False), pairs):
        x, y = survey.numeric(a), survey.numeric(b)
        ok = np.isfinite(x) & np.isfinite(y)
        x, y = x[ok], y[ok]
        pt = pg.ttest(x, y, paired=True, confidence=0.90).iloc[0]
        assert row.n == ok.sum()
        assert_close(row.t, pt["T"], 1e-9, what="t")
        assert_close(row.df, pt["dof"], 0, what="df")
        assert_close(row.p, pt["p_val"], 1e-12, what="p")
        assert_close([row.ci_low, row.ci_high], list(pt["CI90"]), 1e-6, what="CI")   # pingouin rounds to 1e-6
        assert_close(row.d_z, np.mean(x - y) / np.std(x - y, ddof=1), 1e-12, what="d_z")
        w = stats.wilcoxon(x, y, zero_method="wilcox", correction=True, method="approx")
        assert_close(row.wilcoxon_p, w.pvalue, 1e-12, what="wilcoxon p")
        # scipy tests min(V+, V−) (z ≤ 0); R's V is V+, its z signed like V+ − E V
        assert_close(abs(row.wilcoxon_z), abs(w.zstatistic), 1e-9, what="wilcoxon z")
        m = np.count_nonzero(x - y)
        assert_close(min(row.wilcoxon_v, m * (m + 1) / 2 - row.wilcoxon_v), w.statistic, 1e-9, what="V")
        r = stats.pearsonr(x, y)
        assert_close([row.r, row.r_p], [r.statistic, r.pvalue], 1e-12, what="r")


def test_bad_input_is_a_clear_message(survey):
    for bad in (["OC", "PO"], [["OC"]], [["OC", "PO", "FE"]], [["OC", 3]], "OC"):
        with pytest.raises(UserError) as err:
            registry.run("paired_t", survey, {"pairs": bad})
        assert err.value.key == "error.bad_option"
    with pytest.raises(UserError) as err:
        registry.run("paired_t", survey, {"pairs": []})
    assert err.value.key == "paired_t.error.no_pairs"
    with pytest.raises(UserError) as err:
        registry.run("paired_t", survey, {"pairs": [["OC", "nope"]]})
    assert err.value.key == "error.unknown_variable"
    with pytest.raises(UserError) as err:
        registry.run("paired_t", survey, {"pairs": [["OC", "PO"]], "conf": 100})
    assert err.value.key == "error.option_range"


def test_undefined_cases_are_blank_with_a_note():
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4, np.nan], "b": [0.0, 1, 2, 3, np.nan], "c": [np.nan] * 4 + [1.0],
                          "s": list("vwxyz")})
    ds = build_dataset(RawData(frame=frame, meta={c: VariableMeta(name=c) for c in frame}),
                       recipes.validate(recipes.empty()))
    res = registry.run("paired_t", ds, {"pairs": [["a", "b"], ["a", "c"], ["a", "s"], ["a", "a"]]})
    tests = res.tables["tests"].set_index("var_b")
    assert list(tests.index) == ["b", "c", "a"]                 # the text pair is left out
    assert tests.loc["b", "mean_diff"] == 1 and math.isnan(tests.loc["b", "t"])   # constant difference
    assert tests.loc["b", "n_zero"] == 0 and tests.loc["b", "wilcoxon_v"] == 10
    assert tests.loc["c", "n"] == 0 and math.isnan(tests.loc["c", "mean_diff"])
    assert tests.loc["a", "n_zero"] == 4 and math.isnan(tests.loc["a", "wilcoxon_p"])
    keys = [n.key for n in res.notes]
    for key in ("paired_t.note.constant", "paired_t.note.too_few", "paired_t.note.not_numeric",
                "paired_t.note.zeros"):
        assert key in keys
    spec = registry.get("paired_t")
    for lang in ("en", "zh"):
        assert len(spec.interpret(res, ds, lang)) == 3
        assert spec.findings(res, ds, lang) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reading_chart_and_findings(survey, lang):
    spec = registry.get("paired_t")
    res = registry.run("paired_t", survey, {"pairs": [["OC", "PO"], ["WP_ph", "WP_ph"]]})
    paras = spec.interpret(res, survey, lang)
    # OC < PO: told as PO − OC, every number positive
    t_part = paras[0].split("Wilcoxon")[0]
    assert t_part.index(survey.label("PO")) < t_part.index(survey.label("OC")) and "-" not in t_part
    assert ("Wilcoxon" in paras[0]) and (("higher" in paras[0]) == (lang == "en"))
    found = spec.findings(res, survey, lang)
    assert len(found) == 1 and found[0].significant and found[0].chart == "differences"
    assert found[0].strength == pytest.approx(abs(res.tables["tests"].d_z[0]))
    charts = dict(spec.charts(res, survey, lang))
    assert set(charts) == {"differences"}
    vl = charts["differences"].to_dict()
    assert len(vl["layer"]) == 4


# ---- the page --------------------------------------------------------------------------------
def _differences_page(lang: str, pairs) -> AppTest:
    at = AppTest.from_file(str(Path(ROOT) / "pages" / "differences.py"), default_timeout=180)
    raw, recipe, _ = samples.load("civil_servants")
    if pairs:
        recipe["analyses"].append({"id": "differences_paired", "type": "paired_t", "pairs": pairs})
    at.session_state["lang"] = lang
    at.session_state["raw"] = raw
    at.session_state["recipe"] = recipe
    at.run()
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_draws_the_paired_test(lang):
    from core.i18n import t

    at = _differences_page(lang, [["OC", "PO"], ["FE", "CD"]])
    assert [e.value for e in at.exception] + [e.value for e in at.error] == []
    heads = [h.value for h in at.subheader]
    assert t("paired_t.title", lang) in heads and t("paired_t.table.tests", lang) in heads
    label = t("paired_t.opt.pairs", lang)
    pickers = [m for m in at.multiselect if m.label.startswith(label)]
    assert [m.value for m in pickers] == [["OC", "FE"], ["PO", "CD"]]
    assert any("Wilcoxon" in m.value for m in at.markdown)
    # choosing a third first measure without its partner leaves that pair out, the rest still runs
    pickers[0].set_value(["OC", "FE", "RC"]).run()
    assert not at.exception
    entry = next(a for a in at.session_state["recipe"]["analyses"] if a["id"] == "differences_paired")
    assert entry["pairs"] == [["OC", "PO"], ["FE", "CD"]]


def test_page_without_pairs_keeps_the_recipe_runnable():
    from core.i18n import t

    at = _differences_page("zh", None)
    assert not at.exception
    assert t("paired_t.error.no_pairs", "zh") in [i.value for i in at.info]
    assert all(a["type"] != "paired_t" for a in at.session_state["recipe"]["analyses"])
