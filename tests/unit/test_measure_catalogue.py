"""The measure catalogue (knowledge/data/measures.toml): complete, sourced, in the engines' units and ranges."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from alliantie.errors import ConfigError
from alliantie.knowledge import load_knowledge
from alliantie.knowledge.measures import LEVELS, THEMES, Measure, MeasureCatalogue, Sourced

#: Every measure issue 11 names, by catalogue id.
NAMED_IN_ISSUE = (
    "green_roof", "blue_green_roof", "rain_barrel", "disconnect_downpipes", "thresholds", "permeable_paving",
    "depaving", "infiltration_crates", "rain_garden", "wadi", "street_trees", "shade", "cool_materials",
    "water_square", "park", "retention_pond", "extra_open_water", "urban_wetland", "cool_place", "green_corridor",
    "brook_restoration", "marsh_cushions", "retention_area", "raised_ditch_level", "submerged_drainage",
    "pressure_drainage", "soil_organic_matter", "conifer_to_broadleaf", "firebreaks", "dike_reinforcement",
    "compartment_dike", "refuges", "escape_routes", "floodproofing",
)
#: The suitability groups (the rules of vista.suitability are written per group).
GROUPS = {"roofs", "buildings", "facades", "infiltration_surface", "unpaving", "trees", "open_water", "squares",
          "green_area", "brook_valley", "peat", "sandy_uplands", "dikes", "evacuation"}
SHARES = ("paved_share", "vegetation_share", "shade_share", "albedo")
FACTORS = ("subsidence_factor", "fire_risk_factor", "breach_probability_factor")
NON_NEGATIVE = ("storage_mm", "storage_m3_per_piece", "drained_area_ratio", "infiltration_mm", "lower_terrain_m",
                "floor_raise_m", "protects_up_to_m", "canopy_m2_per_piece", "canopy_height_m", "recharge_mm_per_yr")

CATALOGUE = MeasureCatalogue.load()
MEASURES = {m.id: m for m in CATALOGUE.measures}


def _numbers(m: Measure) -> dict[str, Sourced]:
    numbers = {f"effect.{name}": value for name, value in m.effect.parameters().items()}
    if m.default_width_m is not None:
        numbers["default_width_m"] = m.default_width_m
    return numbers


def test_the_shipped_catalogue_holds_at_least_40_measures() -> None:
    assert len(CATALOGUE.measures) >= 40
    assert CATALOGUE.source and CATALOGUE.title


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_has_measures_at_more_than_one_level(theme: str) -> None:
    chosen = CATALOGUE.select(theme=theme)
    assert len(chosen) >= 5
    assert len({level for m in chosen for level in m.levels}) >= 2


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_has_measures_of_several_themes(level: str) -> None:
    chosen = CATALOGUE.select(level=level)
    assert len(chosen) >= 10
    assert len({theme for m in chosen for theme in m.themes}) >= 3


def test_every_measure_the_issue_names_is_there() -> None:
    missing = [i for i in NAMED_IN_ISSUE if CATALOGUE.get(i) is None]
    assert not missing


def test_select_filters_on_theme_and_level() -> None:
    both = CATALOGUE.select(theme="drought", level="region")
    assert both and all("drought" in m.themes and "region" in m.levels for m in both)
    assert {m.id for m in both} < {m.id for m in CATALOGUE.select(theme="drought")}
    assert CATALOGUE.select() == CATALOGUE.measures


@pytest.mark.parametrize("measure_id", sorted(MEASURES))
def test_every_number_has_a_unit_and_a_source(measure_id: str) -> None:
    m = MEASURES[measure_id]
    for where, number in _numbers(m).items():
        assert number.unit.strip() and len(number.source) > 10, f"{measure_id}.{where}"
    for cost in (m.investment, m.maintenance):
        assert cost.base_unit and len(cost.source) > 10
    assert m.maintenance.unit.endswith("/yr")
    assert len(m.lifetime.source) > 10
    assert m.name.nl and m.name.en and m.description.nl and m.description.en


@pytest.mark.parametrize("measure_id", sorted(MEASURES))
def test_estimates_are_marked_and_give_their_reasoning(measure_id: str) -> None:
    """A number whose source says 'alliantie estimate' is marked as an estimate, and a marked one says why."""
    m = MEASURES[measure_id]
    items: list[tuple[str, str, bool]] = [(w, n.source, n.estimate) for w, n in _numbers(m).items()]
    items += [("investment", m.investment.source, m.investment.estimate),
              ("maintenance", m.maintenance.source, m.maintenance.estimate),
              ("lifetime", m.lifetime.source, m.lifetime.estimate)]
    for where, source, estimate in items:
        ours = "alliantie estimate" in source
        assert ours == estimate, f"{measure_id}.{where}: estimate={estimate} but source {source!r}"
        if estimate:  # the reasoning, not just the label
            assert len(source.replace("alliantie estimate", "")) > 12, f"{measure_id}.{where}: no reasoning"


@pytest.mark.parametrize("measure_id", sorted(MEASURES))
def test_effects_lie_in_their_physical_range(measure_id: str) -> None:
    effect = MEASURES[measure_id].effect
    for name in SHARES:
        value = getattr(effect, name)
        assert value is None or 0.0 <= value.value <= 1.0, f"{measure_id}.{name}"
    for name in FACTORS:  # every measure lowers the hazard it multiplies
        value = getattr(effect, name)
        assert value is None or 0.0 <= value.value <= 1.0, f"{measure_id}.{name}"
    for name in NON_NEGATIVE:
        value = getattr(effect, name)
        assert value is None or value.value >= 0.0, f"{measure_id}.{name}"
    if effect.water_level_change_m is not None:
        assert -2.0 <= effect.water_level_change_m.value <= 2.0
    if effect.protects_up_to_m is not None:
        assert effect.floor_raise_m is not None and effect.protects_up_to_m.value >= effect.floor_raise_m.value


@pytest.mark.parametrize("measure_id", sorted(MEASURES))
def test_every_measure_does_something_an_engine_or_a_text_tells(measure_id: str) -> None:
    effect = MEASURES[measure_id].effect
    assert effect.parameters() or effect.cool_place or effect.not_modelled is not None
    if effect.not_modelled is not None:
        assert effect.not_modelled.nl and effect.not_modelled.en


def test_effects_are_in_the_units_the_engines_read() -> None:
    """The unit text of an effect starts with the unit of its field (mm, m, m3, -, mm per year)."""
    expected = {"storage_mm": "mm", "infiltration_mm": "mm", "storage_m3_per_piece": "m3", "lower_terrain_m": "m",
                "floor_raise_m": "m", "protects_up_to_m": "m", "canopy_height_m": "m", "water_level_change_m": "m",
                "recharge_mm_per_yr": "mm per year", "canopy_m2_per_piece": "m2", "drained_area_ratio": "m2"}
    for m in CATALOGUE.measures:
        for name, value in m.effect.parameters().items():
            unit = expected.get(name, "-")
            assert value.unit == unit or value.unit.startswith(unit + " "), f"{m.id}.{name}: {value.unit!r}"


def test_every_line_measure_has_a_width_and_every_group_is_known() -> None:
    for m in CATALOGUE.measures:
        if m.geometry == "line":
            assert m.default_width_m is not None and m.default_width_m.value > 0, m.id
        assert m.group in GROUPS, m.id
    assert {m.group for m in CATALOGUE.measures} == GROUPS


def test_costs_are_ordered_and_fit_the_geometry() -> None:
    area = {"EUR/m2", "EUR/ha", "EUR/m3"}
    for m in CATALOGUE.measures:
        assert 0 <= m.investment.low <= m.investment.mean <= m.investment.high
        base = m.investment.base_unit
        if m.geometry == "polygon":
            assert base in area, m.id
        elif m.geometry == "line":
            assert base in area | {"EUR/m", "EUR/km"}, m.id
        elif m.geometry == "point":
            assert base == "EUR/piece", m.id
        else:
            assert base in {"EUR/building", "EUR/m2"}, m.id


def _data() -> dict[str, Any]:
    return copy.deepcopy(load_knowledge("measures"))


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as info:
        MeasureCatalogue.parse(data, path="eigen_measures.toml")
    assert info.value.key == "errors.knowledge_invalid"
    message = info.value.message("en")
    assert "eigen_measures.toml" in message
    return message


def test_a_number_without_unit_or_source_is_refused_naming_the_field() -> None:
    data = _data()
    del data["measure"][0]["effect"]["storage_mm"]["unit"]
    assert "measure.0.effect.storage_mm.unit: Field required" in _refused(data)
    data = _data()
    del data["measure"][1]["investment"]["source"]
    assert "measure.1.investment.source: Field required" in _refused(data)
    data = _data()
    data["measure"][2]["lifetime"]["source"] = "  "
    assert "measure.2.lifetime.source" in _refused(data)


def test_a_broken_measure_is_refused_naming_it() -> None:
    data = _data()
    line = next(i for i, m in enumerate(data["measure"]) if m["geometry"] == "line")
    del data["measure"][line]["default_width_m"]
    assert "a line measure needs default_width_m" in _refused(data)
    data = _data()
    data["measure"][0]["investment"]["low"] = 1e9
    assert "low <= mean <= high" in _refused(data)
    data = _data()
    data["measure"][0]["maintenance"]["unit"] = "EUR/m2"
    assert "maintenance unit must end with '/yr'" in _refused(data)
    data = _data()
    data["measure"][1]["id"] = data["measure"][0]["id"]
    assert "repeated" in _refused(data)
    data = _data()
    data["measure"][0]["effect"]["storage_mm"]["value"] = "300"
    assert "measure.0.effect.storage_mm.value" in _refused(data)


def test_the_dynamic_checks_upstream_band_is_knowledge_with_unit_source_and_estimate() -> None:
    band = CATALOGUE.dynamic_check.upstream_spread_band_m
    assert band.unit == "m" and band.estimate and "estimate" in band.source and band.value > 0
    data = _data()
    del data["dynamic_check"]
    assert "dynamic_check" in _refused(data)
    data = _data()
    data["dynamic_check"]["upstream_spread_band_m"]["unit"] = "km"
    assert "upstream_spread_band_m" in _refused(data)
