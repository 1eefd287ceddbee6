"""The store's engine: SQLite (WAL, foreign keys, synchronous=FULL, busy timeout) or PostgreSQL/PostGIS.

:func:`open_store` makes the engine, brings the schema to the newest migration (Alembic ``upgrade head``,
run in code at startup) and returns the engine and a session factory. A write is committed (and on SQLite
synced to disk) before the request that made it is answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from alliantie.web.settings import normalise_url
from alliantie.web.store.fair_lock import FairLock

#: How long SQLite waits for a lock held by another connection, ms.
BUSY_TIMEOUT_MS = 10_000


@dataclass
class Store:
    """The engine, its session factory and (SQLite) the lock that lets one writer in at a time."""

    engine: Engine
    sessions: sessionmaker[Session]
    _write_lock: FairLock | None = field(default=None, repr=False)

    def write_lock_acquire(self) -> None:
        """Take before a write transaction: SQLite has one writer, so writers of this process queue here rather
        than fail on a busy database, first come first served; PostgreSQL needs no lock."""
        if self._write_lock is not None:
            self._write_lock.acquire()

    def write_lock_release(self) -> None:
        if self._write_lock is not None:
            self._write_lock.release()

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates the tables on a new store)."""
    folder = resources.files("alliantie.web.store") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(folder))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """The store at ``url``, migrated to the newest schema unless ``upgrade`` is False."""
    engine = make_engine(url)
    if upgrade:
        migrate(engine)
    lock = FairLock() if engine.dialect.name == "sqlite" else None
    return Store(engine, sessionmaker(engine, expire_on_commit=False), lock)
