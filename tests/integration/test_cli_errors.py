"""Bad input through the CLI: non-zero exit, a clear message, no traceback, no partial product."""

import numpy as np
import rasterio
from click.testing import CliRunner

from alliantie.cli.main import cli


def _run(*args: str):
    return CliRunner().invoke(cli, ["--lang", "en", *args])


def _products(dossier_toml):
    folder = dossier_toml.parent / "products"
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name not in (".hashes.json", ".run.lock"))


def test_dem_without_crs(minimal_dossier):
    dem = minimal_dossier.parent / "inputs" / "dem.tif"
    with rasterio.open(dem) as ds:
        profile = ds.profile
        data = ds.read(1)
    profile.update(driver="GTiff", crs=None)
    dem.unlink()
    with rasterio.open(dem, "w", **profile) as ds:
        ds.write(data, 1)
    result = _run("run", str(minimal_dossier))
    assert result.exit_code == 3
    assert "dem.tif" in result.output and "CRS" in result.output and "EPSG:28992" in result.output
    assert "Traceback" not in result.output
    assert _products(minimal_dossier) == []


def test_fake_geopackage(minimal_dossier):
    soil = minimal_dossier.parent / "inputs" / "soil.gpkg"
    soil.write_bytes(b"not a geopackage at all" * 10)
    result = _run("run", str(minimal_dossier))
    assert result.exit_code == 3
    assert "soil.gpkg" in result.output and "GeoPackage" in result.output
    assert "Traceback" not in result.output
    assert _products(minimal_dossier) == []


def test_unknown_key(minimal_dossier):
    minimal_dossier.write_text(minimal_dossier.read_text().replace("resolution", "resolutoin"))
    result = _run("run", str(minimal_dossier))
    assert result.exit_code == 2
    assert "resolutoin" in result.output and "dossier.toml" in result.output
    assert "Traceback" not in result.output
    assert _products(minimal_dossier) == []


def test_check_reports_inputs(minimal_dossier):
    result = _run("check", str(minimal_dossier))
    assert result.exit_code == 0, result.output
    assert "dem" in result.output and "40 x 30" in result.output


def test_dutch_messages(minimal_dossier):
    minimal_dossier.write_text(minimal_dossier.read_text().replace("resolution", "resolutoin"))
    result = CliRunner().invoke(cli, ["--lang", "nl", "run", str(minimal_dossier)])
    assert result.exit_code == 2
    assert "onbekende sleutel" in result.output


def test_products_lists_registry():
    result = _run("products")
    assert result.exit_code == 0
    assert "report" in result.output


def test_nodata_respected(minimal_dossier):
    from alliantie.dossier import load_dossier
    from alliantie.dossier.registry import RunCache

    dem = minimal_dossier.parent / "inputs" / "dem.tif"
    from alliantie.io import read_raster, write_raster

    data = read_raster(dem)
    arr = np.nan_to_num(data.array, nan=-9999.0)
    arr[:5, :5] = -9999.0
    write_raster(dem, arr, data.grid, nodata=-9999.0)
    cache = RunCache(load_dossier(minimal_dossier))
    aligned = cache.raster("dem").array
    assert np.isnan(aligned[:5, :5]).all() and not np.isnan(aligned[10:, 10:]).any()


def test_help_in_both_languages():
    import os
    import subprocess
    import sys

    def help_text(lang: str) -> str:
        env = {**os.environ, "ALLIANTIE_LANG": lang}
        done = subprocess.run([sys.executable, "-m", "alliantie.cli.main", "run", "--help"],
                              capture_output=True, text=True, env=env, check=True)
        return done.stdout

    assert "Bereken de producten" in help_text("nl")
    assert "Compute the products" in help_text("en")


def test_check_validates_every_expert_correction(minimal_dossier):
    import geopandas as gpd
    from shapely.geometry import box

    with rasterio.open(minimal_dossier.parent / "inputs" / "dem.tif") as ds:
        x0, y0, x1, y1 = ds.bounds
    corrections = gpd.GeoDataFrame(
        {"theme": ["heat", "pluvial"], "action": ["remove", "flatten"], "reason": ["park is cool", "new wadi"],
         "author": ["J. Bakker", "R. Visser"], "date": ["2026-01-20", "2026-03-02"]},
        geometry=[box(x0, y0, (x0 + x1) / 2, (y0 + y1) / 2), box((x0 + x1) / 2, (y0 + y1) / 2, x1, y1)],
        crs="EPSG:28992",
    )
    path = minimal_dossier.parent / "inputs" / "corrections.gpkg"
    corrections.to_file(path, layer="corrections")
    text = minimal_dossier.read_text(encoding="utf-8").replace(
        "[inputs]\n", '[inputs]\ncorrections = { path = "inputs/corrections.gpkg", layer = "corrections" }\n', 1)
    minimal_dossier.write_text(text, encoding="utf-8")
    result = _run("check", str(minimal_dossier))
    assert result.exit_code == 3, result.output
    assert "corrections.gpkg" in result.output and "row 2" in result.output and "flatten" in result.output
    assert "Traceback" not in result.output
