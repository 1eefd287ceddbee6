"""Raster operations (alliantie.raster): focal means and distances, numpy cores and DataArray faces."""

from __future__ import annotations

import numpy as np
import pytest

from alliantie.raster import distance, focal


def test_focal_mean_of_a_disc_by_hand() -> None:
    values = np.zeros((7, 7))
    values[3, 3] = 5.0
    out = focal.focal_mean(values, 10.0, 10.0)  # the disc of radius 1 cell: the cell and its four neighbours
    assert out[3, 3] == pytest.approx(1.0)
    assert out[2, 3] == pytest.approx(1.0) and out[2, 2] == pytest.approx(0.0, abs=1e-12)
    assert out[0, 0] == pytest.approx(0.0, abs=1e-12)  # only the cells inside the grid count
    nodata = values.copy()
    nodata[3, 4] = np.nan
    assert focal.focal_mean(nodata, 10.0, 10.0)[3, 3] == pytest.approx(5.0 / 4)
    assert np.isnan(focal.focal_mean(np.full((3, 3), np.nan), 1.0, 1.0)).all()
    # a radius below one cell: the values themselves, NaN where not valid
    valid = np.ones((7, 7), dtype=bool)
    valid[0, 0] = False
    small = focal.focal_mean(values, 10.0, 4.0, valid=valid)
    assert small[3, 3] == 5.0 and np.isnan(small[0, 0])


def test_coarse_focal_mean_is_close_and_coarsening_keeps_25_cells_in_the_radius() -> None:
    rng = np.random.default_rng(3)
    values = rng.uniform(0, 1, (90, 90))
    fine = focal.focal_mean(values, 5.0, 200.0)
    coarse = focal.focal_mean(values, 5.0, 200.0, coarsen=4)
    assert np.max(np.abs(coarse - fine)[20:-20, 20:-20]) < 0.02
    assert focal.coarsening(5.0, 500.0) == 4
    assert focal.coarsening(10.0, 100.0) == 1


def test_distance_to_and_within_distance() -> None:
    mask = np.zeros((5, 8), dtype=bool)
    mask[2, 1] = True
    d = distance.distance_to(mask, 10.0)
    assert d[2, 1] == 0.0 and d[2, 5] == pytest.approx(40.0) and d[0, 2] == pytest.approx(np.hypot(20.0, 10.0))
    near = distance.within_distance(mask, 10.0, 20.0)
    assert near[2, 3] and not near[2, 4] and near.dtype == bool
    assert np.isinf(distance.distance_to(mask & False, 10.0)).all()
    assert not distance.within_distance(mask & False, 10.0, 1e9).any()


def test_dataarray_faces_keep_coordinates_and_attributes() -> None:
    xr = pytest.importorskip("xarray")
    values = np.arange(48.0).reshape(6, 8)
    values[1, 1] = -9999.0
    raster = xr.DataArray(values, dims=("y", "x"), name="t",
                          coords={"y": 460_000.0 - 5.0 * np.arange(6), "x": 150_000.0 + 5.0 * np.arange(8)},
                          attrs={"units": "degC", "_FillValue": -9999.0})
    out = focal.focal_mean_dataarray(raster, 5.0)
    expected = focal.focal_mean(np.where(values == -9999.0, np.nan, values), 5.0, 5.0)
    np.testing.assert_array_equal(out.values, expected)
    assert out.dims == raster.dims and out.name == "t" and out.attrs == {"units": "degC"}
    np.testing.assert_array_equal(out["x"].values, raster["x"].values)
    box = focal.box_mean_dataarray(raster, 5.0)
    np.testing.assert_array_equal(box.values, focal.box_mean(np.where(values == -9999.0, np.nan, values), 5.0, 5.0))
    mask = raster > 40
    d = distance.distance_to_dataarray(mask)
    np.testing.assert_array_equal(d.values, distance.distance_to(mask.values, 5.0))
    assert d.attrs["units"] == "m"
    with pytest.raises(ValueError):
        focal.focal_mean_dataarray(raster.assign_coords(x=150_000.0 + 10.0 * np.arange(8)), 5.0)
