"""The demo dossier on disk: files, CRS, layers, columns, value ranges and determinism."""

import hashlib
import time

import numpy as np
import pyogrio
import pytest
import rasterio

from alliantie.demo import make_demo
from alliantie.dossier import load_dossier
from alliantie.dossier.area import dossier_grid
from alliantie.errors import InputDataError

RASTERS = ("dem", "ghg", "glg", "landuse")
LAYERS = {
    "boundary": (),
    "soil": ("soil_class",),
    "watercourses": ("kind", "name", "width_m"),
    "waterbodies": ("kind", "name"),
    "nature": ("kind", "name", "network"),
    "buildings": ("id", "year", "height_m", "function", "floor_level_m", "foundation"),
    "roads": ("kind", "name"),
    "railways": ("kind",),
    "neighbourhoods": ("code", "name", "residents", "share_65plus"),
    "projects": ("name", "kind", "year", "owner"),
}
KINDS = {
    ("soil", "soil_class"): {"veen", "moerig", "podzol", "eerd", "zand", "zeeklei", "rivierklei",
                             "oude_klei", "leem", "bebouwd", "water"},
    ("watercourses", "kind"): {"river", "stream", "canal", "ditch"},
    ("waterbodies", "kind"): {"river", "lake", "pond", "floodplain_lake"},
    ("nature", "kind"): {"forest", "heath", "wetland", "grassland", "nature_network"},
    ("buildings", "function"): {"residential", "industrial", "office", "retail", "public", "agricultural"},
    ("buildings", "foundation"): {"wooden_piles", "concrete_piles", "shallow"},
    ("roads", "kind"): {"motorway", "main", "local", "street"},
    ("railways", "kind"): {"railway"},
    ("projects", "kind"): {"housing", "road_maintenance", "sewer_replacement", "dike_reinforcement",
                           "nature_development", "stream_restoration", "business_park"},
    ("projects", "owner"): {"municipality", "water_board", "province", "rijkswaterstaat",
                            "housing_corporation", "developer"},
}
LGN = {1, 2, 3, 4, 5, 6, 9, 11, 12, 16, 18, 19, 20, 22, 23, 25, 26, 28, 36, 37, 41, 42, 43, 45, 61}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "vallei"
    started = time.perf_counter()
    toml = make_demo(folder, size="small", seed=2014)
    return folder, toml, time.perf_counter() - started


def _read(folder, name):
    with rasterio.open(folder / "inputs" / f"{name}.tif") as ds:
        return ds.read(1), ds


def _layer(folder, name):
    return pyogrio.read_dataframe(folder / "inputs" / f"{name}.gpkg", layer=name)


def test_dossier_loads_and_small_is_fast(demo):
    folder, toml, seconds = demo
    assert toml == folder / "dossier.toml"
    dossier = load_dossier(toml)
    assert dossier.config.name == "Vallei en Eem (demo)"
    assert dossier.config.resolution == 10.0
    assert dossier.config.scenarios.knmi == ["Ln", "Hd"]
    grid = dossier_grid(dossier)
    assert grid.shape == (320, 400)
    assert seconds < 10.0, f"small demo took {seconds:.1f} s"


def test_rasters_crs_types_and_ranges(demo):
    folder, _, _ = demo
    arrays = {}
    for name in RASTERS:
        with rasterio.open(folder / "inputs" / f"{name}.tif") as ds:
            assert ds.crs.to_epsg() == 28992
            assert ds.res == (10.0, 10.0)
            assert ds.nodata == (0 if name == "landuse" else -9999.0)
            assert ds.dtypes[0] == ("uint8" if name == "landuse" else "float32")
            arrays[name] = ds.read(1)
    dem, ghg, glg, lu = (arrays[n] for n in RASTERS)
    assert (dem != -9999).all() and (lu != 0).all()
    assert dem.max() > 30.0 and dem.min() < -1.0
    assert (glg >= ghg).all()
    assert set(np.unique(lu).tolist()) <= LGN
    for code in (1, 2, 5, 11, 12, 16, 18, 19, 25, 36, 42):
        assert (lu == code).any(), code
    # heath on the moraine, polder below sea level with shallow groundwater
    assert np.median(dem[lu == 36]) > 20.0
    wet = (dem < -0.5) & (lu == 1)
    assert wet.sum() > 1000 and 0.15 <= np.median(ghg[wet]) <= 0.45
    # deep groundwater on the moraine, seepage in the brook valley
    assert np.median(glg[dem > 30]) > 5.0
    assert (ghg[np.isin(lu, (41, 42, 43))] < 0.3).mean() > 0.8


