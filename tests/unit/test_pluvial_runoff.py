"""Runoff rules: rain minus infiltration (unpaved part), sewer capacity x duration (paved part), extra storage."""

import numpy as np
import pytest

from alliantie.knowledge import load_knowledge
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.urgency.pluvial.knowledge import InfiltrationKnowledge
from alliantie.method.urgency.pluvial.runoff import runoff_mm, runoff_tables, water_cells


@pytest.fixture(scope="module")
def tables():
    infiltration = InfiltrationKnowledge.parse(load_knowledge("infiltration"), "infiltration")
    return runoff_tables(infiltration, LgnClasses.load(), SoilClasses.load())


def _main_code(name):
    return next(m.code for m in SoilClasses.load().main if m.id == name)


def _values():
    k = load_knowledge("infiltration")
    soil = {row["main"]: row["infiltration_mm"] for row in k["soil"]}
    paved = {row["group"]: row["paved_share"] for row in k["landuse"]}
    return soil, paved, k["sewer"]["capacity_mm_per_h"]


def test_every_number_has_unit_and_source():
    k = load_knowledge("infiltration")
    assert k["sewer"]["unit"] and "RIONED" in k["sewer"]["source"] and "Alterra-rapport 2692" in k["sewer"]["source"]
    for row in [*k["soil"], *k["landuse"]]:
        assert row["unit"] and row["source"], row


def test_typed_infiltration_keeps_units_and_sources():
    typed = InfiltrationKnowledge.parse(load_knowledge("infiltration"), "infiltration")
    soil, paved, sewer = _values()
    assert typed.sewer.capacity_mm_per_h == sewer == 20.0 and "RIONED" in typed.sewer.source
    assert {row.main: row.infiltration_mm for row in typed.soil} == soil
    assert {row.group: row.paved_share for row in typed.landuse} == paved
    assert all(row.unit and row.source for row in [*typed.soil, *typed.landuse])
    assert [row.group for row in typed.landuse if row.water] == ["water"]


def test_grassland_on_sand_loses_the_sand_infiltration(tables):
    soil, _, _ = _values()
    lu = np.array([[1]], dtype=np.uint8)  # agricultural grassland, unpaved
    sand = np.array([[_main_code("sand")]], dtype=np.uint8)
    clay = np.array([[_main_code("clay")]], dtype=np.uint8)
    assert runoff_mm(70.0, 2.0, lu, sand, tables)[0, 0] == pytest.approx(70.0 - soil["sand"])
    assert runoff_mm(70.0, 2.0, lu, clay, tables)[0, 0] == pytest.approx(70.0 - soil["clay"])
    assert runoff_mm(5.0, 2.0, lu, sand, tables)[0, 0] == 0.0  # never negative


def test_built_cells_lose_sewer_capacity_on_the_paved_part(tables):
    soil, paved, sewer = _values()
    lu = np.array([[18]], dtype=np.uint8)  # built-up
    sand = np.array([[_main_code("sand")]], dtype=np.uint8)
    p = paved["built"]
    expected = p * (70.0 - 2.0 * sewer) + (1 - p) * (70.0 - soil["sand"])  # 20 mm/h for 2 hours
    assert runoff_mm(70.0, 2.0, lu, sand, tables)[0, 0] == pytest.approx(expected, rel=1e-6)
    # the same depth in a shorter storm leaves the sewer less time: more runoff
    assert runoff_mm(70.0, 1.0, lu, sand, tables)[0, 0] > runoff_mm(70.0, 2.0, lu, sand, tables)[0, 0]


def test_water_gives_no_runoff_and_is_an_outlet(tables):
    lu = np.array([[16, 1]], dtype=np.uint8)
    out = runoff_mm(70.0, 2.0, lu, None, tables)
    assert out[0, 0] == 0.0 and out[0, 1] > 0
    assert water_cells(lu, tables).tolist() == [[True, False]]


def test_missing_soil_uses_the_smallest_land_infiltration(tables):
    soil, _, _ = _values()
    lu = np.array([[1]], dtype=np.uint8)
    smallest = min(v for k, v in soil.items() if k != "water")
    assert runoff_mm(70.0, 2.0, lu, None, tables)[0, 0] == pytest.approx(70.0 - smallest)
    assert runoff_mm(70.0, 2.0, lu, np.zeros((1, 1), np.uint8), tables)[0, 0] == pytest.approx(70.0 - smallest)


def test_the_sewer_takes_its_capacity_for_every_hour_of_the_storm(tables):
    _, paved, sewer = _values()
    lu = np.array([[18]], dtype=np.uint8)  # built-up, sewered
    sand = np.array([[_main_code("sand")]], dtype=np.uint8)
    # a storm of once in 2 years (about 24 mm in 2 hours) stays below the sewer capacity: only the unpaved part
    # can run off, and on sand it infiltrates
    assert runoff_mm(24.4, 2.0, lu, sand, tables)[0, 0] == 0.0
    # the same depth in one hour exceeds it
    one_hour = runoff_mm(24.4, 1.0, lu, sand, tables)[0, 0]
    assert one_hour == pytest.approx(paved["built"] * (24.4 - sewer), rel=1e-6)


def test_runoff_never_falls_with_rain_and_extra_storage_lowers_it(tables):
    lu = np.array([[18, 1, 20]], dtype=np.uint8)
    soil = np.array([[_main_code("clay"), _main_code("sand"), _main_code("peat")]], dtype=np.uint8)
    rains = np.linspace(0.0, 200.0, 41)
    series = np.stack([runoff_mm(r, 2.0, lu, soil, tables) for r in rains])
    assert (np.diff(series, axis=0) >= 0).all()
    stored = runoff_mm(80.0, 2.0, lu, soil, tables, extra_storage_mm=10.0)
    plain = runoff_mm(80.0, 2.0, lu, soil, tables)
    assert np.allclose(stored, np.maximum(plain - 10.0, 0.0))
    assert (stored < plain).any()
