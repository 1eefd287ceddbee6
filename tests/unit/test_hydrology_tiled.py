"""Tiled depression filling (Barnes 2016) equals the in-memory fill exactly."""

from __future__ import annotations

import numpy as np
import pytest

from alliantie.errors import InputDataError
from alliantie.hydrology import _tiled_kernels as kernels
from alliantie.hydrology import fill_depressions, fill_depressions_tiled
from alliantie.hydrology.tiled import Sides, fill_blocks_numpy, fill_geotiff_tiled, tile_summary


def _dem(shape: tuple[int, int], seed: int, dtype: str = "float32", nodata_fraction: float = 0.0) -> np.ndarray:
    """Relief with many pits and plateaus (small integers), optionally with NaN islands."""
    rng = np.random.default_rng(seed)
    rows, cols = np.indices(shape)
    z = 3 * np.sin(rows / 7.0) * np.cos(cols / 5.0) + rng.integers(0, 4, shape)
    z = np.round(z * 2).astype(dtype)
    if nodata_fraction:
        z[rng.random(shape) < nodata_fraction] = np.nan
    return z


def test_bowl_fills_to_its_rim() -> None:
    dem = np.full((7, 9), 5.0, np.float32)
    dem[1:-1, 1:-1] = 1.0
    dem[3, 0] = 3.0  # the lowest point of the rim
    out = fill_depressions_tiled(dem, chunks=3).compute()
    expected = np.full_like(dem, 5.0)
    expected[1:-1, 1:-1] = 3.0
    expected[3, 0] = 3.0
    np.testing.assert_array_equal(out, expected)


def test_depression_spanning_many_tiles_drains_across_seams() -> None:
    # one basin whose spill point is on the far side of several tiles from its pit
    dem = np.full((20, 20), 9.0)
    dem[1:-1, 1:-1] = np.linspace(1.0, 4.0, 18)[None, :]
    dem[10, -1] = 6.0
    out = fill_depressions_tiled(dem, chunks=4).compute()
    np.testing.assert_array_equal(out, fill_depressions(dem))
    assert np.all(out[1:-1, 1:-1] == 6.0)


@pytest.mark.parametrize("chunks", [1, 2, 3, 5, 7, (4, 9), 64])
def test_random_dems_equal_in_memory(chunks: int | tuple[int, int]) -> None:
    dem = _dem((23, 31), seed=3, nodata_fraction=0.08)
    np.testing.assert_array_equal(fill_depressions_tiled(dem, chunks=chunks).compute(), fill_depressions(dem))


@pytest.mark.parametrize("dtype", ["float64", "int16", "int32"])
def test_dtypes_and_nodata_value(dtype: str) -> None:
    dem = _dem((19, 26), seed=5, dtype="float64")
    dem[np.random.default_rng(6).random(dem.shape) < 0.1] = -9999
    dem = dem.astype(dtype)
    out = fill_depressions_tiled(dem, -9999, chunks=(4, 6)).compute()
    assert out.dtype == dem.dtype
    np.testing.assert_array_equal(out, fill_depressions(dem, -9999))
    np.testing.assert_array_equal(out == -9999, dem == -9999)


def test_nodata_ring_across_seams_is_an_outlet() -> None:
    # a NaN ring straddling the tile seams: the cells inside drain into it
    dem = np.full((16, 16), 8.0, np.float32)
    dem[5:11, 5:11] = 1.0
    dem[4, 4:12] = dem[11, 4:12] = np.nan
    dem[4:12, 4] = dem[4:12, 11] = np.nan
    out = fill_depressions_tiled(dem, chunks=(4, 8)).compute()
    np.testing.assert_array_equal(out, fill_depressions(dem))
    assert np.all(out[5:11, 5:11] == 1.0)
    assert np.isnan(out[4, 4])


def test_single_nodata_cell_just_across_a_seam() -> None:
    # the only outlet of the pit is a nodata cell in the neighbouring tile, diagonally across a tile corner
    dem = np.full((8, 8), 9.0)
    dem[2:4, 2:4] = 1.0
    dem[4, 4] = np.nan
    out = fill_depressions_tiled(dem, chunks=4).compute()
    np.testing.assert_array_equal(out, fill_depressions(dem))
    assert out[3, 3] == 1.0


def test_all_nodata_and_tiny_grids() -> None:
    nan = np.full((5, 4), np.nan)
    assert np.isnan(fill_depressions_tiled(nan, chunks=2).compute()).all()
    for shape in [(1, 1), (1, 7), (6, 1), (2, 2)]:
        dem = _dem(shape, seed=1)
        np.testing.assert_array_equal(fill_depressions_tiled(dem, chunks=1).compute(), dem)


def test_numpy_driver_equals_dask() -> None:
    dem = _dem((17, 22), seed=9, nodata_fraction=0.05)
    out = fill_blocks_numpy(dem, None, [5, 5, 7], [1, 2, 3, 16])
    np.testing.assert_array_equal(out, fill_depressions(dem))


