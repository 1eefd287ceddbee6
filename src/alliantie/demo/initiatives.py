"""The demo's example initiatives for the afwegingskader (``alliantie assess``): ``inputs/initiatives.gpkg``.

Three housing plans of the town, each a polygon with the optional attributes of an initiative:

1. *Bouwplan Oost* passes every rule: enough storage (60 mm), emptying in 36 h, 60 % infiltration, 40 % green,
   near a cool place, off the bluespots, the peat and the structure carriers;
2. *Bouwplan Zuidoost* is the same kind of plan with 2,500 m2 of new paving and only 25 mm of storage: it fails
   on storage (the maatlat's 50 mm and the water board's 60 mm above 1,500 m2);
3. *Bouwplan Laagte* has good figures but lies in a bluespot: around the deepest cell of the largest
   depression near the town, found from the demo's own elevation and buildings (the demo maker reads no
   products, so it fills the ground as the pluvial product does; :func:`_deepest_depression`).

The two plans that pass the place rules sit where both demo sizes (small and default) have a cool place within
300 m and no peat, bluespot, deep breach water or green-blue structure carrier (checked in the tests).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import rasterio.features
from scipy import ndimage
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from alliantie.demo import layout as L
from alliantie.demo.layout import SIZES, DemoSizeName, Frame
from alliantie.demo.town import make_town
from alliantie.grid import RD_NEW
from alliantie.hazards.bluespots import building_ids, raise_buildings
from alliantie.hydrology.api import fill_depressions
from alliantie.io.vector import read_vector, write_vector

#: Half width and half height of a plan in layout metres (250 m x 200 m; 100 m x 80 m in the small demo).
HALF = (125.0, 100.0)
#: Centres of the two plans off the bluespots, relative to the town centre (layout metres).
PASSING_OFFSET = (250.0, 0.0)
STORAGE_OFFSET = (1000.0, -500.0)
#: m by which buildings are raised before filling: the pluvial product's default ([parameters.pluvial]
#: building_raise_m); depth of water that counts; how far around the town the plan may lie (layout metres).
RAISE_M = 10.0
MIN_DEPTH_M = 0.05
NEAR_TOWN_M = 750.0

#: The columns of an initiative (docs/assessment.md).
COLUMNS = ("name", "function", "dwellings", "new_paving_m2", "storage_mm", "emptying_h", "infiltration_share",
           "green_share")


def _plan(frame: Frame, offset: tuple[float, float]) -> BaseGeometry:
    cx, cy = L.TOWN_CENTRE
    x, y = cx + offset[0], cy + offset[1]
    return frame.geom(box(x - HALF[0], y - HALF[1], x + HALF[0], y + HALF[1]))


def _deepest_depression(frame: Frame, core: BaseGeometry, buildings: gpd.GeoDataFrame, dem: np.ndarray,
                        water: list[gpd.GeoDataFrame]) -> BaseGeometry | None:
    """The deepest cell of the largest depression (by volume) in and around the town, as a point.

    The pluvial product's bluespots are the depressions of the ground with the buildings raised
    (:func:`alliantie.hazards.bluespots.raise_buildings`), filled; the demo maker reads no products, so it fills
    the same way here (the cheap stand-in of the example sketch, a morphological closing, finds pits between
    houses that the product does not keep).
    """
    grid = frame.grid
    ids = building_ids(buildings, grid)
    ground = np.asarray(dem, dtype=np.float32)
    model = raise_buildings(ground, ids, RAISE_M)
    shapes = [g for frame_ in water for g in _water_shapes(frame_)]
    if shapes:  # water drains the ground, as in the product ([parameters.pluvial] water_as_outlet)
        model[rasterio.features.geometry_mask(shapes, out_shape=grid.shape, transform=grid.transform, invert=True,
                                              all_touched=True)] = np.nan
    depth = np.asarray(fill_depressions(model), dtype=np.float64) - model
    near = rasterio.features.geometry_mask([core.buffer(NEAR_TOWN_M * frame.scale)], out_shape=grid.shape,
                                           transform=grid.transform, invert=True)
    wet = near & (ids == 0) & np.isfinite(depth) & (depth >= MIN_DEPTH_M)
    labels, count = ndimage.label(wet)
    if count == 0:
        return None
    volume = ndimage.sum(np.where(wet, depth, 0.0), labels, index=np.arange(1, count + 1))
    largest = labels == int(np.argmax(volume)) + 1
    row, col = np.unravel_index(int(np.argmax(np.where(largest, depth, -np.inf))), grid.shape)
    x = grid.transform.c + (col + 0.5) * grid.res
    y = grid.transform.f - (row + 0.5) * grid.res
    return Point(x, y)


def _water_shapes(frame: gpd.GeoDataFrame) -> list[BaseGeometry]:
    """Water areas, and watercourses as strips of their width (at least 1 m)."""
    out = []
    for row in frame.itertuples(index=False):
        geometry = row.geometry
        if geometry is None or geometry.is_empty:
            continue
        if geometry.geom_type in ("LineString", "MultiLineString"):
            width = float(getattr(row, "width_m", 2.0) or 2.0)
            geometry = geometry.buffer(max(1.0, width / 2.0))
        out.append(geometry)
    return out


def example_initiatives(frame: Frame, core: BaseGeometry, buildings: gpd.GeoDataFrame, dem: np.ndarray,
                        water: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The three example initiatives as a GeoDataFrame in RD New; ``water``: the watercourses and waterbodies."""
    spot = _deepest_depression(frame, core, buildings, dem, water)
    low = spot.buffer(max(30.0, 60.0 * frame.scale)) if spot is not None else _plan(frame, (0.0, -250.0))
    rows = [
        ("Bouwplan Oost", "residential", 40, 1200.0, 60.0, 36.0, 0.6, 0.40, _plan(frame, PASSING_OFFSET)),
        ("Bouwplan Zuidoost", "residential", 60, 2500.0, 25.0, 36.0, 0.6, 0.35, _plan(frame, STORAGE_OFFSET)),
        ("Bouwplan Laagte", "residential", 20, 800.0, 60.0, 36.0, 0.6, 0.40, low),
    ]
    data = {name: [r[i] for r in rows] for i, name in enumerate(COLUMNS)}
    data["dwellings"] = [float(v) for v in data["dwellings"]]
    return gpd.GeoDataFrame(data, geometry=[r[-1] for r in rows], crs=RD_NEW)


def write_example_initiatives(root: Path, size: DemoSizeName) -> Path:
    """Write ``inputs/initiatives.gpkg`` into the demo dossier at ``root`` (made with ``size``) from its own
    inputs: for a demo made before the initiatives existed, without making it again."""
    root = Path(root)
    frame = Frame(SIZES[size])
    with rasterio.open(root / "inputs" / "dem.tif") as ds:
        dem = ds.read(1, masked=True).astype(np.float32).filled(np.nan)
    buildings = read_vector(root / "inputs" / "buildings.gpkg", layer="buildings")
    water = [read_vector(root / "inputs" / f"{name}.gpkg", layer=name) for name in ("watercourses", "waterbodies")]
    frame_initiatives = example_initiatives(frame, make_town(frame).built_core, buildings, dem, water)
    return write_vector(root / "inputs" / "initiatives.gpkg", frame_initiatives, layer="initiatives")


__all__ = ["COLUMNS", "example_initiatives", "write_example_initiatives"]
