"""Fill-spill-merge on analytic DEMs, water conservation, and agreement with RichDEM."""

from __future__ import annotations

import numpy as np
import pytest

from alliantie.errors import InputDataError
from alliantie.hydrology.fsm import fill_spill_merge
from alliantie.testing.dems import two_bowls


def square_pit(size: int = 9, pit: int = 3, top: float = 10.0, bottom: float = 8.0) -> np.ndarray:
    """A square pit with vertical walls in terrain rising 0.1 m per cell away from it."""
    y, x = np.mgrid[0:size, 0:size]
    centre = (size - 1) / 2
    dem = top + 0.1 * np.maximum(np.abs(x - centre), np.abs(y - centre))
    a = (size - pit) // 2
    dem[a : a + pit, a : a + pit] = bottom
    return dem


def on_bowl(dem: np.ndarray, rows: slice, cols: slice, volume: float) -> np.ndarray:
    runoff = np.zeros_like(dem)
    cells = runoff[rows, cols]
    runoff[rows, cols] = volume / cells.size
    return runoff


def assert_conserved(res, tol: float = 1e-9) -> None:  # type: ignore[no-untyped-def]
    assert res.inflow_m3 == pytest.approx(res.stored_total_m3 + res.outflow_m3, rel=tol, abs=tol)


def test_one_bowl_depth_is_volume_over_area() -> None:
    dem = square_pit()
    res = fill_spill_merge(dem, 0.1, cell_area=2.0)
    # the 7 x 7 interior drains into the 3 x 3 pit: 49 cells x 0.1 m x 2 m² = 9.8 m³
    depth = 9.8 / (9 * 2.0)
    assert res.depth[4, 4] == pytest.approx(depth, rel=1e-6)
    assert (res.depth[3:6, 3:6] == res.depth[4, 4]).all()
    assert res.depth.sum() == pytest.approx(9 * depth, rel=1e-6)
    assert res.inflow_m3 == pytest.approx(81 * 0.1 * 2.0)
    assert res.outflow_m3 == pytest.approx(32 * 0.1 * 2.0)  # the edge ring
    assert res.stored_m3.tolist() == pytest.approx([9.8])
    assert res.water_level[4, 4] == pytest.approx(8.0 + depth, rel=1e-6)
    # spill at the edge (10.4 m): 9 x 2.4 + 16 x 0.2 + 24 x 0.1 = 27.2 cell-metres
    assert res.hierarchy.table["capacity_m3"].tolist() == pytest.approx([27.2 * 2.0])
    assert res.depth.dtype == np.float32 and res.water_level.dtype == np.float32
    assert_conserved(res)


def test_cone_level_matches_volume() -> None:
    # an inverted cone: volume below level h over the cells equals the water put in
    y, x = np.mgrid[-20:21, -20:21]
    dem = np.hypot(x, y).astype(np.float64)
    dem[0, :] = dem[-1, :] = dem[:, 0] = dem[:, -1] = 100.0  # a high rim
    runoff = np.zeros_like(dem)
    runoff[20, 20] = 500.0
    res = fill_spill_merge(dem, runoff)
    level = float(res.water_level[20, 20])
    assert float(np.clip(level - dem, 0, None).sum()) == pytest.approx(500.0, rel=1e-6)
    assert res.outflow_m3 == 0.0
    assert_conserved(res)


def test_two_bowls_in_series_upper_spills_into_lower() -> None:
    dem = two_bowls()
    # 30 m³ on the upper bowl A: it fills to its spill (12 m, 18 m³), 12 m³ go to B
    res = fill_spill_merge(dem, on_bowl(dem, slice(2, 5), slice(2, 5), 30.0))
    assert np.allclose(res.depth[2:5, 2:5], 2.0)
    assert np.allclose(res.depth[2:5, 8:11], 12.0 / 9.0, rtol=1e-6)
    assert (res.depth[3, 5:8] == 0).all()
    assert res.stored_m3.tolist() == pytest.approx([18.0, 12.0, 30.0])
    assert res.outflow_m3 == 0.0
    assert_conserved(res)


def test_two_bowls_spill_order_lower_fills_first() -> None:
    dem = two_bowls()
    # 50 m³ on the lower bowl B (capacity 63 m³ below the saddle): A stays dry
    res = fill_spill_merge(dem, on_bowl(dem, slice(2, 5), slice(8, 11), 50.0))
    assert (res.depth[2:5, 2:5] == 0).all()
    assert np.allclose(res.depth[2:5, 8:11], 50.0 / 9.0, rtol=1e-6)


def test_two_bowls_merge_above_the_saddle() -> None:
    dem = two_bowls()
    # 100 m³: both bowls full at 12 m (81 m³), 19 m³ above the saddle over 21 cells
    res = fill_spill_merge(dem, on_bowl(dem, slice(2, 5), slice(2, 5), 100.0))
    level = 12.0 + 19.0 / 21.0
    wet = res.depth > 0
    assert int(wet.sum()) == 21
    assert np.allclose(res.water_level[wet], level, rtol=1e-6)
    assert res.stored_m3[2] == pytest.approx(100.0)
    assert_conserved(res)


def test_overtopping_everything_gives_the_expected_outflow() -> None:
    dem = two_bowls()
    res = fill_spill_merge(dem, 10.0)  # 910 m³ on 91 cells
    capacity = res.hierarchy.table["capacity_m3"][res.hierarchy.table["parent"] == 0].sum()
    assert capacity == pytest.approx(249.0)
    assert res.outflow_m3 == pytest.approx(910.0 - 249.0)
    wet = res.depth > 0
    assert np.allclose(res.water_level[wet], 20.0)
    assert_conserved(res)


