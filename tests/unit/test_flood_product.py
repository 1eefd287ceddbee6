"""The flood product on a tiny dossier with a river, a dike, a polder and a ridge: depth, classes, severity,
buildings with and without a dry storey, refuges, indicators per neighbourhood, maps and tables; an external
flood-depth raster; no breach at all; scenario levels; the demo breach."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from shapely.geometry import box

from alliantie.climate import ClimateScenario
from alliantie.contract.spec import read_maps, read_tables
from alliantie.contract.summaries import FloodMode, FloodSummary, read_summary
from alliantie.dossier import load_dossier, run_dossier
from alliantie.errors import ConfigError
from alliantie.hazards import flood as hz
from alliantie.io.raster import write_raster
from alliantie.io.vector import write_vector
from alliantie.knowledge import load_knowledge
from alliantie.method.urgency.flood.analysis import scenario_levels
from alliantie.method.urgency.flood.knowledge import FloodKnowledge
from alliantie.parameters.flood import FloodParameters
from alliantie.testing.factories import small_grid, write_minimal_dossier

PRODUCT = "urgency.flood"
RES = 10.0


def _dossier(tmp_path: Path, flood_toml: str, *, external: np.ndarray | None = None) -> Path:
    """40 x 30 cells of 10 m: river (cols 0-4, -1 m), floodplain (5-9, 1 m), dike (10-11, 4 m),
    polder (12-39, -1 m) with a ridge at column 30 (3 m); buildings A, E (2 storeys) and B (3 storeys)
    in the polder, C behind the ridge; neighbourhoods 'Polder' (cols 0-29) and 'Achter' (30-39)."""
    grid = small_grid()
    toml = write_minimal_dossier(tmp_path)
    dem = np.full(grid.shape, -1.0, dtype=np.float32)
    dem[:, 5:10] = 1.0
    dem[:, 10:12] = 4.0
    dem[:, 30] = 3.0
    inputs = tmp_path / "inputs"
    write_raster(inputs / "dem.tif", dem, grid, nodata=-9999.0)
    x0, _y0, _x1, top = grid.bounds

    def cells(c0: int, r0: int, c1: int, r1: int):  # columns c0..c1-1, rows r0..r1-1
        return box(x0 + c0 * RES, top - r1 * RES, x0 + c1 * RES, top - r0 * RES)

    buildings = gpd.GeoDataFrame(
        {"id": [1, 2, 3, 4], "function": ["residential"] * 4, "floor_level_m": [-0.8, -0.8, -0.8, -0.8],
         "height_m": [6.0, 9.0, 6.0, 6.0]},
        geometry=[cells(20, 5, 23, 8), cells(24, 20, 27, 23), cells(35, 10, 38, 13), cells(24, 16, 27, 19)],
        crs=grid.crs,
    )
    write_vector(inputs / "buildings.gpkg", buildings, layer="buildings")
    hoods = gpd.GeoDataFrame({"code": ["BU1", "BU2"], "name": ["Polder", "Achter"], "residents": [90, 50]},
                             geometry=[cells(0, 0, 30, 30), cells(30, 0, 40, 30)], crs=grid.crs)
    write_vector(inputs / "neighbourhoods.gpkg", hoods, layer="neighbourhoods")
    river = gpd.GeoDataFrame({"kind": ["river"], "name": ["Rivier"]}, geometry=[cells(0, 0, 5, 30)], crs=grid.crs)
    write_vector(inputs / "waterbodies.gpkg", river, layer="waterbodies")
    text = toml.read_text(encoding="utf-8")
    text += 'buildings = { path = "inputs/buildings.gpkg", layer = "buildings" }\n'
    text += 'neighbourhoods = { path = "inputs/neighbourhoods.gpkg", layer = "neighbourhoods" }\n'
    text += 'waterbodies = { path = "inputs/waterbodies.gpkg", layer = "waterbodies" }\n'
    if external is not None:
        write_raster(inputs / "flood_depth.tif", external.astype(np.float32), grid)
        text += 'flood_depth = "inputs/flood_depth.tif"\n'
    text += '\n[scenarios]\nknmi = ["Hd"]\nhorizons = [2100]\n'
    text += f"\n[parameters.flood]\n{flood_toml}\n"
    toml.write_text(text, encoding="utf-8")
    return toml


def _breach(level: float = 2.0, extra: str = "") -> str:
    x0, _y0, _x1, top = small_grid().bounds
    # on the dike crest (column 10), row 15: the water enters at the polder toe (column 12)
    return f"breach_x = {x0 + 10.5 * RES}\nbreach_y = {top - 15.5 * RES}\nriver_level_m = {level}\n{extra}"


def _run(toml: Path) -> Path:
    dossier = load_dossier(toml)
    summary = run_dossier(dossier, products=[PRODUCT])
    assert PRODUCT in summary.computed
    return dossier.products_dir / PRODUCT


def _read(path: Path) -> np.ndarray:
    with rasterio.open(path) as ds:
        return np.asarray(ds.read(1))


def _indicators(folder: Path) -> dict[tuple[str, str, str], float]:
    with (folder / "indicators.csv").open(encoding="utf-8") as handle:
        return {(r["scenario"], r["code"], r["indicator"]): float(r["value"]) for r in csv.DictReader(handle)}


def test_breach_floods_the_polder_up_to_the_ridge(tmp_path: Path) -> None:
    folder = _run(_dossier(tmp_path, _breach(extra="level_rise_m = { Hd2100 = 0.5 }")))
    depth = _read(folder / "depth_current.tif")
    # polder columns 12-29 at 3 m (river level 2 m NAP over ground -1 m); river side, dike and beyond the ridge dry
    assert np.allclose(depth[:, 12:30], 3.0)
    assert np.isnan(depth[:, :12]).all() and np.isnan(depth[:, 30:]).all()
    assert np.allclose(_read(folder / "depth_Hd2100.tif")[:, 12:30], 3.5)
    classes = _read(folder / "depth_class_current.tif")
    assert (classes[:, 12:30] == 5).all() and (classes[:, 30:] == 0).all()  # LIWO class 2-5 m
    severity = _read(folder / "severity_current.tif")
    assert (severity[:, 12:30] == 3).all() and (severity[:, 30:] == 0).all()
    # buildings: A (top floor -0.8 + 2.65 = 1.85 m < 2 m) and E without a dry storey; B (top floor 4.5 m) keeps one
    frame = gpd.read_file(folder / "flood.gpkg", layer="buildings").set_index("id")
    assert sorted(frame.index) == [1, 2, 4]  # C behind the ridge stays dry and is not listed
    assert frame.loc[1, "class_current"] == hz.NO_DRY_FLOOR and frame.loc[4, "class_current"] == hz.NO_DRY_FLOOR
    assert frame.loc[2, "class_current"] == hz.UPPER_FLOOR_DRY
    assert frame.loc[1, "water_level_m_current"] == pytest.approx(2.0)
    # refuges: A -> dry ground on the ridge, 9 cells east (90 m); E -> building B, 40 m south; B -> itself
    assert frame.loc[1, "refuge_current"] == hz.REFUGE_GROUND and frame.loc[1, "refuge_m_current"] == 90.0
    assert frame.loc[4, "refuge_current"] == hz.REFUGE_BUILDING and frame.loc[4, "refuge_m_current"] == 40.0
    assert frame.loc[4, "refuge_building_current"] == 2
    assert frame.loc[2, "refuge_current"] == hz.REFUGE_OWN_BUILDING and frame.loc[2, "refuge_m_current"] == 0.0
    breach = gpd.read_file(folder / "flood.gpkg", layer="breach")
    assert breach["kind"].tolist() == ["breach", "entry"]
    # indicators: 18 x 30 cells of 100 m2 = 5.4 ha; 90 residents over 3 homes in Polder
    values = _indicators(folder)
    assert values[("current", "BU1", "area_flooded_ha")] == pytest.approx(5.4)
    assert values[("current", "BU2", "area_flooded_ha")] == 0.0
    assert values[("current", "BU1", "buildings_flooded")] == 3
    assert values[("current", "BU1", "buildings_no_dry_floor")] == 2
    assert values[("current", "BU1", "residents_flooded")] == pytest.approx(90.0)
    assert values[("current", "BU1", "residents_no_dry_floor")] == pytest.approx(60.0)
    assert values[("current", "", "area_flooded_ha")] == pytest.approx(5.4)
    assert values[("Hd2100", "", "buildings_no_dry_floor")] == 2
    theme = json.loads((folder / "theme.json").read_text(encoding="utf-8"))
    assert theme["theme"] == "flood" and theme["scenarios"] == ["current", "Hd2100"]
    assert set(theme["classes"]) == {"1", "2", "3"}
    maps = read_maps(folder)
    assert [m.id for m in maps] == ["flood_depth_current", "flood_depth_Hd2100"]
    assert all(m.theme == "flood" for m in maps)
    assert "2,00 m NAP" in maps[0].title.nl and "2.00 m NAP" in maps[0].title.en
    tables = read_tables(folder).tables
    assert [t.id for t in tables] == ["flood_neighbourhoods_current", "flood_scenarios"]
    assert tables[0].rows[0][0] == "Polder" and tables[0].rows[0][4] == 2  # buildings without a dry floor


def test_volume_limit_fills_the_polder_from_below(tmp_path: Path) -> None:
    # 54 000 m3 over 540 cells of 100 m2: 1 m of water, level 0 m NAP
    folder = _run(_dossier(tmp_path, _breach(extra="volume_m3 = 54000.0")))
    depth = _read(folder / "depth_current.tif")
    assert np.allclose(depth[:, 12:30], 1.0, atol=1e-5)
    frame = gpd.read_file(folder / "flood.gpkg", layer="buildings").set_index("id")
    # level 0 m NAP: floors at -0.8 m are wet, every 2-storey top floor (1.85 m) stays dry
    assert (frame["class_current"] == hz.UPPER_FLOOR_DRY).all()
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["cases"][0]["volume_limited"] is True
    assert summary["cases"][0]["volume_m3"] == pytest.approx(54000.0, rel=1e-5)
    # no level rise configured: only today's climate
    assert not (folder / "depth_Hd2100.tif").exists()


def test_breach_below_the_land_floods_nothing(tmp_path: Path) -> None:
    # river at -1.5 m NAP: lower than the polder; the breach point finds no land below the river
    folder = _run(_dossier(tmp_path, _breach(level=-1.5)))
    assert np.isnan(_read(folder / "depth_current.tif")).all()
    assert (_read(folder / "severity_current.tif") <= 0).all()
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["cases"][0]["buildings_flooded"] == 0 and summary["notes"]
    assert "-1,50 m NAP" in read_maps(folder)[0].description.nl


def test_external_flood_depth_replaces_the_breach(tmp_path: Path) -> None:
    grid = small_grid()
    external = np.full(grid.shape, np.nan, dtype=np.float32)
    external[:, 20:25] = 0.6
    folder = _run(_dossier(tmp_path, _breach(), external=external))
    assert np.allclose(_read(folder / "depth_current.tif")[:, 20:25], 0.6)
    assert np.isnan(_read(folder / "depth_current.tif")[:, 12:20]).all()
    assert (_read(folder / "severity_current.tif")[:, 20:25] == 2).all()
    assert (_read(folder / "depth_class_current.tif")[:, 20:25] == 3).all()
    frame = gpd.read_file(folder / "flood.gpkg", layer="buildings").set_index("id")
    # A spans columns 20-22: water level -1 + 0.6 = -0.4 m NAP above its floor (-0.8 m)
    assert list(frame.index) == [1, 2, 4] and frame.loc[1, "class_current"] == hz.UPPER_FLOOR_DRY
    assert json.loads((folder / "summary.json").read_text(encoding="utf-8"))["mode"] == "external"
    typed = read_summary(folder, FloodSummary)
    assert typed is not None and typed.mode is FloodMode.EXTERNAL and typed.has_flood
    assert typed.breach_xy is None and typed.cases[0].river_level_m is None


def test_no_breach_configured_writes_an_empty_theme(tmp_path: Path) -> None:
    folder = _run(_dossier(tmp_path, ""))
    assert (_read(folder / "severity_current.tif") == 0).all()
    theme = json.loads((folder / "theme.json").read_text(encoding="utf-8"))
    assert theme["scenarios"] == ["current"]
    assert read_maps(folder) == [] and read_tables(folder).tables == []
    typed = read_summary(folder, FloodSummary)
    assert typed is not None and typed.mode is FloodMode.NONE and not typed.has_flood and typed.notes


def test_scenario_levels_and_their_checks() -> None:
    current, ld, hd = ClimateScenario(), ClimateScenario("Ld", 2100), ClimateScenario("Hd", 2100)
    params = FloodParameters(breach_x=1.0, breach_y=2.0, river_level_m=3.0, level_rise_m={"Hd2100": 0.4})
    cases, missing = scenario_levels(params, [current, ld, hd])
    assert [(c.scenario.id, c.level_m) for c in cases] == [("current", 3.0), ("Hd2100", 3.4)] and not missing
    sea = FloodParameters(breach_x=1.0, breach_y=2.0, river_level_m=3.0, use_knmi_sea_level=True)
    cases, missing = scenario_levels(sea, [current, ld, hd], {"Ld2100": 44.0, "Hd2100": None})
    assert [(c.scenario.id, round(c.level_m, 3)) for c in cases] == [("current", 3.0), ("Ld2100", 3.44)]
    assert missing == [("sea_level", "Hd2100")]
    with pytest.raises(ConfigError, match="Hd2050"):
        scenario_levels(FloodParameters(breach_x=1.0, breach_y=2.0, river_level_m=3.0,
                                        level_rise_m={"Hd2050": 0.1}), [current, hd])
    with pytest.raises(ValueError, match="together"):
        FloodParameters(breach_x=1.0)


def test_knowledge_file_is_complete_and_checked() -> None:
    data = load_knowledge("flood")
    k = FloodKnowledge.from_toml(data)
    assert k.depth_classes.upper_m == (0.2, 0.5, 0.8, 2.0, 5.0) and len(k.depth_classes.colors) == 6
    assert k.storey.height_m == 2.65
    for table in ("depth_classes", "storey", "floor", "severity", "residents"):
        assert data[table]["unit"] and data[table]["source"]
    broken = {**data, "severity": {"moderate_from_m": 2.0, "high_from_m": 0.5}}
    with pytest.raises(ConfigError):
        FloodKnowledge.from_toml(broken)
    # the typed model keeps every table's unit and source, and asks for them
    assert all(t.unit and t.source for t in (k.depth_classes, k.storey, k.floor, k.severity, k.residents))
    no_source = {**data, "storey": {"height_m": 2.65, "unit": "m per storey"}}
    with pytest.raises(ConfigError, match=r"storey\.source"):
        FloodKnowledge.from_toml(no_source, path="eigen_flood.toml")
    with pytest.raises(ConfigError, match=r"eigen_flood\.toml.*floor\.height_m"):
        FloodKnowledge.from_toml({**data, "floor": {**data["floor"], "height_m": "hoog"}}, path="eigen_flood.toml")


def test_demo_breach_floods_the_east_polder_only_through_the_breach() -> None:
    from alliantie.demo import flood as demo_flood
    from alliantie.demo import layout as L
    from alliantie.demo import terrain, town, water
    from alliantie.demo.fields import NoiseSource
    from alliantie.demo.make import NOISE_SHAPE
    from alliantie.method.urgency.flood.analysis import river_cells

    frame = L.Frame(L.SIZES["small"])
    grid = frame.grid
    the_town = town.make_town(frame)
    polys = water.waterbodies(frame)
    terr = terrain.make_terrain(frame, NoiseSource(2014, NOISE_SHAPE, grid.shape),
                                water.watercourses(frame, the_town.districts.union_all()), polys)
    values = demo_flood.breach_parameters(frame, terr.dem)
    assert set(values) == {"breach_x", "breach_y", "river_level_m"}
    level = values["river_level_m"]
    assert 0.0 < level <= L.DIKE_CREST_M - 1.0
    ground = hz.valid_ground(terr.dem)
    blocked = hz.outside_water(ground, river_cells(polys, grid), level)
    assert blocked is not None
    t = grid.transform
    rc = (int((values["breach_y"] - t.f) / t.e), int((values["breach_x"] - t.c) / t.a))
    assert terr.dike[rc]  # the breach point lies on the dike
    entry = hz.entry_cell(ground, rc, level, 150.0 / grid.res, blocked)
    assert entry is not None
    result = hz.breach_inundation(ground, entry, level, cell_area=grid.cell_area, blocked=blocked)
    # a large part of the polder floods, and only polder: nothing on the river side, nothing on the sand plain
    assert result.flooded.sum() * grid.cell_area > 1e6
    assert (terr.polder[result.flooded] > 0.5).mean() > 0.95
    assert not (result.flooded & blocked).any()
    text = demo_flood.parameters_toml(values)
    assert "[parameters.flood]" in text and f"{level:.2f}" in text


def test_water_over_the_dike_floods_everything_connected_to_the_river() -> None:
    from alliantie.method.urgency.flood.analysis import FloodInput, LevelCase, analyse

    grid = small_grid()
    dem = np.full(grid.shape, -1.0, dtype=np.float32)
    dem[:, 5:10] = 1.0
    dem[:, 10:12] = 4.0
    x0, _y0, _x1, top = grid.bounds
    river = gpd.GeoDataFrame({"kind": ["river"]}, geometry=[box(x0, top - 300, x0 + 50, top)], crs=grid.crs)
    params = FloodParameters(breach_x=x0 + 105.0, breach_y=top - 155.0, river_level_m=4.5)
    knowledge = FloodKnowledge.from_toml(load_knowledge("flood"))
    result = analyse(FloodInput(grid=grid, dem=dem, waterbodies=river), params, knowledge,
                     [LevelCase(ClimateScenario(), 4.5, 0.0)])
    depth = result.cases[0].depth
    # 4.5 m NAP is above the dike crest (4 m): floodplain, dike and polder flood, the river bed itself is not counted
    assert np.allclose(depth[:, 5:10], 3.5) and np.allclose(depth[:, 10:12], 0.5) and np.allclose(depth[:, 12:], 5.5)
    assert (depth[:, :5] == 0).all()
    assert "current" in result.case_notes and "4,50" in result.case_notes["current"].nl
