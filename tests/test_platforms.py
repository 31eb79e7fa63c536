"""Survey-platform exports → analysis-ready data (issue 13).

For every export of tests/platforms.py (问卷星 text/numeric as .xlsx, .xls and
GBK .csv; 腾讯问卷 UTF-8-BOM and UTF-16 tab CSV; Qualtrics three-header CSV)
the proposal — through ``python -m core propose``, the data page's code
path — must give the true item sets, the true codes, demographics without
paradata, ids, Likert items, multi-choice or free text, the natural level
order, and numbers equal to those computed from the true codes.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from core import recipe as recipes
from core import registry
from core.__main__ import main
from core.data import io, setup
from core.data import levels as levels_mod
from core.data.levels import natural_order
from core.data.prepare import build_dataset
from core.format import read_levels

sys.path.insert(0, str(Path(__file__).parent))
import platforms  # noqa: E402

EXPORTS = platforms.exports()
TRUTH = platforms.truth()


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def case(request, tmp_path_factory):
    ex = EXPORTS[request.param]
    d = tmp_path_factory.mktemp(request.param)
    data = d / ex.name
    data.write_bytes(ex.content)
    out = d / "recipe.json"
    assert main(["propose", str(data), "--lang", "zh", "--out", str(out)]) == 0
    recipe = recipes.from_json(out.read_text(encoding="utf-8"))
    raw = io.read_path(data, skip_rows=recipe["data"]["skip_rows"])
    return ex, recipe, raw, build_dataset(raw, recipe, "zh")


def _renamed(recipe, column):
    return recipe["prepare"]["rename"].get(column, column)


def test_propose_gives_the_true_item_sets(case):
    ex, recipe, _, _ = case
    proposed = sorted(sorted(s["items"]) for s in recipe["scales"])
    true = sorted(sorted(_renamed(recipe, ex.columns[i]) for i in items) for items in TRUTH.scales.values())
    assert proposed == true
    for sc in recipe["scales"]:
        key = next(k for k, items in TRUTH.scales.items() if _renamed(recipe, ex.columns[items[0]]) in sc["items"])
        assert (sc["min"], sc["max"]) == (1, TRUTH.k[key])
        if ex.platform == "tencent":   # named by the bracketed dimension
            assert sc["name"] == platforms.SCALES[key][0]


def test_text_answers_get_the_true_codes(case):
    ex, recipe, _, ds = case
    for items in TRUTH.scales.values():
        for key in items:
            col = _renamed(recipe, ex.columns[key])
            assert ds.frame[col].tolist() == TRUTH.codes[key].tolist(), (ex.name, col)


def test_demographics_are_the_real_demographic_questions_only(case):
    ex, recipe, _, ds = case
    demo = recipe["roles"]["demographics"]
    assert demo == [_renamed(recipe, ex.columns[k]) for k in TRUTH.demographics]
    renamed = {_renamed(recipe, c) for c in ex.paradata + ex.multi + ex.free_text}
    assert not renamed & set(demo)
    assert set(_renamed(recipe, c) for c in ex.paradata) <= set(recipe["roles"]["paradata"])
    assert recipe["roles"]["duration"] in recipe["roles"]["paradata"]
    secs = ds.numeric(recipe["roles"]["duration"])
    assert secs.tolist() == TRUTH.duration.astype(float).tolist()


def test_levels_come_in_their_natural_order(case):
    ex, recipe, _, ds = case
    for key in ("gender", "age", "education", "tenure"):
        codes, labels = ds.levels(_renamed(recipe, ex.columns[key]))
        opts = platforms.DEMOGRAPHICS[key][2 if ex.platform == "qualtrics" else 1]
        if ex.kind == "numeric":
            assert codes == list(range(1, len(opts) + 1))
        else:
            assert labels == opts, (ex.name, key)


def test_full_wording_is_kept_as_the_label_and_short_names_are_given(case):
    ex, recipe, _, ds = case
    key = "climate_1"
    col = _renamed(recipe, ex.columns[key])
    wording = platforms.SCALES["climate"][3 if ex.platform == "qualtrics" else 2][0]
    assert wording in ds.label(col)
    if ex.platform != "qualtrics":
        assert col == f"Q{col[1:].split('_')[0]}_1" and "，" in wording


def _true_scores():
    return {k: TRUTH.codes[items].mean(axis=1).to_numpy() for k, items in TRUTH.scales.items()}


def test_difference_by_gender_and_regression_match_the_true_codes(case):
    ex, recipe, _, ds = case
    name = {k: next(s["name"] for s in recipe["scales"] if _renamed(recipe, ex.columns[items[0]]) in s["items"])
            for k, items in TRUTH.scales.items()}
    true = _true_scores()
    gender = _renamed(recipe, ex.columns["gender"])
    res = registry.run("difference", ds, {"groups": [gender], "outcomes": [name["pressure"]], "test": "student"})
    g = TRUTH.codes["gender"].to_numpy()
    t_true = stats.ttest_ind(true["pressure"][g == 1], true["pressure"][g == 2]).statistic
    assert res.tables["tests"]["statistic"].iloc[0] == pytest.approx(t_true, abs=1e-10)
    means = res.tables["group_stats"]["mean"].tolist()
    assert means == pytest.approx([true["pressure"][g == 1].mean(), true["pressure"][g == 2].mean()], abs=1e-12)

    preds = ["climate", "burnout", "satisfaction"]
    reg = registry.run("regression", ds, {"outcome": name["pressure"], "blocks": [[name[p] for p in preds]]})
    X = np.column_stack([np.ones(platforms.N)] + [true[p] for p in preds])
    b, *_ = np.linalg.lstsq(X, true["pressure"], rcond=None)
    assert reg.tables["coefficients"]["b"].tolist() == pytest.approx(b.tolist(), abs=1e-10)


def test_wjx_free_text_and_multi_choice_are_never_scale_items():
    ex = EXPORTS["wjx_text_xlsx"]
    raw = io.read_bytes(ex.content, ex.name)
    rec = setup.proposed_recipe(raw)
    items = {i for s in rec["scales"] for i in s["items"]}
    assert not items & {_renamed(rec, c) for c in ex.multi + ex.free_text}
    assert "┋" in raw.frame[ex.multi[0]].iloc[0] or "〖" in "".join(raw.frame[ex.multi[0]].dropna())


def test_proposed_recipe_applies_in_the_headless_runner(tmp_path):
    ex = EXPORTS["wjx_text_csv"]
    data = tmp_path / ex.name
    data.write_bytes(ex.content)
    rp = tmp_path / "r.json"
    assert main(["propose", str(data), "--out", str(rp)]) == 0
    rec = json.loads(rp.read_text(encoding="utf-8"))
    assert rec["version"] == recipes.VERSION and rec["data"]["path"] == ex.name
    rec["analyses"] = [{"id": "d", "type": "difference", "groups": ["Q1"], "outcomes": ["Q6"], "test": "student"}]
    rp.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "res.json"
    assert main(["run", str(rp), "--out", str(out), "--lang", "zh"]) == 0
    row = json.loads(out.read_text(encoding="utf-8"))["results"]["d"]["tables"]["group_stats"]
    assert [r["level"] for r in row] == ["男", "女"]


def test_propose_bad_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "x.xls"
    bad.write_bytes(b"not a workbook at all")
    assert main(["propose", str(bad), "--out", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err and "Traceback" not in err


@pytest.mark.parametrize("values, expected", [
    (["博士", "大专及以下", "本科", "硕士"], ["大专及以下", "本科", "硕士", "博士"]),
    (["1-3年", "1年以下", "3-5年", "5年以上"], ["1年以下", "1-3年", "3-5年", "5年以上"]),
    (["研究生及以上", "初中及以下", "高中/中专", "大专", "本科"], ["初中及以下", "高中/中专", "大专", "本科", "研究生及以上"]),
    (["31-40岁", "30岁以下", "51岁以上", "41-50岁"], ["30岁以下", "31-40岁", "41-50岁", "51岁以上"]),
    (["女", "男"], ["男", "女"]),
    (["其他", "国企", "机关"], ["国企", "机关", "其他"]),
    (["同意", "非常不同意", "一般"], ["非常不同意", "一般", "同意"]),
    ([3, 1, 2], [1, 2, 3]),
])
def test_natural_order(values, expected):
    assert natural_order(values) == expected


def test_recipe_version_1_is_still_read():
    rec = recipes.validate({"version": 1, "data": {"missing_codes": [99]}})
    assert rec["version"] == recipes.VERSION and rec["prepare"] == recipes.empty_prepare()


# ---- editing: names with punctuation, recodes, levels ------------------------------------------
def test_item_names_with_chinese_commas_stay_whole_in_the_scale_editor():
    known = ["5、(单位内部沟通顺畅，信息公开透明)", "5、(同事之间相互支持)", "Q6_1"]
    typed = "5、(单位内部沟通顺畅，信息公开透明)，5、(同事之间相互支持), Q6_1"
    assert setup.split_names(typed, known) == known
    assert setup.split_names("a，b; c\nd", []) == ["a", "b", "c", "d"]
    import pandas as pd
    raw = io.read_bytes(("id," + ",".join(f'"{k}"' for k in known[:2]) + "\n"
                         + "\n".join(f"{i},{1 + i % 5},{1 + (i * 3) % 5}" for i in range(30)) + "\n").encode(),
                        "comma.csv")
    rec = recipes.validate({"version": 2, "scales": [{"name": "组织氛围", "items": setup.split_names(typed, known)[:2],
                                                      "min": 1, "max": 5}]})
    ds = build_dataset(raw, rec)
    assert ds.frame["组织氛围"].notna().all() and isinstance(ds.frame, pd.DataFrame)


def test_recode_editor_codes_merges_and_marks_missing():
    import pandas as pd

    from core.data import recode
    col = pd.Series(["A.很好", "B.好", "C.不好", "(跳过)", "B.好", "D.说不清"])
    rows = recode.editor_rows(col, None)
    assert {r["value"] for r in rows} == set(col) and all(r["code"] == "" for r in rows)
    edit = {"A.很好": "2", "B.好": "2", "C.不好": "１", "(跳过)": "", "D.说不清": ""}
    for r in rows:
        r["code"] = edit[r["value"]]
        r["missing"] = r["value"] in ("(跳过)", "D.说不清")
    rc = recode.from_editor(["x"], rows)
    assert rc["map"] == {"A.很好": 2, "B.好": 2, "C.不好": 1} and set(rc["missing"]) == {"(跳过)", "D.说不清"}
    out, labels = recode.apply(col, rc)
    assert out.tolist()[:3] == [2, 2, 1] and out.isna().sum() == 2 and labels[1] == "不好"
    assert recode.replace([rc], {**rc, "map": {}, "missing": []}) == []


def test_level_editor_reorders_merges_and_relabels_and_analyses_follow():
    ex = EXPORTS["wjx_text_xlsx"]
    raw = io.read_bytes(ex.content, ex.name)
    rec = setup.proposed_recipe(raw)
    ds = build_dataset(raw, rec, "zh")
    codes, labels = ds.levels("Q3")
    rows = levels_mod.editor_rows(codes, labels, ds.frame["Q3"].value_counts().to_dict())
    for r in rows:   # 博士 merged into 硕士 (as "研究生"), order reversed
        r["position"] = 10 - r["position"]
        if r["level"] == "博士":
            r["merge_into"] = "硕士"
        if r["level"] == "硕士":
            r["label"] = "研究生"
    rec2 = recipes.validate({**rec, "prepare": levels_mod.edit_prepare(rec["prepare"], "Q3", rows, False)})
    ds2 = build_dataset(raw, rec2, "zh")
    codes2, labels2 = ds2.levels("Q3")
    assert labels2 == ["研究生", "本科", "大专", "高中/中专及以下"]
    n_grad = int((TRUTH.codes["education"] >= 4).sum())
    assert int((ds2.frame["Q3"] == "硕士").sum()) == n_grad
    res = registry.run("difference", ds2, {"groups": ["Q3"], "outcomes": ["Q6"], "test": "student"})
    assert res.tables["group_stats"]["level"].tolist() == codes2   # results keep codes, in the edited order ...
    assert set(res.tables["posthoc"]["level_a"]) | set(res.tables["posthoc"]["level_b"]) <= set(codes2)
    shown = read_levels(res, registry.get("difference"), ds2).tables   # ... read as the edited labels
    assert shown["group_stats"]["level"].tolist() == labels2
    assert set(shown["posthoc"]["level_a"]) | set(shown["posthoc"]["level_b"]) <= set(labels2)


def test_default_reference_level_is_never_a_tiny_first_level():
    ex = EXPORTS["wjx_text_xlsx"]
    raw = io.read_bytes(ex.content, ex.name)
    ds = build_dataset(raw, setup.proposed_recipe(raw), "zh")
    counts = ds.frame["Q3"].value_counts()
    assert ds.levels("Q3")[1][0] == "高中/中专及以下" and counts["高中/中专及以下"] < 0.1 * len(ds.frame)
    assert ds.reference_level("Q3") == counts.idxmax() == "本科"
    assert ds.reference_level("Q1") == "男"     # the first level when it is large enough


def test_speeders_are_found_from_the_completion_time():
    ex = EXPORTS["wjx_text_csv"]
    raw = io.read_bytes(ex.content, ex.name)
    rec = setup.proposed_recipe(raw)
    ds = build_dataset(raw, rec, "zh")
    cut = setup.speeder_cutoff(ds, rec["roles"]["duration"])
    assert cut == np.floor(np.median(TRUTH.duration) / 3)
    assert setup.speeders(ds, rec["roles"]["duration"], 35) == [1, 2, 3, 4, 5, 6]


def test_variables_page_shows_the_editors_for_a_wjx_export_in_chinese():
    from streamlit.testing.v1 import AppTest

    from core.i18n import t

    ex = EXPORTS["wjx_text_xlsx"]
    raw = io.read_bytes(ex.content, ex.name)
    rec = setup.proposed_recipe(raw)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "variables.py"), default_timeout=120)
    at.session_state["lang"] = "zh"
    at.session_state["raw"], at.session_state["recipe"] = raw, rec
    at.run()
    assert not at.exception
    heads = [h.value for h in at.subheader]
    assert t("prep.recode.title", "zh") in heads and t("prep.levels.title", "zh") in heads
    assert t("prep.speed.title", "zh") in heads
    assert at.selectbox(key="levels_pick").value == "Q1"
    at.selectbox(key="levels_pick").set_value("Q3").run()
    assert not at.exception
    at.button(key="speed_exclude").click().run()
    assert not at.exception
    assert at.session_state["recipe"]["exclusions"][0]["rows"][:6] == [1, 2, 3, 4, 5, 6]


def test_data_page_shows_the_proposal_of_an_xls_upload_to_confirm():
    from streamlit.testing.v1 import AppTest

    from core.i18n import t

    ex = EXPORTS["wjx_numeric_xls"]
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "data.py"), default_timeout=120)
    at.session_state["lang"] = "zh"
    at.run()
    at.file_uploader(key="upload").set_value((ex.name, ex.content, "application/vnd.ms-excel"))
    at.run()
    assert not at.exception and not at.error
    shown = [m.value for m in at.markdown]
    assert "- " + t("prep.proposal.platform.wjx", "zh") in shown
    demo = t("prep.proposal.demographics", "zh", names="Q1（您的性别）, Q2（您的年龄）, Q3（您的学历）, Q4（您在本单位的工作年限）")
    assert "- " + demo in shown
    assert [s["name"] for s in at.session_state["recipe"]["scales"]] == ["Q6", "Q7", "Q8", "Q9"]
    at.button(key="proposal_confirm").click().run()
    assert not at.exception and "show_proposal" not in at.session_state


def test_editing_a_columns_codes_keeps_a_later_level_merge():
    from core.data import recode
    first = recode.validate({"columns": ["Q1"], "map": {"A.男": "男", "B.女": "女"}})
    merge = recode.validate({"columns": ["Q1"], "map": {"女": "男"}})
    other = recode.validate({"columns": ["Q2"], "map": {"x": 1}})
    edited = recode.validate({"columns": ["Q1"], "map": {"A.男": "M", "B.女": "F"}})
    assert recode.replace([first, other, merge], edited) == [edited, other, merge]
    assert recode.replace([other], edited) == [other, edited]
