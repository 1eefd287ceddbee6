"""The settings of the web app, from the environment (prefix ``ALLIANTIE_WEB_``) or given in code.

``ALLIANTIE_WEB_DOSSIER=demo/dossier.toml ALLIANTIE_WEB_DB_URL=postgresql://... alliantie serve`` and
``WebSettings(dossier=path)`` give the same settings; values given in code win over the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    """Where the dossier and the store are, where the server listens and what it accepts."""

    model_config = SettingsConfigDict(env_prefix="ALLIANTIE_WEB_", extra="ignore")

    dossier: Path = Field(description="the dossier.toml (or its folder) the app serves")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    db_url: str | None = Field(None, description="SQLAlchemy URL; default: SQLite workshops.sqlite beside dossier.toml")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed by CORS; empty: CORS closed")
    max_body_bytes: int = Field(2_000_000, ge=1024, description="largest request body accepted, bytes")
    language: Literal["nl", "en"] = Field("nl", description="language of messages when a request names none")
    warm_indicators: bool = Field(True, description="load the measure engine's baseline when the server starts")
    indicator_delay_s: float = Field(0.3, ge=0.0, le=10.0, description="debounce of the indicator recomputation")

    @property
    def dossier_file(self) -> Path:
        """The dossier.toml itself (``dossier`` may name its folder)."""
        path = self.dossier.expanduser()
        return (path / "dossier.toml" if path.is_dir() else path).resolve()

    @property
    def database_url(self) -> str:
        """The store's SQLAlchemy URL: ``db_url``, else a SQLite file in the dossier folder."""
        if self.db_url:
            return normalise_url(self.db_url)
        return f"sqlite:///{self.dossier_file.parent / 'workshops.sqlite'}"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` use psycopg 3 (the driver we ship), not psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
