"""Difference analysis (recipe types "difference", "crosstab") against R.

References: tests/reference/difference_*.json, produced by
tests/reference/r/difference.R (R 4.2.2: t.test, oneway.test, car::leveneTest,
TukeyHSD, rstatix::games_howell_test, pairwise.t.test, wilcox.test,
kruskal.test, effectsize, car::Anova type 3, chisq.test, ptukey/qtukey) on
PlantGrowth, ToothGrowth, mtcars and a frozen copy of the sample survey.
"""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import DATA, ROOT, assert_close, compare, level_keys, load_reference, table_keys
from core import recipe as recipes
from core import registry
from core.data import io, samples
from core.data.prepare import build_dataset
from core.errors import UserError
from core.engines.srange import ptukey, qtukey

TABLES = {"group_stats": "difference", "all_tests": "difference", "effects": "difference", "posthoc": "difference",
          "levels": "difference", "factorial": "difference", "chi2": "crosstab", "cells": "crosstab"}


def dataset(csv: str, codebook: str | None = None, lang: str = "en"):
    raw = io.read_path(DATA / csv)
    recipe = recipes.empty()
    if codebook:
        book = json.loads((DATA / codebook).read_text(encoding="utf-8"))
        raw = samples.apply_codebook(raw, book)
        recipe["data"]["missing_codes"] = book.get("missing_codes") or []
        recipe["scales"] = [recipes.validate_scale(s) for s in book["scales"]]
    return build_dataset(raw, recipes.validate(recipe), lang)


def compare_all(result, expected: dict, tol, ds, tables=None) -> int:
    """Every expected table (or those named) against the result, rows matched on the declared keys (R's factor
    labels of level keys read as our level codes); R's TukeyHSD row name (_row) has no column here (level_a and
    level_b are the keys)."""
    return sum(compare(result.tables[name], rows, table_keys(TABLES[name], name), tol, name=name, skip=("_row",),
                       key_map=level_keys(ds, TABLES[name], name))
               for name, rows in expected.items() if not tables or name in tables)


@pytest.fixture(scope="module")
def plant():
    return dataset("difference_plantgrowth.csv")


@pytest.fixture(scope="module")
def tooth():
    return dataset("difference_toothgrowth.csv")


@pytest.fixture(scope="module")
def cars():
    return dataset("difference_mtcars.csv")


@pytest.fixture(scope="module")
def survey():
    return dataset("difference_civil_servants.csv", "difference_civil_servants.codebook.json")


def run(ds, **opts):
    return registry.run("difference", ds, opts)


def test_plantgrowth_against_r(plant):
    ref = load_reference("difference_plantgrowth")
    res = run(plant, groups=["group"], outcomes=["weight"])
    assert compare_all(res, ref["expected"], ref["tol"], plant) > 80


def test_toothgrowth_two_and_three_groups_and_type3(tooth):
    ref = load_reference("difference_toothgrowth")
    res = run(tooth, groups=["supp", "dose"], outcomes=["len"], by="dose")
    assert compare_all(res, ref["expected"], ref["tol"], tooth) > 150
    t = res.tables["tests"].set_index("group")
    # supp: OJ listed first; t = mean(OJ) − mean(VC) > 0, as t.test(len ~ supp)
    assert t.loc["supp", "test"] in ("student_t", "welch_t") and t.loc["supp", "statistic"] > 0
    assert t.loc["dose", "test"] in ("anova", "welch_anova") and t.loc["dose", "df1"] == 2


def test_mtcars_unbalanced_type3_and_all_tests(cars):
    ref = load_reference("difference_mtcars")
    res = run(cars, groups=["am", "cyl"], outcomes=["mpg", "hp", "wt"], by="cyl")
    assert compare_all(res, ref["expected"], ref["tol"], cars) > 400


def test_survey_against_r(survey):
    ref = load_reference("difference_survey")
    o = ref["options"]
    res = run(survey, groups=o["groups"], outcomes=o["outcomes"], by=o["by"])
    assert compare_all(res, ref["expected"], ref["tol"], survey,
                       tables=[k for k in TABLES if k not in ("chi2", "cells", "levels")]) > 1000
    lv = run(survey, groups=["gender"], outcomes=[r["outcome"] for r in ref["expected"]["levels"]])
    assert compare_all(lv, {"levels": ref["expected"]["levels"]}, ref["tol"], survey) > 40
    ct = registry.run("crosstab", survey, {"rows": ["age"], "cols": ["position"]})
    assert compare_all(ct, {k: ref["expected"][k] for k in ("chi2", "cells")}, ref["tol"], survey) > 20


