"""Rain events and their climate scaling (knowledge file rain_events.toml)."""

import math

import pytest

from alliantie.errors import ConfigError
from alliantie.knowledge import load_knowledge
from alliantie.method.urgency.pluvial import events as ev
from alliantie.method.urgency.pluvial.knowledge import RainEventsKnowledge


@pytest.fixture(scope="module")
def knowledge():
    return RainEventsKnowledge.parse(load_knowledge("rain_events"), "rain_events")


def test_standard_events_are_70_and_140_mm_in_2_hours(knowledge):
    events = ev.rain_events(knowledge)
    assert events["t100"].rain_mm == 70.0 and events["t100"].duration_h == 2.0
    assert events["t1000"].rain_mm == 140.0 and events["t1000"].duration_h == 2.0
    for row in knowledge.event:
        assert row.source and row.unit
    assert "Lenderink" in knowledge.scaling.source
    assert knowledge.scaling.rate_per_degree == pytest.approx(0.14)


def test_knowledge_without_a_source_is_a_config_error(knowledge):
    data = knowledge.model_dump()
    del data["event"][0]["source"]
    with pytest.raises(ConfigError) as info:
        RainEventsKnowledge.parse(data, "rain_events")
    assert "rain_events.toml" in info.value.message() and "event.0.source" in info.value.message()


def test_scaling_is_exponential_in_temperature():
    assert ev.scaling_factor(0.0, 0.14) == 1.0
    assert ev.scaling_factor(1.0, 0.14) == pytest.approx(1.14)
    assert ev.scaling_factor(2.0, 0.14) == pytest.approx(1.14**2)
    assert ev.scaling_factor(1.5, 0.14) == pytest.approx(math.exp(1.5 * math.log(1.14)))
    with pytest.raises(ValueError):
        ev.scaling_factor(-1.0, 0.14)


def test_cases_every_event_in_every_scenario(knowledge):
    cases = ev.cases(knowledge, ["t100", "t1000"], ev.scenarios(1.5))
    assert [c.id for c in cases] == ["t100_current", "t100_2050", "t1000_current", "t1000_2050"]
    by_id = {c.id: c for c in cases}
    assert by_id["t100_current"].rain_mm == 70.0
    assert by_id["t100_2050"].rain_mm == pytest.approx(70.0 * 1.14**1.5)
    assert by_id["t1000_2050"].rain_mm == pytest.approx(140.0 * 1.14**1.5)
    assert [c.id for c in ev.cases(knowledge, ["t100"], ev.scenarios(None))] == ["t100_current"]


def test_unknown_event_is_a_config_error(knowledge):
    with pytest.raises(ConfigError) as info:
        ev.cases(knowledge, ["t100", "t5"], ev.scenarios(None))
    assert "t5" in info.value.message()


def test_custom_case():
    case = ev.custom_case(42.5)
    assert case.rain_mm == 42.5 and case.scenario.id == ev.CURRENT
    assert case.id == "rain42_5mm_current"


def test_parameters_in_dossier_config():
    from pydantic import ValidationError

    from alliantie.dossier.config import Parameters
    from alliantie.parameters.pluvial import PluvialParameters

    assert Parameters().pluvial.events == ["t100", "t1000"]
    assert PluvialParameters().temperature_variable == "t_mean_summer"
    assert PluvialParameters().severity_event == "t100"
    with pytest.raises(ValidationError):
        PluvialParameters(road_depth_classes_m=(0.3, 0.1))
    with pytest.raises(ValidationError):
        PluvialParameters(unknown=1)


def _table():
    from alliantie.climate import ClimateTable

    return ClimateTable({
        "variable": [{"id": "t_mean_summer", "unit": "degC", "change": "difference"}],
        "value": [
            {"variable": "t_mean_summer", "scenario": "reference", "value": 17.0, "source": "test"},
            {"variable": "t_mean_summer", "scenario": "Hd", "horizon": 2050, "change": 2.0, "source": "test"},
        ],
    })


def test_climate_scenarios_take_the_knmi_temperature_change(knowledge):
    from alliantie.climate import dossier_scenarios

    climates = dossier_scenarios({"knmi": ["Ld", "Hd"], "horizons": [2050]})
    scenarios, missing = ev.climate_scenarios(_table(), climates)
    assert [s.id for s in scenarios] == ["current", "Hd2050"]
    assert missing == [("t_mean_summer", "Ld2050")]  # no sourced number: left out, never guessed
    hd = scenarios[1]
    assert hd.delta_t_c == 2.0 and hd.year == 2050 and hd.name == "KNMI'23 Hd"
    cases = ev.cases(knowledge, ["t100"], scenarios)
    assert [c.id for c in cases] == ["t100_current", "t100_Hd2050"]
    assert cases[1].rain_mm == pytest.approx(70.0 * 1.14**2)
