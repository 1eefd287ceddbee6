"""A sketch or a workshop export that names a measure the catalogue does not know is refused before any product
is computed (``check`` and ``run``), naming the file, the layer, the feature and the closest ids."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from alliantie.contract.names import EFFECTS
from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier.inspect import check_inputs, preflight
from alliantie.errors import InputDataError
from alliantie.io.vector import write_vector_layers
from alliantie.testing import small_grid, write_minimal_dossier

GRID = small_grid()
XMIN, YMIN, XMAX, YMAX = GRID.bounds


def _frame(measures: list[str]) -> gpd.GeoDataFrame:
    cells = [box(XMIN + 50 + 60 * i, YMIN + 50, XMIN + 90 + 60 * i, YMIN + 90) for i in range(len(measures))]
    return gpd.GeoDataFrame({"measure": measures}, geometry=cells, crs=GRID.crs)


def _dossier(tmp_path: Path, line: str, layers: dict[str, gpd.GeoDataFrame], file: str) -> Path:
    toml = write_minimal_dossier(tmp_path / "d")
    write_vector_layers(tmp_path / "d" / "inputs" / file, [(n, f, "Polygon", None) for n, f in layers.items()])
    toml.write_text(toml.read_text().rstrip("\n") + "\n" + line + "\n")
    return toml


def test_an_unknown_measure_in_the_sketch_stops_the_run_before_anything_is_computed(tmp_path: Path) -> None:
    toml = _dossier(tmp_path, 'sketch = { path = "inputs/sketch.gpkg", layer = "ideas" }',
                    {"ideas": _frame(["wadi", "wadie"])}, "sketch.gpkg")
    dossier = load_dossier(toml)
    with pytest.raises(InputDataError) as info:
        preflight(dossier, {"sketch"})
    message = info.value.message("en")
    assert "inputs/sketch.gpkg:ideas, feature 2" in message and "'wadie'" in message and "wadi" in message
    with pytest.raises(InputDataError):
        check_inputs(dossier)
    with pytest.raises(InputDataError):
        run_dossier(dossier, products=[EFFECTS])
    assert not (dossier.products_dir / "baseinfo.elevation").exists()  # nothing was computed


def test_every_synthesis_layer_of_the_workshop_export_is_checked(tmp_path: Path) -> None:
    layers = {"sketches": _frame(["wadi", "park"]), "synthesis_veerkracht": _frame(["wadi"]),
              "synthesis_regionale_economie": _frame(["urban_farming_magic"])}
    toml = _dossier(tmp_path, 'workshop = { path = "inputs/sketches.gpkg", layer = "sketches" }', layers,
                    "sketches.gpkg")
    with pytest.raises(InputDataError) as info:
        preflight(load_dossier(toml), {"workshop"})
    assert "synthesis_regionale_economie, feature 1" in info.value.message("en")


def test_known_measures_pass(tmp_path: Path) -> None:
    toml = _dossier(tmp_path, 'sketch = { path = "inputs/sketch.gpkg", layer = "ideas" }',
                    {"ideas": _frame(["wadi", "street_trees"])}, "sketch.gpkg")
    preflight(load_dossier(toml), {"sketch"})
