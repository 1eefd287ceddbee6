"""From effects.json to the business case's records: the measure set's avoided damage split over its features,
the co-benefits per feature, the property value near green and water, and where the benefits land."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from alliantie.contract.effects import EffectsFile, FeatureRecord, Name, Totals
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.method.strategy.business_case.analysis import case_years, evaluate_case
from alliantie.method.strategy.business_case.features import CoValues, feature_inputs, theme_weights
from alliantie.method.strategy.business_case.knowledge import BusinessCaseKnowledge
from alliantie.method.strategy.business_case.places import OUTSIDE, land, property_gain
from alliantie.parameters.business_case import PARTIES

SCENARIOS = ["current", "Hd2050"]
YEARS = {"current": None, "Hd2050": 2050}
VALUES = CoValues(sewer_eur_per_m3=120.0, fine_dust_eur_per_kg=10.2)


def _levels(v: float) -> dict[str, float]:
    return {"low": v, "mean": v, "high": v}


def _feature(fid: str, measure: str, pluvial: float, *, area: float = 400.0, storage: float = 100.0,
             invest: float = 30_000.0) -> FeatureRecord:
    return FeatureRecord(
        id=fid, measure=measure, name=Name(nl=measure, en=measure), label="", themes=["pluvial"],
        geometry="polygon", area_m2=area, length_m=0.0, count=1.0, cells=4, quantity=area, unit="EUR/m2",
        storage_m3=storage, stored_m3={}, buildings_kept_dry={},
        avoided_ead_eur={"pluvial": {"current": pluvial, "Hd2050": 2 * pluvial}},
        avoided_pv_eur={}, investment_eur=_levels(invest), maintenance_eur_per_year=_levels(300.0),
        cost_pv_eur=_levels(invest), overridden=[], not_modelled=None)


def _effects(total_today: float, features: list[FeatureRecord]) -> EffectsFile:
    empty: dict[str, int] = {}
    totals = Totals(
        storage_m3=0.0, stored_m3={}, buildings_above_floor_before=empty, buildings_above_floor_after=empty,
        buildings_kept_dry=empty, buildings_newly_wet=empty, buildings_wet_facade_before=empty,
        buildings_wet_facade_after=empty, roads_flooded_before_m={}, roads_flooded_after_m={},
        residents_cooled=None, indicators={}, ead_before_eur={}, ead_after_eur={},
        avoided_ead_eur={"pluvial": {"current": _levels(total_today), "Hd2050": _levels(3 * total_today)}},
        avoided_pv_eur={}, investment_eur=_levels(0.0), maintenance_eur_per_year=_levels(0.0),
        cost_pv_eur=_levels(0.0))
    return EffectsFile(sketch="sketch.gpkg", level="full", approximate=False, price_year=2024, start_year=2025,
                       horizon_year=2050, discount_rate=0.0225, scenarios=SCENARIOS,
                       map_storm={}, themes_evaluated=["pluvial"], themes_not_evaluated=[], total=totals,
                       features=features, seconds={})


@pytest.fixture(scope="module")
def catalogue() -> MeasureCatalogue:
    return MeasureCatalogue.load()


@pytest.fixture(scope="module")
def knowledge() -> BusinessCaseKnowledge:
    return BusinessCaseKnowledge.load()


def test_the_total_avoided_damage_is_split_by_what_each_feature_avoids_alone(catalogue, knowledge):
    features = [_feature("1", "wadi", 300.0), _feature("2", "park", 100.0)]
    effects = _effects(800.0, features)  # together more than alone (300 + 100)
    assert theme_weights(features, "pluvial", "current") == {"1": 0.75, "2": 0.25}
    inputs = feature_inputs(effects, catalogue, knowledge, "Hd2050", YEARS, VALUES, {})
    today = {f.id: next(s for s in f.streams if s.benefit == "avoided_pluvial") for f in inputs}
    assert today["1"].today == pytest.approx(600.0) and today["2"].today == pytest.approx(200.0)
    assert today["1"].future == pytest.approx(1800.0) and today["1"].future_year == 2050
    # sewer storage spared, once, for a neighbourhood measure: 100 m3 x EUR 120
    sewer = [s for f in inputs for s in f.streams if s.benefit == "sewer_storage"]
    assert [s.once for s in sewer] == [pytest.approx(12_000.0)] * 2
    # fine dust: the park's vegetation (its vegetation share of 400 m2) x 72.85 kg/ha/yr x EUR 10.2
    park = catalogue.get("park")
    assert park is not None and park.effect.vegetation_share is not None
    dust = next(s for s in inputs[1].streams if s.benefit == "fine_dust")
    assert dust.today == pytest.approx(0.04 * park.effect.vegetation_share.value * 72.85 * 10.2)
    # nothing avoided alone: split equally over the features acting on the theme
    nothing = [_feature("1", "wadi", 0.0), _feature("2", "park", 0.0)]
    assert theme_weights(nothing, "pluvial", "current") == {"1": 0.5, "2": 0.5}


def test_more_avoided_damage_in_effects_gives_a_higher_npv_for_every_party_that_gains(catalogue, knowledge):
    features = [_feature("1", "wadi", 300.0), _feature("2", "park", 100.0)]
    years = case_years(2025, 30)

    def run(total: float):
        inputs = feature_inputs(_effects(total, features), catalogue, knowledge, "Hd2050", YEARS, VALUES, {})
        return evaluate_case(inputs, knowledge.benefit_shares, years, 0.0225, parties=PARTIES)

    results = [run(t) for t in (0.0, 400.0, 4000.0, 40_000.0)]
    npv = [r.total.npv_eur for r in results]
    assert npv == sorted(npv) and len(set(npv)) == 4
    insurers = [r.parties["insurers"].pv_benefits_eur for r in results]
    assert insurers == sorted(insurers) and insurers[0] == 0 and insurers[-1] > 0
    # costs do not move with the benefits
    assert len({round(r.total.pv_costs_eur, 6) for r in results}) == 1


def test_property_value_lands_at_the_dwellings_near_green(catalogue, knowledge):
    rule = knowledge.property_value
    park = shapely.box(0, 0, 100, 100)
    wadi = shapely.box(300, 0, 320, 20)
    features = gpd.GeoDataFrame({"id": ["p", "w"]}, geometry=[park, wadi], crs="EPSG:28992")
    homes = [shapely.box(110, 10, 120, 20),  # 10 m from the park: +6 %
             shapely.box(200, 10, 210, 20),  # 90 m from both: nothing
             shapely.box(330, 0, 340, 10),  # 10 m from the wadi: +1.2 %
             shapely.box(20, 120, 30, 130)]  # 20 m from the park, a shop: nothing
    buildings = gpd.GeoDataFrame({"function": ["residential", "residential", "residential", "retail"]},
                                 geometry=homes, crs="EPSG:28992")
    gain = property_gain(features, {"p": "park", "w": "wadi"}, buildings, catalogue, rule, 400_000.0)
    assert gain.count == 2
    assert gain.per_feature == {"p": pytest.approx(0.06 * 400_000), "w": pytest.approx(0.012 * 400_000)}
    # neighbourhoods: the park half in A, the wadi in none; the park's dwelling lies in B
    areas = gpd.GeoDataFrame({"code": ["A", "B"]},
                             geometry=[shapely.box(-50, -50, 50, 150), shapely.box(50, -50, 250, 150)],
                             crs="EPSG:28992")
    items = {"p": {"avoided_pluvial": 1000.0, "property_value": 24_000.0}, "w": {"avoided_pluvial": 500.0}}
    shares = {"avoided_pluvial": {"insurers": 1.0}, "property_value": {"owners_residents": 1.0}}
    landed = land(features, areas, ["A", "B"], items, shares, gain, buildings)
    assert landed["A"] == {"insurers": pytest.approx(500.0)}
    assert landed["B"] == {"insurers": pytest.approx(500.0), "owners_residents": pytest.approx(24_000.0)}
    assert landed[OUTSIDE] == {"insurers": pytest.approx(500.0)}
    total = sum(v for row in landed.values() for v in row.values())
    assert total == pytest.approx(1000 + 24_000 + 500)  # every euro lands somewhere
