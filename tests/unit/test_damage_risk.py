"""Expected annual damage: the three integration rules against hand computations."""

import math

import numpy as np
import pytest

from alliantie.damage import RULES, ead_by_rule, ead_weights, expected_annual_damage
from alliantie.errors import InputDataError

# The WaterSchadeSchatter reference example (lizard-damage risk.calculate_risk docstring).
WSS_DAMAGES = [1000.0, 500.0, 200.0, 100.0, 10.0, 2.0]
WSS_RPS = [250.0, 100.0, 50.0, 25.0, 10.0, 5.0]


def test_wss_reference_example_is_18_90_per_year():
    assert expected_annual_damage(WSS_DAMAGES, WSS_RPS, "trapezoid") == pytest.approx(18.90, abs=1e-9)
    assert expected_annual_damage(WSS_DAMAGES, WSS_RPS) == pytest.approx(18.90, abs=1e-9)  # default rule


def test_trapezoid_by_hand():
    # f = 0.1, 0.01; trapezoid (0.1 - 0.01) * (10 + 100) / 2 = 4.95; tail 100 / 100 = 1.0
    assert expected_annual_damage([10.0, 100.0], [10.0, 100.0], "trapezoid") == pytest.approx(5.95)


def test_loglinear_by_hand():
    # D linear in ln f between f_b = 0.1 (D = 10) and f_a = 0.01 (D = 100), L = ln 10:
    # integral = D_a (f_b - f_a) + (D_b - D_a) (f_b - (f_b - f_a) / L)
    #          = 100 * 0.09 - 90 * (0.1 - 0.09 / 2.302585093) = 9 - 5.482215 = 3.517785; tail 100 * 0.01 = 1
    assert expected_annual_damage([10.0, 100.0], [10.0, 100.0], "loglinear") == pytest.approx(4.517785, abs=1e-6)


def test_loglinear_matches_numerical_integration_of_the_wss_example():
    order = np.argsort(WSS_RPS)
    f = 1.0 / np.asarray(WSS_RPS)[order]  # frequent to rare
    d = np.asarray(WSS_DAMAGES)[order]
    total = d[-1] * f[-1]  # tail
    for i in range(f.size - 1):
        u = np.linspace(math.log(f[i + 1]), math.log(f[i]), 200001)
        dmg = d[i + 1] + (d[i] - d[i + 1]) * (u - u[0]) / (u[-1] - u[0])
        ff = np.exp(u)
        total += float(np.sum((dmg[1:] + dmg[:-1]) / 2 * np.diff(ff)))
    assert expected_annual_damage(WSS_DAMAGES, WSS_RPS, "loglinear") == pytest.approx(total, rel=1e-8)


def test_events_rule_by_hand():
    # CLIMADA convention: event frequency = 1/T_i - 1/T_(i+1), the rarest 1/T_n
    # 2*0.1 + 10*0.06 + 100*0.02 + 200*0.01 + 500*0.006 + 1000*0.004 = 11.8
    assert expected_annual_damage(WSS_DAMAGES, WSS_RPS, "events") == pytest.approx(11.8)
    # explicit frequencies: sum of damage x frequency
    assert expected_annual_damage([10.0, 100.0], [10.0, 100.0], "events", frequencies=[0.5, 0.25]) == 30.0


def test_weights_of_every_rule_sum_to_the_most_frequent_frequency():
    for rule in RULES:
        assert ead_weights(WSS_RPS, rule).sum() == pytest.approx(1 / 5)
        # a constant damage D gives EAD = D / T_min
        assert expected_annual_damage([7.0] * 6, WSS_RPS, rule) == pytest.approx(7.0 / 5)


def test_single_event_is_damage_over_return_period():
    for rule in RULES:
        assert expected_annual_damage([300.0], [100.0], rule) == pytest.approx(3.0)


def test_order_of_events_does_not_matter():
    rng = np.random.default_rng(1)
    perm = rng.permutation(len(WSS_RPS))
    for rule in RULES:
        a = expected_annual_damage(WSS_DAMAGES, WSS_RPS, rule)
        b = expected_annual_damage(np.asarray(WSS_DAMAGES)[perm], np.asarray(WSS_RPS)[perm], rule)
        assert a == pytest.approx(b)


def test_rasters_are_vectorised_over_cells_and_keep_nan():
    rng = np.random.default_rng(2)
    damages = rng.uniform(0, 1000, size=(4, 3, 5))
    damages[:, 1, 2] = np.nan
    rps = [2.0, 10.0, 100.0, 25.0]
    for rule in RULES:
        ead = expected_annual_damage(damages, rps, rule)
        assert ead.shape == (3, 5)
        assert np.isnan(ead[1, 2])
        assert ead[0, 0] == pytest.approx(expected_annual_damage(damages[:, 0, 0], rps, rule))
        assert ead[2, 4] == pytest.approx(expected_annual_damage(damages[:, 2, 4], rps, rule))


def test_rules_differ_in_the_documented_order():
    res = ead_by_rule(WSS_DAMAGES, WSS_RPS)
    assert list(res) == ["trapezoid", "loglinear", "events"]
    assert res["events"] < res["loglinear"] < res["trapezoid"]


@pytest.mark.parametrize(
    ("damages", "rps", "key"),
    [
        ([1.0, 2.0], [0.0, 10.0], "damage.errors.return_period_not_positive"),
        ([1.0, 2.0], [-5.0, 10.0], "damage.errors.return_period_not_positive"),
        ([1.0, 2.0], [float("nan"), 10.0], "damage.errors.return_period_not_positive"),
        ([1.0, 2.0], [10.0, 10.0], "damage.errors.return_period_duplicate"),
        ([1.0, -2.0], [10.0, 100.0], "damage.errors.damage_negative"),
        ([1.0, 2.0, 3.0], [10.0, 100.0], "damage.errors.damages_shape"),
        ([1.0], [], "damage.errors.return_periods_shape"),
    ],
)
def test_invalid_input_gives_a_clear_error(damages, rps, key):
    with pytest.raises(InputDataError) as err:
        expected_annual_damage(damages, rps)
    assert err.value.key == key
    assert str(err.value)  # the message renders from the catalogue


def test_unknown_rule_and_misplaced_frequencies():
    with pytest.raises(InputDataError) as err:
        expected_annual_damage([1.0], [10.0], "simpson")  # type: ignore[arg-type]
    assert "trapezoid" in str(err.value)
    with pytest.raises(InputDataError):
        expected_annual_damage([1.0, 2.0], [10.0, 100.0], "trapezoid", frequencies=[0.1, 0.01])
    with pytest.raises(InputDataError):
        expected_annual_damage([1.0, 2.0], [10.0, 100.0], "events", frequencies=[0.1, -0.01])
