"""The workshop's live indicators on the small demo: they respond to what is drawn, add up, and survive bad sketches."""

from __future__ import annotations

import json
import threading

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.geometry

from alliantie.damage.pluvial import above_floor
from alliantie.measures.evaluate import evaluate
from alliantie.testing.sketches import sketch_of
from alliantie.testing.web_demo import shared_demo
from alliantie.web.indicators import IndicatorService, SketchInput


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    svc = IndicatorService(shared_demo(tmp_path_factory.getbasetemp()))
    svc.warm()
    return svc


def _geojson(service, shape):
    geo = gpd.GeoSeries([shape], crs=service.baseline.grid.crs).to_crs("EPSG:4326").iloc[0]
    return json.loads(json.dumps(shapely.geometry.mapping(geo)))


def _wet(service):
    """Buildings with water above the floor in today's map storm, and their footprints."""
    p = service.baseline.pluvial
    depth = p.saved_depths[p.shown_case("current").id]
    water = above_floor(depth, p.ground, p.buildings.ring, p.buildings.floor_level_m)
    wet = np.flatnonzero(np.isfinite(water) & (water > 0))
    assert wet.size, "the small demo has buildings wet in the map storm"
    return service.baseline.buildings.frame.geometry.iloc[wet]


def _square_around(service, footprint, radius, sid, measure="water_square"):
    ring = footprint.centroid.buffer(radius).difference(footprint.buffer(2))
    return SketchInput(id=sid, measure=measure, geometry=_geojson(service, ring))


def test_no_sketches_give_zeros(service):
    out = service.compute([], {"g": []})
    for ind in (out["total"], out["groups"]["g"]):
        assert ind["buildings_kept_dry"] == 0 and ind["water_stored_m3"] == 0 and ind["storage_capacity_m3"] == 0
        assert ind["investment_eur"] == 0 and ind["maintenance_eur_per_year"] == 0
        assert ind["residents_cooled"] == 0  # the demo has a heat model
    assert out["sketches"] == {} and out["errors"] == {}
    json.dumps(out)


def test_a_water_square_in_the_bluespot_keeps_buildings_dry(service):
    footprints = _wet(service)
    out = service.compute([_square_around(service, footprints.iloc[0], 50, "a")], {})
    ind = out["sketches"]["a"]
    assert ind["buildings_kept_dry"] >= 1
    assert ind["water_stored_m3"] > 0 and ind["storage_capacity_m3"] > 0
    assert ind["avoided_damage_eur_per_year"]["pluvial"] > 0
    assert ind == out["total"]  # one sketch: it alone is the total
    # a smaller one far from the water keeps nothing dry and stores less
    far = shapely.box(*service.baseline.grid.bounds[:2], *(np.array(service.baseline.grid.bounds[:2]) + 40))
    none = service.compute([SketchInput("b", "water_square", _geojson(service, far))], {})["total"]
    assert none["buildings_kept_dry"] < ind["buildings_kept_dry"]


def test_more_sketches_never_lower_the_storage_and_costs_add_up(service):
    footprints = _wet(service)
    kinds = ("wadi", "water_square", "wadi")
    drawn = [_square_around(service, fp, 30, f"s{i}", kind)
             for i, (fp, kind) in enumerate(zip(footprints.iloc[:3], kinds, strict=False))]
    frame = service.baseline.buildings.frame
    drawn.append(SketchInput("roof", "green_roof", _geojson(service, frame.geometry.iloc[10].representative_point())))
    drawn.append(SketchInput("trees", "street_trees", _geojson(
        service, shapely.LineString([frame.geometry.iloc[20].centroid, frame.geometry.iloc[21].centroid]))))
    previous = -1.0
    for n in range(1, len(drawn) + 1):
        out = service.compute(drawn[:n], {"first": [s.id for s in drawn[:n]]})
        assert out["errors"] == {}
        total = out["total"]
        assert total["storage_capacity_m3"] >= previous
        previous = total["storage_capacity_m3"]
        assert out["groups"]["first"] == total
        parts = out["sketches"].values()
        assert total["investment_eur"] == pytest.approx(sum(p["investment_eur"] for p in parts), abs=0.01 * n)
        assert total["maintenance_eur_per_year"] == pytest.approx(sum(p["maintenance_eur_per_year"] for p in parts),
                                                                  rel=1e-9, abs=0.05)
        assert total["storage_capacity_m3"] == pytest.approx(sum(p["storage_capacity_m3"] for p in parts), abs=0.05)
    # a group of two is between one and all
    out = service.compute(drawn, {"two": ["s0", "s1"]})
    assert out["sketches"]["s0"]["storage_capacity_m3"] <= out["groups"]["two"]["storage_capacity_m3"] \
        <= out["total"]["storage_capacity_m3"]


