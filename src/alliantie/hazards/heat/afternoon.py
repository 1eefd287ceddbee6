"""The hot afternoon on a surface: heat island, sun and shade, cooling, cool places and felt temperature, step by step.

The steps ``urgency.heat`` runs after the sky view factor, one function each
on a :class:`Surface` (the surface model and the land-use properties of
``heat.toml`` per cell), so that the effect engine
(:mod:`alliantie.measures.heat`) runs the very same steps on a window of the
grid with the properties a measure changes:

* :func:`heat_island`: the maximum urban heat island (Theeuwes et al. 2017);
* :func:`sun_and_shade`: shade and absorbed short-wave radiation of the
  afternoon sun positions, with buildings and tree crowns casting shadows;
* :func:`cooling`: the InVEST heat mitigation index;
* :func:`cool_place_cells`: cells of a cool place (green where people can stay,
  shaded enough);
* :func:`person_wind`, :func:`radiant_temperature` and :func:`felt_temperature`:
  wind at 1.2 m, mean radiant temperature and PET.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alliantie.hazards.heat.cooling import cooling_capacity, evapotranspiration_index, park_cooling
from alliantie.hazards.heat.heat_island import uhi_max_map
from alliantie.hazards.heat.numbers import HeatKnowledge
from alliantie.hazards.heat.pet import PetTable, afternoon_pet, afternoon_tmrt
from alliantie.hazards.heat.radiation import afternoon_radiation
from alliantie.parameters.heat import HeatParameters
from alliantie.raster.focal import coarsening

__all__ = ["Radiation", "Surface", "cool_place_cells", "cooling", "felt_temperature", "heat_island", "person_wind",
           "radiant_temperature", "shadow_surface", "sun_and_shade"]


@dataclass(frozen=True)
class Surface:
    """The surface of the heat chain, all arrays on one grid (or one window of it).

    ``props`` holds the land-use properties and flags of ``heat.toml`` per cell
    (:data:`~alliantie.hazards.heat.numbers.PROPERTIES`, :data:`~alliantie.hazards.heat.numbers.FLAGS`);
    ``vegetated`` may hold fractions 0-1 instead of flags.
    """

    dsm: np.ndarray  #: float64 surface model (m): ground plus buildings, NaN no data
    valid: np.ndarray  #: bool, cells with data
    building: np.ndarray  #: bool, building footprints
    props: dict[str, np.ndarray]
    roof_vegetation: np.ndarray | None = None  #: green roofs: vegetated share of building cells (0-1)
    roof_albedo: np.ndarray | None = None  #: albedo of building cells; None: ``heat.toml``'s roof albedo

    @property
    def outdoor(self) -> np.ndarray:
        return np.asarray(self.valid & ~self.building)

    def window(self, rows: slice, cols: slice) -> Surface:
        """The same surface on ``[rows, cols]`` (views, no copies)."""
        return Surface(dsm=self.dsm[rows, cols], valid=self.valid[rows, cols], building=self.building[rows, cols],
                       props={k: v[rows, cols] for k, v in self.props.items()},
                       roof_vegetation=None if self.roof_vegetation is None else self.roof_vegetation[rows, cols],
                       roof_albedo=None if self.roof_albedo is None else self.roof_albedo[rows, cols])


@dataclass(frozen=True)
class Radiation:
    """The afternoon's sun and shade on every cell."""

    canopy: np.ndarray  #: share of the cell under its own tree crowns (0 on buildings)
    svf: np.ndarray  #: sky view factor under the crowns (``svf * (1 - canopy)``)
    albedo: np.ndarray  #: of the ground, and of the roofs on buildings
    shade: np.ndarray  #: mean share of the cell out of the sun (crowns, cast shadows) over the sun positions
    short: np.ndarray  #: mean absorbed short-wave radiation of a standing person (W m-2)


def heat_island(svf: np.ndarray, surface: Surface, res: float, kn: HeatKnowledge) -> np.ndarray:
    """Maximum urban heat island (K) per cell (:func:`~alliantie.hazards.heat.heat_island.uhi_max_map`)."""
    return uhi_max_map(svf, surface.props["vegetated"], surface.outdoor, surface.valid, res, radius_m=kn.uhi_radius_m,
                       s=kn.uhi_s, dtr_k=kn.uhi_dtr_k, wind_ms=kn.uhi_wind_ms, roof_vegetation=surface.roof_vegetation)


def _albedo(surface: Surface, kn: HeatKnowledge) -> np.ndarray:
    roofs = kn.building_albedo if surface.roof_albedo is None else surface.roof_albedo
    return np.asarray(np.where(surface.building, roofs, surface.props["albedo"]))


def shadow_surface(surface: Surface) -> np.ndarray:
    """The surface that casts shadows (m): the surface model with the tree crowns on the ground."""
    return np.asarray(surface.dsm + np.where(surface.building, 0.0, surface.props["canopy_height_m"]))


