"""Drought with measures: groundwater, peat subsidence, foundation risk, crops and wildfire where the measures act.

The drought product's chain (:mod:`alliantie.hazards.drought.chain`) is
element by element on the cells, so the model recomputes it on the cells the
measures cover only, before and after, and moves the product's saved totals by
the difference; the damage then follows from the changed totals with the
damage product's own function (:func:`alliantie.damage.drought.annual_damage`).
A measure changes the chain's inputs on its cells:

1. ``water_level_change_m`` (raised ditch level, weirs, marsh cushions, brook
   restoration, seepage): the groundwater (GLG and GHG, m below surface) rises
   by the change, one to one with the water level (alliantie estimate: the
   ditch or brook level is the drainage base the groundwater follows; in the
   middle of wide peat parcels in a dry summer the GLG rises less, so this is
   an upper bound; the catalogue's own numbers are estimates). The groundwater
   never rises above the surface. Several such measures on one cell: the
   largest change counts.
2. ``recharge_mm_per_yr`` (conifer to broadleaf forest): extra recharge enters
   the chain as a smaller precipitation deficit does, through the same relation
   (:func:`alliantie.hazards.drought.kernels.glg_drop_m`: the share
   ``groundwater_share`` of it fills groundwater storage over the specific yield,
   limited to ``max_glg_drop_m``); measures on one cell add up.
3. ``subsidence_factor`` (submerged and pressure drainage) multiplies the peat
   factor of the cell, so the subsidence rate and the subsidence to the horizon;
   several: the lowest factor counts.
4. ``fire_risk_factor`` (firebreaks, broadleaf forest) multiplies the fuel of the
   cell, so the wildfire susceptibility (only on the strip itself: a fire that
   stops at the break is not modelled); several: the lowest factor counts.

The rest of the chain follows: drought sensitivity of farmland and nature from
the water supply, the subsidence rate and its class, the wildfire class, and the
foundation risk of every building whose point lies on a covered cell. The
damage items are the product's: buildings at foundation risk, drought-sensitive
farmland (weighted by the probability of a dry year), fast-subsiding peat;
nature and wildfire are not monetised (their hectares are indicators).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from alliantie.climate.scenarios import ClimateTable
from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.damage.drought import DroughtDamageFile, annual_damage
from alliantie.damage.npv import EconomicsFile
from alliantie.grid import Grid
from alliantie.hazards.drought import kernels as hz
from alliantie.hazards.drought.chain import (
    USE_FARMLAND,
    USE_NATURE,
    Buildings,
    CellHazard,
    Ground,
    SoilTable,
    building_classes,
    cell_hazard,
)
from alliantie.measures.placement import Placement
from alliantie.measures.theme_model import ThemeOutcome
from alliantie.parameters.drought import DroughtParameters

#: The effect parameters the drought model reads.
PARAMETERS = ("water_level_change_m", "recharge_mm_per_yr", "subsidence_factor", "fire_risk_factor")


@dataclass(frozen=True)
class DroughtScenario:
    """One scenario of the drought product: its design deficit, the deficit's change and the subsidence years."""

    id: str
    design_mm: float
    design_change_mm: float
    years: float


