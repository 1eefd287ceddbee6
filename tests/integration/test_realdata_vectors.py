"""Real BAG buildings of polder 't Hoekje (HHNK) are understood: bouwjaar and the measured floor levels (issue 14).

``../shared/realdata/hhnk_thoekje_schagen`` (see its README): 133 BAG panden with ``bouwjaar``, ``pandstatus`` and
``Vloerpeil_25/50/75/Min/Max`` (m NAP). The dossier is built on the folder's real DEM (m NAP); groundwater depths are
the real GHG/GLG levels (m NAP) subtracted from that DEM; soil and land use are uniform (this test is about the
buildings). Skipped where the shared folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from rasterio.features import shapes
from shapely import unary_union
from shapely.geometry import shape

from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier.inspect import check_inputs
from alliantie.dossier.registry import RunCache
from alliantie.i18n import use_language
from alliantie.io.vector import write_vector
from alliantie.testing.realdata import realdata_root

HOEKJE = realdata_root(Path(__file__)) / "hhnk_thoekje_schagen"
pytestmark = pytest.mark.skipif(not (HOEKJE / "bag_panden.gpkg").exists(),
                                reason=f"real data not found: {HOEKJE} (../shared/realdata, see its README)")


def _write_dossier(folder: Path, buildings: str) -> Path:
    """A dossier on the real DEM of 't Hoekje with the real BAG panden as ``buildings`` (a TOML value)."""
    inputs = folder / "inputs"
    inputs.mkdir(parents=True)
    rasters = HOEKJE / "rasters"
    with rasterio.open(rasters / "dem_hoekje.tif") as ds:
        profile = ds.profile
        dem = ds.read(1, masked=True).astype("float32").filled(np.nan)
        transform = ds.transform
    profile.update(dtype="float32", nodata=np.nan)
    for name, level in (("ghg", "gwlvl_ghg.tif"), ("glg", "gwlvl_glg.tif")):
        with rasterio.open(rasters / level) as ds:
            depth = dem - ds.read(1, masked=True).astype("float32").filled(np.nan)  # m NAP -> m below surface
        with rasterio.open(inputs / f"{name}.tif", "w", **profile) as out:
            out.write(depth, 1)
    landuse = profile | {"dtype": "uint8", "nodata": 0}
    with rasterio.open(inputs / "landuse.tif", "w", **landuse) as out:
        out.write(np.where(np.isnan(dem), 0, 1).astype("uint8"), 1)  # LGN 1 grassland
    # the study area: where the DEM has data (a strip on the west side of the polder)
    valid = [shape(g) for g, v in shapes(np.isfinite(dem).astype("uint8"), transform=transform) if v == 1]
    area = unary_union(valid).buffer(-2.0)
    write_vector(inputs / "boundary.gpkg", gpd.GeoDataFrame({"name": ["hoekje"]}, geometry=[area],
                                                            crs="EPSG:28992"), layer="boundary")
    soil = gpd.GeoDataFrame({"soil_class": ["zeeklei"]}, geometry=[area.envelope], crs="EPSG:28992")
    write_vector(inputs / "soil.gpkg", soil, layer="soil")
    toml = folder / "dossier.toml"
    toml.write_text(
        'name = "\'t Hoekje (HHNK, echte BAG)"\nresolution = 4.0\nboundary = "inputs/boundary.gpkg"\n\n[inputs]\n'
        f'dem = "{rasters / "dem_hoekje.tif"}"\nsoil = "inputs/soil.gpkg"\nghg = "inputs/ghg.tif"\n'
        f'glg = "inputs/glg.tif"\nlanduse = "inputs/landuse.tif"\nbuildings = {buildings}\n',
        encoding="utf-8",
    )
    return toml


def _by_id(frame: gpd.GeoDataFrame, column: str) -> dict[str, float]:
    return dict(zip(frame["identifica"].astype(str), frame[column].astype(float), strict=True))


def test_check_says_bag_was_recognised_and_the_floor_levels_are_the_measured_ones(tmp_path: Path) -> None:
    bag = HOEKJE / "bag_panden.gpkg"
    dossier = load_dossier(_write_dossier(tmp_path / "d", f'"{bag}"'))
    with use_language("en"):
        lines = "\n".join(check_inputs(dossier))
    assert "BAG buildings recognised: bouwjaar -> year, Vloerpeil_50 -> floor_level_m" in lines
    buildings = RunCache(dossier).vector("buildings")
    assert buildings is not None and len(buildings) > 10
    measured = _by_id(gpd.read_file(bag), "Vloerpeil_50")
    for ident, floor in _by_id(buildings, "floor_level_m").items():
        assert floor == pytest.approx(measured[ident])  # m NAP, straight from the data
    years = _by_id(gpd.read_file(bag), "bouwjaar")
    assert all(years[i] == y for i, y in _by_id(buildings, "year").items())


def test_the_dossiers_own_map_picks_another_floor_level(tmp_path: Path) -> None:
    bag = HOEKJE / "bag_panden.gpkg"
    toml = _write_dossier(tmp_path / "d", f'{{ path = "{bag}", columns = {{ floor_level_m = "Vloerpeil_Min" }} }}')
    buildings = RunCache(load_dossier(toml)).vector("buildings")
    assert buildings is not None
    measured = _by_id(gpd.read_file(bag), "Vloerpeil_Min")
    assert all(f == pytest.approx(measured[i]) for i, f in _by_id(buildings, "floor_level_m").items())


@pytest.mark.slow
def test_a_run_uses_the_measured_floor_levels_and_records_the_reading(tmp_path: Path) -> None:
    bag = HOEKJE / "bag_panden.gpkg"
    dossier = load_dossier(_write_dossier(tmp_path / "d", f'"{bag}"'))
    run_dossier(dossier, products=["urgency.pluvial"])
    record = json.loads((dossier.products_dir / "urgency.pluvial" / "provenance.json").read_text(encoding="utf-8"))
    reading = record["input_readings"]["buildings"]
    assert reading["schema"] == "bag"
    assert reading["columns"] == {"year": "bouwjaar", "floor_level_m": "Vloerpeil_50"}
    layers = list(dossier.products_dir.joinpath("urgency.pluvial").glob("*.gpkg"))
    wet = [gpd.read_file(p, layer="buildings") for p in layers if "buildings" in _layers(p)]
    measured = set(np.round(gpd.read_file(bag)["Vloerpeil_50"].astype(float), 3))
    assert sum(len(frame) for frame in wet) > 0  # some buildings get wet, so floor levels were used
    for frame in wet:
        assert set(np.round(frame["floor_level_m"].astype(float), 3)) <= measured


def _layers(path: Path) -> list[str]:
    import pyogrio

    return [str(row[0]) for row in pyogrio.list_layers(path)]
