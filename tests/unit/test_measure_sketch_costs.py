"""Sketch checks (refused out loud) and the present value of a measure's costs."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from alliantie.errors import InputDataError
from alliantie.grid import Grid
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.costs import Appraisal, avoided_present_value, feature_cost
from alliantie.measures.placement import BuildingLayer, place
from alliantie.measures.sketch import Sketch

GRID = Grid.from_bounds((0.0, 0.0, 1000.0, 1000.0), 10.0)


@pytest.fixture(scope="module")
def catalogue():
    return MeasureCatalogue.load()


def _frame(**columns):
    geometry = columns.pop("geometry")
    return gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:28992")


def test_a_sketch_without_a_measure_column_is_refused(catalogue):
    with pytest.raises(InputDataError) as err:
        Sketch.from_frame(_frame(kind=["wadi"], geometry=[shapely.box(0, 0, 10, 10)]), catalogue, label="s.gpkg")
    assert "s.gpkg" in err.value.message("en") and "'measure'" in err.value.message("en")


def test_an_unknown_measure_names_the_feature_and_close_ids(catalogue):
    with pytest.raises(InputDataError) as err:
        Sketch.from_frame(_frame(measure=["wadi", "wadii"], geometry=[shapely.box(0, 0, 10, 10)] * 2), catalogue,
                          label="s.gpkg")
    text = err.value.message("en")
    assert "feature 2" in text and "wadii" in text and "wadi" in text


def test_a_wrong_geometry_and_an_impossible_value_are_refused(catalogue):
    with pytest.raises(InputDataError) as err:
        Sketch.from_frame(_frame(measure=["wadi"], geometry=[shapely.Point(5, 5)]), catalogue, label="s.gpkg")
    assert "polygon" in err.value.message("en")
    with pytest.raises(InputDataError) as err:
        Sketch.from_frame(_frame(measure=["wadi"], storage_mm=[-5.0], geometry=[shapely.box(0, 0, 10, 10)]),
                          catalogue, label="s.gpkg")
    assert "storage_mm" in err.value.message("nl")


def test_overrides_replace_the_catalogue_value_and_empty_cells_keep_it(catalogue):
    sketch = Sketch.from_frame(_frame(measure=["wadi", "wadi"], storage_mm=[100.0, np.nan],
                                      geometry=[shapely.box(0, 0, 10, 10)] * 2), catalogue)
    assert sketch.features[0].params["storage_mm"] == 100.0
    assert sketch.features[1].params["storage_mm"] == catalogue.get("wadi").effect.storage_mm.value
    assert sketch.features[0].overridden == ("storage_mm",)


def test_placement_sizes_follow_the_geometry(catalogue):
    sketch = Sketch.from_frame(_frame(measure=["wadi", "street_trees"], width_m=[np.nan, 6.0],
                                      geometry=[shapely.box(100, 100, 150, 140),
                                                shapely.LineString([(200, 200), (300, 200)])]), catalogue)
    layer = BuildingLayer.none(GRID)
    wadi, trees = (place(f, GRID, layer) for f in sketch.features)
    assert wadi.area_m2 == pytest.approx(2000.0)
    assert wadi.cells.size == 20  # 5 x 4 cells of 10 m
    assert trees.length_m == pytest.approx(100.0) and trees.area_m2 == pytest.approx(600.0)


def test_present_value_counts_replacement_maintenance_and_residual_value(catalogue):
    sketch = Sketch.from_frame(_frame(measure=["wadi"], geometry=[shapely.box(100, 100, 200, 200)]), catalogue)
    placement = place(sketch.features[0], GRID, BuildingLayer.none(GRID))
    wadi = catalogue.get("wadi")
    no_discount = Appraisal(start_year=2025, horizon_year=2025 + int(wadi.lifetime.years), rate=0.0)
    cost = feature_cost(placement, 0.0, no_discount)
    invest = wadi.investment.mean * 10_000.0
    upkeep = wadi.maintenance.mean * 10_000.0
    # undiscounted over exactly one lifetime: investment, a replacement at the end whose value is left, upkeep
    years = int(wadi.lifetime.years)
    assert cost.present_value["mean"] == pytest.approx(invest + invest - invest + upkeep * years)
    discounted = feature_cost(placement, 0.0, Appraisal(start_year=2025, horizon_year=2025 + years, rate=0.0225))
    assert discounted.present_value["mean"] < cost.present_value["mean"]  # upkeep discounted
    assert discounted.present_value["mean"] > invest  # but never below the first investment
    assert discounted.present_value["low"] <= discounted.present_value["mean"] <= discounted.present_value["high"]


def test_avoided_present_value_follows_the_damage_path():
    flat = avoided_present_value(100.0, 100.0, None, Appraisal(start_year=2025, horizon_year=2034, rate=0.0))
    assert flat == pytest.approx(1000.0)
    rising = avoided_present_value(100.0, 200.0, 2034, Appraisal(start_year=2025, horizon_year=2034, rate=0.0))
    assert rising == pytest.approx(1500.0)
    assert avoided_present_value(-10.0, -10.0, None, Appraisal(rate=0.0)) < 0
