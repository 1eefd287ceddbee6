"""Heat product (alliantie.method.urgency.heat): knowledge, analysis on a small town, outputs, the dossier function."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from shapely.geometry import box

from alliantie.climate import ClimateScenario, ClimateTable, dossier_scenarios
from alliantie.contract.theme import read_severity, read_theme
from alliantie.errors import ConfigError
from alliantie.grid import Grid
from alliantie.knowledge import load_knowledge
from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.model import KnowledgeFile
from alliantie.method.urgency.heat.analysis import HeatInput, HeatResult, analyse, building_heights
from alliantie.method.urgency.heat.exposure import job_cells, resident_cells
from alliantie.method.urgency.heat.knowledge import FLAGS, PROPERTIES, HeatFile, HeatKnowledge, read_knowledge
from alliantie.method.urgency.heat.outputs import write_outputs
from alliantie.method.urgency.heat.product import heat
from alliantie.parameters.heat import HeatParameters

RES = 10.0
X0, Y0 = 150_000.0, 460_000.0


def climate_table() -> ClimateTable:
    """Summer warming for Hd2050 only (Ld2050 deliberately absent) and tropical nights."""
    return ClimateTable({
        "variable": [
            {"id": "t_mean_summer", "unit": "degC", "change": "difference"},
            {"id": "tropical_nights", "unit": "days per year", "change": "difference"},
        ],
        "value": [
            {"variable": "t_mean_summer", "scenario": "reference", "value": 17.0, "source": "test"},
            {"variable": "t_mean_summer", "scenario": "Hd", "horizon": 2050, "change": 2.0, "source": "test"},
            {"variable": "tropical_nights", "scenario": "reference", "value": 1.0, "source": "test"},
            {"variable": "tropical_nights", "scenario": "Hd", "horizon": 2050, "change": 4.0, "source": "test"},
        ],
    })


def knowledge() -> HeatKnowledge:
    return read_knowledge(load_knowledge("heat"), LgnClasses.load())


def town() -> HeatInput:
    """60 x 60 cells of 10 m: a built-up east half with three blocks of houses, a forest in the west."""
    grid = Grid.from_bounds((X0, Y0, X0 + 600.0, Y0 + 600.0), RES)
    dem = np.full(grid.shape, 5.0, dtype=np.float32)
    landuse = np.full(grid.shape, 18, dtype=np.uint8)  # built-up
    landuse[:, :25] = 11  # deciduous forest
    houses = [box(X0 + x, Y0 + y, X0 + x + 40, Y0 + y + 20) for x in (330, 410, 490) for y in (200, 300, 400)]
    buildings = gpd.GeoDataFrame({
        "id": range(len(houses)), "height_m": [9.0] * len(houses),
        "function": ["residential"] * (len(houses) - 1) + ["office"],
    }, geometry=houses, crs="EPSG:28992")
    hoods = gpd.GeoDataFrame({
        "code": ["BU1", "BU2"], "name": ["Oost", "West"], "residents": [900, 50], "share_65plus": [0.2, 0.5],
    }, geometry=[box(X0 + 300, Y0, X0 + 600, Y0 + 600), box(X0, Y0, X0 + 300, Y0 + 600)], crs="EPSG:28992")
    return HeatInput(grid=grid, dem=dem, landuse=landuse.astype(np.float32), buildings=buildings,
                             neighbourhoods=hoods, area=np.ones(grid.shape, dtype=bool))


SCENARIOS = dossier_scenarios({"knmi": ["Ld", "Hd"], "horizons": [2050]})


@pytest.fixture(scope="module")
def result() -> HeatResult:
    return analyse(town(), knowledge(), HeatParameters(), SCENARIOS, climate_table())


def test_knowledge_has_the_klimaateffectatlas_classes_and_every_lgn_class() -> None:
    kn = knowledge()
    assert kn.pet_bounds == [23.0, 29.0, 35.0, 41.0]
    assert len(kn.suns) == 3 and all(35 < s.elevation_deg < 65 for s in kn.suns)
    lgn = LgnClasses.load()
    for cls in lgn.classes:
        assert 0 <= kn.by_code["shade"][cls.code] <= 1
    assert kn.by_code["shade"][11] > kn.by_code["shade"][18]  # forest shades more than built-up land
    assert kn.by_code["vegetated"][16]  # water counts with green for the heat island
    assert 0.8 < kn.sky_emissivity < 0.9
    assert kn.uhi_s == pytest.approx(290.0 / (1.2 * 1005.0))


def test_knowledge_errors_name_the_file() -> None:
    broken = copy.deepcopy(load_knowledge("heat"))
    del broken["hot_day"]["air_temperature_c"]
    with pytest.raises(ConfigError) as info:
        read_knowledge(broken, LgnClasses.load(), path="mijn_heat.toml")
    assert info.value.key == "heat.errors.knowledge"
    assert "mijn_heat.toml" in str(info.value)


def test_knowledge_file_keeps_units_and_sources() -> None:
    file = HeatFile.model_validate(load_knowledge("heat"))
    assert file.uhi.unit.startswith("W/m2") and "Theeuwes" in file.uhi.source
    assert file.hot_day.solar_hours == [11.0, 13.0, 15.0] and file.hot_day.day_of_year == 182
    assert "Matzarakis" in file.pet_classes.source and "Oke" in file.landuse.source
    assert [c.id for c in file.pet_class] == ["none", "slight", "moderate", "strong", "extreme"]
    assert {g.id for g in file.group} >= {"built", "water", "forest_deciduous"}


def test_knowledge_without_a_unit_or_with_a_wrong_number_names_the_entry() -> None:
    broken = copy.deepcopy(load_knowledge("heat"))
    del broken["uhi"]["unit"]
    with pytest.raises(ConfigError) as info:
        read_knowledge(broken, LgnClasses.load(), path="mijn_heat.toml")
    assert "uhi.unit" in str(info.value)
    wrong = copy.deepcopy(load_knowledge("heat"))
    wrong["cooling"]["et0_mm"] = "veel"
    with pytest.raises(ConfigError) as info:
        read_knowledge(wrong, LgnClasses.load(), path="mijn_heat.toml")
    assert "cooling.et0_mm" in str(info.value)


def test_scenarios_shift_the_air_temperature_and_missing_numbers_are_reported(result: HeatResult) -> None:
    ids = [s.scenario.id for s in result.scenarios]
    assert ids == ["current", "Hd2050"]
    current, hot = result.scenarios
    assert hot.air_temperature_c - current.air_temperature_c == pytest.approx(2.0)
    assert ("t_mean_summer", "Ld2050") in result.missing
    assert ("tropical_nights", "Ld2050") in result.missing
    assert result.tropical_nights["Hd2050"] == pytest.approx(5.0)
    outdoor = np.isfinite(current.pet)
    assert (hot.pet[outdoor] > current.pet[outdoor]).all()


def test_felt_temperature_is_lower_in_the_forest_and_absent_on_buildings(result: HeatResult) -> None:
    pet = result.scenarios[0].pet
    assert np.isnan(pet[result.building]).all()
    forest, streets = pet[:, 2:20], pet[:, 30:][~result.building[:, 30:]]
    assert np.nanmean(forest) < np.nanmean(streets) - 5.0
    assert np.nanmin(pet) > 25.0 and np.nanmax(pet) < 60.0
    assert (result.svf[result.building] > 0.9).all()  # flat roofs see the sky
    assert result.uhi[30, 45] > result.uhi[30, 5]  # the heat island sits on the town, not on the forest
    assert result.cooling[30, 5] > result.cooling[30, 45]


def test_residents_follow_the_homes(result: HeatResult) -> None:
    zones = result.zones
    assert result.residents[zones == 1].sum() == pytest.approx(900.0)
    assert result.residents[zones == 2].sum() == pytest.approx(50.0)  # no homes in the west: spread evenly
    assert result.over65.sum() == pytest.approx(900 * 0.2 + 50 * 0.5)
    office = (result.zones == 1) & result.building & (result.residents == 0)
    assert office.any()  # the office block houses nobody


def test_building_heights_default_when_missing() -> None:
    grid = Grid.from_bounds((0.0, 0.0, 50.0, 50.0), 10.0)
    frame = gpd.GeoDataFrame({"height_m": [12.0, np.nan]}, geometry=[box(0, 0, 20, 20), box(30, 30, 50, 50)],
                             crs="EPSG:28992")
    heights = building_heights(frame, grid, 9.0)
    assert heights[4, 0] == pytest.approx(12.0) and heights[0, 4] == pytest.approx(9.0)
    assert heights[2, 2] == 0.0
    no_column = building_heights(frame.drop(columns="height_m"), grid, 7.5)
    assert no_column[4, 0] == pytest.approx(7.5)


def test_resident_cells_split_by_storeys() -> None:
    grid = Grid.from_bounds((0.0, 0.0, 100.0, 100.0), 10.0)
    homes = gpd.GeoDataFrame({"height_m": [3.0, 9.0], "function": ["residential", "residential"]},
                             geometry=[box(0, 0, 20, 20), box(50, 50, 70, 70)], crs="EPSG:28992")
    hoods = gpd.GeoDataFrame({"residents": [400.0]}, geometry=[box(0, 0, 100, 100)], crs="EPSG:28992")
    from alliantie.contract.theme import neighbourhood_zones

    zones = neighbourhood_zones(hoods, grid)
    residents, over65 = resident_cells(homes, hoods, zones, grid, 3.0)
    # 1 storey x 4 cells against 3 storeys x 4 cells: 100 and 300 residents
    assert residents[8:10, 0:2].sum() == pytest.approx(100.0)
    assert residents[3:5, 5:7].sum() == pytest.approx(300.0)
    assert over65.sum() == 0.0


def test_job_cells_count_floor_area_over_floor_per_job() -> None:
    grid = Grid.from_bounds((0.0, 0.0, 100.0, 100.0), 10.0)
    frame = gpd.GeoDataFrame({"height_m": [6.0, 9.0, float("nan")], "function": ["office", "residential", "retail"]},
                             geometry=[box(0, 0, 20, 20), box(50, 50, 70, 70), box(81, 81, 85, 85)],
                             crs="EPSG:28992")
    jobs = job_cells(frame, grid, 3.0, {"office": 20.0, "retail": 16.0})
    # office: 400 m2 x 2 storeys / 20 m2 = 40 jobs over its 4 cells; homes count none
    assert jobs[8:10, 0:2].sum() == pytest.approx(40.0) and jobs[8, 0] == pytest.approx(10.0)
    assert jobs[3:5, 5:7].sum() == 0.0
    # a shop smaller than a cell (no cell centre inside): 16 m2 x 1 storey / 16 m2 = 1 job at its centroid's cell
    assert jobs[1, 8] == pytest.approx(1.0) and jobs.sum() == pytest.approx(41.0)
    # halls: one floor whatever their height (the office as a hall: 400 m2 / 20 m2 = 20 jobs)
    assert job_cells(frame, grid, 3.0, {"office": 20.0}, one_floor={"office"}).sum() == pytest.approx(20.0)
    assert not job_cells(frame.drop(columns="function"), grid, 3.0, {"office": 20.0}).any()  # no use classes
    assert not job_cells(frame, grid, 3.0, {}).any()  # no [workplaces]


def test_jobs_and_their_felt_temperature_are_indicators(result: HeatResult, tmp_path: Path) -> None:
    file = HeatFile.model_validate(load_knowledge("heat"))
    assert file.workplaces is not None and "Twynstra" in file.workplaces.model_extra["office"]["source"]
    assert knowledge().floor_area_per_job_m2 == {"office": 23.6, "retail": 27.0, "industrial": 35.0, "public": 50.0}
    assert knowledge().one_floor_uses == {"industrial"}  # halls
    write_outputs(tmp_path, result, "en")
    found = read_theme(tmp_path)
    assert found is not None
    table = {(v.scenario, v.code, v.indicator): v.value for v in found[1]}
    # the one office of the town: 40 x 20 m, 9 m high = 3 storeys of 2.65 m: 2400 m2 / 23.6 m2 per job
    assert table[("current", "", "jobs")] == pytest.approx(2400.0 / 23.6)
    assert table[("current", "BU1", "jobs")] == pytest.approx(2400.0 / 23.6)
    office = result.jobs is not None and result.jobs > 0
    assert table[("current", "", "pet_work_mean")] == pytest.approx(
        float(result.scenarios[0].home_pet[office].mean()), abs=1e-3)
    assert table[("Hd2050", "", "pet_work_mean")] > table[("current", "", "pet_work_mean")]


def test_outputs_theme_maps_and_table(result: HeatResult, tmp_path: Path) -> None:
    write_outputs(tmp_path, result, "nl")
    for name in ("svf.tif", "uhi_max.tif", "cooling_capacity.tif", "distance_cool_m.tif", "pet_current.tif",
                 "pet_Hd2050.tif", "pet_class_current.tif", "pet_class_Hd2050.tif", "severity_current.tif",
                 "severity_Hd2050.tif", "maps.json", "tables.json"):
        assert (tmp_path / name).exists(), name
    with rasterio.open(tmp_path / "pet_current.tif") as ds:
        assert ds.read(1)[30, 5] == pytest.approx(result.scenarios[0].pet[30, 5], abs=0.06)
    severity = read_severity(tmp_path, "Hd2050")
    assert severity is not None and set(np.unique(severity)) <= {0, 1, 2, 3}
    assert (read_severity(tmp_path, "Hd2050") >= read_severity(tmp_path, "current")).all()  # type: ignore[operator]
    found = read_theme(tmp_path)
    assert found is not None
    summary, values = found
    assert summary.theme == "heat" and summary.scenarios == ["current", "Hd2050"]
    assert ("t_mean_summer", "Ld2050") in [tuple(m) for m in summary.missing]
    table = {(v.scenario, v.code, v.indicator): v.value for v in values}
    for sid in ("current", "Hd2050"):
        assert table[(sid, "", "residents_pet_strong")] >= table[(sid, "", "residents_pet_extreme")]
        assert table[(sid, "", "residents_uhi_high")] >= table[(sid, "", "over65_uhi_high")]
        assert table[(sid, "", "residents_pet_extreme")] == pytest.approx(
            table[(sid, "BU1", "residents_pet_extreme")] + table[(sid, "BU2", "residents_pet_extreme")])
    assert table[("Hd2050", "", "residents_pet_extreme")] >= table[("current", "", "residents_pet_extreme")]
    assert table[("Hd2050", "", "tropical_nights")] == pytest.approx(5.0)
    maps = json.loads((tmp_path / "maps.json").read_text(encoding="utf-8"))["maps"]
    assert [m["id"] for m in maps] == ["heat_pet_current", "heat_pet_Hd2050", "heat_uhi", "heat_cooling",
                                       "heat_distance_cool"]
    assert all(m["theme"] == "heat" for m in maps)
    tables = json.loads((tmp_path / "tables.json").read_text(encoding="utf-8"))["tables"]
    assert len(tables[0]["rows"]) == 2 and "Ld2050" in tables[0]["note"]["en"]
    assert "KNMI'23 Hd, 2050: 5,0" in tables[0]["note"]["nl"]  # tropical nights, Dutch decimal comma


Knowledge = TypeVar("Knowledge", bound=KnowledgeFile)


class FakeDossier:
    def knowledge_override(self, name: str) -> None:
        return None


class FakeRaster:
    def __init__(self, array: np.ndarray) -> None:
        self.array = array


class FakeContext:
    """Just what heat(ctx) uses of a ProductContext."""

    def __init__(self, data: HeatInput, out_dir: Path) -> None:
        self.data, self.out_dir, self.dossier = data, out_dir, FakeDossier()
        self.grid, self.mask, self.language = data.grid, data.area, "en"
        self.fractions: list[float] = []

    def param(self, dotted: str) -> Any:
        if dotted == "scenarios":
            return {"knmi": ["Hd"], "horizons": [2050]}
        raise AssertionError(f"heat reads {dotted} through ctx.params")

    def params(self, model: type[HeatParameters]) -> HeatParameters:
        assert model is HeatParameters
        return HeatParameters()

    def knowledge(self, name: str) -> dict[str, Any]:
        if name == "knmi_scenarios":
            return {"variable": [{"id": "t_mean_summer", "unit": "degC"}],
                    "value": [{"variable": "t_mean_summer", "scenario": "Hd", "horizon": 2050, "change": 1.5,
                               "source": "test"}]}
        return load_knowledge(name)

    def knowledge_model(self, model: type[Knowledge]) -> Knowledge:
        return model.load()

    def knowledge_path(self, name: str) -> str:
        return f"{name}.toml"

    def raster(self, name: str) -> FakeRaster:
        return FakeRaster({"dem": self.data.dem, "landuse": self.data.landuse}[name])

    def vector(self, name: str) -> gpd.GeoDataFrame | None:
        return {"buildings": self.data.buildings, "neighbourhoods": self.data.neighbourhoods}.get(name)

    def progress(self, fraction: float) -> None:
        self.fractions.append(fraction)


def test_dossier_product_function(tmp_path: Path) -> None:
    ctx = FakeContext(town(), tmp_path)
    heat(ctx)
    found = read_theme(tmp_path)
    assert found is not None
    summary, _ = found
    assert summary.scenarios == ["current", "Hd2050"]
    assert ("tropical_nights", "current") in [tuple(m) for m in summary.missing]
    assert ctx.fractions and ctx.fractions[-1] <= 1.0
    with rasterio.open(tmp_path / "pet_Hd2050.tif") as ds:
        assert ds.tags()["air_temperature_c"] == "33.50"


def test_scenario_labels_unchanged() -> None:
    assert ClimateScenario(name="Hd", horizon=2050).id == "Hd2050"


def test_parameters_refuse_unordered_wind_speeds() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        HeatParameters(pet_wind_ms=(1.0, 0.5))
    assert HeatParameters().svf_directions == 16


def test_every_table_of_heat_toml_has_a_unit_and_a_source() -> None:
    data = load_knowledge("heat")
    assert len(data["source"]) > 20
    tables = [k for k, v in data.items() if isinstance(v, dict)]
    assert {"hot_day", "person", "radiation", "uhi", "cooling", "cool_place", "landuse", "pet_classes"} <= set(tables)
    for key in tables:
        assert data[key].get("unit") and len(data[key].get("source", "")) > 20, key
    for row in data["group"] + data["code"]:  # rows share the unit and source of [landuse]
        assert set(PROPERTIES) | set(FLAGS) <= set(row)