def test_zero_runoff_gives_zero_depth() -> None:
    rng = np.random.default_rng(3)
    res = fill_spill_merge(rng.random((20, 30)), 0.0)
    assert (res.depth == 0).all()
    assert res.inflow_m3 == 0.0 and res.outflow_m3 == 0.0
    assert (res.stored_m3 == 0).all()


def test_nodata_island_is_an_outlet() -> None:
    dem = square_pit()
    dem[4, 4] = np.nan  # open water in the middle of the pit: the pit drains into it
    res = fill_spill_merge(dem, 0.1)
    assert np.isnan(res.depth[4, 4]) and np.isnan(res.water_level[4, 4])
    assert np.nansum(res.depth) == 0
    assert res.outflow_m3 == pytest.approx(80 * 0.1)  # runoff on the nodata cell is not counted
    assert res.hierarchy.labels[4, 4] == -1
    assert_conserved(res)


def test_nodata_next_to_a_bowl_takes_its_overflow() -> None:
    dem = two_bowls()
    dem[3, 7] = -9999.0  # nodata at the end of the channel, next to bowl B
    res = fill_spill_merge(dem, on_bowl(dem, slice(2, 5), slice(2, 5), 30.0), nodata=-9999.0)
    assert np.allclose(res.depth[2:5, 2:5], 2.0)
    # A spills at 12 m towards B; B's rim now touches nodata at 12 m... B gets the excess
    assert res.stored_total_m3 + res.outflow_m3 == pytest.approx(30.0)
    assert np.isnan(res.depth[3, 7])


def test_flat_dem_stores_nothing() -> None:
    res = fill_spill_merge(np.full((10, 12), 2.0), 0.05)
    assert (res.depth == 0).all()
    assert res.outflow_m3 == pytest.approx(res.inflow_m3)


def test_flat_bottomed_pit_fills_level() -> None:
    dem = np.full((12, 12), 5.0)
    dem[2:10, 2:10] = 3.0  # flat bottom of 64 cells
    res = fill_spill_merge(dem, on_bowl(dem, slice(2, 10), slice(2, 10), 32.0))
    assert np.allclose(res.depth[2:10, 2:10], 0.5)
    assert_conserved(res)


@pytest.mark.parametrize("seed", range(6))
def test_water_is_conserved_on_random_dems(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(5, 60)), int(rng.integers(5, 60)))
    dem = rng.random(shape) * rng.choice([0.1, 1.0, 10.0])
    if seed % 2:
        dem = np.round(dem, 1)  # many ties and flats
    dem[rng.random(shape) < 0.05] = np.nan
    runoff = rng.random(shape) * 0.2 if seed % 3 else float(rng.random())
    area = float(rng.choice([0.25, 1.0, 25.0]))
    res = fill_spill_merge(dem, runoff, cell_area=area)
    assert_conserved(res)
    # the stored water is where the depth field says it is
    vol = float(np.nansum(res.depth.astype(np.float64))) * area
    assert vol == pytest.approx(res.stored_total_m3, rel=1e-5, abs=1e-6)
    # no depression holds more than it can
    cap = res.hierarchy.table["capacity_m3"]
    assert (res.stored_m3 <= cap * (1 + 1e-12) + 1e-9).all()
    # water only inside depressions; edge cells stay dry
    assert (res.depth[res.hierarchy.labels == 0] == 0).all()
    assert (res.depth[0] == 0).all() or np.isnan(res.depth[0]).any()


def test_dataarray_in_and_out() -> None:
    xr = pytest.importorskip("xarray")
    dem = square_pit()
    da = xr.DataArray(
        dem, dims=("y", "x"), coords={"y": np.arange(9.0)[::-1], "x": np.arange(9.0)}, attrs={"crs": "EPSG:28992"}
    )
    runoff = xr.full_like(da, 0.1)
    res = fill_spill_merge(da, runoff)
    assert isinstance(res.depth, xr.DataArray) and isinstance(res.water_level, xr.DataArray)
    assert res.depth.attrs["crs"] == "EPSG:28992" and (res.depth.y == da.y).all()
    assert float(res.depth[4, 4]) == pytest.approx(4.9 / 9, rel=1e-6)


def test_errors() -> None:
    dem = square_pit()
    with pytest.raises(InputDataError):
        fill_spill_merge(dem, np.zeros((3, 3)))
    with pytest.raises(InputDataError):
        fill_spill_merge(dem, -0.1)
    bad = np.zeros_like(dem)
    bad[2, 2] = np.nan
    with pytest.raises(InputDataError):
        fill_spill_merge(dem, bad)
    with pytest.raises(InputDataError):
        fill_spill_merge(dem, 0.1, cell_area=-1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_richdem(seed: int) -> None:
    rd = pytest.importorskip("richdem")
    import contextlib
    import io

    from scipy.ndimage import gaussian_filter

    rng = np.random.default_rng(seed)
    dem = (gaussian_filter(rng.standard_normal((80, 90)), 2) * 5 + rng.standard_normal((80, 90)) * 0.05).astype(
        np.float32
    )
    runoff = float(rng.choice([0.005, 0.05, 0.5]))
    ours = fill_spill_merge(dem, runoff)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        r = rd.rdarray(dem.astype(np.float64), no_data=-9999.0)
        r.geotransform = rd.STANDARD_GEOTRANSFORM
        labels = rd.get_new_depression_hierarchy_labels(dem.shape)
        deps, flowdirs = rd.get_depression_hierarchy(r, labels)
        wtd = rd.rdarray(np.full(dem.shape, runoff), no_data=-9999.0)
        wtd.geotransform = rd.STANDARD_GEOTRANSFORM
        rd.fill_spill_merge(r, labels, flowdirs, deps, wtd)
    theirs = np.asarray(wtd)
    assert np.abs(ours.depth - theirs).max() < 1e-4
