"""Foundation: scale scoring, recipes, the recipe runner, describe, proposals."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import DATA, ROOT, assert_close, compare, rows, table_keys
from core import recipe as recipes
from core import format as fmt
from core import registry
from core.__main__ import main as cli
from core.data import io, samples, setup
from core.data.model import RawData, VariableMeta
from core.data.prepare import build_dataset
from core.errors import UserError


def _raw(df: pd.DataFrame, meta=None) -> RawData:
    return RawData(frame=df, meta=meta or {}, source={"fingerprint": "x", "name": "t"})


# ---- scale scoring -------------------------------------------------------------
def test_scale_mean_with_reverse_key_and_min_items():
    # Worked by hand: items A1..A3 on 1..5, A3 reverse-keyed (6 - x), 99 = missing.
    df = pd.DataFrame({"A1": [1, 5, 3, 2], "A2": [2, 4, np.nan, 99], "A3": [5, 1, 2, np.nan]})
    rec = recipes.validate({"version": 1, "data": {"missing_codes": [99]}, "scales": [
        {"name": "A", "items": ["A1", "A2", "A3"], "reverse": ["A3"], "min": 1, "max": 5, "min_items": 2},
        {"name": "Aall", "items": ["A1", "A2", "A3"], "reverse": ["A3"], "min": 1, "max": 5},
        {"name": "Asum", "items": ["A1", "A2", "A3"], "reverse": ["A3"], "min": 1, "max": 5, "score": "sum",
         "min_items": 2}]})
    ds = build_dataset(_raw(df), rec)
    # row1: 1, 2, 6-5=1 → 4/3; row2: 5, 4, 6-1=5 → 14/3; row3: 3, -, 4 → 3.5; row4: 2, -, - → too few
    assert_close(list(ds.frame["A"]), [4 / 3, 14 / 3, 3.5, None], 1e-12)
    assert_close(list(ds.frame["Aall"]), [4 / 3, 14 / 3, None, None], 1e-12)
    assert_close(list(ds.frame["Asum"]), [4.0, 14.0, 7.0, None], 1e-12)


def test_scale_specific_missing_codes_and_spss_user_missing():
    df = pd.DataFrame({"B1": [1.0, 9.0, 3.0], "B2": [2.0, 2.0, 8.0]})
    meta = {"B2": VariableMeta("B2", missing_values=[8.0])}
    rec = recipes.validate({"version": 1, "scales": [
        {"name": "B", "items": ["B1", "B2"], "min": 1, "max": 5, "min_items": 1, "missing": [9]}]})
    ds = build_dataset(_raw(df, meta), rec)
    assert_close(list(ds.frame["B"]), [1.5, 2.0, 3.0], 1e-12)


@pytest.mark.parametrize("bad,key", [
    ({"name": "S", "items": [], "min": 1, "max": 5}, "error.scale_bad"),
    ({"name": "S", "items": ["a"], "reverse": ["b"], "min": 1, "max": 5}, "error.scale_reverse"),
    ({"name": "S", "items": ["a"], "min": 5, "max": 1}, "error.scale_range"),
    ({"name": "S", "items": ["a", "b"], "min": 1, "max": 5, "min_items": 3}, "error.scale_min_items"),
])
def test_bad_scale_definitions(bad, key):
    with pytest.raises(UserError) as e:
        recipes.validate_scale(bad)
    assert e.value.key == key


def test_scale_with_unknown_item_is_a_clear_error():
    rec = recipes.validate({"version": 1, "scales": [{"name": "S", "items": ["nope"], "min": 1, "max": 5}]})
    with pytest.raises(UserError) as e:
        build_dataset(_raw(pd.DataFrame({"a": [1, 2]})), rec)
    assert e.value.key == "error.scale_unknown_items" and "nope" in e.value.message("zh")


# ---- recipes -------------------------------------------------------------------
def test_recipe_round_trip_restores_everything():
    raw, rec, _ = samples.load("civil_servants")
    rec["analyses"].append({"id": "d1", "type": "describe", "variables": ["WP", "OC"], "frequencies": ["age"]})
    rec["exclusions"].append({"rows": [1, 2, 3], "reason": "test"})
    rec["report"].append({"kind": "table", "analysis": "d1", "table": "describe"})
    again = recipes.from_json(recipes.to_json(rec))
    assert again == recipes.validate(rec)
    a = recipes.run_all(rec, build_dataset(raw, rec))["d1"]
    b = recipes.run_all(again, build_dataset(raw, again))["d1"]
    pd.testing.assert_frame_equal(a.tables["describe"], b.tables["describe"])
    assert a.n_used == 597  # three rows excluded


@pytest.mark.parametrize("text,key", [
    ("not json", "error.recipe_not_json"),
    ('{"version": 3}', "error.recipe_version"),
    ('{"version": 1, "analyses": [{"type": "nope"}]}', "error.unknown_analysis"),
    ('{"version": 1, "analyses": [{"type": "describe", "variabels": ["x"]}]}', "error.unknown_options"),
    ('{"version": 1, "analyses": [{"type": "describe", "variables": 3}]}', "error.bad_option"),
    ('{"version": 1, "analyses": [{"id": "a", "type": "describe"}, {"id": "a", "type": "describe"}]}',
     "error.duplicate_analysis_id"),
])
def test_bad_recipes(text, key):
    with pytest.raises(UserError) as e:
        recipes.from_json(text)
    assert e.value.key == key


# ---- describe against R --------------------------------------------------------
def test_describe_matches_r_psych(reference):
    ref = reference("describe_airquality")
    raw = io.read_path(ROOT / ref["dataset"])
    rec = recipes.validate({"version": 1, "analyses": [{"id": "d", "type": "describe", **ref["options"]}]})
    ds = build_dataset(raw, rec)
    res = recipes.run_all(rec, ds)["d"]
    stats = rows({k: v for k, v in ref["expected"].items() if not k.startswith("freq_")})
    assert compare(res.tables["describe"], stats, table_keys("describe", "describe"), ref["tol"], name="describe",
                   complete=True) == 9 * 4
    f = res.tables["frequencies"]
    assert [ds.level_label(r.variable, r.level) for r in f.itertuples()] == ref["expected"]["freq_level"]
    assert_close(list(f["n"]), ref["expected"]["freq_n"], 0)
    assert_close(list(f["percent"]), ref["expected"]["freq_percent"], ref["tol"]["default"])


def test_frequencies_use_value_labels_and_codes_still_work(tmp_path):
    import pyreadstat

    df = pd.DataFrame({"sex": [1.0, 2.0, 2.0, np.nan, 9.0], "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    path = tmp_path / "t.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels={"sex": {1.0: "Male", 2.0: "Female"}},
                         missing_ranges={"sex": [9.0]})
    raw = io.read_path(path)
    ds = build_dataset(raw, recipes.empty())
    res = registry.run("describe", ds, {"frequencies": ["sex"]})
    f = res.tables["frequencies"]
    assert list(f["level"]) == [1, 2]  # codes (9 is user-missing) ...
    shown = fmt.read_levels(res, registry.get("describe"), ds).tables["frequencies"]
    assert list(shown["level"]) == ["Male", "Female"]  # ... read as their value labels at the edge
    assert list(f["n"]) == [1, 2]
    assert_close(list(f["percent"]), [100 / 3, 200 / 3], 1e-12)
    assert ds.resolve_level("sex", "Female") == ds.resolve_level("sex", 2) == 2.0


# ---- the recipe runner (CLI) ---------------------------------------------------
@pytest.mark.parametrize("sample", list(samples.SAMPLES))
def test_cli_runs_recipe_on_both_samples(sample, tmp_path):
    book = samples.codebook(sample)
    demo = book["roles"]["demographics"]
    rec = {"version": 1, "data": {"missing_codes": book["missing_codes"]}, "scales": book["scales"],
           "analyses": [{"id": "d1", "type": "describe", "variables": [s["name"] for s in book["scales"]],
                         "frequencies": demo}]}
    rp = tmp_path / "r.json"
    rp.write_text(json.dumps(rec), encoding="utf-8")
    out = tmp_path / "out.json"
    data = samples.ROOT / samples.SAMPLES[sample]["file"]
    assert cli(["run", str(rp), "--data", str(data), "--out", str(out)]) == 0
    res = json.loads(out.read_text(encoding="utf-8"))["results"]["d1"]
    frame = pd.read_csv(data)
    assert res["n_used"] == len(frame)
    assert [r["variable"] for r in res["tables"]["describe"]] == [s["name"] for s in book["scales"]]
    first = book["scales"][0]
    ds = build_dataset(io.read_path(data), recipes.validate(rec))
    assert_close(res["tables"]["describe"][0]["mean"], float(np.nanmean(ds.frame[first["name"]])), 1e-12)


def test_cli_reads_sav_with_labels(tmp_path):
    rec = {"version": 1, "analyses": [{"id": "f", "type": "describe", "frequencies": ["gender"]}]}
    rp = tmp_path / "r.json"
    rp.write_text(json.dumps(rec))
    out, page = tmp_path / "o.json", tmp_path / "o.html"
    sav = samples.ROOT / "role_pressure.sav"
    assert cli(["run", str(rp), "--data", str(sav), "--out", str(out), "--html", str(page)]) == 0
    freq = json.loads(out.read_text())["results"]["f"]["tables"]["frequencies"]
    assert [r["level"] for r in freq] == [r["code"] for r in freq]   # results keep codes; labels at the edge
    labels = io.read_path(sav).meta["gender"].value_labels
    assert labels and all(f">{labels[r['code']]}<" in page.read_text(encoding="utf-8") for r in freq)


@pytest.mark.parametrize("recipe,data,needle", [
    ('{"version": 1, "analyses": [{"type": "describe", "variables": ["nope"]}]}', "airquality.csv", "nope"),
    ('{"version": 1}', "missing.csv", "missing.csv"),
    ('{"version": 1, "analyses": []', "airquality.csv", "JSON"),
])
def test_cli_errors_are_one_line_without_traceback(tmp_path, recipe, data, needle):
    rp = tmp_path / "r.json"
    rp.write_text(recipe)
    proc = subprocess.run([sys.executable, "-m", "core", "run", str(rp), "--data", str(DATA / data),
                           "--out", str(tmp_path / "o.json")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]
    assert not (tmp_path / "o.json").exists()


# ---- proposals -----------------------------------------------------------------
def test_proposals_find_item_groups_range_missing_codes_and_demographics():
    df = pd.DataFrame({
        "id": range(1, 9), "性别": [1, 2] * 4,
        "组织氛围1": [1, 2, 3, 4, 5, 4, 3, 99], "组织氛围2": [2, 3, 4, 5, 1, 2, 3, 4],
        "Q3_1": [1, 7, 2, 6, 3, 5, 4, 4], "Q3_2": [7, 6, 5, 4, 3, 2, 1, 1], "income": np.linspace(1000, 9000, 8)})
    prop = setup.propose(_raw(df))
    scales = {s["name"]: s for s in prop["scales"]}
    assert scales["组织氛围"]["items"] == ["组织氛围1", "组织氛围2"]
    assert (scales["组织氛围"]["min"], scales["组织氛围"]["max"]) == (1, 5)
    assert (scales["Q3"]["min"], scales["Q3"]["max"]) == (1, 7)
    assert prop["missing_codes"] == [99]
    assert "性别" in prop["demographics"] and "id" not in prop["demographics"]
    assert "income" not in prop["demographics"]


def test_cli_applies_a_codebook_beside_the_data_and_writes_pptx_and_script(tmp_path):
    rec = {"version": 1, "analyses": [{"id": "f", "type": "describe", "frequencies": ["gender"]}]}
    rp = tmp_path / "r.json"
    rp.write_text(json.dumps(rec))
    out, deck, script = tmp_path / "o.json", tmp_path / "deck.pptx", tmp_path / "again.py"
    data = samples.ROOT / "civil_servants.csv"
    assert cli(["run", str(rp), "--data", str(data), "--out", str(out), "--lang", "zh",
                "--pptx", str(deck), "--py", str(script)]) == 0
    levels = [r["level"] for r in json.loads(out.read_text())["results"]["f"]["tables"]["frequencies"]]
    assert levels == [1, 2]   # results keep codes ...
    assert deck.read_bytes()[:2] == b"PK" and "core" in script.read_text(encoding="utf-8")
    from pptx import Presentation   # ... the deck's key finding names the largest group by its Chinese label
    words = " ".join(sh.text_frame.text for slide in Presentation(str(deck)).slides for sh in slide.shapes
                     if sh.has_text_frame)
    assert "女占" in words