def test_crosstab_against_r(cars):
    ref = load_reference("difference_crosstab_mtcars")
    res = registry.run("crosstab", cars, {"rows": ["am", "gear"], "cols": ["cyl", "vs", "carb"]})
    assert compare_all(res, {k: ref["expected"][k] for k in ("chi2", "cells")}, ref["tol"], cars) > 50
    two = res.tables["chi2"].set_index(["row_var", "col_var"]).loc[("am", "vs")]
    assert not two["yates"]
    yates = registry.run("crosstab", cars, {"rows": ["am"], "cols": ["vs"], "correct": True})
    # chisq.test(table(am, vs)) with its default correct = TRUE
    assert compare_all(yates, {"chi2": ref["expected"]["yates"]}, ref["tol"], cars) == 5
    assert bool(yates.tables["chi2"]["yates"][0])


def test_studentized_range_matches_r():
    ref = load_reference("difference_srange")["expected"]
    g = pd.DataFrame(ref["ptukey"])
    assert np.nanmax(np.abs(ptukey(g.q, g.k, g.df, lower_tail=False) - g.upper)) < 1e-9
    q = pd.DataFrame(ref["qtukey"])
    assert np.nanmax(np.abs(qtukey(q.p, q.k, q.df) - q.q)) < 1e-9


def test_conventions_and_traps(plant, tooth):
    res = run(plant, groups=["group"], outcomes=["weight"], test="welch")
    assert res.tables["tests"]["test"][0] == "welch_anova"
    assert res.tables["tests"]["rule"][0] == "forced_welch"
    ph = res.tables["posthoc"]
    tk = ph[ph.method == "tukey"].set_index(["level_a", "level_b"])
    # TukeyHSD: "trt1-ctrl" diff = -0.371 (later − earlier)
    assert_close(tk.loc[("trt1", "ctrl"), "diff"], -0.371, 1e-12)
    # Brown–Forsythe df1 is k − 1, not Mehrotra's corrected df1
    at = res.tables["all_tests"].set_index("test")
    assert at.loc["brown_forsythe", "df1"] == 2
    # auto rule: Welch where Levene (mean) p < .05
    auto = run(tooth, groups=["supp", "dose"], outcomes=["len"]).tables["tests"]
    for _, row in auto.iterrows():
        lev = run(tooth, groups=[row.group], outcomes=["len"]).tables["all_tests"].set_index("test")
        welch = lev.loc["levene_mean", "p"] < .05
        assert row.test == ({2: "welch_t", 3: "welch_anova"} if welch else {2: "student_t", 3: "anova"})[row.k]


def test_battery_keeps_going_on_bad_cells(survey):
    frame = survey.frame.copy()
    frame["const"] = 3.0
    frame["text"] = "x"
    frame["single"] = 1
    frame.loc[frame.index[:3], "single"] = 2
    ds = type(survey)(frame=frame, meta=survey.meta, scales=survey.scales, lang="en")
    res = run(ds, groups=["gender", "single"], outcomes=["WP", "const", "text"])
    tests = res.tables["tests"].set_index(["group", "outcome"])
    assert tests.loc[("gender", "const"), "note"] == "constant"
    assert tests.loc[("gender", "text"), "note"] == "not_numeric"
    assert tests.loc[("single", "WP"), "test"] in ("student_t", "welch_t")   # a 3-row group is kept
    assert tests.loc[("gender", "WP"), "p"] == tests.loc[("gender", "WP"), "p"]
    frame.loc[frame.index[:1], "single"] = 3   # a one-row group is left out with a note
    ds = type(survey)(frame=frame, meta=survey.meta, scales=survey.scales, lang="en")
    res = run(ds, groups=["single"], outcomes=["WP"])
    assert res.tables["tests"]["k"][0] == 2
    assert any(n.key == "difference.note.dropped_group" for n in res.notes)
    assert any(n.key == "difference.note.small_group" for n in res.notes)
    frame["one"] = 1
    ds = type(survey)(frame=frame, meta=survey.meta, scales=survey.scales, lang="en")
    res = run(ds, groups=["one"], outcomes=["WP"])
    assert res.tables["tests"]["note"][0] == "one_group"