@dataclass
class DroughtModel:
    """The drought chain's inputs on the grid and the product's saved totals, for local recomputation."""

    grid: Grid
    ground: Ground  #: the chain's ground (full grid)
    ghg: np.ndarray | None  #: GHG, m below surface (None: the season depth is the GLG)
    near: np.ndarray  #: nearness weight to buildings (full grid)
    soil: SoilTable
    params: DroughtParameters
    scenarios: list[DroughtScenario]
    buildings: Buildings | None  #: the buildings on the ground (None: none)
    building_cells: np.ndarray  #: flat cell of each building's point (-1 outside the grid)
    peat_cells: int  #: cells of peat in the study area (the product's mean subsidence divides by it)
    summary: ThemeSummary  #: the saved theme.json
    values: list[IndicatorValue]  #: the saved indicators.csv
    knowledge: DroughtDamageFile
    price_year: int
    economics: EconomicsFile
    climate: ClimateTable | None
    theme: str = "drought"
    _base: ThemeOutcome | None = field(default=None, repr=False)

    def _damage(self, values: list[IndicatorValue]) -> dict[str, dict[str, float]]:
        damage = annual_damage(self.summary, values, self.knowledge, price_year=self.price_year,
                               economics=self.economics, climate=self.climate)
        return {sid: {"low": r.low, "mean": r.mean, "high": r.high} for sid, r in damage.annual.items()}

    def outcome(self, placements: Sequence[Placement]) -> ThemeOutcome:
        """EAD and indicators with ``placements``; with none the damage product's numbers exactly."""
        if self._base is None:
            self._base = ThemeOutcome(ead=self._damage(self.values), indicators={})
        acting = [p for p in placements if p.cells.size and any(k in p.params for k in PARAMETERS)]
        if not acting:
            return self._base
        cells, changed = self._changed(acting)
        before = self.ground.at(cells)
        near = self.near.reshape(-1)[cells]
        position = np.full(self.grid.height * self.grid.width, -1, dtype=np.int64)
        position[cells] = np.arange(cells.size)
        which = np.flatnonzero((self.building_cells >= 0) & (position[np.maximum(self.building_cells, 0)] >= 0))
        at = position[self.building_cells[which]]  # the buildings' positions in ``cells``
        deltas: dict[tuple[str, str], float] = {}
        indicators: dict[str, dict[str, float]] = {}
        ha = self.grid.cell_area / 1e4
        for s in self.scenarios:
            args = {"design_mm": s.design_mm, "design_change_mm": s.design_change_mm, "years": s.years, "near": near}
            h0 = cell_hazard(before, self.soil, self.params, **args)
            h1 = cell_hazard(changed, self.soil, self.params, **args)
            c0, c1 = self._counts(before, h0, ha), self._counts(before, h1, ha)
            if self.buildings is not None and which.size:
                b = self.buildings.at(which)
                drop = h0.glg_drop_m[at]
                risk0 = building_classes(b, drop, self.params)
                risk1 = building_classes(replace(b, glg_m=changed.glg[at].astype(np.float64)), drop, self.params)
                for name, cls in (("buildings_foundation_risk", 2), ("buildings_foundation_high", 3)):
                    c0[name], c1[name] = float((risk0 >= cls).sum()), float((risk1 >= cls).sum())
            for name in c0:
                deltas[(s.id, name)] = float(c1[name] - c0[name])
            self._scenario_indicators(indicators, s.id, before, changed, h0, h1)
        values = [replace(v, value=v.value + deltas.get((v.scenario, v.indicator), 0.0)) if v.code == "" else v
                  for v in self.values]
        for v0, v1 in zip(self.values, values, strict=True):
            if v0.code == "" and v0.indicator in TOTALS:
                indicators.setdefault(f"drought_{v0.indicator}_before", {})[v0.scenario] = v0.value
                indicators.setdefault(f"drought_{v0.indicator}_after", {})[v0.scenario] = v1.value
        recharge = sum(p.params.get("recharge_mm_per_yr", 0.0) / 1000.0 * p.area_m2 for p in acting)
        if recharge:
            indicators["drought_recharge_m3_per_yr"] = {s.id: recharge for s in self.scenarios}
        return ThemeOutcome(ead=self._damage(values), indicators=indicators)

    def _changed(self, acting: Sequence[Placement]) -> tuple[np.ndarray, Ground]:
        """The covered cells (flat, sorted) and the ground on them with the measures."""
        cells = np.unique(np.concatenate([p.cells for p in acting]))
        position = np.full(self.grid.height * self.grid.width, -1, dtype=np.int64)
        position[cells] = np.arange(cells.size)
        level = np.zeros(cells.size)
        recharge = np.zeros(cells.size)
        subsidence = np.ones(cells.size)
        fire = np.ones(cells.size)
        for p in acting:
            i = position[p.cells]
            dz = p.params.get("water_level_change_m")
            if dz is not None:
                level[i] = np.where(abs(dz) > np.abs(level[i]), dz, level[i])
            recharge[i] += p.params.get("recharge_mm_per_yr", 0.0)
            subsidence[i] = np.minimum(subsidence[i], p.params.get("subsidence_factor", 1.0))
            fire[i] = np.minimum(fire[i], p.params.get("fire_risk_factor", 1.0))
        g = self.ground.at(cells)
        rise = level - hz.glg_drop_m(-recharge, g.specific_yield, groundwater_share=self.params.groundwater_share,
                                     max_drop_m=self.params.max_glg_drop_m)
        glg = _raised(g.glg, rise)
        season = glg
        if self.ghg is not None:
            ghg = _raised(np.asarray(self.ghg, dtype=np.float32).reshape(-1)[cells], rise)
            season = np.float32(0.5) * (ghg + glg)
        changed = replace(g, glg=glg, season_depth=season.astype(np.float32),
                          peat_factor=(g.peat_factor * subsidence).astype(g.peat_factor.dtype),
                          fuel=g.fuel * fire)
        return cells, changed

    def _counts(self, g: Ground, h: CellHazard, ha: float) -> dict[str, float]:
        """The product's area totals (:mod:`alliantie.method.urgency.drought.indicators`) over the cells."""
        sens2 = (h.sensitivity >= 2) & (h.sensitivity != hz.NODATA)
        limit = self.params.subsidence_limits_mm_per_year[1]
        peat = g.peat_factor > 0  # the product's peat cells (before the measures)
        return {
            "farmland_sensitive_ha": float((sens2 & (g.use == USE_FARMLAND)).sum()) * ha,
            "nature_sensitive_ha": float((sens2 & (g.use == USE_NATURE)).sum()) * ha,
            "wildfire_high_ha": float(((h.wildfire_class == 3) & g.area).sum()) * ha,
            "subsidence_ha": float((g.area & (np.nan_to_num(h.subsidence_rate) > limit)).sum()) * ha,
            "subsidence_mean_cm": float(np.where(peat & g.area, np.nan_to_num(h.subsidence_cm), 0.0).sum())
            / max(self.peat_cells, 1),
        }

    def _scenario_indicators(self, out: dict[str, dict[str, float]], sid: str, before: Ground, changed: Ground,
                             h0: CellHazard, h1: CellHazard) -> None:
        peat = (before.peat_factor > 0) & before.area
        r0, r1 = np.nan_to_num(h0.subsidence_rate[peat]), np.nan_to_num(h1.subsidence_rate[peat])
        if peat.any():
            out.setdefault("drought_subsidence_mm_per_yr_before", {})[sid] = float(r0.mean())
            out.setdefault("drought_subsidence_mm_per_yr_after", {})[sid] = float(r1.mean())
            out.setdefault("drought_subsidence_avoided_m3_per_yr", {})[sid] = float(
                (r0 - r1).sum() / 1000.0 * self.grid.cell_area)
        rise = before.glg - changed.glg
        if np.isfinite(rise).any():
            out.setdefault("drought_groundwater_rise_m", {})[sid] = float(np.nanmean(rise))


#: The product's totals reported before and after (``drought_<name>_before`` / ``_after``).
TOTALS = ("buildings_foundation_risk", "buildings_foundation_high", "farmland_sensitive_ha", "nature_sensitive_ha",
          "wildfire_high_ha", "subsidence_ha", "subsidence_mean_cm")


def _raised(depth: np.ndarray, rise: np.ndarray) -> np.ndarray:
    """Groundwater depth (m below surface, float32) raised by ``rise`` m, never above the surface (NaN stays)."""
    d = np.asarray(depth, dtype=np.float32)
    with np.errstate(invalid="ignore"):
        raised = np.where(d > 0, np.maximum(d - rise.astype(np.float32), np.float32(0.0)), d)
    return raised.astype(np.float32)