def test_layers_crs_columns_and_values(demo):
    folder, _, _ = demo
    for name, columns in LAYERS.items():
        gdf = _layer(folder, name)
        assert gdf.crs is not None and gdf.crs.to_epsg() == 28992, name
        assert len(gdf) > 0, name
        assert set(columns) <= set(gdf.columns), (name, set(columns) - set(gdf.columns))
        assert gdf.geometry.is_valid.all(), name
    for (name, column), allowed in KINDS.items():
        values = set(_layer(folder, name)[column])
        assert values <= allowed, (name, column, values - allowed)
    soil = set(_layer(folder, "soil")["soil_class"])
    assert {"veen", "moerig", "podzol", "eerd", "zand", "rivierklei", "leem", "bebouwd"} <= soil
    assert set(_layer(folder, "nature")["kind"]) >= {"forest", "heath", "wetland"}


def test_buildings_are_plausible(demo):
    folder, _, _ = demo
    b = _layer(folder, "buildings")
    with rasterio.open(folder / "inputs" / "dem.tif") as ds:
        centres = b.geometry.centroid
        ground = np.array([v[0] for v in ds.sample(zip(centres.x, centres.y, strict=True))])
    assert 200 <= len(b) <= 5000
    assert b["id"].is_unique
    assert b["year"].between(1300, 2020).all() and (b["year"] < 1900).any() and (b["year"] > 2000).any()
    lift = b["floor_level_m"].to_numpy() - ground
    assert (np.median(lift) > 0.1) and (np.abs(lift) < 2.0).mean() > 0.95
    old = b[b["year"] < 1940]
    assert (old["foundation"] != "concrete_piles").all()
    assert (b[b["year"] >= 1940]["foundation"] != "wooden_piles").all()
    assert (old["foundation"] == "wooden_piles").any()
    assert set(b["function"]) >= {"residential", "industrial", "retail", "agricultural"}
    assert (b.geometry.area > 20).all() and b.geometry.area.max() > 1000


def test_neighbourhoods_and_projects(demo):
    folder, _, _ = demo
    n = _layer(folder, "neighbourhoods")
    assert 8 <= len(n) <= 14
    assert n["code"].str.match(r"^BU\d{8}$").all() and n["code"].is_unique
    assert n["residents"].sum() > 500 and (n["residents"] >= 0).all()
    assert n["share_65plus"].between(0, 1).all()
    boundary = _layer(folder, "boundary").geometry.union_all()
    assert n.geometry.union_all().area == pytest.approx(boundary.area, rel=0.01)
    p = _layer(folder, "projects")
    assert 6 <= len(p) <= 10 and p["year"].between(2026, 2035).all()


def test_same_seed_same_files_other_seed_differs(demo, tmp_path):
    folder, _, _ = demo
    again = tmp_path / "again"
    make_demo(again, size="small", seed=2014)
    for name in RASTERS:
        a = hashlib.sha256((folder / "inputs" / f"{name}.tif").read_bytes()).hexdigest()
        b = hashlib.sha256((again / "inputs" / f"{name}.tif").read_bytes()).hexdigest()
        assert a == b, name
    for name in LAYERS:
        left, right = _layer(folder, name), _layer(again, name)
        assert left.drop(columns="geometry").equals(right.drop(columns="geometry")), name
        assert left.geometry.geom_equals_exact(right.geometry, tolerance=0.0).all(), name
    other = tmp_path / "other"
    make_demo(other, size="small", seed=7)
    dem_a, _ = _read(folder, "dem")
    dem_b, _ = _read(other, "dem")
    assert not np.array_equal(dem_a, dem_b)


def test_refuses_foreign_folder_and_replaces_previous_demo(demo, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(InputDataError):
        make_demo(foreign, size="small")
    assert (foreign / "notes.txt").read_text() == "keep me"
    previous = tmp_path / "previous"
    make_demo(previous, size="small", seed=3)
    (previous / "inputs" / "stale.txt").write_text("old")
    make_demo(previous, size="small", seed=4)
    assert not (previous / "inputs" / "stale.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
