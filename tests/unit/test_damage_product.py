"""The damage product (costs of doing nothing): the NPV of a damage path by hand, the range and its driver, and the
product on a tiny dossier with a dike breach (incident by hand, annual = incident x probability, consistency of the
pluvial EAD with the library, tables, figure, map; scenarios without data listed, never guessed)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from alliantie.contract.damage import (
    DamageFile,
    Discount,
    ThemeEntry,
    ValuationStatus,
    read_damage,
    write_damage,
)
from alliantie.contract.names import DROUGHT, THEMES
from alliantie.contract.spec import Text, read_maps, read_tables
from alliantie.damage import EconomicsFile, expected_annual_damage, load_damage_table, price_index_factor
from alliantie.dossier import load_dossier, run_dossier
from alliantie.io.raster import write_raster
from alliantie.io.vector import write_vector
from alliantie.knowledge import load_knowledge
from alliantie.method.urgency.damage.inputs import DamageInputs
from alliantie.method.urgency.damage.present_value import scenario_npv, theme_npv
from alliantie.method.urgency.damage.valuers import VALUERS
from alliantie.method.urgency.damage.wording import driver_text
from alliantie.parameters.damage import DamageParameters
from alliantie.testing.factories import small_grid, write_minimal_dossier

PRODUCT = "urgency.damage"
RATE = 0.0225
RES = 10.0


def _pv(values: list[float], rate: float = RATE) -> float:
    return sum(v / (1.0 + rate) ** t for t, v in enumerate(values))


# --------------------------------------------------------------------------- NPV by hand


def test_npv_of_a_2050_scenario_by_hand() -> None:
    params = DamageParameters()  # 2025..2050, trend to 2100
    npv = scenario_npv(100.0, 200.0, 2050, params, RATE)
    # year t = 0..25: EAD 100 + 4 t; year 0 undiscounted
    assert npv.total == pytest.approx(_pv([100.0 + 4.0 * t for t in range(26)]))
    assert npv.extra == pytest.approx(_pv([4.0 * t for t in range(26)]))
    # after 2050 the same trend (speculative): years 26..75
    trend = sum((100.0 + 4.0 * t) / (1 + RATE) ** t for t in range(26, 76))
    assert npv.trend_total == pytest.approx(trend)
    assert npv.trend_extra == pytest.approx(sum(4.0 * t / (1 + RATE) ** t for t in range(26, 76)))


def test_npv_of_a_2100_scenario_runs_toward_its_horizon_and_today_has_no_extra() -> None:
    params = DamageParameters(start_year=2025, horizon_year=2050, trend_end_year=2050)
    npv = scenario_npv(100.0, 250.0, 2100, params, RATE)
    slope = 150.0 / 75.0  # per year towards the 2100 EAD
    assert npv.total == pytest.approx(_pv([100.0 + slope * t for t in range(26)]))
    assert npv.trend_total == 0.0
    today = scenario_npv(100.0, 100.0, None, params, RATE)
    assert today.total == pytest.approx(_pv([100.0] * 26)) and today.extra == pytest.approx(0.0)
    growth = scenario_npv(100.0, 100.0, None, DamageParameters(exposure_growth=0.01, trend_end_year=2050), RATE)
    assert growth.total == pytest.approx(_pv([100.0 * 1.01 ** t for t in range(26)]))


def test_range_over_amounts_rules_and_scenarios_and_its_driver() -> None:
    params = DamageParameters(trend_end_year=2050)
    annual = {
        "current": {"trapezoid": {"low": 50.0, "mean": 100.0, "high": 150.0},
                    "events": {"low": 40.0, "mean": 80.0, "high": 120.0}},
        "Ld2050": {"trapezoid": {"low": 55.0, "mean": 110.0, "high": 165.0},
                   "events": {"low": 44.0, "mean": 88.0, "high": 132.0}},
        "Hd2050": {"trapezoid": {"low": 100.0, "mean": 200.0, "high": 300.0},
                   "events": {"low": 80.0, "mean": 160.0, "high": 240.0}},
    }
    result = theme_npv(annual, {"current": None, "Ld2050": 2050, "Hd2050": 2050}, params, RATE, "pluvial")
    assert len(result.values) == 3 * 2 * 2  # amounts x rules x future scenarios
    ramp = _pv([t / 25.0 for t in range(26)])  # the share of the change reached in year t
    assert result.extra is not None and result.total is not None
    assert result.extra.minimum == pytest.approx(4.0 * ramp)  # low, events, Ld2050: 40 -> 44
    assert result.extra.maximum == pytest.approx(150.0 * ramp)  # high, trapezoid, Hd2050: 150 -> 300
    assert result.extra.at_maximum == {"amount": "high", "rule": "trapezoid", "scenario": "Hd2050"}
    assert result.extra.main_driver == "scenario"
    assert result.total.minimum == pytest.approx(_pv([40.0 + 4.0 * t / 25.0 for t in range(26)]))
    words = driver_text(result.extra)
    assert "Ld2050" in words.en and "Hd2050" in words.en and words.en.startswith("Mainly the climate scenario")
    only_today = theme_npv({"current": annual["current"]}, {"current": None}, params, RATE, "pluvial")
    assert only_today.current_only and only_today.extra is not None and only_today.extra.maximum == 0.0


# --------------------------------------------------------------------------- the product


def _dossier(tmp_path: Path, damage_toml: str = "") -> Path:
    """40 x 30 cells of 10 m: river (cols 0-4), floodplain, dike (10-11), polder (12-39, -1 m) with a ridge at
    column 30; three residential buildings of 3 x 3 cells in the polder (floor -0.8 m NAP), one behind the ridge."""
    grid = small_grid()
    toml = write_minimal_dossier(tmp_path)
    dem = np.full(grid.shape, -1.0, dtype=np.float32)
    dem[:, 5:10] = 1.0
    dem[:, 10:12] = 4.0
    dem[:, 30] = 3.0
    inputs = tmp_path / "inputs"
    write_raster(inputs / "dem.tif", dem, grid, nodata=-9999.0)
    x0, _y0, _x1, top = grid.bounds

    def cells(c0: int, r0: int, c1: int, r1: int):  # columns c0..c1-1, rows r0..r1-1
        return box(x0 + c0 * RES, top - r1 * RES, x0 + c1 * RES, top - r0 * RES)

    buildings = gpd.GeoDataFrame(
        {"id": [1, 2, 3, 4], "function": ["residential"] * 4, "floor_level_m": [-0.8] * 4, "height_m": [6.0] * 4},
        geometry=[cells(20, 5, 23, 8), cells(24, 20, 27, 23), cells(35, 10, 38, 13), cells(24, 16, 27, 19)],
        crs=grid.crs)
    write_vector(inputs / "buildings.gpkg", buildings, layer="buildings")
    river = gpd.GeoDataFrame({"kind": ["river"]}, geometry=[cells(0, 0, 5, 30)], crs=grid.crs)
    write_vector(inputs / "waterbodies.gpkg", river, layer="waterbodies")
    text = toml.read_text(encoding="utf-8")
    text += 'buildings = { path = "inputs/buildings.gpkg", layer = "buildings" }\n'
    text += 'waterbodies = { path = "inputs/waterbodies.gpkg", layer = "waterbodies" }\n'
    text += '\n[scenarios]\nknmi = ["Hd"]\nhorizons = [2050, 2100]\n'
    text += (f"\n[parameters.flood]\nbreach_x = {x0 + 10.5 * RES}\nbreach_y = {top - 15.5 * RES}\n"
             "river_level_m = 2.0\nlevel_rise_m = { Hd2100 = 0.5 }\n")
    if damage_toml:
        text += f"\n[parameters.damage]\n{damage_toml}\n"
    toml.write_text(text, encoding="utf-8")
    return toml


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> Path:
    toml = _dossier(tmp_path_factory.mktemp("damage"), "breach_probability_per_year = 0.001")
    dossier = load_dossier(toml)
    summary = run_dossier(dossier, products=[PRODUCT])
    assert PRODUCT in summary.computed
    return dossier.products_dir / PRODUCT


def test_breach_incident_by_hand_and_annual_damage_with_the_probability(product: Path) -> None:
    data = json.loads((product / "damage.json").read_text(encoding="utf-8"))
    flood = data["themes"]["flood"]
    assert flood["status"] == "valued"
    incidents = {i["scenario"]: i["damage"] for i in flood["incidents"] if i["id"].startswith("flood_breach_")}
    assert set(incidents) == {"current", "Hd2100"}
    # the polder (columns 12-29) stands 3 m deep (river level 2 m NAP); land use with the WSS table: depth
    # factor 1 (beyond 0.3 m), duration 72 h, September, 5 days of repair; three residential buildings of 900 m2
    # with water 2.8 m above floor on the JRC Europe residential curve (0.60 at 2 m, 0.75 at 3 m: 0.72) times
    # the Dutch maximum damage 841.75 EUR/m2 at price level 2010, the same at every amount level
    knowledge = load_knowledge("damage_pluvial")
    table = load_damage_table(knowledge)
    economics = EconomicsFile.from_toml(load_knowledge("economics"))
    factor = price_index_factor(table.price_year, 2024, economics)
    jrc_factor = price_index_factor(2010, 2024, economics)
    buildings = 3 * 900.0 * 841.75 * (0.60 + 0.8 * (0.75 - 0.60)) * jrc_factor
    # business interruption: the WSS indirect damage of residential buildings (class 2) per m2 and day x the repair
    # factor at 72 h of inundation + 5 days of repair (192 h: 8 days), per amount level
    home = table.classes[2]
    interruption = [3 * 900.0 * home.indirect_eur_m2_day[k] * float(np.interp(192.0, table.repair_h,
                                                                              home.repair_factor)) * factor
                    for k in range(3)]

    def per_m2(code: int, k: int) -> float:
        c = table.classes[code]
        return (c.direct_eur_m2[k] * c.depth_factor[-1] * float(np.interp(72.0, table.duration_h, c.duration_factor))
                * c.month_factor[8] + c.indirect_eur_m2_day[k] * float(np.interp(120.0, table.repair_h,
                                                                                   c.repair_factor)))

    lgn = {int(r["lgn"]): int(r["wss"]) for r in knowledge["lgn"]}
    for k, amount in enumerate(("low", "mean", "high")):
        # land use of the minimal dossier: LGN 11 in columns < 20, LGN 1 from column 20; footprints excluded
        land = 100.0 * (8 * 30 * per_m2(lgn[11], k) + (10 * 30 - 27) * per_m2(lgn[1], k))
        assert incidents["current"][amount] == pytest.approx(land * factor + buildings + interruption[k], rel=1e-4)
        assert flood["annual"]["current"][amount] == pytest.approx(incidents["current"][amount] * 0.001, rel=1e-4)
    # the breach probability is said to be the user's number; victims are a separate line, not in the annual damage
    assert "given by the user" in flood["basis"]["en"] and "opgegeven door de gebruiker" in flood["basis"]["nl"]
    # Hd2050 has no breach inundation (no level rise configured): listed, not guessed
    assert ["flood_depth", "Hd2050"] in flood["missing"]
    assert "Hd2050" not in flood["annual"]


def test_pluvial_ead_is_the_library_integral_of_the_event_damages(product: Path) -> None:
    data = json.loads((product / "damage.json").read_text(encoding="utf-8"))
    pluvial = data["themes"]["pluvial"]
    for sid, annual in pluvial["annual"].items():
        events = [e for e in pluvial["events"] if e["scenario"] == sid]
        totals = [e["land"]["mean"] + e["buildings"]["mean"] for e in events]
        rps = [e["return_period_years"] for e in events]
        assert annual["mean"] == pytest.approx(expected_annual_damage(totals, rps, "trapezoid"), abs=0.02)
        for rule in ("loglinear", "events"):
            assert pluvial["ead_by_rule"][sid][rule]["mean"] == pytest.approx(
                expected_annual_damage(totals, rps, rule), abs=0.02)
    npv = {(v["amount"], v["rule"], v["scenario"]): v for v in pluvial["npv"]}
    ead = pluvial["ead_by_rule"]
    params = DamageParameters()
    expected = scenario_npv(ead["current"]["trapezoid"]["mean"], ead["Hd2050"]["trapezoid"]["mean"], 2050, params,
                            RATE)
    assert npv[("mean", "trapezoid", "Hd2050")]["total"] == pytest.approx(expected.total, abs=0.5)
    assert data["discount"]["rate"] == RATE and data["price_year"] == 2024


def test_heat_and_drought_without_a_damage_function_are_not_valued(product: Path) -> None:
    data = json.loads((product / "damage.json").read_text(encoding="utf-8"))
    for theme in ("heat", "drought"):
        status = data["themes"][theme]["status"]
        assert status in ("not_valued", "valued", "no_data")
        if status != "valued":
            assert "npv" not in data["themes"][theme]


def test_tables_figure_and_map(product: Path) -> None:
    tables = read_tables(product)
    ids = [t.id for t in tables.tables]
    assert ids[:4] == ["damage_npv_central", "damage_npv_range", "damage_ead", "damage_pluvial_rules"]
    assert ids[-1] == "damage_incidents" and set(ids[4:-1]) <= {"damage_sensitivity"}
    assert all(t.theme == "damage" for t in tables.tables)
    (figure,) = tables.figures
    assert figure.file == "range.png" and (product / "range.png").stat().st_size > 1000
    central, rng = tables.tables[0], tables.tables[1]
    flood_row = next(r for r in rng.rows if getattr(r[0], "en", "") == "Flooding (dike breach)")
    assert isinstance(flood_row[3], float) and isinstance(flood_row[4], float) and flood_row[3] <= flood_row[4]
    # the central estimate (mean amounts, default rule) lies inside the outer bounds
    for c_row, r_row in zip(central.rows, rng.rows, strict=True):
        if isinstance(c_row[3], float) and isinstance(r_row[3], float):
            assert r_row[3] - 0.01 <= c_row[3] <= c_row[4] <= r_row[4] + 0.01
    assert "not a probability range" in rng.title.en and "geen kansinterval" in rng.title.nl
    assert "best" not in rng.description.en and "worst" not in rng.description.en
    incidents = tables.tables[-1]
    assert len(incidents.rows) >= 2  # the breach (two climates) and the chosen cloudburst
    maps = read_maps(product)
    assert [m.id for m in maps] in ([], ["damage_pluvial_ead"])


def test_parameters_check_the_years_and_the_presets() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        DamageParameters(start_year=2050, horizon_year=2050)
    with pytest.raises(ValidationError):
        DamageParameters(discount_rate="rate_1990")  # type: ignore[arg-type]
    assert DamageParameters().breach_probability_per_year is None


# --------------------------------------------------------------------------- the contract of damage.json


def test_damage_json_is_the_typed_contract_and_writes_back_the_same_bytes(product: Path, tmp_path: Path) -> None:
    saved = read_damage(product)
    assert saved is not None
    assert list(saved.themes) == list(THEMES)
    assert all(isinstance(t.status, ValuationStatus) for t in saved.themes.values())
    assert saved.themes["flood"].status is ValuationStatus.VALUED
    pluvial = saved.themes["pluvial"]
    assert pluvial.rule == "trapezoid" and pluvial.events and pluvial.ead_by_rule is not None
    assert saved.themes["flood"].rule is None and saved.themes["flood"].events is None
    write_damage(tmp_path, saved)
    assert (tmp_path / "damage.json").read_bytes() == (product / "damage.json").read_bytes()
    assert read_damage(tmp_path / "absent") is None


def test_a_theme_without_a_value_has_only_status_and_title(tmp_path: Path) -> None:
    entry = ThemeEntry(status=ValuationStatus.NOT_VALUED, title=Text(nl="Hitte", en="Heat"))
    data = DamageFile(price_year=2024, currency="EUR", start_year=2025, horizon_year=2050, trend_end_year=2100,
                      discount=Discount(preset="standard", rate=0.0225, source="-"), exposure_growth=0.0,
                      conventions=Text(nl="-", en="-"), themes={"heat": entry})
    write_damage(tmp_path, data)
    written = json.loads((tmp_path / "damage.json").read_text(encoding="utf-8"))
    assert written["themes"]["heat"] == {"status": "not_valued", "title": {"nl": "Hitte", "en": "Heat"}}
    assert read_damage(tmp_path) == data


def test_every_theme_has_a_valuer_in_report_order() -> None:
    assert list(VALUERS) == list(THEMES)
    assert {s.value for s in ValuationStatus} == {"valued", "no_data", "no_probability", "not_valued"}


def test_drought_and_heat_without_their_product_have_no_data(tmp_path: Path) -> None:
    # the valuers of the indicator themes read nothing else before they find the theme product missing
    inputs = cast(DamageInputs, SimpleNamespace(params=DamageParameters(),
                                                knowledge=SimpleNamespace(drought={}, heat={})))
    drought = VALUERS["drought"](None, inputs)
    assert drought.status is ValuationStatus.NO_DATA and drought.damage is None and not drought.annual
    heat = VALUERS["heat"](tmp_path, inputs)  # a folder without theme.json
    assert heat.status is ValuationStatus.NO_DATA and heat.damage is None


def test_heat_valuer_keeps_the_statistical_life_out_of_the_range(tmp_path: Path) -> None:
    """The VSL line is a sensitivity of the heat result: never in the annual table, so never in the range's high."""
    from alliantie.climate import load_climate_table
    from alliantie.contract.theme import IndicatorInfo, IndicatorValue, ThemeSummary, write_theme
    from alliantie.damage.heat import HeatDamageFile
    from alliantie.method.urgency.damage.tables import tables
    from alliantie.method.urgency.damage.valuers import HEAT_VSL

    scenarios = ["current", "Hd2050"]
    summary = ThemeSummary(theme="heat", title=Text(nl="Hitte", en="Heat"), scenarios=scenarios, classes={},
                           indicators=[IndicatorInfo(id=i, unit="", label=Text(nl=i, en=i))
                                       for i in ("residents", "pet_home_mean")])
    write_theme(tmp_path, summary, [IndicatorValue(s, "", "", i, v) for s in scenarios
                                    for i, v in (("residents", 5000.0), ("pet_home_mean", 41.5))])
    knowledge = SimpleNamespace(heat=HeatDamageFile.from_toml(load_knowledge("damage_heat")),
                                economics=EconomicsFile.from_toml(load_knowledge("economics")),
                                climate=load_climate_table())
    params = DamageParameters()
    result = VALUERS["heat"](tmp_path, cast(DamageInputs, SimpleNamespace(params=params, knowledge=knowledge)))
    vsl = result.sensitivity[HEAT_VSL]
    assert set(vsl) == set(scenarios) == set(result.annual)
    for sid in scenarios:
        # even the high annual amount (mortality + labour) stays below the mean deaths valued at the VSL
        assert result.annual[sid]["-"]["high"] < vsl[sid].mean
    from alliantie.damage.npv import DiscountRate

    result.npv = theme_npv(result.annual, {"current": None, "Hd2050": 2050}, params, 0.0225, "heat")
    assert result.npv.total is not None and result.npv.total.maximum < 26 * vsl["Hd2050"].mean
    specs = {t.id: t for t in tables([result], params, DiscountRate(name="standard", rate=0.0225, source="-"),
                                     scenarios)}
    sens = specs["damage_sensitivity"]
    assert len(sens.rows) == 2 and "statistical life" in sens.rows[0][1].en  # type: ignore[union-attr]
    central = specs["damage_npv_central"].rows[0]
    assert central[1] <= central[2] and central[3] <= central[4]  # type: ignore[operator]
    assert "Hd2050" in central[5].en  # type: ignore[union-attr]
    # no jobs in the heat product: the note under the annual table says labour is counted by home address
    ead_note = specs["damage_ead"].note
    assert ead_note is not None and "counted by home address, because" in ead_note.en
    assert "geteld op het woonadres" in ead_note.nl
    # with an item that could not be valued, the labour rule comes first and the missing item after it, so
    # the rule does not read as one of the things not valued
    assert result.damage is not None
    result.damage.missing = [("labour", "Hd2050")]
    specs = {t.id: t for t in tables([result], params, DiscountRate(name="standard", rate=0.0225, source="-"),
                                     scenarios)}
    ead_note = specs["damage_ead"].note
    assert ead_note is not None
    assert ead_note.nl.index("geteld op het woonadres") < ead_note.nl.index("Niet gewaardeerd")
    assert ead_note.en.index("counted by home address") < ead_note.en.index("Hd2050")


def test_the_product_without_drought(tmp_path: Path) -> None:
    dossier = load_dossier(_dossier(tmp_path))
    summary = run_dossier(dossier, products=[PRODUCT], exclude={DROUGHT})
    assert PRODUCT in summary.computed and DROUGHT not in summary.computed
    saved = read_damage(dossier.products_dir / PRODUCT)
    assert saved is not None
    drought = saved.themes["drought"]
    assert drought.status is ValuationStatus.NO_DATA and drought.npv is None and drought.annual is None
