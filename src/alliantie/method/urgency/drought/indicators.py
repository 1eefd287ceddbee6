"""Drought indicators per neighbourhood and scenario (``indicators.csv`` of the theme)."""

from __future__ import annotations

import numpy as np

from alliantie.contract import theme
from alliantie.hazards.drought import kernels as hz
from alliantie.hazards.drought.chain import USE_FARMLAND, USE_NATURE, sample
from alliantie.method.urgency.drought.analysis import DroughtResult

INDICATORS = ("buildings_foundation_risk", "buildings_foundation_high", "farmland_sensitive_ha",
              "nature_sensitive_ha", "wildfire_high_ha", "subsidence_ha", "subsidence_mean_cm")
UNITS = {"buildings_foundation_risk": "", "buildings_foundation_high": "", "farmland_sensitive_ha": "ha",
         "nature_sensitive_ha": "ha", "wildfire_high_ha": "ha", "subsidence_ha": "ha", "subsidence_mean_cm": "cm"}


def indicator_values(result: DroughtResult) -> list[theme.IndicatorValue]:
    """Indicators per neighbourhood (and total, code "") and scenario."""
    grid = result.grid
    hoods = result.neighbourhoods.reset_index(drop=True) if result.neighbourhoods is not None else None
    n = 0 if hoods is None else len(hoods)
    zones = theme.neighbourhood_zones(hoods, grid)
    zones = np.where(result.area, zones, 0)
    b_zone = np.zeros(0, dtype=np.int64)
    if result.buildings is not None and len(result.buildings):
        pts = result.buildings.geometry.representative_point()
        b_zone = sample(zones, pts.x.to_numpy(), pts.y.to_numpy(), grid, fill=0).astype(np.int64)
    ha = grid.cell_area / 1e4
    peat_cells = (result.peat > 0) & result.area
    peat_count = theme.zone_totals(zones, n, peat_cells)
    inside = result.area
    out: list[theme.IndicatorValue] = []
    for scenario in result.scenarios:
        r = scenario.hazard
        sens2 = (r.sensitivity >= 2) & (r.sensitivity != hz.NODATA)
        per: dict[str, np.ndarray] = {
            "buildings_foundation_risk": np.bincount(b_zone, weights=(r.building_class >= 2).astype(np.float64),
                                                     minlength=n + 1),
            "buildings_foundation_high": np.bincount(b_zone, weights=(r.building_class >= 3).astype(np.float64),
                                                     minlength=n + 1),
            "farmland_sensitive_ha": theme.zone_totals(zones, n, sens2 & (result.use == USE_FARMLAND)) * ha,
            "nature_sensitive_ha": theme.zone_totals(zones, n, sens2 & (result.use == USE_NATURE)) * ha,
            "wildfire_high_ha": theme.zone_totals(zones, n, (r.wildfire_class == 3) & inside) * ha,
            "subsidence_ha": theme.zone_totals(
                zones, n, inside & (np.nan_to_num(r.subsidence_rate) > result.params.subsidence_limits_mm_per_year[1])
            ) * ha,
        }
        cm_sum = theme.zone_totals(zones, n, np.where(peat_cells, np.nan_to_num(r.subsidence_cm), 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            per["subsidence_mean_cm"] = np.where(peat_count > 0, cm_sum / np.maximum(peat_count, 1), 0.0)
        total_peat = peat_count.sum()
        sid = scenario.scenario.id
        for name in INDICATORS:
            values = per[name]
            for z in range(1, n + 1):
                assert hoods is not None
                row = hoods.iloc[z - 1]
                out.append(theme.IndicatorValue(scenario=sid, code=str(row.get("code", z)),
                                                 name=str(row.get("name", "")), indicator=name,
                                                 value=float(values[z])))
            if name == "subsidence_mean_cm":
                total = float(cm_sum.sum() / total_peat) if total_peat > 0 else 0.0
            elif name.startswith("buildings"):
                total = float(values.sum())  # buildings outside every neighbourhood count in the total
            else:
                total = float(values.sum())
            out.append(theme.IndicatorValue(scenario=sid, code="", name="", indicator=name, value=total))
    return out
