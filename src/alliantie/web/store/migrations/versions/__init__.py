"""The migration scripts, oldest first (Alembic reads their ``revision`` and ``down_revision``)."""
