"""The review's passing full-run cases kept as slow tests (21e, 24c): a tiny grid and no future climate.

Run with ``pytest -m slow``. Each runs every product and the report on the
minimal dossier and expects what the review saw: exit 0, a report, no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.testing import write_minimal_dossier


def _run(toml: Path) -> str:
    result = CliRunner().invoke(cli, ["--lang", "en", "run", str(toml)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert (toml.parent / "report" / "index.html").exists()
    return result.output


@pytest.mark.slow
def test_21e_a_grid_of_four_by_three_cells_runs(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    toml.write_text(toml.read_text(encoding="utf-8").replace("resolution = 10.0", "resolution = 100.0"),
                    encoding="utf-8")
    _run(toml)


@pytest.mark.slow
def test_24c_no_future_climate_runs_today_only(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[scenarios]\nknmi = []\nhorizons = []\n", encoding="utf-8")
    _run(toml)
    products = toml.parent / "products"
    names = [p.name for p in products.rglob("*.tif")]
    assert names and not any("2050" in n or "2100" in n for n in names)
