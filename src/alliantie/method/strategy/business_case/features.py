"""From ``effects.json`` and the catalogues to the business case's records: per feature its costs, cost shares
and, per scenario, its benefit streams.

The avoided damage of a theme is the measure set's total (all features together, ``total.avoided_ead_eur``:
measures interact, so the features alone do not add up to it), split over the features in proportion to what
each avoids alone; when none avoids anything alone, equally over the features acting on the theme. Co-benefits
are valued per feature from the knowledge file: sewer storage spared (once, per m³ of storage), fine dust
captured by the vegetation added (yearly) and property value (once, counted by :mod:`.places`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alliantie.contract.effects import EffectsFile, FeatureRecord
from alliantie.knowledge.measures import Measure, MeasureCatalogue
from alliantie.method.strategy.business_case.analysis import FeatureInput, Stream
from alliantie.method.strategy.business_case.knowledge import AVOIDED, BusinessCaseKnowledge

CURRENT = "current"
AMOUNT = "mean"


@dataclass(frozen=True)
class CoValues:
    """The co-benefit values at the dossier's price level (EUR)."""

    sewer_eur_per_m3: float
    fine_dust_eur_per_kg: float


def theme_weights(features: Sequence[FeatureRecord], theme: str, scenario: str) -> dict[str, float]:
    """Each feature's share (sums to one) of the measure set's avoided damage of ``theme`` in ``scenario``."""
    alone = {f.id: max(0.0, f.avoided_ead_eur.get(theme, {}).get(scenario, 0.0)) for f in features}
    total = sum(alone.values())
    if total > 0:
        return {k: v / total for k, v in alone.items()}
    acting = [f.id for f in features if theme in f.themes] or [f.id for f in features]
    return {k: 1.0 / len(acting) for k in acting} if acting else {}


def scenario_year(scenario: str, years: Mapping[str, int | None]) -> int | None:
    """The horizon year of ``scenario`` (None: today's climate)."""
    return years.get(scenario)


def vegetated_ha(record: FeatureRecord, measure: Measure) -> float:
    """The vegetation a feature adds (ha): its area (a line: length x the measure's width) x vegetation share."""
    share = measure.effect.vegetation_share
    if share is None:
        return 0.0
    area = record.area_m2
    if area <= 0 and record.length_m > 0 and measure.default_width_m is not None:
        area = record.length_m * measure.default_width_m.value
    return area * share.value / 10_000.0


def co_benefit_streams(record: FeatureRecord, measure: Measure, knowledge: BusinessCaseKnowledge,
                       values: CoValues, property_once: float) -> list[Stream]:
    """The co-benefits of one feature: sewer storage spared, fine dust captured, property value."""
    out: list[Stream] = []
    sewer = knowledge.sewer_storage
    if record.storage_m3 > 0 and any(level in sewer.levels for level in measure.levels):
        out.append(Stream("sewer_storage", once=record.storage_m3 * values.sewer_eur_per_m3))
    kg = vegetated_ha(record, measure) * knowledge.fine_dust.kg_per_ha_yr(measure.group)
    if kg > 0:
        out.append(Stream("fine_dust", today=kg * values.fine_dust_eur_per_kg))
    if property_once > 0:
        out.append(Stream("property_value", once=property_once))
    return out


def feature_inputs(effects: EffectsFile, catalogue: MeasureCatalogue, knowledge: BusinessCaseKnowledge,
                   scenario: str, scenario_years: Mapping[str, int | None], values: CoValues,
                   property_once: Mapping[str, float],
                   cost_overrides: Mapping[str, Mapping[Any, float]] | None = None) -> list[FeatureInput]:
    """One :class:`FeatureInput` per feature of ``effects`` for ``scenario`` (mean amounts).

    A theme the scenario lacks (the flood product has today's climate only) keeps today's avoided damage.
    """
    total = effects.total.avoided_ead_eur
    features = effects.features
    weights: dict[str, dict[str, float]] = {}  # theme -> feature -> share (of the scenario, else of today)
    streams: dict[str, list[Stream]] = {f.id: [] for f in features}
    for theme, per_scenario in total.items():
        today = per_scenario.get(CURRENT, {}).get(AMOUNT, 0.0)
        sid = scenario if scenario in per_scenario else CURRENT
        future = per_scenario.get(sid, {}).get(AMOUNT, today)
        weights[theme] = theme_weights(features, theme, sid)
        today_weights = theme_weights(features, theme, CURRENT)
        year = scenario_year(sid, scenario_years) if sid != CURRENT else None
        for f in features:
            w_future, w_today = weights[theme].get(f.id, 0.0), today_weights.get(f.id, 0.0)
            if w_future or w_today:
                streams[f.id].append(Stream(f"{AVOIDED}{theme}", today=today * w_today, future=future * w_future,
                                            future_year=year))
    out = []
    for f in features:
        measure = catalogue.get(f.measure)
        if measure is None:
            raise KeyError(f"measure {f.measure!r} of effects.json is not in the catalogue")
        streams[f.id] += co_benefit_streams(f, measure, knowledge, values, property_once.get(f.id, 0.0))
        out.append(FeatureInput(
            id=f.id, measure=f.measure, lifetime_years=measure.lifetime.years,
            investment_eur=f.investment_eur[AMOUNT], maintenance_eur_per_year=f.maintenance_eur_per_year[AMOUNT],
            cost_shares=knowledge.cost_shares(measure, cost_overrides), streams=tuple(streams[f.id])))
    return out
