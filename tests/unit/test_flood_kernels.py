"""Flood-safety kernels on tiny grids with answers computed by hand: breach inundation (with and without a
volume limit), depth and severity classes, dry storeys and nearest refuges."""

from __future__ import annotations

import numpy as np
import pytest

from alliantie.hazards import flood as hz
from alliantie.raster.distance import distance_from_cells

LIWO = (0.2, 0.5, 0.8, 2.0, 5.0)


def _basin(rows: int = 10, cols: int = 20, ground: float = 0.0, rim: float = 5.0) -> np.ndarray:
    """A flat rectangular basin (rows x cols cells at ``ground``) inside a one-cell rim at ``rim``."""
    dem = np.full((rows + 2, cols + 2), rim)
    dem[1:-1, 1:-1] = ground
    return dem


def test_breach_cell_above_the_level_floods_nothing() -> None:
    dem = _basin()
    dem[5, 5] = 2.5  # the breach cell is higher than the river
    r = hz.breach_inundation(dem, (5, 5), 2.0, cell_area=1.0)
    assert not r.flooded.any() and np.all(r.depth == 0) and r.volume_m3 == 0
    # ground exactly at the level: no water either
    dem[5, 5] = 2.0
    assert not hz.breach_inundation(dem, (5, 5), 2.0, cell_area=1.0).flooded.any()
    # outside the grid
    assert not hz.breach_inundation(dem, (50, 5), 2.0, cell_area=1.0).flooded.any()


def test_unlimited_breach_fills_the_connected_basin_to_the_river_level() -> None:
    dem = _basin(ground=-1.0)
    r = hz.breach_inundation(dem, (3, 4), 2.0, cell_area=25.0)
    assert r.flooded.sum() == 200
    assert np.allclose(r.depth[1:-1, 1:-1], 3.0) and np.all(r.depth[0, :] == 0)
    assert r.capacity_m3 == pytest.approx(200 * 3.0 * 25.0) and r.volume_m3 == pytest.approx(r.capacity_m3)
    assert r.level_m == 2.0 and not r.limited
    assert r.depth.dtype == np.float32


def test_a_ridge_above_the_level_stops_the_water_and_a_lower_one_does_not() -> None:
    dem = _basin(ground=0.0)
    dem[:, 11] = 3.0  # a ridge across the basin at column 11
    r = hz.breach_inundation(dem, (5, 3), 2.0, cell_area=1.0)
    assert r.flooded[1:-1, 1:11].all() and not r.flooded[:, 12:].any()
    dem[:, 11] = 1.5  # lower than the river: the water crosses it
    r = hz.breach_inundation(dem, (5, 3), 2.0, cell_area=1.0)
    assert r.flooded[1:-1, 12:-1].all()
    assert r.depth[5, 11] == pytest.approx(0.5)


def test_cells_touching_only_at_a_corner_are_connected() -> None:
    dem = np.full((5, 5), 9.0)
    dem[1, 1] = 0.0
    dem[2, 2] = 0.0  # diagonal neighbour
    dem[3, 1] = 0.0  # two rows away from (1, 1), diagonal to (2, 2)
    r = hz.breach_inundation(dem, (1, 1), 1.0, cell_area=1.0)
    assert r.flooded.sum() == 3


def test_volume_limit_on_a_flat_rectangular_basin_gives_volume_over_area() -> None:
    dem = _basin(ground=0.0)  # 200 cells of 4 m2
    r = hz.breach_inundation(dem, (5, 5), 2.0, cell_area=4.0, volume_m3=400.0)
    # 400 m3 over 800 m2 = 0.5 m everywhere
    assert r.limited and r.flooded.sum() == 200
    assert np.allclose(r.depth[1:-1, 1:-1], 0.5, atol=1e-6)
    assert r.level_m == pytest.approx(0.5) and r.volume_m3 == pytest.approx(400.0)
    # more than the basin holds at the river level: the river level wins
    r = hz.breach_inundation(dem, (5, 5), 2.0, cell_area=4.0, volume_m3=1e6)
    assert not r.limited and np.allclose(r.depth[1:-1, 1:-1], 2.0)
    # nothing flows in
    assert not hz.breach_inundation(dem, (5, 5), 2.0, cell_area=4.0, volume_m3=0.0).flooded.any()


