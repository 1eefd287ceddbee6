"""Heat and drought damage (issue 5 item 1): hand computations and the sourced knowledge files."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from alliantie.climate import load_climate_table
from alliantie.contract.spec import Text
from alliantie.contract.theme import IndicatorInfo, IndicatorValue, ThemeSummary
from alliantie.damage import drought as drought_damage
from alliantie.damage import heat as heat_damage
from alliantie.damage.drought import DroughtDamageFile
from alliantie.damage.heat import HeatDamageFile, PriceLevel, scenario_from_id
from alliantie.damage.npv import EconomicsFile
from alliantie.errors import ConfigError
from alliantie.knowledge import load_knowledge

# --------------------------------------------------------------------------- synthetic knowledge

KNMI: dict[str, Any] = {
    "variable": [{"id": "tropical_days", "unit": "days per year", "change": "difference"}],
    "value": [
        {"variable": "tropical_days", "scenario": "reference", "value": 5.0, "source": "test"},
        {"variable": "tropical_days", "scenario": "Hd", "horizon": 2050, "value": 12.0, "source": "test Hd"},
    ],
}
ECONOMICS: dict[str, Any] = {
    "discount_rate": [{"name": "standard", "rate_percent": 2.25, "unit": "percent per year", "source": "s-rate"}],
    "cpi": [{"year": year, "index": index, "unit": "index", "source": "s-cpi"}
            for year, index in ((2013, 100.0), (2020, 110.0), (2024, 121.0))],
}
HEAT: dict[str, Any] = {
    "heat_days": {"variable": "tropical_days", "unit": "days", "source": "s-days"},
    "exposure": {"indicators": ["residents", "residents_pet_strong"], "unit": "residents", "source": "s-exp"},
    "mortality": {"low": 1e-6, "mean": 2e-6, "high": 4e-6, "unit": "deaths per resident per day", "source": "s-mort"},
    "value_of_life_year": {"value": 50000.0, "price_year": 2013, "unit": "EUR", "source": "s-voly"},
    "life_years_lost": {"low": 1.0, "mean": 2.0, "unit": "years", "source": "s-lyl"},
    "value_of_statistical_life": {"value": 1.0e6, "price_year": 2020, "unit": "EUR", "source": "s-vsl"},
    "value_per_death": {"unit": "EUR per death", "source": "s-vpd"},
    "incident": {"id": "hw", "nl": "hittegolf", "en": "heat wave", "excess_deaths_per_resident": 1e-5,
                 "unit": "deaths per resident", "source": "s-inc"},
    "labour": {
        "valued": True, "unit": "EUR per resident per heat day", "source": "s-lab",
        "loss_fraction": {"low": 0.01, "mean": 0.02, "high": 0.04, "unit": "-", "source": "s-frac"},
        "workers_per_resident": {"value": 0.5, "unit": "workers per resident", "source": "s-workers"},
        "hours_per_worker": {"value": 730.0, "unit": "h per year", "source": "s-hours"},  # 2 hours per calendar day
        "labour_cost_per_hour": {"value": 20.0, "price_year": 2013, "unit": "EUR per hour", "source": "s-cost"},
    },
}
# labour per resident per heat day at 2024 prices: 2 h x 20 x 1.21 EUR x 0.5 workers = 24.2 EUR of work, of which
# 1 / 2 / 4 % is lost: 0.242 / 0.484 / 0.968 EUR
LABOUR_DAY = (0.242, 0.484, 0.968)
HEAT_NO_LABOUR: dict[str, Any] = {**HEAT, "labour": {"valued": False, "unit": "EUR", "source": "not valued"}}
DROUGHT: dict[str, Any] = {
    "item": [
        {"id": "foundations", "indicator": "buildings_foundation_risk", "valued": True, "unit": "EUR/building/yr",
         "low": 100.0, "mean": 200.0, "high": 300.0, "price_year": 2020, "nl": "funderingen", "en": "foundations",
         "source": "s-f"},
        {"id": "crops", "indicator": "farmland_sensitive_ha", "valued": True, "unit": "EUR/ha/yr",
         "low": 10.0, "mean": 20.0, "high": 30.0, "price_year": 2013, "nl": "gewassen", "en": "crops",
         "source": "s-c"},
        {"id": "nature", "indicator": "nature_sensitive_ha", "valued": False, "unit": "EUR/ha/yr",
         "low": 0.0, "mean": 0.0, "high": 0.0, "nl": "natuur", "en": "nature", "source": "not monetised"},
    ],
}
#: The other files the heat and drought damage read: the price index and the heat days per scenario.
WITH: dict[str, Any] = {"economics": EconomicsFile.from_toml(ECONOMICS), "climate": load_climate_table(KNMI)}
PACKAGED: dict[str, Any] = {"economics": EconomicsFile.from_toml(load_knowledge("economics")),
                            "climate": load_climate_table()}


def heat_file(data: dict[str, Any]) -> HeatDamageFile:
    return HeatDamageFile.from_toml(data)


def drought_file(data: dict[str, Any]) -> DroughtDamageFile:
    return DroughtDamageFile.from_toml(data)


def summary(theme: str, scenarios: list[str], indicators: tuple[str, ...] = ()) -> ThemeSummary:
    return ThemeSummary(theme=theme, title=Text(nl="t", en="t"), scenarios=scenarios, classes={},  # type: ignore[arg-type]
                        indicators=[IndicatorInfo(id=i, unit="", label=Text(nl=f"Inwoners {i}", en=f"Residents {i}"))
                                    for i in indicators])


def totals(rows: dict[tuple[str, str], float]) -> list[IndicatorValue]:
    out = [IndicatorValue(s, "", "", i, v) for (s, i), v in rows.items()]
    # a neighbourhood row must not count in the totals
    out.append(IndicatorValue("current", "BU01", "wijk", "residents_pet_strong", 99999.0))
    return out


# --------------------------------------------------------------------------- heat


def test_heat_hand_computation() -> None:
    values = totals({(s, "residents_pet_strong"): 1000.0 for s in ("current", "Hd2050", "Ld2050")})
    d = heat_damage.annual_damage(summary("heat", ["current", "Hd2050", "Ld2050"], ["residents_pet_strong"]),
                                  values, heat_file(HEAT), price_year=2024, **WITH)
    assert d.theme == "heat"
    # value per death at 2024 prices: QALY 50 000 x 121/100 = 60 500 per life-year; VSL 1e6 x 121/110 = 1.1e6
    now = d.annual["current"]
    # mortality + labour (5 tropical days x 1000 residents = 5000 resident-days)
    assert now.low == pytest.approx(1e-6 * 5 * 1000 * 60500 * 1 + 0.242 * 5000)  # 302.5 + 1210
    assert now.mean == pytest.approx(2e-6 * 5 * 1000 * 60500 * 2 + 0.484 * 5000)  # 1210 + 2420
    # high: the high rate, still valued by life-years (the VSL is a separate sensitivity line, never the high)
    assert now.high == pytest.approx(4e-6 * 5 * 1000 * 60500 * 2 + 0.968 * 5000)  # 2420 + 4840
    assert now.price_year == 2024
    assert d.annual["Hd2050"].mean == pytest.approx(2e-6 * 12 * 1000 * 121000 + 0.484 * 12000)  # 2904 + 5808
    assert "test Hd" in d.annual["Hd2050"].sources and "s-cost" in d.annual["Hd2050"].sources
    assert "test" in d.annual["current"].sources and "test Hd" not in d.annual["current"].sources
    # the breakdown: labour alone
    labour = heat_damage.labour_loss(summary("heat", ["current", "Hd2050", "Ld2050"]), values, heat_file(HEAT),
                                     price_year=2024, **WITH)
    assert set(labour) == {"current", "Hd2050"}
    assert (labour["current"].low, labour["current"].mean, labour["current"].high) == pytest.approx((1210, 2420, 4840))
    assert labour["Hd2050"].mean == pytest.approx(5808) and labour["Hd2050"].price_year == 2024
    # Ld has no sourced number of tropical days: missing (both items), never guessed
    assert "Ld2050" not in d.annual
    assert ("tropical_days", "Ld2050") in d.missing and ("heat_mortality", "Ld2050") in d.missing
    assert {s for item, s in d.missing if item == "labour_productivity"} == {"Ld2050"}
    # the incident: 1e-5 deaths per resident x 1000 residents = 0.01 deaths
    (incident,) = d.incidents
    assert incident.scenario == "current" and incident.id == "hw"
    assert incident.damage.mean == pytest.approx(0.01 * 121000)
    assert incident.damage.high == pytest.approx(0.01 * 121000)
    assert "inwoners residents_pet_strong" in d.basis_nl and "€ 0,48 (laag 0,24, hoog 0,97) per inwoner" in d.basis_nl
    assert "2.00 (low 1.00, high 4.00)" in d.basis_en and "(residents residents_pet_strong)" in d.basis_en
    assert "2 % of a tropical day's work" in d.basis_en and "EUR 0.48 (low 0.24, high 0.97) per resident" in d.basis_en
    assert "by home address" in d.basis_en and "estimated indoor temperature" in d.basis_en


# the local heat: the national rates hold at a mean PET of 40 degC around the homes; 2 % more deaths per degC above
# it, and 0.5 degC indoors per degC (so 0.02 x 0.5 = 1 percentage point more work lost per degC)
LOCAL: dict[str, Any] = {
    **HEAT,
    "local_heat": {"indicator": "pet_home_mean", "unit": "degC", "source": "s-local",
                   "reference_pet": {"value": 40.0, "unit": "degC", "source": "s-ref"},
                   "mortality_slope": {"value": 0.02, "unit": "per degC", "source": "s-slope"}},
    "labour": {**HEAT["labour"],
               "loss_fraction": {**HEAT["labour"]["loss_fraction"], "loss_per_degree": 0.02},
               "indoor_response": {"value": 0.5, "unit": "degC per degC", "source": "s-indoor"}},
    "value_of_life_year_high": {"value": 80000.0, "price_year": 2013, "unit": "EUR", "source": "s-voly-high"},
}


def _local_values(residents: float, pet_today: float) -> list[IndicatorValue]:
    rows = {(s, "residents"): residents for s in ("current", "Hd2050")}
    rows[("current", "pet_home_mean")] = pet_today
    rows[("Hd2050", "pet_home_mean")] = pet_today + 3.0  # the warmer afternoon of Hd does not count twice
    return totals(rows)


def test_heat_responds_to_the_local_felt_temperature_by_hand() -> None:
    d = heat_damage.annual_damage(summary("heat", ["current", "Hd2050"]), _local_values(1000.0, 45.0),
                                  heat_file(LOCAL), price_year=2024, **WITH)
    # 5 degC above the reference: mortality x (1 + 0.02 x 5) = 1.1; work lost 1 / 2 / 4 % + 5 x 1 point
    mortality = 2e-6 * 5 * 1000 * 1.1 * 60500 * 2
    labour = 0.07 * 24.2 * 5000
    assert d.annual["current"].mean == pytest.approx(mortality + labour)
    assert d.annual["current"].low == pytest.approx(1e-6 * 5 * 1000 * 1.1 * 60500 * 1 + 0.06 * 24.2 * 5000)
    # high: the high life-year value (80 000 x 1.21) x the mean life-years, and the high rate
    assert d.annual["current"].high == pytest.approx(4e-6 * 5 * 1000 * 1.1 * 96800 * 2 + 0.09 * 24.2 * 5000)
    # Hd2050 uses today's local excess: the climate enters through the heat days only (12 / 5)
    assert d.annual["Hd2050"].mean == pytest.approx(d.annual["current"].mean * 12 / 5)
    assert "2,00 % per °C" in d.basis_nl and "woonadres" in d.basis_nl
    assert "2.00 % per degC" in d.basis_en and "by home address" in d.basis_en
    deaths = heat_damage.excess_deaths(summary("heat", ["current"]), _local_values(1000.0, 45.0),
                                       heat_file(LOCAL), **WITH)
    assert deaths["current"][1] == pytest.approx(2e-6 * 5 * 1000 * 1.1)
    (incident,) = d.incidents
    assert incident.damage.mean == pytest.approx(1e-5 * 1000 * 1.1 * 121000)


def test_less_heat_exposure_lowers_mortality_and_labour() -> None:
    """Greening and shade lower the felt temperature around the homes: the euros must follow (the measure engine)."""
    def parts(residents: float, pet: float) -> tuple[float, float]:
        values = _local_values(residents, pet)
        deaths = heat_damage.excess_deaths(summary("heat", ["current", "Hd2050"]), values, heat_file(LOCAL), **WITH)
        labour = heat_damage.labour_loss(summary("heat", ["current", "Hd2050"]), values, heat_file(LOCAL),
                                         price_year=2024, **WITH)
        return deaths["Hd2050"][1], labour["Hd2050"].mean

    base_deaths, base_labour = parts(1000.0, 44.0)
    cooler_deaths, cooler_labour = parts(1000.0, 42.5)  # more shade and green: a lower PET around the homes
    fewer_deaths, fewer_labour = parts(800.0, 44.0)  # fewer residents exposed
    assert cooler_deaths < base_deaths and cooler_labour < base_labour
    assert fewer_deaths < base_deaths and fewer_labour < base_labour
    total = {pet: heat_damage.annual_damage(summary("heat", ["current"]), _local_values(1000.0, pet),
                                            heat_file(LOCAL), price_year=2024, **WITH).annual["current"]
             for pet in (38.0, 40.0, 42.0, 44.0)}
    for level in ("low", "mean", "high"):  # monotone in the felt temperature at every amount level
        amounts = [getattr(total[pet], level) for pet in sorted(total)]
        assert amounts == sorted(amounts) and amounts[0] < amounts[-1]
    # without the indicator the national rate holds, and the basis says so
    plain = heat_damage.annual_damage(summary("heat", ["current"]), totals({("current", "residents"): 1000.0}),
                                      heat_file(LOCAL), price_year=2024, **WITH)
    assert plain.annual["current"].mean == pytest.approx(2e-6 * 5 * 1000 * 60500 * 2 + 0.02 * 24.2 * 5000)
    assert "national average" in plain.basis_en


def test_the_statistical_life_is_a_separate_line_not_the_high_value() -> None:
    values = _local_values(1000.0, 40.0)
    d = heat_damage.annual_damage(summary("heat", ["current", "Hd2050"]), values, heat_file(LOCAL),
                                  price_year=2024, **WITH)
    vsl = heat_damage.statistical_life_sensitivity(summary("heat", ["current", "Hd2050"]), values, heat_file(LOCAL),
                                                   price_year=2024, **WITH)
    # deaths (low / mean / high rate) x VSL 1e6 x 121 / 110
    assert (vsl["current"].low, vsl["current"].mean, vsl["current"].high) == pytest.approx(
        (5e-3 * 1.1e6, 1e-2 * 1.1e6, 2e-2 * 1.1e6))
    assert "s-vsl" in vsl["current"].sources and "s-vsl" not in d.annual["current"].sources
    labour_high = 0.04 * 24.2 * 5000
    assert d.annual["current"].high - labour_high == pytest.approx(2e-2 * 96800 * 2)  # life-years, not VSL
    assert d.annual["current"].high < vsl["current"].high
    assert "statistisch leven" in d.basis_nl and "sensitivity only" in d.basis_en


def test_heat_without_labour_lists_it_as_missing() -> None:
    values = totals({(s, "residents_pet_strong"): 1000.0 for s in ("current", "Hd2050")})
    d = heat_damage.annual_damage(summary("heat", ["current", "Hd2050"]), values, heat_file(HEAT_NO_LABOUR),
                                  price_year=2024, **WITH)
    assert d.annual["current"].mean == pytest.approx(2e-6 * 5 * 1000 * 60500 * 2)  # mortality only
    assert {s for item, s in d.missing if item == "labour_productivity"} == {"current", "Hd2050"}
    assert "not valued" in d.basis_en and "niet gewaardeerd" in d.basis_nl
    assert heat_damage.labour_loss(summary("heat", ["current"]), values, heat_file(HEAT_NO_LABOUR), price_year=2024,
                                   **WITH) == {}
    without_section = {k: v for k, v in HEAT.items() if k != "labour"}
    same = heat_damage.annual_damage(summary("heat", ["current"]), values, heat_file(without_section),
                                     price_year=2024, **WITH)
    assert same.annual["current"].mean == pytest.approx(d.annual["current"].mean)


def test_heat_prefers_all_residents_and_reports_missing_exposure() -> None:
    values = totals({("current", "residents"): 2000.0, ("current", "residents_pet_strong"): 1000.0})
    d = heat_damage.annual_damage(summary("heat", ["current", "Hd2050"]), values, heat_file(HEAT), price_year=2024,
                                  **WITH)
    assert d.annual["current"].mean == pytest.approx(2e-6 * 5 * 2000 * 121000 + 0.484 * 5 * 2000)
    assert "Hd2050" not in d.annual and ("residents_pet_strong", "Hd2050") in d.missing
    assert ("labour_productivity", "Hd2050") in d.missing
    deaths = heat_damage.excess_deaths(summary("heat", ["current"]), values, heat_file(HEAT), **WITH)
    assert deaths["current"] == pytest.approx((0.01, 0.02, 0.04))


def test_heat_price_year_without_cpi_goes_to_the_nearest_and_says_so() -> None:
    values = totals({("current", "residents_pet_strong"): 1000.0})
    d = heat_damage.annual_damage(summary("heat", ["current"]), values, heat_file(HEAT), price_year=2030, **WITH)
    assert d.annual["current"].price_year == 2024
    assert "2030" in d.basis_en and "2030" in d.basis_nl
    same = heat_damage.annual_damage(summary("heat", ["current"]), values, heat_file(HEAT), price_year=2024, **WITH)
    assert d.annual["current"].mean == pytest.approx(same.annual["current"].mean)
    early = heat_damage.annual_damage(summary("heat", ["current"]), values, heat_file(HEAT), price_year=2013, **WITH)
    # 2013 prices: no indexing; labour 2 h x 20 EUR x 0.5 x 2 % = 0.4 EUR per resident per heat day
    assert early.annual["current"].mean == pytest.approx(2e-6 * 5 * 1000 * 50000 * 2 + 0.4 * 5000)


def test_heat_knowledge_errors() -> None:
    broken = copy.deepcopy(HEAT)
    del broken["mortality"]["mean"]
    with pytest.raises(ConfigError):
        heat_damage.annual_damage(summary("heat", ["current"]), [], heat_file(broken), price_year=2024, **WITH)
    wrong = copy.deepcopy(HEAT)
    wrong["mortality"]["low"] = 1.0
    with pytest.raises(ConfigError):
        heat_damage.annual_damage(summary("heat", ["current"]), [], heat_file(wrong), price_year=2024, **WITH)
    for part, key, value in (("loss_fraction", "high", 1.5), ("loss_fraction", "low", 0.03),
                             ("workers_per_resident", "value", 2.0), ("hours_per_worker", "value", 0.0)):
        broken = copy.deepcopy(HEAT)
        broken["labour"][part][key] = value
        with pytest.raises(ConfigError):
            heat_damage.annual_damage(summary("heat", ["current"]), [], heat_file(broken), price_year=2024, **WITH)
    no_cost = copy.deepcopy(HEAT)
    del no_cost["labour"]["labour_cost_per_hour"]["price_year"]
    with pytest.raises(ConfigError):
        heat_damage.annual_damage(summary("heat", ["current"]), [], heat_file(no_cost), price_year=2024, **WITH)


def test_scenario_ids() -> None:
    assert scenario_from_id("current").is_current  # type: ignore[union-attr]
    hd = scenario_from_id("Hd2100")
    assert hd is not None and (hd.name, hd.horizon, hd.set) == ("Hd", 2100, "KNMI'23")
    wh = scenario_from_id("WH2085")
    assert wh is not None and wh.set == "KNMI'14"
    assert scenario_from_id("Xx2050") is None and scenario_from_id("nonsense") is None


def test_price_level() -> None:
    price = PriceLevel.of(2024, WITH["economics"])
    assert price.factor(2013) == pytest.approx(1.21) and price.factor(2024) == 1.0
    assert PriceLevel.of(1990, WITH["economics"]).year == 2013


# --------------------------------------------------------------------------- drought


def test_drought_hand_computation() -> None:
    rows = {("current", "buildings_foundation_risk"): 10.0, ("current", "farmland_sensitive_ha"): 100.0,
            ("Hd2050", "buildings_foundation_risk"): 20.0, ("Hd2050", "farmland_sensitive_ha"): 150.0,
            ("Ld2050", "farmland_sensitive_ha"): 120.0}
    d = drought_damage.annual_damage(summary("drought", ["current", "Hd2050", "Ld2050"]), totals(rows),
                                     drought_file(DROUGHT), price_year=2024, economics=WITH["economics"])
    f_found, f_crop = 121.0 / 110.0, 121.0 / 100.0
    now = d.annual["current"]
    assert now.low == pytest.approx(10 * 100 * f_found + 100 * 10 * f_crop)  # 1100 + 1210
    assert now.mean == pytest.approx(10 * 200 * f_found + 100 * 20 * f_crop)  # 2200 + 2420
    assert now.high == pytest.approx(10 * 300 * f_found + 100 * 30 * f_crop)
    assert d.annual["Hd2050"].mean == pytest.approx(20 * 200 * f_found + 150 * 20 * f_crop)
    assert now.price_year == 2024 and set(now.sources) == {"s-f", "s-c"}
    # a valued item's indicator is absent: the scenario is not valued
    assert "Ld2050" not in d.annual and d.missing == [("foundations", "Ld2050")]
    assert d.incidents == []
    assert "nature" in d.basis_en and "Not monetised" in d.basis_en and "Niet in geld" in d.basis_nl


def test_drought_knowledge_errors() -> None:
    for key, value in (("mean", 500.0), ("source", " "), ("unit", "")):
        broken = copy.deepcopy(DROUGHT)
        broken["item"][0][key] = value
        with pytest.raises(ConfigError):
            drought_damage.drought_items(broken)
    not_valued_with_amount = copy.deepcopy(DROUGHT)
    not_valued_with_amount["item"][2]["high"] = 5.0
    with pytest.raises(ConfigError):
        drought_damage.drought_items(not_valued_with_amount)
    with pytest.raises(ConfigError):
        drought_damage.drought_items({"item": []})


# --------------------------------------------------------------------------- the real knowledge files


def test_real_drought_file_units_sources_and_derivations() -> None:
    k = load_knowledge("damage_drought")
    items = {i.id: i for i in drought_damage.drought_items(k)}
    assert set(items) == {"foundations", "crops", "subsidence", "nature", "wildfire"}
    for item in items.values():
        assert item.unit and item.source
        if item.valued:
            assert item.price_year is not None and 2000 <= item.price_year <= 2024
        else:
            assert item.amount == (0.0, 0.0, 0.0) and "not monetised" in item.source
    rows = {row["id"]: row for row in k["item"]}
    d = rows["foundations"]["derivation"]
    years = d["years"]
    assert items["foundations"].amount[0] == pytest.approx(d["total_low_eur"] / d["buildings_high"] / years, abs=0.01)
    assert items["foundations"].amount[2] == pytest.approx(d["total_high_eur"] / d["buildings_low"] / years, abs=0.01)
    mid = (d["total_low_eur"] + d["total_high_eur"]) / 2 / ((d["buildings_low"] + d["buildings_high"]) / 2) / years
    assert items["foundations"].amount[1] == pytest.approx(mid, abs=0.01)
    c = rows["crops"]["derivation"]
    assert items["crops"].amount[0] == pytest.approx(c["total_low_eur"] / c["area_ha"], abs=0.01)
    assert items["crops"].amount[2] == pytest.approx(c["total_high_eur"] / c["area_ha"], abs=0.01)
    assert items["crops"].amount[1] == pytest.approx(sum(items["crops"].amount[::2]) / 2, abs=0.01)
    s = rows["subsidence"]["derivation"]
    per_ha = ((s["infrastructure_eur"] / s["infrastructure_years"] + s["water_management_eur"]
               / s["water_management_years"]) / (s["peat_share"] * s["land_area_ha"]))
    assert items["subsidence"].amount == pytest.approx((per_ha,) * 3, abs=0.01)


def test_real_heat_file_rates_from_events() -> None:
    k = load_knowledge("damage_heat")
    events = {e["name"]: e for e in k["mortality"]["event"]}
    for e in events.values():
        assert e["source"]
        assert e["rate"] == pytest.approx(e["excess_deaths"] / e["days"] / e["population"], rel=0.01)
    mortality = k["mortality"]
    assert mortality["low"] == pytest.approx(events["heat waves of 2018 (per week)"]["rate"], rel=0.01)
    assert mortality["mean"] == pytest.approx(events["heat waves 1979-1997 (average)"]["rate"], rel=0.01)
    assert mortality["high"] == pytest.approx(events["heat wave 22-27 July 2019"]["rate"], rel=0.01)
    assert k["incident"]["excess_deaths_per_resident"] == pytest.approx(400 / 17282163, rel=1e-4)
    for key in ("value_of_life_year", "value_of_statistical_life"):
        assert k[key]["unit"] and k[key]["source"] and 2000 <= k[key]["price_year"] <= 2024
    for key in ("heat_days", "exposure", "mortality", "life_years_lost", "value_per_death", "incident", "labour",
                "local_heat", "value_of_life_year_high"):
        assert k[key]["unit"] and k[key]["source"], key
    local = k["local_heat"]
    assert local["indicator"] == "pet_home_mean" and local["mortality_slope"]["value"] == pytest.approx(0.0184)
    assert "Baccini" in local["mortality_slope"]["source"] and "estimate" in local["reference_pet"]["source"]
    assert "estimate" in k["labour"]["indoor_response"]["source"]  # the step from PET to apparent temperature
    assert k["labour"]["indoor_response"]["value"] == 0.41 and "Nguyen" in k["labour"]["indoor_response"]["source"]
    # the high value of a death comes from life-years, the statistical life is a sensitivity only
    high = k["value_of_life_year_high"]
    assert high["value"] == 80000.0 and "Zorginstituut" in high["source"]
    assert "SENSITIVITY LINE ONLY" in k["value_of_statistical_life"]["source"]
    price = PriceLevel.of(2024, PACKAGED["economics"])
    numbers = heat_damage.heat_numbers(heat_file(k), price)
    assert numbers.value_per_death[2] < 0.1 * numbers.statistical_life


def test_real_heat_file_labour_numbers_and_derivations() -> None:
    k = load_knowledge("damage_heat")
    labour = k["labour"]
    assert labour["valued"] is True
    for part in ("loss_fraction", "workers_per_resident", "hours_per_worker", "labour_cost_per_hour"):
        assert labour[part]["unit"] and labour[part]["source"], part
    assert 2000 <= labour["labour_cost_per_hour"]["price_year"] <= 2024
    loss = labour["loss_fraction"]
    for level in ("low", "mean", "high"):  # 2 % per degC above 25 degC at the indoor temperature measured in homes
        assert loss[level] == pytest.approx(loss["loss_per_degree"] * max(0.0, loss[f"indoor_degc_{level}"]
                                                                         - loss["threshold_degc"]))
    assert (loss["indoor_degc_low"], loss["indoor_degc_high"]) == (23.1, 30.2) and "Zuurbier" in loss["source"]
    workers = labour["workers_per_resident"]
    assert workers["value"] == pytest.approx(workers["employed"] / workers["population"], abs=5e-4)
    # by hand at the cost's own price year (2019): 3.3 % x 1379 h / 365 x EUR 35.3 x 0.540 = EUR 2.38
    price = PriceLevel.of(2019, PACKAGED["economics"])
    numbers = heat_damage.labour_numbers(heat_file(k), price)
    assert numbers is not None
    per_day, fractions, sources = numbers
    assert fractions == (0.0, 0.033, 0.104)
    assert per_day == pytest.approx((0.0, 2.377, 7.490), abs=1e-3)
    assert any("85272NED" in s for s in sources) and any("LBNL-60946" in s for s in sources)


def test_real_files_with_the_packaged_knmi_table() -> None:
    """End to end with the packaged KNMI table and CPI: more tropical days, more damage; Ld has no number."""
    k = load_knowledge("damage_heat")
    scenarios = ["current", "Hd2050", "Ld2050"]
    values = totals({(s, "residents_pet_strong"): 4000.0 for s in scenarios})
    d = heat_damage.annual_damage(summary("heat", scenarios), values, heat_file(k), price_year=2024, **PACKAGED)
    assert "Ld2050" not in d.annual and ("tropical_days", "Ld2050") in d.missing
    from alliantie.climate import load_climate_table
    from alliantie.climate.scenarios import ClimateScenario

    table = load_climate_table()
    ratio = table.level("tropical_days", ClimateScenario("Hd", 2050)) / table.level("tropical_days", ClimateScenario())
    assert d.annual["Hd2050"].mean / d.annual["current"].mean == pytest.approx(ratio)
    assert 0 < d.annual["current"].low < d.annual["current"].mean < d.annual["current"].high
    assert not [m for m in d.missing if m[1] != "Ld2050"]  # labour is valued: nothing missing where days exist
    labour = heat_damage.labour_loss(summary("heat", scenarios), values, heat_file(k), price_year=2024, **PACKAGED)
    assert 0 < labour["current"].mean < d.annual["current"].mean
    drought = drought_damage.annual_damage(
        summary("drought", ["current"]),
        totals({("current", "buildings_foundation_risk"): 1.0, ("current", "farmland_sensitive_ha"): 0.0,
                ("current", "subsidence_ha"): 0.0}),
        drought_file(load_knowledge("damage_drought")), price_year=2020, economics=PACKAGED["economics"])
    assert drought.annual["current"].mean == pytest.approx(785.71)


def test_indoor_temperature_below_the_threshold_loses_nothing_until_the_local_heat_lifts_it() -> None:
    """Issue 10 item 3: with indoor temperatures the loss is 2 % x max(0, indoor + 0.41 x excess - 25 degC)."""
    k = load_knowledge("damage_heat")
    numbers = heat_damage.heat_numbers(heat_file(k), PriceLevel.of(2024, PACKAGED["economics"]))
    assert numbers.labour_indoor == (23.1, 26.65, 30.2) and numbers.labour_indoor_response == 0.41
    low, mean, high = heat_damage.labour_fractions(numbers, 0.0)
    assert (low, mean, high) == pytest.approx((0.0, 0.033, 0.104))
    # 3 degC of local excess: low 23.1 + 1.23 = 24.33 degC, still below 25: nothing lost
    low3, mean3, high3 = heat_damage.labour_fractions(numbers, 3.0)
    assert low3 == 0.0 and mean3 == pytest.approx(0.02 * (26.65 + 1.23 - 25)) and high3 > high
    # 6 degC: low 25.56 degC, 0.0112 lost; 10 degC cooler: the mean at 22.55 degC loses nothing
    assert heat_damage.labour_fractions(numbers, 6.0)[0] == pytest.approx(0.02 * (23.1 + 2.46 - 25))
    assert heat_damage.labour_fractions(numbers, -10.0)[1] == 0.0
    fractions = [heat_damage.labour_fractions(numbers, e) for e in (-4.0, -2.0, 0.0, 2.0, 4.0)]
    for level in range(3):  # shade and green that lower the PET never raise the loss
        series = [f[level] for f in fractions]
        assert series == sorted(series)


def test_an_m_scenario_row_is_valued_between_l_and_h() -> None:
    """Issue 10 item 2: KNMI'23 M numbers could not be sourced, but an M row (here a test row) is taken as L and H are.

    With tropical days Ln 8 < Md 10 < Hd 12 around 2050 the heat damage of Md2050 lies between those of Ln2050
    and Hd2050 at every amount level; the packaged table has no M row, so there Md2050 is missing.
    """
    knmi = copy.deepcopy(KNMI)
    knmi["value"] += [{"variable": "tropical_days", "scenario": "Ln", "horizon": 2050, "value": 8.0, "source": "t"},
                      {"variable": "tropical_days", "scenario": "Md", "horizon": 2050, "value": 10.0, "source": "t"}]
    scenarios = ["current", "Ln2050", "Md2050", "Hd2050"]
    values = totals({(s, "residents_pet_strong"): 1000.0 for s in scenarios})
    d = heat_damage.annual_damage(summary("heat", scenarios, ["residents_pet_strong"]), values, heat_file(HEAT),
                                  price_year=2024, economics=WITH["economics"], climate=load_climate_table(knmi))
    for level in ("low", "mean", "high"):
        low, mid, high = (getattr(d.annual[s], level) for s in ("Ln2050", "Md2050", "Hd2050"))
        assert low < mid < high
    packaged = heat_damage.annual_damage(summary("heat", scenarios, ["residents_pet_strong"]), values,
                                         heat_file(HEAT), price_year=2024, economics=WITH["economics"],
                                         climate=load_climate_table())
    assert "Md2050" not in packaged.annual and ("tropical_days", "Md2050") in packaged.missing


# --------------------------------------------------------------------------- labour at the workplace (issue 10 item 4)

WORK: dict[str, Any] = {
    **LOCAL,
    "labour": {**LOCAL["labour"],
               "workplace": {"jobs_indicator": "jobs", "pet_indicator": "pet_work_mean", "unit": "jobs; degC",
                             "source": "s-work"}},
}


def _work_values(jobs: float, pet_work: float, pet_home: float = 45.0) -> list[IndicatorValue]:
    rows = {(s, "residents"): 1000.0 for s in ("current", "Hd2050")}
    rows |= {(s, "jobs"): jobs for s in ("current", "Hd2050")}
    rows[("current", "pet_home_mean")] = pet_home
    rows[("Hd2050", "pet_home_mean")] = pet_home + 3.0
    rows[("current", "pet_work_mean")] = pet_work
    rows[("Hd2050", "pet_work_mean")] = pet_work + 3.0  # the warmer afternoon of Hd does not count twice
    return totals(rows)


def test_labour_at_the_workplace_by_hand() -> None:
    """Jobs counted at the workplaces: the loss per job with the heat around the workplaces; mortality as before."""
    scenarios = summary("heat", ["current", "Hd2050"])
    d = heat_damage.annual_damage(scenarios, _work_values(300.0, 42.0), heat_file(WORK), price_year=2024, **WITH)
    # work per job per heat day: 2 h x 20 x 1.21 = 48.4 EUR; 2 degC above the reference PET around the workplaces:
    # 1 / 2 / 4 % + 2 x 1 point; 5 tropical days x 300 jobs
    labour = heat_damage.labour_loss(scenarios, _work_values(300.0, 42.0), heat_file(WORK), price_year=2024, **WITH)
    now = labour["current"]
    assert (now.low, now.mean, now.high) == pytest.approx((0.03 * 48.4 * 1500, 0.04 * 48.4 * 1500,
                                                           0.06 * 48.4 * 1500))
    assert labour["Hd2050"].mean == pytest.approx(now.mean * 12 / 5)  # today's excess, the climate by heat days
    assert "s-work" in now.sources
    mortality = 2e-6 * 5 * 1000 * 1.1 * 60500 * 2  # unchanged: around the homes, 5 degC above the reference
    assert d.annual["current"].mean == pytest.approx(mortality + now.mean)
    assert "counted at the workplace: 300 jobs" in d.basis_en and "per job per tropical day" in d.basis_en
    assert "geteld op de werkplek: 300 banen" in d.basis_nl and "per baan per tropische dag" in d.basis_nl
    assert "around the workplaces exceeds" in d.basis_en and "by home address" not in d.basis_en
    assert "EUR 0.97 (low 0.48, high 1.94) per job" in d.basis_en  # 48.4 x 2 / 1 / 4 % at the reference
    # the note under the table of annual damage says the rule too
    assert d.note_en.startswith("Heat, lost labour productivity: counted at the workplace: 300 jobs")
    assert d.note_nl.startswith("Hitte, verlies aan arbeidsproductiviteit: geteld op de werkplek: 300 banen")


def test_cooler_workplaces_lower_the_labour_loss() -> None:
    """Shade and green near the workplaces lower their PET: the labour loss (and only it) follows."""
    def amounts(pet_work: float) -> tuple[float, float]:
        values = _work_values(300.0, pet_work)
        labour = heat_damage.labour_loss(summary("heat", ["current", "Hd2050"]), values, heat_file(WORK),
                                         price_year=2024, **WITH)
        deaths = heat_damage.excess_deaths(summary("heat", ["current", "Hd2050"]), values, heat_file(WORK), **WITH)
        return labour["Hd2050"].mean, deaths["Hd2050"][1]

    hot_labour, hot_deaths = amounts(44.0)
    cool_labour, cool_deaths = amounts(42.5)
    assert cool_labour < hot_labour
    assert cool_labour == pytest.approx(hot_labour - 1.5 * 0.01 * 48.4 * 12 * 300)
    assert cool_deaths == pytest.approx(hot_deaths)  # mortality stays with the homes


def test_no_workplaces_falls_back_to_the_home_rule_and_says_so() -> None:
    scenarios = summary("heat", ["current", "Hd2050"])
    home = heat_damage.annual_damage(scenarios, _local_values(1000.0, 45.0), heat_file(LOCAL), price_year=2024,
                                     **WITH)
    for values in (_work_values(0.0, 42.0), _local_values(1000.0, 45.0)):  # no jobs counted / no indicator at all
        d = heat_damage.annual_damage(scenarios, values, heat_file(WORK), price_year=2024, **WITH)
        assert d.annual["current"].mean == pytest.approx(home.annual["current"].mean)
        assert d.annual["Hd2050"].high == pytest.approx(home.annual["Hd2050"].high)
        assert "counted by home address, because the dossier's buildings carry no use class" in d.basis_en
        assert "geteld op het woonadres, omdat de gebouwen van het dossier" in d.basis_nl
        assert "per resident per tropical day" in d.basis_en
        assert d.note_en.startswith("Heat, lost labour productivity: counted by home address, because")
    # a knowledge file without [labour.workplace] ignores jobs and says that it counts no workplaces
    d = heat_damage.annual_damage(scenarios, _work_values(300.0, 42.0), heat_file(LOCAL), price_year=2024, **WITH)
    assert d.annual["current"].mean == pytest.approx(home.annual["current"].mean)
    assert "knowledge files count no workplaces" in d.basis_en


def test_real_heat_file_counts_labour_at_the_workplace() -> None:
    k = load_knowledge("damage_heat")
    work = k["labour"]["workplace"]
    assert work["jobs_indicator"] == "jobs" and work["pet_indicator"] == "pet_work_mean"
    numbers = heat_damage.heat_numbers(heat_file(k), PriceLevel.of(2019, PACKAGED["economics"]))
    # EUR 35.3 per hour x 1379 h / 365 days = EUR 133.37 of work per job per calendar day at 2019 prices
    assert numbers.labour_job_day_value == pytest.approx(35.3 * 1379.0 / 365.0)
    assert numbers.labour_day_value == pytest.approx(numbers.labour_job_day_value * 0.540)


def test_the_measure_engine_moves_the_workplace_exposure() -> None:
    """HeatValuation.ead: a lower PET around the workplaces lowers the EAD; without jobs only the homes count."""
    from alliantie.measures.heat import HeatValuation

    def valuation(values: list[IndicatorValue]) -> HeatValuation:
        return HeatValuation(summary=summary("heat", ["current", "Hd2050"]), values=values,
                             knowledge=heat_file(WORK), price_year=2024, **WITH)

    at_work = valuation(_work_values(300.0, 42.0))
    base = at_work.ead({}, {})
    cooler = at_work.ead({}, {"current": -1.0, "Hd2050": -1.0})
    # 1 degC less around the workplaces: 1 point less work lost x 48.4 EUR x 12 days x 300 jobs (Hd2050)
    assert cooler["Hd2050"]["mean"] == pytest.approx(base["Hd2050"]["mean"] - 0.01 * 48.4 * 12 * 300)
    assert at_work.ead({"current": -1.0}, {})["current"]["mean"] < base["current"]["mean"]  # mortality still moves
    no_jobs = valuation(_work_values(0.0, 42.0))
    assert no_jobs.ead({}, {"current": -1.0})["current"] == pytest.approx(no_jobs.ead({}, {})["current"])
