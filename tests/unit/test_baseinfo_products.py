"""The step 2 products on a tiny dossier: files, maps.json, analysewijzer, and what the cache recomputes."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
from shapely.geometry import LineString, box

from alliantie.contract.spec import read_maps
from alliantie.dossier import load_dossier, run_dossier
from alliantie.io.vector import write_vector
from alliantie.testing.factories import small_grid, write_minimal_dossier

STEP2 = [
    "baseinfo.elevation", "baseinfo.soil", "baseinfo.groundwater", "baseinfo.seepage", "baseinfo.water",
    "baseinfo.green", "baseinfo.landscape", "baseinfo.structure_carriers", "baseinfo.analysewijzer",
]


def _dossier(tmp_path: Path, extra: str = "") -> Path:
    grid = small_grid()
    xmin, ymin, xmax, ymax = grid.bounds
    mid_y = (ymin + ymax) / 2
    toml = write_minimal_dossier(tmp_path, extra_toml=extra)
    courses = gpd.GeoDataFrame(
        {"kind": ["stream", "ditch"], "name": ["Beek", ""], "width_m": [3.0, 1.0]},
        geometry=[LineString([(xmin, mid_y), (xmax + 100, mid_y)]), LineString([(xmin + 50, ymin), (xmin + 50, ymax)])],
        crs=grid.crs,
    )
    write_vector(tmp_path / "inputs" / "watercourses.gpkg", courses, layer="watercourses")
    nature = gpd.GeoDataFrame(
        {"kind": ["forest"], "name": ["Bos"], "network": [True]},
        geometry=[box(xmin, ymin, xmin + 150, ymin + 150)], crs=grid.crs,
    )
    write_vector(tmp_path / "inputs" / "nature.gpkg", nature, layer="nature")
    text = toml.read_text(encoding="utf-8")
    text += 'watercourses = { path = "inputs/watercourses.gpkg", layer = "watercourses" }\n'
    text += 'nature = { path = "inputs/nature.gpkg", layer = "nature" }\n'
    toml.write_text(text, encoding="utf-8")
    return toml


def test_all_products_and_their_files(tmp_path: Path) -> None:
    dossier = load_dossier(_dossier(tmp_path))
    summary = run_dossier(dossier, products=STEP2)
    assert set(summary.computed) == set(STEP2)
    products = dossier.products_dir
    with rasterio.open(products / "baseinfo.groundwater" / "gt.tif") as ds:
        gt = ds.read(1)
        assert ds.nodata == 0 and ds.colormap(1)[1][:3] == (8, 48, 107)
    assert set(np.unique(gt)) <= set(range(0, 9)) and (gt > 0).any()
    with rasterio.open(products / "baseinfo.seepage" / "seepage.tif") as ds:
        assert set(np.unique(ds.read(1))) <= {0, 1, 2, 3}
    assert (products / "baseinfo.soil" / "soil.qml").exists()
    soil = gpd.read_file(products / "baseinfo.soil" / "soil.gpkg", layer="soil")
    assert set(soil["main_class"]) == {"sand", "peat"}
    layers = {name for name, _ in pyogrio.list_layers(products / "baseinfo.water" / "water.gpkg")}
    assert {"watercourses", "waterbodies"} <= layers
    landscape = gpd.read_file(products / "baseinfo.landscape" / "landscape.gpkg", layer="landscape")
    assert {"type", "area_ha", "gidsmodel_nl"} <= set(landscape.columns) and landscape["area_ha"].sum() > 0
    carriers = gpd.read_file(
        products / "baseinfo.structure_carriers" / "structure_carriers.gpkg", layer="structure_carriers"
    )
    expected = {"kind", "name", "area_ha", "components", "rule", "description_nl", "description_en"}
    assert expected <= set(carriers.columns)
    for name in STEP2[:-1]:
        maps = read_maps(products / name)
        assert maps, name
        for spec in maps:
            for layer in spec.layers:
                folder = products / (layer.product or name)
                assert (folder / layer.file).exists(), (name, layer.file)
    doc = json.loads((products / "baseinfo.analysewijzer" / "analysewijzer.json").read_text(encoding="utf-8"))
    assert len(doc["goals"]) == 6
    by_id = {e["id"]: e for e in doc["elements"]}
    assert by_id["beekdal"]["present"] and by_id["beekdal"]["area_ha"] > 0  # the brook crosses the area
    assert not by_id["rivier"]["present"]
    assert by_id["natuurnetwerk"]["present"] and abs(by_id["natuurnetwerk"]["area_ha"] - 2.25) < 0.01
    csv_text = (products / "baseinfo.analysewijzer" / "analysewijzer.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].startswith("id,layer,label_nl,label_en,present,area_ha,lokaal_leven_nl")


def test_relief_radius_recomputes_only_what_depends_on_it(tmp_path: Path) -> None:
    toml = _dossier(tmp_path)
    run_dossier(load_dossier(toml), products=STEP2)
    text = toml.read_text(encoding="utf-8").replace(
        "[inputs]", "[parameters.baseinfo]\nrelief_radius_m = 100\n\n[inputs]"
    )
    toml.write_text(text, encoding="utf-8")
    summary = run_dossier(load_dossier(toml), products=STEP2)
    assert {"baseinfo.elevation", "baseinfo.landscape"} <= set(summary.computed)
    assert {"baseinfo.soil", "baseinfo.green", "baseinfo.groundwater", "baseinfo.seepage",
            "baseinfo.water"} <= set(summary.skipped)
