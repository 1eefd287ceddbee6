"""The plan of the demo region, drawn once in a 10 x 8 km "layout frame".

The landscape is modelled on the Gelderse Vallei / Eem near Amersfoort: a push
moraine (stuwwal, like the Utrechtse Heuvelrug) in the west, a cover-sand plain
(dekzand) with low ridges in the south and east, a brook valley (beekdal) at the
foot of the moraine, a town on a sand ridge where the brooks join into the river,
and a peat-meadow polder (veenweide) in the north, crossed by the diked river
(the Eem) with its floodplain (uiterwaard) on its way to the Randmeren.

All positions below are metres in the layout frame: origin in the south-west
corner, x east (0-10000), y north (0-8000). A :class:`Frame` maps the layout
frame onto the real grid of a demo size, so the small demo is a miniature of the
default one. Widths of channels, roads and buildings stay in real metres.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from alliantie.grid import RD_NEW, Grid

DemoSizeName = Literal["small", "default"]

LAYOUT_WIDTH = 10_000.0
LAYOUT_HEIGHT = 8_000.0


@dataclass(frozen=True)
class DemoSize:
    """Extent and cell size of one demo variant, in real metres (EPSG:28992)."""

    name: str
    width_m: float
    height_m: float
    res: float
    x0: float
    y0: float


SIZES: dict[str, DemoSize] = {
    # near Amersfoort: RD x 150-160 km, y 460-468 km
    "default": DemoSize("default", 10_000.0, 8_000.0, 5.0, 150_000.0, 460_000.0),
    # same landscape at 40 %, centred on the default extent
    "small": DemoSize("small", 4_000.0, 3_200.0, 10.0, 153_000.0, 462_400.0),
}


@dataclass(frozen=True)
class Frame:
    """Maps layout coordinates (m, 10 x 8 km) onto real coordinates of a demo size."""

    size: DemoSize

    @property
    def scale(self) -> float:
        return self.size.width_m / LAYOUT_WIDTH

    @property
    def grid(self) -> Grid:
        s = self.size
        return Grid.from_bounds((s.x0, s.y0, s.x0 + s.width_m, s.y0 + s.height_m), s.res, RD_NEW)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (self.size.x0 + self.scale * x, self.size.y0 + self.scale * y)

    def geom(self, geometry: BaseGeometry) -> BaseGeometry:
        """A layout geometry in real coordinates."""
        s = self.scale
        return shapely.affinity.affine_transform(geometry, [s, 0.0, 0.0, s, self.size.x0, self.size.y0])

    def layout_coords(self) -> tuple[np.ndarray, np.ndarray]:
        """Layout x of the grid's columns (1-D) and layout y of its rows (1-D), float32."""
        g = self.grid
        xs = ((g.x_coords() - self.size.x0) / self.scale).astype(np.float32)
        ys = ((g.y_coords() - self.size.y0) / self.scale).astype(np.float32)
        return xs, ys


def _smooth_line(points: list[tuple[float, float]], meander: float = 0.0, wavelength: float = 600.0,
                 phase: float = 0.0) -> LineString:
    """A polyline through ``points``, densified and (optionally) given gentle meanders."""
    line = LineString(points)
    n = max(int(line.length / 20.0), 2)
    dist = np.linspace(0.0, line.length, n)
    pts = np.array([line.interpolate(d).coords[0] for d in dist])
    if meander > 0:
        tangent = np.gradient(pts, axis=0)
        tangent /= np.maximum(np.hypot(tangent[:, 0], tangent[:, 1])[:, None], 1e-9)
        normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
        taper = np.minimum(1.0, np.minimum(dist, dist[-1] - dist) / 300.0)
        offset = meander * taper * np.sin(2 * np.pi * dist / wavelength + phase)
        pts = pts + normal * offset[:, None]
    # light smoothing of corners
    kernel = np.ones(9) / 9.0
    smooth = pts.copy()
    for k in range(2):
        padded = np.pad(smooth[:, k], 4, mode="edge")
        smooth[:, k] = np.convolve(padded, kernel, mode="valid")
    smooth[0], smooth[-1] = pts[0], pts[-1]
    return LineString(smooth)


# --- water ------------------------------------------------------------------------------
#: the brook along the moraine foot to the town (upstream -> downstream)
STREAM = _smooth_line(
    [(3600, 0), (3300, 800), (3100, 1700), (3200, 2600), (3600, 3300), (4300, 3750),
     (4700, 4050), (4850, 4400), (4950, 4800)],
    meander=45.0, wavelength=520.0,
)
#: a tributary brook from the east, joining south-west of the town
TRIBUTARY = _smooth_line(
    [(10000, 2400), (8500, 2650), (7000, 2900), (5800, 3150), (5000, 3450), (4420, 3800)],
    meander=35.0, wavelength=450.0, phase=1.0,
)
#: the river (the Eem) from the town through the polder to the lake in the north
RIVER = _smooth_line(
    [(4950, 4800), (4930, 5300), (4650, 5900), (4350, 6500), (4150, 7100), (3850, 8000)],
    meander=90.0, wavelength=1400.0,
)
RIVER_WIDTH_M = 45.0
STREAM_WIDTH_M = 8.0
TRIBUTARY_WIDTH_M = 5.0
#: floodplain half width (layout m) and the dike footprint (real m) on both sides of the river
FLOODPLAIN_HALF_WIDTH = 260.0
DIKE_BASE_M = 36.0
DIKE_CREST_M = 4.0  # m NAP

