"""Typed ``effects.json`` of ``alliantie evaluate`` (and of the web workshop's indicators): what a sketch does.

Per sketch feature (evaluated alone against the baseline) and in total (all
features together): storage, buildings kept dry by the map storm of each
scenario, residents cooled (None while the heat effect is not computed),
expected annual damage before and after and the avoided part per theme and
scenario (EUR per year, amount levels low/mean/high), its present value over
the appraisal period, and the cost (investment, maintenance, present value).
Amounts in euro at ``price_year``; present values discounted to ``start_year``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from alliantie.io.atomic import atomic_file

EFFECTS_FILE = "effects.json"

#: amount level -> EUR
Levels = dict[str, float]
#: scenario id -> value
PerScenario = dict[str, float]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Name(_Model):
    nl: str
    en: str


class Totals(_Model):
    storage_m3: float  #: storage capacity of the measures (m³)
    stored_m3: PerScenario  #: water the measures store in the map storm (m³)
    buildings_above_floor_before: dict[str, int]
    buildings_above_floor_after: dict[str, int]
    buildings_kept_dry: dict[str, int]
    buildings_newly_wet: dict[str, int]
    buildings_wet_facade_before: dict[str, int]  #: water against the facade in the map storm
    buildings_wet_facade_after: dict[str, int]
    roads_flooded_before_m: dict[str, float]  #: road impassable for cars (>= 0.10 m) in the map storm, m
    roads_flooded_after_m: dict[str, float]
    residents_cooled: dict[str, int] | None  #: scenario -> residents cooled; None: the heat effect is not computed
    #: the other themes' indicators (drought_*, flood_*, heat_*): name -> scenario -> value
    indicators: dict[str, dict[str, float]]
    ead_before_eur: dict[str, dict[str, Levels]]  #: theme -> scenario -> amount level -> EUR/year
    ead_after_eur: dict[str, dict[str, Levels]]
    avoided_ead_eur: dict[str, dict[str, Levels]]
    avoided_pv_eur: dict[str, PerScenario]  #: theme -> scenario -> EUR (mean amount)
    investment_eur: Levels
    maintenance_eur_per_year: Levels
    cost_pv_eur: Levels


class FeatureRecord(_Model):
    id: str
    measure: str
    name: Name
    label: str
    themes: list[str]
    geometry: str
    area_m2: float
    length_m: float
    count: float
    cells: int
    quantity: float
    unit: str
    storage_m3: float
    stored_m3: PerScenario
    buildings_kept_dry: dict[str, int]
    avoided_ead_eur: dict[str, PerScenario]  #: theme -> scenario -> EUR/year (mean amount), the feature alone
    avoided_pv_eur: dict[str, PerScenario]
    investment_eur: Levels
    maintenance_eur_per_year: Levels
    cost_pv_eur: Levels
    overridden: list[str]
    not_modelled: Name | None


class OverlandRecord(_Model):
    """The dynamic check: the map storm of today through the 2-D engine, without and with the measures."""

    storm: str
    windows: int  #: windows around clusters of measures, each run on its own
    window_cells: int
    buffer_m: float
    buildings_counted: int  #: buildings whose facade ring lies inside the window
    buildings_above_floor_before: int
    buildings_above_floor_after: int
    buildings_kept_dry: int
    buildings_newly_wet: int
    stored_m3: float
    depth_drop_max_m: float  #: the largest fall of the largest depth in a cell
    depth_rise_max_m: float  #: the largest rise (dynamics can move water a little)
    seconds: float
    #: water that came in over the windows' edges from upstream in the map storm (m³; the screening's routing)
    upstream_inflow_m3: float = 0.0
    #: the storms run (``--overland-storms``); with two or more, the dynamic estimate of the EAD in the windows
    return_periods: list[float] = []
    ead_before_eur: float | None = None  #: EUR/year, mean amount, inside the windows, over ``return_periods``
    ead_after_eur: float | None = None
    avoided_ead_eur: float | None = None  #: the dynamic estimate of the avoided pluvial EAD (EUR/year, mean)
    #: the map storm, counted as the damage product counts the 2-D water: buildings with water at the facade,
    buildings_wet_facade_before: int = 0
    buildings_wet_facade_after: int = 0
    #: road length in the windows impassable by depth and duration (m),
    roads_impassable_before_m: float = 0.0
    roads_impassable_after_m: float = 0.0
    #: and its damage inside the windows (EUR, mean amount)
    damage_before_eur: float | None = None
    damage_after_eur: float | None = None


class EffectsFile(_Model):
    sketch: str
    level: str  #: "full" or "fast"
    approximate: bool  #: the fast level counted terrain changes as storage
    price_year: int
    start_year: int
    horizon_year: int
    discount_rate: float
    scenarios: list[str]
    map_storm: dict[str, str]  #: scenario -> storm id of the indicators
    themes_evaluated: list[str]
    themes_not_evaluated: list[str]
    total: Totals
    features: list[FeatureRecord]
    seconds: dict[str, float]
    #: the dynamic check (``alliantie evaluate --overland``); None when not run
    overland: OverlandRecord | None = None
    #: the engine the saved pluvial product ran (``[parameters.pluvial] engine``). "overland": the pluvial numbers
    #: of ``total`` and ``features`` are the screening's (fill-spill-merge and the level rule, before and after),
    #: not the product's 2-D damage; ``overland`` (the dynamic check) values with the product's 2-D rule
    pluvial_product_engine: Literal["screening", "overland"] = "screening"


def write_effects(folder: Path, effects: EffectsFile) -> Path:
    """Write ``effects.json`` into ``folder`` (atomically)."""
    target = Path(folder) / EFFECTS_FILE
    with atomic_file(target) as tmp:
        tmp.write_text(effects.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return target


def read_effects(folder: Path) -> EffectsFile:
    """The ``effects.json`` of ``folder``."""
    return EffectsFile.model_validate_json((Path(folder) / EFFECTS_FILE).read_text(encoding="utf-8"))
