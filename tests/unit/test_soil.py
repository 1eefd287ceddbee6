"""Soil classification of a soil map (alliantie.soil): classes, main classes, codes and the raster."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from alliantie.errors import ConfigError, InputDataError
from alliantie.knowledge import load_knowledge
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.soil import classify_soil, rasterize_codes, soil_tables
from alliantie.testing.factories import small_grid


def _soil_map(classes: list[str]) -> gpd.GeoDataFrame:
    grid = small_grid()
    x0, y0, _x1, _y1 = grid.bounds
    geoms = [box(x0 + 100 * i, y0, x0 + 100 * (i + 1), y0 + 100) for i in range(len(classes))]
    return gpd.GeoDataFrame({"soil_class": classes}, geometry=geoms, crs=grid.crs)


def test_classify_soil_adds_main_class_codes_and_names() -> None:
    knowledge = SoilClasses.load()
    classes, mains, main_of = soil_tables(knowledge)
    out = classify_soil(_soil_map([" Veen", "podzol"]), knowledge)
    code = {c.id: c.code for c in classes}
    main_code = {m.id: m.code for m in mains}
    assert list(out["soil_class"]) == ["veen", "podzol"]
    assert list(out["main_class"]) == [main_of["veen"], main_of["podzol"]] == ["peat", "sand"]
    assert list(out["code"]) == [code["veen"], code["podzol"]]
    assert list(out["main_code"]) == [main_code["peat"], main_code["sand"]]
    assert out["code"].dtype == np.uint8 and set(out.columns) >= {"name_nl", "name_en"}

    grid = small_grid()
    raster = rasterize_codes(out, out["code"].to_numpy(), grid)
    assert raster.dtype == np.uint8 and raster.shape == grid.shape
    assert set(np.unique(raster)) == {0, code["veen"], code["podzol"]}
    assert (rasterize_codes(out.iloc[:0], np.zeros(0, np.uint8), grid) == 0).all()


def test_unknown_soil_class_and_missing_column_are_input_errors() -> None:
    knowledge = SoilClasses.load()
    with pytest.raises(InputDataError) as info:
        classify_soil(_soil_map(["moon_dust"]), knowledge, path="soil.gpkg")
    assert info.value.key == "baseinfo.errors.soil_class_unknown" and "moon_dust" in str(info.value)
    with pytest.raises(InputDataError) as info:
        classify_soil(_soil_map(["veen"]).rename(columns={"soil_class": "kind"}), knowledge)
    assert info.value.key == "errors.vector_columns"


def test_soil_classes_refuse_unknown_main_classes_and_duplicate_codes() -> None:
    """The model of soil_classes.toml checks what soil_tables relies on, naming the file."""
    knowledge = load_knowledge("soil_classes")
    knowledge["class"][0]["main"] = "lava"
    with pytest.raises(ConfigError, match="lava") as info:
        soil_tables(SoilClasses.parse(knowledge))
    assert "soil_classes.toml" in str(info.value)
    knowledge = load_knowledge("soil_classes")
    knowledge["class"][1]["code"] = knowledge["class"][0]["code"]
    with pytest.raises(ConfigError, match="duplicate"):
        soil_tables(SoilClasses.parse(knowledge))
