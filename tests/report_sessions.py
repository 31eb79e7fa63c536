"""Realistic sessions for report tests, scripts and benchmarks: each sample
survey analysed as a thesis chapter would be (sample profile, reliability,
descriptives and correlations, differences by every demographic, hierarchical
regression, mediation, moderation, moderated mediation), plus a survey whose
labels are long (every variable and value label padded to a sentence)."""
from __future__ import annotations

import copy

from core import recipe as recipes
from core.data import samples
from core.data.model import RawData, VariableMeta
from core.data.prepare import build_dataset

N_BOOT = 500   # PROCESS resamples: enough for intervals, quick enough for tests


def analyses(key: str, recipe: dict) -> list[dict]:
    roles = recipe["roles"]
    scales = [s["name"] for s in recipe["scales"]]
    demo = list(roles["demographics"])
    out = [{"id": "describe", "type": "describe", "variables": scales, "frequencies": demo},
           {"id": "reliability", "type": "reliability", "scales": scales},
           {"id": "correlation", "type": "correlation", "variables": scales},
           {"id": "difference", "type": "difference", "groups": demo, "outcomes": scales}]
    if key == "civil_servants":
        out += [{"id": "regression", "type": "regression", "outcome": "WP",
                 "blocks": [["gender", "age"], list(roles["stressors"])],
                 "categorical": {"gender": None, "age": None}},
                {"id": "process", "type": "process", "model": 4, "x": "RC", "m": ["CD"], "y": "WP",
                 "n_boot": N_BOOT, "seed": 1}]
    else:
        out += [{"id": "regression", "type": "regression", "outcome": "WW", "blocks": [["RP"], ["PS", "EMC"]]},
                {"id": "process", "type": "process", "model": 4, "x": "RP", "m": ["PS"], "y": "WW",
                 "n_boot": N_BOOT, "seed": 1},
                {"id": "process_m1", "type": "process", "model": 1, "x": "RP", "w": "EMC", "y": "WW",
                 "n_boot": N_BOOT, "seed": 1},
                {"id": "process_m14", "type": "process", "model": 14, "x": "RP", "m": ["PS"], "w": "EMC",
                 "y": "WW", "n_boot": N_BOOT, "seed": 1}]
    return out


LONG = {"en": " — as reported by the respondent in the second wave of the municipal staff survey",
        "zh": "（受访者在第二轮基层公务员问卷调查中自我报告的情况）"}


def pad(label):
    """A label made a sentence long."""
    if isinstance(label, dict):
        return {k: str(v) + LONG.get(k, LONG["en"]) for k, v in label.items()}
    return (str(label) + LONG["en"]) if label else label


def long_labels(raw: RawData) -> RawData:
    """Every variable and value label made a sentence long (both languages)."""
    meta = {}
    for name, m in raw.meta.items():
        meta[name] = VariableMeta(name=name, label=pad(m.label),
                                  value_labels={c: pad(v) for c, v in (m.value_labels or {}).items()},
                                  missing_values=m.missing_values, missing_ranges=m.missing_ranges, measure=m.measure)
    return RawData(frame=raw.frame, meta=meta, source=raw.source, warnings=raw.warnings)


def session(key: str, lang: str, long: bool = False, report: list | None = None):
    """(recipe, dataset, results) of a thesis session on a sample survey."""
    raw, recipe, _ = samples.load(key)
    if long:
        raw = long_labels(raw)
    recipe = copy.deepcopy(recipe)
    if long:
        for s in recipe["scales"]:
            s["label"] = pad(s.get("label") or s["name"])
    recipe["analyses"] = analyses(key, recipe)
    if report is not None:
        recipe["report"] = report
    recipe = recipes.validate(recipe)
    ds = build_dataset(raw, recipe, lang)
    return recipe, ds, recipes.run_all(recipe, ds)
