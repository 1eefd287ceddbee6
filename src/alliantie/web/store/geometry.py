"""A geometry column that is PostGIS ``geometry(Geometry, 4326)`` on PostgreSQL and WKB bytes on SQLite.

Python sees shapely geometries in EPSG:4326 on both. On PostgreSQL the value travels as hexadecimal EWKB,
which PostGIS reads and writes natively, so no spatial SQL function is needed on either side.
"""

from __future__ import annotations

from typing import Any

import shapely
from geoalchemy2 import Geometry
from shapely.geometry.base import BaseGeometry
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

SRID = 4326


class GeometryColumn(TypeDecorator[BaseGeometry]):
    """Shapely geometry (EPSG:4326) stored as PostGIS geometry or as WKB."""

    impl = LargeBinary
    cache_ok = True
    #: What GeoAlchemy2's table events read of a spatial type: no index of their own (the migration makes it),
    #: no AddGeometryColumn (the column is created with its type).
    spatial_index = False
    use_typmod = None

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect is None:  # GeoAlchemy2's table events ask whether the column is spatial: it is managed here
            return LargeBinary()
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Geometry(geometry_type="GEOMETRY", srid=SRID, spatial_index=False))
        return dialect.type_descriptor(LargeBinary())

    def bind_expression(self, bindvalue: Any) -> Any:
        return bindvalue  # no ST_GeomFromEWKT: PostGIS parses the hexadecimal EWKB itself

    def column_expression(self, colexpr: Any) -> Any:
        return colexpr  # no ST_AsEWKB: PostGIS answers with hexadecimal EWKB

    def process_bind_param(self, value: BaseGeometry | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return shapely.to_wkb(shapely.set_srid(value, SRID), hex=True, include_srid=True)
        return shapely.to_wkb(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> BaseGeometry | None:
        if value is None:
            return None
        data = getattr(value, "data", value)  # a GeoAlchemy2 WKBElement holds the bytes or hex in .data
        if isinstance(data, memoryview):
            data = data.tobytes()
        return shapely.from_wkb(data)
