"""The atlas's routes on a small computed demo (alliantie demo --size small --seed 7, step 1 products)."""

from __future__ import annotations

import io
import shutil

import morecantile
import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from alliantie.testing.web_demo import shared_demo
from alliantie.web.atlas import atlas_router
from alliantie.web.http_errors import install_error_handlers

TMS = morecantile.tms.get("WebMercatorQuad")


def _app(dossier_file) -> FastAPI:
    """A FastAPI app with only the atlas and the app's error handlers."""
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(atlas_router(dossier_file))
    return app


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The web tests' shared small demo (its folder; tests must not change it)."""
    return shared_demo(tmp_path_factory.getbasetemp()).parent


@pytest.fixture(scope="module")
def client(demo):
    return TestClient(_app(demo / "dossier.toml"))


@pytest.fixture(scope="module")
def maps(client):
    answer = client.get("/api/atlas/maps", params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def dossier(client):
    answer = client.get("/api/dossier", params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _map(maps, map_id):
    return next(m for m in maps["maps"] if m["id"] == map_id)


def _png(content: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG"
    return np.asarray(image.convert("RGBA"))


def _tile_url(layer, z, x, y):
    return layer["url"].replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def _centre_tile(box, z):
    w, s, e, n = box
    return TMS.tile((w + e) / 2, (s + n) / 2, z)


def test_catalogue_lists_the_themes_in_the_method_order_with_their_scenarios(maps):
    themes = [t["id"] for t in maps["themes"]]
    assert themes[0] == "vulnerability"
    assert themes.index("pluvial") < themes.index("heat") < themes.index("drought") < themes.index("stresstest")
    assert {"pluvial", "heat", "vulnerability"} <= set(themes)
    by_id = {t["id"]: t for t in maps["themes"]}
    for theme in ("pluvial", "heat", "vulnerability"):
        assert "current" in by_id[theme]["scenarios"] and len(by_id[theme]["scenarios"]) >= 2, by_id[theme]
    ids = {s["id"] for s in maps["scenarios"]}
    heat = _map(maps, "heat_pet_current")
    assert (heat["scenario"], heat["base"], heat["theme"]) == ("current", "heat_pet", "heat")
    future = [m for m in maps["maps"] if m["base"] == "heat_pet" and m["scenario"] != "current"]
    assert future and all(m["scenario"] in ids for m in future)
    assert _map(maps, "heat_uhi")["scenario"] is None
    # nothing that was not computed is listed (the shared demo ran step 1 and the guide models, not these)
    assert not any(m["product"] in ("vista.suitability", "vista.effects") for m in maps["maps"])
    assert any(m["product"] == "vista.guide_models" for m in maps["maps"])


def test_layers_carry_urls_legends_and_ramps(maps):
    depth = _map(maps, "pluvial_depth_rp100_current")
    kinds = [layer["type"] for layer in depth["layers"]]
    assert kinds[0] == "raster_hillshade" and "raster_continuous" in kinds and "vector" in kinds
    ramp = next(layer for layer in depth["layers"] if layer["type"] == "raster_continuous")["ramp"]
    assert len(ramp["colors"]) == 11 and ramp["vmin"] < ramp["vmax"] and ramp["unit"] == "m"
    pet = next(layer for layer in _map(maps, "heat_pet_current")["layers"] if layer["type"] == "raster_classes")
    assert pet["legend"] and all(e["color"].startswith("#") and e["label"] for e in pet["legend"])
    assert pet["url"].startswith("/api/atlas/tiles/urgency.heat/pet_class_current.tif/{z}/{x}/{y}.png?v=")


def test_nl_and_en_texts_differ(client, maps):
    nl = client.get("/api/atlas/maps", params={"lang": "nl"}).json()
    en_titles = {m["id"]: m["title"] for m in maps["maps"]}
    nl_titles = {m["id"]: m["title"] for m in nl["maps"]}
    assert en_titles.keys() == nl_titles.keys()
    assert en_titles["heat_pet_current"] != nl_titles["heat_pet_current"]
    assert sum(en_titles[k] != nl_titles[k] for k in en_titles) >= len(en_titles) - 1
    dutch = client.get("/api/atlas/maps", headers={"Accept-Language": "nl-NL,nl;q=0.9"}).json()
    assert dutch["maps"][0]["title"] == nl["maps"][0]["title"]


def test_a_tile_inside_the_area_carries_legend_colours(client, maps, dossier):
    pet = next(layer for layer in _map(maps, "heat_pet_current")["layers"] if layer["type"] == "raster_classes")
    legend = {tuple(int(e["color"][i:i + 2], 16) for i in (1, 3, 5)) for e in pet["legend"]}
    tile = _centre_tile(dossier["levels"]["town"]["bbox"], 14)
    answer = client.get(_tile_url(pet, 14, tile.x, tile.y))
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    assert "max-age" in answer.headers["cache-control"]
    pixels = _png(answer.content)
    opaque = pixels[pixels[..., 3] == 255][:, :3]
    assert len(opaque) > 1000
    assert {tuple(int(v) for v in p) for p in np.unique(opaque, axis=0)} <= legend
    again = client.get(_tile_url(pet, 14, tile.x, tile.y))
    assert again.content == answer.content
    assert client.app.router.routes  # the app is the one with the atlas only


def test_a_tile_carries_an_etag_and_an_unchanged_one_is_a_304_without_body(client, maps, dossier):
    pet = next(layer for layer in _map(maps, "heat_pet_current")["layers"] if layer["type"] == "raster_classes")
    tile = _centre_tile(dossier["levels"]["town"]["bbox"], 14)
    url = _tile_url(pet, 14, tile.x, tile.y)
    answer = client.get(url)
    tag = answer.headers["etag"]
    assert answer.status_code == 200 and tag.startswith('"') and tag.endswith('"')
    again = client.get(url, headers={"If-None-Match": f'"other", W/{tag}'})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag and "max-age" in again.headers["cache-control"]
    assert client.get(url, headers={"If-None-Match": '"other"'}).content == answer.content
    neighbour = client.get(_tile_url(pet, 14, tile.x + 1, tile.y))
    assert neighbour.headers["etag"] != tag  # one tag per tile
    assert client.get(_tile_url(pet, 30, 0, 0), headers={"If-None-Match": "*"}).status_code == 400


def test_a_continuous_tile_uses_the_ramp(client, maps, dossier):
    layer = next(lay for lay in _map(maps, "heat_uhi")["layers"] if lay["type"] == "raster_continuous")
    tile = _centre_tile(dossier["levels"]["town"]["bbox"], 13)
    pixels = _png(client.get(_tile_url(layer, 13, tile.x, tile.y)).content)
    assert (pixels[..., 3] == 255).sum() > 1000
    assert len(np.unique(pixels[pixels[..., 3] == 255][:, :3], axis=0)) > 5  # a ramp, not one colour


def test_a_tile_outside_the_data_is_an_empty_png(client, maps):
    pet = next(layer for layer in _map(maps, "heat_pet_current")["layers"] if layer["type"] == "raster_classes")
    far = TMS.tile(-70.0, -30.0, 12)
    answer = client.get(_tile_url(pet, 12, far.x, far.y))
    assert answer.status_code == 200
    assert not _png(answer.content)[..., 3].any()


@pytest.mark.parametrize("path", [
    "/api/atlas/tiles/urgency.heat/..%2f..%2fdossier.toml/14/1/1.png",
    "/api/atlas/tiles/urgency.heat/%2e%2e%2fdossier.toml/14/1/1.png",
    "/api/atlas/tiles/..%2f..%2finputs/dem.tif/14/1/1.png",
    "/api/atlas/vectors/urgency.vulnerability/..%2fzones.gpkg/region_current.geojson",
])
def test_hostile_paths_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_unknown_product_file_and_layer_are_404_with_a_clear_message(client):
    # pet_current.tif exists in the product folder but no map shows it: not served
    answer = client.get("/api/atlas/tiles/urgency.heat/pet_current.tif/14/1/1.png", params={"lang": "en"})
    assert answer.status_code == 404
    assert answer.json()["detail"]["key"] == "web_atlas.errors.unknown_file"
    assert "pet_current.tif" in answer.json()["detail"]["message"]
    assert client.get("/api/atlas/tiles/inputs/dem.tif/14/1/1.png").json()["detail"]["key"] == \
        "web_atlas.errors.unknown_product"
    layer = client.get("/api/atlas/vectors/urgency.vulnerability/zones.gpkg/layer_styles.geojson")
    assert layer.status_code == 404 and layer.json()["detail"]["key"] == "web_atlas.errors.unknown_layer"
    column = client.get("/api/atlas/vectors/urgency.vulnerability/zones.gpkg/region_current.geojson",
                        params={"column": "label_en"})
    assert column.status_code == 404
    bad = client.get("/api/atlas/tiles/urgency.heat/pet_class_current.tif/3/9/1.png")
    assert bad.status_code == 400 and bad.json()["detail"]["key"] == "web_atlas.errors.bad_tile"


def test_a_vector_layer_is_geojson_in_4326_inside_the_dossier(client, maps, dossier):
    zones = next(layer for layer in _map(maps, "vulnerability_region_current")["layers"]
                 if layer["type"] == "vector" and layer["column"] == "map_class")
    answer = client.get(zones["url"])
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/geo+json"
    collection = answer.json()
    assert collection["type"] == "FeatureCollection" and collection["features"]
    colours = {e["color"] for e in zones["legend"]}
    w, s, e, n = dossier["bounds"]
    coords = []
    for feature in collection["features"]:
        assert feature["properties"]["_color"] in colours and feature["properties"]["_label"]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        ring = feature["geometry"]["coordinates"][0]
        coords.extend(ring[0] if feature["geometry"]["type"] == "MultiPolygon" else ring)
    xy = np.array(coords)
    assert (xy[:, 0] >= w - 1e-4).all() and (xy[:, 0] <= e + 1e-4).all()
    assert (xy[:, 1] >= s - 1e-4).all() and (xy[:, 1] <= n + 1e-4).all()
    assert np.allclose(xy, np.round(xy, 6))
    nl = client.get(zones["url"].replace("lang=en", "lang=nl")).json()
    assert nl["features"][0]["properties"]["_label"] != collection["features"][0]["properties"]["_label"]


def test_the_dossier_and_its_levels(dossier):
    w, s, e, n = dossier["bounds"]
    assert 3 < w < e < 8 and 50 < s < n < 54  # the Netherlands in EPSG:4326
    assert dossier["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert dossier["crs"] == "EPSG:28992" and dossier["scenarios"][0]["id"] == "current"
    levels = dossier["levels"]
    assert levels["region"]["bbox"] == dossier["bounds"]
    town, hood = levels["town"], levels["neighbourhood"]
    assert town["source"] in ("vulnerability_town_extent", "neighbourhoods", "region")
    assert hood["rule"] in ("stresstest_focus", "largest") and hood["name"]

    def inside(inner, outer, eps=1e-3):
        return (inner[0] >= outer[0] - eps and inner[1] >= outer[1] - eps and inner[2] <= outer[2] + eps
                and inner[3] <= outer[3] + eps)

    assert inside(town["bbox"], levels["region"]["bbox"]) and inside(hood["bbox"], levels["region"]["bbox"])
    area = [(b[2] - b[0]) * (b[3] - b[1]) for b in (levels["region"]["bbox"], town["bbox"], hood["bbox"])]
    assert area[0] >= area[1] > area[2] > 0


def test_a_dossier_never_run_and_a_missing_one_say_what_to_do(demo, tmp_path):
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(demo / "dossier.toml", fresh / "dossier.toml")
    shutil.copy(demo / "strategy.toml", fresh / "strategy.toml")  # an input of the dossier, beside its toml
    shutil.copytree(demo / "inputs", fresh / "inputs")
    client = TestClient(_app(fresh / "dossier.toml"))
    answer = client.get("/api/atlas/maps", params={"lang": "en"})
    assert answer.status_code == 409
    assert "alliantie run" in answer.json()["detail"]["message"]
    assert client.get("/api/atlas/tiles/urgency.heat/pet_class_current.tif/14/1/1.png").status_code == 409
    assert client.get("/api/dossier").status_code == 200  # the dossier itself needs no products
    gone = TestClient(_app(tmp_path / "nowhere" / "dossier.toml")).get("/api/atlas/maps", params={"lang": "en"})
    assert gone.status_code == 404 and gone.json()["detail"]["key"] == "web_atlas.errors.no_dossier"
