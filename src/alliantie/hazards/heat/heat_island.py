"""Urban heat island (*stedelijk hitte-eiland*): the diagnostic equation of Theeuwes et al. (2017).

* :func:`theeuwes_uhi_max`: the maximum urban heat island of a day (Int. J.
  Climatol. 37:443-454), ``UHImax = (2 - SVF - f_veg) * (S * DTR**3 / U) ** (1/4)``;
  :func:`radiation_to_s` gives its ``S``.
* :func:`vegetation_fraction`: the share of green (and water) within a radius.
* :func:`uhi_max_map`: the equation per cell with the street-level sky view
  factor and the vegetation fraction around it.
"""

from __future__ import annotations

import numpy as np

from alliantie.raster.focal import coarsening, focal_mean

__all__ = ["radiation_to_s", "theeuwes_uhi_max", "uhi_max_map", "vegetation_fraction"]


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


def vegetation_fraction(green: np.ndarray, res: float, radius_m: float, valid: np.ndarray | None = None,
                        coarsen: int = 1) -> np.ndarray:
    """Share (0-1) of vegetated cells within ``radius_m`` (``green`` bool or 0-1 fractions)."""
    return np.clip(focal_mean(np.asarray(green, dtype=np.float64), res, radius_m, valid, coarsen), 0.0, 1.0)


def uhi_max_map(svf: np.ndarray, vegetated: np.ndarray, outdoor: np.ndarray, valid: np.ndarray, res: float, *,
                radius_m: float, s: float, dtr_k: float, wind_ms: float,
                roof_vegetation: np.ndarray | None = None) -> np.ndarray:
    """Maximum urban heat island (K) per cell: :func:`theeuwes_uhi_max` of the surroundings within ``radius_m``.

    SVF is the mean sky view factor of the ``outdoor`` cells (street level,
    buildings excluded) and ``f_veg`` the share of ``vegetated`` outdoor cells
    (bool, or vegetated fractions 0-1) and of green roofs (``roof_vegetation``,
    fractions 0-1 on the other cells, none when None) among the ``valid``
    ones within the radius (means on coarse blocks,
    :func:`~alliantie.raster.focal.coarsening`); where no cell counts, 1 (open
    sky, all green). ``s``, ``dtr_k`` and ``wind_ms`` describe the day (see
    :func:`theeuwes_uhi_max`). At least 0 on ``valid`` cells, NaN elsewhere.
    """
    coarse = coarsening(res, radius_m)
    svf_street = np.clip(focal_mean(svf, res, radius_m, valid=outdoor, coarsen=coarse), 0.0, 1.0)
    green = np.where(outdoor, vegetated, 0.0 if roof_vegetation is None else roof_vegetation)
    f_veg = vegetation_fraction(green, res, radius_m, valid=valid, coarsen=coarse)
    svf_street = np.where(np.isfinite(svf_street), svf_street, 1.0)
    uhi = theeuwes_uhi_max(svf_street, np.where(np.isfinite(f_veg), f_veg, 1.0), s, dtr_k, wind_ms)
    return np.asarray(np.where(valid, np.maximum(uhi, 0.0), np.nan))
