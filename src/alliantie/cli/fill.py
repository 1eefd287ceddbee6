"""``alliantie fill DEM.tif FILLED.tif``: depression filling of a GeoTIFF of any size, window by window."""

from __future__ import annotations

import time
from pathlib import Path

import click

from alliantie.cli.common import _h, _t, err_console, handle_errors, out_console


@click.command("fill", help=_h("fill"))
@click.argument("dem", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tile", type=click.IntRange(min=64), default=4096, show_default=True, help=_h("fill_tile"))
@click.option("--workers", type=click.IntRange(min=1), default=None, help=_h("fill_workers"))
@handle_errors
def fill(dem: Path, out: Path, tile: int, workers: int | None) -> None:
    """Fill the depressions of a GeoTIFF DEM into a new GeoTIFF with bounded memory (Barnes 2016 on Dask)."""
    import rasterio

    from alliantie.errors import InputDataError, storage_errors
    from alliantie.hydrology import fill_geotiff_tiled
    from alliantie.io.atomic import atomic_file

    if not dem.exists():
        raise InputDataError("errors.file_missing", path=str(dem), what="DEM")
    started = time.perf_counter()
    if dem.is_dir():
        raise InputDataError("errors.input_is_folder", path=str(dem), what="DEM")
    # the output is written beside OUT and renamed into place: a read-only folder or a full disk leaves nothing
    with (err_console.status(_t("cli.fill_running", path=str(dem))), storage_errors(out.absolute().parent),
          atomic_file(out) as tmp):
        fill_geotiff_tiled(dem, tmp, tile=tile, num_workers=workers)
    with rasterio.open(out) as ds:
        cells = ds.width * ds.height
    seconds = time.perf_counter() - started
    out_console.print(_t("cli.fill_done", cells=f"{cells / 1e6:,.1f}", seconds=f"{seconds:.1f}",
                         rate=f"{cells / 1e6 / max(seconds, 1e-9):,.1f}", out=str(out)), highlight=False)


#: The command, typed for the group in :mod:`alliantie.cli.main`.
command: click.Command = fill
