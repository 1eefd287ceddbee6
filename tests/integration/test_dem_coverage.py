"""An elevation model that does not cover the study area is refused at the door (issue 15, item 1)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
import rasterio
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.dossier import load_dossier, run_dossier
from alliantie.grid import Grid
from alliantie.io.raster import write_raster
from alliantie.testing import write_minimal_dossier


def _replace_dem(toml: Path, keep_columns: float, *, shift_m: float = 0.0) -> Path:
    """Rewrite the dossier's DEM with data in the first ``keep_columns`` share of its columns, optionally shifted."""
    path = toml.parent / "inputs" / "dem.tif"
    with rasterio.open(path) as ds:
        dem = ds.read(1)
        left, bottom, right, top = ds.bounds
        res = ds.res[0]
    cut = round(keep_columns * dem.shape[1])
    dem = dem.astype(np.float32).copy()
    dem[:, cut:] = -9999.0
    grid = Grid.from_bounds((left + shift_m, bottom, right + shift_m, top), res)
    write_raster(path, dem, grid, nodata=-9999.0)
    return path


@pytest.mark.parametrize(("keep", "shift"), [(0.0, 0.0), (1.0, 50_000.0), (0.3, 0.0)])
@pytest.mark.parametrize("command", ["check", "run"])
def test_an_empty_missing_or_mostly_missing_dem_is_refused(tmp_path: Path, keep: float, shift: float,
                                                           command: str) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    path = _replace_dem(toml, keep, shift_m=shift)
    result = CliRunner().invoke(cli, ["--lang", "en", command, str(toml)])
    assert result.exit_code == 3, result.output
    text = " ".join(result.output.split())
    assert path.name in text
    assert "of the study area" in text and "Traceback" not in text
    products = tmp_path / "d" / "products"
    assert not products.exists() or not any(p.is_dir() for p in products.iterdir())  # nothing computed


def test_a_partly_covering_dem_runs_with_a_warning_that_names_the_share(tmp_path: Path, caplog) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    _replace_dem(toml, 0.8)
    with caplog.at_level(logging.WARNING):
        summary = run_dossier(load_dossier(toml), products=["baseinfo.elevation"])
    assert summary.computed == ["baseinfo.elevation"]
    assert any("covers 8" in r.getMessage() and "% of the study area" in r.getMessage() for r in caplog.records)
