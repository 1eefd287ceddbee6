"""The breach point checked at the door (issue 15 item 1: check and run agree; review cases 05b, 38f, 26d).

A breach point where the elevation model has no data used to end in "nothing
floods, choose another point on the dike" (exit 0), and ``check`` said "in
orde". Now both refuse it, naming the breach point and the missing elevation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rasterio
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.testing import write_minimal_dossier


def _with_breach(toml: Path, x: float, y: float, search_m: float = 50.0) -> None:
    text = toml.read_text(encoding="utf-8")
    text += f"\n[parameters.flood]\nbreach_x = {x}\nbreach_y = {y}\nriver_level_m = 5.0\nbreach_search_m = {search_m}\n"
    toml.write_text(text, encoding="utf-8")


def _blank_east_half(toml: Path) -> None:
    """No elevation in the eastern 40 % of the DEM (60 % coverage: the run goes on with a warning)."""
    path = toml.parent / "inputs" / "dem.tif"
    with rasterio.open(path) as ds:
        profile, dem = ds.profile, ds.read(1)
    dem[:, round(0.6 * dem.shape[1]):] = profile["nodata"]
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(dem, 1)


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_breach_point_without_elevation_around_it_is_refused(tmp_path: Path, command: str) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    _blank_east_half(toml)
    _with_breach(toml, 155390.0, 463150.0)  # east edge: no DEM within 50 m
    result = CliRunner().invoke(cli, ["--lang", "en", command, str(toml)])
    assert result.exit_code == 3, result.output
    text = " ".join(result.output.split())
    assert "no data within 50 m of the breach point (155390, 463150)" in text and "Traceback" not in text
    products = tmp_path / "d" / "products"
    assert not products.exists() or not any(p.is_dir() for p in products.iterdir())


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_breach_point_outside_the_grid_names_the_crs(tmp_path: Path, command: str) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    _with_breach(toml, 5.1, 52.1)  # degrees typed where RD metres belong
    result = CliRunner().invoke(cli, ["--lang", "en", command, str(toml)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "outside the dossier grid" in text and "EPSG:28992" in text and "Traceback" not in text


def test_a_breach_point_on_the_elevation_model_passes_check(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    _blank_east_half(toml)
    _with_breach(toml, 155100.0, 463150.0)
    result = CliRunner().invoke(cli, ["--lang", "en", "check", str(toml)])
    assert result.exit_code == 0, result.output
