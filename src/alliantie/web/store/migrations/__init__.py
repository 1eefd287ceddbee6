"""Alembic migrations of the workshop store, run by :func:`alliantie.web.store.database.migrate` at startup."""
