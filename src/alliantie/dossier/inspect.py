"""Checking a dossier's inputs without computing products (``alliantie check``)."""

from __future__ import annotations

from pathlib import Path

from alliantie.dossier.config import Dossier, input_specs
from alliantie.dossier.resources import check_memory
from alliantie.i18n import translate


def check_inputs(dossier: Dossier) -> list[str]:
    """Open every configured input (raises on the first bad one); one line per input."""
    from alliantie.dossier.area import area_mask, boundary_geometry, dossier_grid  # geopandas: only when checking
    from alliantie.dossier.breach_check import check_breach_point
    from alliantie.dossier.input_reading import describe
    from alliantie.dossier.raster_inputs import read_input_raster
    from alliantie.dossier.vector_checks import vector_check
    from alliantie.dossier.vector_schemas import Reading as VectorReading
    from alliantie.io.raster import RasterData
    from alliantie.io.vector import read_vector
    from alliantie.knowledge.national_schemas import NationalSchemas

    lines: list[str] = []
    grid = dossier_grid(dossier)
    lines.append(translate("cli.check_grid", None, width=grid.width, height=grid.height, res=grid.res, crs=grid.crs))
    check_memory(grid, path=str(dossier.toml_path))
    area = None
    rasters: dict[str, RasterData] = {}
    for name, spec in input_specs().items():
        ref = dossier.input_file(name)
        if ref is None:
            continue
        if spec.kind == "raster":
            if area is None:
                area = area_mask(grid, boundary_geometry(dossier))
            found, reading = read_input_raster(dossier, name, grid, area,
                                               dem=(lambda: rasters["dem"]) if "dem" in rasters else None)
            rasters[name] = found.data
            lines.append(translate("cli.check_raster", None, name=name, valid=f"{100 * found.coverage:.0f}"))
            # what it understood and assumed: units, datum, code list, conversions, resolution
            lines.append(translate("cli.check.understood", None, what="; ".join(describe(reading.record(), None))))
            lines.extend(_preparation_lines(name, reading.prepared))  # tiles used, gaps filled
            if reading.bgt_paved_share is not None:  # land use from the BGT (codes = "bgt")
                lines.append(translate("schemas.bgt_read", None, name=name, layers=", ".join(reading.bgt_layers),
                                       paved=f"{100 * reading.bgt_paved_share:.0f}"))
            if name == "dem" and dossier.input_file("flood_depth") is None:  # the breach where `run` would refuse it
                check_breach_point(dossier.config.parameters.flood, grid, found.data.valid)
        elif spec.kind == "document":  # strategy.toml: validated against its model, not opened as a layer
            from alliantie.parameters.strategy import load_strategy

            load_strategy(ref.path)
            lines.append(translate("cli.check_document", None, name=name))
        elif name == "corrections":  # expert corrections: every row checked now, not only when the map is made
            from alliantie.climate import dossier_scenarios
            from alliantie.contract.corrections import read_corrections_file

            ids = [s.id for s in dossier_scenarios(dossier.config.scenarios.model_dump())]
            rows = read_corrections_file(ref.path, layer=ref.layer, target_crs=dossier.config.crs, scenario_ids=ids)
            lines.append(translate("cli.check_vector", None, name=name, count=len(rows)))
        else:
            vector_reading = VectorReading()
            schemas = NationalSchemas.load(dossier.knowledge_override(NationalSchemas.FILE))
            gdf = read_vector(ref.path, layer=ref.layer, target_crs=dossier.config.crs, label=f"inputs.{name}",
                              check=vector_check(spec, columns=ref.columns, reading=vector_reading, knowledge=schemas))
            lines.append(translate("cli.check_vector", None, name=name, count=len(gdf)))
            if name in MEASURE_INPUTS:
                check_measure_layers(dossier, name)
            # what was understood and assumed
            lines.extend(f"  {line}" for line in (*vector_reading.notes, *vector_reading.warnings))
    return lines


def _preparation_lines(name: str, notes: dict[str, float | int | str]) -> list[str]:
    """``check``'s lines on how a raster was prepared: tiles used, gaps filled (the resampling is said with the
    cell size, in the line of what was understood)."""
    lines: list[str] = []
    if "tiles" in notes:
        lines.append(translate("tiles.check_tiles", None, name=name, used=notes["tiles_used"], total=notes["tiles"]))
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
        if name != "boundary" and input_specs()[name].kind == "document":
            from alliantie.parameters.strategy import load_strategy

            load_strategy(ref.path)  # a broken strategy.toml stops the run before anything is written
        elif name != "boundary" and input_specs()[name].kind == "raster" and ref.tiled:
            tile_headers(ref.files, what=what)  # each tile's header; tiles that are not one mosaic refused
        elif name != "boundary" and input_specs()[name].kind == "raster" and ref.codes != "bgt":
            try:
                with rasterio.open(ref.path) as ds:
                    if ds.crs is None:
                        raise CRSError("errors.raster_no_crs", path=ref.path, what=what, expected=dossier.config.crs)
            except rasterio.errors.RasterioIOError as exc:
                raise InputDataError("errors.raster_unreadable", path=ref.path, what=what, detail=str(exc)) from None
        else:
            try:
                # a BGT GeoPackage holds one layer per object type: its first one stands for the file here
                layer: str | int | None = 0 if ref.codes == "bgt" and ref.layer is None else ref.layer
                info = pyogrio.read_info(ref.path, layer=layer)
            except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
                raise vector_read_error(ref.path, what, ref.layer, exc) from None
            if info.get("crs") is None:
                raise CRSError("errors.vector_no_crs", path=ref.path, expected=dossier.config.crs)
            if name in MEASURE_INPUTS:  # every measure id known before a product is computed
                check_measure_layers(dossier, name)


#: Inputs whose features name measures of the catalogue (column ``measure``): the sketch (step 3) and the
#: workshop's export (step 4).
MEASURE_INPUTS = ("sketch", "workshop")


def check_measure_layers(dossier: Dossier, name: str) -> None:
    """An input error unless every feature of input ``name`` names a catalogue measure: the sketch's layer, or the
    workshop export's ``sketches`` layer and its ``synthesis_*`` layers. Reads the attribute tables only."""
    import pandas as pd
    import pyogrio

    from alliantie.dossier.provenance import path_for_record
    from alliantie.knowledge.measures import MeasureCatalogue
    from alliantie.measures.sketch import check_measure_ids

    ref = dossier.input_file(name)
    if ref is None:
        return
    present = [str(row[0]) for row in pyogrio.list_layers(ref.path)]
    layers = [ref.layer or (present[0] if present else "")]
    if name == "workshop":
        layers = [ref.layer or "sketches", *(n for n in present if n.startswith("synthesis_"))]
    catalogue = MeasureCatalogue.load(dossier.knowledge_override(MeasureCatalogue.FILE))
    shown = path_for_record(Path(ref.path), dossier.root)
    for layer in [n for n in dict.fromkeys(layers) if n in present]:  # a missing layer: the reader says so
        fields = [str(f) for f in pyogrio.read_info(ref.path, layer=layer)["fields"]]
        frame = (pyogrio.read_dataframe(ref.path, layer=layer, read_geometry=False, columns=["measure"])
                 if "measure" in fields else pd.DataFrame(columns=fields))
        check_measure_ids(frame, catalogue, label=f"{shown}:{layer}")
