"""Drought kernels on cases with answers worked out by hand (alliantie.hazards.drought.kernels)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliantie.hazards.drought import kernels as hz
from alliantie.raster.distance import distance_to

SLOPE, INTERCEPT = 22.3, -1.4  # peat subsidence relation of drought.toml (mm/year per m GLG, mm/year)


def test_capillary_supply_full_within_critical_distance_and_exponential_beyond() -> None:
    glg = np.array([0.5, 1.5, np.nan])
    out = hz.capillary_supply_mm(glg, np.full(3, 0.3), np.full(3, 0.6), flux_mm_per_day=2.0, season_days=183,
                                 decay_m=0.25)
    # 0.5 m: 0.2 m below the root zone < 0.6 m critical -> 2 mm/d x 183 d
    assert out[0] == pytest.approx(366.0)
    # 1.5 m: 1.2 m below the root zone, 0.6 m beyond the critical distance -> 366 * exp(-0.6 / 0.25)
    assert out[1] == pytest.approx(366.0 * math.exp(-2.4))
    assert np.isnan(out[2])


def test_sensitivity_classes_of_the_shortage() -> None:
    supply = np.array([300.0, 250.0, 200.0, 100.0, np.nan, 10.0])
    target = np.array([True, True, True, True, True, False])
    out = hz.sensitivity_classes(265.0, supply, target, (0.0, 50.0, 100.0))
    # shortages -35, 15, 65, 165 mm; NaN supply on a target cell is no data; not farmland/nature -> 0
    assert out.tolist() == [0, 1, 2, 3, hz.NODATA, 0]


def test_more_deficit_makes_more_cells_exceed_their_supply() -> None:
    supply = np.linspace(0.0, 400.0, 41)
    target = np.ones(41, dtype=bool)
    today = hz.sensitivity_classes(265.0, supply, target, (0.0, 50.0, 100.0))
    drier = hz.sensitivity_classes(325.0, supply, target, (0.0, 50.0, 100.0))
    assert (drier >= today).all() and (drier > today).sum() > 0
    assert (today > 0).sum() == 27  # supplies 0..260 mm are short of 265 mm


def test_glg_drop_from_extra_deficit() -> None:
    sy = np.array([0.2, 0.05, 0.0])
    out = hz.glg_drop_m(60.0, sy, groundwater_share=0.5, max_drop_m=0.5)
    # 0.5 * 60 mm = 30 mm of water from storage: 0.03 / 0.2 = 0.15 m; 0.03 / 0.05 = 0.6 -> capped 0.5; water 0
    assert out.tolist() == pytest.approx([0.15, 0.5, 0.0])
    wetter = hz.glg_drop_m(-20.0, np.array([0.2]), groundwater_share=0.5, max_drop_m=0.5)
    assert wetter[0] == pytest.approx(-0.05)


def test_peat_subsidence_rate() -> None:
    glg = np.array([0.6, 0.6, 0.05, 3.0, 0.6, np.nan])
    factor = np.array([1.0, 0.5, 1.0, 1.0, 0.0, 1.0])
    out = hz.subsidence_rate_mm_per_year(glg, factor, slope=SLOPE, intercept=INTERCEPT, glg_max_m=1.2)
    assert out[0] == pytest.approx(22.3 * 0.6 - 1.4)  # 11.98 mm/year
    assert out[1] == pytest.approx(0.5 * 11.98)
    assert out[2] == 0.0  # a very shallow GLG: the relation gives less than 0
    assert out[3] == pytest.approx(22.3 * 1.2 - 1.4)  # held at the deepest GLG of the relation
    assert out[4] == 0.0  # no peat
    assert np.isnan(out[5])


def test_cumulative_subsidence_with_gradual_groundwater_drop() -> None:
    # GLG 0.6 m falling linearly by 0.2 m over 25 years; the rate is linear, so the total is 25 * rate(0.7)
    out = hz.cumulative_subsidence_cm(np.array([0.6]), np.array([0.2]), np.array([1.0]), 25.0, slope=SLOPE,
                                      intercept=INTERCEPT)
    assert out[0] == pytest.approx(25 * (22.3 * 0.7 - 1.4) / 10.0)  # 35.5 cm
    none = hz.cumulative_subsidence_cm(np.array([0.6]), 0.0, np.array([0.0]), 25.0, slope=SLOPE,
                                       intercept=INTERCEPT)
    assert none[0] == 0.0


def test_foundation_kind_recorded_or_inferred() -> None:
    foundation = ["wooden_piles", "shallow", "concrete_piles", None, "", "unknown"]
    year = np.array([1990, 1900, 1900, 1930, 1985, 1930])
    soft = np.array([False, True, True, True, True, False])
    out = hz.foundation_kind(foundation, year, soft, wooden_until_year=1970)
    assert out.tolist() == [hz.WOODEN_PILES, hz.SHALLOW, hz.OTHER_FOUNDATION, hz.WOODEN_PILES,
                            hz.OTHER_FOUNDATION, hz.SHALLOW]
    inferred = hz.foundation_kind(None, year, soft, wooden_until_year=1970)
    assert inferred[0] == hz.SHALLOW and inferred[3] == hz.WOODEN_PILES


def test_foundation_risk_classes() -> None:
    W, S, C = hz.WOODEN_PILES, hz.SHALLOW, hz.OTHER_FOUNDATION
    kind = np.array([W, W, W, W, S, S, S, S, S, C])
    subsoil = np.array([1, 1, 2, 2, 2, 2, 1, 1, 0, 2])
    head = np.full(10, -1.0)  # pile heads at NAP -1.0 m
    water = np.array([-1.3, -0.9, -0.5, np.nan, -1.0, -1.0, -1.0, -1.0, -1.0, -3.0])
    drop = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.0, 0.2, 0.5, 0.5])
    out = hz.foundation_risk(kind, subsoil, head, water, drop, pile_margin_m=0.2, settlement_drop_m=0.1)
    # wooden: water 0.3 m below the heads -> 3; 0.1 m above (< 0.2 margin) -> 2; 0.5 m above -> 1; unknown -> 1
    # shallow on peat 2, +1 with a drop >= 0.1 m; on clay 1 (+1); on firm soil 0; concrete piles 0
    assert out.tolist() == [3, 2, 1, 1, 2, 3, 1, 2, 0, 0]


def test_dryness_and_nearness() -> None:
    d = hz.dryness(np.array([0.3, 0.85, 2.0]), 150.0, glg_wet_m=0.5, glg_dry_m=1.2, wet_floor=0.2,
                   deficit_full_mm=300.0)
    assert d.tolist() == pytest.approx([0.2 * 0.5, 0.6 * 0.5, 1.0 * 0.5])
    assert hz.dryness(np.array([2.0]), 900.0, glg_wet_m=0.5, glg_dry_m=1.2, wet_floor=0.2,
                      deficit_full_mm=300.0)[0] == pytest.approx(1.0)
    near = hz.nearness(np.array([50.0, 300.0, 600.0, np.inf]), near_m=100.0, far_m=500.0)
    assert near.tolist() == pytest.approx([1.0, 0.5, 0.0, 0.0])


def test_an_all_water_area_has_zero_wildfire_risk() -> None:
    shape = (20, 20)
    fuel = np.zeros(shape)  # open water has no fuel
    buildings = np.zeros(shape, dtype=bool)
    buildings[10, 10] = True
    distance = distance_to(buildings, 10.0)
    dry = hz.dryness(np.full(shape, np.nan), 400.0, glg_wet_m=0.5, glg_dry_m=1.2, wet_floor=0.2,
                     deficit_full_mm=300.0)
    index = hz.wildfire_index(fuel, dry, hz.nearness(distance, near_m=100.0, far_m=500.0))
    assert (index == 0).all()
    assert (hz.classify(index, (0.1, 0.3, 0.5)) == 0).all()
    assert not hz.firebreak_cells(fuel, distance, fire_prone_fuel=0.6, width_m=30.0).any()


def test_wildfire_needs_fuel_dryness_and_buildings() -> None:
    fuel = np.ones((5, 60))  # heath and pine everywhere
    no_buildings = distance_to(np.zeros((5, 60), dtype=bool), 10.0)
    assert np.isinf(no_buildings).all()
    far = hz.wildfire_index(fuel, np.ones((5, 60)), hz.nearness(no_buildings, near_m=100.0, far_m=500.0))
    assert (far == 0).all()
    houses = np.zeros((5, 60), dtype=bool)
    houses[:, 0] = True
    distance = distance_to(houses, 10.0)
    index = hz.wildfire_index(fuel, np.full((5, 60), 0.8), hz.nearness(distance, near_m=100.0, far_m=500.0))
    assert index[0, 5] == pytest.approx(0.8)  # 50 m from the houses
    assert index[0, 30] == pytest.approx(0.8 * 0.5)  # 300 m: half way between 100 and 500 m
    assert index[0, 55] == 0.0  # 550 m


def test_firebreak_band_along_buildings() -> None:
    fuel = np.zeros((3, 10))
    fuel[:, 1:] = 1.0  # heath east of a row of houses in column 0
    fuel[:, 5] = 0.3  # a strip of deciduous trees: not fire prone
    houses = np.zeros((3, 10), dtype=bool)
    houses[:, 0] = True
    cells = hz.firebreak_cells(fuel, distance_to(houses, 10.0), fire_prone_fuel=0.6, width_m=30.0)
    assert cells[0].tolist() == [False, True, True, True, False, False, False, False, False, False]


def test_combine_severity_takes_the_highest_and_ignores_nodata() -> None:
    a = np.array([0, 1, hz.NODATA, 3], dtype=np.uint8)
    b = np.array([2, 0, 1, hz.NODATA], dtype=np.uint8)
    assert hz.combine_severity(a, b).tolist() == [2, 1, 1, 3]


def test_classify_checks_limits() -> None:
    with pytest.raises(ValueError):
        hz.classify(np.zeros(3), (1.0, 0.5, 2.0))
