"""The store itself: SQLite settings, the PostGIS geometry column, geometry round trips on both."""

from __future__ import annotations

from shapely.geometry import Polygon
from sqlalchemy import text


def test_sqlite_is_durable(tmp_path):
    from alliantie.web.store.database import open_store

    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}")
    with store.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert c.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    open_store(f"sqlite:///{tmp_path / 's.sqlite'}")  # a second start finds the schema at head


def test_geometry_round_trip(web_app, ws, place):
    from alliantie.web.store.models import Sketch

    made = ws.draw("anna", place.polygon()).json()
    store = web_app.state.context.store
    with store.sessions() as s:
        sketch = s.get(Sketch, made["id"])
        assert isinstance(sketch.geometry, Polygon)
        assert sketch.geometry.equals_exact(Polygon(made["geometry"]["coordinates"][0]), 1e-9)
        if store.is_postgresql:  # a real PostGIS geometry in EPSG:4326, usable in spatial SQL
            row = s.execute(text("SELECT ST_SRID(geometry), GeometryType(geometry), ST_IsValid(geometry) "
                                 "FROM sketch WHERE id = :id"), {"id": made["id"]}).one()
            assert tuple(row) == (4326, "POLYGON", True)
