"""AHN as users get it: a folder or list of tiles mosaicked onto the grid, resampled by a stated method, gaps filled."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

from alliantie.dossier import load_dossier
from alliantie.errors import ConfigError, InputDataError
from alliantie.grid import Grid
from alliantie.io.mosaic import read_tiles, tile_headers, tiles_bounds
from alliantie.raster.gaps import fill_gaps
from alliantie.testing.realdata import realdata_root

CRS = "EPSG:28992"


def _tile(path: Path, array: np.ndarray, x0: float, y1: float, res: float, nodata: float | int = -9999) -> str:
    profile = {"driver": "GTiff", "width": array.shape[1], "height": array.shape[0], "count": 1,
               "dtype": array.dtype.name, "crs": CRS, "transform": Affine(res, 0, x0, 0, -res, y1),
               "nodata": nodata}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(array, 1)
    return str(path)


def _ahn_tiles(folder: Path) -> tuple[list[str], np.ndarray]:
    """Four 0.5 m sheets of 20 x 20 m (int16 cm, as AHN) forming a 40 x 40 m tilted plane; and a far fifth one."""
    folder.mkdir(parents=True, exist_ok=True)
    yy, xx = np.mgrid[0:80, 0:80]
    plane = (1000 + 2 * xx + yy).astype(np.int16)  # cm NAP
    paths = []
    for i, (r, c) in enumerate([(0, 0), (0, 40), (40, 0), (40, 40)]):
        paths.append(_tile(folder / f"sheet{i}.tif", plane[r:r + 40, c:c + 40].copy(), 1000 + c * 0.5,
                           2040 - r * 0.5, 0.5))
    paths.append(_tile(folder / "far.tif", plane[:40, :40].copy(), 9000, 9020, 0.5))
    return paths, plane


def test_tiles_averaged_onto_the_grid(tmp_path):
    paths, plane = _ahn_tiles(tmp_path / "ahn")
    grid = Grid.from_bounds((1000, 2000, 1040, 2040), 5.0, CRS)
    mosaic = read_tiles(paths, grid, label="inputs.dem")
    assert mosaic.resampling == "average"  # 0.5 m onto 5 m: ten times finer
    assert mosaic.tiles_total == 5 and len(mosaic.tiles_used) == 4 and paths[4] not in mosaic.tiles_used
    block_means = plane.astype(np.float64).reshape(8, 10, 8, 10).mean(axis=(1, 3))
    np.testing.assert_allclose(mosaic.data.array, block_means, atol=1e-3)
    # a coarser tile set onto the same grid: bilinear, and the header-only extent of all tiles
    assert tiles_bounds(paths[:4], CRS, what="dem") == (1000.0, 2000.0, 1040.0, 2040.0)


def test_average_ignores_gaps_inside_a_cell(tmp_path):
    sheet = np.full((20, 20), 500, np.int16)
    sheet[:10, :5] = -9999  # half of the top-left 5 m cell is a building
    sheet[10:, 10:] = -9999  # the bottom-right 5 m cell entirely
    path = _tile(tmp_path / "t.tif", sheet, 0, 10, 0.5)
    grid = Grid.from_bounds((0, 0, 10, 10), 5.0, CRS)
    out = read_tiles([path], grid).data.array
    assert out[0, 0] == 500  # the street half's mean, not dragged towards -9999
    assert np.isnan(out[1, 1])


def test_tiles_of_another_kind_are_refused(tmp_path):
    paths, _ = _ahn_tiles(tmp_path / "ahn")
    other = _tile(tmp_path / "ahn" / "landuse.tif", np.ones((40, 40), np.uint8), 1000, 2040, 0.5, nodata=0)
    with pytest.raises(InputDataError, match="not one mosaic"):
        tile_headers([*paths, other], what="inputs.dem")
    again = _tile(tmp_path / "again.tif", np.zeros((40, 40), np.int16), 1000, 2040, 0.5)
    with pytest.raises(InputDataError, match="overlap by 100%"):
        tile_headers([paths[0], again], what="inputs.dem")


def test_building_gap_interpolated_from_its_edges():
    yy, xx = np.mgrid[0:30, 0:30]
    dem = (10 + 0.1 * xx + 0.05 * yy).astype(np.float32)
    truth = dem.copy()
    dem[10:16, 12:20] = np.nan  # a building of 30 x 40 m on a 5 m grid
    result = fill_gaps(dem, 5.0)
    assert result.interpolated == 48 and result.lowest_edge == 0 and result.left_open == 0
    hole = result.array[10:16, 12:20]
    edge = np.concatenate([truth[9, 11:21], truth[16, 11:21], truth[9:17, 11], truth[9:17, 20]])
    assert edge.min() <= hole.min() and hole.max() <= edge.max()  # inside the range of its banks, never a pit
    assert np.abs(hole - truth[10:16, 12:20]).max() < 0.5  # close to the plane it interrupts
    assert np.array_equal(result.array[~np.isnan(dem)], dem[~np.isnan(dem)])  # data untouched


def test_wide_water_gap_takes_the_lowest_edge_and_open_gaps_stay_open():
    dem = np.full((60, 60), 5.0, np.float32)
    dem[:, 30:] = 6.0
    dem[10:50, 10:50] = np.nan  # a lake 200 m across on a 5 m grid
    dem[0:3, 55:60] = np.nan  # no data at the edge of the raster (outside the AHN's coverage)
    result = fill_gaps(dem, 5.0, max_distance_m=50.0)
    assert result.left_open == 15 and np.isnan(result.array[0:3, 55:60]).all()
    assert result.lowest_edge > 0 and result.filled == 1600
    assert result.array[30, 30] == pytest.approx(5.0)  # the core at the lowest bank
    # a shorter search leaves more of the lake at the lowest edge (monotone in the search distance)
    assert fill_gaps(dem, 5.0, max_distance_m=25.0).lowest_edge > result.lowest_edge


def _tiled_dossier(tmp_path: Path, minimal_dossier: Path, form: str) -> Path:
    """The minimal dossier with its DEM cut into four tiles (a hole for a building in one of them)."""
    root = minimal_dossier.parent
    with rasterio.open(root / "inputs" / "dem.tif") as ds:
        dem, transform, res = ds.read(1), ds.transform, ds.res[0]
    h, w = dem.shape
    dem = dem.copy()
    dem[5:8, 5:8] = -9999.0  # a building: 30 x 30 m without data
    folder = root / "ahn"
    folder.mkdir()
    files = []
    for i, (r0, c0) in enumerate([(0, 0), (0, w // 2), (h // 2, 0), (h // 2, w // 2)]):
        part = dem[r0:r0 + h // 2 + (h % 2) * (r0 > 0), c0:c0 + w // 2 + (w % 2) * (c0 > 0)].copy()
        x0, y1 = transform @ (c0, r0)
        files.append(_tile(folder / f"tile{i}.tif", part, x0, y1, res, nodata=-9999.0))
    (folder / "index.shp").write_bytes(b"")  # other files in the folder are ignored
    text = minimal_dossier.read_text()
    if form == "folder":
        new = 'dem = { path = "ahn" }'
    else:
        new = "dem = { paths = [" + ", ".join(f'"ahn/{Path(f).name}"' for f in files) + "] }"
    minimal_dossier.write_text(text.replace('dem = "inputs/dem.tif"', new))
    return minimal_dossier


@pytest.mark.parametrize("form", ["folder", "paths"])
def test_dossier_with_tiles_checks_and_runs(tmp_path, minimal_dossier, form):
    from alliantie.contract.names import ELEVATION
    from alliantie.dossier.inspect import check_inputs
    from alliantie.dossier.run import run_dossier

    toml = _tiled_dossier(tmp_path, minimal_dossier, form)
    dossier = load_dossier(toml)
    ref = dossier.input_file("dem")
    assert ref is not None and ref.tiled and len(ref.files) == 4
    lines = "\n".join(check_inputs(dossier))
    assert "4 of the 4 tiles lie in the area" in lines
    assert "cells of 10 m, as the dossier" in lines  # 10 m tiles onto the 10 m grid
    assert "was a gap (buildings, water) and was filled: 9 cells interpolated" in lines
    run_dossier(dossier, products=[ELEVATION])
    record = json.loads((dossier.products_dir / ELEVATION / "provenance.json").read_text())
    checks = record["input_checks"]["dem"]
    assert checks["tiles_used"] == 4 and checks["resampling"] == "bilinear"
    assert checks["filled_interpolated"] == 9 and "inverse-distance" in checks["gaps"]
    assert record["inputs"]["dem"]["preparation"]["fill_gaps"] is True
    with rasterio.open(dossier.products_dir / ELEVATION / "elevation.tif") as ds:
        assert not np.isnan(ds.read(1)[5:8, 5:8]).any()  # the building's gap is ground level now


def test_tile_config_forms_refused_clearly(tmp_path, minimal_dossier):
    text = minimal_dossier.read_text()
    (minimal_dossier.parent / "empty").mkdir()
    minimal_dossier.write_text(text.replace('dem = "inputs/dem.tif"', 'dem = { path = "empty" }'))
    with pytest.raises(ConfigError, match="without GeoTIFF tiles"):
        load_dossier(minimal_dossier)
    minimal_dossier.write_text(text.replace('dem = "inputs/dem.tif"',
                                            'dem = { path = "inputs/dem.tif", paths = ["inputs/dem.tif"] }'))
    with pytest.raises(ConfigError, match="not both"):
        load_dossier(minimal_dossier)
    minimal_dossier.write_text(text.replace('dem = "inputs/dem.tif"', 'dem = { paths = ["a.tif", "b.tif"] }'))
    with pytest.raises(ConfigError, match=r"b\.tif"):
        load_dossier(minimal_dossier)




WINTERSWIJK = realdata_root(Path(__file__)) / "winterswijk_achterhoek"


@pytest.mark.skipif(not (WINTERSWIJK / "ahn_5m_dtm_tiles").exists(), reason="../shared/realdata is absent")
def test_real_ahn_sheets_of_winterswijk():
    """The six AHN 5 m sheets as downloaded: the four inside the area give exactly the merged file."""
    tiles = sorted(str(p) for p in (WINTERSWIJK / "ahn_5m_dtm_tiles").glob("*.tif"))
    grid = Grid.from_bounds((240000, 437500, 250000, 450000), 5.0, CRS)
    mosaic = read_tiles(tiles, grid, label="inputs.dem")
    assert mosaic.tiles_total == 6 and sorted(Path(p).name for p in mosaic.tiles_used) == [
        "41EN1_CM.tif", "41EN2_CM.tif", "41EZ1_CM.tif", "41EZ2_CM.tif"]  # the two border sheets lie outside
    with rasterio.open(WINTERSWIJK / "ahn_dtm_5m_winterswijk_cm.tif") as ds:
        merged = ds.read(1).astype(np.float32)
        merged[merged == ds.nodata] = np.nan
    np.testing.assert_array_equal(mosaic.data.array, merged)
    result = fill_gaps(mosaic.data.array / 100.0, grid.res)  # cm -> m
    gaps = np.isnan(merged)
    assert 0.05 < gaps.mean() < 0.08  # 93.2 % valid (the folder's README)
    assert result.filled + result.left_open == gaps.sum()
    assert result.filled / gaps.sum() > 0.8  # most gaps are enclosed: buildings and ponds
    filled = result.array[gaps & ~np.isnan(result.array)]
    assert filled.min() > 22.0 and filled.max() < 55.5  # within the terrain's range (22.7-54.9 m NAP)
    coarse = read_tiles(tiles, Grid.from_bounds((240000, 437500, 250000, 450000), 25.0, CRS))
    assert coarse.resampling == "average" and np.isnan(coarse.data.array).mean() < gaps.mean()


def test_cell_size_compared_in_the_grid_units():
    """A tile in another CRS: its cell size is measured in the grid's metres before the method is chosen."""
    from alliantie.io.mosaic import res_in

    assert res_in(CRS, (0, 0, 100, 100), 0.5, CRS) == 0.5
    bounds = (6.70, 51.95, 6.71, 51.96)  # Winterswijk in degrees, 0.0001 deg cells
    metres = res_in("EPSG:4326", bounds, 0.0001, CRS)
    assert 6.0 < metres < 8.0  # about 7 m east-west at 52 degrees north
