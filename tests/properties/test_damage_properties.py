"""Properties of the damage engine (hypothesis): expected annual damage and the present value of a damage path.

Why the EAD properties hold (``alliantie.damage.risk``): all three rules compute
``EAD = sum_i w_i D_i`` with weights ``w_i`` that depend only on the return periods
(:func:`ead_weights`). With the events sorted from frequent to rare (``f_1 > ... > f_n``,
``f = 1/T``) the weights are, per interval ``(f_i, f_{i+1})``:

* ``"trapezoid"``: ``(f_i - f_{i+1}) / 2`` to both ends;
* ``"loglinear"``: ``f_i - m`` to the frequent end and ``m - f_{i+1}`` to the rare end, with
  ``m = (f_i - f_{i+1}) / ln(f_i / f_{i+1})`` the logarithmic mean, which lies strictly between
  ``f_{i+1}`` and ``f_i`` (the interpolation is linear in ``ln f`` but linear in the *damage*, so the
  rule is linear in the damages like the others);
* ``"events"``: ``f_i - f_{i+1}`` to the frequent end only;

plus the tail ``f_n`` to the rarest event in every rule. Hence, for every rule:

* every weight is ``>= 0`` -> the EAD never falls when one damage rises, for *any* damages (not
  only damages that rise with the return period), and is ``>= 0`` for non-negative damages;
* the weights sum to exactly ``f_1 = 1 / min(T)`` -> ``min(D) / min(T) <= EAD <= max(D) / min(T)``,
  with equality for a constant damage (the bound is tight), and ``EAD >= D_rarest / max(T)`` (the tail);
* the EAD is linear in the damages and does not depend on the order in which events are given.

For damages non-decreasing with the return period the rules are ordered
``events <= loglinear <= trapezoid`` (the damage of a strip is its frequent end, a curve that is
convex in ``f``, its chord); for damages non-increasing with the return period the order reverses.

Restriction: the return periods drawn here are at least a factor ``1 + 1e-6`` apart. Return periods a
few ulps apart have their own test (:func:`test_near_coincident_return_periods_keep_weights_valid`): the
loglinear weights once lost all precision there (``df / log(f_b / f_a)``: negative weights, NaN).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose

from alliantie.damage import RULES, damage_path, discount_factors, ead_weights, expected_annual_damage, present_value

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Relative tolerance on sums of a handful of products (rounding only).
RTOL = 1e-9
#: The return periods of a typical WaterSchadeSchatter / stress-test event set.
STANDARD_RPS = [1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0]

damage_values = st.floats(0.0, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False)
#: A non-negative factor: zero or not tiny (a subnormal product underflows, which says nothing about linearity).
factors = st.one_of(st.just(0.0), st.floats(1e-6, 1e3))
rules = pytest.mark.parametrize("rule", RULES)


@st.composite
def return_periods(draw: st.DrawFn, min_size: int = 1, max_size: int = 8) -> np.ndarray:
    """Distinct return periods in random order: a subset of the usual set, or random ones far enough apart."""
    if draw(st.booleans()):
        rps = draw(st.lists(st.sampled_from(STANDARD_RPS), min_size=min_size, max_size=max_size, unique=True))
        return np.asarray(rps, dtype=np.float64)
    n = draw(st.integers(min_size, max_size))
    first = draw(st.floats(0.1, 1000.0))
    ratios = draw(st.lists(st.floats(1.0 + 1e-6, 10.0), min_size=n - 1, max_size=n - 1))
    rps = first * np.cumprod([1.0, *ratios])
    order = draw(st.permutations(range(n)))
    return rps[list(order)]


@st.composite
def event_sets(draw: st.DrawFn, shape: str = "any") -> tuple[np.ndarray, np.ndarray]:
    """``(damages, return_periods)``; ``shape`` "rising"/"falling" sorts the damages along the return period."""
    rp = draw(return_periods())
    d = np.asarray(draw(st.lists(damage_values, min_size=rp.size, max_size=rp.size)), dtype=np.float64)
    if shape == "any":
        shape = draw(st.sampled_from(["any", "rising", "falling"]))
    if shape == "rising":
        d[np.argsort(rp)] = np.sort(d)
    elif shape == "falling":
        d[np.argsort(rp)] = np.sort(d)[::-1]
    return d, rp


def scale(d: np.ndarray, rp: np.ndarray) -> float:
    """The size of an EAD of these events (largest damage over the smallest return period), for tolerances."""
    return float(np.max(d, initial=0.0)) / float(rp.min()) + 1e-300


# --------------------------------------------------------------------------- expected annual damage


@rules
@given(events=event_sets(), data=st.data())
@SETTINGS
def test_ead_never_falls_when_one_damage_rises(rule, events, data):
    """Any damages (rising with the return period or not): all weights are non-negative in every rule."""
    d, rp = events
    j = data.draw(st.integers(0, d.size - 1), label="event")
    delta = data.draw(st.floats(1e-3, 1e6), label="rise")
    raised = d.copy()
    raised[j] += delta
    before = expected_annual_damage(d, rp, rule)
    after = expected_annual_damage(raised, rp, rule)
    assert after >= before - RTOL * scale(raised, rp)


@rules
@given(events=event_sets(shape="rising"), data=st.data())
@SETTINGS
def test_ead_never_falls_when_one_damage_rises_keeping_the_curve_monotone(rule, events, data):
    """Damages non-decreasing with the return period, raised so that they stay so (the physical case)."""
    d, rp = events
    order = np.argsort(rp)
    k = data.draw(st.integers(0, d.size - 1), label="rank")
    ceiling = d[order[k + 1]] if k + 1 < d.size else d[order[k]] + 1e6
    raised = d.copy()
    raised[order[k]] = data.draw(st.floats(d[order[k]], ceiling), label="new damage")
    assert np.all(np.diff(raised[order]) >= 0)
    assert expected_annual_damage(raised, rp, rule) >= expected_annual_damage(d, rp, rule) - RTOL * scale(raised, rp)


@rules
@given(events=event_sets())
@SETTINGS
def test_ead_is_non_negative_and_zero_for_zero_damages(rule, events):
    d, rp = events
    assert expected_annual_damage(d, rp, rule) >= 0.0
    assert expected_annual_damage(np.zeros_like(d), rp, rule) == 0.0


@rules
@given(events=event_sets())
@SETTINGS
def test_ead_lies_between_the_smallest_and_largest_damage_times_the_most_frequent_frequency(rule, events):
    """The weights of every rule sum to ``1 / min(T)``: ``min(D) / min(T) <= EAD <= max(D) / min(T)``.

    Tight: a constant damage gives exactly ``D / min(T)``. The rarest event's damage is held for all
    rarer frequencies in every rule, so also ``EAD >= D_rarest / max(T)``.
    """
    d, rp = events
    ead = expected_annual_damage(d, rp, rule)
    tol = RTOL * scale(d, rp)
    f1 = 1.0 / rp.min()
    assert d.min() * f1 - tol <= ead <= d.max() * f1 + tol
    assert ead >= d[np.argmax(rp)] / rp.max() - tol
    constant = np.full_like(d, d.max())
    assert_allclose(expected_annual_damage(constant, rp, rule), d.max() * f1, rtol=RTOL)
    assert_allclose(ead_weights(rp, rule).sum(), f1, rtol=RTOL)


@given(events=event_sets(), data=st.data())
@SETTINGS
def test_events_rule_with_explicit_frequencies_is_the_frequency_weighted_sum(events, data):
    """With explicit frequencies ``nu`` the bound is ``max(D) * sum(nu)`` (and the EAD is exactly ``D . nu``)."""
    d, rp = events
    nu = np.asarray(data.draw(st.lists(st.floats(0.0, 10.0), min_size=d.size, max_size=d.size)), dtype=np.float64)
    ead = expected_annual_damage(d, rp, "events", frequencies=nu)
    assert_allclose(ead, math.fsum(d * nu), rtol=RTOL, atol=1e-300)
    assert 0.0 <= ead <= d.max() * nu.sum() * (1 + RTOL)


@given(events=event_sets(shape="rising"))
@SETTINGS
def test_rules_are_ordered_for_damages_rising_with_the_return_period(events):
    d, rp = events
    tol = RTOL * scale(d, rp)
    e = {rule: expected_annual_damage(d, rp, rule) for rule in RULES}
    assert e["events"] <= e["loglinear"] + tol
    assert e["loglinear"] <= e["trapezoid"] + tol


@given(events=event_sets(shape="falling"))
@SETTINGS
def test_rules_are_ordered_the_other_way_for_damages_falling_with_the_return_period(events):
    d, rp = events
    tol = RTOL * scale(d, rp)
    e = {rule: expected_annual_damage(d, rp, rule) for rule in RULES}
    assert e["trapezoid"] <= e["loglinear"] + tol
    assert e["loglinear"] <= e["events"] + tol


@rules
@given(events=event_sets(), data=st.data())
@SETTINGS
def test_ead_is_linear_in_the_damages(rule, events, data):
    """Weights depend on the return periods only; loglinear interpolates in ``ln f``, linearly in the damage."""
    a, rp = events
    b = np.asarray(data.draw(st.lists(damage_values, min_size=a.size, max_size=a.size), label="b"))
    k = data.draw(factors, label="k")
    tol = RTOL * (scale(a, rp) + scale(b, rp))
    ead_a = expected_annual_damage(a, rp, rule)
    ead_b = expected_annual_damage(b, rp, rule)
    assert_allclose(expected_annual_damage(a + b, rp, rule), ead_a + ead_b, rtol=RTOL, atol=tol)
    assert_allclose(expected_annual_damage(k * a, rp, rule), k * ead_a, rtol=RTOL, atol=k * tol)


@rules
@given(events=event_sets(), data=st.data())
@SETTINGS
def test_event_order_does_not_matter(rule, events, data):
    d, rp = events
    perm = list(data.draw(st.permutations(range(d.size)), label="permutation"))
    assert_allclose(
        expected_annual_damage(d[perm], rp[perm], rule),
        expected_annual_damage(d, rp, rule),
        rtol=RTOL,
        atol=RTOL * scale(d, rp),
    )
    assert_allclose(ead_weights(rp[perm], rule), ead_weights(rp, rule)[perm], rtol=RTOL, atol=1e-300)


@rules
@given(rp=return_periods(), data=st.data())
@SETTINGS
def test_raster_path_equals_the_scalar_path_cell_by_cell(rule, rp, data):
    """Damages with a leading event axis over any trailing shape; a NaN damage gives NaN at its cell only."""
    trailing = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=5), label="trailing shape")
    elements = st.one_of(damage_values, st.just(np.nan))
    damages = data.draw(hnp.arrays(np.float64, (rp.size, *trailing), elements=elements), label="damages")
    ead = expected_annual_damage(damages, rp, rule)
    assert isinstance(ead, np.ndarray)
    assert ead.shape == trailing
    for cell in np.ndindex(*trailing):
        scalar = expected_annual_damage(damages[(slice(None), *cell)], rp, rule)
        assert isinstance(scalar, float)
        assert_allclose(ead[cell], scalar, rtol=RTOL, atol=1e-300)
        assert np.isnan(ead[cell]) == bool(np.isnan(damages[(slice(None), *cell)]).any())


@pytest.mark.parametrize("rule", RULES)
@given(first=st.floats(1.0, 1000.0), ulps=st.integers(1, 16))
@example(first=5.0, ulps=1)  # once weights [-0.05, 0.25]: EAD of damages [1, 0] was -0.05
@example(first=7.0, ulps=1)  # 1/T coincide: once weights [nan, nan]
@SETTINGS
def test_near_coincident_return_periods_keep_weights_valid(rule, first, ulps):
    """Two return periods a few ulps apart still give non-negative, finite weights summing to ``1 / min(T)``."""
    second = first
    for _ in range(ulps):
        second = float(np.nextafter(second, np.inf))
    rp = np.array([first, second])
    w = ead_weights(rp, rule)
    assert np.all(np.isfinite(w))
    assert np.all(w >= 0.0)
    assert_allclose(w.sum(), 1.0 / first, rtol=RTOL)
    assert expected_annual_damage([1.0, 0.0], rp, rule) >= 0.0


# --------------------------------------------------------------------------- present value and damage path

rates = st.floats(-0.05, 0.15)
amounts = st.floats(-1e6, 1e6, allow_subnormal=False)


@st.composite
def yearly_amounts(draw: st.DrawFn, elements: st.SearchStrategy[float] = amounts, before_base: bool = True):
    """``(values, years, base_year)``: one amount per year, years distinct, possibly before the base year."""
    base = draw(st.integers(1990, 2060))
    offsets = draw(st.lists(st.integers(-10 if before_base else 0, 60), min_size=1, max_size=30, unique=True))
    values = np.asarray(draw(st.lists(elements, min_size=len(offsets), max_size=len(offsets))), dtype=np.float64)
    years = base + np.asarray(sorted(offsets), dtype=np.int64)
    return values, years, base


def pv_scale(values: np.ndarray, years: np.ndarray, base: int, rate: float) -> float:
    """Sum of the absolute discounted amounts (for the tolerance of a present value)."""
    return float(np.sum(np.abs(values) * discount_factors(years, base, rate))) + 1e-300


@given(first=yearly_amounts(), data=st.data(), rate=rates)
@SETTINGS
def test_present_value_is_linear_in_the_amounts(first, data, rate):
    a, years, base = first
    b = np.asarray(data.draw(st.lists(amounts, min_size=a.size, max_size=a.size), label="b"))
    k = data.draw(factors, label="k")
    tol = RTOL * (pv_scale(a, years, base, rate) + pv_scale(b, years, base, rate))
    pv_a = present_value(a, years, base, rate)
    pv_b = present_value(b, years, base, rate)
    assert_allclose(present_value(a + b, years, base, rate), pv_a + pv_b, rtol=0, atol=tol)
    assert_allclose(present_value(k * a, years, base, rate), k * pv_a, rtol=0, atol=k * tol)


@given(first=yearly_amounts())
@SETTINGS
def test_present_value_at_a_zero_rate_is_the_plain_sum(first):
    values, years, base = first
    assert np.all(discount_factors(years, base, 0.0) == 1.0)
    assert_allclose(
        present_value(values, years, base, 0.0),
        math.fsum(values),
        rtol=0,
        atol=RTOL * float(np.abs(values).sum()) + 1e-300,
    )


@given(first=yearly_amounts(elements=damage_values, before_base=False), r1=rates, r2=rates)
@SETTINGS
def test_a_higher_rate_never_raises_the_present_value_of_non_negative_amounts(first, r1, r2):
    """Holds for years from the base year on (a year before the base year is compounded, not discounted)."""
    values, years, base = first
    low, high = sorted((r1, r2))
    assert discount_factors([base], base, high)[0] == 1.0  # year 0 undiscounted
    assert present_value(values, years, base, high) <= present_value(values, years, base, low) * (1 + RTOL)


@st.composite
def path_years(draw: st.DrawFn, beyond_horizon: bool = True) -> tuple[int, int, int | None]:
    start = draw(st.integers(2000, 2050))
    horizon = start + draw(st.integers(0, 80))
    end = None if not beyond_horizon or draw(st.booleans()) else horizon + draw(st.integers(0, 50))
    return start, horizon, end


@given(
    years=path_years(beyond_horizon=False),
    a=damage_values,
    b=damage_values,
    c=damage_values,
    d=damage_values,
    k=factors,
    rate=rates,
    growth=st.floats(0.0, 0.05),
)
@SETTINGS
def test_npv_of_the_damage_path_is_linear_in_the_eads_up_to_the_horizon(years, a, b, c, d, k, rate, growth):
    start, horizon, end = years

    def npv(s: float, h: float) -> float:
        return damage_path(s, h, start, horizon, rate=rate, end_year=end, exposure_growth=growth).npv

    tol = RTOL * (npv(max(a, b), max(a, b)) + npv(max(c, d), max(c, d))) + 1e-300
    assert_allclose(npv(a + c, b + d), npv(a, b) + npv(c, d), rtol=0, atol=tol)
    assert_allclose(npv(k * a, k * b), k * npv(a, b), rtol=0, atol=k * tol)


@given(years=path_years(), a=damage_values, b=damage_values, c=damage_values, d=damage_values, k=factors, rate=rates)
@SETTINGS
def test_npv_beyond_the_horizon_is_homogeneous_and_subadditive(years, a, b, c, d, k, rate):
    """After the horizon the trend is clipped at zero (``max(trend, 0)``): still homogeneous for ``k >= 0``,
    but only subadditive; the part up to the horizon stays additive."""
    start, horizon, end = years

    def path(s: float, h: float):
        return damage_path(s, h, start, horizon, rate=rate, end_year=end)

    tol = RTOL * (path(max(a, b), max(a, b)).npv + path(max(c, d), max(c, d)).npv) + 1e-300
    sum_path, p1, p2 = path(a + c, b + d), path(a, b), path(c, d)
    assert sum_path.npv <= p1.npv + p2.npv + tol * 10
    assert_allclose(sum_path.npv_to_horizon, p1.npv_to_horizon + p2.npv_to_horizon, rtol=0, atol=tol)
    assert_allclose(path(k * a, k * b).npv, k * p1.npv, rtol=RTOL, atol=k * tol)


@given(years=path_years(), a=damage_values, b=damage_values, growth=st.floats(0.0, 0.05))
@SETTINGS
def test_npv_at_a_zero_rate_is_the_plain_sum_of_the_damage(years, a, b, growth):
    start, horizon, end = years
    path = damage_path(a, b, start, horizon, rate=0.0, end_year=end, exposure_growth=growth)
    assert_allclose(path.npv, math.fsum(path.damage), rtol=RTOL, atol=1e-300)
    if horizon > start and end is None and growth == 0.0:
        # the linear path from a to b over n years sums to n (a + b) / 2
        n = horizon - start + 1
        assert_allclose(path.npv, n * (a + b) / 2, rtol=RTOL, atol=1e-300)


@given(years=path_years(), a=damage_values, b=damage_values, r1=rates, r2=rates, growth=st.floats(0.0, 0.05))
@SETTINGS
def test_a_higher_rate_never_raises_the_npv_of_the_damage_path(years, a, b, r1, r2, growth):
    start, horizon, end = years
    low, high = sorted((r1, r2))
    npv_low = damage_path(a, b, start, horizon, rate=low, end_year=end, exposure_growth=growth).npv
    npv_high = damage_path(a, b, start, horizon, rate=high, end_year=end, exposure_growth=growth).npv
    assert npv_high <= npv_low * (1 + RTOL)
