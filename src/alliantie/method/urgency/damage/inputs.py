"""What every theme's valuer reads, built once: :class:`DamageInputs`.

The knowledge, the three coefficient sets of the WaterSchadeSchatter (land use,
buildings, land use after a breach; each per amount level low/mean/high), the
grid with land use, ground level and study area, the buildings on the grid, the
parameters and the dossier's climate scenarios and rain events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from alliantie.climate import dossier_scenarios
from alliantie.damage.buildings import Buildings
from alliantie.damage.depth_damage import (
    AMOUNTS,
    Coefficients,
    DamageSettings,
    DamageTable,
    building_classes,
    class_map,
    coefficients,
    default_settings,
)
from alliantie.damage.npv import price_index_factor
from alliantie.damage.pluvial import DurationCoefficients, facade_ring
from alliantie.dossier.registry import ProductContext
from alliantie.errors import ConfigError
from alliantie.grid import Grid
from alliantie.hazards.bluespots import building_ids, floor_levels
from alliantie.method.urgency.damage.knowledge import DamageKnowledge, load_damage_knowledge
from alliantie.parameters.damage import DamageParameters
from alliantie.parameters.pluvial import PluvialParameters


@dataclass(frozen=True)
class DamageCoefficients:
    """The WaterSchadeSchatter coefficients per amount level, price-indexed to the price year."""

    land: dict[str, Coefficients]  #: land use (LGN codes) in a cloudburst (the knowledge file's event defaults)
    building: dict[str, Coefficients]  #: buildings (WSS building classes)
    breach_land: dict[str, Coefficients]  #: land use after a breach (inundation of ``breach_duration_h``)
    curve_factor: float  #: price index of the breach curves' amounts to the price year
    sources: tuple[str, ...]  #: source of the WSS table
    #: land use in a cloudburst at each duration node of the WSS table (for durations from the 2-D engine)
    land_by_duration: dict[str, DurationCoefficients] | None = None


def _per_amount(table: DamageTable, settings: DamageSettings,
                code_map: Mapping[int, int] | None) -> dict[str, Coefficients]:
    return {a: coefficients(table, settings.model_copy(update={"amount": a}), code_map) for a in AMOUNTS}


def damage_coefficients(knowledge: DamageKnowledge, params: DamageParameters) -> DamageCoefficients:
    """The three coefficient sets of the product, at ``params.price_year``."""
    table = knowledge.table
    factor = price_index_factor(table.price_year, params.price_year, knowledge.economics)
    settings = default_settings(knowledge.pluvial).model_copy(update={"price_factor": factor})
    lgn = class_map(knowledge.pluvial)
    breach_settings = settings.model_copy(update={"duration_h": params.breach_duration_h})
    nodes = tuple(float(h) for h in table.duration_h)
    at_nodes = [_per_amount(table, settings.model_copy(update={"duration_h": h}), lgn) for h in nodes]
    return DamageCoefficients(
        land_by_duration={a: DurationCoefficients(nodes, tuple(n[a] for n in at_nodes)) for a in AMOUNTS},
        land=_per_amount(table, settings, lgn),
        building=_per_amount(table, settings, None),
        breach_land=_per_amount(table, breach_settings, lgn),
        curve_factor=price_index_factor(knowledge.flood_curves.price_year, params.price_year, knowledge.economics),
        sources=(table.source,),
    )


def prepare_buildings(buildings: gpd.GeoDataFrame | None, grid: Grid, dem: np.ndarray,
                      classes: dict[str, int], floor_height_m: float) -> Buildings:
    """Building ids on the grid, WSS class of the function (unknown: WSS class 1, no damage), area, floor level.

    ``classes`` maps the building function (column ``function``) to its WSS class.
    """
    if buildings is None or not len(buildings):
        return Buildings.none(grid.shape)
    frame = buildings.reset_index(drop=True)
    ids = building_ids(frame, grid)
    functions = frame["function"].astype(str) if "function" in frame.columns else None
    if functions is None:
        wss = np.ones(len(frame), dtype=np.int64)
        unmapped = ["(no column 'function')"]
    else:
        mapped = functions.map(classes)
        unmapped = sorted(set(functions[mapped.isna()]))
        wss = mapped.fillna(1).to_numpy(dtype=np.int64)
    floor = floor_levels(frame, np.asarray(dem, dtype=np.float32), ids, floor_height_m)
    return Buildings(ids=ids, count=len(frame), wss_class=wss,
                     floor_area_m2=frame.geometry.area.to_numpy(dtype=np.float64),
                     floor_level_m=np.asarray(floor, dtype=np.float64), unmapped=unmapped,
                     ring=facade_ring(ids, len(frame)))


@dataclass(frozen=True)
class DamageInputs:
    """Everything the valuers read."""

    knowledge: DamageKnowledge
    coefficients: DamageCoefficients
    grid: Grid
    landuse: np.ndarray  #: LGN code per cell
    ground: np.ndarray  #: ground level, m NAP (float32)
    area: np.ndarray  #: True inside the study area
    buildings: Buildings
    params: DamageParameters
    scenarios: tuple[str, ...]  #: the dossier's climate scenario ids, today's climate first
    scenario_years: dict[str, int | None]  #: scenario id -> horizon year (None: today's climate)
    events: tuple[str, ...]  #: the rain events the pluvial product computed


def damage_inputs(ctx: ProductContext) -> DamageInputs:
    """Read the parameters, knowledge and inputs of the damage product once."""
    params = ctx.params(DamageParameters)
    pluvial_params = ctx.params(PluvialParameters)
    events = tuple(pluvial_params.events)
    if params.incident_event not in events:
        raise ConfigError("damage_product.errors.incident_event", value=params.incident_event,
                          events=", ".join(events))
    knowledge = load_damage_knowledge(ctx, params)
    scenario_list = dossier_scenarios(ctx.param("scenarios"))
    grid = ctx.grid
    ground = ctx.raster("dem").array.astype(np.float32)
    return DamageInputs(
        knowledge=knowledge,
        coefficients=damage_coefficients(knowledge, params),
        grid=grid,
        landuse=ctx.raster("landuse").array,
        ground=ground,
        area=np.asarray(ctx.mask, dtype=bool),
        buildings=prepare_buildings(ctx.vector("buildings"), grid, ground, building_classes(knowledge.pluvial),
                                    pluvial_params.floor_height_m),
        params=params,
        scenarios=tuple(s.id for s in scenario_list),
        scenario_years={s.id: s.horizon for s in scenario_list},
        events=events,
    )
