"""Post-processing of hydrology results into bluespots, buildings, roads and neighbourhood counts."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, box

from alliantie.grid import Grid
from alliantie.hazards import bluespots as bs


def _grid(width=10, height=8, res=1.0):
    return Grid.from_bounds((0.0, 0.0, width * res, height * res), res, crs="EPSG:28992")


def _bowl_table(capacity, catchment_cells, max_depth):
    """A hierarchy table with one leaf (id 1) and one shallow leaf (id 2) under a root (id 3)."""
    return {
        "id": np.array([1, 2, 3]),
        "parent": np.array([3, 3, 0]),
        "is_leaf": np.array([True, True, False]),
        "pit_elevation": np.array([0.0, 0.99, 0.0]),
        "spill_elevation": np.array([1.0, 1.0, 2.0]),
        "capacity_m3": np.array([capacity, 0.01, capacity + 50.0]),
        "flooded_cells": np.array([9, 1, 20]),
        "catchment_cells": np.array([catchment_cells, 4, catchment_cells + 4]),
        "max_depth_m": np.array([max_depth, 0.01, 2.0]),
        "outlet": np.array([0, 0, 0]),
    }


def test_rain_needed_to_fill_is_capacity_over_catchment():
    bluespot = np.zeros((8, 10), dtype=np.int32)
    bluespot[2:5, 2:5] = 1  # 9 cells of 4 m2
    bluespot[6, 8] = 2
    spots = bs.bluespot_table(_bowl_table(36.0, 60, 0.8), bluespot, cell_area=4.0, min_depth_m=0.02)
    assert spots.id.tolist() == [1]  # leaf 2 too shallow, 3 not a leaf
    assert spots.capacity_m3[0] == 36.0
    assert spots.catchment_ha[0] == pytest.approx(60 * 4.0 / 1e4)
    assert spots.area_m2[0] == 36.0
    assert spots.rain_to_fill_mm[0] == pytest.approx(36.0 / (60 * 4.0) * 1000.0)  # 150 mm
    assert spots.max_depth_m[0] == 0.8
    small = bs.bluespot_table(_bowl_table(36.0, 60, 0.8), bluespot, 4.0, min_area_m2=40.0)
    assert len(small) == 0


def test_bluespot_polygons_and_stored_volume():
    grid = _grid()
    bluespot = np.zeros(grid.shape, dtype=np.int32)
    bluespot[2:5, 2:5] = 1
    spots = bs.bluespot_table(_bowl_table(9.0, 40, 0.5), bluespot, grid.cell_area)
    frame = bs.bluespot_polygons(bluespot, spots, grid)
    assert len(frame) == 1 and frame.crs.to_epsg() == 28992
    assert frame.geometry.iloc[0].area == pytest.approx(9.0)
    assert frame["rain_to_fill_mm"].iloc[0] == pytest.approx(9.0 / 40 * 1000)
    depth = np.full(grid.shape, np.nan, dtype=np.float32)
    depth[2:5, 2:5] = 0.25
    depth[0, 0] = 1.0  # outside any bluespot
    assert bs.stored_per_bluespot(bluespot, depth, spots.id, grid.cell_area).tolist() == [pytest.approx(2.25)]
    empty = bs.bluespot_polygons(bluespot, bs.bluespot_table(_bowl_table(9.0, 40, 0.001), bluespot, 1.0), grid)
    assert len(empty) == 0


def test_shown_depth_hides_small_depths_nodata_and_masked_cells():
    depth = np.array([[0.0, 0.01, 0.02, 0.5, np.nan]], dtype=np.float32)
    hide = np.array([[False, False, False, True, False]])
    out = bs.shown_depth(depth, 0.02)
    assert np.isnan(out[0, [0, 1, 4]]).all() and out[0, 2] == pytest.approx(0.02) and out[0, 3] == 0.5
    assert np.isnan(bs.shown_depth(depth, 0.02, hide=hide)[0, 3])


def test_buildings_rasterised_raised_and_tiny_ones_kept():
    grid = _grid()
    buildings = gpd.GeoDataFrame(
        {"floor_level_m": [1.3, np.nan]},
        geometry=[box(2, 2, 5, 4), box(7.1, 6.1, 7.4, 6.4)],  # the second covers no cell centre
        crs=grid.crs,
    )
    ids = bs.building_ids(buildings, grid)
    assert (ids == 1).sum() == 6 and (ids == 2).sum() == 1
    dem = np.ones(grid.shape, dtype=np.float32)
    dem[0, 0] = np.nan
    raised = bs.raise_buildings(dem, ids, 10.0)
    assert raised[ids > 0].tolist() == [11.0] * 7 and np.isnan(raised[0, 0]) and raised[1, 1] == 1.0
    assert bs.building_ids(None, grid).sum() == 0


def test_facade_and_floor_level_classification():
    grid = _grid()
    buildings = gpd.GeoDataFrame(
        {"floor_level_m": [1.3, 1.1, 1.3]},
        geometry=[box(1, 1, 3, 3), box(6, 1, 8, 3), box(1, 5, 3, 7)],
        crs=grid.crs,
    )
    ids = bs.building_ids(buildings, grid)
    ground = np.ones(grid.shape, dtype=np.float32)
    depth = np.full(grid.shape, np.nan, dtype=np.float32)
    # building 1: 0.05 m against the facade, level 1.05 < floor 1.3 -> facade only
    depth[7 - 2, 3] = 0.05  # row of y in (5, 6) is row 2; put water in a cell touching building 1
    depth[:, :] = np.nan
    rows, cols = np.nonzero(ids == 1)
    depth[rows.min() - 1, cols.min()] = 0.05
    # building 2: 0.2 m at the facade, level 1.2 > floor 1.1 -> above floor
    rows2, cols2 = np.nonzero(ids == 2)
    depth[rows2.max() + 1, cols2.max() + 1] = 0.2  # diagonal neighbour counts
    # building 3: only 0.01 m -> dry
    rows3, cols3 = np.nonzero(ids == 3)
    depth[rows3.min(), cols3.max() + 1] = 0.01
    level = ground + np.where(depth > 0, depth, np.nan)
    f_depth, f_level = bs.facade_water(ids, 3, depth, level)
    classes = bs.building_classes(f_depth[1:], f_level[1:], buildings["floor_level_m"].to_numpy(), 0.02)
    assert classes.tolist() == [bs.FACADE, bs.ABOVE_FLOOR, bs.DRY]
    assert f_depth[1] == pytest.approx(0.05) and f_level[2] == pytest.approx(1.2)


def test_floor_level_defaults_to_ground_plus_height():
    grid = _grid()
    buildings = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(2, 2, 5, 4)], crs=grid.crs)
    ids = bs.building_ids(buildings, grid)
    dem = np.full(grid.shape, 3.0, dtype=np.float32)
    dem[0, :] = 2.5
    levels = bs.floor_levels(buildings, dem, ids, 0.15)
    assert levels[0] == pytest.approx(3.15)


def test_road_pieces_and_depth_classes():
    grid = _grid(width=20, height=4)
    roads = gpd.GeoDataFrame({"kind": ["local"], "name": ["Dorpsstraat"]},
                             geometry=[LineString([(0.5, 2.5), (19.5, 2.5)])], crs=grid.crs)
    pieces = bs.road_pieces(roads, 1.0)
    assert pieces.geometry.length.sum() == pytest.approx(19.0)
    assert (pieces.geometry.length <= 1.0 + 1e-9).all() and set(pieces["name"]) == {"Dorpsstraat"}
    depth = np.full(grid.shape, np.nan, dtype=np.float32)
    depth[1, 5:10] = 0.15  # row 1 = y in (2, 3)
    depth[1, 12:14] = 0.4
    d = bs.sample_max(depth, pieces, grid)
    classes = bs.road_classes(d, (0.1, 0.3))
    length = pieces.geometry.length.to_numpy()
    assert length[classes == bs.NO_TRAFFIC].sum() == pytest.approx(3.0)  # pieces touching x in [12, 14]
    assert length[classes >= bs.NO_CARS].sum() == pytest.approx(9.0)  # 6 pieces touching x in [5, 10] + 3
    assert bs.road_pieces(roads.iloc[:0], 1.0).empty


def test_counts_by_zone():
    zones = np.array([[1, 1, 2], [0, 2, 2]], dtype=np.int32)
    grid = Grid.from_bounds((0.0, 0.0, 3.0, 2.0), 1.0, crs="EPSG:28992")
    z = bs.zone_of_points(zones, np.array([0.5, 2.5, 0.5, 10.0]), np.array([1.5, 0.5, 0.5, 0.5]), grid)
    assert z.tolist() == [1, 2, 0, 0]
    assert bs.count_by_zone(z, 2).tolist() == [2, 1, 1]
    assert bs.count_by_zone(z, 2, np.array([1.0, 2.0, 3.0, 4.0])).tolist() == [7.0, 1.0, 2.0]


def test_flow_path_classes():
    acc = np.array([[1, 400, 4000, 40000, np.nan]])
    out = bs.flow_path_classes(acc, cell_area=25.0, min_area_ha=1.0)  # 400 cells = 1 ha
    assert out.tolist() == [[0, 1, 2, 3, 0]]


def test_flow_path_lines_follow_d8_and_merge_per_class():
    grid = _grid(width=4, height=3)
    directions = np.full(grid.shape, 1, dtype=np.uint8)  # all east
    directions[1, 3] = 0  # a pit ends the path
    classes = np.zeros(grid.shape, dtype=np.uint8)
    classes[1, :] = 1
    lines = bs.flow_path_lines(directions, classes, grid)
    assert lines["class"].tolist() == [1]
    assert lines.geometry.iloc[0].length == pytest.approx(3.0)  # centre of column 0 to centre of column 3
    assert lines.crs.to_epsg() == 28992
    assert bs.flow_path_lines(directions, np.zeros_like(classes), grid).empty
