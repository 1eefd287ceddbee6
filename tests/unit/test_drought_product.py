"""The drought product on a tiny dossier with a test KNMI table: files, known subsidence and foundation classes,
missing scenarios, and an all-water area without any drought hazard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from shapely.geometry import box

import alliantie.knowledge as knowledge_module
from alliantie.climate import ClimateTable, dossier_scenarios
from alliantie.contract import theme
from alliantie.contract.spec import read_maps, read_tables
from alliantie.dossier import load_dossier, run_dossier
from alliantie.errors import ConfigError
from alliantie.io.vector import write_vector
from alliantie.knowledge import load_knowledge
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.urgency.drought.analysis import DroughtInput, analyse
from alliantie.method.urgency.drought.knowledge import DroughtKnowledge, land_table, soil_table
from alliantie.parameters.drought import DroughtParameters
from alliantie.testing.factories import small_grid, write_minimal_dossier

PRODUCT = "urgency.drought"


def _knmi(futures: bool = True) -> dict[str, Any]:
    """A test table: 265 mm today (once in 10 years), +25 mm (Ld) and +60 / +120 mm (Hd); mean deficit today only."""
    values: list[dict[str, Any]] = [
        {"variable": "precip_deficit_10y", "scenario": "reference", "value": 265.0, "source": "test table"},
        {"variable": "precip_deficit_mean", "scenario": "reference", "value": 150.0, "source": "test table"},
    ]
    if futures:
        for name, horizon, change in (("Ld", 2050, 25.0), ("Hd", 2050, 60.0), ("Ld", 2100, 25.0),
                                      ("Hd", 2100, 120.0)):
            values.append({"variable": "precip_deficit_10y", "scenario": name, "horizon": horizon,
                           "change": change, "source": "test table"})
    return {"variable": [{"id": "precip_deficit_mean", "unit": "mm", "change": "difference"},
                         {"id": "precip_deficit_10y", "unit": "mm", "change": "difference"}],
            "value": values}


@pytest.fixture()
def knmi(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    table = _knmi()
    original = knowledge_module.load_knowledge

    def fake(name: str, override: Path | None = None) -> dict[str, Any]:
        return table if name == "knmi_scenarios" else original(name, override)

    monkeypatch.setattr(knowledge_module, "load_knowledge", fake)
    return table


def _cell_xy(col: int, row: int) -> tuple[float, float]:
    grid = small_grid()
    xmin, _ymin, _xmax, ymax = grid.bounds
    return xmin + (col + 0.5) * grid.res, ymax - (row + 0.5) * grid.res


def _dossier(tmp_path: Path) -> Path:
    """Minimal dossier (podzol and forest west, peat and grass east; GLG 2.75 m west to 0.8 m east) plus
    buildings, two neighbourhoods and a heath nature area."""
    toml = write_minimal_dossier(tmp_path, extra_toml='[scenarios]\nknmi = ["Ld", "Hd"]\nhorizons = [2050, 2100]\n'
                                 '[parameters.drought]\ndeficit_variable = "precip_deficit_10y"\n')
    grid = small_grid()
    with rasterio.open(tmp_path / "inputs" / "dem.tif") as ds:
        dem = ds.read(1)
    row = 15
    # (col, foundation, year, floor above ground m): see the expected classes in the tests
    spec = [(35, "wooden_piles", 1920, 0.5), (37, "wooden_piles", 1925, 0.2), (5, "shallow", 1930, 0.3),
            (25, "concrete_piles", 1990, 0.3), (32, "", 1930, 0.3)]
    geoms, rows = [], []
    for i, (col, foundation, year, above) in enumerate(spec):
        x, y = _cell_xy(col, row)
        geoms.append(box(x - 3, y - 3, x + 3, y + 3))
        rows.append({"id": i + 1, "year": year, "height_m": 8.0, "function": "residential",
                     "floor_level_m": float(dem[row, col]) + above, "foundation": foundation})
    inputs = tmp_path / "inputs"
    write_vector(inputs / "buildings.gpkg", gpd.GeoDataFrame(rows, geometry=geoms, crs=grid.crs), layer="buildings")
    xmin, ymin, xmax, ymax = grid.bounds
    mid = (xmin + xmax) / 2
    hoods = gpd.GeoDataFrame({"code": ["BU01", "BU02"], "name": ["West", "Oost"], "residents": [100, 200],
                              "share_65plus": [0.2, 0.3]},
                             geometry=[box(xmin, ymin, mid, ymax), box(mid, ymin, xmax, ymax)], crs=grid.crs)
    write_vector(inputs / "neighbourhoods.gpkg", hoods, layer="neighbourhoods")
    nature = gpd.GeoDataFrame({"kind": ["heath"], "name": ["Heide"]},
                              geometry=[box(xmin, ymin, xmin + 150, ymax)], crs=grid.crs)
    write_vector(inputs / "nature.gpkg", nature, layer="nature")
    text = toml.read_text(encoding="utf-8")
    text += 'buildings = { path = "inputs/buildings.gpkg", layer = "buildings" }\n'
    text += 'neighbourhoods = { path = "inputs/neighbourhoods.gpkg", layer = "neighbourhoods" }\n'
    text += 'nature = { path = "inputs/nature.gpkg", layer = "nature" }\n'
    toml.write_text(text, encoding="utf-8")
    return toml


def _read(path: Path) -> np.ndarray:
    with rasterio.open(path) as ds:
        return np.asarray(ds.read(1))


def test_drought_product_files_and_known_answers(tmp_path: Path, knmi: dict[str, Any]) -> None:
    dossier = load_dossier(_dossier(tmp_path))
    summary = run_dossier(dossier, products=[PRODUCT])
    assert PRODUCT in summary.computed
    folder = dossier.products_dir / PRODUCT
    ids = ["current", "Ld2050", "Hd2050", "Ld2100", "Hd2100"]
    for sid in ids:
        for name in (f"severity_{sid}.tif", f"sensitivity_{sid}.tif", f"subsidence_{sid}.tif", f"wildfire_{sid}.tif"):
            assert (folder / name).exists(), name
        severity = _read(folder / f"severity_{sid}.tif")
        assert set(np.unique(severity)) <= {0, 1, 2, 3, 255}

    # subsidence of peat: col 35 has GLG 1.0 m -> (22.3 * 1.0 - 1.4) mm/year * 25 years = 52.25 cm today
    sub = _read(folder / "subsidence_current.tif")
    assert sub[:, 35] == pytest.approx(52.25, rel=1e-4)
    assert np.isnan(sub[:, 5]).all()  # podzol: no peat
    # Hd2050: +60 mm -> 0.3 * 60 mm / 0.10 = 0.18 m lower GLG, reached gradually from 2025 to 2050
    hd = _read(folder / "subsidence_Hd2050.tif")
    assert hd[:, 35] == pytest.approx(25 * (22.3 * 1.09 - 1.4) / 10, rel=1e-4)

    layers = gpd.read_file(folder / "drought.gpkg", layer="buildings")
    by_id = {int(r.id): r for r in layers.itertuples()}
    # wooden piles, water 0.3 m below the heads -> 3; 0.1 m above -> 2, and after the 0.18 m drop -> 3
    assert by_id[1].risk_current == 3
    assert by_id[2].risk_current == 2 and by_id[2].risk_Hd2050 == 3
    assert by_id[5].foundation_kind == "wooden_piles" and by_id[5].risk_current == 3  # inferred: peat, 1930
    assert 3 not in by_id and 4 not in by_id  # shallow on sand, concrete piles: no risk

    summary_, values = theme.read_theme(folder)  # type: ignore[misc]
    assert summary_.theme == "drought" and summary_.scenarios == ids
    assert ("precip_deficit_mean", "Hd2050") in summary_.missing
    value = {(v.scenario, v.code, v.indicator): v.value for v in values}
    assert value[("current", "", "buildings_foundation_risk")] == 3
    assert value[("current", "", "buildings_foundation_high")] == 2
    assert value[("Hd2050", "", "buildings_foundation_high")] == 3
    assert value[("current", "BU02", "buildings_foundation_risk")] == 3
    assert value[("current", "BU01", "buildings_foundation_risk")] == 0
    farmland = [value[(s, "", "farmland_sensitive_ha")] for s in ("current", "Ld2050", "Hd2050", "Hd2100")]
    assert farmland == sorted(farmland)  # a larger deficit never makes less farmland sensitive

    # wildfire: the heath next to building 3 burns more easily than the peat meadow next to building 1
    fire = _read(folder / "wildfire_current.tif")
    assert fire[15, 7] > fire[15, 33]
    breaks = gpd.read_file(folder / "drought.gpkg", layer="firebreaks")
    house3 = gpd.read_file(tmp_path / "inputs" / "buildings.gpkg").geometry.iloc[2]  # in the heath
    assert len(breaks) >= 1 and breaks.union_all().intersects(house3.buffer(15.0))
    assert breaks.union_all().hausdorff_distance(house3) <= 30.0 + 2 * 10.0  # a band of 30 m (10 m cells)
    assert not breaks.union_all().intersects(layers.geometry.iloc[0].buffer(50.0))  # no band in the meadow

    maps = read_maps(folder)
    assert maps and all(m.theme == "drought" for m in maps)
    drawn = {m.id for m in maps if m.id.startswith("drought_foundation_")}
    assert "drought_foundation_current" in drawn and len(drawn) == 2  # today and the driest future only
    assert all(folder.joinpath(f"subsidence_{s}.tif").exists() for s in ids)  # every scenario is written
    tables = read_tables(folder)
    assert [t.id for t in tables.tables] == ["drought_deficit", "drought_indicators",
                                             "drought_foundation_neighbourhoods"]
    assert tables.tables[0].rows[0][3] == 265.0
    assert tables.tables[0].rows[4][4] == 120.0  # Hd2100: +120 mm
    assert "not a probability" in tables.tables[1].note.en  # no sourced wildfire probability: said, not invented
    assert json.loads((folder / "theme.json").read_text(encoding="utf-8"))["classes"]["3"]["nl"]


def test_scenarios_without_a_deficit_are_missing_not_guessed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = _knmi(futures=False)
    original = knowledge_module.load_knowledge
    monkeypatch.setattr(knowledge_module, "load_knowledge",
                        lambda name, override=None: table if name == "knmi_scenarios" else original(name, override))
    dossier = load_dossier(_dossier(tmp_path))
    run_dossier(dossier, products=[PRODUCT])
    folder = dossier.products_dir / PRODUCT
    summary, _values = theme.read_theme(folder)  # type: ignore[misc]
    assert summary.scenarios == ["current"]
    assert ("precip_deficit_10y", "Hd2100") in summary.missing
    assert (folder / "severity_current.tif").exists() and not (folder / "severity_Hd2100.tif").exists()


def _tables() -> tuple[Any, Any]:
    drought = DroughtKnowledge.parse(load_knowledge("drought"))
    return soil_table(drought, SoilClasses.load()), land_table(drought, LgnClasses.load())


def test_an_all_water_area_has_no_drought_hazard() -> None:
    grid = small_grid(20, 20)
    soil, land = _tables()
    water_code = next(c.code for c in SoilClasses.load().classes if c.id == "water")
    x0, y0, _x1, _y1 = grid.bounds
    house = gpd.GeoDataFrame({"year": [1900], "foundation": ["wooden_piles"], "floor_level_m": [1.0]},
                             geometry=[box(x0 + 95, y0 + 95, x0 + 105, y0 + 105)], crs=grid.crs)
    data = DroughtInput(grid=grid, dem=np.zeros(grid.shape, np.float32), glg=np.full(grid.shape, np.nan, np.float32),
                        landuse=np.full(grid.shape, 16, np.uint8), soil=np.full(grid.shape, water_code, np.uint8),
                        buildings=house)
    scenarios = dossier_scenarios({"knmi": ["Hd"], "horizons": [2100]})
    params = DroughtParameters(deficit_variable="precip_deficit_10y")
    result = analyse(data, scenarios, ClimateTable(_knmi()), params, soil, land)
    assert [r.scenario.id for r in result.scenarios] == ["current", "Hd2100"]
    for r in (s.hazard for s in result.scenarios):
        assert (r.wildfire == 0).all() and (r.wildfire_class == 0).all()
        assert (r.sensitivity == 0).all() and (r.subsidence_cm == 0).all()
        # only the house's own footprint (wooden piles without a groundwater level: watch, class 1)
        assert set(np.unique(r.severity)) <= {0, 1}
    assert len(result.firebreaks) == 0


def test_unknown_soil_class_in_drought_knowledge_is_a_config_error() -> None:
    drought = load_knowledge("drought")
    del drought["soil"]["class"]["veen"]
    with pytest.raises(ConfigError) as info:
        soil_table(DroughtKnowledge.parse(drought), SoilClasses.load())
    assert info.value.key == "drought.errors.soil_class_missing" and "veen" in str(info.value)


def _edit(path: str, value: object = None) -> dict[str, Any]:
    """``drought.toml`` with the value at the dotted ``path`` replaced (deleted when ``value`` is None)."""
    data = load_knowledge("drought")
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(("path", "value", "key", "word"), [
    ("soil.class.veen.paw_mm", None, "drought.errors.soil_key_missing", "paw_mm"),
    ("capillary.decay_m", None, "drought.errors.knowledge_key_missing", "decay_m"),
    ("subsidence", None, "drought.errors.knowledge_key_missing", "slope_mm_per_year_per_m"),
    ("vegetation.group.heath.use", "forest", "drought.errors.bad_use", "forest"),
    ("capillary.flux_mm_per_day", "lots", "drought.errors.knowledge_invalid", "capillary.flux_mm_per_day"),
])
def test_malformed_drought_knowledge_names_the_table_and_number(path: str, value: object, key: str,
                                                                word: str) -> None:
    with pytest.raises(ConfigError) as info:
        DroughtKnowledge.parse(_edit(path, value))
    assert info.value.key == key and word in str(info.value) and "drought.toml" in str(info.value)


def test_vegetation_group_missing_in_drought_knowledge_is_a_config_error() -> None:
    knowledge = DroughtKnowledge.parse(_edit("vegetation.group.heath"))
    with pytest.raises(ConfigError) as info:
        land_table(knowledge, LgnClasses.load())
    assert info.value.key == "drought.errors.group_missing" and "heath" in str(info.value)


def test_drought_knowledge_keeps_units_and_sources() -> None:
    knowledge = DroughtKnowledge.parse(load_knowledge("drought"))
    for table in (knowledge.soil, knowledge.capillary, knowledge.subsidence, knowledge.vegetation,
                  knowledge.nature_kind):
        assert table is not None and table.unit and table.source
    assert knowledge.subsidence.slope_mm_per_year_per_m == 22.3 and knowledge.soil.classes["veen"].soft
    assert knowledge.subsidence.source.startswith("alliantie estimate")  # the coefficients are no paper's
    assert knowledge.vegetation.groups["heath"].root_depth_m is None
    # no public source gives a wildfire probability: the shipped file has none (the table says it is missing)
    assert knowledge.wildfire_reference is None
    own = {"return_period_years": 30.0, "increase_low": 1.5, "increase_high": 3.0, "unit": "years", "source": "own"}
    assert DroughtKnowledge.parse(_edit_add("wildfire_reference", own)).wildfire_reference is not None


def _edit_add(key: str, value: object) -> dict[str, Any]:
    data = load_knowledge("drought")
    data[key] = value
    return data


def test_parameters_refuse_unordered_limits() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        DroughtParameters(shortage_limits_mm=(100.0, 50.0, 0.0))
    with pytest.raises(ValidationError):
        DroughtParameters(near_buildings_m=600.0)
    assert DroughtParameters().far_from_buildings_m == 500.0


def test_code_hash_covers_the_drought_chain_and_the_soil_engine() -> None:
    from alliantie.dossier.registry import code_files, load_products

    files = {p.as_posix() for p in code_files(load_products()[PRODUCT].module)}
    for name in ("hazards/drought/chain.py", "hazards/drought/kernels.py", "soil.py", "parameters/drought.py",
                 "method/urgency/drought/knowledge.py", "method/urgency/drought/analysis.py",
                 "method/urgency/drought/outputs.py", "method/urgency/drought/indicators.py"):
        assert any(f.endswith(f"/alliantie/{name}") for f in files), name