def test_volume_limit_on_a_slope_solves_the_level() -> None:
    # 10 rows x 20 columns, ground rising 0 .. 1 m over the columns (i / 19 m in column i)
    dem = _basin()
    dem[1:-1, 1:-1] = np.linspace(0.0, 1.0, 20)[None, :]
    r = hz.breach_inundation(dem, (5, 20), 2.0, cell_area=1.0, volume_m3=50.0)
    # by hand: with 14 columns wet, 10 x (14 L - (0 + 1 + ... + 13) / 19) = 50 -> L = (5 + 91 / 19) / 14
    level = (5.0 + 91.0 / 19.0) / 14.0
    assert r.level_m == pytest.approx(level, abs=1e-6)
    assert r.flooded.sum() == 140
    assert r.volume_m3 == pytest.approx(50.0, rel=1e-6)


def test_volume_runs_downhill_from_the_breach_and_spills_into_the_next_basin() -> None:
    # two flat basins of 5 x 5 cells at -1 m (left) and -2 m (right), a sill at 0 m between them;
    # the breach is on the sill side of the left basin
    dem = np.full((7, 13), 5.0)
    dem[1:6, 1:6] = -1.0
    dem[1:6, 6] = 0.0
    dem[1:6, 7:12] = -2.0
    # 10 m3 on 25 m2: 0.4 m in the left basin only
    r = hz.breach_inundation(dem, (3, 2), 3.0, cell_area=1.0, volume_m3=10.0)
    assert np.allclose(r.depth[1:6, 1:6], 0.4, atol=1e-6) and not r.flooded[:, 6:].any()
    # 75 m3: 25 m3 fill the left basin to the sill, 50 m3 raise the right one by 2 m (to the sill as well)
    r = hz.breach_inundation(dem, (3, 2), 3.0, cell_area=1.0, volume_m3=75.0)
    assert np.allclose(r.depth[1:6, 1:6], 1.0, atol=1e-6)
    assert np.allclose(r.depth[1:6, 7:12], 2.0, atol=1e-6)
    # 75 + 55 m3: both full to the sill, then 55 cells (left, sill, right) rise together by 1 m
    r = hz.breach_inundation(dem, (3, 2), 3.0, cell_area=1.0, volume_m3=130.0)
    assert r.level_m == pytest.approx(1.0, abs=1e-6)
    assert r.depth[3, 6] == pytest.approx(1.0, abs=1e-6) and r.depth[3, 9] == pytest.approx(3.0, abs=1e-6)


def test_nodata_never_floods_and_stays_no_data() -> None:
    dem = _basin(ground=0.0)
    dem[4:7, 4:7] = -9999.0
    r = hz.breach_inundation(dem, (2, 2), 1.0, cell_area=1.0, nodata=-9999.0)
    assert np.isnan(r.depth[4:7, 4:7]).all() and not r.flooded[4:7, 4:7].any()
    assert r.flooded.sum() == 200 - 9
    nan_dem = _basin(ground=0.0)
    nan_dem[:, 8] = np.nan  # a column of no data cuts the basin
    r = hz.breach_inundation(nan_dem, (5, 2), 1.0, cell_area=1.0)
    assert r.flooded[1:-1, 1:8].all() and not r.flooded[:, 9:].any()


