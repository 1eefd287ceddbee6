"""The step 4 inspiration maps on the small demo: the workshop's syntheses on the maps, the guide-model fallback in
unsketched zones only, the legend by goal, the economic chances, the green links, and the maps drawn."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
import shapely

from alliantie.contract.names import (
    DROUGHT,
    FLOOD,
    GUIDE_MODELS,
    INSPIRATION_ECONOMIE,
    INSPIRATION_GEBIED,
    INSPIRATION_VEERKRACHT,
)
from alliantie.contract.spec import read_maps, read_tables
from alliantie.demo import make_demo
from alliantie.demo.workshop import FILE as WORKSHOP_FILE
from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier.area import boundary_geometry, dossier_grid
from alliantie.method.inspiration.goals import GOALS
from alliantie.report.maps import map_extent, render_map

PRODUCTS = [INSPIRATION_VEERKRACHT, INSPIRATION_ECONOMIE, INSPIRATION_GEBIED]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    toml = make_demo(tmp_path_factory.mktemp("inspiration") / "demo", size="small", seed=7)
    # the flood and drought products are optional for the suitability maps: left out, the run is shorter
    run_dossier(load_dossier(toml), products=PRODUCTS, exclude=frozenset({FLOOD, DROUGHT}))
    return load_dossier(toml)


def _layer(folder, file, layer):
    return gpd.read_file(folder / file, layer=layer)


def test_the_demo_ships_a_workshop_with_two_syntheses(demo):
    path = demo.root / "inputs" / WORKSHOP_FILE
    layers = set(pyogrio.list_layers(path)[:, 0])
    assert {"sketches", "synthesis_veerkracht", "synthesis_regionale_economie"} <= layers
    for name in ("synthesis_veerkracht", "synthesis_regionale_economie"):
        assert len(gpd.read_file(path, layer=name)) >= 12
    toml = (demo.root / "dossier.toml").read_text(encoding="utf-8")
    assert 'workshop = { path = "inputs/sketches.gpkg", layer = "sketches" }' in toml


def test_sketched_features_appear_on_the_veerkracht_map(demo):
    folder = demo.products_dir / INSPIRATION_VEERKRACHT
    synthesis = gpd.read_file(demo.root / "inputs" / WORKSHOP_FILE, layer="synthesis_veerkracht")
    drawn = [_layer(folder, "veerkracht.gpkg", f"sketches_{fam}") for fam in ("polygons", "lines")]
    assert sum(len(d) for d in drawn) == len(synthesis)
    assert sorted(m for d in drawn for m in d["measure"]) == sorted(synthesis["measure"])
    maps = read_maps(folder)
    layers = {layer.layer for m in maps for layer in m.layers if layer.type == "vector" and layer.product is None}
    assert {"sketches_polygons", "sketches_lines", "guide_model_places"} <= layers
    # the legend is grouped by goal: one entry per goal, values are goals, in the fixed order
    for layer in maps[0].layers:
        if layer.column == "goal":
            values = [e.value for e in layer.legend]
            assert values == [g for g in GOALS if g in values]


def test_the_fallback_fills_unsketched_zones_only(demo):
    folder = demo.products_dir / INSPIRATION_VEERKRACHT
    places = _layer(folder, "veerkracht.gpkg", "guide_model_places")
    assert len(places) > 0
    assert set(places["origin"]) == {"guide_model"}
    zones = gpd.read_file(demo.products_dir / GUIDE_MODELS / "guide_models.gpkg", layer="guide_models")
    sketches = gpd.read_file(demo.root / "inputs" / WORKSHOP_FILE, layer="synthesis_veerkracht")
    sketched = shapely.union_all(list(sketches.geometry))
    for place, model in zip(places.geometry, places["model"], strict=True):
        zone = zones[zones.intersects(place.representative_point())]
        assert len(zone) == 1 and zone["model"].iloc[0] == model
        # no sketch in the zone of a place (touching its edge aside)
        assert zone.geometry.iloc[0].intersection(sketched).area < 1.0
    assert set(places["suitability_class"]) <= {4, 5}
    tables = {t.id: t for t in read_tables(folder).tables}
    assert len(tables["inspiration_veerkracht_zones"].rows) >= 1
    rows = tables["inspiration_veerkracht_legend"].rows
    goals = [row[0].nl for row in rows if not isinstance(row[0], str)]  # a goal heads its group, "" below it
    assert rows[0][0] != "" and len(goals) == len(set(goals)) >= 2


def test_economic_chances_with_their_sources(demo):
    folder = demo.products_dir / INSPIRATION_ECONOMIE
    areas = _layer(folder, "economie.gpkg", "chance_areas")
    waters = _layer(folder, "economie.gpkg", "chance_waters")
    assert {"seepage_water", "wet_crops", "urban_farming", "blue_services"} <= set(areas["chance"])
    assert set(waters["chance"]) == {"aquathermal"} and (waters["buildings"] >= 50).all()
    table = next(t for t in read_tables(folder).tables if t.id == "inspiration_economie_chances")
    assert all(isinstance(row[-1], str) and len(row[-1]) > 20 for row in table.rows)  # every idea has its source
    sketches = [_layer(folder, "economie.gpkg", f"sketches_{fam}") for fam in ("polygons", "points")]
    assert sum(len(s) for s in sketches) == len(
        gpd.read_file(demo.root / "inputs" / WORKSHOP_FILE, layer="synthesis_regionale_economie"))


def test_green_links_join_the_carriers(demo):
    folder = demo.products_dir / INSPIRATION_GEBIED
    links = _layer(folder, "gebied_stuurt.gpkg", "green_links")
    patches = _layer(folder, "gebied_stuurt.gpkg", "carrier_patches")
    assert len(patches) >= 2 and len(links) >= 1
    assert (links["length_m"] > 0).all() and (links["length_m"] <= 2000).all()
    for line, a, b in zip(links.geometry, links["from_patch"], links["to_patch"], strict=True):
        ends = [shapely.Point(line.coords[0]), shapely.Point(line.coords[-1])]
        for patch in (patches.geometry.iloc[a - 1], patches.geometry.iloc[b - 1]):
            assert min(patch.distance(e) for e in ends) <= 30.0  # a link ends at (the cell next to) its patches


def test_the_maps_render(demo, tmp_path):
    grid = dossier_grid(demo)
    boundary = boundary_geometry(demo)
    for name in PRODUCTS:
        for spec in read_maps(demo.products_dir / name):
            for language in ("nl", "en"):
                png = render_map(spec, demo.products_dir / name, tmp_path / f"{spec.id}_{language}.png",
                                 boundary=boundary, extent=map_extent(grid.bounds, boundary), language=language,
                                 folder_of=lambda product: demo.products_dir / product)
                assert png.stat().st_size > 20_000
