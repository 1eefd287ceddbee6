"""Vector reading (GeoPackage, Shapefile, GeoJSON, or a GeoDataFrame) and GeoPackage writing."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeAlias

import geopandas as gpd
import pyogrio
import pyogrio.errors
import shapely

from alliantie.errors import CRSError, InputDataError
from alliantie.grid import RD_NEW
from alliantie.i18n import translate
from alliantie.io.atomic import atomic_file
from alliantie.io.styles import embed_gpkg_style

log = logging.getLogger(__name__)

#: Timestamp written into GeoPackages so that equal data gives equal files.
FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"

VectorSource: TypeAlias = str | os.PathLike[str] | gpd.GeoDataFrame


def gdal_detail(exc: BaseException) -> str:
    """The useful first part of a GDAL/OGR message, without its driver hints and the repeated path."""
    text = " ".join(str(exc).split())
    for cut in (" It might help", " Consider "):
        if cut in text:
            text = text.split(cut, 1)[0]
    return text


def _layers(path: Path) -> list[str] | None:
    """The layer names of the vector file ``path``, or None where it cannot be opened at all."""
    try:
        return [str(row[0]) for row in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, sqlite3.DatabaseError):
        return None


def vector_read_error(path: Path | str, what: str, layer: str | None, exc: BaseException) -> InputDataError:
    """The error for a vector file GDAL could not read: a missing layer named with the layers present (11b),
    otherwise 'not a readable vector file' with GDAL's detail."""
    present = _layers(Path(path)) if layer is not None else None
    if present is not None and layer not in present:
        return InputDataError("errors.vector_layer_missing", path=str(path), what=what, layer=layer,
                              present=", ".join(present) or "-")
    return InputDataError("errors.vector_unreadable", path=str(path), what=what, detail=gdal_detail(exc))


def read_vector(
    source: VectorSource,
    *,
    layer: str | None = None,
    target_crs: str = RD_NEW,
    bbox: tuple[float, float, float, float] | None = None,
    label: str | None = None,
    required_columns: tuple[str, ...] = (),
    check: Callable[[gpd.GeoDataFrame, str], gpd.GeoDataFrame] | None = None,
) -> gpd.GeoDataFrame:
    """Read a vector layer from a path (GeoPackage, Shapefile, GeoJSON) or a GeoDataFrame.

    Data in another CRS is reprojected to ``target_crs`` with a log line; data
    without a CRS is refused. Invalid geometries (self-intersecting polygons)
    are repaired with :func:`shapely.make_valid`, with a warning naming the
    count. ``bbox`` (in ``target_crs``) keeps only features that intersect it.
    ``check(frame, name)`` is applied to the whole layer (after reprojection,
    before empty geometries are dropped and before ``bbox``): the dossier's
    checks of geometry family and columns; it returns the frame to go on with.
    """
    if isinstance(source, gpd.GeoDataFrame):
        name = label or "GeoDataFrame"
        gdf = source.copy()
    else:
        path = Path(source)
        name = label or path.name
        if not path.exists():
            raise InputDataError("errors.file_missing", path=str(path), what=name)
        try:
            gdf = pyogrio.read_dataframe(path, layer=layer)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise vector_read_error(path, name, layer, exc) from None
        except sqlite3.DatabaseError as exc:  # pragma: no cover - depends on GDAL build
            raise InputDataError(
                "errors.vector_unreadable", path=str(path), what=name, detail=str(exc)
            ) from None
        name = str(path)
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None:
        raise InputDataError("errors.vector_no_geometry", path=name)
    if gdf.crs is None:
        raise CRSError("errors.vector_no_crs", path=name, expected=target_crs)
    if not gdf.crs.equals(target_crs):
        log.info("%s", translate("io.reprojecting", None, what=name, source=gdf.crs.to_string(), target=target_crs))
        gdf = gdf.to_crs(target_crs)
    if check is not None:
        gdf = check(gdf, name)
    missing = [c for c in required_columns if c not in gdf.columns]
    if missing:
        raise InputDataError(
            "errors.vector_columns", path=name, missing=", ".join(missing),
            present=", ".join(str(c) for c in gdf.columns if c != "geometry"),
        )
    gdf = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        log.warning("%s", translate("io.repaired", None, what=name, count=int(invalid.sum())))
        gdf.loc[invalid, gdf.geometry.name] = shapely.make_valid(gdf.geometry[invalid].values)
    if bbox is not None:
        gdf = gdf[gdf.geometry.intersects(shapely.box(*bbox))]
    return gdf.reset_index(drop=True)


@contextlib.contextmanager
def _fixed_gpkg_timestamp() -> Iterator[None]:
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def write_vector_layers(
    path: str | os.PathLike[str],
    layers: Sequence[tuple[str, gpd.GeoDataFrame, str | None, str | None]],
) -> Path:
    """Write ``(layer, frame, geometry type for an empty frame, qml)`` layers into one GeoPackage, atomically.

    The file is reproducible: the same data gives the same bytes (GeoPackage
    timestamps are fixed), so content hashes in provenance and the cache stay
    stable. Each layer gets its QGIS style in ``layer_styles``.
    """
    final = Path(path)
    with _fixed_gpkg_timestamp(), atomic_file(final) as tmp:
        for layer, gdf, geometry_type, qml in layers:
            pyogrio.write_dataframe(
                gdf, tmp, layer=layer, driver="GPKG", geometry_type=geometry_type if gdf.empty else None
            )
            if qml is not None:
                embed_gpkg_style(tmp, layer, qml, timestamp=FIXED_TIMESTAMP)
    return final


def write_vector(
    path: str | os.PathLike[str],
    gdf: gpd.GeoDataFrame,
    *,
    layer: str,
    qml: str | None = None,
) -> Path:
    """Write ``gdf`` as one GeoPackage layer, atomically and reproducibly, with an embedded QGIS style."""
    return write_vector_layers(path, [(layer, gdf, None, qml)])
