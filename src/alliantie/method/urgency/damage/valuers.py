"""One valuer per climate-effect theme: the saved theme product (or None) and the inputs -> a :class:`ThemeResult`.

* pluvial flooding: every case (design storm x scenario) of ``urgency.pluvial`` with the
  WaterSchadeSchatter, the EAD over the event series per scenario and rule, today's EAD
  per cell, the stress-test storm of today as an incident;
* flooding: the breach of every scenario of ``urgency.flood`` as an incident
  (buildings, business interruption, land use), annual with the user's breach
  probability; its victims' value as a separate line (:mod:`.breach`);
* heat and drought: :func:`alliantie.damage.heat.annual_damage` /
  :func:`alliantie.damage.drought.annual_damage` on the theme's indicators; heat
  also the value-of-a-statistical-life line, a sensitivity kept apart from the range.

:data:`VALUERS` is the registry the product walks in report order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from alliantie.contract.damage import ValuationStatus
from alliantie.contract.names import Theme
from alliantie.contract.pluvial_depths import DURATIONS_FILE, read_case_depths
from alliantie.contract.summaries import FloodSummary, PluvialCase, PluvialSummary, read_summary
from alliantie.contract.theme import IndicatorValue, ThemeSummary, read_theme
from alliantie.damage import drought as drought_damage
from alliantie.damage import flood as flood_damage
from alliantie.damage import heat as heat_damage
from alliantie.damage import pluvial as pluvial_damage
from alliantie.damage.amounts import DamageRange, ThemeDamage
from alliantie.damage.buildings import cell_damage
from alliantie.damage.depth_damage import Coefficients
from alliantie.damage.pluvial import CaseDamage, PluvialDamage
from alliantie.damage.risk import ead_weights
from alliantie.hazards.bluespots import footprint_ground
from alliantie.i18n import translate
from alliantie.io.raster import read_raster
from alliantie.method.urgency.damage import breach
from alliantie.method.urgency.damage.inputs import DamageInputs
from alliantie.method.urgency.damage.present_value import CURRENT, NO_RULE, AnnualTable, ThemeNpv
from alliantie.method.urgency.damage.wording import scenario_label


@dataclass
class ThemeResult:
    """One theme: its damage (None when not valued), status, per-rule EAD and the NPV."""

    theme: Theme
    status: ValuationStatus
    damage: ThemeDamage | None = None
    annual: AnnualTable = field(default_factory=dict)  #: scenario -> rule -> amount
    npv: ThemeNpv | None = None
    #: pluvial flooding only: every case, the EAD under each rule
    pluvial: PluvialDamage | None = None
    #: pluvial flooding only: today's EAD per cell, EUR/ha/year (NaN outside the area)
    ead_map: np.ndarray | None = None
    #: sensitivity lines kept apart from the range: id -> scenario -> EUR/year (heat: deaths valued at the VSL)
    sensitivity: dict[str, dict[str, DamageRange]] = field(default_factory=dict)


#: A theme's valuer: the folder of the saved theme product (None when not computed) and the inputs.
Valuer = Callable[[Path | None, DamageInputs], ThemeResult]


def annual_table(damage: ThemeDamage) -> AnnualTable:
    """scenario -> rule -> amount -> EUR/year of a theme without integration rules."""
    return {sid: {NO_RULE: {"low": r.low, "mean": r.mean, "high": r.high}} for sid, r in damage.annual.items()}


def _read(path: Path, inputs: DamageInputs) -> np.ndarray:
    return np.asarray(read_raster(path, grid=inputs.grid, label=path.name).array, dtype=np.float32)


# --------------------------------------------------------------------------- pluvial flooding


def pluvial_damage_of(folder: Path | None, inputs: DamageInputs) -> tuple[PluvialDamage, np.ndarray | None]:
    """Damage per case of the saved pluvial product, the EAD per scenario, and today's EAD raster (EUR/ha/year).

    The EAD integrates the design storms of the event series (``kind`` series, each
    with its return period) per scenario; the stress-test events (today only) give
    the incident. Depths come from ``case_depths.npz`` (every case), or from the
    case's GeoTIFF in files of earlier editions. With the 2-D engine the product also
    wrote ``case_durations.npz``: the land use then takes each cell's duration.
    """
    grid, buildings, params = inputs.grid, inputs.buildings, inputs.params
    coef = inputs.coefficients
    summary = None if folder is None else read_summary(folder, PluvialSummary)
    saved = summary.cases if summary is not None else []
    depths = None if folder is None else read_case_depths(folder)
    durations = None if folder is None else read_case_depths(folder, DURATIONS_FILE)
    # the 2-D engine wrote durations: its water moves, so buildings take the facade-depth rule
    lowest = footprint_ground(buildings.ids, buildings.count, inputs.ground) if durations is not None else None
    legacy_rp = inputs.knowledge.rain_events.return_periods

    def return_period(c: PluvialCase) -> float | None:
        if c.kind == "series":
            return c.return_period_years
        if depths is None:  # an earlier edition: the stress events were the series
            return legacy_rp.get(c.event)
        return None

    cases: list[CaseDamage] = []
    incidents: list[CaseDamage] = []
    ead_map: np.ndarray | None = None
    today = [(c, rp) for c in saved if c.scenario == CURRENT and (rp := return_period(c)) is not None]
    weights: dict[str, float] = {}
    if today:
        w = ead_weights([rp for _c, rp in today], params.rule)
        weights = {c.id: float(x) for (c, _rp), x in zip(today, w, strict=True)}
    for c in saved:
        rp = return_period(c)
        is_incident = c.scenario == CURRENT and c.event == params.incident_event
        if c.scenario not in inputs.scenarios or (rp is None and not is_incident):
            continue
        assert folder is not None
        depth = depths[c.id] if depths is not None else _read(folder / f"depth_{c.id}.tif", inputs)
        hours = durations[c.id] if durations is not None and c.id in durations else None
        timed = coef.land_by_duration if hours is not None else None
        above = None
        if buildings.count and lowest is not None:  # water in motion: the facade depth over the threshold height
            above = pluvial_damage.above_floor_by_depth(depth, buildings.ring, lowest, buildings.floor_level_m)
        elif buildings.count:
            above = pluvial_damage.above_floor(depth, inputs.ground, buildings.ring, buildings.floor_level_m)
        case = pluvial_damage.case_damage(
            c.event, c.scenario, rp if rp is not None else 0.0, depth, inputs.landuse, coef.land, grid.cell_area,
            water_above_floor=above, building_class=buildings.wss_class, floor_area_m2=buildings.floor_area_m2,
            building_coef=coef.building, area=inputs.area, hours=hours, land_by_duration=timed)
        if is_incident:
            incidents.append(case)
        if rp is None:
            continue
        cases.append(case)
        if c.id in weights:
            per_cell = cell_damage(depth, inputs.landuse, coef.land["mean"], grid.cell_area, inputs.area, buildings,
                                   above, coef.building["mean"], hours=hours,
                                   land_by_duration=None if timed is None else timed["mean"])
            ead_map = per_cell * weights[c.id] if ead_map is None else ead_map + per_cell * weights[c.id]
    result = pluvial_damage.annual_damage(
        cases, price_year=params.price_year, sources=coef.sources, rule=params.rule,
        incident_event=params.incident_event, event_labels=inputs.knowledge.rain_events.labels,
        scenarios=inputs.scenarios, incident_cases=incidents)
    basis = "damage_product.basis.pluvial" if durations is None else "damage_product.basis.pluvial_overland"
    result.theme.basis_nl = translate(basis, "nl")
    result.theme.basis_en = translate(basis, "en")
    if ead_map is not None:
        ead_map = np.where(inputs.area, ead_map / grid.cell_area * 1.0e4, np.nan).astype(np.float32)
    return result, ead_map


def value_pluvial(folder: Path | None, inputs: DamageInputs) -> ThemeResult:
    """Pluvial flooding: valued when any scenario has an EAD."""
    pluvial, ead_map = pluvial_damage_of(folder, inputs)
    status = ValuationStatus.VALUED if pluvial.theme.annual else ValuationStatus.NO_DATA
    return ThemeResult("pluvial", status, pluvial.theme, pluvial.ead, pluvial=pluvial, ead_map=ead_map)


# --------------------------------------------------------------------------- flooding (dike breach)


@dataclass(frozen=True)
class BreachWater:
    """The water of one scenario's breach as the valuer reads it."""

    scenario: str
    depth: np.ndarray  #: m on the land (NaN on building footprints: buildings count as objects)
    above_floor: np.ndarray | None  #: water above floor level per building, m (NaN dry); None without buildings