def test_labels_reach_every_valid_cell() -> None:
    dem = _dem((15, 12), seed=2, nodata_fraction=0.05)
    filled, valid = fill_depressions(dem), ~np.isnan(dem)
    labels, n_labels, *_ = kernels.label_tile(filled, ~valid, True, True, True, True)
    assert n_labels == 2  # every seed is a real outlet: one label, the ocean
    np.testing.assert_array_equal(labels, valid.astype(np.int32))
    labels, n_labels, edge_a, edge_b, _ = kernels.label_tile(filled, ~valid, False, False, False, False)
    assert np.all((labels > 0) == valid)
    assert n_labels > 2 and np.all(edge_a < edge_b)
    summary = tile_summary(dem, None, Sides(False, False, False, False))
    assert summary.n_labels > 2 and summary.edge_a.size > 0
    assert np.all(summary.edge_a < summary.edge_b)


def test_dask_input_keeps_its_chunks_and_stays_lazy() -> None:
    da = pytest.importorskip("dask.array")
    dem = _dem((30, 20), seed=4, nodata_fraction=0.05)
    lazy = da.from_array(dem, chunks=(7, 6))
    out = fill_depressions_tiled(lazy)
    assert isinstance(out, da.Array)
    assert out.chunks == lazy.chunks
    np.testing.assert_array_equal(out.compute(), fill_depressions(dem))


def test_dataarray_kept_lazy_with_coords_and_fill_value() -> None:
    xr = pytest.importorskip("xarray")
    da = pytest.importorskip("dask.array")
    dem = _dem((12, 14), seed=8)
    dem[np.random.default_rng(8).random(dem.shape) < 0.1] = -1.0
    coords = {"y": np.arange(12)[::-1] * 0.5, "x": np.arange(14) * 0.5}
    array = xr.DataArray(dem, dims=("y", "x"), coords=coords, attrs={"_FillValue": -1.0, "units": "m"})
    out = fill_depressions_tiled(array.chunk({"y": 5, "x": 5}))
    assert isinstance(out.data, da.Array)
    assert out.attrs == array.attrs
    np.testing.assert_array_equal(out["x"], array["x"])
    np.testing.assert_array_equal(out.compute().values, fill_depressions(array).values)
    eager = fill_depressions_tiled(array, chunks=4)  # numpy-backed: chunked for you
    np.testing.assert_array_equal(eager.values, fill_depressions(dem, -1.0))


def test_not_2d_is_refused() -> None:
    with pytest.raises(InputDataError):
        fill_depressions_tiled(np.zeros((2, 3, 4)))


def _write_tif(path, dem, nodata):  # type: ignore[no-untyped-def]
    import rasterio
    from rasterio.transform import from_origin

    profile = {
        "driver": "GTiff",
        "width": dem.shape[1],
        "height": dem.shape[0],
        "count": 1,
        "dtype": str(dem.dtype),
        "crs": "EPSG:28992",
        "transform": from_origin(0, 100, 1, 1),
        "nodata": nodata,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(dem, 1)


@pytest.mark.parametrize("nodata", [-9999.0, None])
def test_geotiff_file_to_file(tmp_path, nodata) -> None:  # type: ignore[no-untyped-def]
    import rasterio

    dem = _dem((45, 58), seed=11)
    holes = np.random.default_rng(11).random(dem.shape) < 0.05
    dem[holes] = np.nan if nodata is None else nodata
    src = tmp_path / "dem.tif"
    _write_tif(src, dem, nodata)
    dst = fill_geotiff_tiled(src, tmp_path / "out" / "filled.tif", tile=16, num_workers=2)
    with rasterio.open(dst) as ds:
        got = ds.read(1)
        assert ds.crs.to_epsg() == 28992
        assert ds.nodata == nodata or (nodata is None and np.isnan(ds.nodata))
    np.testing.assert_array_equal(got, fill_depressions(dem, nodata))


def test_geotiff_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputDataError):
        fill_geotiff_tiled(tmp_path / "nope.tif", tmp_path / "out.tif")


@pytest.mark.slow
def test_geotiff_on_local_cluster_equals_in_memory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """3000 x 3000 in 512-cell tiles on a LocalCluster of 2 worker processes."""
    import importlib.util
    import sys
    from pathlib import Path

    import rasterio
    from distributed import Client, LocalCluster

    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_tiled.py"
    spec = importlib.util.spec_from_file_location("bench_tiled", bench)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_tiled"] = module
    spec.loader.exec_module(module)
    src = tmp_path / "dem.tif"
    module.write_synthetic(src, 3000, seed=7)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="2GB", dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        dst = fill_geotiff_tiled(src, tmp_path / "filled.tif", tile=512, client=client)
    with rasterio.open(src) as ds:
        dem = ds.read(1)
    with rasterio.open(dst) as ds:
        got = ds.read(1)
    assert np.isnan(dem).any()
    np.testing.assert_array_equal(got, fill_depressions(dem))


def test_input_blocks_are_read_again_for_the_apply_step_not_held() -> None:
    """Bounded memory: step 3 reads its block again (a cloned graph), so no block waits in memory after step 1."""
    import collections

    da = pytest.importorskip("dask.array")
    calls: collections.Counter[tuple[int, int]] = collections.Counter()

    def load(block, block_info=None):  # type: ignore[no-untyped-def]
        location = block_info[None]["chunk-location"]
        calls[location] += 1
        return _dem(block.shape, seed=location[0] * 10 + location[1])

    source = da.map_blocks(load, da.zeros((24, 30), chunks=(8, 10), dtype="float32"), dtype="float32")
    out = fill_depressions_tiled(source).compute(scheduler="threads")
    assert set(calls.values()) == {2} and len(calls) == 9
    np.testing.assert_array_equal(out, fill_depressions(source.compute()))