def test_merge_levels(survey):
    from core.analyses.difference.compute import suggest_merges

    from core.format import read_levels

    res = run(survey, groups=["marital"], outcomes=["WP"], merge={"marital": [["Married", 3]]})
    assert list(res.tables["group_stats"]["level"]) == [1, "2 + 3"]   # codes; a merged level's joined
    shown = read_levels(res, registry.get("difference"), survey).tables["group_stats"]
    assert list(shown["level"]) == ["Unmarried", "Married + Other (divorced, widowed)"]
    # a level named by its label in another language is the same level: the same result in every language
    zh = dataset("difference_civil_servants.csv", "difference_civil_servants.codebook.json", "zh")
    res_zh = run(zh, groups=["marital"], outcomes=["WP"], merge={"marital": [["已婚", 3]]})
    pd.testing.assert_frame_equal(res_zh.tables["group_stats"], res.tables["group_stats"])
    shown = read_levels(res_zh, registry.get("difference"), zh).tables["group_stats"]
    assert list(shown["level"]) == ["未婚", "已婚 + 其他（离异、丧偶等）"]
    merged = suggest_merges(survey, "marital", min_n=10_000)
    assert merged == [[1, 2, 3]]      # codes, the merge option's form
    with pytest.raises(UserError):
        run(survey, groups=["marital"], outcomes=["WP"], merge={"marital": [["nope", "Married"]]})


def test_nothing_chosen_is_a_user_error(plant):
    with pytest.raises(UserError):
        run(plant, groups=[], outcomes=["weight"])


def test_cli_difference_recipe(tmp_path):
    """A recipe of both types through ``python -m core run`` on a CSV."""
    recipe = {"version": 1, "analyses": [
        {"id": "d", "type": "difference", "groups": ["cyl"], "outcomes": ["mpg"], "test": "student",
         "posthoc": ["tukey"]},
        {"id": "x", "type": "crosstab", "rows": ["am"], "cols": ["cyl"]}]}
    path = tmp_path / "recipe.json"
    path.write_text(json.dumps(recipe))
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "-m", "core", "run", str(path), "--data",
                           str(DATA / "difference_mtcars.csv"), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())["results"]
    ref = load_reference("difference_mtcars")["expected"]
    anova = next(r for r in ref["all_tests"] if r["test"] == "anova" and r["group"] == "cyl" and r["outcome"] == "mpg")
    row = results["d"]["tables"]["tests"][0]
    assert row["test"] == "anova" and row["group"] == "cyl" and row["k"] == 3
    assert_close(row["statistic"], anova["statistic"], 1e-6)
    assert_close(row["p"], anova["p"], 1e-6)
    ph = results["d"]["tables"]["posthoc"]
    assert {r["method"] for r in ph} == {"tukey"}
    tk = {(r["level_a"], r["level_b"]): r for r in ref["posthoc"]
          if r["method"] == "tukey" and r["group"] == "cyl" and r["outcome"] == "mpg"}
    for r in ph:   # the results hold level codes (numbers here), R its factor labels
        assert_close(r["p"], tk[(str(r["level_a"]), str(r["level_b"]))]["p"], 1e-6)
    chi = results["x"]["tables"]["chi2"][0]
    ref = load_reference("difference_crosstab_mtcars")["expected"]["chi2"][0]
    assert (chi["row_var"], chi["col_var"]) == ("am", "cyl")
    assert_close(chi["chi2"], ref["chi2"], 1e-6)
    assert_close(chi["cramers_v"], ref["cramers_v"], 1e-6)


@pytest.mark.parametrize("name,groups,outcomes", [
    ("difference_mtcars", ["am", "cyl"], ["mpg", "hp", "wt"]),
    ("difference_plantgrowth", ["group"], ["weight"]),
])
def test_row_path_for_continuous_outcomes(monkeypatch, cars, plant, name, groups, outcomes):
    """Outcomes with many distinct values take the sorted-rows path: same numbers."""
    import core.analyses.difference.compute as diff

    monkeypatch.setattr(diff, "DISCRETE_MAX", 0)
    ref = load_reference(name)
    ds = cars if "mtcars" in name else plant
    res = run(ds, groups=groups, outcomes=outcomes)
    assert compare_all(res, {k: v for k, v in ref["expected"].items() if k != "factorial"}, ref["tol"], ds) > 80


