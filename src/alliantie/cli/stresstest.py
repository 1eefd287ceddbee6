"""``alliantie stresstest --dem DEM.tif --landuse LU.tif --buildings B.gpkg --out DIR``: the stresstest-light."""

from __future__ import annotations

from pathlib import Path

import click

from alliantie.cli.common import _h, _t, err_console, handle_errors, out_console
from alliantie.errors import storage_errors
from alliantie.i18n import LANGUAGES, current_language

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("stresstest", help=_h("stresstest"))
@click.option("--dem", type=_FILE, required=True, help=_h("st_dem"))
@click.option("--landuse", type=_FILE, required=True, help=_h("st_landuse"))
@click.option("--buildings", type=_FILE, required=True, help=_h("st_buildings"))
@click.option("--soil", type=_FILE, default=None, help=_h("st_soil"))
@click.option("--neighbourhoods", type=_FILE, default=None, help=_h("st_neighbourhoods"))
@click.option("--roads", type=_FILE, default=None, help=_h("st_roads"))
@click.option("--ghg", type=_FILE, default=None, help=_h("st_ghg"))
@click.option("--glg", type=_FILE, default=None, help=_h("st_glg"))
@click.option("--boundary", type=_FILE, default=None, help=_h("st_boundary"))
@click.option("--flood-depth", "flood_depth", type=_FILE, default=None, help=_h("st_flood_depth"))
@click.option("--resolution", type=click.FloatRange(min=0.5, max=1000), default=None, help=_h("st_resolution"))
@click.option("--name", type=str, default=None, help=_h("st_name"))
@click.option("--language", type=click.Choice(LANGUAGES), default=None, help=_h("st_language"))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True, help=_h("st_out"))
@handle_errors
def stresstest(dem: Path, landuse: Path, buildings: Path, soil: Path | None, neighbourhoods: Path | None,
               roads: Path | None, ghg: Path | None, glg: Path | None, boundary: Path | None,
               flood_depth: Path | None, resolution: float | None, name: str | None, language: str | None,
               out: Path) -> None:
    """Stresstest-light on minimal data: a dossier in OUT and the one-page ``stresstest.pdf``."""
    from alliantie.contract.stresstest import read_stresstest_summary
    from alliantie.method.stresstest.minimal import StresstestFiles, run_stresstest

    files = StresstestFiles(dem=dem, landuse=landuse, buildings=buildings, soil=soil, neighbourhoods=neighbourhoods,
                            roads=roads, ghg=ghg, glg=glg, boundary=boundary, flood_depth=flood_depth)
    with err_console.status(_t("stresstest.cli.running")), storage_errors(out.absolute()):
        result = run_stresstest(files, out, name=name, language=language or current_language(),
                                resolution=resolution)
    summary = read_stresstest_summary(result.product_dir)
    themes = {} if summary is None else summary.themes
    assessed = [_t(f"report.themes.{t}") for t, v in themes.items() if v.assessed]
    skipped = [_t(f"report.themes.{t}") for t, v in themes.items() if not v.assessed]
    out_console.print(_t("stresstest.cli.done", seconds=f"{result.seconds:.1f}", pdf=str(result.pdf_path),
                         assessed=", ".join(assessed) or "-", skipped=", ".join(skipped) or "-"), highlight=False)


#: The command, typed for the group in :mod:`alliantie.cli.main`.
command: click.Command = stresstest
