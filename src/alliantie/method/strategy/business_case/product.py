"""``strategy.business_case``: what each party invests and what it saves, per place, for the dossier's measure set.

Reads ``effects.json`` of ``vista.effects`` (the features' costs and avoided damage per theme and scenario), the
measure catalogue (lifetime, group), ``business_case.toml`` (who pays, who gains, co-benefit values),
``economics.toml`` (discount presets, price index) and, when the product exists, ``meekoppelen.json`` (features
done with planned works). Writes ``business_case.json``, ``costs_benefits.png``, ``benefits.gpkg``,
``tables.json`` and ``maps.json``. Without a measure set it writes one table that says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from alliantie.climate.scenarios import dossier_scenarios
from alliantie.contract.business_case import BusinessCaseFile, Case, Name, Party, Result, write_business_case
from alliantie.contract.effects import EFFECTS_FILE, EffectsFile, read_effects
from alliantie.contract.meekoppelen import MEEKOPPELEN_FILE, read_meekoppelen
from alliantie.contract.names import EFFECTS, MEEKOPPELEN
from alliantie.contract.spec import Column, FigureSpec, TableSpec, Text, write_maps, write_tables
from alliantie.contract.spec import catalogue_text as text
from alliantie.damage.npv import EconomicsFile, discount_rate, price_index_factor
from alliantie.dossier.registry import ProductContext
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.method.strategy.business_case.analysis import (
    CaseResult,
    FeatureInput,
    Indicators,
    Timing,
    case_years,
    evaluate_case,
    matrix,
)
from alliantie.method.strategy.business_case.features import CURRENT, CoValues, feature_inputs
from alliantie.method.strategy.business_case.knowledge import BusinessCaseKnowledge
from alliantie.method.strategy.business_case.outputs import (
    FIGURE_FILE,
    THEME,
    bar_figure,
    matrix_table,
    parties_table,
    places_table,
    range_table,
    write_places,
)
from alliantie.method.strategy.business_case.places import OUTSIDE, PropertyGain, land, property_gain
from alliantie.method.vista.effects.outputs import FAMILIES, SKETCH_FILE, layer_name
from alliantie.parameters.business_case import PARTIES, BusinessCaseParameters

log = logging.getLogger(__name__)

#: The layers of vista.effects' sketch.gpkg (one per geometry family).
SKETCH_LAYERS = tuple(layer_name(family) for family in FAMILIES)


def _result(r: Indicators) -> Result:
    return Result(pv_costs_eur=round(r.pv_costs_eur, 2), pv_benefits_eur=round(r.pv_benefits_eur, 2),
                  npv_eur=round(r.npv_eur, 2), bcr=None if r.bcr is None else round(r.bcr, 4),
                  irr=None if r.irr is None else round(r.irr, 5), payback_year=r.payback_year,
                  items_eur={k: round(v, 2) for k, v in r.items_eur.items()})


def _case(preset: str, rate: float, horizon: int, variant: str, scenario: str, result: CaseResult) -> Case:
    return Case(discount=preset, discount_rate=rate, horizon_years=horizon, variant=variant,
                scenario=scenario, parties={p: _result(r) for p, r in result.parties.items()},
                total=_result(result.total))


def feature_geometries(effects_dir: Path) -> gpd.GeoDataFrame:
    """The measure set's features (``id``, geometry) from ``vista.effects``' ``sketch.gpkg``."""
    import pyogrio

    path = effects_dir / SKETCH_FILE
    present = {str(row[0]) for row in pyogrio.list_layers(path)} if path.exists() else set()
    frames = [pyogrio.read_dataframe(path, layer=layer, columns=["id"]) for layer in SKETCH_LAYERS if layer in present]
    if not frames:
        return gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:28992")
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)


def couplings(ctx: ProductContext) -> dict[str, Timing]:
    """Feature id -> the year and cost factor of its planned works (empty without ``strategy.meekoppelen``)."""
    folder = ctx.optional_upstream(MEEKOPPELEN)
    if folder is None or not (folder / MEEKOPPELEN_FILE).exists():
        return {}
    return {c.feature_id: Timing(c.year, c.investment_factor) for c in read_meekoppelen(folder).couplings}


def _no_measures() -> TableSpec:
    return TableSpec(id="business_case_none", theme=THEME, title=text("business_case.none.title"),
                     columns=[Column(label=text("business_case.none.column"))],
                     rows=[[text("business_case.none.text")]])


def business_case(ctx: ProductContext) -> None:
    """business_case.json, costs_benefits.png, benefits.gpkg, tables.json and maps.json."""
    effects_dir = ctx.upstream(EFFECTS)
    if not (effects_dir / EFFECTS_FILE).exists():
        write_tables(ctx.out_dir, [_no_measures()])
        write_maps(ctx.out_dir, [])
        return
    params = ctx.params(BusinessCaseParameters)
    knowledge = ctx.knowledge_model(BusinessCaseKnowledge)
    catalogue = ctx.knowledge_model(MeasureCatalogue)
    economics = EconomicsFile.from_toml(ctx.knowledge("economics"), ctx.knowledge_path("economics"))
    effects = read_effects(effects_dir)
    price = effects.price_year
    values = CoValues(
        sewer_eur_per_m3=knowledge.sewer_storage.value * price_index_factor(
            knowledge.sewer_storage.price_year, price, economics),
        fine_dust_eur_per_kg=knowledge.fine_dust.value * price_index_factor(
            knowledge.fine_dust.price_year, price, economics))
    rule = knowledge.property_value
    geoms = feature_geometries(effects_dir)
    buildings = ctx.vector("buildings")
    measure_of = {f.id: f.measure for f in effects.features}
    gain = property_gain(geoms, measure_of, buildings, catalogue, rule,
                         rule.value_per_dwelling * price_index_factor(rule.price_year, price, economics))
    log.info("business case: %d dwellings gain property value", gain.count)
    scenario_years = {s.id: s.horizon for s in dossier_scenarios(ctx.param("scenarios"))}
    timings = couplings(ctx)
    variants = ["alone", "meekoppelen"] if timings else ["alone"]

    def shares(item: str) -> dict[str, float]:
        return knowledge.benefit_shares(item, params.beneficiaries)

    cases: list[Case] = []
    headline: tuple[Case, CaseResult, list[FeatureInput]] | None = None
    want_variant = params.headline_variant if params.headline_variant in variants else "alone"
    want_scenario = params.headline_scenario if params.headline_scenario in effects.scenarios else CURRENT
    for scenario in effects.scenarios:
        inputs = feature_inputs(effects, catalogue, knowledge, scenario, scenario_years, values, gain.per_feature,
                                params.cost_bearers)
        for variant in variants:
            for preset in params.discount_presets:
                rate = discount_rate(economics, preset).rate
                for horizon in params.horizons_years:
                    result = evaluate_case(inputs, shares, case_years(effects.start_year, horizon), rate,
                                           timings if variant == "meekoppelen" else {}, PARTIES)
                    case = _case(preset, rate, horizon, variant, scenario, result)
                    cases.append(case)
                    if (scenario, variant, preset, horizon) == (want_scenario, want_variant, params.headline_discount,
                                                               params.headline_horizon_years):
                        headline = (case, result, inputs)
    assert headline is not None
    _write(ctx, effects, knowledge, cases, headline, geoms, gain, buildings, shares)


def _write(ctx: ProductContext, effects: EffectsFile, knowledge: BusinessCaseKnowledge, cases: list[Case],
           headline: tuple[Case, CaseResult, list[FeatureInput]], geoms: gpd.GeoDataFrame, gain: PropertyGain,
           buildings: gpd.GeoDataFrame | None, shares: Callable[[str], dict[str, float]]) -> None:
    case, result, inputs = headline
    party_names: dict[str, tuple[str, str]] = {p.id: (p.nl, p.en) for p in knowledge.parties}
    benefit_names = {b.id: (b.nl, b.en) for b in knowledge.benefits}
    not_valued = [Name(nl=r.nl, en=r.en) for r in knowledge.not_valued]
    not_valued += [Name(nl=f"{f.name.nl}: {f.not_modelled.nl.rstrip('.')}",
                        en=f"{f.name.en}: {f.not_modelled.en.rstrip('.')}")
                   for f in effects.features if f.not_modelled is not None]
    not_valued += [Name(nl=f"thema {t} niet doorgerekend", en=f"theme {t} not evaluated")
                   for t in effects.themes_not_evaluated]
    table = matrix(inputs, result.feature_benefits, PARTIES)
    data = BusinessCaseFile(
        measure_set=effects.sketch, price_year=effects.price_year, start_year=effects.start_year,
        parties=[Party(id=p.id, name=Name(nl=p.nl, en=p.en)) for p in knowledge.parties], cases=cases,
        headline=case, matrix_eur={c: {b: round(v, 2) for b, v in row.items()} for c, row in table.items()},
        not_valued=not_valued)
    write_business_case(ctx.out_dir, data)
    figures = []
    if bar_figure(case, party_names, benefit_names, ctx.path(FIGURE_FILE), ctx.language):
        figures.append(FigureSpec(id="business_case_bars", theme=THEME, title=text("business_case.figure.title"),
                                  description=text("business_case.figure.description"), file=FIGURE_FILE))
    areas = ctx.vector("neighbourhoods")
    keys = [str(k) for k in (areas["code"] if areas is not None and "code" in areas.columns
                             else range(0 if areas is None else len(areas)))]
    item_party = {item: shares(item) for items in result.feature_items.values() for item in items}
    landed = land(geoms, areas, keys, result.feature_items, item_party, gain, buildings)
    points = _measure_points(geoms, effects, result)
    spec = write_places(ctx.out_dir, areas, keys, landed, points, ctx.grid.crs, ctx.language)
    notes = [Text(nl=n.nl, en=n.en) for n in not_valued]
    tables = [parties_table(case, party_names, notes, effects.sketch), matrix_table(table, party_names),
              range_table([c for c in cases if c.variant == case.variant])]
    where = places_table(areas, keys, landed, OUTSIDE)
    write_tables(ctx.out_dir, tables + ([where] if where is not None else []), figures)
    write_maps(ctx.out_dir, [spec] if spec is not None else [])


def _measure_points(geoms: gpd.GeoDataFrame, effects: EffectsFile, result: CaseResult) -> gpd.GeoDataFrame:
    """The measures as points (inside each feature) with their measure and the present value of their benefits."""
    names = {f.id: f.measure for f in effects.features}
    ids = [str(i) for i in geoms["id"]]
    return gpd.GeoDataFrame({
        "id": ids, "measure": [names.get(i, "") for i in ids],
        "pv_benefits_eur": [round(sum(result.feature_items.get(i, {}).values()), 2) for i in ids],
    }, geometry=geoms.geometry.representative_point().values, crs=geoms.crs)
