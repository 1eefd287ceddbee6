"""A tiny hand-made dossier with saved step-2 products, for tests of the report.

It does not run the method: it writes the files the products would write
(rasters, GeoPackages, ``maps.json``, ``provenance.json``, ``analysewijzer.json``,
a lagenkaart PNG) so the report can be tested on its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Polygon, box

from alliantie.contract.spec import Layer, LegendEntry, MapSpec, Text, write_maps
from alliantie.grid import Grid
from alliantie.io.raster import write_raster

BOUNDS = (150000.0, 450000.0, 153000.0, 452400.0)
RES = 20.0

GOALS = [
    ("local_living", "Lokaal leven", "Local living"),
    ("safety", "Veiligheid", "Safety"),
    ("land_extension", "Uitbreiding areaal", "Land extension"),
    ("health", "Gezondheid", "Health"),
    ("growth", "Groei & intensivering", "Growth & intensification"),
    ("manage_preserve", "Beheren & bewaren", "Manage & preserve"),
]


def _t(nl: str, en: str) -> Text:
    return Text(nl=nl, en=en)


def _provenance(name: str, folder: Path) -> None:
    record = {
        "product": name, "product_version": 1, "alliantie": "0.1.0",
        "grid": {"crs": "EPSG:28992", "resolution": RES},
        "inputs": {"dem": {"path": "inputs/dem.tif", "layer": None, "sha256": "ab" * 32}},
        "parameters": {"baseinfo.relief_radius_m": 250.0},
        "knowledge": {}, "depends": {}, "key": "k" * 64,
        "computed_at": "2025-01-01T12:00:00+00:00", "duration_s": 0.123,
        "knowledge_sources": {"baseinfo_rules": ["Stiboka (1975), Bodemkaart van Nederland 1:50 000"]},
        "files": {},
    }
    (folder / "provenance.json").write_text(json.dumps(record, indent=2), encoding="utf-8")


def make_report_dossier(root: Path, *, language: str = "nl", seed: int = 7) -> tuple[Path, dict[str, Path]]:
    """Write the dossier under ``root``; return ``dossier.toml`` and product name -> folder."""
    rng = np.random.default_rng(seed)
    grid = Grid.from_bounds(BOUNDS, RES)
    h, w = grid.shape
    yy, xx = np.mgrid[0:h, 0:w]
    inputs = root / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    dem = (5.0 + 0.004 * xx * RES / 10 + 2.0 * np.sin(yy / 15.0) + rng.normal(0, 0.1, (h, w))).astype(np.float32)
    write_raster(inputs / "dem.tif", dem, grid, nodata=-9999.0)
    write_raster(inputs / "ghg.tif", np.full((h, w), 0.5, np.float32), grid, nodata=-9999.0)
    write_raster(inputs / "glg.tif", np.full((h, w), 1.5, np.float32), grid, nodata=-9999.0)
    write_raster(inputs / "landuse.tif", np.ones((h, w), np.uint8), grid, nodata=0)
    x0, y0, x1, y1 = BOUNDS
    area = Polygon([(x0 + 100, y0 + 200), (x1 - 50, y0 + 100), (x1 - 300, y1 - 80), (x0 + 400, y1 - 150)])
    crs = "EPSG:28992"
    gpd.GeoDataFrame({"name": ["test"]}, geometry=[area], crs=crs).to_file(
        inputs / "boundary.gpkg", layer="boundary")
    soil = gpd.GeoDataFrame({"soil_class": ["zand", "veen"]},
                            geometry=[box(x0, y0, (x0 + x1) / 2, y1), box((x0 + x1) / 2, y0, x1, y1)], crs=crs)
    soil.to_file(inputs / "soil.gpkg", layer="soil")
    (root / "dossier.toml").write_text(
        f'name = "Testgebied Eem"\nlanguage = "{language}"\nresolution = {RES}\n'
        'boundary = { path = "inputs/boundary.gpkg", layer = "boundary" }\n\n[inputs]\n'
        'dem = "inputs/dem.tif"\nsoil = { path = "inputs/soil.gpkg", layer = "soil" }\n'
        'ghg = "inputs/ghg.tif"\nglg = "inputs/glg.tif"\nlanduse = "inputs/landuse.tif"\n',
        encoding="utf-8",
    )
    products = root / "products"
    dirs: dict[str, Path] = {}

    def folder(name: str) -> Path:
        path = products / name
        path.mkdir(parents=True, exist_ok=True)
        dirs[name] = path
        return path

    # elevation: continuous + hillshade
    f = folder("baseinfo.elevation")
    write_raster(f / "elevation.tif", dem, grid)
    shade = (128 + 100 * np.sin(xx / 9.0) * np.cos(yy / 7.0)).astype(np.uint8)
    write_raster(f / "hillshade.tif", shade, grid, nodata=0)
    write_maps(f, [MapSpec(
        id="elevation", title=_t("Hoogte", "Elevation"), theme="soil",
        description=_t("Maaiveldhoogte in m NAP.", "Surface elevation in m NAP."),
        layers=[Layer(file="elevation.tif", type="raster_continuous", cmap="terrain", unit="m NAP",
                      label=_t("Hoogte", "Elevation")),
                Layer(file="hillshade.tif", type="raster_hillshade", alpha=0.3)],
    )])
    _provenance("baseinfo.elevation", f)

    # soil: classes
    f = folder("baseinfo.soil")
    soil_cls = np.where(xx < w // 2, 1, 2).astype(np.uint8)
    soil_cls[(yy - h // 2) ** 2 + (xx - w // 3) ** 2 < 100] = 3
    write_raster(f / "soil.tif", soil_cls, grid, nodata=0)
    write_maps(f, [MapSpec(
        id="soil", title=_t("Bodem", "Soil"), theme="soil",
        description=_t("Hoofdbodemklassen.", "Main soil classes."),
        layers=[Layer(file="soil.tif", type="raster_classes", legend=[
            LegendEntry(value=1, color="#f2d680", label=_t("Zand", "Sand")),
            LegendEntry(value=2, color="#8c6d46", label=_t("Veen", "Peat")),
            LegendEntry(value=3, color="#a8c66c", label=_t("Klei", "Clay")),
        ]), Layer(file="hillshade.tif", product="baseinfo.elevation", type="raster_hillshade", alpha=0.25)],
    )])
    _provenance("baseinfo.soil", f)

    # water: lines by kind
    f = folder("baseinfo.water")
    lines = gpd.GeoDataFrame(
        {"kind": ["stream", "ditch", "ditch"], "name": ["Eem", "", ""]},
        geometry=[LineString([(x0, y0 + 1200), (x1, y0 + 900)]), LineString([(x0 + 800, y0), (x0 + 800, y1)]),
                  LineString([(x0 + 1800, y0), (x0 + 2000, y1)])], crs=crs)
    lines.to_file(f / "water.gpkg", layer="watercourses")
    write_maps(f, [MapSpec(
        id="water", title=_t("Waterlopen", "Water courses"), theme="water",
        description=_t("Beken en sloten.", "Streams and ditches."),
        layers=[Layer(file="water.gpkg", layer="watercourses", type="vector", column="kind", legend=[
            LegendEntry(value="stream", color="#1f78b4", label=_t("Beek", "Stream")),
            LegendEntry(value="ditch", color="#a6cee3", label=_t("Sloot", "Ditch")),
        ], linewidth=1.5)],
    )])
    _provenance("baseinfo.water", f)

    # landscape: classes with an area table
    f = folder("baseinfo.landscape")
    land = np.where(yy < h // 2, 1, 2).astype(np.uint8)
    write_raster(f / "landscape.tif", land, grid, nodata=0)
    write_maps(f, [MapSpec(
        id="landscape", title=_t("Landschapstypen", "Landscape types"), theme="landscape",
        description=_t("Landschapstype per plek.", "Landscape type per place."),
        layers=[Layer(file="landscape.tif", type="raster_classes", legend=[
            LegendEntry(value=1, color="#e6c36a", label=_t("Dekzandlandschap", "Cover sand landscape")),
            LegendEntry(value=2, color="#7fa36b", label=_t("Beekdal", "Stream valley")),
        ])],
    )])
    _provenance("baseinfo.landscape", f)

    # structure carriers: polygons with kind/name/area_ha/descriptions
    f = folder("baseinfo.structure_carriers")
    carriers = gpd.GeoDataFrame(
        {"kind": ["stream_valley", "ridge"], "name": ["Eemdal", "Dekzandrug"], "area_ha": [120.5, 80.25],
         "components": ["water, soil", "soil"], "rule": ["r1", "r2"],
         "description_nl": ["Het dal van de Eem.", "Een hoge zandrug."],
         "description_en": ["The valley of the Eem.", "A high sand ridge."]},
        geometry=[box(x0, y0 + 800, x1, y0 + 1400), box(x0 + 300, y1 - 700, x1 - 400, y1 - 300)], crs=crs)
    carriers.to_file(f / "structure_carriers.gpkg", layer="structure_carriers")
    write_maps(f, [MapSpec(
        id="structure_carriers", title=_t("Structuurdragers", "Structure carriers"), theme="structure",
        description=_t("De ruimtelijke hoofdstructuur.", "The spatial main structure."),
        layers=[Layer(file="hillshade.tif", product="baseinfo.elevation", type="raster_hillshade", alpha=0.5),
                Layer(file="structure_carriers.gpkg", layer="structure_carriers", type="vector",
                      column="kind", alpha=0.6, legend=[
                          LegendEntry(value="stream_valley", color="#4a90c2", label=_t("Beekdal", "Stream valley")),
                          LegendEntry(value="ridge", color="#d9a441", label=_t("Zandrug", "Sand ridge")),
                      ])],
    )])
    _provenance("baseinfo.structure_carriers", f)

    # analysewijzer
    f = folder("baseinfo.analysewijzer")
    elements = [
        {"id": "stream_valley", "label": {"nl": "Beekdal", "en": "Stream valley"}, "layer": "water",
         "present": True, "area_ha": 120.5,
         "meaning": {g[0]: {"nl": f"Betekenis beekdal voor {g[1].lower()}.",
                            "en": f"Meaning of the stream valley for {g[2].lower()}."} for g in GOALS}},
        {"id": "peat", "label": {"nl": "Veen", "en": "Peat"}, "layer": "soil", "present": True, "area_ha": 300.0,
         "meaning": {"safety": {"nl": "Klinkt in bij ontwatering.", "en": "Subsides when drained."}}},
        {"id": "heath", "label": {"nl": "Heide", "en": "Heath"}, "layer": "green", "present": False,
         "area_ha": 0.0, "meaning": {"manage_preserve": {"nl": "Beschermde natuur.", "en": "Protected nature."}}},
    ]
    analysewijzer = {"goals": [{"id": g[0], "label": {"nl": g[1], "en": g[2]}} for g in GOALS],
                     "elements": elements}
    (f / "analysewijzer.json").write_text(json.dumps(analysewijzer, ensure_ascii=False), encoding="utf-8")
    _provenance("baseinfo.analysewijzer", f)

    # lagenkaart: a small PNG
    f = folder("baseinfo.lagenkaart")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3), dpi=50)
    FigureCanvasAgg(fig)
    fig.add_subplot().bar([1, 2, 3], [3, 2, 1])
    fig.savefig(f / "lagenkaart.png")
    _provenance("baseinfo.lagenkaart", f)
    return root / "dossier.toml", dirs