def sun_and_shade(svf: np.ndarray, surface: Surface, res: float, kn: HeatKnowledge, max_distance_m: float,
                  receiver: np.ndarray | None = None) -> Radiation:
    """Shade and radiation of the afternoon (:func:`~alliantie.hazards.heat.radiation.afternoon_radiation`).

    Tree crowns shade their own cell by the ``shade`` property and cast
    shadows from ``canopy_height_m`` above the ground, as buildings do
    (:func:`shadow_surface`); ``receiver`` as in
    :func:`~alliantie.hazards.heat.radiation.cast_shadow`.
    """
    building = surface.building
    canopy = np.where(building, 0.0, surface.props["shade"])
    svf_eff = svf * (1.0 - canopy)
    albedo = _albedo(surface, kn)
    shade, short = afternoon_radiation(shadow_surface(surface), canopy, svf_eff, albedo, kn.suns,
                                       kn.sun_azimuths_deg, res, max_distance_m=max_distance_m,
                                       absorption_short=kn.absorption_short, receiver=receiver)
    return Radiation(canopy=canopy, svf=svf_eff, albedo=albedo, shade=shade, short=short)


def cooling(surface: Surface, res: float, kn: HeatKnowledge) -> np.ndarray:
    """Heat mitigation index 0-1 (InVEST: cooling capacity of shade, albedo and evaporation, and park cooling).

    Buildings evaporate nothing (kc 0); NaN outside the data.
    """
    building, props = surface.building, surface.props
    canopy = np.where(building, 0.0, props["shade"])
    kc = np.where(building, 0.0, props["kc"])
    eti = evapotranspiration_index(kc, kn.et0_mm, float(kn.by_code["kc"].max()) * kn.et0_mm)
    cc = cooling_capacity(canopy, _albedo(surface, kn), eti, kn.cooling_weights)
    index = park_cooling(cc, props["green_area"] & surface.outdoor, res, kn.cooling_distance_m, kn.min_green_area_ha,
                         coarsen=coarsening(res, kn.cooling_distance_m))
    return np.asarray(np.where(surface.valid, index, np.nan))


def cool_place_cells(surface: Surface, shade: np.ndarray, kn: HeatKnowledge) -> np.ndarray:
    """Cells of a cool place: green where people can stay (the ``cool`` flag), outdoors, shaded enough."""
    return np.asarray(surface.props["cool"] & surface.outdoor & (shade >= kn.cool_min_shade))


def person_wind(surface: Surface, kn: HeatKnowledge, params: HeatParameters) -> np.ndarray:
    """Wind at 1.2 m (m s-1): the 10 m wind times the land use's factor, within the PET table's winds."""
    return np.asarray(np.clip(kn.wind_10m_ms * surface.props["wind_factor"], params.pet_wind_ms[0],
                              params.pet_wind_ms[-1]))


def _excess(surface: Surface, kn: HeatKnowledge) -> tuple[np.ndarray, np.ndarray]:
    excess_sun = surface.props["surface_excess_k"]
    return excess_sun, np.minimum(excess_sun, kn.shaded_surface_excess_k)


def radiant_temperature(ta_c: float, radiation: Radiation, surface: Surface, kn: HeatKnowledge) -> np.ndarray:
    """Mean radiant temperature (degC) of the outdoor cells, NaN elsewhere, as :func:`felt_temperature` uses it."""
    excess_sun, excess_shade = _excess(surface, kn)
    return afternoon_tmrt(ta_c, radiation.short, radiation.svf, radiation.shade, surface.outdoor,
                          sky_emissivity=kn.sky_emissivity, surface_emissivity=kn.surface_emissivity,
                          sunlit_surface_excess_k=excess_sun, shaded_surface_excess_k=excess_shade,
                          absorption_long=kn.absorption_long)


def felt_temperature(ta_c: float, radiation: Radiation, wind: np.ndarray, surface: Surface, kn: HeatKnowledge,
                     params: HeatParameters, table: PetTable | None = None) -> np.ndarray:
    """PET (degC, float32, 0.1) of the outdoor cells at air temperature ``ta_c``
    (:func:`~alliantie.hazards.heat.pet.afternoon_pet`; ``table`` as there).

    Sunlit ground is warmer than the air by the land use's ``surface_excess_k``,
    shaded ground by at most ``heat.toml``'s shaded excess.
    """
    excess_sun, excess_shade = _excess(surface, kn)
    return afternoon_pet(ta_c, kn.relative_humidity_pct, radiation.short, radiation.svf, radiation.shade, wind,
                         surface.outdoor, person=kn.person, tmrt_step_c=params.pet_tmrt_step_c,
                         wind_axis_ms=params.pet_wind_ms, sky_emissivity=kn.sky_emissivity,
                         surface_emissivity=kn.surface_emissivity, sunlit_surface_excess_k=excess_sun,
                         shaded_surface_excess_k=excess_shade, absorption_long=kn.absorption_long, table=table)
