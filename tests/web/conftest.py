"""Shared fixtures of the web app's tests: a small dossier, the store on SQLite and on PostgreSQL/PostGIS, a client.

The PostgreSQL case runs when ``ALLIANTIE_TEST_POSTGRES_URL`` names a server with PostGIS (``.ci/run`` starts
one); each test session makes its own database there and drops it at the end.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pyproj import Transformer

POSTGRES_ENV = "ALLIANTIE_TEST_POSTGRES_URL"


@dataclass(frozen=True)
class FakeSketchInput:
    """The shape of H3's SketchInput."""

    id: str
    measure: str
    geometry: dict[str, Any]
    width_m: float | None = None
    count: float | None = None


class FakeIndicators:
    """A test double with the interface of IndicatorService: counts the sketches per measure."""

    def __init__(self, dossier_file: Path) -> None:
        self.dossier_file = dossier_file
        self.calls = 0

    def warm(self) -> None:
        pass

    def compute(self, sketches: Sequence[FakeSketchInput], groups: Mapping[str, Sequence[str]]) -> dict[str, Any]:
        self.calls += 1

        def ind(n: int) -> dict[str, Any]:
            return {"buildings_kept_dry": n, "water_stored_m3": 10.0 * n, "approximate": True}

        return {"total": ind(len(sketches)), "groups": {g: ind(len(ids)) for g, ids in groups.items()},
                "sketches": {s.id: ind(1) for s in sketches}, "errors": {}, "seconds": 0.0}


def fake_factory(dossier_file: Path) -> tuple[FakeIndicators, type[FakeSketchInput]]:
    return FakeIndicators(dossier_file), FakeSketchInput


@pytest.fixture(scope="session")
def web_dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from alliantie.testing import write_minimal_dossier

    return write_minimal_dossier(tmp_path_factory.mktemp("web") / "dossier")


class Place:
    """Shapes in EPSG:4326 inside (and outside) the small dossier (RD 155000-155400 x 463000-463300)."""

    def __init__(self) -> None:
        self._to = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)

    def lonlat(self, x: float, y: float) -> list[float]:
        lon, lat = self._to.transform(x, y)
        return [round(lon, 7), round(lat, 7)]

    def polygon(self, x: float = 155100, y: float = 463100, size: float = 40) -> dict[str, Any]:
        ring = [self.lonlat(x, y), self.lonlat(x + size, y), self.lonlat(x + size, y + size),
                self.lonlat(x, y + size), self.lonlat(x, y)]
        return {"type": "Polygon", "coordinates": [ring]}

    def line(self, x: float = 155050, y: float = 463050, length: float = 200) -> dict[str, Any]:
        return {"type": "LineString", "coordinates": [self.lonlat(x, y), self.lonlat(x + length, y + 50)]}

    def point(self, x: float = 155200, y: float = 463150) -> dict[str, Any]:
        return {"type": "Point", "coordinates": self.lonlat(x, y)}


@pytest.fixture(scope="session")
def place() -> Place:
    return Place()


def _postgres_database(admin_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from alliantie.web.settings import normalise_url

    name = f"alliantie_test_{secrets.token_hex(6)}"
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalise_url(admin_url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The store's URL: a SQLite file, or a fresh database on the PostgreSQL/PostGIS server of the tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'workshops.sqlite'}"
        return
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        if os.environ.get("ALLIANTIE_TEST_REQUIRE_POSTGRES"):  # .ci/run: the PostGIS tests must run
            pytest.fail(f"{POSTGRES_ENV} is not set but ALLIANTIE_TEST_REQUIRE_POSTGRES is")
        pytest.skip(f"{POSTGRES_ENV} is not set (a PostgreSQL server with PostGIS for the web tests)")
    yield from _postgres_database(admin_url)


@pytest.fixture(scope="session")
def web_app(web_dossier: Path, db_url: str) -> Any:
    from alliantie.web.app import create_app
    from alliantie.web.settings import WebSettings

    settings = WebSettings(dossier=web_dossier, db_url=db_url, indicator_delay_s=0.05, max_body_bytes=200_000)
    return create_app(settings, indicator_factory=fake_factory)


@pytest.fixture(scope="session")
def client(web_app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(web_app) as c:
        yield c


class Session:
    """A workshop with a facilitator, two participants and an observer, and helpers to call the API as them."""

    def __init__(self, client: Any) -> None:
        self.client = client
        made = client.post("/api/workshops", json={"title": "Test", "facilitator_name": "Fien"})
        assert made.status_code == 201, made.text
        self.workshop = made.json()
        self.id = self.workshop["id"]
        self.tokens = {"facilitator": self.workshop["token"]}
        self.ids = {"facilitator": self.workshop["participant_id"]}
        for who, role, discipline in (("anna", "participant", "water"), ("bram", "participant", "soil"),
                                      ("olga", "observer", "green")):
            joined = client.post(f"/api/workshops/{self.id}/participants",
                                 json={"join_code": self.workshop["join_code"], "name": who.title(),
                                       "organisation": "Waterschap", "discipline": discipline, "role": role})
            assert joined.status_code == 201, joined.text
            self.tokens[who] = joined.json()["token"]
            self.ids[who] = joined.json()["participant_id"]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def call(self, method: str, path: str, who: str, **kwargs: Any) -> Any:
        url = f"/api/workshops/{self.id}{path}"
        return self.client.request(method, url, headers={**self.headers(who), **kwargs.pop("headers", {})},
                                   **kwargs)

    def draw(self, who: str, geometry: dict[str, Any], measure: str = "wadi", **props: Any) -> Any:
        feature = {"type": "Feature", "geometry": geometry,
                   "properties": {"measure": measure, "level": "neighbourhood", **props}}
        return self.call("POST", "/sketches", who, json=feature)


@pytest.fixture()
def ws(client: Any) -> Session:
    return Session(client)
