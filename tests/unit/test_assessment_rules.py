"""The afwegingskader's rules, pure: numbers in the verdict, maatwerk when an attribute is missing, the dossier's
choices within each rule's range, and the knowledge file's checks."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from alliantie.contract.assessment import AssessmentFile, overall
from alliantie.errors import ConfigError
from alliantie.method.strategy.assessment.knowledge import AssessmentRules, Rule, apply_choices
from alliantie.method.strategy.assessment.metrics import Measured
from alliantie.method.strategy.assessment.rules import Initiative, assess, evaluate
from alliantie.parameters.assessment import AssessmentParameters

RULES = AssessmentRules.load()
VULNERABLE = frozenset(RULES.vulnerable.functions)


def _initiative(**attributes: float | str | None) -> Initiative:
    base: dict[str, float | str | None] = {name: None for name in (
        "function", "dwellings", "new_paving_m2", "storage_mm", "emptying_h", "infiltration_share", "green_share")}
    base.update(attributes)
    return Initiative(id="1", name="plan", geometry=box(0, 0, 100, 80), attributes=base)


def test_every_rule_has_a_source_a_unit_and_its_threshold_inside_its_range():
    assert len(RULES.rules) >= 10
    for rule in RULES.rules:
        assert rule.source.strip() and rule.unit.strip()
        assert rule.min <= rule.threshold <= rule.max
    themes = {r.theme for r in RULES.rules}
    assert {"pluvial", "drought", "flood", "heat", "structure"} <= themes
    assert RULES.rule("storage_maatlat").threshold == 50.0 and (RULES.rule("storage_maatlat").min,
                                                               RULES.rule("storage_maatlat").max) == (40.0, 70.0)
    assert RULES.rule("storage_local").applies_above == 1500.0


def test_an_initiative_that_stores_too_little_fails_with_the_number():
    result = evaluate(RULES.rule("storage_maatlat"), _initiative(storage_mm=30.0, new_paving_m2=800.0), None,
                      VULNERABLE)
    assert result.status == "fail" and result.value == 30.0 and result.threshold == 50.0
    assert "30 mm" in result.reason.en and "50 mm" in result.reason.en and "30 mm" in result.reason.nl
    enough = evaluate(RULES.rule("storage_maatlat"), _initiative(storage_mm=50.0), None, VULNERABLE)
    assert enough.status == "pass"


def test_more_storage_is_never_worse():
    order = {"pass": 0, "maatwerk": 1, "fail": 2}
    for rule_id in ("storage_maatlat", "storage_local"):
        statuses = [order[evaluate(RULES.rule(rule_id), _initiative(storage_mm=mm, new_paving_m2=3000.0), None,
                                   VULNERABLE).status] for mm in range(0, 100, 5)]
        assert statuses == sorted(statuses, reverse=True) and statuses[0] == 2 and statuses[-1] == 0


def test_the_water_board_rule_applies_only_above_its_paving_threshold():
    rule = RULES.rule("storage_local")
    assert evaluate(rule, _initiative(storage_mm=55.0, new_paving_m2=1400.0), None, VULNERABLE).status == "pass"
    above = evaluate(rule, _initiative(storage_mm=55.0, new_paving_m2=1600.0), None, VULNERABLE)
    assert above.status == "fail" and "55 mm" in above.reason.en and "60 mm" in above.reason.en
    unknown = evaluate(rule, _initiative(storage_mm=55.0), None, VULNERABLE)
    assert unknown.status == "maatwerk" and "new_paving_m2" in unknown.reason.en and "not given" in unknown.reason.en


def test_a_missing_attribute_is_maatwerk_not_given_never_a_guess():
    plan = _initiative()
    for rule_id, attribute in (("storage_maatlat", "storage_mm"), ("emptying_time", "emptying_h"),
                               ("infiltration_share", "infiltration_share"), ("green_share", "green_share")):
        result = evaluate(RULES.rule(rule_id), plan, None, VULNERABLE)
        assert result.status == "maatwerk" and result.value is None
        assert attribute in result.reason.en and "not given" in result.reason.en
        assert "niet opgegeven" in result.reason.nl


def test_a_plan_in_a_bluespot_fails_with_its_share_and_the_storage_it_takes():
    rule = RULES.rule("bluespot")
    measured = Measured(0.42, {"storage_m3": 380.0, "count": 1, "depth_m": 0.33})
    result = evaluate(rule, _initiative(), measured, VULNERABLE)
    assert result.status == "fail" and result.value == 0.42
    assert "42 %" in result.reason.en and "380" in result.reason.en
    assert evaluate(rule, _initiative(), Measured(0.0), VULNERABLE).status == "pass"


def test_deep_breach_water_fails_a_vulnerable_function_only():
    rule = RULES.rule("flood_vulnerable")
    deep = Measured(1.2, {"scenario": "current", "flooded_share": 1.0})
    assert evaluate(rule, _initiative(function="residential"), deep, VULNERABLE).status == "fail"
    assert evaluate(rule, _initiative(function="parking"), deep, VULNERABLE).status == "pass"
    unknown = evaluate(rule, _initiative(), deep, VULNERABLE)
    assert unknown.status == "maatwerk" and unknown.value == 1.2
    assert evaluate(rule, _initiative(function="residential"), Measured(0.3), VULNERABLE).status == "pass"


def test_subsidence_and_structure_carriers_ask_for_maatwerk_rather_than_forbid():
    peat = evaluate(RULES.rule("subsidence"), _initiative(), Measured(
        42.0, {"scenario": "Hd2050", "peat_share": 0.8, "years": 60.0, "rate_mm_per_year": 7.0}), VULNERABLE)
    assert peat.status == "maatwerk" and "42 cm" in peat.reason.en and "60 years" in peat.reason.en
    carrier = evaluate(RULES.rule("structure_carriers"), _initiative(), Measured(0.3, {"names": ["Beekdal 1"]}),
                       VULNERABLE)
    assert carrier.status == "maatwerk" and "Beekdal 1" in carrier.reason.en


def test_a_product_not_computed_says_so():
    result = evaluate(RULES.rule("cool_place"), _initiative(), Measured(None, missing="urgency.heat"), VULNERABLE)
    assert result.status == "maatwerk" and "urgency.heat" in result.reason.en and "alliantie run" in result.reason.en


def test_the_overall_status_is_the_worst_rule():
    assert overall(["pass", "maatwerk", "pass"]) == "maatwerk"
    assert overall(["pass", "fail", "maatwerk"]) == "fail"
    assert overall([]) == "pass"
    result = assess(_initiative(storage_mm=20.0, new_paving_m2=100.0), [RULES.rule("storage_maatlat"),
                                                                        RULES.rule("green_share")], {}, VULNERABLE)
    assert result.status == "fail" and [r.status for r in result.rules] == ["fail", "maatwerk"]
    AssessmentFile.model_validate_json(AssessmentFile(dossier="d", source="s", rules=[], initiatives=[result])
                                       .model_dump_json())


def test_dossier_choices_move_the_threshold_within_the_range():
    adopted = apply_choices(RULES, AssessmentParameters(thresholds={"storage_maatlat": 60.0},
                                                        applies_above={"storage_local": 4000.0},
                                                        skip=["infiltration_share"]))
    by_id = {r.id: r for r in adopted}
    assert by_id["storage_maatlat"].threshold == 60.0 and by_id["storage_local"].applies_above == 4000.0
    assert "infiltration_share" not in by_id
    stricter = evaluate(by_id["storage_maatlat"], _initiative(storage_mm=55.0), None, VULNERABLE)
    assert stricter.status == "fail" and "60 mm" in stricter.reason.en


@pytest.mark.parametrize(("choices", "words"), [
    (AssessmentParameters(thresholds={"storage_maatlat": 30.0}), ["storage_maatlat", "30", "40", "70"]),
    (AssessmentParameters(thresholds={"storage_maatlat": 80.0}), ["storage_maatlat", "80"]),
    (AssessmentParameters(applies_above={"storage_local": 100.0}), ["storage_local", "100", "500"]),
    (AssessmentParameters(thresholds={"storage_maatlaat": 50.0}), ["storage_maatlaat", "storage_maatlat"]),
    (AssessmentParameters(applies_above={"bluespot": 1.0}), ["bluespot"]),
])
def test_a_dossier_choice_outside_the_allowed_range_is_refused(choices, words):
    with pytest.raises(ConfigError) as info:
        apply_choices(RULES, choices)
    message = info.value.message("en")
    assert "[parameters.assessment]" in message
    for word in words:
        assert word in message
    assert "parameters.assessment" in info.value.message("nl")


def test_a_rule_with_its_threshold_outside_its_own_range_is_refused():
    data = RULES.rule("bluespot").model_dump()
    data["threshold"] = 0.9
    with pytest.raises(ValueError, match="outside its range"):
        Rule.model_validate(data)
    with pytest.raises(ValueError, match="unknown metric"):
        Rule.model_validate({**RULES.rule("bluespot").model_dump(), "metric": "shade"})
