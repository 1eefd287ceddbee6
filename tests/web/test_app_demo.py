"""The whole app on a run demo: live indicators from the measure engine, export read back by the engine,
an expert correction the pipeline reads, the atlas and the palette through the same app."""

from __future__ import annotations

import shutil
import time

import geopandas as gpd
import numpy as np
import pytest
import shapely
from fastapi.testclient import TestClient

from alliantie.contract.corrections import read_corrections_file
from alliantie.damage.pluvial import above_floor
from alliantie.dossier import load_dossier
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.measures.sketch import Sketch
from alliantie.method.vista.baseline import dossier_baseline
from alliantie.testing.web_demo import shared_demo
from alliantie.web.app import create_app
from alliantie.web.settings import WebSettings


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A copy of the shared demo (this module writes into its inputs)."""
    source = shared_demo(tmp_path_factory.getbasetemp()).parent
    folder = tmp_path_factory.mktemp("app") / "demo"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("*.lock", "workshops.sqlite*"))
    return folder / "dossier.toml"


@pytest.fixture(scope="module")
def client(demo):
    settings = WebSettings(dossier=demo, db_url=f"sqlite:///{demo.parent / 'test.sqlite'}", indicator_delay_s=0.05)
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="module")
def bluespot_square(demo):
    """A water square around a building that is wet in today's map storm (GeoJSON, EPSG:4326)."""
    baseline = dossier_baseline(load_dossier(demo), update=False)
    p = baseline.pluvial
    depth = p.saved_depths[p.shown_case("current").id]
    water = above_floor(depth, p.ground, p.buildings.ring, p.buildings.floor_level_m)
    wet = np.flatnonzero(np.isfinite(water) & (water > 0))
    footprint = baseline.buildings.frame.geometry.iloc[wet[0]]
    ring = footprint.centroid.buffer(50).difference(footprint.buffer(2))
    return shapely.geometry.mapping(gpd.GeoSeries([ring], crs=baseline.grid.crs).to_crs("EPSG:4326").iloc[0])


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _indicators(client, wid, token, until):
    """The indicators once ``until(answer)`` holds (the engine runs in a background thread)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answer = client.get(f"/api/workshops/{wid}/indicators", headers=_auth(token)).json()
        if answer["status"] == "ready" and until(answer):
            return answer
        time.sleep(0.2)
    raise AssertionError(f"indicators never became ready: {answer}")


def test_a_workshop_on_the_demo_from_drawing_to_export(client, demo, bluespot_square):
    made = client.post("/api/workshops", json={"title": "Vallei", "facilitator_name": "Fien"}).json()
    wid, boss = made["id"], made["token"]
    joined = client.post(f"/api/workshops/{wid}/participants", json={
        "join_code": made["join_code"], "name": "Wim", "organisation": "Waterschap", "discipline": "water",
        "role": "participant"}).json()
    empty = _indicators(client, wid, boss, lambda a: a["total"] is not None)
    assert empty["total"]["buildings_kept_dry"] == 0 and empty["total"]["investment_eur"] == 0

    drawn = client.post(f"/api/workshops/{wid}/sketches", headers=_auth(joined["token"]), json={
        "type": "Feature", "geometry": bluespot_square,
        "properties": {"measure": "water_square", "level": "neighbourhood", "comment": "plein bij de laagte"}})
    assert drawn.status_code == 201, drawn.text
    sid = str(drawn.json()["id"])
    live = _indicators(client, wid, boss, lambda a: sid in a["sketches"])
    total = live["total"]
    # the engine's answer: the square keeps buildings dry, stores water, avoids damage, costs money
    assert total["buildings_kept_dry"] >= 1 and total["water_stored_m3"] > 0
    assert total["avoided_damage_eur_per_year"]["pluvial"] > 0 and total["investment_eur"] > 0
    assert live["sketches"][sid] == total

    # the facilitator puts it into the Veerkracht synthesis; its indicators follow
    veerkracht = next(s for s in client.get(f"/api/workshops/{wid}/syntheses", headers=_auth(boss)).json()
                      if s["kind"] == "veerkracht")
    put = client.put(f"/api/workshops/{wid}/syntheses/{veerkracht['id']}", headers=_auth(boss),
                     json={"sketch_ids": [sid]})
    assert put.status_code == 200, put.text
    grouped = _indicators(client, wid, boss, lambda a: str(veerkracht["id"]) in a["syntheses"]
                          and a["syntheses"][str(veerkracht["id"])]["investment_eur"] > 0)
    assert grouped["syntheses"][str(veerkracht["id"])]["buildings_kept_dry"] == total["buildings_kept_dry"]

    # export: the engine reads the file back as a sketch
    out = client.post(f"/api/workshops/{wid}/export", headers=_auth(boss))
    assert out.status_code == 200, out.text
    assert out.json()["in_dossier"] is True and out.json()["workshop_line"] is None  # the demo names the file
    gpkg = demo.parent / "inputs" / "sketches.gpkg"
    frame = gpd.read_file(gpkg, layer="sketches")
    assert len(frame) == 1 and frame.crs.to_epsg() == 28992
    sketch = Sketch.from_frame(frame, MeasureCatalogue.load())
    assert sketch.features[0].measure.id == "water_square"
    assert "Veerkracht" in frame["syntheses"].iloc[0] or "veerkracht" in frame["syntheses"].iloc[0].lower()
    # a participant may not export
    assert client.post(f"/api/workshops/{wid}/export", headers=_auth(joined["token"])).status_code == 403
    download = client.get(f"/api/workshops/{wid}/export.gpkg", headers=_auth(boss))
    assert download.status_code == 200 and download.content[:15] == b"SQLite format 3"


def test_an_expert_correction_lands_in_the_corrections_layer(client, demo, bluespot_square):
    made = client.post("/api/workshops", json={"title": "Correcties"}).json()
    wid, token = made["id"], made["token"]
    dossier = load_dossier(demo)
    path = demo.parent / "inputs" / "corrections.gpkg"
    before = len(gpd.read_file(path)) if path.exists() else 0
    body = {"type": "Feature", "geometry": bluespot_square,
            "properties": {"theme": "pluvial", "action": "raise", "reason": "water stond hier in 2021"}}
    answer = client.post(f"/api/workshops/{wid}/corrections", headers=_auth(token), json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["configured"] is True  # the demo's dossier.toml reads this file: a re-run applies it
    rows = read_corrections_file(path, layer=None, target_crs=dossier.config.crs,
                                 scenario_ids=["current", "Ln2050", "Hd2050", "Ln2100", "Hd2100"])
    assert len(rows) == before + 1 and rows[-1].reason == "water stond hier in 2021"
    assert rows[-1].author.startswith("facilitator") or rows[-1].author
    bad = dict(body, properties={"theme": "pluvial", "action": "explode", "reason": "x"})
    refused = client.post(f"/api/workshops/{wid}/corrections", headers=_auth(token), json=bad)
    assert refused.status_code == 422 and refused.json()["detail"]["message"]


def test_the_atlas_and_the_palette_answer_through_the_app(client):
    maps = client.get("/api/atlas/maps", params={"lang": "en"}).json()
    assert any(m["theme"] == "pluvial" for m in maps["maps"])
    levels = client.get("/api/dossier").json()["levels"]
    w, s, e, n = levels["town"]["bbox"]
    palette = client.get("/api/palette", params={"lon": (w + e) / 2, "lat": (s + n) / 2, "level": "town"})
    assert palette.status_code == 200 and palette.json()["measures"]
    assert client.get("/api/palette", params={"lon": 0, "lat": 0}).status_code == 422


def test_the_export_tells_a_dossier_without_the_workshop_input_what_to_add(demo, tmp_path):
    """A dossier that does not name inputs/sketches.gpkg as its workshop input gets the line to add."""
    from alliantie.web.export import workshop_input

    copy = tmp_path / "copy"
    shutil.copytree(demo.parent, copy, ignore=shutil.ignore_patterns("products", "report", "*.sqlite*", "*.lock"))
    toml = copy / "dossier.toml"
    toml.write_text("\n".join(line for line in toml.read_text(encoding="utf-8").splitlines()
                              if not line.startswith("workshop =")) + "\n", encoding="utf-8")
    answer = workshop_input(toml, copy / "inputs" / "sketches.gpkg")
    assert answer == {"in_dossier": False,
                      "workshop_line": 'workshop = { path = "inputs/sketches.gpkg", layer = "sketches" }'}
    toml.write_text(toml.read_text(encoding="utf-8").replace("[inputs]", "[inputs]\n" + answer["workshop_line"]),
                    encoding="utf-8")
    assert workshop_input(toml, copy / "inputs" / "sketches.gpkg")["in_dossier"] is True