def test_row_path_with_missing_split_values(monkeypatch, survey):
    """A split with missing values among valid outcome rows (ranks and ties on
    the subset): the sorted-rows path equals the count-table path (checked
    against R above)."""
    import core.analyses.difference.compute as diff

    frame = survey.frame.copy()
    frame.loc[frame.index[::7], "age"] = np.nan
    frame.loc[frame.index[::11], "education"] = np.nan
    ds = type(survey)(frame=frame, meta=survey.meta, scales=survey.scales, lang="en")
    opts = dict(groups=["age", "education", "gender"], outcomes=["WP", "OC"])
    table = run(ds, **opts)
    monkeypatch.setattr(diff, "DISCRETE_MAX", 0)
    rows = run(ds, **opts)
    assert table.n_used == rows.n_used
    for name in ("tests", "all_tests", "group_stats", "effects", "posthoc", "levels"):
        a, b = table.tables[name], rows.tables[name]
        assert a.shape == b.shape and a.shape[0] > 0
        num = a.select_dtypes("number").columns
        assert np.allclose(a[num].to_numpy(float), b[num].to_numpy(float), atol=1e-9, equal_nan=True), name


def test_where_third_party_tools_differ(plant, tooth):
    """The issue's known traps, checked against the libraries themselves."""
    import warnings

    import pingouin as pg
    from statsmodels.stats.oneway import anova_oneway

    res = run(plant, groups=["group"], outcomes=["weight"])
    frame = plant.frame
    # pingouin.pairwise_tukey: diff = mean(A) − mean(B) for A earlier: the opposite sign of TukeyHSD (ours)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pt = pg.pairwise_tukey(frame, dv="weight", between="group")
    ours = res.tables["posthoc"].query("method == 'tukey'").set_index(["level_b", "level_a"])["diff"]
    for r in pt.itertuples():
        assert_close(ours[(r.A, r.B)], -r.diff, 1e-12)
    # statsmodels' Brown–Forsythe: same F*, but Mehrotra's df1 (not k − 1), so another p
    sm = anova_oneway(frame["weight"], frame["group"], use_var="bf")
    bf = res.tables["all_tests"].set_index("test").loc["brown_forsythe"]
    assert_close(bf["statistic"], sm.statistic, 1e-9)
    assert bf["df1"] == 2 and abs(sm.df_num - 2) > 0.01
    # pingouin's Levene defaults to the median centre; ours has both, SPSS's is the mean
    lev = pg.homoscedasticity(frame, dv="weight", group="group")
    assert_close(res.tables["all_tests"].set_index("test").loc["levene_median", "statistic"], lev["W"].iloc[0], 1e-9)
    # the sign of t and d: first level minus second (pingouin reports |d|)
    t2 = run(tooth, groups=["supp"], outcomes=["len"]).tables
    d = t2["effects"].set_index("measure")["value"]
    assert d["cohen_d"] > 0 and d["hedges_g"] > 0 and d["hedges_g"] < d["cohen_d"]


def test_reading_and_thesis_table(survey):
    from core.analyses.difference import text as dint

    res = run(survey, groups=["gender", "age"], outcomes=["WP", "OC"], stars="spss")
    en = dint.paragraphs(res, survey, "en")
    zh = dint.paragraphs(res, survey, "zh")
    assert len(en) == len(zh) >= 4
    age = res.tables["tests"].set_index(["group", "outcome"]).loc[("age", "WP")]
    assert age["p"] < .05
    wp = [p for p in en if p.startswith(survey.label("WP"))]
    assert f"F(3, {int(age['df2'])}) = {age['statistic']:.2f}" in wp[0] and "η² = ." in wp[0]
    # honest about the non-significant split (gender), in its own paragraph
    assert any("does not differ significantly by" in p and survey.label("gender") in p for p in wp[1:])
    assert any("medium level" in p for p in en) and any("中等水平" in p for p in zh)
    blocks = dint.thesis_tables(res, survey, "en", scheme="spss")
    assert [b["group"] for b in blocks] == ["gender", "age"]
    tab = blocks[1]["table"]
    assert list(tab.columns)[-3:] == ["F", "p", "Post-hoc"]
    gs = res.tables["group_stats"].query("group == 'age' and outcome == 'WP'")
    assert tab.iloc[0, 1] == f"{gs['mean'].iloc[0]:.2f} ± {gs['sd'].iloc[0]:.2f}"
    assert tab["p"].iloc[0].endswith("**") and "***" not in tab["p"].iloc[0]   # SPSS scheme: two levels
    assert "* p < .05, ** p < .01" in blocks[1]["note"]
    assert ">" in tab["Post-hoc"].iloc[0]