def breach_water(folder: Path | None, inputs: DamageInputs) -> list[BreachWater]:
    """The breach water of every scenario of the saved flood product (``depth_<scenario>.tif``)."""
    summary = None if folder is None else read_summary(folder, FloodSummary)
    buildings = inputs.buildings
    out: list[BreachWater] = []
    if folder is None or summary is None or not summary.has_flood:
        return out
    for c in summary.cases:
        sid = c.scenario
        path = folder / f"depth_{sid}.tif"
        if sid not in inputs.scenarios or not path.exists():
            continue
        depth = _read(path, inputs)
        above = None
        if buildings.count:
            above = flood_damage.water_above_floor(depth, inputs.ground, buildings.ids, buildings.count,
                                                   buildings.floor_level_m)
            depth = np.where(buildings.ids > 0, np.float32(np.nan), depth)  # buildings count as objects
        out.append(BreachWater(sid, depth, above))
    return out


def breach_damage(water: BreachWater, inputs: DamageInputs,
                  interruption: Mapping[str, Coefficients] | None) -> CaseDamage:
    """The damage of one breach: land use with the WSS table, buildings with the breach curves."""
    buildings, coef = inputs.buildings, inputs.coefficients
    return flood_damage.breach_case(
        water.scenario, water.depth, inputs.landuse, coef.breach_land, inputs.grid.cell_area,
        above_floor=water.above_floor, wss_class=buildings.wss_class, area_m2=buildings.floor_area_m2,
        curves=inputs.knowledge.flood_curves, price_factor=coef.curve_factor, area=inputs.area,
        interruption=interruption)


