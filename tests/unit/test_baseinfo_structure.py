"""Structure carriers on a synthetic case: parts, buffers, closing, stream links, size filter."""

from __future__ import annotations

import numpy as np
from affine import Affine

from alliantie.grid import Grid
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.knowledge import (
    Carrier,
    LandscapeRules,
    SeepageRules,
    StructureRules,
    VegetationGroups,
    WaterKinds,
)
from alliantie.method.baseinfo.structure import carrier_frame, carrier_mask, link_streams

CELL = 10.0
GRID = Grid("EPSG:28992", Affine(CELL, 0, 150000, 0, -CELL, 460000), 60, 40)


def _case() -> tuple[dict[str, np.ndarray], dict[str, dict[str, int]]]:
    h, w = GRID.shape
    landscape = np.full((h, w), 2, np.uint8)          # dekzand
    landscape[:, 45:] = 1                              # stuwwal in the east
    landscape[18:22, 0:30] = 3                         # a stream valley
    relief = np.zeros((h, w), np.float32)
    relief[2:6, 2:12] = 1.5                            # a cover-sand ridge
    vegetation = np.full((h, w), 5, np.uint8)          # grassland
    vegetation[28:36, 2:10] = 1                        # forest A
    vegetation[28:36, 16:24] = 1                       # forest B, 60 m from A
    vegetation[2:4, 30:32] = 3                         # a small heath speck (400 m2)
    watercourse = np.zeros((h, w), np.uint8)
    watercourse[20, 0:40] = 2                          # a stream
    seepage = np.full((h, w), 2, np.uint8)
    seepage[18:22, 0:30] = 3
    variables = {
        "landscape": landscape, "relief": relief, "vegetation": vegetation, "seepage": seepage,
        "watercourse": watercourse, "waterbody": np.zeros((h, w), np.uint8),
        "nature_kind": np.zeros((h, w), np.uint8), "nature_network": np.zeros((h, w), np.uint8),
        "elevation": np.zeros((h, w), np.float32),
    }
    cats = {
        "landscape": codes(LandscapeRules.load().type),
        "vegetation": codes(VegetationGroups.load().group),
        "seepage": codes(SeepageRules.load().zone),
        "watercourse": codes(WaterKinds.load().watercourse),
        "waterbody": codes(WaterKinds.load().waterbody),
        "nature_kind": {"forest": 1, "heath": 2, "wetland": 3, "grassland": 4, "nature_network": 5},
    }
    return variables, cats


def _carrier(kind: str) -> Carrier:
    return next(c for c in StructureRules.load().carrier if c.kind == kind)


def test_ridge_and_stream_valley_masks() -> None:
    variables, cats = _case()
    params = {"corridor_buffer_m": 50.0, "min_carrier_area_ha": 0.1}
    ridge = carrier_mask(_carrier("ridge"), variables, cats, params, CELL)
    assert ridge[3, 5] and ridge[20, 50]          # cover-sand ridge and push moraine
    assert not ridge[30, 30]                      # flat cover sand is no ridge
    valley = carrier_mask(_carrier("stream_valley"), variables, cats, params, CELL)
    assert valley[20, 10] and valley[20, 35]      # valley and the buffered stream beyond it
    assert valley[22, 35] and not valley[25, 35]  # 25 m buffer: 2 cells, not 5
    wet = carrier_mask(_carrier("seepage_wetland"), variables, cats, params, CELL)
    assert not wet.any()                          # seepage under grassland is no wet nature


def test_green_corridor_joins_close_patches() -> None:
    variables, cats = _case()
    joined = carrier_mask(_carrier("green_corridor"), variables, cats, {"corridor_buffer_m": 50.0}, CELL)
    assert joined[32, 12]                         # the 60 m gap is closed with a 50 m buffer
    apart = carrier_mask(_carrier("green_corridor"), variables, cats, {"corridor_buffer_m": 20.0}, CELL)
    assert not apart[32, 12]


def test_link_streams() -> None:
    pieces = np.zeros((10, 30), bool)
    pieces[3:7, 0:5] = True
    pieces[3:7, 20:25] = True
    streams = np.zeros((10, 30), bool)
    streams[5, 0:30] = True
    linked = link_streams(pieces, streams)
    assert linked[5, 10] and not linked[5, 27]    # between the pieces yes, the loose end no
    one = pieces.copy()
    one[:, 20:] = False
    assert not link_streams(one, streams).any()


def test_carrier_frame_names_areas_and_size_filter() -> None:
    variables, cats = _case()
    knowledge = StructureRules.load()
    params = {"corridor_buffer_m": 50.0, "min_carrier_area_ha": 0.1}
    masks = {c.kind: carrier_mask(c, variables, cats, params, CELL) for c in knowledge.carrier}
    area = np.ones(GRID.shape, bool)
    gdf = carrier_frame(masks, knowledge, GRID, area, min_area_ha=0.1)
    assert set(gdf["kind"]) == {"ridge", "stream_valley", "green_corridor"}
    assert list(gdf.columns[:7]) == ["kind", "name", "area_ha", "components", "rule", "description_nl",
                                     "description_en"]
    corridors = gdf[gdf["kind"] == "green_corridor"]
    assert len(corridors) == 1                    # the heath speck (0.04 ha) is dropped
    assert corridors["name"].iloc[0] == "Groene verbinding 1"
    ridges = gdf[gdf["kind"] == "ridge"].sort_values("area_ha", ascending=False)
    assert ridges["name"].tolist()[0] == "Stuwwal en dekzandrug 1"
    assert abs(ridges["area_ha"].iloc[0] - 15 * 40 * CELL * CELL / 1e4) < 0.5
    assert (gdf.geometry.is_valid).all()
    big = carrier_frame(masks, knowledge, GRID, area, min_area_ha=5.0)
    assert set(big["kind"]) <= {"ridge"}
