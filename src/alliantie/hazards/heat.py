"""Heat stress kernels (numpy in, numpy out, NaN = no data): urban heat island, sky view, felt temperature, cooling.

* :func:`theeuwes_uhi_max`: the diagnostic equation of Theeuwes et al. (2017,
  Int. J. Climatol. 37:443-454) for the maximum urban heat island of a day,
  ``UHImax = (2 - SVF - f_veg) * (S * DTR**3 / U) ** (1/4)``.
* :func:`sky_view_factor`: horizon-angle sky view factor of a surface model
  (numba), ``SVF = 1 - mean(sin^2(horizon angle))`` over the directions.
* :func:`focal_mean` and :func:`vegetation_fraction`: means within a disc (FFT).
* :func:`mean_radiant_temperature`: a six-direction radiation budget of a
  standing person in sun or shade with the sky view factor; :func:`pet_table`
  and :func:`pet_lookup`: the physiological equivalent temperature (PET, Höppe
  1999) tabulated over mean radiant temperature and wind with
  ``pythermalcomfort`` and interpolated per cell.
* :func:`cooling_capacity`, :func:`park_cooling`: the InVEST Urban Cooling
  Model's cooling capacity and the cooling of large green areas over distance.
* :func:`distance_to_cool_place`: distance (m) to the nearest cool place of at
  least a minimum area.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit, prange
from scipy import ndimage, signal

#: Stefan-Boltzmann constant (W m-2 K-4).
SIGMA = 5.670374e-8
KELVIN = 273.15


# --- urban heat island ---------------------------------------------------------------------------

def theeuwes_uhi_max(svf: np.ndarray | float, f_veg: np.ndarray | float, s: np.ndarray | float,
                     dtr: np.ndarray | float, u: np.ndarray | float) -> np.ndarray:
    """Maximum urban heat island of a day (K) after Theeuwes et al. (2017), equation on broadcasting arrays.

    ``svf`` sky view factor (0-1), ``f_veg`` vegetation fraction (0-1), ``s``
    daily mean incoming shortwave radiation divided by rho*c_p (K m s-1),
    ``dtr`` rural diurnal temperature range (K), ``u`` rural 10 m wind speed
    (m s-1). NaN propagates; values out of range raise ValueError.
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in (svf, f_veg, s, dtr, u)]
    names = ("svf", "f_veg", "s", "dtr", "u")
    for name, a in zip(names, arrays, strict=True):
        finite = a[np.isfinite(a)]
        if name in ("svf", "f_veg") and ((finite < 0) | (finite > 1)).any():
            raise ValueError(f"{name} must lie between 0 and 1")
        if name in ("s", "dtr") and (finite < 0).any():
            raise ValueError(f"{name} must not be negative")
        if name == "u" and (finite <= 0).any():
            raise ValueError("u (wind speed) must be positive")
    svf_a, fveg_a, s_a, dtr_a, u_a = arrays
    return np.asarray((2.0 - svf_a - fveg_a) * (s_a * dtr_a ** 3 / u_a) ** 0.25)


def radiation_to_s(shortwave_wm2: float, rho_kg_m3: float, cp_j_kg_k: float) -> float:
    """Theeuwes' S (K m s-1): daily mean incoming shortwave radiation (W m-2) divided by rho*c_p."""
    return shortwave_wm2 / (rho_kg_m3 * cp_j_kg_k)


# --- sky view factor -----------------------------------------------------------------------------

@njit(cache=True, parallel=True)
def _svf_kernel(dsm: np.ndarray, res: float, dirs: int, steps: np.ndarray,
                bound: np.ndarray, skip_tan: float) -> np.ndarray:  # pragma: no cover - numba
    rows, cols = dsm.shape
    out = np.full((rows, cols), np.nan, dtype=np.float32)
    dy = np.empty(dirs)
    dx = np.empty(dirs)
    for d in range(dirs):
        phi = 2.0 * math.pi * d / dirs
        dy[d] = -math.cos(phi)
        dx[d] = math.sin(phi)
    for i in prange(rows):
        for j in range(cols):
            z0 = dsm[i, j]
            if not np.isfinite(z0):
                continue
            if bound[i, j] < skip_tan:  # no horizon above atan(skip_tan) anywhere: open sky
                out[i, j] = 1.0
                continue
            total = 0.0
            for d in range(dirs):
                best = 0.0
                for k in steps:
                    ii = int(np.floor(i + k * dy[d] + 0.5))
                    jj = int(np.floor(j + k * dx[d] + 0.5))
                    if ii < 0 or jj < 0 or ii >= rows or jj >= cols:
                        break
                    z = dsm[ii, jj]
                    if not np.isfinite(z):
                        continue
                    t = (z - z0) / (k * res)
                    if t > best:
                        best = t
                total += best * best / (1.0 + best * best)  # sin^2 of the horizon angle
            out[i, j] = 1.0 - total / dirs
    return out


