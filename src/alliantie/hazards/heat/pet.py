"""Felt temperature: the physiological equivalent temperature (PET, Höppe 1999) of a hot afternoon.

* :func:`pet_table` and :func:`pet_lookup`: PET tabulated over mean radiant
  temperature and wind with ``pythermalcomfort`` (the MEMI model as corrected
  by Walther & Goestchel 2018) and interpolated per cell; :func:`classify`:
  classes by lower bounds.
* :func:`afternoon_pet`: PET per cell for one air temperature (one climate
  scenario) from the afternoon radiation; :func:`home_pet`: the outdoor PET
  around each cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from alliantie.hazards.heat.radiation import mean_radiant_temperature_fast
from alliantie.raster.focal import box_mean

__all__ = ["Person", "PetTable", "afternoon_pet", "afternoon_tmrt", "classify", "home_pet", "pet_lookup", "pet_table",
           "tmrt_axis"]


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


def afternoon_pet(ta_c: float, rh_pct: float, short_wm2: np.ndarray, svf: np.ndarray, shade: np.ndarray,
                  wind_ms: np.ndarray, outdoor: np.ndarray, *, person: Person, tmrt_step_c: float,
                  wind_axis_ms: Sequence[float], sky_emissivity: float, surface_emissivity: float,
                  sunlit_surface_excess_k: np.ndarray, shaded_surface_excess_k: np.ndarray,
                  absorption_long: float, table: PetTable | None = None) -> np.ndarray:
    """PET (degC, float32, rounded to 0.1) of the ``outdoor`` cells at air temperature ``ta_c``; NaN elsewhere.

    The mean radiant temperature (:func:`afternoon_tmrt`) and the wind at 1.2 m
    ``wind_ms`` are looked up in a PET table at ``ta_c`` and ``rh_pct``: ``table``
    when given, else one whose mean radiant temperatures run in steps of
    ``tmrt_step_c`` over the whole range of the cells (:func:`tmrt_axis`) and
    whose winds are ``wind_axis_ms``.
    """
    tmrt = afternoon_tmrt(ta_c, short_wm2, svf, shade, outdoor, sky_emissivity=sky_emissivity,
                          surface_emissivity=surface_emissivity, sunlit_surface_excess_k=sunlit_surface_excess_k,
                          shaded_surface_excess_k=shaded_surface_excess_k, absorption_long=absorption_long)
    if table is None:
        table = pet_table(ta_c, rh_pct, tmrt_axis(tmrt, ta_c, tmrt_step_c), wind_axis_ms, person)
    return np.round(pet_lookup(table, tmrt, wind_ms), 1).astype(np.float32)  # 0.1 degC: compresses well


def afternoon_tmrt(ta_c: float, short_wm2: np.ndarray, svf: np.ndarray, shade: np.ndarray, outdoor: np.ndarray, *,
                   sky_emissivity: float, surface_emissivity: float, sunlit_surface_excess_k: np.ndarray,
                   shaded_surface_excess_k: np.ndarray, absorption_long: float) -> np.ndarray:
    """Mean radiant temperature (degC) of the ``outdoor`` cells, NaN elsewhere.

    :func:`~alliantie.hazards.heat.radiation.mean_radiant_temperature_fast` of the
    absorbed short-wave ``short_wm2``, sky view ``svf`` and ``shade``.
    """
    tmrt = mean_radiant_temperature_fast(
        ta_c, short_wm2, svf, shade, sky_emissivity=sky_emissivity, surface_emissivity=surface_emissivity,
        sunlit_surface_excess_k=sunlit_surface_excess_k, shaded_surface_excess_k=shaded_surface_excess_k,
        absorption_long=absorption_long)
    return np.asarray(np.where(outdoor, tmrt, np.nan))


def tmrt_axis(tmrt: np.ndarray, ta_c: float, step_c: float, margin_steps: int = 0) -> np.ndarray:
    """Mean radiant temperatures (degC) of a PET table: whole degrees around the finite values of ``tmrt``.

    From the floor of the lowest to at least the ceiling of the highest in
    steps of ``step_c``, widened by ``margin_steps`` steps on both sides;
    ``ta_c`` to ``ta_c + 1`` when no value is finite.
    """
    finite = np.isfinite(tmrt)
    lo = float(np.floor(np.nanmin(tmrt))) if finite.any() else ta_c
    hi = float(np.ceil(np.nanmax(tmrt))) if finite.any() else ta_c + 1.0
    lo -= margin_steps * step_c
    hi += margin_steps * step_c
    return np.arange(lo, max(hi, lo + step_c) + step_c, step_c)


def home_pet(pet: np.ndarray, building: np.ndarray, outdoor: np.ndarray, res: float, radius_m: float) -> np.ndarray:
    """The outdoor PET around each cell: the mean over the outdoor cells of a square of half-width ``radius_m``.

    On building cells and cells without PET the mean of the surroundings, on
    the other cells their own PET (float64).
    """
    home = box_mean(pet, res, radius_m, valid=outdoor)
    return np.asarray(np.where(building | ~np.isfinite(pet), home, pet))
