"""The business case's arithmetic against hand computations: present values, NPV, BCR, IRR, payback year, the
split over the parties, meekoppelen and the response to more avoided damage."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

from alliantie.method.strategy.business_case.analysis import (
    FeatureInput,
    Stream,
    Timing,
    benefit_flows,
    case_years,
    cost_flows,
    evaluate_case,
    indicators,
    matrix,
    stream_values,
)
from alliantie.parameters.business_case import PARTIES

START = 2025
RATE = 0.05
#: sum of 1.05 ** -t for t = 1..5, written out
ANNUITY_5 = 1 / 1.05 + 1 / 1.05**2 + 1 / 1.05**3 + 1 / 1.05**4 + 1 / 1.05**5  # 4.329476670630819
D5 = 1 / 1.05**5  # 0.7835261664684589

COSTS = {"municipality": 0.6, "water_board": 0.4}
GAINS = {"insurers": 0.5, "owners_residents": 0.5}


def _feature(benefit: float = 300.0, **kw: object) -> FeatureInput:
    """Investment 1000, maintenance 20 a year, lifetime 10 years, a constant benefit per year."""
    args: dict[str, object] = dict(id="f1", measure="wadi", lifetime_years=10.0, investment_eur=1000.0,
                                   maintenance_eur_per_year=20.0, cost_shares=COSTS,
                                   streams=(Stream("avoided_pluvial", today=benefit),))
    args.update(kw)
    return FeatureInput(**args)  # type: ignore[arg-type]


def _shares(_item: str) -> dict[str, float]:
    return GAINS


def test_present_values_npv_bcr_and_payback_by_hand():
    years = case_years(START, 5)
    assert list(years) == [2025, 2026, 2027, 2028, 2029, 2030]
    result = evaluate_case([_feature()], _shares, years, RATE, parties=PARTIES)
    total = result.total
    # costs: 1000 in year 0, 20 in years 1-5, residual value of half the lifetime (5 of 10 years) off in year 5
    pv_costs = 1000 + 20 * ANNUITY_5 - 500 * D5  # = 694.8264501...
    pv_benefits = 300 * ANNUITY_5  # = 1298.8430011...
    assert total.pv_costs_eur == pytest.approx(pv_costs, abs=1e-9)
    assert total.pv_costs_eur == pytest.approx(694.8264501, abs=1e-6)
    assert total.pv_benefits_eur == pytest.approx(pv_benefits, abs=1e-9)
    assert total.npv_eur == pytest.approx(pv_benefits - pv_costs, abs=1e-9)
    assert total.bcr == pytest.approx(1298.8430011 / 694.8264501, rel=1e-9)
    assert total.items_eur["residual"] == pytest.approx(-500 * D5)
    # payback: discounted cumulative net -1000, -733.3, -479.4, -237.5, -7.1 (years 0-4), +611.1 in year 5
    net = [-1000, 280, 280, 280, 280, 780]
    cumulative = np.cumsum([v / 1.05**t for t, v in enumerate(net)])
    assert cumulative[4] == pytest.approx(-7.14, abs=0.01) and cumulative[5] > 0
    assert total.payback_year == 2030
    # the IRR is the rate at which the net flows are worth nothing
    assert total.irr is not None
    assert sum(v / (1 + total.irr) ** t for t, v in enumerate(net)) == pytest.approx(0.0, abs=1e-6)
    assert total.irr == pytest.approx(float(npf.irr(net)))


def test_irr_of_numpy_financial_against_closed_forms():
    # one year: 1000 now, 1100 in a year -> 10 %
    assert npf.irr([-1000.0, 1100.0]) == pytest.approx(0.10)
    # two equal amounts x with 1000 = x / 1.1 + x / 1.21 -> x = 576.1904762, IRR 10 %
    x = 1000 / (1 / 1.1 + 1 / 1.21)
    assert x == pytest.approx(576.1904762)
    assert npf.irr([-1000.0, x, x]) == pytest.approx(0.10)
    # through the business case: investment x now, benefit 1100 a year later, nothing else
    feature = FeatureInput("f", "m", 100.0, 1000.0, 0.0, {"municipality": 1.0},
                           (Stream("avoided_pluvial", once=0.0, today=1100.0),))
    years = case_years(START, 1)
    costs = cost_flows(feature, years, Timing(START))
    costs["residual"][:] = 0.0  # without the residual value of the 99 years left
    r = indicators(costs, benefit_flows(feature, years, Timing(START)), years, 0.0225)
    assert r.irr == pytest.approx(0.10)
    assert r.npv_eur == pytest.approx(-1000 + 1100 / 1.0225)


def test_the_parties_add_up_to_the_total_and_follow_their_shares():
    years = case_years(START, 30)
    features = [_feature(), _feature(id="f2", measure="green_roof", investment_eur=5000.0,
                                     cost_shares={"owners_residents": 0.572, "housing_corporations": 0.285,
                                                  "businesses": 0.143},
                                     streams=(Stream("avoided_heat", today=50.0, future=200.0, future_year=2050),
                                              Stream("sewer_storage", once=900.0)))]

    def shares(item: str) -> dict[str, float]:
        return {"avoided_pluvial": GAINS, "avoided_heat": {"owners_residents": 0.6, "businesses": 0.4},
                "sewer_storage": {"municipality": 1.0}}[item]

    result = evaluate_case(features, shares, years, 0.0225, parties=PARTIES)
    assert set(result.parties) == set(PARTIES)
    for field in ("pv_costs_eur", "pv_benefits_eur", "npv_eur"):
        assert sum(getattr(r, field) for r in result.parties.values()) == pytest.approx(
            getattr(result.total, field), rel=1e-12)
    one = evaluate_case(features[:1], shares, years, 0.0225, parties=PARTIES)
    assert one.parties["municipality"].pv_costs_eur == pytest.approx(0.6 * one.total.pv_costs_eur)
    assert one.parties["water_board"].pv_costs_eur == pytest.approx(0.4 * one.total.pv_costs_eur)
    assert one.parties["insurers"].pv_benefits_eur == pytest.approx(0.5 * one.total.pv_benefits_eur)
    # a party that gains without paying has no ratio and nothing to pay back
    assert one.parties["insurers"].bcr is None and one.parties["insurers"].payback_year is None
    assert one.parties["province"].pv_costs_eur == 0 and one.parties["province"].pv_benefits_eur == 0
    # the cost-bearer x beneficiary matrix holds every benefit once
    cells = matrix(features, result.feature_benefits, PARTIES)
    assert sum(sum(row.values()) for row in cells.values()) == pytest.approx(result.total.pv_benefits_eur)
    # the municipality pays 60 % of f1, whose benefits go half to insurers
    f1 = result.feature_benefits["f1"]
    assert cells["municipality"]["insurers"] == pytest.approx(0.6 * f1["insurers"])


def test_replacement_within_the_horizon_and_the_residual_value():
    years = case_years(START, 30)
    flows = cost_flows(_feature(), years, Timing(START))
    # lifetime 10: replaced in years 10, 20 and 30; the one of year 30 is worth its whole cost at the horizon
    assert list(np.nonzero(flows["replacement"])[0]) == [10, 20, 30]
    assert flows["residual"][-1] == pytest.approx(-1000.0)
    assert flows["maintenance"][0] == 0 and flows["maintenance"][1:].tolist() == [20.0] * 30
    # lifetime 40 over 30 years: no replacement, a quarter of the investment left
    flows = cost_flows(_feature(lifetime_years=40.0), years, Timing(START))
    assert not flows["replacement"].any()
    assert flows["residual"][-1] == pytest.approx(-250.0)


def test_avoided_damage_moves_linearly_to_the_scenario_and_stays():
    years = case_years(START, 30)
    values = stream_values(Stream("avoided_pluvial", today=100.0, future=200.0, future_year=2035), years, START)
    assert values[0] == 100 and values[5] == pytest.approx(150.0) and values[10] == 200 and values[30] == 200
    # yearly benefits start the year after the investment, a one-off amount falls in it
    flows = benefit_flows(_feature(streams=(Stream("x", today=10.0, once=7.0),)), years, Timing(2027))
    assert flows["x"][:2].tolist() == [0, 0] and flows["x"][2] == 7.0 and flows["x"][3] == 10.0


def test_meekoppelen_is_cheaper_with_a_factor_below_one():
    years = case_years(START, 5)
    alone = evaluate_case([_feature()], _shares, years, RATE)
    same_year = evaluate_case([_feature()], _shares, years, RATE, {"f1": Timing(START, 0.7)})
    # 700 instead of 1000; the residual is half of the 700 invested
    assert same_year.total.pv_costs_eur == pytest.approx(700 + 20 * ANNUITY_5 - 350 * D5)
    assert same_year.total.pv_costs_eur < alone.total.pv_costs_eur
    assert same_year.total.pv_benefits_eur == pytest.approx(alone.total.pv_benefits_eur)
    later = evaluate_case([_feature()], _shares, years, RATE, {"f1": Timing(START + 2, 0.7)})
    # invested in year 2 (discounted), maintenance and benefits from year 3
    assert later.total.items_eur["investment"] == pytest.approx(700 / 1.05**2)
    assert later.total.pv_costs_eur < same_year.total.pv_costs_eur
    # works after the horizon: nothing happens within it
    never = evaluate_case([_feature()], _shares, years, RATE, {"f1": Timing(START + 9, 0.7)})
    assert never.total.pv_costs_eur == 0 and never.total.pv_benefits_eur == 0


@pytest.mark.parametrize("horizon", [30, 60])
def test_more_avoided_damage_gives_a_higher_npv(horizon):
    years = case_years(START, horizon)
    npvs = [evaluate_case([_feature(benefit=b)], _shares, years, 0.0225).total.npv_eur
            for b in (0.0, 10.0, 100.0, 1000.0)]
    assert npvs == sorted(npvs) and len(set(npvs)) == 4
    # and a higher discount rate lowers the value of the same benefits
    low, high = (evaluate_case([_feature()], _shares, years, r).total.pv_benefits_eur for r in (0.0225, 0.055))
    assert high < low


def test_a_benefit_that_is_a_loss_counts_as_a_cost():
    years = case_years(START, 5)
    feature = _feature(streams=(Stream("avoided_pluvial", today=300.0), Stream("avoided_heat", today=-10.0)))
    r = evaluate_case([feature], _shares, years, RATE).total
    assert r.pv_benefits_eur == pytest.approx(300 * ANNUITY_5)
    assert r.pv_costs_eur == pytest.approx(1000 + 20 * ANNUITY_5 - 500 * D5 + 10 * ANNUITY_5)
    assert r.items_eur["avoided_heat"] == pytest.approx(-10 * ANNUITY_5)
