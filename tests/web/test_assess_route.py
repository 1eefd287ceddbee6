"""``POST /api/assess`` on a tiny app over the small demo: the demo's initiatives as GeoJSON in EPSG:4326 get the
same verdicts as ``alliantie assess``; a body that is not a FeatureCollection of polygons in the area is a 422."""

from __future__ import annotations

import json
import shutil

import pyogrio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from shapely.geometry import box, mapping

from alliantie.contract.assessment import AssessmentFile
from alliantie.contract.names import STRUCTURE
from alliantie.dossier import load_dossier, run_dossier
from alliantie.testing.web_demo import shared_demo
from alliantie.web.http_errors import install_error_handlers
from alliantie.web.routers.assess import assess_router


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A copy of the shared small demo with the structure carriers computed (the assessment reads them)."""
    source = shared_demo(tmp_path_factory.getbasetemp()).parent
    target = tmp_path_factory.mktemp("assess_web") / "demo"
    shutil.copytree(source, target)
    run_dossier(load_dossier(target / "dossier.toml"), products=[STRUCTURE])
    return target / "dossier.toml"


@pytest.fixture(scope="module")
def client(demo):
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(assess_router(demo))
    return TestClient(app)


def _collection(demo) -> dict:
    frame = pyogrio.read_dataframe(demo.parent / "inputs" / "initiatives.gpkg").to_crs("EPSG:4326")
    return json.loads(frame.to_json())


def test_the_demo_initiatives_as_geojson(client, demo):
    answer = client.post("/api/assess", json=_collection(demo))
    assert answer.status_code == 200, answer.text
    data = AssessmentFile.model_validate(answer.json())
    assert [i.status for i in data.initiatives] == ["pass", "fail", "fail"]
    storage = {r.id: r for r in data.initiatives[1].rules}
    assert storage["storage_maatlat"].status == "fail" and storage["storage_maatlat"].value == 25.0
    assert {r.id for r in data.initiatives[2].rules if r.status == "fail"} >= {"bluespot"}
    assert data.source == "web" and len(data.rules) >= 10


def test_a_plan_without_attributes_is_maatwerk_where_figures_are_missing(client, demo):
    plan = _collection(demo)
    plan["features"] = plan["features"][:1]
    plan["features"][0]["properties"] = {}
    data = client.post("/api/assess", json=plan).json()
    rules = {r["id"]: r for r in data["initiatives"][0]["rules"]}
    assert rules["storage_maatlat"]["status"] == "maatwerk" and rules["storage_maatlat"]["value"] is None
    assert "storage_mm" in rules["storage_maatlat"]["reason"]["en"]
    assert rules["cool_place"]["status"] == "pass"  # measured on the products, not an attribute
    assert data["initiatives"][0]["status"] == "maatwerk"


@pytest.mark.parametrize(("body", "key"), [
    ({"type": "Feature"}, "assessment.errors.not_feature_collection"),
    ([1, 2], "assessment.errors.not_feature_collection"),
    ({"type": "FeatureCollection", "features": []}, "assessment.errors.no_polygons"),
    ({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [5.39, 52.16]}}]},
     "assessment.errors.no_polygons"),
    ({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(box(4.0, 51.0, 4.01, 51.01))}]},
     "assessment.errors.outside"),
    ({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"green_share": "veel"}, "geometry": None}]},
     "assessment.errors.no_polygons"),
])
def test_bad_bodies_are_422_with_a_message(client, body, key):
    answer = client.post("/api/assess", json=body, params={"lang": "en"})
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert detail["key"] == key and detail["message"]


def test_an_attribute_that_is_not_a_number_names_the_feature(client, demo):
    plan = _collection(demo)
    plan["features"][0]["properties"]["storage_mm"] = "veel"
    answer = client.post("/api/assess", json=plan, params={"lang": "nl"})
    assert answer.status_code == 422
    assert answer.json()["detail"]["key"] == "assessment.errors.bad_number"
    assert "storage_mm" in answer.json()["detail"]["message"] and "geen getal" in answer.json()["detail"]["message"]
