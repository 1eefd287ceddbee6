"""Sun, shade and the mean radiant temperature of a standing person (numpy in, numpy out; numba kernels).

* :func:`solar_position`, :func:`clear_sky_sun`, :func:`sky_emissivity_brutsaert`:
  the sun and sky of the standard hot day.
* :func:`cast_shadow`: the shadow of a surface model for one sun position;
  :func:`afternoon_radiation`: shade and absorbed short-wave radiation averaged
  over the sun positions of the afternoon.
* :func:`absorbed_radiation` (:func:`shortwave_absorbed` + :func:`longwave_absorbed`),
  :func:`mean_radiant_temperature` and its fused numba form
  :func:`mean_radiant_temperature_fast`: a six-direction radiation budget of a
  standing person in sun or shade with the sky view factor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit, prange
from scipy import ndimage

__all__ = [
    "KELVIN",
    "SIGMA",
    "Sun",
    "absorbed_radiation",
    "afternoon_radiation",
    "cast_shadow",
    "clear_sky_sun",
    "longwave_absorbed",
    "mean_radiant_temperature",
    "mean_radiant_temperature_fast",
    "projection_factor",
    "shortwave_absorbed",
    "sky_emissivity_brutsaert",
    "solar_position",
    "tmrt_from_flux",
]

#: Stefan-Boltzmann constant (W m-2 K-4).
SIGMA = 5.670374e-8
KELVIN = 273.15


@dataclass(frozen=True)
class Sun:
    """The sun of the standard hot day: direct normal and diffuse radiation (W m-2), elevation (degrees)."""

    direct_wm2: float
    diffuse_wm2: float
    elevation_deg: float

    @property
    def global_wm2(self) -> float:
        """Global radiation on a horizontal surface (W m-2)."""
        return self.direct_wm2 * math.sin(math.radians(self.elevation_deg)) + self.diffuse_wm2


def projection_factor(elevation_deg: float) -> float:
    """Projected-area factor of a standing person for direct sun (Fanger 1970 fit used by VDI 3787)."""
    beta = elevation_deg
    return 0.308 * math.cos(math.radians(beta * (1.0 - beta ** 2 / 48402.0)))


def shortwave_absorbed(svf: np.ndarray, shade: np.ndarray, albedo: np.ndarray, sun: Sun,
                       absorption_short: float = 0.7) -> np.ndarray:
    """Short-wave part (W m-2) of the flux absorbed by a standing person (see :func:`absorbed_radiation`)."""
    svf_a = np.clip(np.asarray(svf, dtype=np.float64), 0.0, 1.0)
    shade_a = np.clip(np.asarray(shade, dtype=np.float64), 0.0, 1.0)
    alb = np.asarray(albedo, dtype=np.float64)
    sunlit = 1.0 - shade_a
    short = (projection_factor(sun.elevation_deg) * sun.direct_wm2 * sunlit
             + 0.5 * sun.diffuse_wm2 * svf_a
             + 0.5 * alb * (sun.global_wm2 * sunlit + sun.diffuse_wm2 * shade_a))
    return np.asarray(absorption_short * short)


def longwave_absorbed(ta_c: float | np.ndarray, svf: np.ndarray, shade: np.ndarray, *, sky_emissivity: float,
                      surface_emissivity: float, sunlit_surface_excess_k: float | np.ndarray,
                      shaded_surface_excess_k: float | np.ndarray, absorption_long: float = 0.97) -> np.ndarray:
    """Long-wave part (W m-2) of the flux absorbed by a standing person (see :func:`absorbed_radiation`)."""
    ta_k = np.asarray(ta_c, dtype=np.float64) + KELVIN
    svf_a = np.clip(np.asarray(svf, dtype=np.float64), 0.0, 1.0)
    shade_a = np.clip(np.asarray(shade, dtype=np.float64), 0.0, 1.0)
    t_ground = ta_k + (1.0 - shade_a) * sunlit_surface_excess_k + shade_a * shaded_surface_excess_k
    l_sky = sky_emissivity * SIGMA * ta_k ** 4
    l_ground = surface_emissivity * SIGMA * t_ground ** 4
    l_wall = surface_emissivity * SIGMA * (ta_k + shaded_surface_excess_k) ** 4
    return np.asarray(absorption_long * (0.5 * (svf_a * l_sky + (1.0 - svf_a) * l_wall) + 0.5 * l_ground))


def absorbed_radiation(
    ta_c: float | np.ndarray, svf: np.ndarray, shade: np.ndarray, albedo: np.ndarray, sun: Sun, *,
    sky_emissivity: float, surface_emissivity: float, sunlit_surface_excess_k: float | np.ndarray,
    shaded_surface_excess_k: float | np.ndarray, absorption_short: float = 0.7, absorption_long: float = 0.97,
) -> np.ndarray:
    """Mean radiant flux density (W m-2) absorbed by a standing person.

    Half of the radiation comes from above: diffuse sky light and sky long-wave
    through the sky view factor ``svf``, walls or canopy (at air temperature
    plus the shaded excess) through the rest; half from below: ground-reflected
    sunlight and ground long-wave; plus direct sun on the projected area where
    the cell is not shaded. ``shade`` is the share of the cell out of the sun
    (0-1, buildings and trees), ``albedo`` that of the ground. Sunlit ground is
    warmer than the air by ``sunlit_surface_excess_k``, shaded ground by
    ``shaded_surface_excess_k``.
    """
    short = shortwave_absorbed(svf, shade, albedo, sun, absorption_short)
    long = longwave_absorbed(ta_c, svf, shade, sky_emissivity=sky_emissivity, surface_emissivity=surface_emissivity,
                             sunlit_surface_excess_k=sunlit_surface_excess_k,
                             shaded_surface_excess_k=shaded_surface_excess_k, absorption_long=absorption_long)
    return np.asarray(short + long)


def tmrt_from_flux(flux_wm2: np.ndarray, absorption_long: float = 0.97) -> np.ndarray:
    """Mean radiant temperature (degC) of an absorbed flux density (W m-2)."""
    return np.asarray((np.asarray(flux_wm2, dtype=np.float64) / (absorption_long * SIGMA)) ** 0.25 - KELVIN)


def mean_radiant_temperature_fast(
    ta_c: float, short_wm2: np.ndarray, svf: np.ndarray, shade: np.ndarray, *, sky_emissivity: float,
    surface_emissivity: float, sunlit_surface_excess_k: np.ndarray, shaded_surface_excess_k: np.ndarray,
    absorption_long: float = 0.97,
) -> np.ndarray:
    """Mean radiant temperature (degC) from an absorbed short-wave flux and the long-wave budget (numba, float64).

    The same physics as :func:`longwave_absorbed` plus :func:`tmrt_from_flux`
    for one uniform air temperature, fused for speed on large grids.
    """
    arrays = [np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=np.float64), np.shape(short_wm2))).ravel()
              for a in (short_wm2, svf, shade, sunlit_surface_excess_k, shaded_surface_excess_k)]
    short, svf_a, shade_a, ex_sun, ex_shade = arrays
    out = _tmrt_kernel(float(ta_c), short, svf_a, shade_a, ex_sun, ex_shade, float(sky_emissivity),
                       float(surface_emissivity), float(absorption_long))
    return np.asarray(out.reshape(np.shape(short_wm2)))


@njit(cache=True, parallel=True)
def _tmrt_kernel(ta_c: float, short: np.ndarray, svf: np.ndarray, shade: np.ndarray, ex_sun: np.ndarray,
                 ex_shade: np.ndarray, eps_sky: float, eps_surface: float,
                 a_long: float) -> np.ndarray:  # pragma: no cover - numba
    n = short.shape[0]
    out = np.empty(n)
    ta = ta_c + KELVIN
    l_sky = eps_sky * SIGMA * ta ** 4
    for k in prange(n):
        if not (np.isfinite(short[k]) and np.isfinite(svf[k]) and np.isfinite(shade[k])):
            out[k] = np.nan
            continue
        v = min(max(svf[k], 0.0), 1.0)
        sh = min(max(shade[k], 0.0), 1.0)
        tg = ta + (1.0 - sh) * ex_sun[k] + sh * ex_shade[k]
        tw = ta + ex_shade[k]
        l_ground = eps_surface * SIGMA * tg ** 4
        l_wall = eps_surface * SIGMA * tw ** 4
        flux = short[k] + a_long * (0.5 * (v * l_sky + (1.0 - v) * l_wall) + 0.5 * l_ground)
        out[k] = (flux / (a_long * SIGMA)) ** 0.25 - KELVIN
    return out


def mean_radiant_temperature(
    ta_c: float | np.ndarray, svf: np.ndarray, shade: np.ndarray, albedo: np.ndarray, sun: Sun, *,
    sky_emissivity: float, surface_emissivity: float, sunlit_surface_excess_k: float | np.ndarray,
    shaded_surface_excess_k: float | np.ndarray, absorption_short: float = 0.7, absorption_long: float = 0.97,
) -> np.ndarray:
    """Mean radiant temperature (degC) of a standing person for one sun position (see :func:`absorbed_radiation`)."""
    flux = absorbed_radiation(ta_c, svf, shade, albedo, sun, sky_emissivity=sky_emissivity,
                              surface_emissivity=surface_emissivity,
                              sunlit_surface_excess_k=sunlit_surface_excess_k,
                              shaded_surface_excess_k=shaded_surface_excess_k, absorption_short=absorption_short,
                              absorption_long=absorption_long)
    return tmrt_from_flux(flux, absorption_long)


def solar_position(latitude_deg: float, day_of_year: int, solar_hour: float) -> tuple[float, float]:
    """Sun elevation and azimuth (degrees, azimuth clockwise from north) at a solar time.

    Declination after Cooper (1969): ``23.45 sin(360 (284 + n) / 365)``.
    """
    decl = math.radians(23.45 * math.sin(math.radians(360.0 * (284 + day_of_year) / 365.0)))
    lat = math.radians(latitude_deg)
    hour_angle = math.radians(15.0 * (solar_hour - 12.0))
    sin_h = math.sin(lat) * math.sin(decl) + math.cos(lat) * math.cos(decl) * math.cos(hour_angle)
    h = math.asin(max(-1.0, min(1.0, sin_h)))
    cos_az = (math.sin(decl) - math.sin(h) * math.sin(lat)) / max(math.cos(h) * math.cos(lat), 1e-12)
    az = math.degrees(math.acos(max(-1.0, min(1.0, cos_az))))
    if hour_angle > 0:
        az = 360.0 - az
    return math.degrees(h), az


def clear_sky_sun(elevation_deg: float, transmissivity: float, solar_constant_wm2: float = 1361.0,
                  diffuse_intercept: float = 0.271, diffuse_slope: float = 0.294) -> Sun:
    """Direct normal and diffuse radiation of a clear sky (beam ``I0 tau^m``, diffuse after Liu & Jordan 1960)."""
    if elevation_deg <= 0:
        return Sun(0.0, 0.0, elevation_deg)
    sin_h = math.sin(math.radians(elevation_deg))
    beam = transmissivity ** (1.0 / sin_h)
    diffuse = solar_constant_wm2 * sin_h * max(diffuse_intercept - diffuse_slope * beam, 0.0)
    return Sun(direct_wm2=solar_constant_wm2 * beam, diffuse_wm2=diffuse, elevation_deg=elevation_deg)


def sky_emissivity_brutsaert(ta_c: float, rh_pct: float, coefficient: float = 1.24, exponent: float = 7.0) -> float:
    """Clear-sky emissivity (Brutsaert 1975) from air temperature (degC) and relative humidity (%)."""
    es_hpa = 6.112 * math.exp(17.67 * ta_c / (ta_c + 243.5))  # Bolton (1980)
    e_hpa = es_hpa * rh_pct / 100.0
    return coefficient * (e_hpa / (ta_c + KELVIN)) ** (1.0 / exponent)


@njit(cache=True, parallel=True)
def _shadow_kernel(dsm: np.ndarray, receiver: np.ndarray, res: float, dy: float, dx: float, tan_h: float,
                   steps: int, zmax: np.ndarray) -> np.ndarray:  # pragma: no cover - numba
    rows, cols = dsm.shape
    out = np.zeros((rows, cols), dtype=np.uint8)
    for i in prange(rows):
        for j in range(cols):
            z0 = receiver[i, j]
            if not np.isfinite(z0):
                continue
            for k in range(1, steps + 1):
                ii = int(np.floor(i + k * dy + 0.5))
                jj = int(np.floor(j + k * dx + 0.5))
                if ii < 0 or jj < 0 or ii >= rows or jj >= cols:
                    break
                z = dsm[ii, jj]
                if not np.isfinite(z):
                    continue
                need = z0 + k * res * tan_h
                if z > need:
                    out[i, j] = 1
                    break
                if need > zmax[i, j]:  # nothing further along can rise above the ray
                    break
    return out


def cast_shadow(dsm: np.ndarray, res: float, elevation_deg: float, azimuth_deg: float,
                max_distance_m: float | None = None, receiver: np.ndarray | None = None) -> np.ndarray:
    """uint8 1 where a cell lies in the shadow of the surface model (m) for a sun at the given position.

    The ray towards the sun (azimuth clockwise from north, rows run south)
    stops at ``max_distance_m`` or where it rises above the highest cell. It
    starts at the height of the cell in ``receiver`` (the surface model itself
    when None): the effect engine keeps the shaded person at the height of
    the step 1 surface when new tree crowns rise around it.
    """
    if elevation_deg <= 0:
        return np.ones(np.shape(dsm), dtype=np.uint8)
    z = np.asarray(dsm, dtype=np.float64)
    z0 = z if receiver is None else np.asarray(receiver, dtype=np.float64)
    finite = z[np.isfinite(z)]
    low = z0[np.isfinite(z0)]
    if finite.size == 0 or low.size == 0:
        return np.zeros(z.shape, dtype=np.uint8)
    rise = float(finite.max() - low.min())
    tan_h = math.tan(math.radians(elevation_deg))
    steps = max(1, math.ceil(rise / (tan_h * res)))
    if max_distance_m is not None:
        steps = min(steps, max(1, math.ceil(max_distance_m / res)))
    zmax = ndimage.maximum_filter(np.where(np.isfinite(z), z, -np.inf), size=2 * steps + 1, mode="nearest")
    az = math.radians(azimuth_deg)
    kernel = _shadow_kernel(z, z0, float(res), -math.cos(az), math.sin(az), tan_h, steps, zmax.astype(np.float64))
    return np.asarray(kernel)


def afternoon_radiation(shadow_dsm: np.ndarray, canopy: np.ndarray, svf: np.ndarray, albedo: np.ndarray,
                        suns: Sequence[Sun], azimuths_deg: Sequence[float], res: float, *,
                        max_distance_m: float | None, absorption_short: float,
                        receiver: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Shade (0-1) and absorbed short-wave radiation (W m-2) averaged over the sun positions of the afternoon.

    For each sun (with its azimuth) the surface model ``shadow_dsm`` (ground,
    buildings and tree crowns) casts shadows (:func:`cast_shadow` up to
    ``max_distance_m``, seen from ``receiver`` as there); a cell is shaded by them or by the ``canopy`` share of
    its own trees, ``shade = 1 - (1 - canopy) * (1 - shadow)``, and the person
    on it absorbs :func:`shortwave_absorbed` with sky view ``svf`` and ground
    ``albedo``.
    """
    shade_sum = np.zeros(np.shape(shadow_dsm))
    short_sum = np.zeros(np.shape(shadow_dsm))
    for sun, azimuth in zip(suns, azimuths_deg, strict=True):
        shadow = cast_shadow(shadow_dsm, res, sun.elevation_deg, azimuth, max_distance_m, receiver)
        shade = 1.0 - (1.0 - canopy) * (1.0 - shadow)
        shade_sum += shade
        short_sum += shortwave_absorbed(svf, shade, albedo, sun, absorption_short)
    n_sun = len(suns)
    return shade_sum / n_sun, short_sum / n_sun
