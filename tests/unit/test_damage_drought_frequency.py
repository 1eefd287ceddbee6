"""Crop drought damage weighted by the probability of a dry year (issue 10 item 5): hand checks and monotonicity."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from alliantie.climate import load_climate_table
from alliantie.contract.spec import Text
from alliantie.contract.theme import IndicatorInfo, IndicatorValue, ThemeSummary
from alliantie.damage import drought as drought_damage
from alliantie.damage.drought import DroughtDamageFile
from alliantie.damage.npv import EconomicsFile
from alliantie.knowledge import load_knowledge

ECONOMICS = EconomicsFile.from_toml({
    "discount_rate": [{"name": "standard", "rate_percent": 2.25, "unit": "percent per year", "source": "s-rate"}],
    "cpi": [{"year": year, "index": 100.0, "unit": "index", "source": "s-cpi"} for year in (2018, 2024)],
})


def knmi(levels: dict[str, tuple[float, float]]) -> Any:
    """A KNMI table with (mean, t10) deficits per scenario key ('reference' or 'Hd2050')."""
    rows: list[dict[str, Any]] = []
    for key, (mean, t10) in levels.items():
        where: dict[str, Any] = {"scenario": "reference"} if key == "reference" else {
            "scenario": key[:2], "horizon": int(key[2:])}
        rows.append({"variable": "precip_deficit_mean", "value": mean, "source": "t", **where})
        rows.append({"variable": "precip_deficit_10y", "value": t10, "source": "t", **where})
    return load_climate_table({
        "variable": [{"id": "precip_deficit_mean", "unit": "mm", "change": "difference"},
                     {"id": "precip_deficit_10y", "unit": "mm", "change": "difference"}],
        "value": rows})


FARMLAND = IndicatorInfo(id="farmland_sensitive_ha", unit="ha", label=Text(nl="l", en="l"))
CROPS: dict[str, Any] = {"item": [{
    "id": "crops", "indicator": "farmland_sensitive_ha", "valued": True, "unit": "EUR/ha in a dry year",
    "low": 100.0, "mean": 200.0, "high": 400.0, "price_year": 2018, "nl": "oogst", "en": "crops", "source": "s-c",
    "frequency": {"return_period_years": 20.0, "nl": "een jaar als 2018", "en": "a year like 2018", "unit": "years",
                  "source": "s-f"}}]}


def damage(table: Any, scenarios: list[str], hectares: float = 1000.0) -> Any:
    summary = ThemeSummary(theme="drought", title=Text(nl="d", en="d"), scenarios=scenarios, classes={},
                           indicators=[FARMLAND])
    values = [IndicatorValue(scenario=s, code="", name="", indicator="farmland_sensitive_ha", value=hectares)
              for s in scenarios]
    return drought_damage.annual_damage(summary, values, DroughtDamageFile.from_toml(CROPS), price_year=2024,
                                        economics=ECONOMICS, climate=table)


def test_gumbel_by_hand() -> None:
    # y_10 = -ln(-ln 0.9) = 2.250367; mean 170, t10 202: beta = 32 / (2.250367 - 0.577216) = 19.1256
    assert drought_damage.gumbel_reduced_variate(10.0) == pytest.approx(2.250367, abs=1e-6)
    u, beta = drought_damage.gumbel_from_mean_and_t10(170.0, 202.0)
    assert beta == pytest.approx(19.1256, abs=1e-4)
    assert u == pytest.approx(170.0 - 0.5772157 * 19.1256, abs=1e-3)
    # the 1-in-10 level of the fitted law is t10 again; its exceedance probability 0.1
    assert u + beta * drought_damage.gumbel_reduced_variate(10.0) == pytest.approx(202.0)
    # today's climate: a 2018-like year (1 in 20) has probability 1/20 by construction
    assert drought_damage.dry_year_probability((170.0, 202.0), (170.0, 202.0), 20.0) == pytest.approx(0.05)
    # a scenario shifted by one scale unit: P = 1 - exp(-exp(-(y20 - 1)))
    y20 = -math.log(-math.log(0.95))
    shifted = drought_damage.dry_year_probability((170.0, 202.0), (170.0 + beta, 202.0 + beta), 20.0)
    assert shifted == pytest.approx(1.0 - math.exp(-math.exp(-(y20 - 1.0))), rel=1e-9)
    with pytest.raises(ValueError):
        drought_damage.gumbel_from_mean_and_t10(200.0, 190.0)


def test_probability_rises_with_the_mean_and_the_spread() -> None:
    ref = (170.0, 202.0)
    by_mean = [drought_damage.dry_year_probability(ref, (m, m + 32.0), 20.0) for m in (150, 170, 200, 250, 290)]
    assert all(b > a for a, b in itertools.pairwise(by_mean))
    by_spread = [drought_damage.dry_year_probability(ref, (170.0, 170.0 + s), 20.0) for s in (10, 32, 60, 120)]
    assert all(b > a for a, b in itertools.pairwise(by_spread))
    assert all(0.0 < p < 1.0 for p in by_mean + by_spread)


def test_crop_damage_is_the_dry_year_loss_times_its_probability() -> None:
    table = knmi({"reference": (170.0, 202.0), "Hd2050": (237.0, 287.0), "Ln2050": (211.0, 239.0)})
    d = damage(table, ["current", "Ln2050", "Hd2050"])
    # today: 1000 ha x 200 EUR/ha in a 2018-like year x 1/20
    assert d.annual["current"].mean == pytest.approx(1000 * 200 / 20)
    assert d.annual["current"].low == pytest.approx(1000 * 100 / 20)
    # EAD rises with the deficit statistics, and stays below a 2018 loss every year
    ead = [d.annual[s].mean for s in ("current", "Ln2050", "Hd2050")]
    assert ead[0] < ead[1] < ead[2] < 1000 * 200
    p = drought_damage.dry_year_probability((170.0, 202.0), (237.0, 287.0), 20.0)
    assert d.annual["Hd2050"].mean == pytest.approx(1000 * 200 * p)
    assert "s-f" in d.annual["current"].sources
    assert "maal de kans" in d.basis_nl and "5 %" in d.basis_nl and "probability" in d.basis_en


def test_a_scenario_without_deficit_statistics_is_missing_not_guessed() -> None:
    table = knmi({"reference": (170.0, 202.0), "Hd2050": (237.0, 287.0)})
    d = damage(table, ["current", "Hd2050", "Ld2050"])
    assert "Ld2050" not in d.annual
    assert ("precip_deficit_mean", "Ld2050") in d.missing and ("precip_deficit_10y", "Ld2050") in d.missing
    no_reference = knmi({"Hd2050": (237.0, 287.0)})
    none = damage(no_reference, ["current", "Hd2050"])
    assert none.annual == {} and ("precip_deficit_mean", "current") in none.missing


def test_real_files_crop_damage_is_well_below_a_2018_loss_every_year() -> None:
    k = DroughtDamageFile.from_toml(load_knowledge("damage_drought"))
    crops = next(i for i in k.item if i.id == "crops")
    assert crops.frequency is not None and crops.frequency.return_period_years >= 20
    probabilities, missing = drought_damage.dry_year_probabilities(
        load_climate_table(), crops.frequency, ["current", "Ln2050", "Hd2050", "Hd2100"])
    assert not missing
    assert probabilities["current"] == pytest.approx(0.05)
    assert probabilities["current"] < probabilities["Ln2050"] < probabilities["Hd2050"] <= probabilities["Hd2100"] <= 1
    summary = ThemeSummary(theme="drought", title=Text(nl="d", en="d"), scenarios=["current"], classes={},
                           indicators=[FARMLAND])
    values = [IndicatorValue(scenario="current", code="", name="", indicator=i, value=v)
              for i, v in (("farmland_sensitive_ha", 100.0), ("buildings_foundation_risk", 0.0),
                           ("subsidence_ha", 0.0))]
    d = drought_damage.annual_damage(summary, values, k, price_year=2018, economics=ECONOMICS)
    assert d.annual["current"].mean == pytest.approx(100 * crops.mean / 20, rel=1e-9)
    assert d.annual["current"].mean < 0.1 * 100 * crops.mean
