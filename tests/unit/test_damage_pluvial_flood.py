"""Pluvial and flood damage (alliantie.damage.pluvial / .flood) by hand: a flat depth on a known class, water above
floor level, the EAD per scenario and rule, incidents, scenarios without data listed instead of guessed, and the
breach depth-damage curves (a known depth on a known class gives max damage x curve factor, linear between nodes)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliantie.damage import DamageSettings, class_map, coefficients, expected_annual_damage, load_damage_table
from alliantie.damage.buildings import Buildings, cell_damage
from alliantie.damage.flood import annual_damage as flood_annual
from alliantie.damage.flood import breach_case, building_damage, load_flood_curves, water_above_floor
from alliantie.damage.pluvial import CaseDamage, above_floor, annual_damage, case_damage, facade_ring

SEPTEMBER = 0.8
#: A small damage table: one land-use class (LGN 18 -> WSS 15) and one building class (2).
KNOWLEDGE = {
    "table": {"price_year": 2015, "depth_m": [0.0, 0.1, 0.3], "duration_h": [1, 12], "repair_h": [0, 240],
              "unit": "EUR", "depth_unit": "m", "duration_unit": "h", "repair_unit": "h", "month_unit": "-",
              "source": "test table"},
    "defaults": {"month": 9, "month_source": "test", "duration_h": 6.0, "duration_source": "test",
                 "repair_days": 5.0, "repair_source": "test"},
    "class": [
        {"code": 2, "system": "BAG", "nl": "Woon", "en": "Residential", "direct_unit": "EUR/m2",
         "direct": [100, 200, 300], "indirect_unit": "EUR/m2/day", "indirect": [1, 2, 3], "depth_factor": [0, 0.5, 1.0],
         "duration_factor": [1, 1], "repair_factor": [0, 10], "month_factor": [1] * 8 + [SEPTEMBER] + [1] * 3,
         "source": "test"},
        {"code": 15, "system": "BGT", "nl": "Woongebied", "en": "Residential area", "direct_unit": "EUR/ha",
         "direct": [10000, 20000, 40000], "indirect_unit": "EUR/m2/day", "indirect": [0, 0.1, 0.2],
         "depth_factor": [0, 0.5, 1.0], "duration_factor": [1, 0.5], "repair_factor": [0, 10],
         "month_factor": [1] * 8 + [SEPTEMBER] + [1] * 3, "source": "test"},
    ],
    "lgn": [{"lgn": 18, "wss": 15, "source": "test"}],
}


def _coef(lgn: bool) -> dict:
    table = load_damage_table(KNOWLEDGE)
    return {a: coefficients(table, DamageSettings(amount=a, month=9, duration_h=6.0, repair_days=5.0),
                            class_map(KNOWLEDGE) if lgn else None) for a in ("low", "mean", "high")}


def test_flat_depth_on_a_known_class_gives_amount_times_factors() -> None:
    depth = np.full((5, 5), np.nan, dtype=np.float32)
    depth[1:4, 1:4] = 0.2  # 9 wet cells of 100 m2
    landuse = np.full((5, 5), 18, dtype=np.uint8)
    case = case_damage("t100", "current", 100, depth, landuse, _coef(True), 100.0)
    g_depth = 0.75  # 0.2 m between the nodes 0.1 (0.5) and 0.3 (1.0)
    g_duration = 1.0 - 0.5 * (6.0 - 1.0) / 11.0  # 6 h between 1 h (1.0) and 12 h (0.5)
    repair_days = 10.0 * 120.0 / 240.0  # 5 days = 120 h on the repair nodes 0 h (0) .. 240 h (10 days)
    for amount, direct, indirect in (("low", 1.0, 0.0), ("mean", 2.0, 0.1), ("high", 4.0, 0.2)):
        per_m2 = direct * g_depth * g_duration * SEPTEMBER + indirect * repair_days
        assert case.land[amount] == pytest.approx(9 * 100.0 * per_m2, rel=1e-6)
    assert case.land["mean"] == pytest.approx(9 * 100 * (2 * 0.75 * (1 - 2.5 / 11) * 0.8 + 0.5))
    assert case.buildings == {"low": 0.0, "mean": 0.0, "high": 0.0}


def test_area_and_no_data_are_left_out() -> None:
    depth = np.full((2, 2), 0.3, dtype=np.float32)
    landuse = np.full((2, 2), 18.0, dtype=np.float32)
    landuse[0, 0] = np.nan
    area = np.array([[True, True], [True, False]])
    case = case_damage("t100", "current", 100, depth, landuse, _coef(True), 1.0, area=area)
    per_m2 = 2.0 * 1.0 * (1 - 2.5 / 11) * SEPTEMBER + 0.1 * 5
    assert case.land["mean"] == pytest.approx(2 * per_m2)  # (0,1) and (1,0) only


def test_water_above_floor_around_a_building() -> None:
    ids = np.zeros((5, 5), dtype=np.int32)
    ids[2, 2] = 1
    depth = np.full((5, 5), 0.3, dtype=np.float32)
    depth[2, 2] = np.nan  # the footprint itself is hidden in the pluvial depth
    ground = np.zeros((5, 5), dtype=np.float32)
    ground[0, 0] = 0.2  # a corner cell with its level 0.5 m NAP does not touch the footprint
    ring = facade_ring(ids, 1)
    assert ring.cells.size == 8 and (ring.owners == 1).all()
    above = above_floor(depth, ground, ring, np.array([0.1]))
    assert above == pytest.approx([0.2])
    dry = above_floor(np.full((5, 5), np.nan), ground, ring, np.array([0.1]))
    assert np.isnan(dry).all()


def test_buildings_above_floor_level_take_the_building_amounts() -> None:
    depth = np.zeros((3, 3), dtype=np.float32)
    landuse = np.full((3, 3), 18, dtype=np.uint8)
    case = case_damage("t1000", "current", 1000, depth, landuse, _coef(True), 100.0,
                       water_above_floor=np.array([0.2, np.nan, -0.1]), building_class=np.array([2, 2, 2]),
                       floor_area_m2=np.array([50.0, 50.0, 50.0]), building_coef=_coef(False))
    assert case.land["mean"] == 0.0
    # 50 m2 x (200 EUR/m2 x 0.75 x duration 1 x September 0.8 + 2 EUR/m2/day x 5 days)
    assert case.buildings["mean"] == pytest.approx(50 * (200 * 0.75 * 0.8 + 2 * 5))
    assert case.buildings["high"] == pytest.approx(50 * (300 * 0.75 * 0.8 + 3 * 5))
    assert case.buildings_above_floor == 1


def _case(event: str, scenario: str, rp: float, total: float) -> CaseDamage:
    values = {"low": total / 2, "mean": total, "high": total * 2}
    return CaseDamage(event, scenario, rp, {a: 0.0 for a in values}, values, 1)


def test_ead_per_scenario_and_rule_by_hand() -> None:
    cases = [_case("t100", "current", 100, 1000), _case("t1000", "current", 1000, 2000),
             _case("t1000", "Hd2050", 1000, 3000), _case("t100", "Hd2050", 100, 1500)]
    result = annual_damage(cases, price_year=2024, scenarios=["current", "Hd2050"], incident_event="t1000",
                           event_labels={"t1000": ("140 mm", "140 mm")})
    # trapezoid: (1/100 - 1/1000)/2 x (D100 + D1000) + D1000/1000
    assert result.ead["current"]["trapezoid"]["mean"] == pytest.approx(0.0045 * 3000 + 2.0)
    assert result.ead["Hd2050"]["trapezoid"]["mean"] == pytest.approx(0.0045 * 4500 + 3.0)
    # events (CLIMADA): D100 x (1/100 - 1/1000) + D1000 / 1000
    assert result.ead["current"]["events"]["mean"] == pytest.approx(0.009 * 1000 + 2.0)
    # loglinear (Delft-FIAT): weights f_b - m and m - f_a + f_a with m = (f_b - f_a)/ln(f_b/f_a)
    m = 0.009 / math.log(10.0)
    assert result.ead["current"]["loglinear"]["mean"] == pytest.approx((0.01 - m) * 1000 + m * 2000)
    assert result.ead["current"]["loglinear"]["mean"] == pytest.approx(
        expected_annual_damage([2000, 1000], [1000, 100], "loglinear"))
    annual = result.theme.annual["current"]
    assert (annual.low, annual.mean, annual.high) == pytest.approx((7.75, 15.5, 31.0))
    assert annual.price_year == 2024
    (incident,) = result.theme.incidents
    assert incident.scenario == "current" and incident.damage.mean == 2000.0 and incident.label_en == "140 mm"
    assert result.theme.missing == []


def test_a_scenario_without_all_events_is_missing_not_guessed() -> None:
    cases = [_case("t100", "current", 100, 1000), _case("t1000", "current", 1000, 2000),
             _case("t100", "Ld2050", 100, 1200)]
    result = annual_damage(cases, price_year=2024, scenarios=["current", "Ld2050", "Hd2100"])
    assert set(result.theme.annual) == {"current"}
    assert result.theme.missing == [("pluvial_depth", "Ld2050"), ("pluvial_depth", "Hd2100")]


def test_flood_water_above_floor_is_the_highest_level_on_the_footprint() -> None:
    ids = np.zeros((4, 4), dtype=np.int32)
    ids[1:3, 1:3] = 1
    ids[0, 3] = 2
    depth = np.full((4, 4), 1.5, dtype=np.float32)
    depth[0, 3] = 0.0  # building 2 stays dry
    ground = np.zeros((4, 4), dtype=np.float32)
    ground[1, 1] = 0.5  # level 2.0 m NAP on one footprint cell
    above = water_above_floor(depth, ground, ids, 2, np.array([0.5, 0.0]))
    assert above[0] == pytest.approx(1.5)
    assert np.isnan(above[1])


def test_flood_annual_damage_needs_a_breach_probability() -> None:
    breach = CaseDamage("breach", "current", float("nan"), {"low": 0.0, "mean": 0.0, "high": 0.0},
                        {"low": 3.0e5, "mean": 6.0e5, "high": 9.0e5}, 4)
    none = flood_annual([breach], price_year=2024, probability_per_year=None, scenarios=["current", "Hd2100"])
    assert none.annual == {}
    assert [i.damage.mean for i in none.incidents] == [6.0e5]
    assert none.missing == [("breach_probability", "current"), ("flood_depth", "Hd2100")]
    given = flood_annual([breach], price_year=2024, probability_per_year=1 / 3000, scenarios=["current"])
    assert given.annual["current"].mean == pytest.approx(200.0)
    assert given.annual["current"].high == pytest.approx(300.0)
    assert given.missing == []


# --------------------------------------------------------------------------- breach curves (damage_flood.toml)

#: A small breach table: two classes on three depth nodes, WSS class 2 -> "res", 4 -> "ind", 1 unmapped.
FLOOD_KNOWLEDGE = {
    "table": {"price_year": 2010, "depth_m": [0.0, 1.0, 3.0], "depth_unit": "m above floor", "unit": "EUR/m2",
              "source": "test curves"},
    "class": [
        {"name": "res", "nl": "Woningen", "en": "Residential", "factor": [0.0, 0.4, 1.0], "max_damage_eur_m2": 800.0,
         "source": "test"},
        {"name": "ind", "nl": "Industrie", "en": "Industrial", "factor": [0.0, 0.2, 0.8],
         "max_damage_eur_m2": 1000.0, "source": "test"},
    ],
    "wss_building": [{"wss": 2, "curve": "res", "source": "test"}, {"wss": 4, "curve": "ind", "source": "test"}],
}


def test_breach_curve_known_depth_gives_max_damage_times_factor() -> None:
    curves = load_flood_curves(FLOOD_KNOWLEDGE)
    above = np.array([1.0, 2.0, 5.0, 0.5, np.nan, -0.2, 2.0])
    wss = np.array([2, 2, 2, 4, 2, 2, 1])
    area = np.full(7, 100.0)
    dmg = building_damage(above, wss, area, curves, price_factor=1.1)
    # 1 m on a node: 800 x 0.4 x 100 m2 x 1.1; 2 m halfway 1-3 m: factor 0.7; 5 m clamped at 1.0
    assert dmg[0] == pytest.approx(800 * 0.4 * 100 * 1.1)
    assert dmg[1] == pytest.approx(800 * 0.7 * 100 * 1.1)
    assert dmg[2] == pytest.approx(800 * 1.0 * 100 * 1.1)
    # 0.5 m on industrial: halfway 0 (0) .. 1 m (0.2) = 0.1
    assert dmg[3] == pytest.approx(1000 * 0.1 * 100 * 1.1)
    # dry (NaN), below the floor, and a class without a curve: no damage
    assert dmg[4] == 0.0 and dmg[5] == 0.0 and dmg[6] == 0.0


def test_jrc_residential_in_the_knowledge_base_by_hand() -> None:
    from alliantie.knowledge import load_knowledge

    curves = load_flood_curves(load_knowledge("damage_flood"))
    res = curves.classes[curves.wss_class[2]]
    assert curves.price_year == 2010 and curves.depth_m[-1] == 6.0
    # JRC Europe residential: 0.60 at 2 m, 0.75 at 3 m -> 2.5 m gives 0.675; NL 841.75 EUR/m2 (2010)
    (dmg,) = building_damage(np.array([2.5]), np.array([2]), np.array([80.0]), curves)
    assert dmg == pytest.approx(841.75 * 0.675 * 80.0)
    assert res.max_damage_eur_m2 == pytest.approx(1558.80 * 0.6 * 0.6 * 1.5, abs=0.01)  # structure + 0.5 content
    ind = curves.classes[curves.wss_class[4]]
    assert ind.max_damage_eur_m2 == pytest.approx(1038.81 * 0.6 * 0.6 * 2.5, abs=0.01)  # structure + 1.5 content
    # 3 m of water counts for more than 0.3 m (the WSS saturation): the curve still rises to 6 m
    deep = building_damage(np.array([0.3, 3.0, 6.0]), np.array([2, 2, 2]), np.ones(3), curves)
    assert deep[0] < deep[1] < deep[2] == pytest.approx(841.75)


def test_breach_case_values_land_with_wss_and_buildings_with_curves() -> None:
    curves = load_flood_curves(FLOOD_KNOWLEDGE)
    depth = np.full((3, 3), 2.0, dtype=np.float32)
    depth[1, 1] = np.nan  # the footprint: a building, not land
    landuse = np.full((3, 3), 18, dtype=np.uint8)
    coef = {a: coefficients(load_damage_table(KNOWLEDGE), DamageSettings(amount=a, month=9, duration_h=6.0,
                                                                          repair_days=5.0), class_map(KNOWLEDGE))
            for a in ("low", "mean", "high")}
    case = breach_case("Hd2100", depth, landuse, coef, 100.0, above_floor=np.array([2.0]), wss_class=np.array([2]),
                       area_m2=np.array([100.0]), curves=curves, price_factor=1.0)
    # land: 8 wet cells of 100 m2 at the WSS mean (depth 2 m clamps at the last WSS node, factor 1.0)
    assert case.land["mean"] == pytest.approx(8 * 100 * (2 * 1.0 * (1 - 2.5 / 11) * SEPTEMBER + 0.1 * 5))
    # buildings: 800 x factor 0.7 at 2 m x 100 m2, the same at every amount level (the JRC gives no range)
    assert case.buildings == {a: pytest.approx(800 * 0.7 * 100) for a in ("low", "mean", "high")}
    assert case.buildings_above_floor == 1 and case.event == "breach" and case.scenario == "Hd2100"
    theme = flood_annual([case], price_year=2024, probability_per_year=1e-3, scenarios=["Hd2100"])
    assert theme.annual["Hd2100"].high == pytest.approx(1e-3 * case.total("high"))


def test_breach_table_errors_name_the_field() -> None:
    from alliantie.errors import ConfigError

    bad = {**FLOOD_KNOWLEDGE, "class": [{"name": "res", "nl": "W", "en": "R", "factor": [0.0, 1.0],
                                         "max_damage_eur_m2": 1.0, "source": "t"}]}
    with pytest.raises(ConfigError) as err:
        load_flood_curves(bad)
    assert "class res: factor must hold 3 values" in str(err.value)
    unknown = {**FLOOD_KNOWLEDGE, "wss_building": [{"wss": 2, "curve": "nope", "source": "t"}]}
    with pytest.raises(ConfigError) as err:
        load_flood_curves(unknown)
    assert "nope" in str(err.value)
    without_source = {**FLOOD_KNOWLEDGE, "wss_building": [{"wss": 2, "curve": "res"}]}
    with pytest.raises(ConfigError) as err:
        load_flood_curves(without_source, path="eigen_damage_flood.toml")
    assert err.value.key == "errors.knowledge_invalid"
    assert "eigen_damage_flood.toml" in str(err.value) and "wss_building.0.source" in str(err.value)


def test_cell_damage_spreads_each_building_over_its_footprint_and_sums_to_the_case() -> None:
    ids = np.zeros((6, 6), dtype=np.int32)
    ids[2:4, 2:4] = 1  # a building of 4 cells
    depth = np.full((6, 6), 0.3, dtype=np.float32)
    depth[ids > 0] = np.nan
    ground = np.zeros((6, 6), dtype=np.float32)
    landuse = np.full((6, 6), 18, dtype=np.uint8)
    area = np.ones((6, 6), dtype=bool)
    buildings = Buildings(ids=ids, count=1, wss_class=np.array([2]), floor_area_m2=np.array([400.0]),
                          floor_level_m=np.array([0.1]), unmapped=[], ring=facade_ring(ids, 1))
    above = above_floor(depth, ground, buildings.ring, buildings.floor_level_m)
    land, building = _coef(True), _coef(False)
    per_cell = cell_damage(depth, landuse, land["mean"], 100.0, area, buildings, above, building["mean"])
    case = case_damage("t100", "current", 100, depth, landuse, land, 100.0, water_above_floor=above,
                       building_class=buildings.wss_class, floor_area_m2=buildings.floor_area_m2,
                       building_coef=building, area=area)
    assert case.buildings["mean"] > 0
    assert per_cell.sum() == pytest.approx(case.total("mean"))
    footprint = per_cell[ids > 0]
    assert footprint == pytest.approx(np.full(4, footprint[0]))  # the building's damage evenly over its 4 cells
    assert footprint.sum() == pytest.approx(case.buildings["mean"])  # no land use damage under the building
    none = Buildings.none((6, 6))
    assert none.count == 0 and not none.ids.any()
    assert cell_damage(depth, landuse, land["mean"], 100.0, area, none, None, building["mean"]).sum() == \
        pytest.approx(case.land["mean"])
