"""``make_demo``: write the seeded synthetic demo region as a complete dossier.

The region is modelled on the Gelderse Vallei and the Eem near Amersfoort (see
:mod:`alliantie.demo.layout`). Everything is written into a temporary folder
that replaces ``out`` only when complete, so an interrupted run leaves nothing
half-written. The same seed gives byte-identical rasters and identical vectors.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.demo import flood as demo_flood
from alliantie.demo import infrastructure, society, soil, terrain, town, water
from alliantie.demo import landuse as landuse_mod
from alliantie.demo.corrections import write_corrections
from alliantie.demo.fields import NoiseSource
from alliantie.demo.initiatives import example_initiatives
from alliantie.demo.layout import LAYOUT_HEIGHT, LAYOUT_WIDTH, SIZES, DemoSizeName, Frame
from alliantie.demo.nature import nature_areas
from alliantie.demo.sketch import example_sketch
from alliantie.demo.strategy import write_strategy
from alliantie.demo.workshop import write_workshop
from alliantie.errors import InputDataError
from alliantie.grid import RD_NEW
from alliantie.io.atomic import atomic_dir, atomic_file
from alliantie.io.raster import write_raster
from alliantie.io.vector import write_vector

log = logging.getLogger(__name__)

NAME = "Vallei en Eem (demo)"
NODATA = -9999.0
#: noise lattice (rows, cols) over the layout frame, 50 m cells
NOISE_SHAPE = (int(LAYOUT_HEIGHT / 50), int(LAYOUT_WIDTH / 50))

VECTOR_LAYERS = ("soil", "watercourses", "waterbodies", "nature", "buildings", "roads", "railways",
                 "neighbourhoods", "projects")


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputDataError("errors.demo_exists", path=str(out))
    if out.is_dir() and any(out.iterdir()) and not (out / "dossier.toml").exists():
        raise InputDataError("errors.demo_exists", path=str(out))


def dossier_toml(resolution: float, seed: int, size: str, extra: str = "") -> str:
    """The text of the demo's ``dossier.toml``, with a comment on each key (``extra``: sections appended)."""
    vectors = "\n".join(
        f'{name} = {{ path = "inputs/{name}.gpkg", layer = "{name}" }}'
        for name in ("watercourses", "waterbodies", "nature", "buildings", "roads", "railways",
                     "neighbourhoods", "projects")
    )
    return f"""# Dossier of the synthetic demo region (alliantie demo --size {size} --seed {seed}).
# Modelled on the Gelderse Vallei and the Eem near Amersfoort; all data are invented.

name = "{NAME}"        # shown in the report
language = "nl"        # report language: nl or en
crs = "{RD_NEW}"       # every input is used in (or reprojected to) this CRS
resolution = {resolution:.1f}       # cell size of the dossier grid, m
boundary = {{ path = "inputs/boundary.gpkg", layer = "boundary" }}  # study area

[inputs]
dem = "inputs/dem.tif"           # elevation, m NAP (buildings not burnt in)
ghg = "inputs/ghg.tif"           # mean highest groundwater level, m below surface
glg = "inputs/glg.tif"           # mean lowest groundwater level, m below surface
landuse = "inputs/landuse.tif"   # land use, LGN codes
soil = {{ path = "inputs/soil.gpkg", layer = "soil" }}  # soil map, column soil_class
# optional vector layers (GeoPackage file and layer)
{vectors}
corrections = {{ path = "inputs/corrections.gpkg", layer = "corrections" }}  # experts on the vulnerability map
sketch = {{ path = "inputs/example_sketch.gpkg", layer = "example_sketch" }}  # measures evaluated in step 3
workshop = {{ path = "inputs/sketches.gpkg", layer = "sketches" }}  # workshop syntheses, step 4
strategy = "strategy.toml"       # the owner's choices for the strategy document (step 5)

[scenarios]
knmi = ["Ln", "Hd"]        # KNMI'23 climate scenarios: the lowest and highest for heat and drought
horizons = [2050, 2100]    # years
{extra}"""


