"""The hypothesis summary reads each hypothesis' row from the result of the
analysis that tests it (those numbers are the R-referenced ones of their own
tests) and judges it: supported, not supported or opposite; bad input gives a
clear message."""
from __future__ import annotations

import math

import pytest

from core import registry
from core.analyses.hypotheses import compute, text
from core.data import samples
from core.data.prepare import build_dataset
from core.errors import UserError

REG = {"outcome": "WW", "blocks": [["gender"], ["RP", "PS"]]}
PROC = {"model": 4, "x": "RP", "m": ["PS"], "y": "WW", "n_boot": 500, "seed": 3}
STEPS = {"x": "RP", "m": "PS", "y": "WW"}


@pytest.fixture(scope="module")
def ds():
    raw, recipe, _ = samples.load("role_pressure")
    return build_dataset(raw, recipe, "en")


def _h(label, type_, options, table, row, expected):
    return {"label": label, "text": f"{label} statement", "type": type_, "options": options, "table": table,
            "row": row, "expected": expected}


HYPS = [
    _h("H1", "regression", REG, "coefficients", {"step": 2, "term": "RP"}, "positive"),
    _h("H2", "mediation_steps", STEPS, "steps", {"model": "a", "term": "RP"}, "negative"),
    _h("H3", "process", PROC, "effects", {"kind": "indirect", "path": "RP->PS->WW"}, "positive"),
    _h("H4", "regression", REG, "coefficients", {"step": 2, "term": "RP"}, "negative"),
    _h("H5", "regression", REG, "coefficients", {"step": 2, "term": "gender"}, "any"),
]


def test_rows_are_read_from_the_analyses_and_judged(ds):
    res = registry.run("hypotheses", ds, {"hypotheses": HYPS})
    tb = res.tables["summary"].set_index("hypothesis")
    reg = registry.run("regression", ds, REG).tables["coefficients"]
    rp = reg[(reg["step"] == 2) & (reg["term"] == "RP")].iloc[0]
    assert tb.at["H1", "estimate"] == rp["b"] and tb.at["H1", "p"] == rp["p"]
    proc = registry.run("process", ds, PROC).tables["effects"]
    ind = proc[proc["kind"] == "indirect"].iloc[0]
    assert tb.at["H3", "estimate"] == ind["effect"] and tb.at["H3", "ci_low"] == ind["ci_low"]
    assert math.isnan(tb.at["H3", "p"])                     # judged by its bootstrap CI
    assert list(tb["verdict"]) == ["supported", "supported", "supported" if ind["ci_high"] < 0 or
                                   ind["ci_low"] > 0 else "not_supported", "opposite",
                                   "supported" if reg[(reg["step"] == 2) & (reg["term"] == "gender")]["p"].iloc[0]
                                   < 0.05 else "not_supported"]


def test_verdict_rules():
    assert compute.verdict(0.3, 0.01, math.nan, math.nan, "positive") == "supported"
    assert compute.verdict(0.3, 0.2, math.nan, math.nan, "positive") == "not_supported"
    assert compute.verdict(-0.3, 0.01, math.nan, math.nan, "positive") == "opposite"
    assert compute.verdict(-0.3, math.nan, -0.5, -0.1, "negative") == "supported"
    assert compute.verdict(0.1, math.nan, -0.05, 0.2, "any") == "not_supported"


def test_missing_row_and_failed_analysis_are_notes(ds):
    hyps = [_h("H1", "regression", REG, "coefficients", {"step": 9, "term": "RP"}, "positive"),
            _h("H2", "regression", {"outcome": "WW", "blocks": [["nope"]]}, "coefficients", {}, "any")]
    res = registry.run("hypotheses", ds, {"hypotheses": hyps})
    keys = [n.key for n in res.notes]
    assert "hypotheses.note.no_row" in keys and "hypotheses.note.failed" in keys
    assert res.tables["summary"]["verdict"].isna().all()


@pytest.mark.parametrize("opts,key", [
    ({"hypotheses": []}, "hypotheses.error.none"),
    ({"hypotheses": [{"label": "H1", "type": "regression"}]}, "hypotheses.error.bad"),
    ({"hypotheses": [_h("H1", "regression", REG, "coefficients", {}, "up")]}, "hypotheses.error.bad"),
    ({"hypotheses": [HYPS[0], HYPS[0]]}, "hypotheses.error.duplicate"),
])
def test_bad_hypotheses(ds, opts, key):
    with pytest.raises(UserError) as err:
        registry.run("hypotheses", ds, opts)
    assert err.value.key == key


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text(ds, lang):
    res = registry.run("hypotheses", ds, {"hypotheses": HYPS[:1] + HYPS[3:4]})
    paras = text.paragraphs(res, ds, lang)
    assert len(paras) == 3 and all("hypotheses." not in p for p in paras)


def test_a_level_or_dummy_named_by_its_label_finds_the_row_its_code_finds(ds):
    """Results hold level codes; a recipe saved when they held labels ("Section level", "gender[Female]")
    still finds its row — the same one as the code — and a label that is no level finds none."""
    section, deputy, female = ds.level_label("rank", 2), ds.level_label("rank", 3), ds.level_label("gender", 2)
    assert "2" not in (section, female)
    diff = {"groups": ["rank"], "outcomes": ["WW"], "posthoc": ["tukey"]}
    reg = {"outcome": "WW", "blocks": [["gender"], ["RP"]], "categorical": {"gender": None}}
    pair = {"group": "rank", "outcome": "WW", "method": "tukey"}
    hyps = [_h("C1", "difference", diff, "posthoc", {**pair, "level_a": 3, "level_b": 2}, "any"),
            _h("L1", "difference", diff, "posthoc", {**pair, "level_a": deputy, "level_b": section}, "any"),
            _h("C2", "regression", reg, "coefficients", {"step": 1, "term": "gender[2]"}, "any"),
            _h("L2", "regression", reg, "coefficients", {"step": 1, "term": f"gender[{female}]"}, "any"),
            _h("X", "difference", diff, "posthoc", {**pair, "level_a": "Nobody", "level_b": section}, "any")]
    res = registry.run("hypotheses", ds, {"hypotheses": hyps})
    tb = res.tables["summary"].set_index("hypothesis")
    for code, label in (("C1", "L1"), ("C2", "L2")):
        assert math.isfinite(tb.at[code, "estimate"])
        assert (tb.at[label, "estimate"], tb.at[label, "p"]) == (tb.at[code, "estimate"], tb.at[code, "p"])
    assert math.isnan(tb.at["X", "estimate"])
    assert [n.kwargs["label"] for n in res.notes if n.key == "hypotheses.note.no_row"] == ["X"]
