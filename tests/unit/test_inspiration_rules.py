"""Step 4, the inspiration maps, on small synthetic cases: reading the workshop's syntheses, the legend by goal,
the guide-model fallback, the economic-chance rules and the green links."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from alliantie.dossier.config import InputFile
from alliantie.errors import InputDataError
from alliantie.grid import RD_NEW, Grid
from alliantie.io.vector import write_vector_layers
from alliantie.knowledge.guide_models import GuideModels
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.method.baseinfo.classes import codes as class_codes
from alliantie.method.baseinfo.knowledge import VegetationGroups
from alliantie.method.inspiration.chances import BaseLayers, cell_mask, place_water
from alliantie.method.inspiration.fallback import Zone, compact, fallback_places, zone_has_sketch
from alliantie.method.inspiration.goals import GOALS, goal_of, legend_label, ordered
from alliantie.method.inspiration.knowledge import EconomicChances, InspirationRules
from alliantie.method.inspiration.links import carrier_patches, green_links
from alliantie.method.inspiration.sketches import read_perspective, slug

CATALOGUE = MeasureCatalogue.load()
RULES = InspirationRules.load()
X0, Y0 = 150_000.0, 460_000.0
BBOX = (X0, Y0, X0 + 2000, Y0 + 2000)


def _workshop(path: Path, rows: list[tuple[str, str, shapely.Geometry]], *, syntheses: bool = True,
              synthesis_layers: bool = True) -> Path:
    frame = gpd.GeoDataFrame({"measure": [r[0] for r in rows], "syntheses": [r[1] for r in rows]},
                             geometry=[r[2] for r in rows], crs=RD_NEW)
    if not syntheses:
        frame = frame.drop(columns="syntheses")
    layers = [("sketches", frame, "Unknown", None)]
    if synthesis_layers and syntheses:
        for name in ("veerkracht", "regionale_economie"):
            member = [name in [slug(n) for n in str(v).split(";")] for v in frame["syntheses"]]
            part = frame[member].reset_index(drop=True)
            layers.append((f"synthesis_{name}", part, "Unknown", None))
    return write_vector_layers(path, layers)


ROWS = [
    ("wadi", "veerkracht", Point(X0 + 100, Y0 + 100).buffer(20)),
    ("brook_restoration", "veerkracht; regionale_economie", LineString([(X0 + 200, Y0 + 200), (X0 + 600, Y0 + 300)])),
    ("seepage_use", "Regionale economie", box(X0 + 800, Y0 + 800, X0 + 900, Y0 + 900)),
]


def _read(path: Path, perspective: str):
    return read_perspective(InputFile(path=str(path)), perspective, CATALOGUE, crs=RD_NEW, bbox=BBOX,  # type: ignore[arg-type]
                            label_root=path.parent)


def test_a_synthesis_layer_is_read_when_present(tmp_path):
    path = _workshop(tmp_path / "sketches.gpkg", ROWS)
    veerkracht = _read(path, "veerkracht")
    assert veerkracht.how == "layer" and veerkracht.source == "sketches.gpkg:synthesis_veerkracht"
    assert [f.measure.id for f in veerkracht.features] == ["wadi", "brook_restoration"]
    assert [f.measure.id for f in _read(path, "regionale_economie").features] == ["brook_restoration", "seepage_use"]


def test_without_synthesis_layers_the_syntheses_column_decides(tmp_path):
    path = _workshop(tmp_path / "sketches.gpkg", ROWS, synthesis_layers=False)
    economie = _read(path, "regionale_economie")
    # "Regionale economie" as typed in the web app is the slug regionale_economie
    assert economie.how == "column" and [f.measure.id for f in economie.features] == ["brook_restoration",
                                                                                      "seepage_use"]


def test_a_sketches_file_without_syntheses_still_works(tmp_path):
    path = _workshop(tmp_path / "sketches.gpkg", ROWS, syntheses=False)
    veerkracht = _read(path, "veerkracht")
    assert veerkracht.how == "all" and len(veerkracht.features) == 3
    economie = _read(path, "regionale_economie")
    assert economie.how == "none" and economie.features == []


def test_an_unknown_measure_names_the_file(tmp_path):
    path = _workshop(tmp_path / "sketches.gpkg", [*ROWS, ("wadie", "veerkracht", Point(X0 + 50, Y0 + 50))])
    with pytest.raises(InputDataError) as caught:
        _read(path, "veerkracht")
    message = caught.value.message("en")
    assert "sketches.gpkg:synthesis_veerkracht" in message and "'wadie'" in message and "wadi" in message


def test_goals_group_by_water_principle_then_climate_principle():
    wadi, shade, dike = CATALOGUE.get("wadi"), CATALOGUE.get("shade"), CATALOGUE.get("dike_reinforcement")
    assert wadi is not None and shade is not None and dike is not None
    assert goal_of(wadi) == "water.infiltrate"  # its first principle
    assert goal_of(shade) == "climate.limit_consequences" and goal_of(dike) == "climate.prevent"
    assert ordered(["climate.prevent", "water.drain", "water.infiltrate"]) == ["water.infiltrate", "water.drain",
                                                                             "climate.prevent"]
    assert set(GOALS) == {goal_of(m) for m in CATALOGUE.measures} | {"water.drain"} - set()  # every goal used
    label = legend_label("water.infiltrate", [wadi, wadi])
    assert label.nl.count("wadi") == 1 and label.nl.startswith("Water infiltreren: ")


def _grid(n: int = 100, res: float = 10.0) -> Grid:
    return Grid.from_bounds((X0, Y0, X0 + n * res, Y0 + n * res), res, RD_NEW)


def test_the_fallback_places_measures_in_unsketched_zones_only():
    grid = _grid()
    models = GuideModels.load()
    model = models.model("dekzand")
    west, east = box(X0, Y0, X0 + 500, Y0 + 1000), box(X0 + 500, Y0, X0 + 1000, Y0 + 1000)
    zones = [Zone(model, west), Zone(model, east)]
    classes = np.full(grid.shape, 5, dtype=np.uint8)  # every group very suitable everywhere

    places, empty = fallback_places(zones, [Point(X0 + 100, Y0 + 100).buffer(10)], CATALOGUE, lambda g: classes,
                                    {m.group for m in CATALOGUE.measures}, grid, RULES.fallback)
    assert [z.geometry for z in empty] == [east]
    assert places and all(p.geometry.within(east.buffer(1e-6)) for p in places)
    assert len(places) == RULES.fallback.measures_per_zone.value
    # each place at most the place size, and the measures of a zone do not overlap
    assert all(p.geometry.area <= RULES.fallback.max_place_ha.value * 1e4 * 1.05 for p in places)
    assert shapely.union_all([p.geometry for p in places]).area == pytest.approx(sum(p.geometry.area for p in places))
    # with a sketch in both zones, nothing is filled in
    both, _ = fallback_places(zones, [Point(X0 + 100, Y0 + 100), Point(X0 + 900, Y0 + 900)], CATALOGUE,
                              lambda g: classes, {m.group for m in CATALOGUE.measures}, grid, RULES.fallback)
    assert both == []
    # unsuitable everywhere (class 3 < min_class 4): no place
    poor = np.full(grid.shape, 3, dtype=np.uint8)
    none, _ = fallback_places(zones, [], CATALOGUE, lambda g: poor, {m.group for m in CATALOGUE.measures}, grid,
                              RULES.fallback)
    assert none == []


def test_a_sketch_touching_a_zone_does_not_count_and_compact_caps_the_area():
    zone = box(0, 0, 10, 10)
    assert not zone_has_sketch(zone, [box(10, 0, 20, 10)])
    assert zone_has_sketch(zone, [box(9, 0, 20, 10)])
    patch = np.ones((50, 50), dtype=bool)
    assert compact(patch, 100).sum() <= 110 and compact(patch, 5000).sum() == 2500


GROUPS = class_codes(VegetationGroups.load().group)


def _base(grid: Grid, landuse: np.ndarray, city: np.ndarray) -> BaseLayers:
    zeros = np.zeros(grid.shape, dtype=np.uint8)
    return BaseLayers(landuse=landuse, landscape=zeros, seepage=zeros, valid=np.ones(grid.shape, dtype=bool),
                      city=city, codes={"landuse": GROUPS, "landscape": {}, "seepage": {}})


def test_urban_farming_lies_at_the_town_edge_outside_the_town():
    grid = _grid()
    landuse = np.full(grid.shape, GROUPS["grassland"], dtype=np.uint8)
    city = np.zeros(grid.shape, dtype=bool)
    city[40:60, 40:60] = True
    chance = next(c for c in EconomicChances.load().chances if c.id == "urban_farming")
    assert chance.where is not None
    mask = cell_mask(chance.where, _base(grid, landuse, city), grid)
    assert mask.any() and not (mask & city).any()
    rows, cols = np.nonzero(mask)
    # within 300 m (30 cells) of the town block, never farther
    assert rows.min() >= 40 - 30 - 1 and rows.max() <= 59 + 30 + 1 and cols.min() >= 40 - 30 - 1
    # a larger distance never gives fewer cells
    wider = chance.where.model_copy(update={"within_m": chance.where.within_m.model_copy(  # type: ignore[union-attr]
        update={"value": 500.0})})
    assert cell_mask(wider, _base(grid, landuse, city), grid).sum() >= mask.sum()


def test_heat_from_water_needs_enough_buildings_nearby():
    chance = next(c for c in EconomicChances.load().chances if c.id == "aquathermal")
    assert chance.water is not None
    lake = gpd.GeoDataFrame({"kind": ["lake"], "name": ["Plas"]}, geometry=[box(0, 0, 100, 100)], crs=RD_NEW)
    houses = [box(200 + 12 * (i % 20), 12 * (i // 20), 208 + 12 * (i % 20), 8 + 12 * (i // 20)) for i in range(60)]
    few = gpd.GeoDataFrame(geometry=houses[:10], crs=RD_NEW)
    many = gpd.GeoDataFrame(geometry=houses, crs=RD_NEW)
    assert place_water(chance, chance.water, lake, few) == []
    placed = place_water(chance, chance.water, lake, many)
    assert len(placed) == 1 and placed[0].buildings == 60 and placed[0].name == "Plas"
    ditch = lake.assign(kind=["ditch"])
    assert place_water(chance, chance.water, ditch, many) == []


def test_green_links_follow_the_green_ground():
    grid = _grid(n=120, res=5.0)  # 600 m square, 25 m path cells
    codes = GROUPS
    landuse = np.full(grid.shape, GROUPS["built"], dtype=np.uint8)  # built-up everywhere ...
    landuse[80:100, :] = GROUPS["forest_deciduous"]  # ... except a forest belt in the south
    valid = np.ones(grid.shape, dtype=bool)
    west = box(X0, Y0 + 300, X0 + 100, Y0 + 500)
    east = box(X0 + 500, Y0 + 300, X0 + 600, Y0 + 500)
    patches = carrier_patches([west, east], ["West", "Oost"], 1.0)
    links = green_links(patches, landuse, valid, codes, grid, RULES.green_links)
    assert len(links) == 1
    link = links[0]
    belt = box(X0, Y0 + 100, X0 + 600, Y0 + 200)  # rows 80-100 of 120 from the top
    assert link.geometry.intersection(belt).length > 0.5 * link.geometry.length  # detour through the forest
    assert link.green_share > 0.5
    # all built-up: the straight line is the cheapest
    built = np.full(grid.shape, GROUPS["built"], dtype=np.uint8)
    straight = green_links(patches, built, valid, codes, grid, RULES.green_links)
    assert straight[0].length_m < link.length_m and straight[0].cost > link.cost
    # touching carriers are one patch: nothing to link
    assert len(carrier_patches([west, box(X0 + 100, Y0 + 300, X0 + 200, Y0 + 500)], ["a", "b"], 1.0)) == 1
