"""Pluvial cases: the KNMI'23 event series in every scenario, and the stress-test events (rain_events.toml) today."""

import pytest

from alliantie.climate import ClimateScenario, dossier_scenarios, load_climate_table
from alliantie.climate.design_storms import DesignStorms
from alliantie.climate.rain_statistics import load_rain_statistics
from alliantie.errors import ConfigError
from alliantie.knowledge import load_knowledge
from alliantie.method.urgency.pluvial import events as ev
from alliantie.method.urgency.pluvial.knowledge import RainEventsKnowledge


@pytest.fixture(scope="module")
def knowledge():
    return RainEventsKnowledge.parse(load_knowledge("rain_events"), "rain_events")


@pytest.fixture(scope="module")
def storms():
    return DesignStorms(load_rain_statistics(), "R", load_climate_table())


def test_standard_events_are_70_and_140_mm_in_2_hours(knowledge):
    events = ev.rain_events(knowledge)
    assert events["t100"].rain_mm == 70.0 and events["t100"].duration_h == 2.0
    assert events["t1000"].rain_mm == 140.0 and events["t1000"].duration_h == 2.0
    assert {e.kind for e in events.values()} == {ev.STRESS}
    for row in knowledge.event:
        assert row.source and row.unit and "Klimaateffectatlas" in row.source
    assert "scaling" not in load_knowledge("rain_events")  # the 1.14^dT rule is gone


def test_knowledge_without_a_source_is_a_config_error(knowledge):
    data = knowledge.model_dump()
    del data["event"][0]["source"]
    with pytest.raises(ConfigError) as info:
        RainEventsKnowledge.parse(data, "rain_events")
    assert "rain_events.toml" in info.value.message() and "event.0.source" in info.value.message()


def test_stress_events_are_today_only(knowledge):
    cases = ev.stress_cases(knowledge, ["t100", "t1000"])
    assert [c.id for c in cases] == ["t100_current", "t1000_current"]
    assert [c.rain_mm for c in cases] == [70.0, 140.0] and all(c.shown for c in cases)


def test_unknown_event_is_a_config_error(knowledge):
    with pytest.raises(ConfigError) as info:
        ev.stress_cases(knowledge, ["t100", "t5"])
    assert "t5" in info.value.message()


def test_the_series_has_every_return_period_in_every_scenario(storms):
    climates = dossier_scenarios({"knmi": ["Ln", "Hd"], "horizons": [2050, 2100]})
    cases, missing = ev.series_cases(storms, [2, 10, 100, 1000], 2.0, climates, shown_return_period=100)
    assert not missing
    assert [c.id for c in cases[:4]] == ["rp2_current", "rp10_current", "rp100_current", "rp1000_current"]
    assert len(cases) == 4 * 5
    assert [c.id for c in cases if c.shown] == [f"rp100_{s.id}" for s in climates]
    by_id = {c.id: c for c in cases}
    for case in cases:
        assert case.rain_mm == storms.depth_mm(case.event.return_period_years, 2.0,
                                               next(s for s in climates if s.id == case.scenario.id))
        assert case.event.kind == ev.SERIES and case.event.duration_h == 2.0
    # the event keeps today's depth; the case carries its climate's rain
    assert by_id["rp100_Hd2100"].event.rain_mm == by_id["rp100_current"].rain_mm
    assert by_id["rp100_Hd2100"].rain_mm > by_id["rp100_Hd2050"].rain_mm > by_id["rp100_current"].rain_mm
    assert by_id["rp100_Hd2100"].scenario.name == "KNMI'23 Hd" and by_id["rp100_Hd2100"].scenario.year == 2100


def test_scenarios_without_statistics_are_missing(storms):
    climates = [ClimateScenario(), ClimateScenario("Md", 2050), ClimateScenario("Hd", 2150)]
    cases, missing = ev.series_cases(storms, [2, 100], 2.0, climates)
    assert {c.scenario.id for c in cases} == {"current"}
    assert missing == [(ev.MISSING_VARIABLE, "Md2050"), (ev.MISSING_VARIABLE, "Hd2150")]


def test_series_event_ids_are_safe_names():
    assert ev.series_event_id(100.0) == "rp100"
    assert ev.series_event_id(2.5) == "rp2_5"


def test_custom_case():
    case = ev.custom_case(42.5)
    assert case.rain_mm == 42.5 and case.scenario.id == ev.CURRENT
    assert case.id == "rain42_5mm_current"


def test_parameters_in_dossier_config():
    from pydantic import ValidationError

    from alliantie.dossier.config import Parameters
    from alliantie.parameters.pluvial import PluvialParameters

    defaults = Parameters().pluvial
    assert defaults.events == ["t100", "t1000"]
    assert defaults.return_periods == [2, 5, 10, 25, 50, 100, 250, 1000]
    assert defaults.duration_h == 2.0 and defaults.regime == "R" and defaults.map_return_period == 100
    assert defaults.extra_storage_mm == 0.0
    with pytest.raises(ValidationError):
        PluvialParameters(road_depth_classes_m=(0.3, 0.1))
    with pytest.raises(ValidationError):
        PluvialParameters(unknown=1)
    with pytest.raises(ValidationError, match="increase"):
        PluvialParameters(return_periods=[10, 5])
    with pytest.raises(ValidationError, match="1000"):
        PluvialParameters(return_periods=[2, 5000])
    with pytest.raises(ValidationError, match="map_return_period"):
        PluvialParameters(map_return_period=30)
    with pytest.raises(ValidationError):
        PluvialParameters(regime="X")
    with pytest.raises(ValidationError):
        PluvialParameters(severity_event="t100")  # replaced by map_return_period
