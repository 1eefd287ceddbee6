"""strategy.business_case on the small demo: business_case.json validates, the totals agree with a hand
computation from effects.json, the parties add up, the figure, tables, map and GeoPackage are there; the
meekoppelen variant from a meekoppelen.json; no measure set, no business case."""

from __future__ import annotations

import dataclasses
import json
import shutil

import geopandas as gpd
import pyogrio
import pytest

from alliantie.contract.business_case import BUSINESS_CASE_FILE, BusinessCaseFile, read_business_case
from alliantie.contract.effects import read_effects
from alliantie.contract.meekoppelen import Coupling, MeekoppelenFile, write_meekoppelen
from alliantie.contract.names import BUSINESS_CASE, EFFECTS, MEEKOPPELEN
from alliantie.contract.spec import read_maps, read_tables
from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier.registry import REGISTRY, ProductContext, RunCache, declare, load_products
from alliantie.knowledge.measures import MeasureCatalogue
from alliantie.parameters.business_case import PARTIES


@pytest.fixture(scope="module")
def demo(small_demo_run, tmp_path_factory):
    """A copy of the session's clean full run of the small demo, seed 7 (``conftest.py``), with the business case
    run again without the meekoppelen product: its key holds the upstream keys, so the business case alone is computed
    anew (meekoppelen read as absent) and the rest found up to date, the same files as ``make_demo`` and this run in
    an empty folder."""
    folder = tmp_path_factory.mktemp("business_case") / "demo"
    shutil.copytree(small_demo_run, folder)
    toml = folder / "dossier.toml"
    summary = run_dossier(load_dossier(toml), products=[BUSINESS_CASE], exclude={MEEKOPPELEN})
    assert summary.computed == [BUSINESS_CASE]
    return toml


def _hand_pv_costs(investment: float, maintenance: float, life: float, horizon: int, rate: float) -> float:
    """Investment in year 0, maintenance in years 1..horizon, a replacement every ``life`` years within the
    horizon, less the straight-line residual value of the last one at the horizon; each year discounted."""
    total = investment
    for t in range(1, horizon + 1):
        total += maintenance / (1 + rate) ** t
    last = 0
    k = 1
    while round(k * life) <= horizon:
        last = round(k * life)
        total += investment / (1 + rate) ** last
        k += 1
    left = 1 - (horizon - last) / life
    return total - investment * left / (1 + rate) ** horizon


def test_business_case_json_and_its_totals_by_hand(demo):
    dossier = load_dossier(demo)
    folder = dossier.products_dir / BUSINESS_CASE
    data = read_business_case(folder)
    BusinessCaseFile.model_validate_json((folder / BUSINESS_CASE_FILE).read_text(encoding="utf-8"))
    effects = read_effects(dossier.products_dir / EFFECTS)
    assert data.measure_set == effects.sketch and data.start_year == 2025 and data.price_year == 2024
    assert [p.id for p in data.parties] == list(PARTIES)
    # every scenario x preset (3) x horizon (2); alone only (no meekoppelen in this run)
    assert len(data.cases) == len(effects.scenarios) * 3 * 2
    assert {c.variant for c in data.cases} == {"alone"}
    assert {c.scenario for c in data.cases} == set(effects.scenarios)
    head = data.headline
    assert (head.discount, head.discount_rate, head.horizon_years, head.scenario) == ("standard", 0.0225, 30,
                                                                                      "current")
    # the costs of the headline by hand, feature by feature from effects.json and the catalogue
    catalogue = MeasureCatalogue.load()
    hand = 0.0
    for f in effects.features:
        measure = catalogue.get(f.measure)
        assert measure is not None
        hand += _hand_pv_costs(f.investment_eur["mean"], f.maintenance_eur_per_year["mean"], measure.lifetime.years,
                               30, 0.0225)
    assert head.total.pv_costs_eur == pytest.approx(hand, rel=1e-6)
    # the benefits include the avoided damage of every theme and the co-benefits
    assert {"avoided_pluvial", "avoided_heat", "sewer_storage"} <= set(head.total.items_eur)
    for case in data.cases:
        for field in ("pv_costs_eur", "pv_benefits_eur", "npv_eur"):
            assert sum(getattr(r, field) for r in case.parties.values()) == pytest.approx(
                getattr(case.total, field), rel=1e-6, abs=0.1)
        assert case.total.npv_eur == pytest.approx(case.total.pv_benefits_eur - case.total.pv_costs_eur, abs=0.1)
    # a higher discount rate lowers the present value of the (later) benefits
    by = {(c.discount, c.horizon_years, c.scenario): c.total for c in data.cases}
    assert by[("rate_2007", 30, "current")].pv_benefits_eur < by[("standard", 30, "current")].pv_benefits_eur
    # the matrix holds every benefit of the headline once
    assert sum(sum(r.values()) for r in data.matrix_eur.values()) == pytest.approx(
        sum(r.npv_eur + r.pv_costs_eur for r in head.parties.values()), rel=1e-6, abs=1.0)
    names = {n.en for n in data.not_valued}
    assert any(n.startswith("Health") for n in names) and any("Water square" in n for n in names)


