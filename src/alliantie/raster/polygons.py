"""Polygons from rasters, made valid: GDAL's 8-connected polygonising (``rasterio.features.shapes``) draws rings
that touch themselves at a corner, which OGC rules call invalid; the products write valid ones."""

from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry


def valid_polygonal(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` made valid, its polygonal parts only: a ring that touches itself at a corner (GDAL's 8-connected
    polygonising makes those) becomes a valid Polygon or MultiPolygon of the same area."""
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom)
    if isinstance(fixed, shapely.Polygon | shapely.MultiPolygon):
        return fixed
    parts = [g for g in getattr(fixed, "geoms", []) if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
    return shapely.union_all(parts) if parts else fixed
