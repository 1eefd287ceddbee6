"""Classification rules of step 2 on hand-made arrays: the rule engine, Gt table, seepage."""

from __future__ import annotations

import numpy as np
import pytest

from alliantie.method.baseinfo.groundwater import gt_classes
from alliantie.method.baseinfo.knowledge import GroundwaterClasses, Rule, SeepageRules
from alliantie.method.baseinfo.rules import classify, rule_mask
from alliantie.method.baseinfo.seepage import seepage_variables, seepage_zones


@pytest.mark.parametrize(
    ("ghg", "glg", "gt"),
    [
        (0.10, 0.40, 1),   # Gt I: GLG < 50 cm
        (-0.05, 0.45, 1),  # water above surface in winter is still Gt I
        (0.20, 0.60, 2),   # Gt II: GLG 50-80
        (0.30, 1.00, 3),   # Gt III: GHG < 40, GLG 80-120
        (0.50, 1.00, 4),   # Gt IV: GHG > 40, GLG 80-120
        (0.30, 1.50, 5),   # Gt V: GHG < 40, GLG > 120
        (0.60, 1.50, 6),   # Gt VI: GHG 40-80
        (1.00, 2.00, 7),   # Gt VII: GHG 80-140
        (1.60, 2.50, 8),   # Gt VIII: GHG > 140
        (0.40, 0.80, 4),   # limits belong to the deeper class
        (0.80, 1.20, 7),
    ],
)
def test_gt_table(ghg: float, glg: float, gt: int) -> None:
    knowledge = GroundwaterClasses.load()
    out = gt_classes(np.array([[ghg]], np.float32), np.array([[glg]], np.float32), knowledge)
    assert out[0, 0] == gt


def test_gt_missing_data_is_zero() -> None:
    knowledge = GroundwaterClasses.load()
    out = gt_classes(np.array([[np.nan, 0.3]], np.float32), np.array([[1.0, np.nan]], np.float32), knowledge)
    assert out.tolist() == [[0, 0]]


def test_first_rule_wins_and_params_resolve() -> None:
    x = np.array([[0.0, 1.0, 2.0, 3.0]])
    rules = [
        Rule.model_validate({"id": "a", "class": "low", "when": {"x_max": "{limit}"}, "nl": "a", "en": "a"}),
        Rule.model_validate({"id": "b", "class": "mid", "when": {"x_max": 3.0}, "nl": "b", "en": "b"}),
        Rule.model_validate({"id": "c", "class": "rest", "when": {}, "nl": "c", "en": "c"}),
    ]
    out, fired = classify(rules, {"low": 1, "mid": 2, "rest": 3}, {"x": x}, params={"limit": 1.5})
    assert out.tolist() == [[1, 1, 2, 3]]
    assert fired.tolist() == [[0, 0, 1, 2]]


def test_categorical_condition_and_nan() -> None:
    soil = np.array([[1, 2, 3]])
    depth = np.array([[0.1, np.nan, 0.1]])
    when = {"soil_in": ["peat", "clay"], "depth_max": 0.5}
    hit = rule_mask(when, {"soil": soil, "depth": depth}, {"soil": {"sand": 1, "peat": 2, "clay": 3}}, rule_id="r")
    assert hit.tolist() == [[False, False, True]]


@pytest.mark.parametrize(
    "when",
    [
        {"nope_min": 1.0},
        {"x_between": 1.0},
        {"x_min": "{missing}"},
        {"x_in": ["a"]},
    ],
)
def test_bad_rules_are_refused(when: dict) -> None:
    with pytest.raises(ValueError, match="rule r"):
        rule_mask(when, {"x": np.zeros((1, 1))}, rule_id="r")


def _seepage_case() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A valley (west, low, wet) at the foot of a ridge (east, high, dry), 10 m cells."""
    cols = np.arange(60, dtype=np.float32)
    elevation = np.tile(np.where(cols < 20, 1.0, np.where(cols < 40, 1.0 + (cols - 20) * 0.5, 11.0)), (20, 1))
    ghg = np.where(elevation < 2.0, 0.2, 1.5).astype(np.float32)
    glg = (ghg + 0.9).astype(np.float32)
    return elevation.astype(np.float32), ghg, glg


def test_seepage_rule() -> None:
    knowledge = SeepageRules.load()
    elevation, ghg, glg = _seepage_case()
    params = {"regional_radius_m": 200.0, "seepage_ghg_max_m": 0.4, "infiltration_glg_min_m": 1.2}
    variables = seepage_variables(elevation, ghg, glg, params["regional_radius_m"], 10.0)
    zones = seepage_zones(variables, knowledge, params)
    assert zones[10, 15] == 3  # low, wet, ridge within 200 m: seepage
    assert zones[10, 55] == 1  # high and deep GLG: infiltration
    assert zones[10, 0] == 2   # low and wet but no higher ground within 200 m: transition
    # a deeper GHG in the valley takes away the seepage
    zones_dry = seepage_zones(
        seepage_variables(elevation, ghg + 1.0, glg + 1.0, 200.0, 10.0), knowledge, params
    )
    assert zones_dry[10, 15] != 3
    # no data where groundwater is missing
    ghg_gap = ghg.copy()
    ghg_gap[0, 0] = np.nan
    assert seepage_zones(seepage_variables(elevation, ghg_gap, glg, 200.0, 10.0), knowledge, params)[0, 0] == 0