def test_blocked_cells_are_not_entered_and_entry_moves_off_the_dike() -> None:
    # river (cols 0-1, -1 m), dike (cols 2-3, 4 m), polder (cols 4-9, -1 m)
    dem = np.full((6, 10), -1.0)
    dem[:, 2:4] = 4.0
    ground = hz.valid_ground(dem)
    river = np.zeros(dem.shape, dtype=bool)
    river[:, 0:2] = True
    # the breach point drawn on the dike crest moves to the nearest land-side cell below the level
    assert hz.entry_cell(ground, (3, 2), 2.0, 5.0, river) == (3, 4)
    assert hz.entry_cell(ground, (3, 2), 2.0, 1.0, river) is None  # too far
    assert hz.entry_cell(ground, (3, 2), 2.0, 5.0, None) == (3, 1)  # without river cells: the nearest side
    r = hz.breach_inundation(dem, (3, 4), 2.0, cell_area=1.0, blocked=river)
    assert r.flooded[:, 4:].all() and not r.flooded[:, :4].any()


def test_liwo_depth_classes_and_severity() -> None:
    depth = np.array([0.0, 0.1, 0.2, 0.5, 0.79, 0.8, 1.99, 2.0, 4.9, 5.0, 7.0, np.nan, -0.3])
    assert hz.depth_classes(depth, LIWO).tolist() == [0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 0, 0]
    assert hz.severity_classes(depth, 0.5, 2.0).tolist() == [0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 0, 0]


def test_storeys_and_dry_floors() -> None:
    assert hz.storeys(np.array([2.0, 2.65, 6.0, 9.0, np.nan]), 2.65).tolist() == [1, 1, 2, 3, 1]
    level = np.array([-0.5, 1.0, 3.0, np.nan, 4.0])
    floor = np.zeros(5)
    height = np.array([6.0, 6.0, 6.0, 6.0, 12.0])
    # 6 m: 2 storeys, top floor at 2.65 m; 12 m: 4 storeys, top floor at 7.95 m
    assert hz.building_classes(level, floor, height, 2.65).tolist() == [
        hz.DRY, hz.UPPER_FLOOR_DRY, hz.NO_DRY_FLOOR, hz.DRY, hz.UPPER_FLOOR_DRY]


def test_nearest_refuge_is_a_dry_building_or_dry_ground() -> None:
    classes = np.array([hz.NO_DRY_FLOOR, hz.UPPER_FLOOR_DRY, hz.NO_DRY_FLOOR, hz.DRY, hz.NO_DRY_FLOOR],
                       dtype=np.uint8)
    x = np.array([0.0, 30.0, 100.0, 400.0, 1000.0])
    y = np.array([0.0, 40.0, 0.0, 0.0, 0.0])
    ground = np.array([80.0, 0.0, 20.0, 0.0, np.inf])
    r = hz.nearest_refuges(classes, x, y, ground)
    assert r.kind.tolist() == [hz.REFUGE_BUILDING, hz.REFUGE_OWN_BUILDING, hz.REFUGE_GROUND, hz.REFUGE_NONE,
                               hz.REFUGE_BUILDING]
    assert r.distance_m[0] == pytest.approx(50.0) and r.building[0] == 1   # 3-4-5 triangle
    assert r.distance_m[1] == 0.0 and r.distance_m[2] == pytest.approx(20.0) and r.building[2] == -1
    assert np.isnan(r.distance_m[3])
    assert r.distance_m[4] == pytest.approx(600.0) and r.building[4] == 3


def test_small_dry_patches_are_no_refuge() -> None:
    flooded = np.ones((10, 10), dtype=bool)
    flooded[1:3, 1:3] = False      # 4 dry cells
    flooded[:, 7:] = False         # 30 dry cells
    valid = np.ones_like(flooded)
    ground = hz.dry_refuge_ground(flooded, valid, 5)
    assert not ground[1:3, 1:3].any() and ground[:, 7:].all()
    d = distance_from_cells(ground, np.array([0, 0, 5, 1, 20]), np.array([0, 7, 3, 9, 0]), 10.0)
    assert d[0] == pytest.approx(70.0) and d[1] == 0.0 and d[2] == pytest.approx(40.0) and d[3] == 0.0
    assert np.isinf(d[4])  # outside the grid
    assert np.isinf(distance_from_cells(np.zeros((2, 2), dtype=bool), np.array([0]), np.array([0]), 1.0)).all()


