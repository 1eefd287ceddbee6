"""Damage path, discounting (year 0 undiscounted), price indexation and the range with its drivers."""

import numpy as np
import pytest

from alliantie.damage import (
    EconomicsFile,
    damage_path,
    default_discount_rate,
    discount_factors,
    discount_presets,
    expected_annual_damage,
    present_value,
    price_index_factor,
    sensitivity_range,
)
from alliantie.errors import ConfigError, InputDataError
from alliantie.knowledge import knowledge_sources, load_knowledge


@pytest.fixture(scope="module")
def economics():
    return EconomicsFile.from_toml(load_knowledge("economics"))


def test_presets_are_the_dutch_rates(economics):
    presets = discount_presets(economics)
    assert presets["standard"].rate == pytest.approx(0.0225)
    assert presets["rate_2015"].rate == pytest.approx(0.03)
    assert presets["rate_2007"].rate == pytest.approx(0.055)
    assert default_discount_rate(economics).name == "standard"
    assert "werkgroep discontovoet 2020" in presets["standard"].source.lower()
    for row in [*economics.discount_rate, *economics.cpi, *economics.cpi_change]:
        assert row.unit and row.source
    assert knowledge_sources("economics")


def test_year_zero_is_undiscounted():
    f = discount_factors([2025, 2026, 2027], 2025, 0.0225)
    assert f[0] == 1.0
    assert f[1] == pytest.approx(1 / 1.0225)
    assert f[2] == pytest.approx(1 / 1.0225**2)
    assert present_value([100.0, 100.0], [2025, 2026], 2025, 0.055) == pytest.approx(100 + 100 / 1.055)


def test_damage_path_by_hand():
    # EAD 100 today (2025) and 200 at the horizon (2027): 100, 150, 200 EUR per year;
    # NPV = 100 + 150 / 1.0225 + 200 / 1.0225^2 = 100 + 146.699267 + 191.294887 = 437.994154
    path = damage_path(100.0, 200.0, 2025, 2027, rate=0.0225)
    assert path.years.tolist() == [2025, 2026, 2027]
    assert path.damage.tolist() == pytest.approx([100.0, 150.0, 200.0])
    assert path.npv == pytest.approx(437.994154, abs=1e-6)
    assert not path.speculative.any()


def test_exposure_growth_multiplies_each_year():
    # constant EAD 100, growth 1 %/year, no discounting: 100 + 101 + 102.01
    path = damage_path(100.0, 100.0, 2025, 2027, rate=0.0, exposure_growth=0.01)
    assert path.npv == pytest.approx(303.01)


def test_years_after_the_horizon_continue_the_trend_and_are_flagged():
    path = damage_path(100.0, 120.0, 2030, 2050, rate=0.03, end_year=2060)
    assert path.years[-1] == 2060
    assert path.damage[-1] == pytest.approx(130.0)  # slope 1 per year
    assert path.speculative.sum() == 10
    assert path.npv_to_horizon == pytest.approx(path.discounted[:21].sum())
    # a falling trend never gives negative damage
    falling = damage_path(100.0, 50.0, 2030, 2050, rate=0.0, end_year=2100)
    assert falling.damage.min() == 0.0


def test_invalid_paths_are_refused():
    with pytest.raises(InputDataError):
        damage_path(1.0, 1.0, 2050, 2030, rate=0.02)
    with pytest.raises(InputDataError):
        damage_path(1.0, 1.0, 2025, 2050, rate=-1.5)


def test_cpi_factor_2010_to_2015_is_the_cbs_ratio(economics):
    assert price_index_factor(2010, 2015, economics) == pytest.approx(2790.8 / 2554.8)
    assert price_index_factor(2015, 2010, economics) == pytest.approx(2554.8 / 2790.8)
    assert price_index_factor(2019, 2019, economics) == 1.0


def test_chained_cpi_agrees_with_the_cbs_2015_based_series(economics):
    # CBS StatLine 83136NED (2015 = 100): year 2022 = 121.43; our chain of yearly changes on 2019
    assert price_index_factor(2015, 2022, economics) == pytest.approx(1.2143, rel=2e-3)


def test_years_without_a_sourced_index_are_refused(economics):
    with pytest.raises(ConfigError) as err:
        price_index_factor(1990, 2015, economics)
    assert "1990" in str(err.value)


def test_range_names_the_factor_that_moves_it_most():
    # NPV = amount x rule x scenario; amounts differ by a factor 3, rules by 10 %, scenarios by 20 %
    amounts = {"low": 1.0, "mean": 2.0, "high": 3.0}
    rules = {"trapezoid": 1.0, "loglinear": 0.95, "events": 0.9}
    scenarios = {"Ld2050": 100.0, "Hd2050": 120.0}
    values = {
        (a, r, s): amounts[a] * rules[r] * scenarios[s] for a in amounts for r in rules for s in scenarios
    }
    summary = sensitivity_range(values, ["amount", "rule", "scenario"])
    assert summary.minimum == pytest.approx(90.0)
    assert summary.maximum == pytest.approx(360.0)
    assert summary.at_minimum == {"amount": "low", "rule": "events", "scenario": "Ld2050"}
    assert summary.at_maximum == {"amount": "high", "rule": "trapezoid", "scenario": "Hd2050"}
    assert summary.main_driver == "amount"
    assert [d.factor for d in summary.drivers] == ["amount", "scenario", "rule"]
    amount = summary.drivers[0]
    assert (amount.low_level, amount.high_level) == ("low", "high")
    # swing of the amount: mean over rules and scenarios of (3 - 1) x rule x scenario = 2 x 0.95 x 110
    assert amount.swing == pytest.approx(2 * 0.95 * 110)


def test_range_needs_a_full_factorial():
    with pytest.raises(InputDataError):
        sensitivity_range({("low", "a"): 1.0, ("high", "b"): 2.0}, ["amount", "rule"])
    with pytest.raises(InputDataError):
        sensitivity_range({}, ["amount"])


def test_npv_range_from_eads_end_to_end():
    # EADs per rule of the WSS example today; at 2050 the damages 20 % higher (linear in EAD)
    base = {r: expected_annual_damage([1000.0, 500.0, 200.0, 100.0, 10.0, 2.0],
                                      [250, 100, 50, 25, 10, 5], r) for r in ("trapezoid", "events")}
    values = {}
    for rule, ead in base.items():
        for name, rate in (("2.25", 0.0225), ("5.5", 0.055)):
            values[(rule, name)] = damage_path(ead, 1.2 * ead, 2025, 2050, rate=rate).npv
    summary = sensitivity_range(values, ["rule", "rate"])
    assert summary.at_maximum == {"rule": "trapezoid", "rate": "2.25"}
    assert summary.at_minimum == {"rule": "events", "rate": "5.5"}
    expected = sum(11.8 * (1 + 0.2 * t / 25) / 1.055**t for t in range(26))
    assert summary.minimum == pytest.approx(expected)
    assert np.isfinite(summary.drivers[0].swing)
