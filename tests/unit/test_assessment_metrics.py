"""The afwegingskader's product metrics on synthetic saved products: shares and values follow the geometry."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from alliantie.contract.names import DROUGHT, FLOOD, HEAT, PLUVIAL, STRUCTURE
from alliantie.grid import Grid
from alliantie.io.raster import write_raster
from alliantie.io.vector import write_vector
from alliantie.method.strategy.assessment.knowledge import AssessmentRules
from alliantie.method.strategy.assessment.metrics import ProductReader

#: 100 x 100 cells of 10 m from (0, 0) to (1000, 1000) in RD New.
GRID = Grid.from_bounds((0.0, 0.0, 1000.0, 1000.0), 10.0, "EPSG:28992")


def _done(folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "provenance.json").write_text("{}", encoding="utf-8")
    return folder


@pytest.fixture()
def products(tmp_path):
    root = tmp_path / "products"
    pluvial = _done(root / PLUVIAL)
    write_vector(pluvial / "bluespots.gpkg", gpd.GeoDataFrame(
        {"capacity_m3": [1000.0], "max_depth_m": [0.3]}, geometry=[box(0, 0, 200, 200)], crs="EPSG:28992"),
        layer="bluespots")
    depth = np.full(GRID.shape, np.nan, dtype=np.float32)
    depth[-20:, :20] = 0.25  # the bluespot's 200 m x 200 m in the south-west corner
    write_raster(pluvial / "depth_t100_current.tif", depth, GRID, nodata=np.nan)
    heat = _done(root / HEAT)
    x = np.broadcast_to((np.arange(100, dtype=np.float32) + 0.5) * 10.0, GRID.shape).copy()
    write_raster(heat / "distance_cool_m.tif", x, GRID, nodata=np.nan)  # distance grows to the east
    flood = _done(root / FLOOD)
    flood_depth = np.full(GRID.shape, np.nan, dtype=np.float32)
    flood_depth[:, 50:] = 1.5
    write_raster(flood / "depth_current.tif", flood_depth, GRID, nodata=np.nan)
    write_raster(flood / "depth_class_current.tif", np.full(GRID.shape, 9, dtype=np.uint8), GRID, nodata=0)
    drought = _done(root / DROUGHT)
    sub = np.full(GRID.shape, np.nan, dtype=np.float32)
    sub[:50, :] = 25.0  # 25 cm in 25 years = 1 cm a year in the north half
    write_raster(drought / "subsidence_current.tif", sub, GRID, nodata=np.nan, tags={"years": "25"})
    structure = _done(root / STRUCTURE)
    write_vector(structure / "structure_carriers.gpkg", gpd.GeoDataFrame(
        {"kind": ["stream_valley", "ridge"], "name": ["Beekdal 1", "Rug 1"]},
        geometry=[box(800, 0, 1000, 1000), box(0, 800, 1000, 1000)], crs="EPSG:28992"), layer="structure_carriers")
    return ProductReader(root, AssessmentRules.load())


def test_the_share_in_a_bluespot_and_its_storage_follow_the_overlap(products):
    half = products.measure("bluespot_share", box(100, 0, 300, 200))
    assert half.value == pytest.approx(0.5) and half.details["storage_m3"] == pytest.approx(500.0)
    assert products.measure("bluespot_share", box(400, 400, 500, 500)).value == 0.0
    wet = products.measure("wet_share", box(100, 0, 300, 200))
    assert wet.value == pytest.approx(0.5) and wet.details["depth_m"] == pytest.approx(0.25)


def test_distance_flood_subsidence_and_carriers_read_where_the_polygon_lies(products):
    near = products.measure("cool_distance_m", box(0, 400, 100, 500)).value
    far = products.measure("cool_distance_m", box(600, 400, 700, 500)).value
    assert near == pytest.approx(95.0) and far == pytest.approx(695.0)
    assert products.measure("flood_depth_m", box(0, 0, 400, 400)).value == 0.0
    assert products.measure("flood_depth_m", box(450, 0, 700, 400)).value == pytest.approx(1.5)
    peat = products.measure("subsidence_60y_cm", box(0, 600, 200, 700))
    assert peat.value == pytest.approx(60.0) and peat.details["peat_share"] == pytest.approx(1.0)
    assert products.measure("subsidence_60y_cm", box(0, 0, 200, 100)).value == 0.0
    carrier = products.measure("carrier_share", box(700, 300, 900, 400))  # half on the valley; ridges do not count
    assert carrier.value == pytest.approx(0.5) and carrier.details["names"] == ["Beekdal 1"]
    assert products.measure("carrier_share", box(0, 850, 100, 950)).value == 0.0


def test_a_product_not_computed_is_named(products, tmp_path):
    empty = ProductReader(tmp_path / "nothing", AssessmentRules.load())
    measured = empty.measure("cool_distance_m", box(0, 0, 10, 10))
    assert measured.value is None and measured.missing == HEAT