def test_charts_are_labelled(survey):
    from core.analyses.difference import charts as dch

    for lang in ("en", "zh"):
        survey = dataset("difference_civil_servants.csv", "difference_civil_servants.codebook.json", lang)
        res = run(survey, groups=["gender", "age"], outcomes=["WP"], by="gender")
        charts = dict(registry.get("difference").charts(res, survey, lang))
        hm = json.dumps(charts["heatmap"].to_dict(), ensure_ascii=False)
        assert survey.label("age") in hm and (("年龄" in hm) == (lang == "zh"))
        assert ("效应量" in hm) == (lang == "zh")
        assert any(k.startswith("interaction_age_gender_WP") for k in charts)
        gs = res.tables["group_stats"].query("group == 'age' and outcome == 'WP'")
        interaction = next(c for k, c in charts.items() if k.startswith("interaction_age_gender_WP"))
        for chart in (dch.means(gs, survey, lang), interaction,
                      dch.box(survey, "age", "WP", lang), dch.violin(survey, "age", "WP", lang)):
            spec = json.dumps(chart.to_dict(), ensure_ascii=False)
            assert survey.level_label("age", 2) in spec
    ct = registry.run("crosstab", survey, {"rows": ["age"], "cols": ["position"]})
    assert len(registry.get("crosstab").charts(ct, survey, "zh")) == 1


def test_a_cells_distribution_is_a_chart_of_the_analysis(survey):
    """The detail's box and violin plots are the analysis' charts by name (pinnable like any chart), their
    groups merged as the analysis merged them; a name the analysis does not know makes none."""
    spec = registry.get("difference")
    res = run(survey, groups=["age"], outcomes=["WP"], merge={"age": [[1, 2]]})
    merged = survey.level_label("age", "1 + 2")
    for kind in ("box", "violin"):
        chart = json.dumps(spec.chart(res, survey, "en", f"{kind}_age_WP").to_dict(), ensure_ascii=False)
        assert merged in chart and f'"{survey.level_label("age", 1)}"' not in chart
    assert spec.chart(res, survey, "en", "box_age_OC") is None
    # pinned, it reaches the report like the analysis' other charts
    from core.report import content

    recipe = {"analyses": [{"id": "diff", "type": "difference", "groups": ["age"], "outcomes": ["WP"]}]}
    items = [{"kind": "chart", "analysis": "diff", "chart": name} for name in ("violin_age_WP", "means_age_WP")]
    doc = content.build(recipe, survey, {"diff": res}, "zh", items=items)
    assert [b.kind for b in doc.blocks] == ["chart", "chart"]


def test_a_pinned_distribution_leaves_out_the_groups_a_report_suppresses(survey):
    """With small-cell suppression on, a pinned box or violin plot (drawn from the raw data) shows no
    group whose statistics the report blanks; with it off, every group is drawn."""
    from core.report import content

    res = run(survey, groups=["age"], outcomes=["WP"])
    gs = res.tables["group_stats"]
    sizes = gs.set_index("level").n.astype(int)
    k = int(sizes.min()) + 1
    small = [survey.level_label("age", c) for c in sizes[sizes < k].index]
    kept = [survey.level_label("age", c) for c in sizes[sizes >= k].index]
    assert small and kept
    items = [{"kind": "chart", "analysis": "diff", "chart": name} for name in ("box_age_WP", "violin_age_WP")]
    for on in (True, False):
        recipe = {"analyses": [{"id": "diff", "type": "difference", "groups": ["age"], "outcomes": ["WP"]}],
                  "ui": {"report": {"small_cells": on, "min_cell": k}}}
        doc = content.build(recipe, survey, {"diff": res}, "en", items=items)
        assert len(doc.charts) == 2
        for block in doc.charts:
            levels = {row["level"] for data in block.chart["datasets"].values() for row in data if "level" in row}
            assert set(kept) <= levels
            assert not (set(small) & levels) if on else set(small) <= levels


