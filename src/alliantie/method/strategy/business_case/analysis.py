"""The arithmetic of the business case: cash flows per year, per feature, item and party, and their indicators.

Conventions (docs/business_case.md):

* **Years.** A case runs over the calendar years ``start_year`` .. ``start_year + horizon`` (year 0 to year
  ``horizon``); amounts in constant prices, discounted to ``start_year`` (year 0 undiscounted) at a real rate.
* **Costs.** The investment falls in the investment year: ``start_year`` when the measure is done alone, the
  coupled project's year times its ``investment_factor`` with *meekoppelen*. Maintenance every year after it; a
  replacement at the full cost alone whenever the lifetime ends within the horizon; the residual value of the
  last (re)investment at the horizon (straight line) is taken off in the last year (Dutch MKBA practice, Romijn
  & Renes 2013; as :mod:`alliantie.measures.costs`).
* **Benefits.** Yearly benefits start the year after the investment: the avoided expected annual damage runs
  linearly from today's value in ``start_year`` to the scenario's in its horizon year and stays there after it
  (no speculative trend); a one-off benefit (sewer storage spared, property value) falls in the investment year.
* **Parties.** Every cost item is split by the measure's cost shares, every benefit by the benefit's shares;
  the shares sum to one, so the parties add up to the total.
* **Indicators.** Present values of costs and benefits, their difference (NPV), their ratio (BCR; None without
  costs), the internal rate of return of the net flows (``numpy_financial.irr``; None when the flows do not
  change sign or it has no root) and the payback year (the first year the discounted cumulative net is positive;
  None without costs or when it never is). A benefit item with a negative present value (a measure that adds
  damage) counts on the cost side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy_financial as npf
from numpy.typing import NDArray

from alliantie.damage.npv import discount_factors

Flows = dict[str, NDArray[np.float64]]  #: item -> amount per year (EUR, one entry per year of the case)
COST_ITEMS = ("investment", "maintenance", "replacement", "residual")


@dataclass(frozen=True)
class Stream:
    """A benefit of one feature: a yearly amount (``today`` in ``start_year`` moving linearly to ``future`` in
    ``future_year``, constant after; constant ``today`` when ``future_year`` is None) and a one-off amount."""

    benefit: str  #: avoided_<theme> or a co-benefit id
    today: float = 0.0  #: EUR per year
    future: float = 0.0  #: EUR per year in ``future_year``
    future_year: int | None = None
    once: float = 0.0  #: EUR once, in the investment year


@dataclass(frozen=True)
class FeatureInput:
    """One feature of the measure set: its costs, who pays them, and its benefits for one scenario."""

    id: str
    measure: str
    lifetime_years: float
    investment_eur: float
    maintenance_eur_per_year: float
    cost_shares: Mapping[str, float]
    streams: Sequence[Stream] = ()


@dataclass(frozen=True)
class Timing:
    """When a feature is invested in and at what share of its cost alone (*meekoppelen*: the project's year)."""

    year: int
    factor: float = 1.0


@dataclass(frozen=True)
class Indicators:
    """Present values and what follows from them, for one party or the total."""

    pv_costs_eur: float
    pv_benefits_eur: float
    npv_eur: float
    bcr: float | None
    irr: float | None
    payback_year: int | None
    items_eur: dict[str, float] = field(default_factory=dict)


def case_years(start_year: int, horizon_years: int) -> NDArray[np.int64]:
    """The calendar years of a case: ``start_year`` .. ``start_year + horizon_years``."""
    return np.arange(start_year, start_year + horizon_years + 1, dtype=np.int64)


def cost_flows(feature: FeatureInput, years: NDArray[np.int64], timing: Timing) -> Flows:
    """Investment, maintenance, replacement and (negative) residual value of one feature per year."""
    n = years.size
    out = {item: np.zeros(n) for item in COST_ITEMS}
    start, end = int(years[0]), int(years[-1])
    year = max(timing.year, start)
    if year > end:
        return out
    first = feature.investment_eur * timing.factor
    out["investment"][year - start] = first
    out["maintenance"][year - start + 1:] = feature.maintenance_eur_per_year
    life = feature.lifetime_years
    last_year, last_cost = year, first
    k = 1
    while (at := year + round(k * life)) <= end and round(k * life) > 0:
        out["replacement"][at - start] += feature.investment_eur
        last_year, last_cost = at, feature.investment_eur
        k += 1
    remaining = max(0.0, 1.0 - (end - last_year) / life)
    out["residual"][-1] -= last_cost * remaining
    return out


def stream_values(stream: Stream, years: NDArray[np.int64], start_year: int) -> NDArray[np.float64]:
    """The yearly amount of ``stream`` in each of ``years`` (before it starts too)."""
    t = (years - start_year).astype(np.float64)
    if stream.future_year is None:
        return np.full(t.shape, stream.today)
    if stream.future_year <= start_year:
        return np.full(t.shape, stream.future)
    reach = np.clip(t / float(stream.future_year - start_year), 0.0, 1.0)
    return stream.today + (stream.future - stream.today) * reach


def benefit_flows(feature: FeatureInput, years: NDArray[np.int64], timing: Timing) -> Flows:
    """Each benefit of one feature per year: yearly amounts from the year after the investment, one-off amounts
    in the investment year (nothing when the investment falls after the horizon)."""
    start, end = int(years[0]), int(years[-1])
    year = max(timing.year, start)
    out: Flows = {}
    for s in feature.streams:
        flow = out.setdefault(s.benefit, np.zeros(years.size))
        if year > end:
            continue
        yearly = stream_values(s, years, start)
        flow[year - start + 1:] += yearly[year - start + 1:]
        flow[year - start] += s.once
    return out


def allocate(flows: Flows, shares: Callable[[str], Mapping[str, float]]) -> dict[str, Flows]:
    """``flows`` split over the parties: party -> item -> amount per year (``shares(item)`` sums to one)."""
    out: dict[str, Flows] = {}
    for item, flow in flows.items():
        for party, share in shares(item).items():
            if share:
                target = out.setdefault(party, {})
                target[item] = target.get(item, 0.0) + share * flow
    return out


def indicators(costs: Flows, benefits: Flows, years: NDArray[np.int64], rate: float) -> Indicators:
    """Present values, NPV, BCR, IRR and payback year of one party's (or the total's) flows."""
    factors = discount_factors(years, int(years[0]), rate)
    zero = np.zeros(years.size)
    items = {k: float(np.sum(v * factors)) for k, v in {**costs, **benefits}.items()}
    cost_flow = sum(costs.values(), zero.copy())
    benefit_flow = zero.copy()
    for item, flow in benefits.items():
        if items[item] < 0:  # a benefit that is a loss counts as a cost
            cost_flow = cost_flow - flow
        else:
            benefit_flow = benefit_flow + flow
    pv_costs = float(np.sum(cost_flow * factors))
    pv_benefits = float(np.sum(benefit_flow * factors))
    net = benefit_flow - cost_flow
    irr: float | None = None
    if (net < 0).any() and (net > 0).any():
        value = float(npf.irr(net))
        irr = value if np.isfinite(value) else None
    payback: int | None = None
    if pv_costs > 0:
        positive = np.nonzero(np.cumsum(net * factors) > 0)[0]
        payback = int(years[positive[0]]) if positive.size else None
    return Indicators(
        pv_costs_eur=max(pv_costs, 0.0), pv_benefits_eur=max(pv_benefits, 0.0), npv_eur=pv_benefits - pv_costs,
        bcr=pv_benefits / pv_costs if pv_costs > 0 else None, irr=irr, payback_year=payback, items_eur=items)


@dataclass(frozen=True)
class CaseResult:
    """One case: per party and in total, and per feature the present value of its benefits per party."""

    parties: dict[str, Indicators]
    total: Indicators
    #: feature id -> party -> present value of the feature's benefits to the party (EUR)
    feature_benefits: dict[str, dict[str, float]]
    #: feature id -> item -> present value of the feature's benefit item (EUR, all parties)
    feature_items: dict[str, dict[str, float]]


def _same(shares: Mapping[str, float]) -> Callable[[str], Mapping[str, float]]:
    """The same shares for every item (a feature's cost shares)."""

    def get(_item: str) -> Mapping[str, float]:
        return shares

    return get


def _add(target: Flows, flows: Flows) -> None:
    for item, flow in flows.items():
        target[item] = target[item] + flow if item in target else flow.copy()


def evaluate_case(features: Sequence[FeatureInput], benefit_shares: Callable[[str], Mapping[str, float]],
                  years: NDArray[np.int64], rate: float, timings: Mapping[str, Timing] | None = None,
                  parties: Sequence[str] = ()) -> CaseResult:
    """Every feature's flows, split over the parties, summed; the indicators per party and in total.

    ``timings`` holds the coupled features (*meekoppelen*); the others are invested in ``years[0]``.
    ``parties`` are reported even when they neither pay nor gain (all zero).
    """
    timings = timings or {}
    factors = discount_factors(years, int(years[0]), rate)
    party_costs: dict[str, Flows] = {p: {} for p in parties}
    party_benefits: dict[str, Flows] = {p: {} for p in parties}
    total_costs: Flows = {}
    total_benefits: Flows = {}
    feature_benefits: dict[str, dict[str, float]] = {}
    feature_items: dict[str, dict[str, float]] = {}
    for f in features:
        timing = timings.get(f.id, Timing(int(years[0])))
        costs = cost_flows(f, years, timing)
        benefits = benefit_flows(f, years, timing)
        _add(total_costs, costs)
        _add(total_benefits, benefits)
        for party, flows in allocate(costs, _same(f.cost_shares)).items():
            _add(party_costs.setdefault(party, {}), flows)
        gained = allocate(benefits, benefit_shares)
        for party, flows in gained.items():
            _add(party_benefits.setdefault(party, {}), flows)
        feature_benefits[f.id] = {p: float(sum(np.sum(v * factors) for v in flows.values()))
                                  for p, flows in gained.items()}
        feature_items[f.id] = {item: float(np.sum(v * factors)) for item, v in benefits.items()}
    names = list(dict.fromkeys([*parties, *party_costs, *party_benefits]))
    return CaseResult(
        parties={p: indicators(party_costs.get(p, {}), party_benefits.get(p, {}), years, rate) for p in names},
        total=indicators(total_costs, total_benefits, years, rate),
        feature_benefits=feature_benefits, feature_items=feature_items)


def matrix(features: Sequence[FeatureInput], feature_benefits: Mapping[str, Mapping[str, float]],
           parties: Sequence[str]) -> dict[str, dict[str, float]]:
    """Cost bearer -> beneficiary -> EUR: each feature's present value of benefits to a beneficiary, attributed to
    its cost bearers by their cost shares (the *Onderhandelingstool Begroeide Daken* reading: who pays for what
    others gain). The cells add up to the total present value of the benefits."""
    out = {c: dict.fromkeys(parties, 0.0) for c in parties}
    for f in features:
        gained = feature_benefits.get(f.id, {})
        for bearer, share in f.cost_shares.items():
            row = out.setdefault(bearer, dict.fromkeys(parties, 0.0))
            for beneficiary, value in gained.items():
                row[beneficiary] = row.get(beneficiary, 0.0) + share * value
    return out
