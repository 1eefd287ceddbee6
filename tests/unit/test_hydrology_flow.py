"""D8 flow directions (flats resolved) and flow accumulation."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from alliantie.hydrology import fill_depressions, flow_accumulation, flow_directions

E, SE, S, SW, W, NW, N, NE = 1, 2, 4, 8, 16, 32, 64, 128
STEP = {E: (0, 1), SE: (1, 1), S: (1, 0), SW: (1, -1), W: (0, -1), NW: (-1, -1), N: (-1, 0), NE: (-1, 1)}


def outlet_of(codes: np.ndarray, r: int, c: int) -> tuple[int, int]:
    """Follow the directions from (r, c) to the first cell off the grid or on nodata; fail on a loop."""
    seen = set()
    while 0 <= r < codes.shape[0] and 0 <= c < codes.shape[1] and codes[r, c] != 255:
        assert (r, c) not in seen, "cycle"
        seen.add((r, c))
        code = int(codes[r, c])
        assert code in STEP, f"cell {(r, c)} has code {code}"
        dr, dc = STEP[code]
        r, c = r + dr, c + dc
    return r, c


def test_cone_drains_to_its_pit_and_pit_has_no_outflow():
    y, x = np.mgrid[-5:6, -5:6]
    dem = np.hypot(x, y)
    codes = flow_directions(dem)
    assert codes.dtype == np.uint8
    assert codes[5, 5] == 0  # the pit
    assert codes[5, 6] == W and codes[4, 5] == S and codes[6, 6] == NW and codes[4, 4] == SE
    acc = flow_accumulation(codes)
    assert acc[5, 5] == dem.size  # every cell drains to the pit, edge cells too (they have lower neighbours)
    assert codes[0, 5] == S


def test_edge_cells_without_lower_neighbour_point_off_grid():
    dem = np.ones((4, 5), np.float32)  # a flat: every cell drains to an edge
    codes = flow_directions(dem)
    assert codes[0, 2] == N and codes[3, 2] == S and codes[1, 0] == W and codes[2, 4] == E
    assert codes[0, 0] == W  # corners: first off-grid direction in the order E, S, W, N
    for r in range(4):
        for c in range(5):
            rr, cc = outlet_of(codes, r, c)
            assert not (0 <= rr < 4 and 0 <= cc < 5)


def test_plateau_with_one_outlet_drains_entirely_through_it():
    dem = np.full((9, 9), 10.0)
    dem[1:-1, 1:-1] = 5.0  # a walled plateau
    dem[4, 8] = 4.0  # its only outlet, on the east edge
    codes = flow_directions(dem)
    for r in range(1, 8):
        for c in range(1, 8):
            assert outlet_of(codes, r, c) == (4, 9)
    acc = flow_accumulation(codes)
    assert acc[4, 8] == 81  # the plateau and its walls (edge cells with a lower neighbour drain inwards)


def test_flat_gradient_prefers_lower_terrain_and_avoids_higher():
    # a flat strip between a high wall (north) and an outlet (south-east corner)
    dem = np.array(
        [
            [9, 9, 9, 9, 9, 9],
            [9, 3, 3, 3, 3, 9],
            [9, 3, 3, 3, 3, 9],
            [9, 9, 9, 9, 3, 2],
        ],
        dtype=np.float64,
    )
    codes = flow_directions(dem)
    assert codes[2, 4] == S or codes[2, 4] == SE
    for r, c in [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3)]:
        assert outlet_of(codes, r, c) == (3, 6)
    # no flat cell flows towards the higher wall
    assert codes[1, 1] not in (N, NW, W, NE, SW)


def test_nodata_is_an_outlet_and_coded_255():
    dem = np.full((5, 5), 2.0)
    dem[2, 2] = np.nan
    codes = flow_directions(dem)
    assert codes[2, 2] == 255
    assert codes[1, 2] == S and codes[2, 1] == E and codes[1, 1] == SE
    acc = flow_accumulation(codes)
    assert np.isnan(acc[2, 2])
    assert np.nansum(acc[[1, 1, 1, 2, 2, 3, 3, 3], [1, 2, 3, 1, 3, 1, 2, 3]]) >= 8


def test_undrained_flat_keeps_code_zero():
    dem = np.full((5, 5), 9.0)
    dem[1:4, 1:4] = 1.0  # a closed flat-bottomed pit (not filled)
    codes = flow_directions(dem)
    assert np.all(codes[1:4, 1:4] == 0)


def test_diagonal_drop_is_distance_weighted():
    dem = np.array([[5, 5, 5], [5, 5, 3.8], [5, 5, 3.0]])
    # E drop 1.2 (slope 1.2) beats SE drop 2.0 (slope 2/sqrt2 = 1.41)? no: SE wins
    assert flow_directions(dem)[1, 1] == SE
    dem[1, 2] = 3.5  # E slope 1.5 > 1.41
    assert flow_directions(dem)[1, 1] == E


def test_accumulation_of_uniform_slope_is_row_index_plus_one():
    y, _ = np.mgrid[0:6, 0:4]
    dem = (10.0 - y).astype(np.float32)  # drops to the south
    codes = flow_directions(dem)
    assert np.all(codes[:, :-1] == S) and np.all(codes[:-1, -1] == S)
    assert codes[-1, -1] == E  # a corner without a lower neighbour: first off-grid of E, S, W, N
    acc = flow_accumulation(codes)
    np.testing.assert_array_equal(acc, y + 1.0)
    weights = np.full(dem.shape, 0.5)
    np.testing.assert_array_equal(flow_accumulation(codes, weights), (y + 1.0) * 0.5)


def test_accumulation_rejects_bad_codes_and_cycles():
    with pytest.raises(ValueError):
        flow_accumulation(np.array([[3]], np.uint8))
    with pytest.raises(ValueError):
        flow_accumulation(np.array([[E, W]], np.uint8))
    with pytest.raises(ValueError):
        flow_accumulation(np.array([[E]], np.uint8), weights=np.ones((2, 2)))


@pytest.mark.parametrize("seed", range(8))
def test_filled_random_dem_drains_everywhere(seed):
    rng = np.random.default_rng(seed)
    dem = np.round(rng.random((23, 31)) * 4).astype(np.float32)  # many flats
    if seed % 2:
        dem[rng.random(dem.shape) < 0.07] = np.nan
    codes = flow_directions(fill_depressions(dem))
    valid = ~np.isnan(dem)
    assert np.all((codes == 255) == ~valid)
    assert np.all(codes[valid] != 0)
    acc = flow_accumulation(codes)
    out = 0.0
    for r, c in zip(*np.nonzero(valid), strict=True):
        dr, dc = STEP[int(codes[r, c])]
        rr, cc = r + dr, c + dc
        if not (0 <= rr < dem.shape[0] and 0 <= cc < dem.shape[1]) or not valid[rr, cc]:
            out += acc[r, c]
    assert out == valid.sum()


def test_dataarrays_keep_coords_and_attrs():
    dem = xr.DataArray(
        np.add.outer(np.arange(5.0), np.arange(4.0)),
        dims=("y", "x"),
        coords={"y": [4.5, 3.5, 2.5, 1.5, 0.5], "x": [0.5, 1.5, 2.5, 3.5]},
        attrs={"crs": "EPSG:28992", "_FillValue": -9999.0},
    )
    codes = flow_directions(dem)
    assert isinstance(codes, xr.DataArray) and codes.dtype == np.uint8
    assert codes.attrs["crs"] == "EPSG:28992" and codes.attrs["_FillValue"] == 255
    np.testing.assert_array_equal(codes["y"], dem["y"])
    acc = flow_accumulation(codes)
    assert isinstance(acc, xr.DataArray) and acc.dtype == np.float64
    assert "_FillValue" not in acc.attrs and acc.attrs["crs"] == "EPSG:28992"
    assert float(acc.max()) == 20.0  # all cells drain to the north-west corner