#: the canal along the moraine foot (like the Valleikanaal), from south to the brook
CANAL = _smooth_line([(2750, 0), (2800, 1200), (2950, 2400), (3250, 3250), (3700, 3600)])
CANAL_WIDTH_M = 12.0

# --- landscape zones ---------------------------------------------------------------------
#: the southern edge of the peat-meadow polder (the polder lies north of it)
POLDER_EDGE = [(2400, 6300), (3300, 5700), (4300, 5350), (5400, 5250), (6300, 5500),
               (7200, 5450), (8200, 5300), (9200, 5400), (10000, 5600)]
POLDER_EDGE_X = np.array([p[0] for p in POLDER_EDGE], dtype=np.float32)
POLDER_EDGE_Y = np.array([p[1] for p in POLDER_EDGE], dtype=np.float32)

#: the moraine: crest x (layout m) as function of y, and crest height (m NAP)
MORAINE_CREST_X0 = 900.0
MORAINE_HALF_WIDTH = 1350.0
MORAINE_FLANK = 330.0

# --- settlements -------------------------------------------------------------------------
TOWN_CENTRE = (5300.0, 4300.0)
TOWN_NAME = "Eemstad"
STATION = (5300.0, 3930.0)
VILLAGES = {
    "Zandhorst": (8200.0, 1500.0),
    "Hoogland": (7900.0, 5000.0),
}
WET_SPOT = (6550.0, 5050.0)  # low-lying site of the new district

# --- infrastructure ----------------------------------------------------------------------
RAILWAY = _smooth_line([(0, 3250), (2000, 3550), (4000, 3800), (5300, 3930), (6500, 4120),
                        (8000, 4450), (10000, 4850)])
MOTORWAY = _smooth_line([(0, 1150), (2500, 1550), (5000, 2350), (7000, 3250), (8500, 3900),
                         (10000, 4300)])
MAIN_ROADS: list[tuple[str, LineString]] = [
    ("N221", _smooth_line([(4950, 4300), (3700, 4500), (2000, 4750), (0, 5000)])),
    ("Zandhorsterweg", _smooth_line([(5650, 4000), (6500, 3000), (7400, 2200), (8200, 1500),
                                     (9100, 900), (10000, 650)])),
    ("Hooglanderweg", _smooth_line([(5650, 4550), (6800, 4800), (7900, 5000), (10000, 5350)])),
    ("Leusderweg", _smooth_line([(5100, 3950), (4800, 2600), (4550, 1200), (4400, 0)])),
    ("Eemdijk", _smooth_line([(5250, 5000), (5200, 5400), (4920, 6000), (4620, 6600),
                              (4420, 7200), (4150, 8000)])),
]
LOCAL_ROADS: list[tuple[str, LineString]] = [
    ("Heideweg", _smooth_line([(600, 0), (1000, 1800), (1500, 3300), (1700, 4650)])),
    ("Bosweg", _smooth_line([(2100, 4700), (1800, 6200), (1500, 8000)])),
    ("Veldweg", _smooth_line([(6000, 0), (6200, 1500), (6500, 3000)])),
    ("Beekweg", _smooth_line([(7400, 2200), (8700, 3000), (10000, 3400)])),
    ("Kampweg", _smooth_line([(4550, 1200), (6200, 1500), (8200, 1500)])),
    ("Polderweg", _smooth_line([(5700, 5300), (6600, 6400), (7500, 7300), (8200, 8000)])),
    ("Zuidpolderweg", _smooth_line([(7900, 5000), (8400, 6300), (9000, 8000)])),
    ("Westpolderweg", _smooth_line([(3300, 5700), (3500, 6800), (3300, 8000)])),
]

# --- town districts (layout m); used for buildings, land use and neighbourhoods ------------
DISTRICTS: list[dict[str, object]] = [
    {"key": "centre", "name": "Binnenstad", "kind": "historic",
     "poly": Point(TOWN_CENTRE).buffer(330.0, quad_segs=16)},
    {"key": "ring", "name": "Singelkwartier", "kind": "prewar",
     "poly": Polygon([(4980, 4500), (5000, 4750), (5400, 4900), (5850, 4750), (5980, 4350),
                      (5850, 4020), (5300, 3990), (4980, 4100)])},
    {"key": "west", "name": "Westwijk", "kind": "postwar",
     "poly": Polygon([(3900, 4050), (4250, 3880), (4700, 4100), (4860, 4550), (4780, 4900),
                      (4350, 5050), (3950, 4800)])},
    {"key": "south", "name": "Zuidwijk", "kind": "postwar",
     "poly": Polygon([(4650, 3830), (5000, 3560), (5700, 3480), (6100, 3700), (6050, 3960),
                      (5300, 3890), (4700, 3850)])},
    {"key": "east", "name": "Oostwijk", "kind": "postwar",
     "poly": Polygon([(5850, 4020), (6150, 4150), (6350, 4450), (6250, 4780), (5850, 4750),
                      (5980, 4350)])},
    {"key": "industry", "name": "Bedrijventerrein De Hoef", "kind": "industrial",
     "poly": Polygon([(6150, 3700), (6600, 3500), (7400, 3650), (7650, 4150), (7300, 4400),
                      (6500, 4250), (6150, 4150)])},
    {"key": "new", "name": "Waterrijk", "kind": "new",
     "poly": Polygon([(5850, 4780), (6250, 4780), (6400, 4500), (7100, 4700), (7300, 5150),
                      (6900, 5450), (6200, 5400), (5800, 5150)])},
]
#: village extents (layout m)
VILLAGE_RADIUS = 300.0
