"""Counts per neighbourhood of the pluvial product: affected buildings and impassable road length.

One row (:class:`~alliantie.contract.summaries.PluvialNeighbourhood`) per case
and neighbourhood, plus a row with code "" for the whole grid; they go into
``neighbourhoods.csv``, ``summary.json``, the indicators and the tables.
"""

from __future__ import annotations

import numpy as np
import rasterio.features

from alliantie.contract.summaries import PluvialNeighbourhood
from alliantie.hazards import bluespots as bs
from alliantie.method.urgency.pluvial.analysis import CaseResult, PluvialResult


def neighbourhood_counts(result: PluvialResult) -> list[PluvialNeighbourhood]:
    """Per neighbourhood and case: buildings with water at the facade / above floor, road length impassable.

    Rows with ``code`` "" hold the totals over the whole grid. A building
    counts in the neighbourhood of its representative point, a road piece in
    that of its midpoint. Buildings above floor level also count at the facade.
    """
    grid = result.grid
    hoods = result.neighbourhoods
    n = 0 if hoods is None else len(hoods)
    zones = np.zeros(grid.shape, dtype=np.int32)
    if hoods is not None and n:
        hoods = hoods.reset_index(drop=True)
        zones = rasterio.features.rasterize(
            [(g, i + 1) for i, g in enumerate(hoods.geometry.values) if g is not None and not g.is_empty],
            out_shape=grid.shape, transform=grid.transform, fill=0, dtype="int32",
        )
    b_zone = np.zeros(0, dtype=np.int64)
    if result.buildings is not None and len(result.buildings):
        pts = result.buildings.geometry.representative_point()
        b_zone = bs.zone_of_points(zones, pts.x.to_numpy(), pts.y.to_numpy(), grid)
    r_zone = np.zeros(0, dtype=np.int64)
    r_len = np.zeros(0)
    if result.road_pieces is not None and len(result.road_pieces):
        mid = result.road_pieces.geometry.interpolate(0.5, normalized=True)
        r_zone = bs.zone_of_points(zones, mid.x.to_numpy(), mid.y.to_numpy(), grid)
        r_len = result.road_pieces.geometry.length.to_numpy()
    rows: list[PluvialNeighbourhood] = []
    for c in result.cases:
        facade = bs.count_by_zone(b_zone, n, (c.building_class >= bs.FACADE).astype(np.float64))
        above = bs.count_by_zone(b_zone, n, (c.building_class >= bs.ABOVE_FLOOR).astype(np.float64))
        no_cars = bs.count_by_zone(r_zone, n, r_len * (c.road_class >= bs.NO_CARS))
        no_traffic = bs.count_by_zone(r_zone, n, r_len * (c.road_class >= bs.NO_TRAFFIC))
        for z in range(1, n + 1):
            assert hoods is not None
            row = hoods.iloc[z - 1]
            rows.append(_count_row(c, str(row.get("code", z)), str(row.get("name", "")), facade[z], above[z],
                                   no_cars[z], no_traffic[z]))
        rows.append(_count_row(c, "", "", facade.sum(), above.sum(), no_cars.sum(), no_traffic.sum()))
    return rows


def _count_row(c: CaseResult, code: str, name: str, facade: float, above: float, no_cars: float,
               no_traffic: float) -> PluvialNeighbourhood:
    return PluvialNeighbourhood(
        case=c.case.id, event=c.case.event.id, scenario=c.case.scenario.id,
        rain_mm=round(c.case.rain_mm, 1), code=code, name=name,
        buildings_facade=round(float(facade)), buildings_above_floor=round(float(above)),
        road_m_no_cars=round(float(no_cars), 1), road_m_no_traffic=round(float(no_traffic), 1),
    )

