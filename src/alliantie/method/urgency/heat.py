"""Heat stress (*hittestress*, step 1 *Urgentie*): felt temperature, heat island, cooling and cool places.

:func:`analyse` turns the elevation model, land use and buildings into the sky
view factor, the maximum urban heat island (Theeuwes et al. 2017), the felt
temperature (PET) of the standard hot afternoon per climate scenario, the
cooling capacity of green and water (InVEST Urban Cooling Model) and the
distance to a cool place; :func:`neighbourhood_indicators` counts residents
and over-65s per neighbourhood; :func:`write_outputs` writes rasters, the
theme files, maps and the table; :func:`heat` is the dossier product. The
kernels live in :mod:`alliantie.hazards.heat`; every number in ``heat.toml``.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from alliantie.climate import ClimateScenario, ClimateTable
from alliantie.contract.spec import Column, Layer, LegendEntry, MapSpec, TableSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.errors import ConfigError
from alliantie.grid import Grid
from alliantie.hazards import heat as hz
from alliantie.i18n import translate
from alliantie.parameters.heat import HeatParameters

log = logging.getLogger(__name__)

#: Land-use properties read from ``heat.toml`` per LGN code.
PROPERTIES = ("shade", "albedo", "kc", "canopy_height_m", "wind_factor", "surface_excess_k")
FLAGS = ("vegetated", "cool", "green_area")
#: Ramp limits of the continuous maps.
UHI_MAX_K = 5.0
DISTANCE_MAX_M = 600.0


# --- knowledge --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PetClass:
    id: str
    lower_c: float
    color: str
    label: Text


@dataclass(frozen=True)
class HeatKnowledge:
    """The numbers of ``heat.toml`` the analysis uses, checked on reading."""

    air_temperature_c: float
    relative_humidity_pct: float
    wind_10m_ms: float
    suns: tuple[hz.Sun, ...]
    sun_azimuths_deg: tuple[float, ...]
    person: hz.Person
    absorption_short: float
    absorption_long: float
    surface_emissivity: float
    shaded_surface_excess_k: float
    sky_emissivity: float
    pet_classes: tuple[PetClass, ...]
    uhi_s: float
    uhi_dtr_k: float
    uhi_wind_ms: float
    uhi_radius_m: float
    uhi_high_k: float
    cooling_weights: tuple[float, float, float]
    cooling_distance_m: float
    min_green_area_ha: float
    et0_mm: float
    cool_min_area_m2: float
    cool_max_distance_m: float
    cool_min_shade: float
    settled_buffer_m: float
    home_radius_m: float
    storey_height_m: float
    building_albedo: float
    building_default_height_m: float
    #: Per LGN code (index 0-255): properties (float) and flags (bool); code 0/unknown: the "built" group.
    by_code: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def pet_bounds(self) -> list[float]:
        """Lower bounds of the PET classes above the first (degC)."""
        return [c.lower_c for c in self.pet_classes[1:]]


def read_knowledge(heat: Mapping[str, Any], lgn: Mapping[str, Any], path: str = "heat.toml") -> HeatKnowledge:
    """Parse ``heat.toml`` (and the LGN groups of ``lgn_classes.toml``); ConfigError naming the file when wrong."""
    try:
        return _read_knowledge(heat, lgn)
    except (KeyError, TypeError, ValueError) as exc:
        detail = f"missing or wrong entry {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ConfigError("heat.errors.knowledge", path=path, detail=detail) from None


def _read_knowledge(heat: Mapping[str, Any], lgn: Mapping[str, Any]) -> HeatKnowledge:
    day = heat["hot_day"]
    rad = heat["radiation"]
    diffuse = heat["diffuse"]
    solar_constant = float(heat["solar"]["constant_wm2"])
    suns: list[hz.Sun] = []
    azimuths: list[float] = []
    for hour in day["solar_hours"]:
        elevation, azimuth = hz.solar_position(float(day["latitude_deg"]), int(day["day_of_year"]), float(hour))
        suns.append(hz.clear_sky_sun(elevation, float(day["transmissivity"]), solar_constant,
                                     float(diffuse["intercept"]), float(diffuse["slope"])))
        azimuths.append(azimuth)
    if not suns:
        raise ValueError("hot_day.solar_hours is empty")
    ta, rh = float(day["air_temperature_c"]), float(day["relative_humidity_pct"])
    sky = heat["sky_emissivity"]
    person = heat["person"]
    classes = tuple(
        PetClass(id=str(c["id"]), lower_c=float(c["lower_c"]), color=str(c["color"]),
                 label=Text(nl=str(c["nl"]), en=str(c["en"])))
        for c in heat["pet_class"]
    )
    if len(classes) != 5 or any(b.lower_c <= a.lower_c for a, b in itertools.pairwise(classes)):
        raise ValueError("pet_class needs five classes with increasing lower_c")
    uhi = heat["uhi"]
    cooling = heat["cooling"]
    cool = heat["cool_place"]
    exposure = heat["exposure"]
    weights = (float(cooling["weight_shade"]), float(cooling["weight_albedo"]), float(cooling["weight_eti"]))
    return HeatKnowledge(
        air_temperature_c=ta, relative_humidity_pct=rh, wind_10m_ms=float(day["wind_10m_ms"]),
        suns=tuple(suns), sun_azimuths_deg=tuple(azimuths),
        person=hz.Person(activity_w=float(person["activity_w"]), clothing_clo=float(person["clothing_clo"]),
                         age=float(person["age"]), sex=str(person["sex"]), weight_kg=float(person["weight_kg"]),
                         height_m=float(person["height_m"]), position=str(person["position"])),
        absorption_short=float(rad["absorption_short"]), absorption_long=float(rad["absorption_long"]),
        surface_emissivity=float(rad["surface_emissivity"]),
        shaded_surface_excess_k=float(rad["shaded_surface_excess_k"]),
        sky_emissivity=hz.sky_emissivity_brutsaert(ta, rh, float(sky["coefficient"]), float(sky["exponent"])),
        pet_classes=classes,
        uhi_s=hz.radiation_to_s(float(uhi["shortwave_daily_mean_wm2"]), float(uhi["rho_kg_m3"]),
                                float(uhi["cp_j_kg_k"])),
        uhi_dtr_k=float(uhi["dtr_k"]), uhi_wind_ms=float(uhi["wind_10m_ms"]), uhi_radius_m=float(uhi["radius_m"]),
        uhi_high_k=float(uhi["high_k"]),
        cooling_weights=weights, cooling_distance_m=float(cooling["cooling_distance_m"]),
        min_green_area_ha=float(cooling["min_green_area_ha"]), et0_mm=float(cooling["et0_mm"]),
        cool_min_area_m2=float(cool["min_area_m2"]), cool_max_distance_m=float(cool["max_distance_m"]),
        cool_min_shade=float(cool["min_shade"]),
        settled_buffer_m=float(exposure["settled_buffer_m"]), home_radius_m=float(exposure["home_radius_m"]),
        storey_height_m=float(exposure["storey_height_m"]),
        building_albedo=float(heat["building"]["albedo"]),
        building_default_height_m=float(heat["building"]["default_height_m"]),
        by_code=_code_tables(heat, lgn),
    )


def _code_tables(heat: Mapping[str, Any], lgn: Mapping[str, Any]) -> dict[str, np.ndarray]:
    groups = {str(g["id"]): g for g in heat["group"]}
    if "built" not in groups:
        raise ValueError("group 'built' is missing")
    tables: dict[str, np.ndarray] = {}
    for name in PROPERTIES:
        tables[name] = np.full(256, float(groups["built"][name]))
    for name in FLAGS:
        tables[name] = np.full(256, bool(groups["built"][name]))
    rows: list[tuple[int, Mapping[str, Any]]] = []
    for cls in lgn.get("class", []):
        group = str(cls.get("group", ""))
        if group not in groups:
            raise ValueError(f"LGN class {cls.get('code')}: group {group!r} has no properties")
        rows.append((int(cls["code"]), groups[group]))
    rows += [(int(c["code"]), c) for c in heat.get("code", [])]
    for code, props in rows:
        if not 0 <= code <= 255:
            raise ValueError(f"LGN code {code} out of range 0-255")
        for name in PROPERTIES:
            tables[name][code] = float(props[name])
        for name in FLAGS:
            tables[name][code] = bool(props[name])
    for name in ("shade", "albedo"):
        if ((tables[name] < 0) | (tables[name] > 1)).any():
            raise ValueError(f"{name} must lie between 0 and 1")
    return tables


# --- analysis ---------------------------------------------------------------------------------------

@dataclass
class HeatInput:
    """What the analysis needs, on one grid: ground level (m, NaN = no data), LGN codes, layers, study area."""

    grid: Grid
    dem: np.ndarray
    landuse: np.ndarray
    buildings: Any = None  # GeoDataFrame with height_m (and function) or None
    neighbourhoods: Any = None  # GeoDataFrame with code, name, residents, share_65plus or None
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
    neighbourhoods: Any = None
    seconds: dict[str, float] = field(default_factory=dict)


def building_heights(buildings: Any, grid: Grid, default_height_m: float) -> np.ndarray:
    """float32 raster of building heights (m) on the cells whose centre lies in a footprint, 0 elsewhere.

    Buildings without a (positive) ``height_m`` get ``default_height_m``.
    """
    import rasterio.features

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


def analyse(data: HeatInput, knowledge: HeatKnowledge, params: HeatParameters,
            scenarios: Sequence[ClimateScenario], table: ClimateTable,
            progress: Callable[[float], None] | None = None) -> HeatResult:
    """Sky view, heat island, cooling, cool places and the felt temperature of every scenario."""
    grid, kn = data.grid, knowledge
    res = float(grid.res)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    dem = np.asarray(data.dem, dtype=np.float64)
    valid = np.isfinite(dem)
    codes = np.where(np.isfinite(data.landuse), data.landuse, 0).astype(np.int64).clip(0, 255)
    props = {name: kn.by_code[name][codes] for name in (*PROPERTIES, *FLAGS)}
    if data.water is not None:
        water = np.asarray(data.water, dtype=bool)
        for name in PROPERTIES:
            props[name] = np.where(water, kn.by_code[name][16], props[name])
        props["vegetated"] = props["vegetated"] | water
        props["cool"] = props["cool"] & ~water
        props["green_area"] = props["green_area"] & ~water
    heights = building_heights(data.buildings, grid, kn.building_default_height_m)
    building = (heights > 0) & valid
    dsm = np.where(valid, dem + heights, np.nan)
    seconds["prepare"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    svf = hz.sky_view_factor(dsm, res, params.svf_directions, params.svf_max_distance_m).astype(np.float64)
    seconds["svf"] = time.perf_counter() - t0
    if progress is not None:
        progress(0.3)

    # urban heat island: street-level SVF and the green-and-water fraction around each cell
    t0 = time.perf_counter()
    outdoor = valid & ~building
    coarse = coarsening(res, kn.uhi_radius_m)
    svf_street = np.clip(hz.focal_mean(svf, res, kn.uhi_radius_m, valid=outdoor, coarsen=coarse), 0.0, 1.0)
    f_veg = hz.vegetation_fraction(props["vegetated"] & outdoor, res, kn.uhi_radius_m, valid=valid, coarsen=coarse)
    svf_street = np.where(np.isfinite(svf_street), svf_street, 1.0)
    uhi = hz.theeuwes_uhi_max(svf_street, np.where(np.isfinite(f_veg), f_veg, 1.0), kn.uhi_s, kn.uhi_dtr_k,
                              kn.uhi_wind_ms)
    uhi = np.where(valid, np.maximum(uhi, 0.0), np.nan)
    seconds["uhi"] = time.perf_counter() - t0

    # shade and radiation of the afternoon sun positions
    t0 = time.perf_counter()
    canopy = np.where(building, 0.0, props["shade"])
    svf_eff = svf * (1.0 - canopy)
    shade_sum = np.zeros(grid.shape)
    short_sum = np.zeros(grid.shape)
    albedo = np.where(building, kn.building_albedo, props["albedo"])
    shadow_dsm = dsm + np.where(building, 0.0, props["canopy_height_m"])  # trees cast shadows too
    for sun, azimuth in zip(kn.suns, kn.sun_azimuths_deg, strict=True):
        shadow = hz.cast_shadow(shadow_dsm, res, sun.elevation_deg, azimuth, params.shadow_max_distance_m)
        shade = 1.0 - (1.0 - canopy) * (1.0 - shadow)
        shade_sum += shade
        short_sum += hz.shortwave_absorbed(svf_eff, shade, albedo, sun, kn.absorption_short)
    n_sun = len(kn.suns)
    shade_mean, short_mean = shade_sum / n_sun, short_sum / n_sun
    seconds["shade"] = time.perf_counter() - t0
    if progress is not None:
        progress(0.5)

    # cooling capacity (InVEST) and cool places
    t0 = time.perf_counter()
    kc = np.where(building, 0.0, props["kc"])
    eti = hz.evapotranspiration_index(kc, kn.et0_mm, float(kn.by_code["kc"].max()) * kn.et0_mm)
    cc = hz.cooling_capacity(canopy, albedo, eti, kn.cooling_weights)
    cooling = hz.park_cooling(cc, props["green_area"] & outdoor, res, kn.cooling_distance_m, kn.min_green_area_ha,
                              coarsen=coarsening(res, kn.cooling_distance_m))
    cooling = np.where(valid, cooling, np.nan)
    cool_place = props["cool"] & outdoor & (shade_mean >= kn.cool_min_shade)
    distance = hz.distance_to_cool_place(cool_place, res, kn.cool_min_area_m2 / 10_000.0)
    seconds["cooling"] = time.perf_counter() - t0

    # exposure: where people live and work, residents per cell
    t0 = time.perf_counter()
    from alliantie.contract.theme import neighbourhood_zones

    zones = neighbourhood_zones(data.neighbourhoods, grid)
    residents, over65 = resident_cells(data.buildings, data.neighbourhoods, zones, grid, kn.storey_height_m)
    settled = _near(building, res, kn.settled_buffer_m) if building.any() else np.zeros(grid.shape, dtype=bool)
    if data.area is not None:
        settled &= data.area
    wind = np.clip(kn.wind_10m_ms * props["wind_factor"], params.pet_wind_ms[0], params.pet_wind_ms[-1])
    seconds["exposure"] = time.perf_counter() - t0

    temperatures, missing = air_temperatures(kn, scenarios, table)
    results: list[ScenarioResult] = []
    excess_sun = props["surface_excess_k"]
    excess_shade = np.minimum(excess_sun, kn.shaded_surface_excess_k)
    for i, s in enumerate(scenarios):
        if s.id not in temperatures:
            continue
        t0 = time.perf_counter()
        ta = temperatures[s.id]
        tmrt = hz.mean_radiant_temperature_fast(
            ta, short_mean, svf_eff, shade_mean, sky_emissivity=kn.sky_emissivity,
            surface_emissivity=kn.surface_emissivity, sunlit_surface_excess_k=excess_sun,
            shaded_surface_excess_k=excess_shade, absorption_long=kn.absorption_long)
        tmrt = np.where(outdoor, tmrt, np.nan)
        lo = float(np.floor(np.nanmin(tmrt))) if outdoor.any() else ta
        hi = float(np.ceil(np.nanmax(tmrt))) if outdoor.any() else ta + 1.0
        axis = np.arange(lo, max(hi, lo + params.pet_tmrt_step_c) + params.pet_tmrt_step_c, params.pet_tmrt_step_c)
        pet_tab = hz.pet_table(ta, kn.relative_humidity_pct, axis, params.pet_wind_ms, kn.person)
        pet = np.round(hz.pet_lookup(pet_tab, tmrt, wind), 1).astype(np.float32)  # 0.1 degC: compresses well
        pet_class = hz.classify(pet, kn.pet_bounds)
        half = kn.home_radius_m
        home = hz.box_mean(pet, res, half, valid=outdoor)
        home = np.where(building | ~np.isfinite(pet), home, pet)
        home_class = hz.classify(home, kn.pet_bounds)
        severity = np.clip(home_class.astype(np.int16) - 2, 0, 3).astype(np.uint8)
        severity[(severity == 3) & ~(uhi >= params.severity_night_uhi_k)] = 2  # hot afternoon, cool night
        severity[~settled] = 0
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
                      cooling=cooling, cool_place=cool_place, distance_cool_m=distance, residents=residents,
                      over65=over65, zones=zones, scenarios=results, missing=missing, tropical_nights=nights,
                      neighbourhoods=data.neighbourhoods, seconds=seconds)


def coarsening(res: float, radius_m: float, cells: int = 25) -> int:
    """Block size for a focal operation of ``radius_m``: keep about ``cells`` coarse cells in the radius."""
    return max(1, int(radius_m / (cells * res)))


def _near(mask: np.ndarray, res: float, distance_m: float) -> np.ndarray:
    from scipy import ndimage

    return np.asarray(ndimage.distance_transform_edt(~mask) * res <= distance_m)


def resident_cells(buildings: Any, neighbourhoods: Any, zones: np.ndarray, grid: Grid,
                   storey_height_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Residents and over-65s per cell.

    A neighbourhood's ``residents`` are spread over the cells of its
    residential buildings (``function`` "residential"; every building when the
    layer has no function column) in proportion to the number of storeys
    (height / storey height, at least 1); a neighbourhood without such
    buildings spreads them evenly over its cells. Over-65s are residents times
    ``share_65plus`` (0 when the column is absent).
    """
    import rasterio.features

    n = 0 if neighbourhoods is None else len(neighbourhoods)
    residents = np.zeros(grid.shape)
    over65 = np.zeros(grid.shape)
    if n == 0 or "residents" not in neighbourhoods:
        return residents, over65
    people = np.concatenate([[0.0], np.nan_to_num(neighbourhoods["residents"].to_numpy(dtype=np.float64))])
    share = np.zeros(n + 1)
    if "share_65plus" in neighbourhoods:
        share[1:] = np.nan_to_num(neighbourhoods["share_65plus"].to_numpy(dtype=np.float64))
    weight = np.zeros(grid.shape)
    if buildings is not None and len(buildings):
        homes = buildings
        if "function" in buildings:
            homes = buildings[buildings["function"].astype(str).str.lower() == "residential"]
        if len(homes):
            heights = (homes["height_m"].to_numpy(dtype=np.float64) if "height_m" in homes
                       else np.full(len(homes), storey_height_m))
            storeys = np.maximum(1.0, np.round(np.nan_to_num(heights, nan=storey_height_m) / storey_height_m))
            shapes = [(g, float(s)) for g, s in zip(homes.geometry.values, storeys, strict=True)
                      if g is not None and not g.is_empty]
            if shapes:
                weight = np.asarray(rasterio.features.rasterize(
                    shapes, out_shape=grid.shape, transform=grid.transform, fill=0.0, dtype="float64"))
    weight[zones == 0] = 0.0
    total = np.bincount(zones.ravel(), weights=weight.ravel(), minlength=n + 1)
    cells = np.bincount(zones.ravel(), minlength=n + 1).astype(np.float64)
    even = total <= 0
    w = np.where(even[zones], (zones > 0).astype(np.float64), weight)
    denominator = np.where(even, cells, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_weight = np.where(denominator > 0, people / denominator, 0.0)
    residents = w * per_weight[zones]
    residents[zones == 0] = 0.0
    over65 = residents * share[zones]
    return residents, over65


# --- indicators -------------------------------------------------------------------------------------

INDICATORS: tuple[tuple[str, str], ...] = (
    ("residents_pet_extreme", ""),
    ("over65_pet_extreme", ""),
    ("residents_pet_strong", ""),
    ("residents_uhi_high", ""),
    ("over65_uhi_high", ""),
    ("share_far_from_cool", "%"),
    ("tropical_nights", ""),
)


def neighbourhood_indicators(result: HeatResult) -> list[Any]:
    """IndicatorValue rows per scenario and neighbourhood (code "" = the whole area)."""
    from alliantie.contract.theme import IndicatorValue, zone_totals

    kn = result.knowledge
    hoods = result.neighbourhoods
    n = 0 if hoods is None else len(hoods)
    lived = result.residents > 0  # only cells with residents count: a small part of the grid
    zones, residents, over65 = result.zones[lived], result.residents[lived], result.over65[lived]
    codes = [""] + ([str(c) for c in hoods["code"]] if n and "code" in hoods else [str(i + 1) for i in range(n)])
    names = [""] + ([str(c) for c in hoods["name"]] if n and "name" in hoods else ["" for _ in range(n)])
    extreme, strong = kn.pet_classes[4].lower_c, kn.pet_classes[3].lower_c
    people = zone_totals(zones, n, residents)
    hot_island = np.nan_to_num(result.uhi[lived]) >= kn.uhi_high_k
    uhi_high = zone_totals(zones, n, residents * hot_island)
    uhi_high_65 = zone_totals(zones, n, over65 * hot_island)
    far = zone_totals(zones, n, residents * (result.distance_cool_m[lived] > kn.cool_max_distance_m))
    with np.errstate(invalid="ignore", divide="ignore"):
        far_share = np.where(people > 0, 100.0 * far / np.maximum(people, 1e-12), 0.0)
    total_people = people[1:].sum()
    far_total = 100.0 * far[1:].sum() / total_people if total_people > 0 else 0.0
    rows: list[Any] = []
    for s in result.scenarios:
        home = np.nan_to_num(s.home_pet[lived], nan=-np.inf)
        values = {
            "residents_pet_extreme": zone_totals(zones, n, residents * (home >= extreme)),
            "over65_pet_extreme": zone_totals(zones, n, over65 * (home >= extreme)),
            "residents_pet_strong": zone_totals(zones, n, residents * (home >= strong)),
            "residents_uhi_high": uhi_high,
            "over65_uhi_high": uhi_high_65,
        }
        sid = s.scenario.id
        for z in range(1, n + 1):
            for ind, per_zone in values.items():
                rows.append(IndicatorValue(sid, codes[z], names[z], ind, float(per_zone[z])))
            rows.append(IndicatorValue(sid, codes[z], names[z], "share_far_from_cool", float(far_share[z])))
        for ind, per_zone in values.items():
            rows.append(IndicatorValue(sid, "", "", ind, float(per_zone[1:].sum())))
        rows.append(IndicatorValue(sid, "", "", "share_far_from_cool", float(far_total)))
        nights = result.tropical_nights.get(sid)
        if nights is not None:
            rows.append(IndicatorValue(sid, "", "", "tropical_nights", float(nights)))
    return rows


def theme_summary(result: HeatResult) -> Any:
    """The ``theme.json`` content of the heat theme."""
    from alliantie.contract.theme import IndicatorInfo, ThemeSummary

    kn = result.knowledge
    params = {"residents_uhi_high": {"threshold": f"{kn.uhi_high_k:g}"},
              "over65_uhi_high": {"threshold": f"{kn.uhi_high_k:g}"},
              "share_far_from_cool": {"distance": f"{kn.cool_max_distance_m:g}"}}
    return ThemeSummary(
        theme="heat", title=text("products.urgency.heat"),
        scenarios=[s.scenario.id for s in result.scenarios],
        classes={str(k): text(f"heat.severity.{k}") for k in (1, 2, 3)},
        indicators=[IndicatorInfo(id=i, unit=u, label=text(f"heat.indicators.{i}", **params.get(i, {})))
                    for i, u in INDICATORS],
        missing=result.missing,
    )


# --- writing ----------------------------------------------------------------------------------------

def warmest(result: HeatResult) -> ScenarioResult | None:
    """The scenario with the warmest hot afternoon (None when there is only today's climate)."""
    future = [s for s in result.scenarios if not s.scenario.is_current]
    return max(future, key=lambda s: s.air_temperature_c) if future else None


def mapped_scenarios(result: HeatResult) -> list[ScenarioResult]:
    """The scenarios drawn as PET maps: the first (today's climate) and the warmest."""
    shown = [s for s in (result.scenarios[0] if result.scenarios else None, warmest(result)) if s is not None]
    return list({s.scenario.id: s for s in shown}.values())


def write_outputs(folder: Path, result: HeatResult, language: str, area: np.ndarray | None = None) -> None:
    """Rasters, severity, theme files, ``maps.json`` and ``tables.json`` of ``result`` into ``folder``."""
    from alliantie.contract.spec import write_maps, write_tables
    from alliantie.contract.theme import write_severity, write_theme
    from alliantie.io.raster import write_raster
    from alliantie.io.styles import StyleClass, hex_rgb, raster_paletted_qml, raster_ramp_qml

    grid, kn = result.grid, result.knowledge
    folder.mkdir(parents=True, exist_ok=True)
    inside = np.ones(grid.shape, dtype=bool) if area is None else np.asarray(area, dtype=bool)

    def hide(a: np.ndarray, decimals: int) -> np.ndarray:  # rounded values compress (and write) faster
        return np.round(np.where(inside, a, np.nan), decimals).astype(np.float32)

    write_raster(folder / "svf.tif", hide(result.svf, 3), grid, nodata=np.nan,
                 qml=raster_ramp_qml([(0.3, "#2b1d0e", "0.3"), (0.7, "#9e9ac8", "0.7"), (1.0, "#f7fbff", "1")]),
                 description="sky view factor (0-1) of the surface model (DEM + buildings)")
    write_raster(folder / "uhi_max.tif", hide(result.uhi, 2), grid, nodata=np.nan,
                 qml=raster_ramp_qml([(0.0, "#ffffb2", "0 K"), (2.0, "#fd8d3c", "2 K"),
                                      (UHI_MAX_K, "#bd0026", f"{UHI_MAX_K:g} K")]),
                 description="maximum urban heat island of a summer day (K), Theeuwes et al. 2017")
    write_raster(folder / "cooling_capacity.tif", hide(result.cooling, 3), grid, nodata=np.nan,
                 qml=raster_ramp_qml([(0.0, "#f7fcf5", "0"), (0.5, "#74c476", "0.5"), (1.0, "#00441b", "1")]),
                 description="heat mitigation index 0-1 (InVEST Urban Cooling: cooling capacity and park cooling)")
    distance = np.where(np.isfinite(result.distance_cool_m), result.distance_cool_m, np.nan)
    write_raster(folder / "distance_cool_m.tif", hide(distance, 0), grid, nodata=np.nan,
                 qml=raster_ramp_qml([(0.0, "#2c7bb6", "0 m"), (kn.cool_max_distance_m, "#ffffbf",
                                      f"{kn.cool_max_distance_m:g} m"), (DISTANCE_MAX_M, "#d7191c",
                                                                          f"{DISTANCE_MAX_M:g} m")]),
                 description="distance (m) to the nearest cool place")
    class_styles = [StyleClass(i + 1, c.color, c.label.get(language)) for i, c in enumerate(kn.pet_classes)]
    colormap = {i + 1: (*hex_rgb(c.color), 255) for i, c in enumerate(kn.pet_classes)}
    uppers = [*kn.pet_bounds, 99.0]  # a discrete QGIS ramp colours values up to each stop
    pet_stops = [(u, c.color, c.label.get(language)) for u, c in zip(uppers, kn.pet_classes, strict=True)]
    mapped = {s.scenario.id for s in mapped_scenarios(result)}
    for s in result.scenarios:
        sid = s.scenario.id
        write_raster(folder / f"pet_{sid}.tif", hide(s.pet, 1), grid, nodata=np.nan,
                     qml=raster_ramp_qml(pet_stops, discrete=True),
                     description=f"felt temperature PET (degC), hot afternoon, {sid}",
                     tags={"air_temperature_c": f"{s.air_temperature_c:.2f}"})
        if sid in mapped:  # the classes of the mapped scenarios; the others are one QGIS style away
            classes = np.where(inside, s.pet_class, 0).astype(np.uint8)
            write_raster(folder / f"pet_class_{sid}.tif", classes, grid, nodata=0, colormap=colormap,
                         qml=raster_paletted_qml(class_styles), description=f"PET heat stress classes 1-5, {sid}")
        write_severity(folder, sid, s.severity, grid, area=area,
                       description=f"heat severity 0-3 (PET class at homes and workplaces), {sid}")
    indicators = neighbourhood_indicators(result)
    write_theme(folder, theme_summary(result), indicators)
    write_maps(folder, build_maps(result))
    write_tables(folder, [build_table(result, indicators)])


def build_maps(result: HeatResult) -> list[MapSpec]:
    """The maps of the heat section: PET now and in the warmest scenario, heat island, cooling, distance."""
    kn = result.knowledge
    legend = [LegendEntry(value=i + 1, color=c.color, label=c.label) for i, c in enumerate(kn.pet_classes)]
    maps: list[MapSpec] = []
    for s in mapped_scenarios(result):
        label = Text(nl=s.scenario.label("nl"), en=s.scenario.label("en"))
        maps.append(MapSpec(
            id=f"heat_pet_{s.scenario.id}", theme="heat",
            title=Text(nl=translate("heat.maps.pet.title", "nl", scenario=label.nl),
                       en=translate("heat.maps.pet.title", "en", scenario=label.en)),
            description=text("heat.maps.pet.description", ta=f"{s.air_temperature_c:.1f}",
                             rh=f"{kn.relative_humidity_pct:g}", wind=f"{kn.wind_10m_ms:g}"),
            layers=[Layer(file=f"pet_class_{s.scenario.id}.tif", type="raster_classes", legend=legend)],
        ))
    maps.append(MapSpec(
        id="heat_uhi", theme="heat", title=text("heat.maps.uhi.title"),
        description=text("heat.maps.uhi.description", radius=f"{kn.uhi_radius_m:g}"),
        layers=[Layer(file="uhi_max.tif", type="raster_continuous", cmap="YlOrRd", vmin=0.0, vmax=UHI_MAX_K,
                      unit="K", label=text("heat.legend.uhi"))],
    ))
    maps.append(MapSpec(
        id="heat_cooling", theme="heat", title=text("heat.maps.cooling.title"),
        description=text("heat.maps.cooling.description", area=f"{kn.min_green_area_ha:g}",
                         distance=f"{kn.cooling_distance_m:g}"),
        layers=[Layer(file="cooling_capacity.tif", type="raster_continuous", cmap="Greens", vmin=0.0, vmax=1.0,
                      label=text("heat.legend.cooling"))],
    ))
    maps.append(MapSpec(
        id="heat_distance_cool", theme="heat", title=text("heat.maps.distance.title"),
        description=text("heat.maps.distance.description", area=f"{kn.cool_min_area_m2:g}",
                         distance=f"{kn.cool_max_distance_m:g}"),
        layers=[Layer(file="distance_cool_m.tif", type="raster_continuous", cmap="RdYlBu_r", vmin=0.0,
                      vmax=DISTANCE_MAX_M, unit="m", label=text("heat.maps.distance.title"))],
    ))
    return maps


def build_table(result: HeatResult, indicators: Sequence[Any] | None = None) -> TableSpec:
    """Residents per neighbourhood: extreme PET now and in the warmest scenario, high UHI, far from a cool place."""
    kn = result.knowledge
    hot = warmest(result)
    values: dict[tuple[str, str, str], float] = {}
    for v in (indicators if indicators is not None else neighbourhood_indicators(result)):
        values[(v.scenario, v.code, v.indicator)] = v.value
    current = result.scenarios[0].scenario.id if result.scenarios else None
    hoods = result.neighbourhoods
    n = 0 if hoods is None else len(hoods)
    lived = result.residents > 0
    people = np.bincount(result.zones[lived], weights=result.residents[lived], minlength=n + 1)
    columns = [Column(label=text("heat.table.neighbourhood")), Column(label=text("heat.table.residents"))]
    columns.append(Column(label=text("heat.table.extreme_current")))
    if hot is not None:
        columns.append(Column(label=Text(
            nl=translate("heat.table.extreme_warmest", "nl", scenario=hot.scenario.label("nl")),
            en=translate("heat.table.extreme_warmest", "en", scenario=hot.scenario.label("en")))))
    columns += [Column(label=text("heat.table.over65_current")),
                Column(label=text("heat.table.uhi_high", threshold=f"{kn.uhi_high_k:g}")),
                Column(label=text("heat.table.far_from_cool", distance=f"{kn.cool_max_distance_m:g}"), unit="%")]

    def row(code: str, name: str | Text, residents: float) -> list[Any]:
        cells: list[Any] = [name, round(residents)]
        for sid in ([current] + ([hot.scenario.id] if hot is not None else [])):
            cells.append(values.get((sid, code, "residents_pet_extreme")) if sid is not None else None)
        ref = current or ""
        cells += [values.get((ref, code, "over65_pet_extreme")), values.get((ref, code, "residents_uhi_high")),
                  values.get((ref, code, "share_far_from_cool"))]
        return cells

    rows: list[list[Any]] = []
    for z in range(1, n + 1):
        assert hoods is not None
        r = hoods.iloc[z - 1]
        rows.append(row(str(r.get("code", z)), str(r.get("name", "")), float(people[z])))
    total = row("", text("heat.table.total"), float(people[1:].sum()))
    nights = {lang: "; ".join(f"{s.scenario.label(lang)}: {_number(result.tropical_nights.get(s.scenario.id), lang)}"
                              for s in result.scenarios) for lang in ("nl", "en")}
    items = ", ".join(f"{v} ({sid})" for v, sid in result.missing)
    note = Text(
        nl=translate("heat.table.note", "nl", nights=nights["nl"],
                     missing=translate("heat.table.missing", "nl", items=items) if items else ""),
        en=translate("heat.table.note", "en", nights=nights["en"],
                     missing=translate("heat.table.missing", "en", items=items) if items else ""),
    )
    return TableSpec(id="heat_neighbourhoods", theme="heat", title=text("heat.table.title"),
                     description=text("heat.table.description", radius=f"{kn.home_radius_m:g}"),
                     columns=columns, rows=rows, total=total, note=note)


def _number(value: float | None, language: str) -> str:
    """A count of nights for a sentence: one decimal below 10, a decimal comma in Dutch; "no data" for None."""
    if value is None:
        return translate("heat.table.no_data", language)
    out = f"{value:.1f}" if abs(value) < 10 else f"{value:.0f}"
    return out.replace(".", ",") if language == "nl" else out


# --- the dossier product ----------------------------------------------------------------------------

def heat(ctx: Any) -> None:
    """Felt temperature per scenario, heat island, cooling, cool places and residents per neighbourhood."""
    from alliantie.climate import dossier_scenarios, load_climate_table
    from alliantie.knowledge import knowledge_file
    from alliantie.method.urgency.open_water import water_mask

    params = ctx.params(HeatParameters)
    override = ctx.dossier.knowledge_override("heat")
    knowledge = read_knowledge(ctx.knowledge("heat"), ctx.knowledge("lgn_classes"),
                               path=str(knowledge_file("heat", override)))
    scenarios = dossier_scenarios(ctx.param("scenarios"))
    table = load_climate_table(ctx.knowledge("knmi_scenarios"))
    water = water_mask([ctx.vector("watercourses"), ctx.vector("waterbodies")], ctx.grid)
    data = HeatInput(grid=ctx.grid, dem=ctx.raster("dem").array, landuse=ctx.raster("landuse").array,
                     buildings=ctx.vector("buildings"), neighbourhoods=ctx.vector("neighbourhoods"),
                     area=ctx.mask, water=water)
    result = analyse(data, knowledge, params, scenarios, table, progress=ctx.progress)
    log.info("heat: %s", ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
    write_outputs(ctx.out_dir, result, ctx.language, area=ctx.mask)
