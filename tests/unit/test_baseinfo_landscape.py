"""Landscape rules, smoothing and the LGN -> vegetation mapping on small arrays."""

from __future__ import annotations

import numpy as np

from alliantie.contract.classes import class_table
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.baseinfo import patches
from alliantie.method.baseinfo.classes import codes
from alliantie.method.baseinfo.green import vegetation_groups, vegetation_lookup
from alliantie.method.baseinfo.knowledge import LandscapeRules, SeepageRules, VegetationGroups
from alliantie.method.baseinfo.landscape import categories, classify_landscape, smooth_landscape


def _variables(soil_ids: list[str], **overrides: list[float]) -> tuple[dict[str, np.ndarray], dict]:
    soil_k = SoilClasses.load()
    cats = categories(soil_k, SeepageRules.load())
    main_of = soil_k.main_of()
    n = len(soil_ids)
    base = {
        "elevation": [3.0] * n, "relief": [0.0] * n, "regional_relief": [0.0] * n, "height_above_low": [1.0] * n,
        "ghg": [1.0] * n, "glg": [2.0] * n, "seepage": [2] * n,
        "stream_distance": [1000.0] * n, "river_distance": [1000.0] * n,
    }
    base.update(overrides)
    variables = {k: np.array([v], dtype=np.float32) for k, v in base.items()}
    variables["seepage"] = variables["seepage"].astype(np.uint8)
    variables["soil"] = np.array([[cats["soil"][s] for s in soil_ids]], np.uint8)
    variables["main"] = np.array([[cats["main"][main_of[s]] for s in soil_ids]], np.uint8)
    return variables, cats


def _types(out: np.ndarray) -> list[str]:
    by_code = {v: k for k, v in codes(class_table(LandscapeRules.load().type)).items()}
    return [by_code.get(int(c), "-") for c in out.ravel()]


def test_landscape_rules_per_cell() -> None:
    knowledge = LandscapeRules.load()
    soils = ["podzol", "podzol", "podzol", "veen", "zeeklei", "rivierklei", "rivierklei", "rivierklei", "water"]
    variables, cats = _variables(
        soils,
        elevation=[25.0, 3.0, 3.0, 0.0, -1.0, 2.0, 2.0, 1.0, 1.0],
        height_above_low=[20.0, 3.0, 2.0, 1.0, 0.0, 2.0, 1.0, 0.5, 0.0],
        relief=[1.0, 0.5, -0.5, 0.0, 0.0, 0.5, -0.2, 0.0, 0.0],
        stream_distance=[1000.0, 1000.0, 50.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0],
        river_distance=[1000.0] * 7 + [100.0, 2000.0],
    )
    valid = np.ones((1, len(soils)), bool)
    out, fired = classify_landscape(variables, knowledge, cats, valid)
    assert _types(out) == [
        "stuwwal", "dekzand", "beekdal", "veenweide", "zeeklei", "oeverwal", "kom", "uiterwaard", "water",
    ]
    assert (fired >= 0).all()


def test_built_up_takes_the_surrounding_landscape() -> None:
    knowledge = LandscapeRules.load()
    variables, cats = _variables(["zeeklei", "bebouwd", "bebouwd", "bebouwd", "podzol"])
    out, _ = classify_landscape(variables, knowledge, cats, np.ones((1, 5), bool))
    assert _types(out) == ["zeeklei", "zeeklei", "dekzand", "dekzand", "dekzand"] or _types(out) == [
        "zeeklei", "zeeklei", "zeeklei", "dekzand", "dekzand"]
    # a high town on sand counts as push moraine
    variables, cats = _variables(["bebouwd"], elevation=[30.0], height_above_low=[12.0])
    out, _ = classify_landscape(variables, knowledge, cats, np.ones((1, 1), bool))
    assert _types(out) == ["stuwwal"]


def test_majority_and_small_patch_merge() -> None:
    grid = np.ones((20, 20), np.uint8)
    grid[:, 10:] = 2
    grid[5, 5] = 3          # a single speck
    grid[0:2, 0:2] = 0      # no data stays no data
    smooth = patches.majority(grid, 3)
    assert smooth[5, 5] == 1
    assert smooth[0, 0] == 0
    merged = patches.merge_small_patches(grid, 4)
    assert merged[5, 5] == 1
    assert (merged[:, 12:] == 2).all()
    out = smooth_landscape(grid, 3, 4)
    assert set(np.unique(out)) == {0, 1, 2}


def test_vegetation_mapping() -> None:
    groups = class_table(VegetationGroups.load().group)
    lookup = vegetation_lookup(LgnClasses.load(), groups)
    code = {g.id: g.code for g in groups}
    lgn = np.array([[11, 12, 36, 42, 1, 5, 61, 23, 18, 16, 0, 99]], np.uint8)
    out = vegetation_groups(lgn, lookup)
    expected = ["forest_deciduous", "forest_coniferous", "heath", "wetland", "grassland", "arable",
                "orchard_nursery", "urban_green", "built", "water"]
    assert out[0, :10].tolist() == [code[g] for g in expected]
    assert out[0, 10] == 0 and out[0, 11] == 0  # no data and unknown codes
