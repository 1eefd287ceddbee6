"""Square brackets in paths and messages are printed as they are, never read as Rich markup."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.testing import write_minimal_dossier


def test_a_folder_with_brackets_is_named_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "Dossier [concept]" / "[/b]"
    toml = write_minimal_dossier(folder)
    (folder / "inputs" / "dem.tif").unlink()
    result = CliRunner().invoke(cli, ["--lang", "en", "check", str(toml)])
    assert result.exit_code == 2, result.output
    assert "MarkupError" not in result.output
    assert "Dossier [concept]" in " ".join(result.output.split())


def test_a_successful_run_in_such_a_folder_ends_cleanly(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "x [/b] [bold]")
    result = CliRunner().invoke(cli, ["--lang", "en", "run", str(toml), "--product", "baseinfo.elevation"])
    assert result.exit_code == 0, result.output
    assert "[/b] [bold]" in " ".join(result.output.split())