def make_demo(out: Path | str, size: DemoSizeName = "default", seed: int = 2014) -> Path:
    """Write the demo dossier into ``out`` and return the path of its ``dossier.toml``.

    ``size`` "default" is about 10 x 8 km at 5 m cells; "small" is the same
    landscape at 4 x 3.2 km and 10 m cells, for fast tests. ``out`` must be new,
    empty or a previous demo (a folder with a ``dossier.toml``), whose inputs and
    ``dossier.toml`` are replaced (its products stay; unchanged ones are not recomputed).
    """
    out = Path(out)
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; choose from {sorted(SIZES)}")
    _check_target(out)
    started = time.perf_counter()
    frame = Frame(SIZES[size])
    grid = frame.grid
    noise = NoiseSource(seed, NOISE_SHAPE, grid.shape)
    rng = np.random.default_rng([seed, 1])

    the_town = town.make_town(frame)
    town_area = the_town.districts.union_all()
    water_lines = water.watercourses(frame, town_area)
    water_polys = water.waterbodies(frame)
    terr = terrain.make_terrain(frame, noise, water_lines, water_polys)
    extra_toml = demo_flood.parameters_toml(demo_flood.breach_parameters(frame, terr.dem))
    geology = soil.geology(frame, noise, terr)
    roads = infrastructure.roads(frame, the_town)
    railways = infrastructure.railways(frame)
    buildings = town.buildings(frame, the_town, roads, railways, water_lines, water_polys, terr.dem,
                               geology, rng)
    landuse = landuse_mod.make_landuse(frame, noise, terr, the_town, roads, railways, buildings, seed)

    core = rasterio.features.geometry_mask([the_town.built_core], out_shape=grid.shape,
                                           transform=grid.transform, invert=True)
    big_water = water_polys[water_polys["kind"].isin(["river", "floodplain_lake", "lake"])]
    open_water = rasterio.features.geometry_mask(list(big_water.geometry), out_shape=grid.shape,
                                                 transform=grid.transform, invert=True)
    soil_gdf = soil.soil_polygons(soil.soil_map(geology, terr, core, open_water), grid)
    nature = nature_areas(frame, landuse, terr, the_town)
    hoods = society.neighbourhoods(frame, the_town, buildings, rng)
    projects = society.projects(frame, the_town)
    bounds = gpd.GeoDataFrame({"name": [NAME]}, geometry=[society.boundary(frame)], crs=RD_NEW)
    log.info("demo %s generated in %.1f s", size, time.perf_counter() - started)

    vectors: dict[str, gpd.GeoDataFrame] = {
        "boundary": bounds, "soil": soil_gdf, "watercourses": water_lines, "waterbodies": water_polys,
        "nature": nature, "buildings": buildings, "roads": roads, "railways": railways,
        "neighbourhoods": hoods, "projects": projects,
    }
    # a previous demo keeps its products/ and report/: the cache sees identical inputs and skips them
    out.mkdir(parents=True, exist_ok=True)
    with atomic_dir(out / "inputs") as inputs:
        for name, arr, desc in (
            ("dem", terr.dem, "elevation, m NAP"),
            ("ghg", terr.ghg, "GHG, m below surface"),
            ("glg", terr.glg, "GLG, m below surface"),
        ):
            write_raster(inputs / f"{name}.tif", arr.astype(np.float32), grid, nodata=NODATA,
                         description=desc)
        write_raster(inputs / "landuse.tif", landuse.astype(np.uint8), grid, nodata=0,
                     description="land use, LGN codes")
        for name, gdf in vectors.items():
            write_vector(inputs / f"{name}.gpkg", gdf.set_crs(RD_NEW, allow_override=True), layer=name)
        write_corrections(inputs / "corrections.gpkg", size)
        # the sketch of measures that vista.effects (and `alliantie evaluate`) evaluates (step 3)
        write_vector(inputs / "example_sketch.gpkg",
                     example_sketch(frame, the_town.built_core, buildings, terr.dem), layer="example_sketch")
        write_workshop(inputs / "sketches.gpkg", frame)  # the workshop's syntheses, for step 4
        # initiatives for the afwegingskader (`alliantie assess DOSSIER inputs/initiatives.gpkg`, step 5)
        write_vector(inputs / "initiatives.gpkg",
                     example_initiatives(frame, the_town.built_core, buildings, terr.dem, [water_lines, water_polys]),
                     layer="initiatives")
    write_strategy(out)  # the owner's choices for the strategy document (step 5), beside dossier.toml
    with atomic_file(out / "dossier.toml") as toml:
        toml.write_text(dossier_toml(grid.res, seed, size, extra_toml), encoding="utf-8")
    log.info("demo %s written to %s in %.1f s", size, out, time.perf_counter() - started)
    return out / "dossier.toml"
