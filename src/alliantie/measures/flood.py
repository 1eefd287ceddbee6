"""Flood safety (dike breach) with measures: the breach probability after dike works, dry floors after floodproofing.

The damage product values the breach of each scenario as an incident (land use
with the WaterSchadeSchatter, buildings with the JRC curves and business
interruption, :func:`alliantie.damage.flood.breach_case`) and its annual damage
as the incident times the user's breach probability per year
(:func:`alliantie.damage.flood.annual_damage`). The model keeps both and changes
only what the measures touch:

1. **Dike works**: a line measure with ``breach_probability_factor`` (dike
   reinforcement) multiplies the breach probability when it covers the modelled
   breach: the breach point (``[parameters.flood] breach_x, breach_y``) lies
   within half the measure's width (``width_m``, the drawn dike's footprint) of
   the line. Several such lines over one breach: the lowest factor counts (a
   section reinforced twice is not twice as safe). A flood from a given depth
   map (no breach point) is matched by no line: the dike works then change nothing.
2. **Floodproofing**: ``floor_raise_m`` and ``protects_up_to_m`` on buildings
   (:mod:`alliantie.measures.floodproof`, the rule of the pluvial engine) lower
   the water above the floor of the touched buildings while the water at the
   facade stays within the limit; their direct damage and business interruption
   are recomputed with the same functions. Land-use damage stays. The victims
   (Jonkman's mortality of the depth at the building) are not changed by
   floodproofing: the people around a sealed house stand in the same water; they
   fall with the breach probability only.

Without a breach probability the theme has no annual damage: the EAD is 0
before and after, and the incident before and after is reported as an indicator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely

from alliantie.damage.depth_damage import AMOUNTS, Coefficients
from alliantie.damage.flood import FloodCurves, Victims, annual_damage, building_damage, business_interruption
from alliantie.damage.pluvial import CaseDamage
from alliantie.measures.floodproof import floor_raise, protected
from alliantie.measures.placement import Placement
from alliantie.measures.theme_model import ThemeOutcome


@dataclass
class FloodBreach:
    """One scenario's breach as the damage product valued it."""

    case: CaseDamage  #: the incident (land use, buildings with business interruption)
    above_floor: np.ndarray  #: water above the floor per building, m (NaN dry)
    victims: Victims | None = None  #: expected deaths of the breach (None: not computed)


@dataclass
class FloodModel:
    """The breach of every scenario and what its building damage is made of."""

    breaches: list[FloodBreach]
    scenarios: tuple[str, ...]
    price_year: int
    probability_per_year: float | None  #: the user's breach probability (None: no annual damage)
    breach_xy: tuple[float, float] | None  #: the modelled breach point (None: a given depth map)
    wss_class: np.ndarray  #: per building
    floor_area_m2: np.ndarray
    floor_level_m: np.ndarray  #: m NAP
    facade_ground_m: np.ndarray  #: lowest ground around each building, m NAP
    curves: FloodCurves
    curve_factor: float  #: price index of the curves' amounts
    interruption: Mapping[str, Coefficients] | None
    theme: str = "flood"
    _base: ThemeOutcome | None = field(default=None, repr=False)

    def breach_factor(self, placements: Sequence[Placement]) -> float:
        """The factor on the breach probability of the dike works that cover the breach point (1 without)."""
        if self.breach_xy is None:
            return 1.0
        point = shapely.Point(*self.breach_xy)
        factors = [p.params["breach_probability_factor"] for p in placements
                   if "breach_probability_factor" in p.params and covers(p, point)]
        return min(factors, default=1.0)

    def _case(self, breach: FloodBreach, above: np.ndarray) -> CaseDamage:
        """The breach's damage with the buildings' water ``above`` (the land-use damage stays)."""
        base = breach.case
        direct = float(building_damage(above, self.wss_class, self.floor_area_m2, self.curves,
                                       self.curve_factor).sum())
        indirect = dict.fromkeys(base.land, 0.0)
        if self.interruption is not None:
            indirect.update(business_interruption(above, self.wss_class, self.floor_area_m2, self.interruption))
        wet = int((np.isfinite(above) & (above > 0)).sum())
        return CaseDamage(event=base.event, scenario=base.scenario, return_period=base.return_period,
                          land=base.land, buildings={a: direct + indirect.get(a, 0.0) for a in base.land},
                          buildings_above_floor=wet)

    def outcome(self, placements: Sequence[Placement]) -> ThemeOutcome:
        """EAD and indicators with ``placements``; with none the damage product's numbers exactly."""
        if not placements and self._base is not None:
            return self._base
        factor = self.breach_factor(placements)
        raising = floor_raise(len(self.wss_class), placements)
        cases: list[CaseDamage] = []
        aboves: list[np.ndarray] = []
        for b in self.breaches:
            above = b.above_floor
            if raising is not None and above.size:
                above = protected(above, self.floor_level_m, self.facade_ground_m, *raising)
            aboves.append(above)
            cases.append(b.case if raising is None else self._case(b, above))
        p = self.probability_per_year
        theme = annual_damage(cases, price_year=self.price_year,
                              probability_per_year=None if p is None else p * factor, scenarios=self.scenarios)
        ead = {c.scenario: {str(a): 0.0 for a in AMOUNTS} for c in cases}
        for sid, r in theme.annual.items():
            ead[sid] = {"low": r.low, "mean": r.mean, "high": r.high}
        outcome = ThemeOutcome(ead=ead, indicators=self._indicators(cases, aboves, factor))
        if not placements:
            self._base = outcome
        return outcome

    def _indicators(self, cases: Sequence[CaseDamage], aboves: Sequence[np.ndarray],
                    factor: float) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {name: {} for name in INDICATORS}
        p = self.probability_per_year
        for b, case, above in zip(self.breaches, cases, aboves, strict=True):
            sid = case.scenario
            before_wet = np.isfinite(b.above_floor) & (b.above_floor > 0)
            after_wet = np.isfinite(above) & (above > 0)
            out["flood_buildings_above_floor_before"][sid] = float(before_wet.sum())
            out["flood_buildings_above_floor_after"][sid] = float(after_wet.sum())
            out["flood_buildings_kept_dry"][sid] = float((before_wet & ~after_wet).sum())
            out["flood_incident_before_eur"][sid] = b.case.total("mean")
            out["flood_incident_after_eur"][sid] = case.total("mean")
            if p is not None:
                out["flood_breach_probability_before"][sid] = p
                out["flood_breach_probability_after"][sid] = p * factor
                if b.victims is not None:
                    out["flood_victims_per_year_before"][sid] = b.victims.victims * p
                    out["flood_victims_per_year_after"][sid] = b.victims.victims * p * factor
        return {name: values for name, values in out.items() if values}


#: The indicators of :meth:`FloodModel.outcome` (name -> scenario -> value).
INDICATORS = ("flood_buildings_above_floor_before", "flood_buildings_above_floor_after", "flood_buildings_kept_dry",
              "flood_incident_before_eur", "flood_incident_after_eur", "flood_breach_probability_before",
              "flood_breach_probability_after", "flood_victims_per_year_before", "flood_victims_per_year_after")


def covers(placement: Placement, point: shapely.Point) -> bool:
    """Whether a line measure covers ``point``: within half its width of the line (a point or polygon: inside)."""
    geometry = placement.feature.geometry
    reach = (placement.feature.width_m or 0.0) / 2.0
    return bool(shapely.distance(geometry, point) <= reach)
