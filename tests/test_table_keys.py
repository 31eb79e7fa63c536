"""Declared row keys (issue 12): every table's ``keys`` identify its rows — checked on both sample surveys
with every analysis type and enough option variety that every declared table has rows (reference tests match
R's rows on these keys, see tests/reference_compare.py)."""
import pytest

from core import recipe as recipes
from core import registry
from core.data import samples

# the roles each sample plays: x → m → y moderated by w; a two- and a many-level split; a second mediator
ROLES = {
    "role_pressure": dict(x="RP", m="PS", m2="EMC", w="EMC", z="RA", y="WW", two="gender", many="education",
                          items=["RA", "RCF", "RO"]),
    "civil_servants": dict(x="OC", m="CD", m2="PO", w="PO", z="FE", y="WP", two="gender", many="education",
                           items=["OC", "PO", "FE"]),
}


def _analyses(r: dict, scales: dict) -> list[tuple[str, dict]]:
    items = [i for s in r["items"] for i in scales[s]]
    boot = {"n_boot": 200, "seed": 3}
    return [
        ("describe", {"variables": [r["x"], r["y"]], "frequencies": [r["two"], r["many"]]}),
        ("difference", {"groups": [r["two"], r["many"]], "outcomes": [r["x"], r["y"]], "by": r["two"]}),
        ("crosstab", {"rows": [r["two"]], "cols": [r["many"]]}),
        ("regression", {"outcome": r["y"], "blocks": [[r["two"], r["many"]], [r["x"], r["m"]]],
                        "scenarios": [{"name": "high", "values": {r["x"]: 4}}]}),
        ("correlation", {"variables": [r["x"], r["m"], r["w"], r["y"]]}),
        ("process", {"model": 1, "x": r["x"], "w": r["w"], "y": r["y"], "n_boot": 0}),
        ("process", {"model": 3, "x": r["x"], "w": r["w"], "z": r["z"], "y": r["y"], "n_boot": 0}),
        ("process", {"model": 4, "x": r["x"], "m": [r["m"], r["m2"]], "y": r["y"], "standardized": True, **boot}),
        ("process", {"model": 4, "x": r["many"], "m": [r["m"]], "y": r["y"], "categorical": {r["many"]: None},
                     **boot}),
        ("process", {"model": 7, "x": r["x"], "m": [r["m"]], "w": r["w"], "y": r["y"], **boot}),
        ("reliability", {}),
        ("screening", {"items": items, "mahalanobis_p": 0.05}),
        ("efa", {"items": items, "n_factors": 3, "method": "pa", "rotation": "oblimin"}),
        ("cfa", {"factors": {s: scales[s] for s in r["items"]}}),
        ("cfa", {"factors": {s: scales[s] for s in r["items"]}, "group": r["two"], "compare_one_factor": False}),
        ("sem", {"model": f"{r['m']} ~ {r['x']}\n{r['y']} ~ {r['m']} + {r['x']}"}),
        ("paired_t", {"pairs": [[r["x"], r["y"]], [r["m"], r["w"]]]}),
        ("describe", {"variables": [r["x"], r["y"]], "normality": True}),
        ("cfa", {"factors": {s: scales[s] for s in r["items"]}, "competing": True, "method_factor": True}),
        ("item_analysis", {"scale": r["items"][0]}),
        ("mediation_steps", {"x": r["x"], "m": r["m"], "y": r["y"]}),
        ("logistic", {"outcome": r["two"], "blocks": [[r["many"]], [r["x"], r["y"]]]}),
        ("hypotheses", {"hypotheses": [
            {"label": "H1", "type": "mediation_steps", "options": {"x": r["x"], "m": r["m"], "y": r["y"]},
             "table": "steps", "row": {"model": "c", "term": r["x"]}, "expected": "positive"},
            {"label": "H2", "type": "mediation_steps", "options": {"x": r["x"], "m": r["m"], "y": r["y"]},
             "table": "steps", "row": {"model": "a", "term": r["x"]}, "expected": "any"}]}),
    ]


@pytest.fixture(scope="module")
def results():
    out = []
    for sample, roles in ROLES.items():
        raw, recipe, _ = samples.load(sample)
        ds = recipes.dataset_for(raw, recipe)
        scales = {s["name"]: s["items"] for s in recipe["scales"]}
        for kind, opts in _analyses(roles, scales):
            out.append((sample, kind, registry.run(kind, ds, opts)))
    return out


def test_declared_keys_are_columns_of_their_table():
    for spec in registry.specs().values():
        for tb in spec.tables:
            assert set(tb.keys) <= set(tb.column_names), (spec.type, tb.name, tb.keys)
            assert len(set(tb.keys)) == len(tb.keys), (spec.type, tb.name)


def test_keys_identify_rows_on_the_sample_surveys(results):
    seen = set()
    for sample, kind, res in results:
        for tb in registry.get(kind).tables:
            df = res.tables.get(tb.name)
            if df is None or df.empty:
                continue
            seen.add((kind, tb.name))
            assert set(tb.keys) <= set(df.columns), (sample, kind, tb.name)
            if not tb.keys:
                assert len(df) == 1, f"{sample} {kind}.{tb.name}: {len(df)} rows but no keys declared"
                continue
            dup = df[df.duplicated(list(tb.keys), keep=False)]
            assert dup.empty, f"{sample} {kind}.{tb.name}: keys {tb.keys} repeat:\n{dup[list(tb.keys)]}"
    ran = {kind for _, kind, _ in results}
    missing = [(s.type, tb.name) for s in registry.specs().values() if s.type in ran for tb in s.tables
               if (s.type, tb.name) not in seen]
    assert missing == [], f"tables never filled on the samples (their keys are unchecked): {missing}"
    assert ran == set(registry.specs()), f"analyses not run: {set(registry.specs()) - ran}"
