"""The pluvial analysis on a synthetic bowl with the real hydrology engine: bluespot attributes,
water stored before and after the bowl is full, buildings, roads and neighbourhood counts."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, box

from alliantie.grid import Grid
from alliantie.hazards import bluespots as bs
from alliantie.method.urgency.pluvial.analysis import PluvialInput, analyse
from alliantie.method.urgency.pluvial.counts import neighbourhood_counts
from alliantie.method.urgency.pluvial.events import custom_case
from alliantie.method.urgency.pluvial.outputs import write_outputs
from alliantie.parameters.pluvial import PluvialParameters

N = 31
RES = 2.0


def _bowl() -> tuple[Grid, np.ndarray]:
    grid = Grid.from_bounds((150000.0, 450000.0, 150000.0 + N * RES, 450000.0 + N * RES), RES, crs="EPSG:28992")
    yy, xx = np.mgrid[0:N, 0:N]
    r2 = ((xx - N // 2) ** 2 + (yy - N // 2) ** 2) * RES**2
    return grid, (1.0 + 0.0005 * r2).astype(np.float32)


def _run(rain_mm: float, **kwargs):
    grid, dem = _bowl()
    params = PluvialParameters(min_bluespot_area_m2=0.0, flow_path_min_area_ha=0.01)

    def runoff(case):
        return np.full(grid.shape, case.rain_mm, dtype=np.float32)

    data = PluvialInput(grid=grid, dem=dem, runoff_mm=runoff, **kwargs)
    return analyse(data, [custom_case(rain_mm)], params), grid, dem


def test_bowl_rain_to_fill_is_capacity_over_catchment_and_volumes_add_up():
    result, _, _ = _run(10.0)
    spots = result.spots
    assert len(spots) == 1
    capacity, catchment_m2 = spots.capacity_m3[0], spots.catchment_ha[0] * 1e4
    assert capacity > 0 and catchment_m2 > 0
    assert spots.rain_to_fill_mm[0] == pytest.approx(capacity / catchment_m2 * 1000.0)
    assert spots.max_depth_m[0] > 0.05
    fill_mm = spots.rain_to_fill_mm[0]

    # less rain than needed: all runoff of the catchment is stored in the bowl
    below = fill_mm * 0.5
    result, _, _ = _run(below)
    assert result.cases[0].stored_m3[0] == pytest.approx(below / 1000 * catchment_m2, rel=1e-3)
    # more rain than needed: the bowl is full and the rest leaves
    above = fill_mm * 2.0
    result, _, _ = _run(above)
    case = result.cases[0]
    assert case.stored_m3[0] == pytest.approx(capacity, rel=1e-3)
    assert case.outflow_m3 == pytest.approx(case.rain_m3 - capacity, rel=1e-3)
    # shown depth: the deepest water in the centre, nothing below 2 cm
    shown = case.depth
    assert np.nanmax(shown) == pytest.approx(spots.max_depth_m[0], abs=1e-3)
    assert np.nanmin(shown) >= 0.02


def test_building_in_the_bowl_gets_water_above_its_floor_and_the_road_is_impassable():
    grid, _ = _bowl()
    x0, y0 = grid.bounds[0], grid.bounds[1]
    c = N * RES / 2
    buildings = gpd.GeoDataFrame(
        {"floor_level_m": [1.0, 5.0, np.nan]},
        geometry=[box(x0 + c + 2, y0 + c - 2, x0 + c + 6, y0 + c + 2),  # in the bowl, floor at 1.0 m
                  box(x0 + c - 8, y0 + c - 2, x0 + c - 4, y0 + c + 2),  # in the bowl, floor high
                  box(x0 + 1, y0 + 1, x0 + 5, y0 + 5)],  # on the rim: dry
        crs=grid.crs,
    )
    roads = gpd.GeoDataFrame({"kind": ["local"], "name": ["Kom"]},
                             geometry=[LineString([(x0 + 1, y0 + c + 5), (x0 + N * RES - 1, y0 + c + 5)])],
                             crs=grid.crs)
    hoods = gpd.GeoDataFrame({"code": ["BU1", "BU2"], "name": ["West", "Oost"]},
                             geometry=[box(x0, y0, x0 + c, y0 + N * RES), box(x0 + c, y0, x0 + N * RES, y0 + N * RES)],
                             crs=grid.crs)
    result, _, _ = _run(200.0, buildings=buildings, roads=roads, neighbourhoods=hoods)
    case = result.cases[0]
    assert case.building_class.tolist() == [bs.ABOVE_FLOOR, bs.FACADE, bs.DRY]
    assert (case.road_class == bs.NO_TRAFFIC).any() and (case.road_class == bs.PASSABLE).any()
    counts = {r.code: r for r in neighbourhood_counts(result)}
    assert counts["BU2"].buildings_above_floor == 1 and counts["BU1"].buildings_facade == 1
    assert counts[""].buildings_facade == 2 and counts[""].buildings_above_floor == 1
    assert counts[""].road_m_no_cars == pytest.approx(counts["BU1"].road_m_no_cars + counts["BU2"].road_m_no_cars)
    assert counts[""].road_m_no_cars >= counts[""].road_m_no_traffic > 0
    # building cells hold no water and are not shown
    ids = bs.building_ids(buildings, grid)
    assert np.isnan(case.depth[ids > 0]).all()


def test_outputs_are_written_with_styles(tmp_path):
    grid, _ = _bowl()
    x0, y0 = grid.bounds[0], grid.bounds[1]
    buildings = gpd.GeoDataFrame({"floor_level_m": [1.0]}, geometry=[box(x0 + 32, y0 + 28, x0 + 36, y0 + 32)],
                                 crs=grid.crs)
    result, _, _ = _run(200.0, buildings=buildings)
    maps = write_outputs(tmp_path, result, "en")
    import pyogrio
    import rasterio

    case_id = result.cases[0].case.id
    with rasterio.open(tmp_path / f"depth_{case_id}.tif") as ds:
        assert ds.crs.to_epsg() == 28992 and ds.dtypes[0] == "float32"
    assert (tmp_path / f"depth_{case_id}.qml").exists() and (tmp_path / "flow_paths.qml").exists()
    layers = {name for name, _ in pyogrio.list_layers(tmp_path / "bluespots.gpkg")}
    assert {"bluespots", "buildings"} <= layers
    spots = pyogrio.read_dataframe(tmp_path / "bluespots.gpkg", layer="bluespots")
    for column in ("id", "catchment_ha", "capacity_m3", "max_depth_m", "rain_to_fill_mm",
                   f"stored_m3_{case_id}", f"filled_pct_{case_id}"):
        assert column in spots.columns
    assert spots[f"filled_pct_{case_id}"].iloc[0] == pytest.approx(100.0)
    assert [m.id for m in maps] == ["pluvial_bluespots", f"pluvial_depth_{case_id}"]
    assert (tmp_path / "neighbourhoods.csv").exists() and (tmp_path / "summary.json").exists()
    from alliantie.contract.summaries import PluvialSummary, read_summary

    summary = read_summary(tmp_path, PluvialSummary)
    assert summary is not None and summary.bluespots == len(result.spots)
    written = summary.case(case_id)
    assert written is not None and written.buildings_above_floor == int((result.cases[0].building_class >= 2).sum())
    assert written.rain_m3 == pytest.approx(result.cases[0].rain_m3, abs=0.05)


def test_severity_classes_follow_the_depth_thresholds():
    from alliantie.method.urgency.pluvial.analysis import severity_classes

    params = PluvialParameters()
    depth = np.array([[np.nan, 0.01, 0.02, 0.099], [0.10, 0.29, 0.30, 2.0]], dtype=np.float32)
    assert severity_classes(depth, params).tolist() == [[0, 0, 1, 1], [2, 2, 3, 3]]


def test_theme_outputs_for_the_vulnerability_map(tmp_path):
    from alliantie.contract import theme
    from alliantie.contract.spec import read_tables
    from alliantie.method.urgency.pluvial.events import SERIES, Case, RainEvent, Scenario, stress_cases
    from alliantie.method.urgency.pluvial.knowledge import RainEventsKnowledge
    from alliantie.method.urgency.pluvial.tables import write_theme_outputs

    grid, dem = _bowl()
    c = N * RES / 2
    x0, y0 = grid.bounds[0], grid.bounds[1]
    hoods = gpd.GeoDataFrame({"code": ["BU1", "BU2"], "name": ["West", "Oost"]},
                             geometry=[box(x0, y0, x0 + c, y0 + N * RES), box(x0 + c, y0, x0 + N * RES, y0 + N * RES)],
                             crs=grid.crs)
    knowledge = RainEventsKnowledge.parse({
        "event": [{"id": "t100", "rain_mm": 70.0, "duration_h": 2.0, "unit": "mm", "source": "test"}],
    }, "rain_events")
    now, hd = Scenario("current"), Scenario("Hd2050", 2050, "KNMI'23 Hd")
    events = {t: RainEvent(f"rp{t}", depth, 2.0, float(t), f"{t}", f"{t}", kind=SERIES)
              for t, depth in ((10, 36.0), (100, 65.0))}
    series = [Case(events[10], now, 36.0), Case(events[100], now, 65.0, shown=True),
              Case(events[10], hd, 39.0), Case(events[100], hd, 70.0, shown=True)]
    cases = [*series, *stress_cases(knowledge, ["t100"])]
    params = PluvialParameters(min_bluespot_area_m2=0.0, flow_path_min_area_ha=0.01, return_periods=[10, 100])

    def runoff(case):
        return np.full(grid.shape, case.rain_mm, dtype=np.float32)

    result = analyse(PluvialInput(grid=grid, dem=dem, runoff_mm=runoff, neighbourhoods=hoods, sewer_mm_per_h=20.0),
                     cases, params)
    write_theme_outputs(tmp_path, result, neighbourhood_counts(result), [("rain_statistics", "Md2050")], None)
    summary, values = theme.read_theme(tmp_path)
    assert summary.theme == "pluvial" and summary.scenarios == ["current", "Hd2050"]
    assert summary.missing == [("rain_statistics", "Md2050")]
    now_sev, later = theme.read_severity(tmp_path, "current"), theme.read_severity(tmp_path, "Hd2050")
    assert now_sev is not None and later is not None
    from alliantie.method.urgency.pluvial.analysis import severity_classes

    assert now_sev.tolist() == severity_classes(result.cases[1].depth, params).tolist()  # the shown rp100 storm
    assert now_sev.max() >= theme.MODERATE  # the bowl holds more than 0.1 m
    assert (later >= now_sev).all() and (later > 0).sum() > (now_sev > 0).sum()  # more rain: more wet cells
    totals = {(v.scenario, v.indicator): v.value for v in values if v.code == ""}
    assert ("current", "buildings_above_floor_rp100") in totals and ("Hd2050", "road_km_no_cars_rp100") in totals
    assert ("Hd2050", "buildings_above_floor_rp10") not in totals  # only the shown storms are indicators
    # the stress-test storm is today's, repeated for every scenario (its depth does not change)
    assert totals[("current", "buildings_facade_t100")] == totals[("Hd2050", "buildings_facade_t100")]
    tables = read_tables(tmp_path).tables
    assert [t.id for t in tables] == ["pluvial_series_rain", "pluvial_series_buildings", "pluvial_above_floor_rp100",
                                      "pluvial_above_floor_t100", "pluvial_cases"]
    rain = next(t for t in tables if t.id == "pluvial_series_rain")
    assert [row[1:] for row in rain.rows] == [[36.0, 39.0], [65.0, 70.0]]
    cases_table = tables[-1]
    assert [row[1] for row in cases_table.rows] == [65.0, 70.0, 70.0]  # the shown cases: rp100 now, Hd 2050; t100
