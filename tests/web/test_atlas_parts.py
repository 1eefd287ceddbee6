"""The atlas's parts without a computed dossier: scenario ids, the allow-list, the caches and the colours."""

from __future__ import annotations

import numpy as np
import rasterio
from rasterio.transform import from_origin

from alliantie.contract.spec import Layer, LegendEntry, MapSpec, Text, write_maps
from alliantie.web.atlas.catalogue import load_catalogue, split_scenario
from alliantie.web.atlas.listing import maps_payload
from alliantie.web.atlas.lru import ByteLRU
from alliantie.web.atlas.styles import ValueRange, ramp_colors, rgba_classes, rgba_continuous

SCENARIOS = ["current", "Ln2050", "Hd2050", "Hd2100"]


def _text(s: str) -> Text:
    return Text(nl=f"{s} (nl)", en=f"{s} (en)")


def _tif(path, values) -> None:
    with rasterio.open(path, "w", driver="GTiff", height=values.shape[0], width=values.shape[1], count=1,
                       dtype=values.dtype, crs="EPSG:28992", transform=from_origin(150000, 465000, 5, 5),
                       nodata=0) as ds:
        ds.write(values, 1)


def _legend() -> list[LegendEntry]:
    return [LegendEntry(value=1, color="#ff0000", label=_text("one")),
            LegendEntry(value=2, color="#0000ff", label=_text("two"))]


def test_the_scenario_is_the_id_suffix():
    assert split_scenario("pluvial_depth_rp100_Hd2050", SCENARIOS) == ("pluvial_depth_rp100", "Hd2050")
    assert split_scenario("vulnerability_town_current", SCENARIOS) == ("vulnerability_town", "current")
    assert split_scenario("heat_uhi", SCENARIOS) == ("heat_uhi", None)
    assert split_scenario("current", SCENARIOS) == ("current", None)
    assert split_scenario("x_Hd2100", ["current"]) == ("x_Hd2100", None)


def test_only_existing_files_inside_the_products_are_catalogued(tmp_path):
    products = tmp_path / "products"
    (products / "urgency.heat").mkdir(parents=True)
    _tif(products / "urgency.heat" / "pet_class_current.tif", np.array([[1, 2], [0, 2]], dtype=np.uint8))
    layers = [
        Layer(file="pet_class_current.tif", type="raster_classes", legend=_legend()),
        Layer(file="../../secret.tif", type="raster_classes", legend=_legend()),
        Layer(file="hillshade.tif", type="raster_hillshade", product="../baseinfo.elevation"),
        Layer(file="missing.tif", type="raster_classes", legend=_legend()),
    ]
    maps = [
        MapSpec(id="heat_pet_current", title=_text("pet"), description=_text("d"), theme="heat", layers=layers),
        MapSpec(id="heat_gone_Hd2100", title=_text("gone"), description=_text("d"), theme="heat",
                layers=[Layer(file="gone.tif", type="raster_classes", legend=_legend())]),
    ]
    write_maps(products / "urgency.heat", maps)
    catalogue = load_catalogue(products, SCENARIOS)
    assert [m.spec.id for m in catalogue.maps] == ["heat_pet_current"]  # the map without files is dropped
    assert list(catalogue.rasters) == [("urgency.heat", "pet_class_current.tif")]
    assert [a.spec.file for a in catalogue.maps[0].layers] == ["pet_class_current.tif"]
    payload = maps_payload(catalogue, (), "en", span_of=lambda layer: ValueRange(0, 1), box_of=lambda b: list(b))
    assert payload["maps"][0]["title"] == "pet (en)" and payload["maps"][0]["scenario"] == "current"
    assert payload["themes"] == [{"id": "heat", "title": "Heat stress", "step": 1, "scenarios": [],
                                  "bases": ["heat_pet"], "maps": ["heat_pet_current"]}]


def test_the_lru_keeps_to_its_bytes():
    cache = ByteLRU(max_bytes=10)
    cache.put("a", b"1234")
    cache.put("b", b"5678")
    assert cache.get("a") == b"1234"  # a is now the most recent
    cache.put("c", b"90ab")
    assert cache.get("b") is None and cache.get("a") == b"1234" and cache.get("c") == b"90ab"
    assert cache.size <= 10
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None


def test_classes_get_their_legend_colour_and_the_rest_is_transparent():
    layer = Layer(file="f.tif", type="raster_classes", legend=_legend())
    data = np.array([[1, 2, 3, 0]], dtype=np.uint8)
    valid = data != 0
    rgba = rgba_classes(data, valid, layer)
    assert rgba[0, 0].tolist() == [255, 0, 0, 255] and rgba[0, 1].tolist() == [0, 0, 255, 255]
    assert rgba[0, 2, 3] == 0 and rgba[0, 3, 3] == 0
    floats = rgba_classes(data.astype(np.float32), valid, layer)
    assert np.array_equal(floats, rgba)


def test_values_follow_the_ramp_in_order():
    data = np.array([[-1.0, 0.0, 0.5, 1.0, 2.0, np.nan]])
    valid = np.isfinite(data)
    rgba = rgba_continuous(data, valid, "Greys", ValueRange(0.0, 1.0))
    grey = rgba[0, :5, 0].astype(int)
    assert grey[0] == grey[1] and grey[3] == grey[4]  # clipped at both ends
    assert grey[1] > grey[2] > grey[3]  # Greys: darker for larger values
    assert rgba[0, 5, 3] == 0 and (rgba[0, :5, 3] == 255).all()
    colors = ramp_colors("Greys", 3)
    assert colors[0] == "#ffffff" and colors[-1] == "#000000" and len(colors) == 3


def test_a_style_change_gives_a_new_tile_address_and_etag(tmp_path):
    """A maps.json that changes a layer's colours without writing its raster again must not serve the old tile."""
    from alliantie.web.atlas.catalogue import AtlasLayer
    from alliantie.web.atlas.tiles import TileRenderer

    path = tmp_path / "classes.tif"
    _tif(path, np.array([[1, 2], [2, 1]], dtype=np.uint8))
    spec = Layer(file="classes.tif", type="raster_classes", legend=_legend())
    recoloured = spec.model_copy(update={"legend": [e.model_copy(update={"color": "#000000"}) for e in spec.legend]})
    renderer = TileRenderer()
    same = renderer.address(AtlasLayer(spec, "p", path, "v1"), 14, 1, 1)
    assert renderer.address(AtlasLayer(spec.model_copy(), "p", path, "v1"), 14, 1, 1) == same
    other = renderer.address(AtlasLayer(recoloured, "p", path, "v1"), 14, 1, 1)
    assert other != same and TileRenderer.etag(other) != TileRenderer.etag(same)
