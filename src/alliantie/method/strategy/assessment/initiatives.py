"""An initiative file (a GeoPackage of polygons with optional attributes) read and checked at the door.

Refused with a message that names the file and says what to do: not a GeoPackage, no coordinate reference
system, no polygons (or a feature that is not one), polygons outside the dossier's study area (most often a
wrong CRS), an attribute that is not a number or a share outside 0-1.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from alliantie.errors import InputDataError
from alliantie.io.vector import read_vector
from alliantie.method.strategy.assessment.rules import (
    NUMBER_ATTRIBUTES,
    SHARE_ATTRIBUTES,
    TEXT_ATTRIBUTES,
    Initiative,
    parse_number,
)

POLYGONS = ("Polygon", "MultiPolygon")
#: The first bytes of every GeoPackage (an SQLite 3 database).
SQLITE_HEADER = b"SQLite format 3\x00"


def read_initiative_file(path: Path, *, crs: str, area: BaseGeometry, layer: str | None = None) -> list[Initiative]:
    """The initiatives of the GeoPackage at ``path`` (reprojected to ``crs``), checked against the study ``area``."""
    path = Path(path)
    if not path.exists():
        raise InputDataError("errors.file_missing", path=str(path), what=path.name)
    if path.is_dir() or path.suffix.lower() != ".gpkg" or not _is_sqlite(path):
        raise InputDataError("assessment.errors.not_gpkg", path=str(path))
    frame = read_vector(path, layer=layer, target_crs=crs, label=path.name)
    return initiatives_from_frame(frame, label=str(path), area=area, crs=crs)


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def initiatives_from_frame(frame: gpd.GeoDataFrame, *, label: str, area: BaseGeometry, crs: str
                           ) -> list[Initiative]:
    """The initiatives of ``frame`` (already in the dossier's ``crs``); ``label`` names the source in errors."""
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)].reset_index(drop=True)
    kinds = sorted(set(frame.geometry.geom_type))
    if frame.empty or not set(kinds) & set(POLYGONS):
        raise InputDataError("assessment.errors.no_polygons", path=label, found=", ".join(kinds) or "-")
    for i, kind in enumerate(frame.geometry.geom_type, start=1):
        if kind not in POLYGONS:
            raise InputDataError("assessment.errors.not_polygon", path=label, feature=i, found=kind)
    outside = [i for i, g in enumerate(frame.geometry, start=1) if not g.intersects(area)]
    if outside:
        xmin, ymin, xmax, ymax = (round(v) for v in area.bounds)
        raise InputDataError("assessment.errors.outside", path=label, features=", ".join(map(str, outside[:10])),
                             crs=crs, extent=f"{xmin}, {ymin} – {xmax}, {ymax}")
    out: list[Initiative] = []
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        values = row._asdict()
        attributes: dict[str, str | float | None] = {}
        for name in NUMBER_ATTRIBUTES:
            raw = values.get(name)
            try:
                number = parse_number(raw)
            except (TypeError, ValueError):
                raise InputDataError("assessment.errors.bad_number", path=label, feature=i, attribute=name,
                                     value=str(raw)[:40]) from None
            if number is not None and (number < 0 or (name in SHARE_ATTRIBUTES and number > 1)):
                raise InputDataError("assessment.errors.bad_range", path=label, feature=i, attribute=name,
                                     value=str(raw)[:40], range="0 – 1" if name in SHARE_ATTRIBUTES else "≥ 0")
            attributes[name] = number
        for name in TEXT_ATTRIBUTES:
            raw = values.get(name)
            text = str(raw).strip().lower() if isinstance(raw, str) and raw.strip() else None
            attributes[name] = text
        name_value = values.get("name")
        name = str(name_value).strip() if isinstance(name_value, str) and name_value.strip() else f"#{i}"
        ident = values.get("id")
        ident_text = str(ident) if ident is not None and str(ident).strip() and str(ident) != "nan" else str(i)
        geometry = values["geometry"] if "geometry" in values else frame.geometry.iloc[i - 1]
        if not shapely.is_valid(geometry):
            geometry = shapely.make_valid(geometry)
        out.append(Initiative(id=ident_text, name=name, geometry=geometry, attributes=attributes))
    return out


__all__ = ["initiatives_from_frame", "read_initiative_file"]