def test_per_building_extremes() -> None:
    ids = np.array([[1, 1, 0], [2, 0, 0]])
    values = np.array([[1.0, 3.0, 9.0], [np.nan, 5.0, 5.0]])
    mx = hz.per_building_max(ids, 3, values)
    mn = hz.per_building_min(ids, 3, values)
    assert mx[0] == 3.0 and np.isnan(mx[1]) and np.isnan(mx[2])
    assert mn[0] == 1.0 and np.isnan(mn[1])


def test_outside_water_is_the_river_and_the_low_ground_it_reaches() -> None:
    # river (col 0), floodplain (cols 1-2, 1 m), dike (col 3, 4 m), polder (cols 4-5, -1 m)
    ground = np.array([[-1.0, 1.0, 1.0, 4.0, -1.0, -1.0]] * 3)
    river = np.zeros(ground.shape, dtype=bool)
    river[:, 0] = True
    out = hz.outside_water(ground, river, 2.0)
    assert out is not None and out[:, :3].all() and not out[:, 3:].any()
    over = hz.outside_water(ground, river, 4.5)  # above the dike crest: the polder is reached too
    assert over is not None and over.all()
    assert hz.outside_water(ground, None, 2.0) is None


def test_standing_water_and_a_given_depth_map() -> None:
    ground = np.array([[0.0, 1.0, 3.0, np.nan]])
    wet = np.array([[True, True, False, True]])
    depth = hz.standing_water(ground, wet, 2.0)
    assert depth.dtype == np.float32 and depth[0, :3].tolist() == [2.0, 1.0, 0.0] and np.isnan(depth[0, 3])
    given = hz.given_depth(np.array([[0.5, np.nan, -0.2, 1.0]]), ground)
    assert given.dtype == np.float32 and given[0, :3].tolist() == [0.5, 0.0, 0.0] and np.isnan(given[0, 3])


def test_flooded_buildings_keep_a_dry_storey_or_get_a_refuge() -> None:
    # 1 x 8 cells of 10 m: water 3 m deep over ground -1 m in cols 0-4, dry ground at 3 m in cols 5-7
    ground = np.array([[-1.0] * 5 + [3.0] * 3])
    depth = np.where(ground < 2.0, 2.0 - ground, 0.0).astype(np.float32)
    ids = np.array([[1, 1, 0, 2, 0, 0, 0, 3]])
    floor = np.array([-0.8, -0.8, 3.2])
    height = np.array([6.0, 9.0, 6.0])  # 2.65 m storeys: top floors at 1.85, 4.5 and 5.85 m
    x = np.array([10.0, 35.0, 75.0])
    y = np.zeros(3)
    rows = np.zeros(3, dtype=np.int64)
    cols = np.array([0, 3, 7])
    b = hz.flooded_buildings(depth, ground, ids, floor, height, 2.65, x, y, rows, cols, 10.0, 2)
    assert b.level_m[:2].tolist() == [2.0, 2.0] and np.isnan(b.level_m[2])
    assert b.depth_m[:2].tolist() == [3.0, 3.0] and np.isnan(b.depth_m[2])
    assert b.classes.tolist() == [hz.NO_DRY_FLOOR, hz.UPPER_FLOOR_DRY, hz.DRY]
    # building 1: building 2 at 25 m is nearer than dry ground (5 cells, 50 m)
    assert b.refuges.kind.tolist() == [hz.REFUGE_BUILDING, hz.REFUGE_OWN_BUILDING, hz.REFUGE_NONE]
    assert b.refuges.distance_m[0] == pytest.approx(25.0) and b.refuges.building[0] == 1