def flood_damage_of(folder: Path | None, inputs: DamageInputs) -> ThemeDamage:
    """The breach of every scenario of the saved flood product as an incident; annual with a probability.

    Land use with the WSS table (the breach coefficients), buildings with the breach
    curves (:class:`alliantie.damage.flood.FloodCurves`, amounts price-indexed).
    """
    params, scenarios = inputs.params, inputs.scenarios
    coef, curves = inputs.coefficients, inputs.knowledge.flood_curves
    interruption = breach.interruption_coefficients(inputs.knowledge, params)
    breaches = [breach_damage(water, inputs, interruption) for water in breach_water(folder, inputs)]
    labels = {sid: (translate("damage_product.incident.breach", "nl", scenario=scenario_label(sid, "nl")),
                    translate("damage_product.incident.breach", "en", scenario=scenario_label(sid, "en")))
              for sid in scenarios}
    victims = {} if folder is None else breach.breach_victims(
        folder, tuple(b.scenario for b in breaches), inputs.knowledge, params)
    people = curves.people
    sources = tuple(dict.fromkeys(
        (curves.source, *coef.sources,
         *(t.source for t in (people.business_interruption, people.mortality, people.victim_value) if t))))
    theme = flood_damage.annual_damage(breaches, price_year=params.price_year,
                                       probability_per_year=params.breach_probability_per_year, scenarios=scenarios,
                                       sources=sources, labels=labels,
                                       victim_lines=breach.victim_lines(victims, inputs.knowledge, params))
    theme.basis_nl = breach.basis("nl", inputs.knowledge, params, victims)
    theme.basis_en = breach.basis("en", inputs.knowledge, params, victims)
    return theme


