"""Impossible raster values and rasters that do not cover the area, answered at the door (issue 15, item 1).

Review cases 07 (a 1e30 block in the DEM) and 07b (ArcGIS's -3.4e38 edge strip
without a nodata tag): the values were used as elevation, every product and the
damage changed, exit 0. Now they are no data, counted in a warning; when they
are most of the study area (a DEM in centimetres, a GHG grid of fill values) the
raster is refused with what was found and what to do.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
import rasterio
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.dossier import load_dossier, run_dossier
from alliantie.io.raster import read_raster
from alliantie.testing import write_minimal_dossier


def _rewrite(path: Path, change, *, nodata: float | None = "keep") -> None:  # type: ignore[assignment]
    """Rewrite raster ``path`` with ``change(array)`` applied; ``nodata=None`` drops the nodata tag."""
    with rasterio.open(path) as ds:
        profile = ds.profile
        array = ds.read(1).astype(np.float32)
    array = change(array)
    profile.update(dtype="float32")
    if nodata != "keep":
        profile.update(nodata=nodata)
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(array, 1)


def _block(value: float, share_rows: float):
    def change(a: np.ndarray) -> np.ndarray:
        a = a.copy()
        a[: max(1, round(share_rows * a.shape[0])), :] = value
        return a
    return change


@pytest.mark.parametrize(("value", "nodata"), [(1e30, "keep"), (-3.4e38, None), (-9999.0, None)])
def test_a_block_of_fill_values_in_the_dem_becomes_no_data_with_a_warning(tmp_path: Path, caplog, value: float,
                                                                            nodata) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    dem = toml.parent / "inputs" / "dem.tif"
    _rewrite(dem, _block(value, 0.1), nodata=nodata)
    with caplog.at_level(logging.WARNING):
        summary = run_dossier(load_dossier(toml), products=["baseinfo.elevation"])
    assert summary.computed == ["baseinfo.elevation"]
    messages = [r.getMessage() for r in caplog.records]
    assert any("dem.tif" in m and "impossible values" in m and "treated as no data" in m for m in messages), messages
    out = read_raster(toml.parent / "products" / "baseinfo.elevation" / "elevation.tif").array
    assert np.nanmax(out) < 350 and np.nanmin(out) > -10  # nothing of the fill value reached the product


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_dem_in_centimetres_is_refused_naming_the_unit(tmp_path: Path, command: str) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    dem = toml.parent / "inputs" / "dem.tif"
    _rewrite(dem, lambda a: np.where(np.isfinite(a), a * 100.0 + 1000.0, a))  # cm, and all above 350
    result = CliRunner().invoke(cli, ["--lang", "en", command, str(toml)])
    assert result.exit_code == 3, result.output
    text = " ".join(result.output.split())
    # the unit is named, with what to write in dossier.toml (dossier/raster_inputs.py)
    assert "dem.tif" in text and "m NAP" in text and 'dem = { path = "inputs/dem.tif", units = "cm" }' in text
    assert "Traceback" not in text
    products = tmp_path / "d" / "products"
    assert not products.exists() or not any(p.is_dir() for p in products.iterdir())


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_land_use_grid_that_misses_the_area_is_refused(tmp_path: Path, command: str) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    path = toml.parent / "inputs" / "landuse.tif"
    with rasterio.open(path) as ds:
        profile = ds.profile
        array = ds.read(1)
    profile.update(nodata=255 if array.dtype == np.uint8 else -1)
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(np.full_like(array, profile["nodata"]), 1)
    result = CliRunner().invoke(cli, ["--lang", "en", command, str(toml)])
    assert result.exit_code == 3, result.output
    text = " ".join(result.output.split())
    assert "landuse.tif" in text and "inputs.landuse" in text and "of the study area" in text
    assert "Traceback" not in text


def test_an_empty_groundwater_grid_is_named_in_a_warning(tmp_path: Path, caplog) -> None:
    """Groundwater may be absent (the stresstest-light writes an empty placeholder; drought is then not assessed)."""
    toml = write_minimal_dossier(tmp_path / "d")
    ghg = toml.parent / "inputs" / "ghg.tif"
    _rewrite(ghg, lambda a: np.full_like(a, -9999.0), nodata=-9999.0)
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(cli, ["--lang", "en", "check", str(toml)])
    assert result.exit_code == 0, result.output
    assert any("ghg.tif" in r.getMessage() and "covers 0.0% of the study area" in r.getMessage()
               for r in caplog.records)


def test_check_reports_the_share_after_impossible_values_are_removed(tmp_path: Path, caplog) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    _rewrite(toml.parent / "inputs" / "dem.tif", _block(1e30, 0.2))
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(cli, ["--lang", "en", "check", str(toml)])
    assert result.exit_code == 0, result.output
    assert any("impossible values" in r.getMessage() for r in caplog.records)
    line = next(x for x in result.output.splitlines() if "dem" in x and "%" in x)
    share = float(line.split("%")[0].split()[-1])
    assert 70 <= share <= 85, line  # the 1e30 rows are no longer counted as data


def test_the_report_input_table_names_the_coverage_and_the_impossible_cells(tmp_path: Path) -> None:
    """What the door found travels with the product's provenance into the report's input table (item 1)."""
    import json

    from alliantie.report.context import input_rows, load_product
    from alliantie.report.view import _what

    toml = write_minimal_dossier(tmp_path / "d")
    _rewrite(toml.parent / "inputs" / "dem.tif", _block(1e30, 0.1))
    dossier = load_dossier(toml)
    run_dossier(dossier, products=["baseinfo.elevation"])
    folder = toml.parent / "products" / "baseinfo.elevation"
    checks = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))["input_checks"]["dem"]
    assert checks["implausible_cells"] > 0 and 0.8 <= checks["coverage"] <= 0.95
    rows = {r.name: r for r in input_rows(dossier, [load_product("baseinfo.elevation", 2, folder)])}
    text = _what(rows["dem"], "en", {})
    assert f"{checks['implausible_cells']} cells with impossible values" in text and "% of the study area" in text
    assert rows["landuse"].coverage is None  # not read by that product: nothing claimed
