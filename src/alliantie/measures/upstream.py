"""The water that flows into a window of the dynamic check from outside it, and where it enters.

The volume is the screening's: D8 flow directions on the filled fill-spill-merge
DEM of the whole grid carry, from every cell outside the window, the water that
moves on there (runoff minus what fill-spill-merge leaves at rest on the cell,
so a depression upstream keeps what it holds), accumulated with the window's
cells as sinks (:func:`upstream_inflow`).

Where it enters: D8 sends all water of a cell one way, so on real terrain the
upstream area reaches the window along a few converging lines and enters at a
few edge cells. With ``band_cells`` the last stretch is routed by multiple flow
directions instead (Freeman 1991): D8 carries the water to a band of
``band_cells`` cells around the window, and inside the band every cell passes
its water to all its lower neighbours in proportion to ``slope ** 1.1``
(:data:`FREEMAN_EXPONENT`); cells without a lower neighbour (the flats of the
filled DEM) follow their D8 direction. So the water enters over the edge cells
its upstream area drains through. Volume is kept: what enters the band and the
band's own moving water reach the window, open water (dropped, it joins the
water system) or leave the band away from the window (:class:`UpstreamWater` says
how much of each).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from alliantie.hazards.overland_storm import Inflow
from alliantie.hydrology.api import fill_depressions, flow_accumulation, flow_directions

#: A window: first row, end row, first column, end column on the dossier grid.
Box = tuple[int, int, int, int]

#: D8 codes (ESRI) -> (row, column) step.
_D8 = {1: (0, 1), 2: (1, 1), 4: (1, 0), 8: (1, -1), 16: (0, -1), 32: (-1, -1), 64: (-1, 0), 128: (-1, 1)}

#: Exponent of the slope in the multiple-flow-direction split (-): Freeman, T.G. (1991), Calculating catchment
#: area with divergent flow based on a regular grid, Computers & Geosciences 17(3), 413-422 (p = 1.1).
FREEMAN_EXPONENT = 1.1


@dataclass(frozen=True)
class UpstreamWater(Inflow):
    """The water from upstream of one window: where it enters and how much (the window's own coordinates), and
    what did not reach it."""

    dropped_m3: float = 0.0  #: reached open water in the band (joins the water system)
    away_m3: float = 0.0  #: left the band away from the window (multiple flow directions only)


def filled_of(model_dem: np.ndarray) -> np.ndarray:
    """The filled fill-spill-merge DEM (float64; NaN: open water, an outlet)."""
    return np.asarray(fill_depressions(np.asarray(model_dem, dtype=np.float64)), dtype=np.float64)


def d8_of(model_dem: np.ndarray, filled: np.ndarray | None = None) -> np.ndarray:
    """D8 flow directions (ESRI codes, 255 no data) of the filled ``model_dem`` (NaN: open water, an outlet)."""
    return np.asarray(flow_directions(filled_of(model_dem) if filled is None else filled), dtype=np.uint8)


def _entries(directions: np.ndarray, moving_m3: np.ndarray, box: Box) -> dict[tuple[int, int], float]:
    """(row, col) of the grid inside ``box`` -> the water D8 brings there from outside (m³, > 0 only)."""
    r0, r1, c0, c1 = box
    codes = np.array(directions, dtype=np.uint8, copy=True)
    inside = np.zeros(codes.shape, dtype=bool)
    inside[r0:r1, c0:c1] = True
    codes[inside & (codes != 255)] = 0
    weights = np.where(inside, 0.0, np.nan_to_num(np.asarray(moving_m3, dtype=np.float64)))
    acc = np.asarray(flow_accumulation(codes, weights), dtype=np.float64)
    height, width = codes.shape
    # the ring of cells just outside the box: only they can pass water into it
    rr0, rr1, cc0, cc1 = max(r0 - 1, 0), min(r1 + 1, height), max(c0 - 1, 0), min(c1 + 1, width)
    ring = np.zeros(codes.shape, dtype=bool)
    ring[rr0:rr1, cc0:cc1] = True
    ring &= ~inside
    rows, cols = np.nonzero(ring)
    total: dict[tuple[int, int], float] = {}
    for code, (dr, dc) in _D8.items():
        pick = (directions[rows, cols] == code)
        tr, tc = rows[pick] + dr, cols[pick] + dc
        ok = (tr >= r0) & (tr < r1) & (tc >= c0) & (tc < c1)
        for r, c, v in zip(tr[ok], tc[ok], acc[rows[pick][ok], cols[pick][ok]], strict=True):
            if v > 0:
                total[(int(r), int(c))] = total.get((int(r), int(c)), 0.0) + float(v)
    return total


def _grown(box: Box, cells: int, shape: tuple[int, ...]) -> Box:
    r0, r1, c0, c1 = box
    return max(r0 - cells, 0), min(r1 + cells, shape[0]), max(c0 - cells, 0), min(c1 + cells, shape[1])


def _split(filled: np.ndarray, directions: np.ndarray, grown: Box) -> np.ndarray:
    """(8, h, w) share of each cell of ``grown`` to each D8 neighbour (offsets in :data:`_D8` order).

    Lower finite neighbours by ``(drop / distance) ** FREEMAN_EXPONENT``; a cell without one follows its D8 code.
    """
    g0, g1, h0, h1 = grown
    h, w = g1 - g0, h1 - h0
    pad = np.full((h + 2, w + 2), np.nan)
    sr0, sr1, sc0, sc1 = max(g0 - 1, 0), min(g1 + 1, filled.shape[0]), max(h0 - 1, 0), min(h1 + 1, filled.shape[1])
    pad[sr0 - (g0 - 1):sr1 - (g0 - 1), sc0 - (h0 - 1):sc1 - (h0 - 1)] = filled[sr0:sr1, sc0:sc1]
    z = pad[1:-1, 1:-1]
    share = np.zeros((8, h, w))
    for k, (dr, dc) in enumerate(_D8.values()):
        zn = pad[1 + dr:1 + dr + h, 1 + dc:1 + dc + w]
        with np.errstate(invalid="ignore"):
            drop = np.where(np.isfinite(zn) & np.isfinite(z), z - zn, 0.0)
        share[k] = np.where(drop > 0, (np.maximum(drop, 0.0) / np.hypot(dr, dc)) ** FREEMAN_EXPONENT, 0.0)
    total = share.sum(axis=0)
    codes = directions[g0:g1, h0:h1]
    for k, code in enumerate(_D8):
        share[k] = np.where(total > 0, share[k] / np.where(total > 0, total, 1.0), (codes == code).astype(float))
    return share


def _spread(filled: np.ndarray, directions: np.ndarray, moving_m3: np.ndarray, box: Box, grown: Box,
            entering: dict[tuple[int, int], float]) -> tuple[dict[tuple[int, int], float], float, float]:
    """Route ``entering`` (grid cells of the band) and the band's own moving water to the window by multiple
    flow directions: (arrivals per grid cell of the window, m³ dropped in open water, m³ gone away)."""
    g0, g1, h0, h1 = grown
    r0, r1, c0, c1 = box
    h, w = g1 - g0, h1 - h0
    inbox = np.zeros((h, w), dtype=bool)
    inbox[r0 - g0:r1 - g0, c0 - h0:c1 - h0] = True
    z = filled[g0:g1, h0:h1]
    band = ~inbox & np.isfinite(z)
    volume = np.where(band, np.nan_to_num(np.asarray(moving_m3, dtype=np.float64)[g0:g1, h0:h1]), 0.0)
    dropped = 0.0
    arrivals: dict[tuple[int, int], float] = {}
    for (r, c), v in entering.items():
        if band[r - g0, c - h0]:
            volume[r - g0, c - h0] += v
        elif inbox[r - g0, c - h0]:  # the band is cut off by the grid's edge there
            arrivals[(r, c)] = arrivals.get((r, c), 0.0) + v
        else:
            dropped += v  # open water at the band's outer edge
    share = _split(filled, directions, grown)
    steps = list(_D8.values())
    # donors in the band per band cell, for the order (Kahn): a cell passes its water on when all its donors did
    waiting = np.zeros((h, w), dtype=np.int64)
    for k, (dr, dc) in enumerate(steps):
        give = band & (share[k] > 0)
        rows, cols = np.nonzero(give)
        tr, tc = rows + dr, cols + dc
        ok = (tr >= 0) & (tr < h) & (tc >= 0) & (tc < w)
        ok[ok] &= band[tr[ok], tc[ok]]
        np.add.at(waiting, (tr[ok], tc[ok]), 1)
    queue = deque(zip(*np.nonzero(band & (waiting == 0)), strict=True))
    away = 0.0
    while queue:
        r, c = queue.popleft()
        out = max(float(volume[r, c]), 0.0)  # a depression that holds more than reaches it passes nothing on
        for k, (dr, dc) in enumerate(steps):
            part = share[k, r, c]
            if part <= 0:
                continue
            tr, tc = r + dr, c + dc
            if not (0 <= tr < h and 0 <= tc < w):
                away += out * part
            elif inbox[tr, tc]:
                if np.isfinite(z[tr, tc]):
                    key = (int(tr) + g0, int(tc) + h0)
                    arrivals[key] = arrivals.get(key, 0.0) + out * part
                else:
                    dropped += out * part
            elif not band[tr, tc]:
                dropped += out * part
            else:
                volume[tr, tc] += out * part
                waiting[tr, tc] -= 1
                if waiting[tr, tc] == 0:
                    queue.append((tr, tc))
    return arrivals, dropped, away


def upstream_inflow(directions: np.ndarray, moving_m3: np.ndarray, box: Box, open_cells: np.ndarray | None = None,
                    *, filled: np.ndarray | None = None, band_cells: int = 0) -> UpstreamWater:
    """The water that flows into ``box`` from outside, entering at cells of the box (its own coordinates).

    ``directions``: D8 codes of the whole grid; ``moving_m3``: per cell the water that moves on (runoff minus
    what comes to rest there, m³; may be negative where a depression holds water); ``open_cells``: bool of the
    box, where an inflow may enter (not a building, not open water; default all). The box's cells stop the flow,
    so water is counted once, where it first reaches the window; a sum that is negative (a depression that
    holds all that reaches it) brings nothing. Inflow aimed at a closed cell enters at the nearest open cell;
    inflow into open water joins the water system and is dropped. With ``filled`` (the filled DEM) and
    ``band_cells`` > 0 the last ``band_cells`` cells before the window route by multiple flow directions.
    """
    r0, _r1, c0, _c1 = box
    dropped, away = 0.0, 0.0
    if filled is not None and band_cells > 0:
        grown = _grown(box, band_cells, directions.shape)
        total, dropped, away = _spread(filled, directions, moving_m3, box, grown,
                                       _entries(directions, moving_m3, grown))
    else:
        total = _entries(directions, moving_m3, box)
    kept: dict[tuple[int, int], float] = {}
    for (r, c), v in total.items():
        if directions[r, c] == 255:
            dropped += v
        else:
            kept[(r - r0, c - c0)] = v
    if not kept:
        return UpstreamWater(np.zeros((0, 2), dtype=np.int64), np.zeros(0), dropped, away)
    cells = np.array(list(kept), dtype=np.int64)
    m3 = np.array(list(kept.values()))
    if open_cells is not None and not open_cells[cells[:, 0], cells[:, 1]].all():
        if not open_cells.any():
            return UpstreamWater(np.zeros((0, 2), dtype=np.int64), np.zeros(0), dropped + float(m3.sum()), away)
        _, (nr, nc) = ndimage.distance_transform_edt(~open_cells, return_indices=True)
        cells = np.stack([nr[cells[:, 0], cells[:, 1]], nc[cells[:, 0], cells[:, 1]]], axis=1)
        merged: dict[tuple[int, int], float] = {}
        for (r, c), v in zip(cells.tolist(), m3.tolist(), strict=True):
            merged[(r, c)] = merged.get((r, c), 0.0) + v
        cells, m3 = np.array(list(merged), dtype=np.int64), np.array(list(merged.values()))
    return UpstreamWater(cells, m3, dropped, away)
