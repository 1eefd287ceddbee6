"""Checking a dossier's inputs without computing products (``alliantie check``)."""

from __future__ import annotations

from alliantie.dossier.config import Dossier, input_specs
from alliantie.dossier.resources import check_memory
from alliantie.i18n import translate


def check_inputs(dossier: Dossier) -> list[str]:
    """Open every configured input (raises on the first bad one); one line per input."""
    from alliantie.dossier.area import area_mask, boundary_geometry, dossier_grid  # geopandas: only when checking
    from alliantie.dossier.breach_check import check_breach_point
    from alliantie.dossier.raster_checks import check_raster
    from alliantie.dossier.raster_input import fill_dem, read_input_raster
    from alliantie.dossier.vector_checks import vector_check
    from alliantie.io.vector import read_vector

    lines: list[str] = []
    grid = dossier_grid(dossier)
    lines.append(translate("cli.check_grid", None, width=grid.width, height=grid.height, res=grid.res, crs=grid.crs))
    check_memory(grid, path=str(dossier.toml_path))
    area = None
    for name, spec in input_specs().items():
        ref = dossier.input_file(name)
        if ref is None:
            continue
        if spec.kind == "raster":
            read = read_input_raster(dossier, name, grid)
            if area is None:
                area = area_mask(grid, boundary_geometry(dossier))
            found = check_raster(read.data, area, path=ref.path, what=f"inputs.{name}", plausible=spec.plausible,
                                 unit=spec.unit, coverage_rule=spec.coverage_rule)
            lines.append(translate("cli.check_raster", None, name=name, valid=f"{100 * found.coverage:.0f}"))
            lines.extend(_preparation_lines(name, read.notes))
            if name == "dem" and dossier.input_file("flood_depth") is None:  # the breach where `run` would refuse it
                check_breach_point(dossier.config.parameters.flood, grid, found.data.valid)
            if name == "dem":
                filled = fill_dem(found.data, area, ref, grid)
                lines.extend(_preparation_lines(name, filled.notes))
        elif name == "corrections":  # expert corrections: every row checked now, not only when the map is made
            from alliantie.climate import dossier_scenarios
            from alliantie.contract.corrections import read_corrections_file

            ids = [s.id for s in dossier_scenarios(dossier.config.scenarios.model_dump())]
            rows = read_corrections_file(ref.path, layer=ref.layer, target_crs=dossier.config.crs, scenario_ids=ids)
            lines.append(translate("cli.check_vector", None, name=name, count=len(rows)))
        else:
            gdf = read_vector(ref.path, layer=ref.layer, target_crs=dossier.config.crs, label=f"inputs.{name}",
                              check=vector_check(spec))
            lines.append(translate("cli.check_vector", None, name=name, count=len(gdf)))
    return lines


def _preparation_lines(name: str, notes: dict[str, float | int | str]) -> list[str]:
    """``check``'s lines on how a raster was prepared: tiles used, resampling, gaps filled."""
    lines: list[str] = []
    if "tiles" in notes:
        lines.append(translate("tiles.check_tiles", None, name=name, used=notes["tiles_used"], total=notes["tiles"]))
    if "resampling" in notes:
        lines.append(translate("tiles.check_resampling", None, name=name, method=notes["resampling"]))
    if "filled_share" in notes:
        share = float(notes["filled_share"])
        lines.append(translate("tiles.check_filled", None, name=name, share=f"{100 * share:.1f}",
                               interpolated=notes["filled_interpolated"], lowest=notes["filled_lowest_edge"]))
    return lines


def preflight(dossier: Dossier, names: set[str]) -> None:
    """Open the header of every input in ``names`` (fast); raise the reader's clear error on the first bad one.

    Run before any product is computed, so a DEM without CRS or a broken
    GeoPackage stops the run before anything is written.
    """
    import pyogrio
    import pyogrio.errors
    import rasterio
    import rasterio.errors

    from alliantie.errors import CRSError, InputDataError
    from alliantie.io.mosaic import tile_headers
    from alliantie.io.vector import vector_read_error

    for name in sorted(names):
        ref = dossier.input_file(name)
        if ref is None:
            continue
        what = "boundary" if name == "boundary" else f"inputs.{name}"
        if name != "boundary" and input_specs()[name].kind == "raster" and ref.tiled:
            tile_headers(ref.files, what=what)  # each tile's header; tiles that are not one mosaic refused
        elif name != "boundary" and input_specs()[name].kind == "raster":
            try:
                with rasterio.open(ref.path) as ds:
                    if ds.crs is None:
                        raise CRSError("errors.raster_no_crs", path=ref.path, what=what, expected=dossier.config.crs)
            except rasterio.errors.RasterioIOError as exc:
                raise InputDataError("errors.raster_unreadable", path=ref.path, what=what, detail=str(exc)) from None
        else:
            try:
                info = pyogrio.read_info(ref.path, layer=ref.layer)
            except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
                raise vector_read_error(ref.path, what, ref.layer, exc) from None
            if info.get("crs") is None:
                raise CRSError("errors.vector_no_crs", path=ref.path, expected=dossier.config.crs)
