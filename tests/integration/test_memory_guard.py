"""A grid too large for the machine is refused before any work, with the estimate and a resolution that fits."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.dossier.resources import BASE_BYTES, BYTES_PER_CELL, SHARE, check_memory, memory_estimate
from alliantie.errors import ConfigError
from alliantie.grid import Grid
from alliantie.testing import write_minimal_dossier


def test_the_estimate_and_the_resolution_that_fits() -> None:
    grid = Grid.from_bounds((0.0, 0.0, 10_000.0, 8_000.0), 0.5)  # 20000 x 16000 cells
    assert memory_estimate(grid.width * grid.height) == BASE_BYTES + BYTES_PER_CELL * 320_000_000
    with pytest.raises(ConfigError) as err:
        check_memory(grid, path="d/dossier.toml", available=24 * 2**30)
    message = err.value.message("en")
    assert "20000 × 16000" in message and "resolution = 0.5 m" in message and "24.0 GB" in message
    fit = float(message.split("Choose resolution = ")[1].split(" ")[0])
    assert fit > 0.5
    coarse = Grid.from_bounds((0.0, 0.0, 10_000.0, 8_000.0), fit)
    check_memory(coarse, path="d/dossier.toml", available=24 * 2**30)  # the suggested resolution fits
    assert memory_estimate(coarse.width * coarse.height) <= SHARE * 24 * 2**30
    check_memory(grid, path="d/dossier.toml", available=10**15)  # plenty of memory: nothing to say


@pytest.mark.parametrize("command", ["check", "run"])
def test_check_and_run_refuse_a_centimetre_grid_and_write_nothing(tmp_path: Path, command: str) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    toml.write_text(toml.read_text().replace("resolution = 10.0", "resolution = 0.01"))
    result = CliRunner().invoke(cli, ["--lang", "en", command, str(toml)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "resolution = 0.01 m" in text and "Choose resolution =" in text and "Traceback" not in text
    products = tmp_path / "d" / "products"
    assert not products.exists() or {p.name for p in products.iterdir()} <= {".hashes.json", ".run.lock"}