def value_flood(folder: Path | None, inputs: DamageInputs) -> ThemeResult:
    """Flooding: valued with a breach probability, only incidents without one, no data without a breach."""
    flood = flood_damage_of(folder, inputs)
    if flood.annual:
        status = ValuationStatus.VALUED
    elif flood.incidents:
        status = ValuationStatus.NO_PROBABILITY
    else:
        status = ValuationStatus.NO_DATA
    return ThemeResult("flood", status, flood, annual_table(flood))


# --------------------------------------------------------------------------- heat and drought

#: ``(summary, values) -> ThemeDamage``: a theme's damage from its saved indicators
IndicatorDamage = Callable[[ThemeSummary, list[IndicatorValue]], ThemeDamage]


def _indicator_damage(theme: Theme, annual_damage: IndicatorDamage, folder: Path | None) -> ThemeResult:
    """A theme valued from its saved indicators; no data without the product, not valued without a function."""
    saved = None if folder is None else read_theme(folder)
    if saved is None:
        return ThemeResult(theme, ValuationStatus.NO_DATA)
    summary, values = saved
    try:
        damage = annual_damage(summary, values)
    except NotImplementedError:
        return ThemeResult(theme, ValuationStatus.NOT_VALUED)
    if not damage.annual:
        return ThemeResult(theme, ValuationStatus.NO_DATA, damage, annual_table(damage))
    return ThemeResult(theme, ValuationStatus.VALUED, damage, annual_table(damage))


#: Id of the heat sensitivity line: the excess deaths valued at the value of a statistical life.
HEAT_VSL = "heat_vsl"


def value_heat(folder: Path | None, inputs: DamageInputs) -> ThemeResult:
    """Heat: excess mortality and lost labour productivity (:mod:`alliantie.damage.heat`), and the VSL line.

    The value-of-a-statistical-life line (:data:`HEAT_VSL`) is a sensitivity in
    :attr:`ThemeResult.sensitivity`: it never enters the annual table, the NPV or the range.
    """
    knowledge = inputs.knowledge
    saved: list[tuple[ThemeSummary, list[IndicatorValue]]] = []

    def damage(summary: ThemeSummary, values: list[IndicatorValue]) -> ThemeDamage:
        saved.append((summary, values))
        return heat_damage.annual_damage(summary, values, knowledge.heat, price_year=inputs.params.price_year,
                                         economics=knowledge.economics, climate=knowledge.climate)

    result = _indicator_damage("heat", damage, folder)
    if saved and result.status == ValuationStatus.VALUED:
        summary, values = saved[0]
        vsl = heat_damage.statistical_life_sensitivity(
            summary, values, knowledge.heat, price_year=inputs.params.price_year, economics=knowledge.economics,
            climate=knowledge.climate)
        if vsl:
            result.sensitivity[HEAT_VSL] = vsl
    return result


def value_drought(folder: Path | None, inputs: DamageInputs) -> ThemeResult:
    """Drought: foundations, crops weighted by the probability of a dry year, subsidence; optional product."""

    def damage(summary: ThemeSummary, values: list[IndicatorValue]) -> ThemeDamage:
        knowledge = inputs.knowledge
        return drought_damage.annual_damage(summary, values, knowledge.drought, price_year=inputs.params.price_year,
                                            economics=knowledge.economics, climate=knowledge.climate)

    return _indicator_damage("drought", damage, folder)


#: The valuer of each theme, in report order.
VALUERS: dict[Theme, Valuer] = {
    "flood": value_flood,
    "pluvial": value_pluvial,
    "drought": value_drought,
    "heat": value_heat,
}
