"""``alliantie bluespots`` on a small synthetic GeoTIFF, and the pluvial product in the small demo dossier."""

import json

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import rasterio
from click.testing import CliRunner
from shapely.geometry import box

from alliantie.cli.main import cli
from alliantie.io.raster import write_raster
from alliantie.testing import small_grid


def _invoke(*args: str):
    return CliRunner().invoke(cli, ["--lang", "en", *args])


@pytest.fixture()
def dem_file(tmp_path):
    grid = small_grid(60, 50, 2.0)
    yy, xx = np.mgrid[0:50, 0:60]
    dem = (2.0 + 0.02 * xx - 0.5 * np.exp(-((xx - 20) ** 2 + (yy - 25) ** 2) / 50.0)).astype(np.float32)
    dem[5, 5] = -9999.0  # a nodata cell: an outlet
    path = tmp_path / "dem.tif"
    write_raster(path, dem, grid, nodata=-9999.0)
    x0, y0, _, _ = grid.bounds
    buildings = gpd.GeoDataFrame(
        {"floor_level_m": [1.7, 5.0]},
        geometry=[box(x0 + 32, y0 + 44, x0 + 40, y0 + 52), box(x0 + 90, y0 + 20, x0 + 98, y0 + 28)],
        crs=grid.crs,
    )
    buildings.to_file(tmp_path / "buildings.gpkg", layer="buildings")
    return path


def test_bluespots_command_writes_readable_outputs(dem_file, tmp_path):
    out = tmp_path / "out"
    result = _invoke("bluespots", str(dem_file), "--rain-mm", "70", "--buildings",
                     str(tmp_path / "buildings.gpkg"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "bluespots" in result.output
    with rasterio.open(out / "depth_rain70mm_current.tif") as ds:
        assert ds.crs.to_epsg() == 28992
        depth = ds.read(1)
    assert np.nanmax(depth) > 0.1 and np.nanmin(depth) >= 0.02
    spots = pyogrio.read_dataframe(out / "bluespots.gpkg", layer="bluespots")
    assert len(spots) == 1 and spots.crs.to_epsg() == 28992
    assert spots["rain_to_fill_mm"].iloc[0] == pytest.approx(
        spots["capacity_m3"].iloc[0] / (spots["catchment_ha"].iloc[0] * 1e4) * 1000, abs=0.06)  # rounded to 0.1 mm
    buildings = pyogrio.read_dataframe(out / "bluespots.gpkg", layer="buildings")
    assert buildings["class_rain70mm_current"].tolist() == [2]  # the building in the hollow, floor 1.7 m
    summary = json.loads((out / "summary.json").read_text())
    case = summary["cases"][0]
    assert case["rain_mm"] == 70.0 and case["rain_m3"] > case["outflow_m3"] > 0


def test_bluespots_command_refuses_bad_input(dem_file, tmp_path):
    result = _invoke("bluespots", str(tmp_path / "missing.tif"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 3 and "missing.tif" in result.output
    result = _invoke("bluespots", str(dem_file), "--rain-mm", "0", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "--rain-mm" in result.output


def test_small_demo_has_the_event_series_in_every_scenario_and_the_stress_maps_today(tmp_path):
    folder = tmp_path / "demo"
    assert _invoke("demo", "--out", str(folder), "--size", "small", "--seed", "7").exit_code == 0
    result = _invoke("run", str(folder / "dossier.toml"), "--product", "urgency.pluvial")
    assert result.exit_code == 0, result.output
    product = folder / "products" / "urgency.pluvial"
    scenarios = ["current", "Ln2050", "Hd2050", "Ln2100", "Hd2100"]
    periods = ["2", "5", "10", "25", "50", "100", "250", "1000"]
    series = [f"rp{t}_{s}" for s in scenarios for t in periods]
    stress = ["t100_current", "t1000_current"]
    summary = json.loads((product / "summary.json").read_text())
    assert [c["id"] for c in summary["cases"]] == [*series, *stress]
    # rasters only for the shown cases (T=100 per scenario, the stress-test maps); every depth in case_depths.npz
    shown = [f"rp100_{s}" for s in scenarios] + stress
    assert sorted(p.name for p in product.glob("depth_*.tif")) == sorted(f"depth_{c}.tif" for c in shown)
    for case in shown:
        with rasterio.open(product / f"depth_{case}.tif") as ds:
            assert ds.crs.to_epsg() == 28992
    with np.load(product / "case_depths.npz") as saved:
        assert {f"cells_{c}" for c in [*series, *stress]} <= set(saved.files)
    rain = {c["id"]: c["rain_mm"] for c in summary["cases"]}
    assert rain["t100_current"] == 70.0 and rain["t1000_current"] == 140.0
    assert rain["rp100_current"] == pytest.approx(64.9, abs=0.05)  # KNMI'23 regime R, 2 hours (docs/climate.md)
    assert rain["rp100_current"] < rain["rp100_Ln2050"] < rain["rp100_Hd2050"] < rain["rp100_Hd2100"]
    for s in scenarios:
        cases = [c for c in summary["cases"] if c["scenario"] == s and c["kind"] == "series"]
        assert [c["return_period_years"] for c in cases] == [float(t) for t in periods]
        for key in ("rain_mm", "buildings_facade", "buildings_above_floor"):
            values = [c[key] for c in cases]
            assert values == sorted(values), (s, key, values)  # more rain never wets fewer buildings
        assert cases[-1]["buildings_facade"] > cases[0]["buildings_facade"]
        assert cases[-1]["buildings_above_floor"] > cases[0]["buildings_above_floor"]
    hoods = [r for r in summary["neighbourhoods"] if r["code"]]
    assert hoods and {r["case"] for r in hoods} == {*series, *stress}
    maps = json.loads((product / "maps.json").read_text())["maps"]
    # depth maps of today and the wettest scenario per horizon, then the two stress-test maps of today
    drawn = ["rp100_current", "rp100_Hd2050", "rp100_Hd2100", *stress]
    assert [m["id"] for m in maps] == ["pluvial_bluespots", *(f"pluvial_depth_{c}" for c in drawn)]
    provenance = json.loads((product / "provenance.json").read_text())
    assert provenance["parameters"]["pluvial"]["regime"] == "R"