def test_figure_tables_map_and_places(demo):
    dossier = load_dossier(demo)
    folder = dossier.products_dir / BUSINESS_CASE
    tables = read_tables(folder)
    assert [t.id for t in tables.tables] == ["business_case_parties", "business_case_matrix", "business_case_range",
                                            "business_case_places"]
    assert [f.file for f in tables.figures] == ["costs_benefits.png"]
    assert (folder / "costs_benefits.png").stat().st_size > 10_000
    maps = read_maps(folder)
    assert [m.id for m in maps] == ["business_case_places"]
    layers = set(pyogrio.list_layers(folder / "benefits.gpkg")[:, 0])
    assert {lay.layer for m in maps for lay in m.layers if lay.type == "vector"} <= layers
    areas = gpd.read_file(folder / "benefits.gpkg", layer="neighbourhoods")
    head = read_business_case(folder).headline
    landed = areas["pv_benefits_eur"].sum()
    assert 0 < landed <= head.total.pv_benefits_eur + 1.0
    assert set(areas["benefit_class"]) <= set(range(6)) and areas["benefit_class"].max() == 5
    measures = gpd.read_file(folder / "benefits.gpkg", layer="measures")
    assert len(measures) == len(read_effects(dossier.products_dir / EFFECTS).features)


def _context(dossier, out, **kw):
    load_products()
    product = REGISTRY[BUSINESS_CASE]
    return product, ProductContext(product=product, dossier=dossier, out_dir=out, cache=RunCache(dossier), **kw)


def test_the_meekoppelen_variant_from_meekoppelen_json(demo, tmp_path, monkeypatch):
    dossier = load_dossier(demo)
    load_products()
    if MEEKOPPELEN not in REGISTRY:  # declared by its own helper; stand in for it here
        monkeypatch.setitem(REGISTRY, MEEKOPPELEN, declare(MEEKOPPELEN, "alliantie.none:none", step=5))
    effects = read_effects(dossier.products_dir / EFFECTS)
    coupled = effects.features[:4]
    upstream = REGISTRY[MEEKOPPELEN].output_dir(dossier)
    upstream.mkdir(parents=True, exist_ok=True)
    write_meekoppelen(upstream, MeekoppelenFile(
        price_year=2024, measure_set=effects.sketch, projects=[],
        couplings=[Coupling(feature_id=f.id, measure=f.measure, project_id="p1", year=2027, investment_factor=0.8,
                            source="test") for f in coupled]))
    product, ctx = _context(dossier, tmp_path)
    product.function()(ctx)
    data = read_business_case(tmp_path)
    assert {c.variant for c in data.cases} == {"alone", "meekoppelen"}
    assert data.headline.variant == "meekoppelen"
    pairs = {}
    for c in data.cases:
        pairs.setdefault((c.discount, c.horizon_years, c.scenario), {})[c.variant] = c.total
    for key, pair in pairs.items():
        assert pair["meekoppelen"].pv_costs_eur < pair["alone"].pv_costs_eur, key
        assert pair["meekoppelen"].items_eur["investment"] < pair["alone"].items_eur["investment"], key
    # without couplings' folder the product is as in the run
    ctx2 = dataclasses.replace(ctx, out_dir=tmp_path / "alone", absent=frozenset({MEEKOPPELEN}))
    ctx2.out_dir.mkdir()
    product.function()(ctx2)
    alone = json.loads((ctx2.out_dir / BUSINESS_CASE_FILE).read_text(encoding="utf-8"))
    saved = json.loads((dossier.products_dir / BUSINESS_CASE / BUSINESS_CASE_FILE).read_text(encoding="utf-8"))
    assert alone == saved


def test_without_a_measure_set_there_is_no_business_case(demo, tmp_path, monkeypatch):
    dossier = load_dossier(demo)
    empty = tmp_path / "effects"
    empty.mkdir()
    monkeypatch.setattr(ProductContext, "upstream", lambda self, name: empty)
    out = tmp_path / "out"
    out.mkdir()
    product, ctx = _context(dossier, out)
    product.function()(ctx)
    tables = read_tables(out).tables
    assert [t.id for t in tables] == ["business_case_none"]
    assert not (out / BUSINESS_CASE_FILE).exists()


def test_a_workshop_synthesis_as_the_measure_set(demo, tmp_path):
    """Issue 13: the business case of a synthesis: the dossier's sketch input names a synthesis layer of the
    workshop's export, and the case is computed for its measures (other costs than the example sketch's)."""
    copy = tmp_path / "copy"
    shutil.copytree(demo.parent, copy)
    toml = copy / "dossier.toml"
    lines = [('sketch = { path = "inputs/sketches.gpkg", layer = "synthesis_veerkracht" }'
              if line.startswith("sketch =") else line) for line in toml.read_text(encoding="utf-8").splitlines()]
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_dossier(load_dossier(toml), products=[BUSINESS_CASE], exclude={MEEKOPPELEN})
    data = read_business_case(copy / "products" / BUSINESS_CASE)
    example = read_business_case(demo.parent / "products" / BUSINESS_CASE)
    assert data.measure_set == "inputs/sketches.gpkg:synthesis_veerkracht"
    assert data.headline.total.pv_costs_eur > 0
    assert data.headline.total.pv_costs_eur != pytest.approx(example.headline.total.pv_costs_eur, rel=1e-3)
    effects = read_effects(copy / "products" / EFFECTS)
    assert len(effects.features) == len(gpd.read_file(copy / "inputs" / "sketches.gpkg", layer="synthesis_veerkracht"))
    # what the parties invest agrees with the hand computation, feature by feature, as for the example sketch
    catalogue = MeasureCatalogue.load()
    hand = sum(_hand_pv_costs(f.investment_eur["mean"], f.maintenance_eur_per_year["mean"],
                              catalogue.get(f.measure).lifetime.years, 30, 0.0225)  # type: ignore[union-attr]
               for f in effects.features)
    alone = next(c for c in data.cases if (c.variant, c.discount, c.horizon_years, c.scenario)
                 == ("alone", "standard", 30, "current"))
    assert alone.total.pv_costs_eur == pytest.approx(hand, rel=1e-6)
    assert sum(r.pv_costs_eur for r in alone.parties.values()) == pytest.approx(hand, rel=1e-6)
