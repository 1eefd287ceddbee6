"""The heat analysis on the dossier grid: from elevation, land use and buildings to PET per scenario.

:func:`analyse` builds the surface model (DEM plus building heights), looks up
the land-use properties of ``heat.toml`` per cell and calls the kernels of
:mod:`alliantie.hazards.heat`: sky view factor, urban heat island, the shade and
radiation of the afternoon sun, cooling capacity and cool places, and the felt
temperature (PET) of the standard hot afternoon per climate scenario, whose air
temperature is today's shifted by the scenario's summer warming
(:func:`air_temperatures`). The PET class around homes and workplaces gives the
theme's severity 0-3 (:func:`severity_classes`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import rasterio.features

from alliantie.climate import ClimateScenario, ClimateTable
from alliantie.contract.theme import neighbourhood_zones
from alliantie.grid import Grid
from alliantie.hazards.heat.afternoon import (
    Surface,
    cool_place_cells,
    cooling,
    felt_temperature,
    heat_island,
    person_wind,
    sun_and_shade,
)
from alliantie.hazards.heat.cooling import distance_to_cool_place
from alliantie.hazards.heat.pet import classify, home_pet
from alliantie.hazards.heat.sky_view import sky_view_factor
from alliantie.method.urgency.heat.exposure import job_cells, resident_cells
from alliantie.method.urgency.heat.knowledge import FLAGS, PROPERTIES, HeatKnowledge
from alliantie.parameters.heat import HeatParameters
from alliantie.raster.distance import within_distance

if TYPE_CHECKING:
    import geopandas as gpd

#: LGN code of open water: the properties of the cells of the water layers.
LGN_WATER = 16


@dataclass
class HeatInput:
    """What the analysis needs, on one grid: ground level (m, NaN = no data), LGN codes, layers, study area."""

    grid: Grid
    dem: np.ndarray
    landuse: np.ndarray
    buildings: gpd.GeoDataFrame | None = None  # with height_m (and function)
    neighbourhoods: gpd.GeoDataFrame | None = None  # with code, name, residents, share_65plus
    area: np.ndarray | None = None
    water: np.ndarray | None = None  # extra water cells (water layers), bool


@dataclass
class ScenarioResult:
    scenario: ClimateScenario
    air_temperature_c: float
    pet: np.ndarray  # degC, NaN on buildings and outside the data
    pet_class: np.ndarray  # uint8 1-5, 0 no data
    home_pet: np.ndarray  # outdoor PET around each cell (degC), for exposure
    severity: np.ndarray  # uint8 0-3


@dataclass
class HeatResult:
    grid: Grid
    knowledge: HeatKnowledge
    building: np.ndarray  # bool
    svf: np.ndarray
    uhi: np.ndarray
    cooling: np.ndarray  # heat mitigation index 0-1 (cooling capacity with park cooling)
    cool_place: np.ndarray  # bool
    distance_cool_m: np.ndarray  # inf where no cool place exists
    residents: np.ndarray  # persons per cell
    over65: np.ndarray  # persons per cell
    zones: np.ndarray  # neighbourhood zones (1 + row), 0 outside
    scenarios: list[ScenarioResult]
    missing: list[tuple[str, str]]
    tropical_nights: dict[str, float | None]
    neighbourhoods: gpd.GeoDataFrame | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    #: persons employed per cell at the workplaces (:func:`~alliantie.method.urgency.heat.exposure.job_cells`),
    #: within the study area; all zero when the buildings carry no use classes with workplaces
    jobs: np.ndarray | None = None


def building_heights(buildings: gpd.GeoDataFrame | None, grid: Grid, default_height_m: float) -> np.ndarray:
    """float32 raster of building heights (m) on the cells whose centre lies in a footprint, 0 elsewhere.

    Buildings without a (positive) ``height_m`` get ``default_height_m``.
    """
    if buildings is None or not len(buildings):
        return np.zeros(grid.shape, dtype=np.float32)
    heights = (buildings["height_m"].to_numpy(dtype=np.float64) if "height_m" in buildings
               else np.full(len(buildings), np.nan))
    heights = np.where(np.isfinite(heights) & (heights > 0), heights, default_height_m)
    shapes = [(g, float(h)) for g, h in zip(buildings.geometry.values, heights, strict=True)
              if g is not None and not g.is_empty]
    if not shapes:
        return np.zeros(grid.shape, dtype=np.float32)
    out = rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0.0,
                                      dtype="float32")
    return np.asarray(out, dtype=np.float32)


def land_properties(landuse: np.ndarray, water: np.ndarray | None, kn: HeatKnowledge) -> dict[str, np.ndarray]:
    """The land-use properties and flags of ``heat.toml`` per cell (LGN codes, NaN as code 0).

    Cells of the water layers take the properties of open water, count as
    vegetated (for the heat island) and are neither cool places nor green areas.
    """
    codes = np.where(np.isfinite(landuse), landuse, 0).astype(np.int64).clip(0, 255)
    props = {name: kn.by_code[name][codes] for name in (*PROPERTIES, *FLAGS)}
    if water is not None:
        wet = np.asarray(water, dtype=bool)
        for name in PROPERTIES:
            props[name] = np.where(wet, kn.by_code[name][LGN_WATER], props[name])
        props["vegetated"] = props["vegetated"] | wet
        props["cool"] = props["cool"] & ~wet
        props["green_area"] = props["green_area"] & ~wet
    return props


def surface_of(data: HeatInput, kn: HeatKnowledge) -> Surface:
    """The surface of the heat chain: DEM plus building heights, and the land-use properties per cell."""
    dem = np.asarray(data.dem, dtype=np.float64)
    valid = np.isfinite(dem)
    props = land_properties(data.landuse, data.water, kn)
    heights = building_heights(data.buildings, data.grid, kn.building_default_height_m)
    building = (heights > 0) & valid
    dsm = np.where(valid, dem + heights, np.nan)
    return Surface(dsm=dsm, valid=valid, building=building, props=props)


def workplace_jobs(data: HeatInput, kn: HeatKnowledge) -> np.ndarray:
    """Persons employed per cell at the buildings of ``data`` (``[workplaces]`` of ``heat.toml``), in the area."""
    jobs = job_cells(data.buildings, data.grid, kn.storey_height_m, kn.floor_area_per_job_m2, kn.one_floor_uses)
    if data.area is not None:
        jobs = np.where(np.asarray(data.area, dtype=bool), jobs, 0.0)
    return jobs


def sky_view(surface: Surface, res: float, params: HeatParameters) -> np.ndarray:
    """Sky view factor (float64) of the surface model (DEM plus buildings)."""
    return sky_view_factor(surface.dsm, res, params.svf_directions, params.svf_max_distance_m).astype(np.float64)


def air_temperatures(knowledge: HeatKnowledge, scenarios: Sequence[ClimateScenario],
                     table: ClimateTable) -> tuple[dict[str, float], list[tuple[str, str]]]:
    """Air temperature of the hot afternoon per scenario (shifted by the summer warming) and what is missing."""
    out: dict[str, float] = {}
    missing: list[tuple[str, str]] = []
    for s in scenarios:
        change = _known(table.change, "t_mean_summer", s)
        if change is None:
            missing.append(("t_mean_summer", s.id))
            continue
        out[s.id] = knowledge.air_temperature_c + float(change)
    return out, missing


def _known(lookup: Callable[[str, ClimateScenario], float | None], variable: str,
           scenario: ClimateScenario) -> float | None:
    """A climate number, None when not sourced or when the (replaced) table lacks the variable."""
    try:
        return lookup(variable, scenario)
    except KeyError:
        return None


def severity_classes(home_class: np.ndarray, uhi: np.ndarray, night_uhi_k: float,
                     settled: np.ndarray) -> np.ndarray:
    """Heat severity 0-3 (uint8) from the PET class around homes (1-5): moderate 1, strong 2, extreme 3.

    Extreme afternoons count as 3 only where the heat island reaches
    ``night_uhi_k`` (a warm night follows); outside the ``settled`` area 0.
    """
    severity = np.clip(home_class.astype(np.int16) - 2, 0, 3).astype(np.uint8)
    severity[(severity == 3) & ~(uhi >= night_uhi_k)] = 2  # hot afternoon, cool night
    severity[~settled] = 0
    return severity


def analyse(data: HeatInput, knowledge: HeatKnowledge, params: HeatParameters,
            scenarios: Sequence[ClimateScenario], table: ClimateTable,
            progress: Callable[[float], None] | None = None) -> HeatResult:
    """Sky view, heat island, cooling, cool places and the felt temperature of every scenario."""
    grid, kn = data.grid, knowledge
    res = float(grid.res)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    surface = surface_of(data, kn)
    valid, building, outdoor = surface.valid, surface.building, surface.outdoor
    seconds["prepare"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    svf = sky_view(surface, res, params)
    seconds["svf"] = time.perf_counter() - t0
    if progress is not None:
        progress(0.3)

    # urban heat island: street-level SVF and the green-and-water fraction around each cell
    t0 = time.perf_counter()
    uhi = heat_island(svf, surface, res, kn)
    seconds["uhi"] = time.perf_counter() - t0

    # shade and radiation of the afternoon sun positions
    t0 = time.perf_counter()
    radiation = sun_and_shade(svf, surface, res, kn, params.shadow_max_distance_m)
    seconds["shade"] = time.perf_counter() - t0
    if progress is not None:
        progress(0.5)

    # cooling capacity (InVEST) and cool places
    t0 = time.perf_counter()
    cooling_index = cooling(surface, res, kn)
    cool_place = cool_place_cells(surface, radiation.shade, kn)
    distance = distance_to_cool_place(cool_place, res, kn.cool_min_area_m2 / 10_000.0)
    seconds["cooling"] = time.perf_counter() - t0

    # exposure: where people live and work, residents per cell
    t0 = time.perf_counter()
    zones = neighbourhood_zones(data.neighbourhoods, grid)
    residents, over65 = resident_cells(data.buildings, data.neighbourhoods, zones, grid, kn.storey_height_m)
    jobs = workplace_jobs(data, kn)
    settled = within_distance(building, res, kn.settled_buffer_m)
    if data.area is not None:
        settled &= data.area
    wind = person_wind(surface, kn, params)
    seconds["exposure"] = time.perf_counter() - t0

    temperatures, missing = air_temperatures(kn, scenarios, table)
    results: list[ScenarioResult] = []
    for i, s in enumerate(scenarios):
        if s.id not in temperatures:
            continue
        t0 = time.perf_counter()
        ta = temperatures[s.id]
        pet = felt_temperature(ta, radiation, wind, surface, kn, params)
        pet_class = classify(pet, kn.pet_bounds)
        home = home_pet(pet, building, outdoor, res, kn.home_radius_m)
        severity = severity_classes(classify(home, kn.pet_bounds), uhi, params.severity_night_uhi_k, settled)
        results.append(ScenarioResult(scenario=s, air_temperature_c=ta, pet=pet, pet_class=pet_class,
                                      home_pet=home.astype(np.float32), severity=severity))
        seconds[f"pet {s.id}"] = time.perf_counter() - t0
        if progress is not None:
            progress(0.5 + 0.45 * (i + 1) / len(scenarios))
    nights: dict[str, float | None] = {}
    for s in scenarios:
        found = _known(table.level, "tropical_nights", s)
        nights[s.id] = found
        if found is None:
            missing.append(("tropical_nights", s.id))
    return HeatResult(grid=grid, knowledge=kn, building=building, svf=np.where(valid, svf, np.nan), uhi=uhi,
                      cooling=cooling_index, cool_place=cool_place, distance_cool_m=distance, residents=residents,
                      over65=over65, zones=zones, scenarios=results, missing=missing, tropical_nights=nights,
                      neighbourhoods=data.neighbourhoods, seconds=seconds, jobs=jobs)
