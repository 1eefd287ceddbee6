"""The effects as the typed ``effects.json`` (:mod:`alliantie.contract.effects`)."""

from __future__ import annotations

import numpy as np

from alliantie.contract.effects import EffectsFile, FeatureRecord, Name, OverlandRecord, Totals
from alliantie.knowledge.measures import THEMES
from alliantie.measures.baseline import Baseline
from alliantie.measures.evaluate import Effects, FeatureEffect, ThemeEffect
from alliantie.measures.overland import OverlandEffect

LEVELS = ("low", "mean", "high")


def _r(value: float) -> float:
    return round(float(value), 2)


def _levels(values: dict[str, float]) -> dict[str, float]:
    return {a: _r(values[a]) for a in LEVELS}


def _avoided(effect: ThemeEffect) -> dict[str, dict[str, float]]:
    return {sid: {a: _r(effect.avoided(sid, a)) for a in LEVELS} for sid in effect.before if sid in effect.after}


def _feature(f: FeatureEffect) -> FeatureRecord:
    p = f.placement
    m = p.feature.measure
    ind = f.indicators
    return FeatureRecord(
        id=p.feature.id, measure=m.id, name=Name(nl=m.name.nl, en=m.name.en), label=p.feature.label,
        themes=list(m.themes), geometry=m.geometry, area_m2=_r(p.area_m2), length_m=_r(p.length_m),
        count=_r(p.count), cells=int(p.cells.size), quantity=_r(f.cost.quantity), unit=f.cost.unit,
        storage_m3=_r(f.capacity_m3),
        stored_m3={k: _r(v) for k, v in (ind.stored_m3 if ind else {}).items()},
        buildings_kept_dry=dict(ind.kept_dry) if ind else {},
        avoided_ead_eur={t: {sid: _r(e.avoided(sid)) for sid in e.before if sid in e.after}
                         for t, e in f.themes.items()},
        avoided_pv_eur={t: {k: _r(v) for k, v in e.avoided_pv.items()} for t, e in f.themes.items()},
        investment_eur=_levels(f.cost.investment), maintenance_eur_per_year=_levels(f.cost.maintenance_per_year),
        cost_pv_eur=_levels(f.cost.present_value), overridden=list(p.feature.overridden),
        not_modelled=Name(nl=m.effect.not_modelled.nl, en=m.effect.not_modelled.en) if m.effect.not_modelled else None,
    )


def overland_record(effect: OverlandEffect, buffer_m: float) -> OverlandRecord:
    """The dynamic check as the file model."""
    change = np.nan_to_num(effect.depth_after, nan=0.0) - np.nan_to_num(effect.depth_before, nan=0.0)
    ead = effect.ead()
    main = effect.main
    facade_before = main.facade_before if main is not None else None
    facade_after = main.facade_after if main is not None else None
    return OverlandRecord(
        storm=effect.storm, windows=len(effect.windows), window_cells=effect.cells, buffer_m=buffer_m,
        buildings_counted=int(effect.counted.sum()),
        buildings_above_floor_before=int(effect.above_before.sum()),
        buildings_above_floor_after=int(effect.above_after.sum()), buildings_kept_dry=effect.kept_dry,
        buildings_newly_wet=effect.newly_wet, stored_m3=_r(effect.stored_m3),
        depth_drop_max_m=round(float(max(-change.min(), 0.0)) if change.size else 0.0, 3),
        depth_rise_max_m=round(float(max(change.max(), 0.0)) if change.size else 0.0, 3),
        seconds=round(effect.seconds, 1), upstream_inflow_m3=_r(effect.inflow_m3),
        return_periods=effect.return_periods, ead_before_eur=None if ead is None else _r(ead[0]),
        ead_after_eur=None if ead is None else _r(ead[1]),
        avoided_ead_eur=None if ead is None else _r(ead[0] - ead[1]),
        buildings_wet_facade_before=0 if facade_before is None else int(facade_before.sum()),
        buildings_wet_facade_after=0 if facade_after is None else int(facade_after.sum()),
        roads_impassable_before_m=_r(main.roads_impassable_before_m) if main is not None else 0.0,
        roads_impassable_after_m=_r(main.roads_impassable_after_m) if main is not None else 0.0,
        damage_before_eur=_r(main.damage_before["mean"]) if main is not None else None,
        damage_after_eur=_r(main.damage_after["mean"]) if main is not None else None)


def effects_file(effects: Effects, baseline: Baseline, sketch: str) -> EffectsFile:
    """``effects`` of the sketch named ``sketch`` on ``baseline`` as the file model."""
    ind = effects.indicators
    maintenance = {a: sum(f.cost.maintenance_per_year[a] for f in effects.features) for a in LEVELS}
    totals = Totals(
        storage_m3=_r(ind.storage_m3), stored_m3={k: _r(v) for k, v in ind.stored_m3.items()},
        buildings_above_floor_before=dict(ind.above_floor_before),
        buildings_above_floor_after=dict(ind.above_floor_after),
        buildings_kept_dry=dict(ind.kept_dry), buildings_newly_wet=dict(ind.newly_wet),
        buildings_wet_facade_before=dict(ind.facade_wet_before), buildings_wet_facade_after=dict(ind.facade_wet_after),
        roads_flooded_before_m={k: _r(v) for k, v in ind.roads_flooded_before_m.items()},
        roads_flooded_after_m={k: _r(v) for k, v in ind.roads_flooded_after_m.items()},
        residents_cooled={k: round(v) for k, v in ind.extra["residents_cooled"].items()}
        if "residents_cooled" in ind.extra else None,
        indicators={name: {k: _r(v) for k, v in per.items()} for name, per in sorted(ind.extra.items())},
        ead_before_eur={t: {s: _levels(v) for s, v in e.before.items()} for t, e in effects.themes.items()},
        ead_after_eur={t: {s: _levels(v) for s, v in e.after.items()} for t, e in effects.themes.items()},
        avoided_ead_eur={t: _avoided(e) for t, e in effects.themes.items()},
        avoided_pv_eur={t: {k: _r(v) for k, v in e.avoided_pv.items()} for t, e in effects.themes.items()},
        investment_eur=_levels(effects.investment), maintenance_eur_per_year=_levels(maintenance),
        cost_pv_eur=_levels(effects.cost_pv),
    )
    a = baseline.appraisal
    return EffectsFile(
        sketch=sketch, level=effects.level, approximate=effects.approximate,
        pluvial_product_engine=effects.pluvial_product_engine,
        price_year=a.price_year, start_year=a.start_year, horizon_year=a.horizon_year,
        discount_rate=a.rate, scenarios=list(baseline.scenarios), map_storm=dict(effects.map_storm),
        themes_evaluated=list(effects.evaluated),
        themes_not_evaluated=[t for t in THEMES if t not in effects.evaluated], total=totals,
        features=[_feature(f) for f in effects.features],
        seconds={k: round(v, 3) for k, v in effects.seconds.items()},
    )
