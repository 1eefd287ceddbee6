"""The workshop store: SQLAlchemy models, the database (SQLite or PostgreSQL/PostGIS) and its migrations."""
