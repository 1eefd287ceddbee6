"""Depression filling: analytic cases, nodata, dtypes, xarray, and equality with TopoToolbox and RichDEM."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from alliantie.hydrology import _fill, fill_depressions
from alliantie.hydrology.api import _pad


def random_dem(seed: int, shape: tuple[int, int] = (40, 37), dtype: type = np.float32, nodata_fraction: float = 0.0):
    rng = np.random.default_rng(seed)
    dem = np.round(rng.random(shape) * 10, 1).astype(dtype)
    if nodata_fraction:
        dem[rng.random(shape) < nodata_fraction] = np.nan
    return dem


def priority_flood(dem: np.ndarray) -> np.ndarray:
    """Reference: the priority-flood kernel (Zhou et al. 2016) on the same DEM."""
    mask = np.isnan(dem)
    z, flag = _pad(dem, mask, dem.dtype)
    _fill.fill_priority_flood_padded(z.reshape(-1), flag.reshape(-1), dem.shape[0], dem.shape[1])
    out = z[1:-1, 1:-1].copy()
    out[mask] = dem[mask]
    return out


def test_single_pit_is_raised_to_its_spill_level():
    dem = np.array(
        [
            [5, 5, 5, 5, 5],
            [5, 4, 4, 4, 5],
            [5, 4, 1, 4, 3],
            [5, 4, 4, 4, 5],
            [5, 5, 5, 5, 5],
        ],
        dtype=np.float64,
    )
    filled = fill_depressions(dem)
    expected = dem.copy()
    expected[1:4, 1:4] = 4.0  # spill over the 4-rim into the 3 on the east edge
    np.testing.assert_array_equal(filled, expected)
    assert filled.dtype == np.float64


def test_cone_pit_and_bowl_depth():
    # an inverted cone (a bowl) inside a rim at 10: everything fills to 10
    y, x = np.mgrid[-6:7, -6:7]
    dem = np.hypot(x, y).astype(np.float32)
    dem[0, :] = dem[-1, :] = dem[:, 0] = dem[:, -1] = 10.0
    filled = fill_depressions(dem)
    assert np.all(filled[1:-1, 1:-1] == np.maximum(dem[1:-1, 1:-1], 10.0))


def test_a_draining_surface_is_unchanged():
    y, x = np.mgrid[0:20, 0:30]
    dem = (x + 2.0 * y).astype(np.float32)  # a plane dropping to the north-west corner
    np.testing.assert_array_equal(fill_depressions(dem), dem)


def test_nodata_island_is_an_outlet_and_stays_nodata():
    dem = np.full((7, 7), 5.0)
    dem[3, 3] = np.nan  # open water in the middle of a closed basin
    dem[2:5, 2:5][dem[2:5, 2:5] == 5.0] = 1.0
    filled = fill_depressions(dem)
    assert np.isnan(filled[3, 3])
    np.testing.assert_array_equal(filled[~np.isnan(dem)], dem[~np.isnan(dem)])


def test_explicit_nodata_value_and_integer_dem():
    dem = np.array([[9, 9, 9, 9], [9, 1, 2, 9], [9, 2, -9999, 9], [9, 9, 9, 9]], dtype=np.int32)
    filled = fill_depressions(dem, nodata=-9999)
    assert filled.dtype == np.int32
    np.testing.assert_array_equal(filled, dem)  # the pit drains into the nodata cell
    closed = dem.copy()
    closed[2, 2] = 3
    np.testing.assert_array_equal(fill_depressions(closed)[1:3, 1:3], [[9, 9], [9, 9]])  # spills over the 9 rim


def test_edges_are_outlets_and_small_grids():
    for shape in [(1, 1), (1, 5), (2, 2), (3, 3)]:
        dem = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)[::-1]
        np.testing.assert_array_equal(fill_depressions(dem), dem)
    assert fill_depressions(np.zeros((0, 3), np.float32)).shape == (0, 3)


def test_all_nodata():
    dem = np.full((4, 5), np.nan, np.float32)
    assert np.isnan(fill_depressions(dem)).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(6))
def test_reconstruction_equals_priority_flood(seed, dtype):
    dem = random_dem(seed, dtype=dtype, nodata_fraction=0.05 if seed % 2 else 0.0)
    filled = fill_depressions(dem)
    assert filled.dtype == dtype
    np.testing.assert_array_equal(filled, priority_flood(dem))


def test_epsilon_fill_drains_strictly():
    dem = random_dem(3, nodata_fraction=0.05)
    filled = fill_depressions(dem, epsilon=True)
    plain = fill_depressions(dem)
    valid = ~np.isnan(dem)
    assert np.all(filled[valid] >= plain[valid])
    assert np.isnan(filled[~valid]).all()
    padded = np.pad(np.where(valid, filled, -np.inf), 1, constant_values=-np.inf)
    nrows, ncols = dem.shape
    lowest = np.full(dem.shape, np.inf, dtype=np.float64)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr or dc:
                lowest = np.minimum(lowest, padded[1 + dr : 1 + dr + nrows, 1 + dc : 1 + dc + ncols])
    assert np.all(lowest[valid] < filled[valid])


def test_epsilon_needs_float():
    with pytest.raises(TypeError):
        fill_depressions(np.zeros((3, 3), np.int16), epsilon=True)


def test_dataarray_in_dataarray_out():
    dem = random_dem(1, shape=(6, 8))
    da = xr.DataArray(
        dem,
        dims=("y", "x"),
        coords={"y": np.arange(6)[::-1] * 0.5 + 100, "x": np.arange(8) * 0.5},
        attrs={"units": "m", "crs": "EPSG:28992"},
        name="ahn",
    )
    out = fill_depressions(da)
    assert isinstance(out, xr.DataArray)
    assert out.dims == da.dims and out.name == "ahn" and out.attrs == da.attrs
    np.testing.assert_array_equal(out["x"], da["x"])
    np.testing.assert_array_equal(out["y"], da["y"])
    np.testing.assert_array_equal(out.values, fill_depressions(dem))


def test_dataarray_fill_value_is_nodata():
    dem = np.array([[9, 9, 9, 9], [9, 1, 2, 9], [9, 2, -1, 9], [9, 9, 9, 9]], dtype=np.float32)
    da = xr.DataArray(dem, dims=("y", "x"), attrs={"_FillValue": -1.0})
    np.testing.assert_array_equal(fill_depressions(da).values, dem)


def test_rejects_non_2d():
    with pytest.raises(ValueError):
        fill_depressions(np.zeros(5))


def _topotoolbox_fill(dem: np.ndarray) -> np.ndarray:
    tt = pytest.importorskip("topotoolbox")
    grid = tt.GridObject()
    grid.z = dem
    grid.cellsize = 1.0
    return np.asarray(grid.fillsinks().z)


@pytest.mark.parametrize("seed", range(4))
def test_bit_identical_to_topotoolbox(seed):
    dem = random_dem(seed, shape=(50, 61), nodata_fraction=0.08 if seed % 2 else 0.0)
    expected = _topotoolbox_fill(dem)
    filled = fill_depressions(dem)
    assert filled.dtype == expected.dtype == np.float32
    np.testing.assert_array_equal(filled, expected)  # NaN == NaN here, exact otherwise


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(3))
def test_bit_identical_to_richdem(seed, dtype):
    rd = pytest.importorskip("richdem")
    dem = random_dem(seed, shape=(45, 52), dtype=dtype)
    expected = np.asarray(rd.FillDepressions(rd.rdarray(dem.copy(), no_data=-9999), epsilon=False, in_place=False))
    filled = fill_depressions(dem)
    assert filled.dtype == expected.dtype
    np.testing.assert_array_equal(filled, expected)


@pytest.mark.slow
def test_bit_identical_on_a_larger_smooth_dem():
    from scipy import ndimage

    rng = np.random.default_rng(7)
    dem = ndimage.gaussian_filter(rng.standard_normal((600, 700)), 4).astype(np.float32) * 100
    dem = np.round(dem, 2)
    dem[100:130, 200:260] = np.nan  # a lake: an interior outlet
    filled = fill_depressions(dem)
    np.testing.assert_array_equal(filled, priority_flood(dem))
    np.testing.assert_array_equal(filled, _topotoolbox_fill(dem))
