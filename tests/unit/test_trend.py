"""Trend view: themes × scenarios read from synthetic theme folders, with hand-computed shares and tables."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from alliantie.climate import dossier_scenarios
from alliantie.contract.spec import Text, read_tables
from alliantie.contract.theme import IndicatorInfo, IndicatorValue, ThemeSummary, write_severity, write_theme
from alliantie.grid import Grid
from alliantie.method.urgency.trend.collect import class_counts, collect, neighbourhood_layer, scenario_entries
from alliantie.method.urgency.trend.data import TrendData
from alliantie.method.urgency.trend.outputs import (
    FIGURE_FILE,
    TREND_FILE,
    decimals_for,
    key_indicator_table,
    overview_table,
)
from alliantie.method.urgency.trend.product import trend

BOUNDS = (150000.0, 450000.0, 150800.0, 450600.0)  # 80 × 60 cells of 10 m
RES = 10.0
SCENARIOS = {"knmi": ["Ld", "Hd"], "horizons": [2050]}  # current, Ld2050, Hd2050


def _t(nl: str, en: str) -> Text:
    return Text(nl=nl, en=en)


def _grid() -> Grid:
    return Grid.from_bounds(BOUNDS, RES)


def _area(grid: Grid) -> np.ndarray:
    """The study area: every cell but the top 10 rows (so 50 × 80 = 4000 cells)."""
    area = np.ones(grid.shape, dtype=bool)
    area[:10] = False
    return area


def _pattern(grid: Grid, high_cols: int) -> np.ndarray:
    """Columns 0-39 class 0, 40-59 class 2, then class 3 on ``high_cols`` columns and class 1 on the rest."""
    sev = np.zeros(grid.shape, dtype=np.uint8)
    sev[:, 40:60] = 2
    sev[:, 60:] = 1
    sev[:, 60:60 + high_cols] = 3
    return sev


def _classes() -> dict[str, Text]:
    return {str(k): _t(f"klasse {k}", f"class {k}") for k in (1, 2, 3)}


def make_themes(root: Path, grid: Grid, area: np.ndarray) -> dict[str, Path]:
    """Heat: every scenario; drought: today only; pluvial: Hd2050 missing a climate number; flood: not computed."""
    dirs = {t: root / f"urgency.{t}" for t in ("flood", "pluvial", "drought", "heat")}
    heat = dirs["heat"]
    heat.mkdir(parents=True)
    for sid, cols in (("current", 0), ("Ld2050", 10), ("Hd2050", 20)):
        write_severity(heat, sid, _pattern(grid, cols), grid, area=area)
    write_theme(heat, ThemeSummary(
        theme="heat", title=_t("Hittestress", "Heat stress"), scenarios=["current", "Ld2050", "Hd2050"],
        classes=_classes(),
        indicators=[IndicatorInfo(id="tropical_nights_residents", unit="inw.", label=_t("Inwoners", "Residents")),
                    IndicatorInfo(id="pet_mean", unit="°C", label=_t("PET", "PET"))],
    ), [
        IndicatorValue("current", "BU01", "West", "tropical_nights_residents", 100),
        IndicatorValue("current", "BU02", "Oost", "tropical_nights_residents", 250),
        IndicatorValue("current", "", "", "tropical_nights_residents", 350),
        IndicatorValue("Hd2050", "BU01", "West", "tropical_nights_residents", 400),
        IndicatorValue("Hd2050", "", "", "tropical_nights_residents", 400),
        IndicatorValue("current", "BU01", "West", "pet_mean", 31.25),
    ])
    drought = dirs["drought"]
    drought.mkdir(parents=True)
    write_severity(drought, "current", _pattern(grid, 5), grid, area=area)
    write_theme(drought, ThemeSummary(theme="drought", title=_t("Droogte", "Drought"), scenarios=["current"],
                                      classes=_classes(),
                                      indicators=[IndicatorInfo(id="farmland_ha", unit="ha",
                                                                label=_t("Landbouw", "Farmland"))]),
                [IndicatorValue("current", "BU02", "Oost", "farmland_ha", 12.5)])
    pluvial = dirs["pluvial"]
    pluvial.mkdir(parents=True)
    for sid in ("current", "Ld2050"):
        write_severity(pluvial, sid, _pattern(grid, 20), grid, area=area)
    write_theme(pluvial, ThemeSummary(theme="pluvial", title=_t("Wateroverlast", "Pluvial flooding"),
                                      scenarios=["current", "Ld2050", "Hd2050"], classes=_classes(),
                                      missing=[("precip_hour_extreme", "Hd2050")]), [])
    return dirs


def _neighbourhoods(grid: Grid) -> gpd.GeoDataFrame:
    x0, y0, x1, y1 = grid.bounds
    mid = (x0 + x1) / 2
    return gpd.GeoDataFrame({"code": ["BU01", "BU02"], "name": ["West", "Oost"]},
                            geometry=[box(x0, y0, mid, y1), box(mid, y0, x1, y1)], crs="EPSG:28992")


@pytest.fixture
def data(tmp_path):
    grid = _grid()
    area = _area(grid)
    dirs = make_themes(tmp_path, grid, area)
    neighbourhoods, zones = neighbourhood_layer(_neighbourhoods(grid), grid)
    scenarios = scenario_entries(dossier_scenarios(SCENARIOS))
    return collect(dirs, scenarios, cell_area=grid.cell_area, zones=zones, neighbourhoods=neighbourhoods)


def test_class_counts_per_zone_by_hand() -> None:
    severity = np.array([[0, 1, 255], [3, 3, 2]], dtype=np.uint8)
    zones = np.array([[1, 1, 0], [2, 2, 2]])
    counts = class_counts(severity, zones, 2)
    assert counts.tolist() == [[0, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 2]]
    assert class_counts(severity).tolist() == [[1, 1, 1, 2]]


def test_statuses_files_and_shares(data) -> None:
    trend_data, rasters = data
    by_theme = {t.theme: t for t in trend_data.themes}
    assert [t.theme for t in trend_data.themes] == ["flood", "pluvial", "drought", "heat"]
    assert [s.id for s in trend_data.scenarios] == ["current", "Ld2050", "Hd2050"]
    # flood: not computed
    assert not by_theme["flood"].available
    assert [c.status for c in by_theme["flood"].cells] == ["no_data"] * 3
    # heat: all computed; Hd2050: 50 rows × (40 none, 20 moderate, 20 high) of 4000 cells
    heat = by_theme["heat"]
    hd = heat.cell("Hd2050")
    assert hd.status == "computed" and hd.file == "../urgency.heat/severity_Hd2050.tif"
    assert hd.share == pytest.approx([0.5, 0.0, 0.25, 0.25])
    assert hd.area_ha == pytest.approx([2000 * 100 / 1e4, 0.0, 10.0, 10.0])  # 100 m² cells
    assert heat.cell("current").share == pytest.approx([0.5, 0.25, 0.25, 0.0])
    # per neighbourhood: West = columns 0-39 (all none), Oost = columns 40-79
    assert hd.zones["BU01"] == pytest.approx([1.0, 0, 0, 0])
    assert hd.zones["BU02"] == pytest.approx([0.0, 0.0, 0.5, 0.5])
    # drought: today's map stands for every scenario
    drought = by_theme["drought"]
    assert [c.status for c in drought.cells] == ["computed", "current_only", "current_only"]
    assert drought.cell("Hd2050").file == "../urgency.drought/severity_current.tif"
    # pluvial: Hd2050 has no sourced climate number: no data, not today's map
    pluvial = by_theme["pluvial"]
    assert [c.status for c in pluvial.cells] == ["computed", "computed", "no_data"]
    assert pluvial.cell("Hd2050").missing == ["precip_hour_extreme"] and pluvial.cell("Hd2050").file is None
    assert "Hd2050" not in rasters["pluvial"] and rasters["drought"]["Ld2050"].shape == (60, 80)
    # indicators: the first listed is the key one; values keyed indicator -> scenario -> code
    assert [i.key for i in heat.indicators] == [True, False]
    assert heat.values["tropical_nights_residents"]["Hd2050"] == {"BU01": 400.0, "": 400.0}
    assert [n.code for n in trend_data.neighbourhoods] == ["BU01", "BU02"]


def test_tables(data) -> None:
    trend_data, _ = data
    overview = overview_table(trend_data)
    rows = {row[0].en: row[1:] for row in overview.rows}
    assert rows["Heat stress"] == pytest.approx([25.0, 37.5, 50.0])  # moderate + high, %
    assert rows["Flood safety"] == [None, None, None]
    assert rows["Pluvial flooding"][2] is None
    assert [c.unit for c in overview.columns] == ["", "%", "%", "%"]
    heat = next(t for t in trend_data.themes if t.theme == "heat")
    table = key_indicator_table(trend_data, heat)
    assert table is not None and table.theme == "trend"
    assert table.title.nl == "Hittestress: Inwoners per buurt en scenario"
    assert table.rows == [["West", 100.0, None, 400.0], ["Oost", 250.0, None, None]]
    assert table.total[1:] == [350.0, None, 400.0]
    assert table.columns[1].unit == "inw." and table.columns[1].decimals == 0
    # a theme that does not change with the climate: today's number holds in every scenario
    drought = key_indicator_table(trend_data, next(t for t in trend_data.themes if t.theme == "drought"))
    assert drought.rows == [["Oost", 12.5, 12.5, 12.5]] and drought.total is None
    assert drought.columns[1].decimals == 1
    pluvial = next(t for t in trend_data.themes if t.theme == "pluvial")
    assert key_indicator_table(trend_data, pluvial) is None  # no indicators
    note = overview.note.nl
    assert "Waterveiligheid: niet berekend." in note
    assert "geen gegevens voor KNMI'23 Hd, 2050 (geen gepubliceerd getal voor precip_hour_extreme" in note
    assert "Droogte verandert in de berekening niet met het klimaat" in note


@pytest.mark.parametrize(("values", "decimals"), [([1.0, 20.0], 0), ([0.25, 3.5], 2), ([12.5], 1),
                                                  ([150.5], 0), ([], 0)])
def test_decimals(values, decimals) -> None:
    assert decimals_for(values) == decimals


def test_neighbourhoods_with_one_code_twice_are_one_zone() -> None:
    grid = _grid()
    x0, y0, x1, y1 = grid.bounds
    frame = gpd.GeoDataFrame({"code": ["A", "B", "A"], "name": ["a", "b", "a2"]},
                             geometry=[box(x0, y0, x0 + 200, y1), box(x0 + 200, y0, x0 + 400, y1),
                                       box(x0 + 400, y0, x1, y1)], crs="EPSG:28992")
    units, zones = neighbourhood_layer(frame, grid)
    assert [(n.code, n.name) for n in units] == [("A", "a"), ("B", "b")]
    assert np.bincount(zones.ravel()).tolist() == [0, 60 * 60, 60 * 20]


def test_product_writes_json_figure_and_tables(tmp_path) -> None:
    grid = _grid()
    area = _area(grid)
    dirs = make_themes(tmp_path / "products", grid, area)
    out = tmp_path / "products" / "urgency.trend"
    out.mkdir()
    params = {"scenarios": SCENARIOS, "language": "nl"}
    ctx = SimpleNamespace(
        param=params.__getitem__, upstream=lambda name: dirs[name.split(".")[1]],
        vector=lambda name: _neighbourhoods(grid), grid=grid, mask=area, out_dir=out, language="nl",
        progress=lambda f: None, product=SimpleNamespace(output_dir=lambda dossier: out), dossier=None,
    )
    trend(ctx)
    data = TrendData.model_validate(json.loads((out / TREND_FILE).read_text(encoding="utf-8")))
    heat = next(t for t in data.themes if t.theme == "heat")
    # the relative raster path resolves from the trend folder
    assert (out / heat.cell("Ld2050").file).resolve() == (dirs["heat"] / "severity_Ld2050.tif").resolve()
    tables = read_tables(out)
    assert [f.file for f in tables.figures] == [FIGURE_FILE] and tables.figures[0].theme == "trend"
    assert [t.id for t in tables.tables] == ["trend_overview", "trend_drought_farmland_ha",
                                             "trend_heat_tropical_nights_residents"]
    from PIL import Image

    with Image.open(out / FIGURE_FILE) as im:
        width, height = im.size
    assert width == 7.4 * 200 and 600 < height < 1400  # A4 text width at 200 dpi, 4 theme rows of 3 panels


def test_raster_paths_are_relative_to_the_trend_folder(tmp_path) -> None:
    grid = _grid()
    dirs = make_themes(tmp_path / "products", grid, _area(grid))
    scenarios = scenario_entries(dossier_scenarios(SCENARIOS))
    data, _ = collect(dirs, scenarios, cell_area=grid.cell_area, base=tmp_path / "elsewhere" / "trend")
    heat = next(t for t in data.themes if t.theme == "heat")
    assert heat.cell("current").file == "../../products/urgency.heat/severity_current.tif"
    # without a neighbourhoods layer: the codes of indicators.csv in order of appearance (drought before heat)
    assert [n.code for n in data.neighbourhoods] == ["BU02", "BU01"]
    assert heat.cell("current").zones == {}


def test_without_any_theme_everything_is_no_data(tmp_path) -> None:
    grid = _grid()
    out = tmp_path / "urgency.trend"
    out.mkdir()
    params = {"scenarios": SCENARIOS, "language": "en"}
    ctx = SimpleNamespace(
        param=params.__getitem__, upstream=lambda name: tmp_path / name, vector=lambda name: None, grid=grid,
        mask=_area(grid), out_dir=out, language="en", progress=lambda f: None,
        product=SimpleNamespace(output_dir=lambda dossier: out), dossier=None,
    )
    trend(ctx)
    data = TrendData.model_validate(json.loads((out / TREND_FILE).read_text(encoding="utf-8")))
    assert not any(t.available for t in data.themes) and data.neighbourhoods == []
    assert {c.status for t in data.themes for c in t.cells} == {"no_data"}
    tables = read_tables(out)
    assert [t.id for t in tables.tables] == ["trend_overview"]
    assert tables.tables[0].note.en.startswith("Flood safety: not computed.")
    assert (out / FIGURE_FILE).exists()
