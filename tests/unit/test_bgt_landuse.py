"""BGT land cover rasterised into LGN land use and a paved share (issue 14, ``landuse = { codes = "bgt" }``).

The synthetic BGT GeoPackage uses the layer and attribute names of the PDOK BGT GML download (``bgt-fysiekVoorkomen``,
``bgt-functie``, ``eindRegistratie``, ``plus-status``, ``relatieveHoogteligging``) and values of the IMGeo/BGT
waardelijsten (fysiekVoorkomen: 'gesloten verharding', 'grasland agrarisch', ...; functie: 'rijbaan autosnelweg').
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from alliantie.dossier import load_dossier
from alliantie.dossier.bgt_landuse import read_bgt_landuse
from alliantie.dossier.inspect import check_inputs, preflight
from alliantie.dossier.registry import RunCache
from alliantie.errors import InputDataError
from alliantie.i18n import use_language
from alliantie.io.vector import write_vector, write_vector_layers
from alliantie.knowledge.bgt_landuse import BgtLanduse
from alliantie.knowledge.land_use import LgnClasses
from alliantie.testing import small_grid, write_minimal_dossier

GRID = small_grid()  # 40 x 30 cells of 10 m
XMIN, YMIN, XMAX, YMAX = GRID.bounds
MID_X = (XMIN + XMAX) / 2


def _layer(geoms: list, **columns: list) -> gpd.GeoDataFrame:
    n = len(geoms)
    base = {"lokaalID": [f"G0307.{i:032x}" for i in range(n)], "eindRegistratie": [None] * n,
            "plus-status": ["geenWaarde"] * n, "relatieveHoogteligging": [0] * n}
    base.update(columns)
    return gpd.GeoDataFrame(base, geometry=geoms, crs=GRID.crs)


def write_bgt(path: Path, *, west: str = "grasland agrarisch", east: str = "gesloten verharding",
              extra: dict[str, gpd.GeoDataFrame] | None = None) -> Path:
    """West half begroeid terrein (``west``), east half onbegroeid terrein (``east``), a pand, a ditch, a road."""
    layers = {
        "begroeidterreindeel": _layer([box(XMIN, YMIN, MID_X, YMAX)], **{"bgt-fysiekVoorkomen": [west]}),
        "onbegroeidterreindeel": _layer([box(MID_X, YMIN, XMAX, YMAX)], **{"bgt-fysiekVoorkomen": [east]}),
        "pand": _layer([box(XMIN + 20, YMIN + 20, XMIN + 60, YMIN + 60)]),
        "waterdeel": _layer([box(XMIN, YMAX - 20, MID_X, YMAX)], **{"bgt-type": ["waterloop"]}),
        "wegdeel": _layer([box(MID_X, YMAX - 40, XMAX, YMAX - 20)], **{"bgt-functie": ["rijbaan autosnelweg"],
                                                                      "bgt-fysiekVoorkomen": ["gesloten verharding"]}),
        **(extra or {}),
    }
    return _write(path, layers)


def _write(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> Path:
    return write_vector_layers(path, [(name, frame, "Polygon", None) for name, frame in layers.items()])


def _cell(x: float, y: float) -> tuple[int, int]:
    return int((YMAX - y) // 10), int((x - XMIN) // 10)


def test_land_cover_becomes_lgn_classes_and_a_paved_share(tmp_path: Path) -> None:
    result = read_bgt_landuse(str(write_bgt(tmp_path / "bgt.gpkg")), GRID, target_crs=GRID.crs)
    lgn, paved = result.landuse.array, result.paved_share
    assert lgn[_cell(XMIN + 100, YMIN + 100)] == 1 and paved[_cell(XMIN + 100, YMIN + 100)] == 0.0  # grass
    assert lgn[_cell(XMAX - 50, YMIN + 100)] == 18 and paved[_cell(XMAX - 50, YMIN + 100)] == 1.0  # paved
    assert lgn[_cell(XMIN + 35, YMIN + 35)] == 18 and paved[_cell(XMIN + 35, YMIN + 35)] == 1.0  # the pand
    assert lgn[_cell(XMIN + 100, YMAX - 5)] == 16  # the ditch
    assert lgn[_cell(XMAX - 50, YMAX - 35)] == 25  # motorway: main roads and rail
    assert set(np.unique(lgn)) <= {c.code for c in LgnClasses.load().classes}
    assert result.layers == {"begroeidterreindeel": 1, "onbegroeidterreindeel": 1, "wegdeel": 1, "waterdeel": 1,
                             "pand": 1}


def test_paved_share_is_the_covered_fraction_and_grows_with_paving(tmp_path: Path) -> None:
    grass = read_bgt_landuse(str(write_bgt(tmp_path / "a.gpkg", east="grasland overig")), GRID, target_crs=GRID.crs)
    paved = read_bgt_landuse(str(write_bgt(tmp_path / "b.gpkg")), GRID, target_crs=GRID.crs)
    half = read_bgt_landuse(str(write_bgt(tmp_path / "c.gpkg", east="half verhard")), GRID, target_crs=GRID.crs)
    assert grass.mean_paved() < half.mean_paved() < paved.mean_paved()


def test_a_small_pand_gives_its_cell_a_partial_paved_share(tmp_path: Path) -> None:
    path = _write(tmp_path / "bgt.gpkg", {
        "begroeidterreindeel": _layer([box(XMIN, YMIN, XMAX, YMAX)], **{"bgt-fysiekVoorkomen": ["grasland agrarisch"]}),
        "bgt_pand": _layer([box(XMIN + 100, YMIN + 100, XMIN + 105, YMIN + 110)]),
    })
    result = read_bgt_landuse(str(path), GRID, target_crs=GRID.crs)
    assert result.paved_share[_cell(XMIN + 102, YMIN + 105)] == pytest.approx(0.5)
    assert result.paved_share[_cell(XMIN + 112, YMIN + 105)] == 0.0


def test_ended_planned_and_elevated_features_are_left_out(tmp_path: Path) -> None:
    spot = box(XMIN + 100, YMIN + 100, XMIN + 140, YMIN + 140)
    gone = _layer([spot, spot, spot], **{"bgt-fysiekVoorkomen": ["gesloten verharding"] * 3,
                                         "eindRegistratie": ["2019-01-01T00:00:00", None, None],
                                         "plus-status": ["geenWaarde", "plan", "geenWaarde"],
                                         "relatieveHoogteligging": [0, 0, 1]})
    path = _write(tmp_path / "bgt.gpkg", {
        "begroeidterreindeel": _layer([box(XMIN, YMIN, XMAX, YMAX)], **{"bgt-fysiekVoorkomen": ["heide"]}),
        "wegdeel": gone,
    })
    result = read_bgt_landuse(str(path), GRID, target_crs=GRID.crs)
    assert result.layers["wegdeel"] == 0
    assert result.landuse.array[_cell(XMIN + 120, YMIN + 120)] == 36 and result.mean_paved() == 0.0


def test_an_unknown_fysiek_voorkomen_is_named_and_takes_the_layers_class(tmp_path: Path) -> None:
    path = write_bgt(tmp_path / "bgt.gpkg", west="maanlandschap")
    with use_language("en"):
        result = read_bgt_landuse(str(path), GRID, target_crs=GRID.crs)
    assert result.landuse.array[_cell(XMIN + 100, YMIN + 100)] == 1
    assert any("'maanlandschap'" in w and "begroeidterreindeel" in w for w in result.warnings)


def test_a_file_without_bgt_layers_is_refused_listing_its_layers(tmp_path: Path) -> None:
    path = tmp_path / "other.gpkg"
    write_vector(path, _layer([box(XMIN, YMIN, XMAX, YMAX)]), layer="percelen")
    with pytest.raises(InputDataError) as err:
        read_bgt_landuse(str(path), GRID, target_crs=GRID.crs)
    message = err.value.message("en")
    assert "percelen" in message and "begroeidterreindeel" in message


def test_a_dossier_reads_bgt_as_its_land_use(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    write_bgt(tmp_path / "d" / "inputs" / "bgt.gpkg")
    toml.write_text(toml.read_text().replace('landuse = "inputs/landuse.tif"',
                                             'landuse = { path = "inputs/bgt.gpkg", codes = "bgt" }'))
    dossier = load_dossier(toml)
    preflight(dossier, {"landuse"})  # a GeoPackage, not refused as an unreadable raster
    with use_language("en"):
        lines = "\n".join(check_inputs(dossier))
    assert "landuse: BGT recognised" in lines and "% paved" in lines
    cache = RunCache(dossier)
    with use_language("en"), caplog.at_level(logging.INFO):
        landuse = cache.raster("landuse")
    assert landuse.array[_cell(XMAX - 50, YMAX - 35)] == 25 and "BGT recognised" in caplog.text
    assert 0.4 < cache.door["landuse"]["bgt_paved_share"] < 0.7 and cache.door["landuse"]["bgt_layers"]


def test_the_table_maps_only_to_lgn_classes_we_know() -> None:
    table = BgtLanduse.load()
    codes = {c.code for c in LgnClasses.load().classes}
    assert {c.lgn for c in table.covers} | {r.lgn for r in table.layers} | {table.main_roads.lgn} <= codes
    values = [c.value for c in table.covers]
    assert len(values) == len(set(values))


def test_the_pluvial_runoff_reads_the_bgt_paved_share_per_cell(tmp_path: Path) -> None:
    """A BGT land use gives urgency.pluvial its paved share per cell (and so the effect engine's baseline): a
    cell half covered by a small pand in grassland is half paved, not the grass class's unpaved."""
    from alliantie.contract.names import PLUVIAL
    from alliantie.dossier.registry import REGISTRY, ProductContext, load_products
    from alliantie.method.urgency.pluvial.product import prepare

    toml = write_minimal_dossier(tmp_path / "d")
    _write(tmp_path / "d" / "inputs" / "bgt.gpkg", {
        "begroeidterreindeel": _layer([box(XMIN, YMIN, XMAX, YMAX)], **{"bgt-fysiekVoorkomen": ["grasland agrarisch"]}),
        "pand": _layer([box(XMIN + 100, YMIN + 100, XMIN + 105, YMIN + 110)]),
    })
    toml.write_text(toml.read_text().replace('landuse = "inputs/landuse.tif"',
                                             'landuse = { path = "inputs/bgt.gpkg", codes = "bgt" }'))
    dossier = load_dossier(toml)
    load_products()
    ctx = ProductContext(product=REGISTRY[PLUVIAL], dossier=dossier, out_dir=tmp_path / "out", cache=RunCache(dossier))
    paved = prepare(ctx).surface.paved
    assert paved[_cell(XMIN + 102, YMIN + 105)] == pytest.approx(0.5)
    assert paved[_cell(XMIN + 112, YMIN + 105)] == 0.0
    assert ctx.cache.paved_share() is not None