def ray_steps(res: float, max_distance_m: float, dense_cells: int = 10, growth: float = 1.15) -> np.ndarray:
    """Distances along a ray (in cells): every cell up to ``dense_cells``, then growing by ``growth``."""
    limit = max(1.0, max_distance_m / res)
    out: list[float] = []
    k = 1.0
    while k <= limit + 1e-9:
        out.append(k)
        k = k + 1.0 if k < dense_cells else k * growth
    return np.asarray(out, dtype=np.float64)


def horizon_bound(dsm: np.ndarray, res: float, max_distance_m: float) -> np.ndarray:
    """Upper bound of the tangent of the horizon angle of each cell within ``max_distance_m``.

    From two local maxima: the 5 x 5 window (obstacles at least one cell away)
    and the whole search window (obstacles outside the 5 x 5 window are at
    least three cells away).
    """
    z = np.where(np.isfinite(dsm), dsm, -np.inf)
    near = ndimage.maximum_filter(z, size=5, mode="nearest")
    size = 2 * math.ceil(max_distance_m / res) + 1
    far = ndimage.maximum_filter(z, size=size, mode="nearest")
    with np.errstate(invalid="ignore"):
        bound = np.maximum((near - z) / res, (far - z) / (3.0 * res))
    return np.asarray(np.where(np.isfinite(bound), bound, np.inf))


def sky_view_factor(dsm: np.ndarray, res: float, directions: int = 16, max_distance_m: float = 100.0,
                    skip_below: float = 0.005) -> np.ndarray:
    """Sky view factor (0-1) of every cell of a surface model (m) with cell size ``res`` (m).

    The horizon angle is searched along ``directions`` rays up to
    ``max_distance_m`` (every cell for the first ten, then in steps growing by
    15 %, which keeps the cost down on fine grids); ``SVF = 1 - mean(sin^2
    horizon)`` (horizontal surface, isotropic sky). Cells whose horizon can
    lower the SVF by at most ``skip_below`` (see :func:`horizon_bound`) get 1
    without a search: flat open land costs nothing. NaN cells give NaN and do
    not block the view.
    """
    if directions < 4:
        raise ValueError("use at least 4 directions")
    if not res > 0 or not max_distance_m > 0:
        raise ValueError("res and max_distance_m must be positive")
    if not 0 <= skip_below < 1:
        raise ValueError("skip_below must lie in [0, 1)")
    z = np.asarray(dsm, dtype=np.float64)
    steps = ray_steps(res, max_distance_m)
    bound = horizon_bound(z, res, max_distance_m) if skip_below > 0 else np.full(z.shape, np.inf)
    skip_tan = math.sqrt(skip_below / (1.0 - skip_below))  # sin^2 = t^2 / (1 + t^2) = skip_below
    return np.asarray(_svf_kernel(z, float(res), int(directions), steps, bound, skip_tan))


def canyon_svf(height_m: float, width_m: float) -> float:
    """Analytic sky view factor in the middle of the floor of an infinitely long street canyon."""
    return math.cos(math.atan(2.0 * height_m / width_m))


# --- focal means ---------------------------------------------------------------------------------

def disc(res: float, radius_m: float) -> np.ndarray:
    """A disc of ones (cells whose centre lies within ``radius_m``)."""
    r = math.floor(radius_m / res)
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    return ((yy * res) ** 2 + (xx * res) ** 2 <= radius_m ** 2 + 1e-9).astype(np.float64)


def focal_mean(values: np.ndarray, res: float, radius_m: float, valid: np.ndarray | None = None,
               coarsen: int = 1) -> np.ndarray:
    """Mean of ``values`` over the valid, finite cells within ``radius_m`` of each cell (NaN where none).

    ``coarsen`` > 1 sums blocks of ``coarsen`` x ``coarsen`` cells first and
    interpolates the result back (bilinear): for radii of many cells, where the
    mean varies smoothly, at a fraction of the cost.
    """
    v = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(v) if valid is None else (np.asarray(valid, dtype=bool) & np.isfinite(v))
    f = max(1, int(coarsen))
    kernel = disc(res * f, radius_m)
    if kernel.size == 1 and f == 1:
        return np.where(ok, v, np.nan)
    total = _coarse_convolve(np.where(ok, v, 0.0), kernel, f)
    count = _coarse_convolve(ok.astype(np.float64), kernel, f)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(count > 0.5 / (f * f), total / np.maximum(count, 1e-12), np.nan)
    return np.asarray(out)


