"""A dike breach for the demo region: the ``[parameters.flood]`` of its ``dossier.toml``.

The breach lies in the east dike of the river (the Eem) where it crosses the
peat-meadow polder, downstream of the town. Its river level is derived from the
demo's own elevation model, so the same code serves both demo sizes:

* about 1 m below the dike crest at the breach (a high river that has not yet
  overtopped the dike), and
* below the lowest ground over which the river could reach the polder around
  the end of the dike (the demo's dike ring is open at the town), so that only
  the breach lets the water in.

Usage (in :func:`alliantie.demo.make.make_demo`, after the terrain is made)::

    from alliantie.demo import flood as demo_flood
    values = demo_flood.breach_parameters(frame, terr.dem)
    text += demo_flood.parameters_toml(values)
"""

from __future__ import annotations

import numpy as np
import rasterio.features
import shapely

from alliantie.demo import layout as L
from alliantie.demo.fields import smoothstep
from alliantie.demo.layout import Frame
from alliantie.hazards.flood import connected_below

#: Position of the breach along the river (layout m from the town), in the broad part of the polder.
BREACH_CHAINAGE = 1300.0
#: The river level stays this far below the dike crest (m).
BELOW_CREST_M = 1.0
#: ... and this far below the level at which the river would flow around the dike (m).
BELOW_BYPASS_M = 0.1


def _point_beside(line: shapely.LineString, at: float, offset: float) -> tuple[float, float]:
    """The point ``offset`` right of ``line`` (looking downstream) at chainage ``at`` (same units)."""
    a = np.asarray(line.interpolate(at).coords[0])
    b = np.asarray(line.interpolate(min(at + 20.0, line.length)).coords[0])
    t = (b - a) / max(float(np.hypot(*(b - a))), 1e-9)
    right = np.array([t[1], -t[0]])
    p = a + right * offset
    return float(p[0]), float(p[1])


def _cell(frame: Frame, x: float, y: float) -> tuple[int, int]:
    t = frame.grid.transform
    return int(np.floor((y - t.f) / t.e)), int(np.floor((x - t.c) / t.a))


def breach_parameters(frame: Frame, dem: np.ndarray) -> dict[str, float]:
    """``breach_x``, ``breach_y`` (m, EPSG:28992) and ``river_level_m`` (m NAP) of the demo breach."""
    grid = frame.grid
    s = frame.scale
    dike_base = max(L.DIKE_BASE_M, 3.0 * grid.res)
    half_fp = L.FLOODPLAIN_HALF_WIDTH * s * float(smoothstep(np.array([BREACH_CHAINAGE]), 250.0, 900.0)[0])
    river = frame.geom(L.RIVER)
    assert isinstance(river, shapely.LineString)
    at = BREACH_CHAINAGE * s
    x, y = _point_beside(river, at, half_fp + dike_base / 2.0)
    row, col = _cell(frame, x, y)
    reach = int(np.ceil(dike_base / grid.res))
    window = dem[max(0, row - reach):row + reach + 1, max(0, col - reach):col + reach + 1]
    crest = float(np.nanmax(window))
    # the land behind the dike and the river itself, to find the level at which they connect
    lx, ly = _point_beside(river, at, half_fp + dike_base + 3.0 * grid.res)
    land = np.zeros(grid.shape, dtype=bool)
    land[_cell(frame, lx, ly)] = True
    bed = river.buffer(L.RIVER_WIDTH_M / 2.0, cap_style="flat")
    water = rasterio.features.rasterize([(bed, 1)], out_shape=grid.shape, transform=grid.transform,
                                        fill=0, dtype="uint8").astype(bool)
    ground = np.asarray(dem, dtype=np.float64)
    low, high = float(np.nanmin(ground)), crest
    for _ in range(14):
        mid = (low + high) / 2.0
        if (connected_below(ground, water, mid) & land).any():
            high = mid
        else:
            low = mid
    level = min(crest - BELOW_CREST_M, low - BELOW_BYPASS_M)
    level = float(np.floor(level * 20.0) / 20.0)  # down to 5 cm
    return {"breach_x": round(x, 1), "breach_y": round(y, 1), "river_level_m": round(level, 2)}


def parameters_toml(values: dict[str, float]) -> str:
    """The ``[parameters.flood]`` section for the demo's ``dossier.toml``."""
    return (
        "\n[parameters.flood]\n"
        f"breach_x = {values['breach_x']:.1f}        # m, EPSG:28992: breach point on the east dike of the Eem\n"
        f"breach_y = {values['breach_y']:.1f}\n"
        f"river_level_m = {values['river_level_m']:.2f}      # m NAP, river flood level (1 m below the crest at most)\n"
        "\n[parameters.damage]\n"
        "# The breach probability is the user's own number for this breach (the water board's or a flood-risk\n"
        "# study's). The demo dike is invented, so the demo's user assumes 1/3000 per year; a Waterwet norm\n"
        "# (bijlage II) bounds the flooding probability of a whole trajectory and is not this probability.\n"
        "breach_probability_per_year = 0.000333\n"
    )