def test_zero_variance_group_falls_back_to_classic_anova(plant):
    frame = plant.frame.copy()
    frame.loc[frame.group == "trt2", "weight"] = 5.0
    ds = type(plant)(frame=frame, meta=plant.meta, scales={}, lang="en")
    res = run(ds, groups=["group"], outcomes=["weight"], test="welch")
    row = res.tables["tests"].iloc[0]
    assert row["test"] == "anova" and row["rule"] == "welch_undefined" and row["p"] == row["p"]
    assert any(n.key == "difference.note.welch_undefined" for n in res.notes)


def test_row_path_with_a_dropped_group(monkeypatch, survey):
    """A one-row group is left out of the cell (and of the ranking) on both paths."""
    import core.analyses.difference.compute as diff

    frame = survey.frame.copy()
    frame.loc[frame.index[0], "marital"] = 9
    ds = type(survey)(frame=frame, meta=survey.meta, scales=survey.scales, lang="en")
    opts = dict(groups=["marital", "gender"], outcomes=["WP", "CD"])
    table = run(ds, **opts)
    monkeypatch.setattr(diff, "DISCRETE_MAX", 0)
    rows = run(ds, **opts)
    assert any(n.key == "difference.note.dropped_group" for n in rows.notes)
    for name in ("all_tests", "group_stats", "effects", "posthoc"):
        a, b = table.tables[name], rows.tables[name]
        num = a.select_dtypes("number").columns
        assert a.shape == b.shape
        assert np.allclose(a[num].to_numpy(float), b[num].to_numpy(float), atol=1e-9, equal_nan=True), name


@pytest.mark.parametrize("discrete_max", [4096, 0])
def test_all_missing_outcome_is_a_no_data_cell(monkeypatch, survey, discrete_max):
    import core.analyses.difference.compute as diff

    monkeypatch.setattr(diff, "DISCRETE_MAX", discrete_max)
    frame = survey.frame.copy()
    frame["empty"] = np.nan
    ds = type(survey)(frame=frame, meta=survey.meta, scales=survey.scales, lang="en")
    res = run(ds, groups=["gender"], outcomes=["empty", "WP"])
    tests = res.tables["tests"].set_index("outcome")
    assert tests.loc["empty", "note"] == "no_data"
    assert tests.loc["WP", "p"] == tests.loc["WP", "p"]


def test_key_findings(survey):
    res = run(survey, groups=["gender", "age"], outcomes=["WP", "OC"])
    found = registry.get("difference").findings(res, survey, "en")
    sig = [f for f in found if f.significant]
    spec = registry.get("difference")
    # each finding shows its own chart (the means of the groups that differ), made on demand by the declaration
    assert sig and all(f.kind == "difference" and f.strength > 0 for f in sig)
    for f in sig:
        assert f.chart.startswith("means_") and spec.chart(res, survey, "en", f.chart) is not None
    assert any(f.significant is False and "does not differ" in f.headline for f in found)
    assert any(f.table == "levels" for f in found)
    ct = registry.run("crosstab", survey, {"rows": ["age"], "cols": ["position"]})
    (f,) = registry.get("crosstab").findings(ct, survey, "en")
    assert f.kind == "association" and f.chart == "crosstab_age_position"


def test_many_level_variables_are_skipped_with_a_note(survey):
    res = registry.run("crosstab", survey, {"rows": ["id"], "cols": ["age"]})
    assert res.tables["chi2"]["chi2"].isna().all()
    assert any(n.key == "crosstab.note.too_many_levels" for n in res.notes)
    res = run(survey, groups=["id"], outcomes=["WP"], by="age")
    assert res.tables["factorial"].empty
    assert any(n.key == "difference.note.factorial_too_many" for n in res.notes)
