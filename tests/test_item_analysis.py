"""Item analysis against R (quantile type 6, t.test, cor.test, psych::alpha
r.drop) — tests/reference/item_analysis_bfi.json from
tests/reference/r/item_analysis.R — and its bad input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core import recipe as recipes
from core import registry
from core.analyses.item_analysis import compute
from core.data import io
from core.data.model import RawData
from core.data.prepare import build_dataset
from core.errors import UserError
from tests.conftest import DATA, assert_close, compare, load_reference, table_keys

REF = load_reference("item_analysis_bfi")


def _dataset(name: str, case: dict):
    rec = recipes.empty()
    rec["scales"] = [recipes.validate_scale({"name": name, "items": case["items"], "reverse": case["reverse"],
                                             "min": 1, "max": 6})]
    return build_dataset(io.read_path(DATA / "bfi.csv"), rec)


@pytest.mark.parametrize("name", sorted(REF["expected"]))
def test_against_r(name):
    case = REF["expected"][name]
    res = registry.run("item_analysis", _dataset(name, case), {"scale": name, "fraction": case["options"]["fraction"]})
    tol = REF["tol"]["abs"]
    assert res.n_used == case["n"]
    assert_close(res.meta["low_cut"], case["low_cut"], tol, what="low cut")
    assert_close(res.meta["high_cut"], case["high_cut"], tol, what="high cut")
    for table in ("critical_ratio", "item_total"):
        assert compare(res.tables[table], case[table], table_keys("item_analysis", table), tol, name=table,
                       complete=True) == len(case[table]) * (len(res.tables[table].columns) - 1)


def test_haverage_percentile_is_spss_type_6():
    # SPSS HAVERAGE: position (n + 1) p; 1..10 at 27% -> position 2.97 -> 1.97 + ... = 2.97
    assert_close(compute.percentile_haverage(np.arange(1.0, 11.0), 0.27), 2.97, 1e-12)
    assert_close(compute.percentile_haverage(np.arange(1.0, 11.0), 0.05), 1.0, 1e-12)   # clamped to the minimum


def _frame_ds(frame, items, reverse=()):
    rec = recipes.empty()
    rec["scales"] = [recipes.validate_scale({"name": "S", "items": items, "reverse": list(reverse), "min": 1,
                                             "max": 5})]
    return build_dataset(RawData(frame=frame, meta={}), rec)


@pytest.mark.parametrize("opts,key", [
    ({}, "item_analysis.error.no_scale"),
    ({"scale": "nope"}, "item_analysis.error.not_a_scale"),
    ({"scale": "S", "fraction": 0.6}, "item_analysis.error.bad_fraction"),
])
def test_bad_options(opts, key):
    ds = _frame_ds(pd.DataFrame({"a": [1, 2, 3, 4, 5] * 4, "b": [2, 3, 4, 5, 1] * 4}), ["a", "b"])
    with pytest.raises(UserError) as err:
        compute.run(ds, opts)
    assert err.value.key == key


def test_all_totals_equal_is_a_clear_error():
    ds = _frame_ds(pd.DataFrame({"a": [1, 2, 3, 4] * 3, "b": [4, 3, 2, 1] * 3}), ["a", "b"])
    with pytest.raises(UserError) as err:
        compute.run(ds, {"scale": "S"})
    assert err.value.key == "item_analysis.error.groups_overlap"


def test_listwise_and_reverse_keys_are_applied():
    rng = np.random.default_rng(3)
    f = rng.integers(1, 6, size=(60, 1))
    frame = pd.DataFrame(np.clip(np.hstack([f, f, 6 - f]) + rng.integers(-1, 2, size=(60, 3)), 1, 5).astype(float),
                         columns=["a", "b", "c"])
    frame.loc[0, "a"] = np.nan
    res = compute.run(_frame_ds(frame, ["a", "b", "c"], reverse=["c"]), {"scale": "S"})
    assert res.n_used == 59
    assert any(n.key == "item_analysis.note.listwise" for n in res.notes)
    assert (res.tables["critical_ratio"]["t"] > 0).all()        # the reversed item discriminates the right way
    assert (res.tables["item_total"]["r_corrected"] > 0).all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_and_charts_in_both_languages(lang):
    from core.analyses.item_analysis import charts, text

    case = REF["expected"]["A"]
    ds = _dataset("A", case)
    res = registry.run("item_analysis", ds, {"scale": "A"})
    paras = text.paragraphs(res, ds, lang)
    assert len(paras) == 2 and all("item_analysis." not in p for p in paras)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in paras[0]) == (lang == "zh")
    assert [n for n, _ in charts.charts(res, ds, lang)] == ["critical_ratio", "item_total"]
    assert text.findings(res, ds, lang)[0].table == "critical_ratio"