def test_each_sketch_alone_is_what_the_engine_gives_per_feature(service):
    """The service evaluates sketches alone (cached by content); the engine's per_feature gives the same."""
    footprints = _wet(service)
    drawn = [_square_around(service, fp, 30, f"s{i}") for i, fp in enumerate(footprints.iloc[:2])]
    out = service.compute(drawn, {})
    baseline = service.baseline
    shapes = [shapely.geometry.shape(s.geometry) for s in drawn]
    rows = [(s.measure, g, {}) for s, g in zip(drawn, gpd.GeoSeries(shapes, crs=4326).to_crs(baseline.grid.crs),
                                               strict=True)]
    effects = evaluate(baseline, sketch_of(rows, baseline.grid.crs, baseline.catalogue), per_feature=True,
                       level="fast")
    for s, fe in zip(drawn, effects.features, strict=True):
        ind = out["sketches"][s.id]
        assert ind["buildings_kept_dry"] == fe.indicators.kept_dry["current"]
        assert ind["water_stored_m3"] == pytest.approx(fe.indicators.stored_m3["current"], abs=0.01)
        assert ind["investment_eur"] == pytest.approx(fe.cost.investment["mean"], abs=0.01)
        assert ind["avoided_damage_eur_per_year"]["pluvial"] == pytest.approx(
            fe.themes["pluvial"].avoided("current"), abs=0.01)


def test_a_refused_sketch_is_reported_and_the_others_computed(service):
    footprints = _wet(service)
    good = _square_around(service, footprints.iloc[0], 50, "good")
    wrong_kind = SketchInput("line", "water_square", _geojson(service, shapely.LineString([(0, 0), (1, 1)])))
    broken = SketchInput("broken", "wadi", {"type": "Polygon", "coordinates": "nonsense"})
    unknown = SketchInput("unknown", "flying_carpet", good.geometry)
    outside = SketchInput("outside", "wadi", {"type": "Polygon", "coordinates": [
        [[-60.0, -10.0], [-59.9, -10.0], [-59.9, -9.9], [-60.0, -10.0]]]})
    bad_width = SketchInput("width", "street_trees", _geojson(service, shapely.LineString(
        [footprints.iloc[0].centroid, footprints.iloc[1].centroid])), width_m=-3.0)
    out = service.compute([good, wrong_kind, broken, unknown, outside, bad_width],
                          {"g": ["good", "line", "unknown"]}, language="en")
    assert set(out["errors"]) == {"line", "broken", "unknown", "outside", "width"}
    assert "drawn as a LineString" in out["errors"]["line"]
    assert "flying_carpet" in out["errors"]["unknown"]
    assert "outside" in out["errors"]["outside"]
    assert list(out["sketches"]) == ["good"]
    assert out["total"]["buildings_kept_dry"] >= 1
    assert out["groups"]["g"] == out["sketches"]["good"]


def test_threads_share_one_service(service):
    footprints = _wet(service)
    drawn = [_square_around(service, fp, 20 + 5 * i, f"t{i}") for i, fp in enumerate(footprints.iloc[:2])]
    results: list[dict] = []

    def run() -> None:
        results.append(service.compute(drawn, {})["total"])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == results[0] for r in results)