def _block_sum(a: np.ndarray, f: int) -> np.ndarray:
    rows, cols = a.shape
    pr, pc = (-rows) % f, (-cols) % f
    padded = np.pad(a, ((0, pr), (0, pc)))
    return np.asarray(padded.reshape(padded.shape[0] // f, f, padded.shape[1] // f, f).sum(axis=(1, 3)))


def _coarse_convolve(a: np.ndarray, kernel: np.ndarray, f: int) -> np.ndarray:
    """``a`` convolved with ``kernel`` (same shape out); with ``f`` > 1 on blocks of f x f, per fine cell."""
    if f == 1:
        return np.asarray(signal.fftconvolve(a, kernel, mode="same"))
    coarse = signal.fftconvolve(_block_sum(a, f), kernel, mode="same") / (f * f)
    return _upsample(coarse, f, a.shape)


def _upsample(coarse: np.ndarray, f: int, shape: tuple[int, ...]) -> np.ndarray:
    """Bilinear interpolation of block values (block centres) back to the cells of ``shape`` (separable)."""
    out = coarse
    for axis, n in enumerate(shape[:2]):
        pos = np.clip((np.arange(n) + 0.5) / f - 0.5, 0.0, coarse.shape[axis] - 1.0)
        i0 = np.minimum(np.floor(pos).astype(np.int64), coarse.shape[axis] - 2) if coarse.shape[axis] > 1 \
            else np.zeros(n, dtype=np.int64)
        w = pos - i0 if coarse.shape[axis] > 1 else np.zeros(n)
        i1 = np.minimum(i0 + 1, coarse.shape[axis] - 1)
        if axis == 0:
            out = out[i0, :] * (1.0 - w)[:, None] + out[i1, :] * w[:, None]
        else:
            out = out[:, i0] * (1.0 - w)[None, :] + out[:, i1] * w[None, :]
    return np.asarray(out)


def box_mean(values: np.ndarray, res: float, half_width_m: float, valid: np.ndarray | None = None) -> np.ndarray:
    """Mean of ``values`` over the valid, finite cells of a square of half-width ``half_width_m`` (fast, separable)."""
    v = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(v) if valid is None else (np.asarray(valid, dtype=bool) & np.isfinite(v))
    size = 2 * math.floor(half_width_m / res) + 1
    total = ndimage.uniform_filter(np.where(ok, v, 0.0), size=size, mode="constant")
    count = ndimage.uniform_filter(ok.astype(np.float64), size=size, mode="constant")
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(count * size * size > 0.5, total / np.maximum(count, 1e-12), np.nan)
    return np.asarray(out)


def vegetation_fraction(green: np.ndarray, res: float, radius_m: float, valid: np.ndarray | None = None,
                        coarsen: int = 1) -> np.ndarray:
    """Share (0-1) of vegetated cells within ``radius_m`` (``green`` bool or 0-1 fractions)."""
    return np.clip(focal_mean(np.asarray(green, dtype=np.float64), res, radius_m, valid, coarsen), 0.0, 1.0)


# --- radiation and felt temperature --------------------------------------------------------------

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
def _shadow_kernel(dsm: np.ndarray, res: float, dy: float, dx: float, tan_h: float,
                   steps: int, zmax: np.ndarray) -> np.ndarray:  # pragma: no cover - numba
    rows, cols = dsm.shape
    out = np.zeros((rows, cols), dtype=np.uint8)
    for i in prange(rows):
        for j in range(cols):
            z0 = dsm[i, j]
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
                max_distance_m: float | None = None) -> np.ndarray:
    """uint8 1 where a cell lies in the shadow of the surface model (m) for a sun at the given position.

    The ray towards the sun (azimuth clockwise from north, rows run south)
    stops at ``max_distance_m`` or where it rises above the highest cell.
    """
    if elevation_deg <= 0:
        return np.ones(np.shape(dsm), dtype=np.uint8)
    z = np.asarray(dsm, dtype=np.float64)
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return np.zeros(z.shape, dtype=np.uint8)
    rise = float(finite.max() - finite.min())
    tan_h = math.tan(math.radians(elevation_deg))
    steps = max(1, math.ceil(rise / (tan_h * res)))
    if max_distance_m is not None:
        steps = min(steps, max(1, math.ceil(max_distance_m / res)))
    zmax = ndimage.maximum_filter(np.where(np.isfinite(z), z, -np.inf), size=2 * steps + 1, mode="nearest")
    az = math.radians(azimuth_deg)
    kernel = _shadow_kernel(z, float(res), -math.cos(az), math.sin(az), tan_h, steps, zmax.astype(np.float64))
    return np.asarray(kernel)


@dataclass(frozen=True)
class Person:
    """The standard person of PET (Höppe 1999): activity (W), clothing (clo), age, sex, weight, height."""

    activity_w: float = 80.0
    clothing_clo: float = 0.9
    age: float = 35.0
    sex: str = "male"
    weight_kg: float = 75.0
    height_m: float = 1.75
    position: str = "standing"


@dataclass(frozen=True)
class PetTable:
    """PET (degC) on a regular grid of mean radiant temperature (degC) and wind speed (m s-1) at one air state."""

    ta_c: float
    rh_pct: float
    tmrt_c: np.ndarray
    wind_ms: np.ndarray
    pet_c: np.ndarray  # shape (len(tmrt_c), len(wind_ms))


def pet_table(ta_c: float, rh_pct: float, tmrt_c: Sequence[float] | np.ndarray, wind_ms: Sequence[float] | np.ndarray,
              person: Person = Person()) -> PetTable:
    """Tabulate PET with the MEMI energy balance of ``pythermalcomfort`` (Walther & Goestchel 2018 version)."""
    from pythermalcomfort.models import pet_steady

    tmrt = np.asarray(tmrt_c, dtype=np.float64)
    wind = np.asarray(wind_ms, dtype=np.float64)
    if tmrt.ndim != 1 or wind.ndim != 1 or len(tmrt) < 2 or len(wind) < 2:
        raise ValueError("tmrt_c and wind_ms need at least two values each")
    if (np.diff(tmrt) <= 0).any() or (np.diff(wind) <= 0).any():
        raise ValueError("tmrt_c and wind_ms must increase")
    tr, v = np.meshgrid(tmrt, wind, indexing="ij")
    n = tr.size
    result = pet_steady(tdb=np.full(n, ta_c), tr=tr.ravel(), v=v.ravel(), rh=np.full(n, rh_pct),
                        met=np.full(n, person.activity_w / 58.2), clo=np.full(n, person.clothing_clo),
                        position=person.position, age=person.age, sex=person.sex, weight=person.weight_kg,
                        height=person.height_m)
    pet = np.asarray(result.pet, dtype=np.float64).reshape(tr.shape)
    return PetTable(ta_c=float(ta_c), rh_pct=float(rh_pct), tmrt_c=tmrt, wind_ms=wind, pet_c=pet)


def pet_lookup(table: PetTable, tmrt_c: np.ndarray, wind_ms: np.ndarray) -> np.ndarray:
    """PET (degC) per cell, bilinear in the table (values outside the table are clamped to its edge)."""
    tmrt = np.asarray(tmrt_c, dtype=np.float64)
    wind = np.asarray(wind_ms, dtype=np.float64)
    ti = np.interp(tmrt, table.tmrt_c, np.arange(len(table.tmrt_c), dtype=np.float64))
    wi = np.interp(wind, table.wind_ms, np.arange(len(table.wind_ms), dtype=np.float64))
    out = _bilinear(table.pet_c, ti.ravel(), wi.ravel()).reshape(tmrt.shape)
    return np.where(np.isfinite(tmrt) & np.isfinite(wind), out, np.nan)


@njit(cache=True, parallel=True)
def _bilinear(grid: np.ndarray, fi: np.ndarray, fj: np.ndarray) -> np.ndarray:  # pragma: no cover - numba
    n = fi.shape[0]
    rows, cols = grid.shape
    out = np.empty(n)
    for k in prange(n):
        a, b = fi[k], fj[k]
        if not (np.isfinite(a) and np.isfinite(b)):
            out[k] = np.nan
            continue
        i0 = min(max(int(a), 0), rows - 2)
        j0 = min(max(int(b), 0), cols - 2)
        u = min(max(a - i0, 0.0), 1.0)
        v = min(max(b - j0, 0.0), 1.0)
        out[k] = ((1 - u) * (1 - v) * grid[i0, j0] + u * (1 - v) * grid[i0 + 1, j0]
                  + (1 - u) * v * grid[i0, j0 + 1] + u * v * grid[i0 + 1, j0 + 1])
    return out


def classify(values: np.ndarray, bounds: Sequence[float]) -> np.ndarray:
    """uint8 classes 1..len(bounds)+1 by increasing lower ``bounds`` (0 where NaN)."""
    v = np.asarray(values)
    out = np.isfinite(v).astype(np.uint8)
    with np.errstate(invalid="ignore"):
        for b in bounds:
            out += v >= b
    return out


# --- cooling (InVEST Urban Cooling Model) --------------------------------------------------------

def cooling_capacity(shade: np.ndarray, albedo: np.ndarray, eti: np.ndarray,
                     weights: tuple[float, float, float] = (0.6, 0.2, 0.2)) -> np.ndarray:
    """Cooling capacity index (0-1): ``w_shade*shade + w_albedo*albedo + w_eti*ETI`` (InVEST Urban Cooling)."""
    if abs(sum(weights) - 1.0) > 1e-6 or min(weights) < 0:
        raise ValueError("the three weights must be non-negative and add up to 1")
    ws, wa, we = weights
    return np.asarray(ws * np.asarray(shade, dtype=np.float64) + wa * np.asarray(albedo, dtype=np.float64)
                      + we * np.asarray(eti, dtype=np.float64))


def evapotranspiration_index(kc: np.ndarray, et0_mm: float, et_max_mm: float) -> np.ndarray:
    """InVEST's ETI = Kc * ET0 / ETmax (0-1)."""
    if not et_max_mm > 0:
        raise ValueError("et_max_mm must be positive")
    return np.clip(np.asarray(kc, dtype=np.float64) * et0_mm / et_max_mm, 0.0, 1.0)


def park_cooling(cc: np.ndarray, green: np.ndarray, res: float, cooling_distance_m: float,
                 min_green_area_ha: float = 2.0, coarsen: int = 1) -> np.ndarray:
    """Heat mitigation index: the cooling capacity with the cooling of large green areas spread over distance.

    ``CC_park`` is the mean of the green cells' cooling capacity within
    ``cooling_distance_m`` weighted by ``exp(-d / cooling_distance_m)`` (all
    cells of the disc in the denominator, so a little green cools little);
    where the green area within the distance is at least ``min_green_area_ha``
    and ``CC_park`` exceeds the cell's own ``cc``, the index is ``CC_park``,
    elsewhere ``cc`` (InVEST Urban Cooling Model). ``coarsen`` as in :func:`focal_mean`.
    """
    c = np.asarray(cc, dtype=np.float64)
    g = np.asarray(green, dtype=bool) & np.isfinite(c)
    f = max(1, int(coarsen))
    base = disc(res * f, cooling_distance_m)
    r = base.shape[0] // 2
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    weights = base * np.exp(-np.hypot(yy, xx) * res * f / cooling_distance_m)
    cc_park = _coarse_convolve(np.where(g, c, 0.0), weights, f) / weights.sum()
    green_ha = _coarse_convolve(g.astype(np.float64), base, f) * (res * f) ** 2 / 10_000.0
    use_park = (green_ha >= min_green_area_ha) & (cc_park > c)
    return np.asarray(np.where(use_park, cc_park, c))


def distance_to_cool_place(cool: np.ndarray, res: float, min_area_ha: float) -> np.ndarray:
    """Distance (m) from each cell to the nearest cool place: a connected patch of ``cool`` >= ``min_area_ha``.

    Infinite everywhere when there is no such place.
    """
    mask = np.asarray(cool, dtype=bool)
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if count == 0:
        return np.full(mask.shape, np.inf)
    sizes = np.bincount(labels.ravel())[1:] * res * res / 10_000.0
    keep = np.concatenate([[False], sizes >= min_area_ha])
    places = keep[labels]
    if not places.any():
        return np.full(mask.shape, np.inf)
    return np.asarray(ndimage.distance_transform_edt(~places) * res)


__all__ = [
    "KELVIN",
    "SIGMA",
    "Person",
    "PetTable",
    "Sun",
    "absorbed_radiation",
    "box_mean",
    "canyon_svf",
    "cast_shadow",
    "classify",
    "clear_sky_sun",
    "cooling_capacity",
    "disc",
    "distance_to_cool_place",
    "evapotranspiration_index",
    "focal_mean",
    "horizon_bound",
    "longwave_absorbed",
    "mean_radiant_temperature",
    "mean_radiant_temperature_fast",
    "park_cooling",
    "pet_lookup",
    "pet_table",
    "projection_factor",
    "radiation_to_s",
    "ray_steps",
    "shortwave_absorbed",
    "sky_emissivity_brutsaert",
    "sky_view_factor",
    "solar_position",
    "theeuwes_uhi_max",
    "tmrt_from_flux",
    "vegetation_fraction",
]
