"""``alliantie bluespots DEM.tif --rain-mm 70``: bluespots and water depth outside a dossier."""

from __future__ import annotations

import time
from pathlib import Path

import click

from alliantie.cli.common import _h, _t, err_console, handle_errors, out_console
from alliantie.errors import storage_errors
from alliantie.i18n import current_language


@click.command("bluespots", help=_h("bluespots"))
@click.argument("dem", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rain-mm", type=float, default=70.0, show_default=True, help=_h("bs_rain"))
@click.option("--buildings", "buildings", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=_h("bs_buildings"))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("bluespots"),
              show_default=True, help=_h("bs_out"))
@click.option("--loss-mm", type=float, default=0.0, show_default=True,
              help=_h("bs_loss"))
@click.option("--raise-m", type=float, default=10.0, show_default=True,
              help=_h("bs_raise"))
@click.option("--min-depth-m", type=float, default=0.02, show_default=True, help=_h("bs_min"))
@click.option("--units", type=click.Choice(["m", "dm", "cm", "mm"]), default=None, help=_h("bs_units"))
@handle_errors
def bluespots(dem: Path, rain_mm: float, buildings: Path | None, out: Path, loss_mm: float, raise_m: float,
              min_depth_m: float, units: str | None) -> None:
    """Bluespots and water depth after a cloudburst on a GeoTIFF elevation model, outside a dossier."""
    from alliantie.method.urgency.pluvial.standalone import bluespots_on_dem
    from alliantie.parameters.pluvial import PluvialParameters

    started = time.perf_counter()
    params = PluvialParameters(building_raise_m=raise_m, min_depth_m=min_depth_m)
    with err_console.status(_t("pluvial.cli.help")), storage_errors(out.absolute()):
        result = bluespots_on_dem(dem, rain_mm, out, buildings_path=buildings, loss_mm=loss_mm, params=params,
                                  language=current_language(), units=units)
    case = result.cases[0]
    out_console.print(_t(
        "pluvial.cli.done", seconds=f"{time.perf_counter() - started:.1f}", bluespots=len(result.spots),
        stored=f"{float(case.rain_m3 - case.outflow_m3):,.0f}", outflow=f"{case.outflow_m3:,.0f}",
        facade=int((case.building_class >= 1).sum()), above=int((case.building_class >= 2).sum()), out=str(out),
    ), highlight=False)


#: The command, typed for the group in :mod:`alliantie.cli.main` (which imports this module at its end).
command: click.Command = bluespots
