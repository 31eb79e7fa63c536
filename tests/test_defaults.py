"""Declared, role-based defaults (issue 12): where a new recipe entry starts is computed in core from the
recipe's roles, not in page code; every declared default is a valid, runnable set of options."""
import pytest

from core import recipe as recipes
from core import registry
from core.data import samples


@pytest.fixture(scope="module")
def sessions():
    out = {}
    for key in ("civil_servants", "role_pressure"):
        raw, recipe, _ = samples.load(key)
        out[key] = (recipes.dataset_for(raw, recipe), recipe["roles"])
    return out


def test_regression_starts_with_the_outcome_on_its_stressors_and_demographics_first(sessions):
    ds, roles = sessions["civil_servants"]
    start = registry.get("regression").defaults(ds, roles)
    assert start["outcome"] == "WP"
    assert start["blocks"] == [roles["demographics"], roles["stressors"]]
    # nominal demographics are categorical, with the default reference level (never a tiny one)
    assert start["categorical"]
    for name, ref in start["categorical"].items():
        assert ref == ds.reference_level(name)


def test_process_starts_from_the_mediation_roles(sessions):
    ds, roles = sessions["role_pressure"]
    start = registry.get("process").defaults(ds, roles)
    assert (start["model"], start["x"], start["m"], start["w"], start["y"]) == (4, "RP", ["PS"], "EMC", "WW")
    assert isinstance(start["seed"], int)


def test_describe_difference_and_correlation_start_from_scales_and_demographics(sessions):
    ds, roles = sessions["civil_servants"]
    assert registry.get("describe").defaults(ds, roles) == {"variables": list(ds.scales),
                                                            "frequencies": roles["demographics"]}
    assert registry.get("difference").defaults(ds, roles) == {"groups": roles["demographics"],
                                                              "outcomes": list(ds.scales)}
    assert registry.get("correlation").defaults(ds, roles)["variables"] == roles["stressors"] + ["WP"]


def test_without_roles_defaults_still_make_a_model(sessions):
    ds, _ = sessions["civil_servants"]
    start = registry.get("regression").defaults(ds, {})
    assert start["outcome"] == list(ds.scales)[-1] and start["blocks"]
    assert registry.get("difference").defaults(ds, {})["groups"] == []


@pytest.mark.parametrize("key", ["civil_servants", "role_pressure"])
def test_every_declared_default_runs(sessions, key):
    ds, roles = sessions[key]
    declared = [s for s in registry.specs().values() if s.defaults is not None]
    assert {s.type for s in declared} >= {"describe", "difference", "regression", "correlation", "process"}
    for spec in declared:
        options = spec.defaults(ds, roles)
        if spec.type == "process":   # W and Z are kept for the moderation models; model 4 runs without them
            options = dict(options, n_boot=100, w=None, z=None)
        res = registry.run(spec.type, ds, options)
        assert res.n_used > 0, spec.type
