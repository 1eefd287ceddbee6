"""Victims and business interruption after a breach (issue 10 item 6): hand values and monotonicity."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliantie.damage import flood as flood_damage
from alliantie.damage.depth_damage import AMOUNTS, coefficients, default_settings, load_damage_table
from alliantie.damage.flood import Mortality, load_flood_curves
from alliantie.damage.pluvial import CaseDamage
from alliantie.knowledge import load_knowledge

MORTALITY = Mortality(remaining_mu=7.60, remaining_sigma=2.75, rising_mu=1.46, rising_sigma=0.28,
                      rising_min_depth_m=2.1, rising_min_rate_m_per_h=0.5, unit="-", source="test")


def phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def test_remaining_zone_by_hand_at_1_2_4_m() -> None:
    f = flood_damage.mortality_fraction([1.0, 2.0, 4.0], MORTALITY)
    # Phi((ln h - 7.60) / 2.75): z = -2.7636, -2.5116, -2.2595
    assert f[0] == pytest.approx(phi((0.0 - 7.60) / 2.75), rel=1e-12)
    assert f[0] == pytest.approx(0.002858, abs=2e-6)
    assert f[1] == pytest.approx(0.006009, abs=2e-6)
    assert f[2] == pytest.approx(0.011925, abs=2e-6)


def test_rapidly_rising_zone_by_hand_and_its_bounds() -> None:
    h = np.array([1.0, 2.0, 2.1, 4.0, 4.0])
    w = np.array([2.0, 2.0, 2.0, 2.0, 0.4])  # the last rises too slowly: remaining zone
    f = flood_damage.mortality_fraction(h, MORTALITY, w)
    remaining = flood_damage.mortality_fraction(h, MORTALITY)
    assert f[0] == remaining[0] and f[1] == remaining[1]  # below 2.1 m: remaining zone
    # at 2.1 m the rapidly-rising function (0.52 %) lies below the remaining zone's (0.63 %): the larger counts
    assert phi((math.log(2.1) - 1.46) / 0.28) < remaining[2] and f[2] == remaining[2]
    assert f[3] == pytest.approx(phi((math.log(4.0) - 1.46) / 0.28), rel=1e-12)  # about 0.396
    assert f[3] == pytest.approx(0.3963, abs=1e-3)
    assert f[4] == remaining[4]


def test_mortality_rises_with_depth_and_is_zero_when_dry() -> None:
    depths = np.linspace(0.05, 8.0, 200)
    for rate in (None, 1.0):
        f = flood_damage.mortality_fraction(depths, MORTALITY, rate)
        assert np.all(np.diff(f) >= 0) and np.all(np.diff(f) > 0)
        assert np.all((f > 0) & (f < 1))
    assert flood_damage.mortality_fraction([0.0, -1.0, np.nan], MORTALITY).tolist() == [0.0, 0.0, 0.0]
    # at the same depth, rapidly rising water kills more
    assert (flood_damage.mortality_fraction([3.0], MORTALITY, 1.0)[0]
            > flood_damage.mortality_fraction([3.0], MORTALITY)[0])


def test_expected_victims_by_hand_and_evacuation() -> None:
    depth = [1.0, 4.0, np.nan]
    residents = [10.0, 5.0, 100.0]  # the dry building's residents are not exposed
    v = flood_damage.expected_victims(depth, residents, MORTALITY, evacuation_fraction=0.0)
    assert v.victims == pytest.approx(10 * 0.002858 + 5 * 0.011925, abs=1e-5)
    assert v.exposed == 15.0 and not v.rising_zone
    half = flood_damage.expected_victims(depth, residents, MORTALITY, evacuation_fraction=0.5)
    assert half.victims == pytest.approx(v.victims / 2)
    deeper = flood_damage.expected_victims([2.0, 5.0, np.nan], residents, MORTALITY, evacuation_fraction=0.0)
    assert deeper.victims > v.victims
    with pytest.raises(ValueError):
        flood_damage.expected_victims(depth, residents, MORTALITY, evacuation_fraction=1.5)


def test_business_interruption_by_hand_and_with_the_breach() -> None:
    pluvial = load_knowledge("damage_pluvial")
    table = load_damage_table(pluvial)
    settings = default_settings(pluvial).model_copy(update={"repair_days": 8.0})
    coef = {a: coefficients(table, settings.model_copy(update={"amount": a}), None) for a in AMOUNTS}
    above = np.array([0.5, np.nan, 1.0])
    wss = np.array([2, 2, 99])  # residential, dry residential, a class without a WSS row
    area = np.array([100.0, 100.0, 50.0])
    bi = flood_damage.business_interruption(above, wss, area, coef)
    row = table.classes[2]
    # 8 days of repair: the WSS repair factor between 5 days (120 h) and 10 days (240 h) at 192 h = 8 days
    g = float(np.interp(192.0, table.repair_h, row.repair_factor))
    assert g == pytest.approx(8.0)
    for k, a in enumerate(AMOUNTS):
        assert bi[a] == pytest.approx(row.indirect_eur_m2_day[k] * g * 100.0)
    assert bi["low"] <= bi["mean"] <= bi["high"] and bi["mean"] > 0
    # the breach case adds it to the buildings per amount level
    curves = load_flood_curves(load_knowledge("damage_flood"))
    land = {a: coefficients(table, default_settings(pluvial).model_copy(update={"amount": a}), None)
            for a in AMOUNTS}
    depth = np.zeros((2, 2))
    args = {"above_floor": above, "wss_class": wss, "area_m2": area, "curves": curves, "price_factor": 1.0}
    without = flood_damage.breach_case("current", depth, np.zeros((2, 2)), land, 100.0, **args)
    with_bi = flood_damage.breach_case("current", depth, np.zeros((2, 2)), land, 100.0, interruption=coef, **args)
    for a in AMOUNTS:
        assert with_bi.buildings[a] == pytest.approx(without.buildings[a] + bi[a])


def test_victims_are_a_separate_line_not_in_the_annual_damage() -> None:
    case = CaseDamage(event="breach", scenario="current", return_period=float("nan"),
                      land={"low": 10.0, "mean": 20.0, "high": 30.0},
                      buildings={"low": 100.0, "mean": 100.0, "high": 100.0}, buildings_above_floor=1)
    theme = flood_damage.annual_damage([case], price_year=2024, probability_per_year=0.01, scenarios=["current"],
                                       victim_lines={"current": ("slachtoffers", "victims", 5.0e6)})
    assert [i.id for i in theme.incidents] == ["flood_breach_current", "flood_victims_current"]
    assert theme.incidents[1].damage.mean == 5.0e6
    assert theme.annual["current"].mean == pytest.approx(120.0 * 0.01)  # the victims' value is not in it


def test_the_knowledge_file_holds_the_people_tables_with_sources() -> None:
    people = load_flood_curves(load_knowledge("damage_flood")).people
    assert people.mortality is not None and people.mortality.remaining_mu == 7.60
    assert people.mortality.remaining_sigma == 2.75 and "Jonkman" in people.mortality.source
    assert people.evacuation is not None and people.evacuation.fraction == 0.0
    assert people.victim_value is not None and "SWOV" in people.victim_value.source
    assert "statistical life" in people.victim_value.en
    assert people.business_interruption is not None and people.business_interruption.repair_days > 0


def test_the_knowledge_files_mortality_is_the_published_formula_at_1_and_3_m() -> None:
    """Issue 10 item 1: F_D(h) = Phi((ln h - mu) / sigma) of Jonkman et al. (2008) with the file's parameters.

    Expected values computed here with scipy's normal CDF, not with the module's own Phi:
    remaining zone (mu 7.60, sigma 2.75): F(1 m) = Phi(-2.7636) = 0.2858 %, F(3 m) = Phi(-2.3641) = 0.9036 %;
    rapidly rising zone (mu 1.46, sigma 0.28; h >= 2.1 m, w >= 0.5 m/h): F(3 m) = Phi(-1.2906) = 9.84 %.
    """
    from scipy.stats import norm

    mortality = load_flood_curves(load_knowledge("damage_flood")).people.mortality
    assert mortality is not None
    assert (mortality.remaining_mu, mortality.remaining_sigma) == (7.60, 2.75)
    assert (mortality.rising_mu, mortality.rising_sigma) == (1.46, 0.28)
    assert (mortality.rising_min_depth_m, mortality.rising_min_rate_m_per_h) == (2.1, 0.5)
    remaining = flood_damage.mortality_fraction([1.0, 3.0], mortality)
    assert remaining[0] == pytest.approx(norm.cdf((math.log(1.0) - 7.60) / 2.75), rel=1e-9)
    assert remaining[1] == pytest.approx(norm.cdf((math.log(3.0) - 7.60) / 2.75), rel=1e-9)
    assert remaining[0] == pytest.approx(0.002858, abs=1e-6) and remaining[1] == pytest.approx(0.009036, abs=1e-6)
    rising = flood_damage.mortality_fraction([3.0], mortality, 0.5)[0]  # the thresholds count as in the zone
    assert rising == pytest.approx(norm.cdf((math.log(3.0) - 1.46) / 0.28), rel=1e-9)
    assert rising == pytest.approx(0.0984, abs=1e-4)
