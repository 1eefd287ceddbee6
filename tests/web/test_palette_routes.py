"""The palette routes on a tiny app: the catalogue, and the guide model's measures under a point of the demo."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import rasterio
from fastapi import FastAPI
from fastapi.testclient import TestClient

from alliantie.contract.names import GUIDE_MODELS
from alliantie.dossier import REGISTRY, load_dossier, load_products
from alliantie.knowledge.guide_models import GuideModels
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.testing.web_demo import shared_demo
from alliantie.web.http_errors import install_error_handlers
from alliantie.web.palette import palette_router


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return shared_demo(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def client(demo):
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(palette_router(demo))
    return TestClient(app)


def _cell_of(demo, code, product=GUIDE_MODELS, file="guide_models.tif"):
    """(lon, lat) of the centre of a cell with ``code`` in a saved class raster of the demo."""
    load_products()
    with rasterio.open(REGISTRY[product].output_dir(load_dossier(demo)) / file) as ds:
        values = ds.read(1)
        rows, cols = np.nonzero(values == code)
        assert rows.size, f"the demo has code {code} in {file}"
        x, y = ds.xy(rows[rows.size // 2], cols[rows.size // 2])
        crs = ds.crs
    return pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)


def test_the_catalogue_per_level_and_language(client):
    catalogue = MeasureCatalogue.load()
    every = client.get("/api/measures").json()["measures"]
    assert [m["id"] for m in every] == [m.id for m in catalogue.measures]
    region = client.get("/api/measures", params={"level": "region", "lang": "en"}).json()["measures"]
    assert region and all("region" in m["levels"] for m in region) and len(region) < len(every)
    wadi = next(m for m in client.get("/api/measures", params={"lang": "en"}).json()["measures"] if m["id"] == "wadi")
    assert wadi["geometry"] == "polygon" and wadi["name"] == catalogue.get("wadi").name.en
    assert wadi["cost_unit"] == catalogue.get("wadi").investment.unit and "pluvial" in wadi["themes"]
    nl = client.get("/api/measures", headers={"Accept-Language": "nl-NL"}).json()["measures"]
    assert next(m for m in nl if m["id"] == "wadi")["name"] == catalogue.get("wadi").name.nl
    bad = client.get("/api/measures", params={"level": "street"})
    assert bad.status_code == 422 and bad.json()["detail"]["key"] == "web_indicators.errors.level"


def test_the_city_model_in_the_dense_town_and_its_legend_first(client, demo):
    models = GuideModels.load()
    city = models.model(models.city.model)
    lon, lat = _cell_of(demo, city.code)
    body = client.get("/api/palette", params={"lon": lon, "lat": lat, "level": "neighbourhood", "lang": "en"}).json()
    assert body["guide_model"] == {"id": city.id, "name": city.name.en}
    assert body["landscape"]["id"]  # the landscape under the city
    legend = [g for g in city.goal if g.level == "town"]
    first = [m for m in body["measures"] if m["priority"] is not None]
    assert [m["priority"] for m in first] == list(range(1, len(first) + 1))
    assert {m["id"] for m in first} <= {mid for g in legend for mid in g.measures}
    # by the model's priority of the water principles
    ranks = [city.order.index(m["principle"]) for m in first]
    assert ranks == sorted(ranks)
    rest = body["measures"][len(first):]
    assert all(m["priority"] is None and m["principle"] is None for m in rest)
    catalogue = MeasureCatalogue.load()
    assert {m["id"] for m in body["measures"]} == {m.id for m in catalogue.select(level="neighbourhood")}


def test_the_landscape_model_outside_the_town_and_the_level_changes_the_order(client, demo):
    models = GuideModels.load()
    own = next(m for m in models.models if m.id != models.city.model and m.id == "stuwwal")
    lon, lat = _cell_of(demo, own.code)
    region = client.get("/api/palette", params={"lon": lon, "lat": lat, "level": "region"}).json()
    town = client.get("/api/palette", params={"lon": lon, "lat": lat, "level": "town"}).json()
    assert region["guide_model"]["id"] == town["guide_model"]["id"] == own.id
    assert region["landscape"]["id"] == "stuwwal"
    top_region = {m["id"] for m in region["measures"] if m["priority"]}
    top_town = {m["id"] for m in town["measures"] if m["priority"]}
    assert top_region <= {mid for g in own.goal if g.level in ("region", "soil") for mid in g.measures}
    assert top_town <= {mid for g in own.goal if g.level == "town" for mid in g.measures}
    assert top_region != top_town


def test_a_point_outside_the_dossier_is_refused(client):
    out = client.get("/api/palette", params={"lon": 4.9, "lat": 52.37, "lang": "en"})  # Amsterdam
    assert out.status_code == 422
    assert out.json()["detail"]["key"] == "web_indicators.errors.outside"
    assert "outside the dossier" in out.json()["detail"]["message"]
    assert client.get("/api/palette", params={"lon": 500, "lat": 52}).status_code == 422
    assert client.get("/api/palette", params={"lat": 52}).status_code == 422


def test_a_dossier_not_run_yet_answers_409(tmp_path):
    from alliantie.demo import make_demo

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(palette_router(make_demo(tmp_path / "fresh", size="small", seed=7)))
    out = TestClient(app).get("/api/palette", params={"lon": 5.38, "lat": 52.15, "lang": "en"})
    assert out.status_code == 409 and "alliantie run" in out.json()["detail"]["message"]
