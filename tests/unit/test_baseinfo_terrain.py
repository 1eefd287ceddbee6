"""Terrain kernels: NaN-aware focal mean, relief of known surfaces, hillshade direction."""

from __future__ import annotations

import numpy as np

from alliantie.method.baseinfo import terrain


def test_window_cells() -> None:
    assert terrain.window_cells(250, 5) == 101
    assert terrain.window_cells(1, 5) == 1


def test_relief_of_a_plane_is_zero_inside() -> None:
    rows, cols = np.mgrid[0:80, 0:80]
    plane = (0.1 * cols + 0.05 * rows).astype(np.float32)
    rel = terrain.relief(plane, 50.0, 5.0)  # 21 x 21 window
    inner = rel[15:-15, 15:-15]
    assert np.allclose(inner, 0.0, atol=1e-4)


def test_relief_of_a_block() -> None:
    z = np.zeros((41, 41), np.float32)
    z[20, 20] = 9.0
    rel = terrain.relief(z, 5.0, 5.0)  # 3 x 3 window: mean at the centre is 1
    assert np.isclose(rel[20, 20], 8.0)
    assert np.isclose(rel[20, 21], -1.0)
    assert np.isclose(rel[0, 0], 0.0)


def test_focal_mean_ignores_nan() -> None:
    z = np.full((5, 5), 2.0, np.float32)
    z[2, 2] = np.nan
    z[0, :] = 100.0
    z[0, :] = np.nan
    mean = terrain.focal_mean(z, 5.0, 5.0)
    assert np.isclose(mean[2, 2], 2.0)
    assert np.isclose(mean[1, 1], 2.0)
    rel = terrain.relief(z, 5.0, 5.0)
    assert np.isnan(rel[2, 2])
    assert np.isnan(terrain.focal_mean(np.full((3, 3), np.nan, np.float32), 5.0, 5.0)).all()


def test_rise_is_height_of_higher_ground_nearby() -> None:
    z = np.zeros((1, 30), np.float32)
    z[0, 25:] = 6.0
    rise = terrain.rise(z, 50.0, 5.0)  # 10 cells
    assert rise[0, 20] == 6.0
    assert rise[0, 10] == 0.0
    assert rise[0, 27] == 0.0


def test_hillshade_lit_from_the_north_west() -> None:
    rows, cols = np.mgrid[0:30, 0:30]
    rises_to_south_east = (rows + cols).astype(np.float32)  # faces north-west
    lit = terrain.hillshade(rises_to_south_east, 1.0)
    dark = terrain.hillshade(-rises_to_south_east, 1.0)
    flat = terrain.hillshade(np.zeros((30, 30), np.float32), 1.0)
    assert lit[15, 15] > flat[15, 15] > dark[15, 15]
    with_gap = rises_to_south_east.copy()
    with_gap[0, 0] = np.nan
    assert terrain.hillshade(with_gap, 1.0)[0, 0] == 0


def test_height_above_low() -> None:
    z = np.array([[0.0, 2.0, 5.0, 9.0]], np.float32)
    assert terrain.height_above_low(z, 10.0, 5.0).tolist() == [[0.0, 2.0, 5.0, 7.0]]  # window of 5 cells
