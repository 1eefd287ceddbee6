"""The pluvial product's 2-D engine (engine "overland") on a synthetic bowl: monotone in the rain, the storage
of measures lowers it, the water balance closes, roads are impassable longer with more rain, and the outputs
(``case_durations.npz``, ``overland.json``) are written. The design hyetograph and the land-use damage with a
duration per cell are tested here too."""

import itertools

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, box

from alliantie.climate.hyetograph import alternating_block
from alliantie.grid import Grid
from alliantie.hazards import bluespots as bs
from alliantie.hazards.overland_storm import DynamicSettings
from alliantie.method.urgency.pluvial.analysis import PluvialInput, analyse
from alliantie.method.urgency.pluvial.events import custom_case
from alliantie.parameters.pluvial import PluvialParameters

N = 31
RES = 2.0
RAINS = (15.0, 30.0, 50.0, 80.0, 120.0)


def _bowl() -> tuple[Grid, np.ndarray]:
    grid = Grid.from_bounds((150000.0, 450000.0, 150000.0 + N * RES, 450000.0 + N * RES), RES, crs="EPSG:28992")
    yy, xx = np.mgrid[0:N, 0:N]
    r2 = ((xx - N // 2) ** 2 + (yy - N // 2) ** 2) * RES**2
    return grid, (1.0 + 0.0005 * r2 + 0.002 * xx).astype(np.float32)


def _objects(grid: Grid) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    x0, y0 = grid.bounds[0], grid.bounds[1]
    c = N * RES / 2
    buildings = gpd.GeoDataFrame(
        {"floor_level_m": [1.05, 1.15, 1.30, np.nan]},
        geometry=[box(x0 + c + 2, y0 + c - 2, x0 + c + 6, y0 + c + 2),
                  box(x0 + c - 8, y0 + c - 2, x0 + c - 4, y0 + c + 2),
                  box(x0 + c - 2, y0 + c + 6, x0 + c + 2, y0 + c + 10),
                  box(x0 + 1, y0 + 1, x0 + 5, y0 + 5)],
        crs=grid.crs,
    )
    roads = gpd.GeoDataFrame({"kind": ["local"], "name": ["Kom"]},
                             geometry=[LineString([(x0 + 1, y0 + c - 5), (x0 + N * RES - 1, y0 + c - 5)])],
                             crs=grid.crs)
    return buildings, roads


def _run(rains=RAINS, loss=10.0):
    grid, dem = _bowl()
    buildings, roads = _objects(grid)
    params = PluvialParameters(engine="overland", min_bluespot_area_m2=0.0, flow_path_min_area_ha=0.01,
                               overland_after_h=0.5, overland_output_every_s=300.0)
    settings = DynamicSettings(after_h=0.5, output_every_s=300.0, manning_n=0.03, min_depth_m=params.min_depth_m,
                               road_depth_m=params.road_depth_classes_m[0], drain_max_h=480.0)
    data = PluvialInput(
        grid=grid, dem=dem, runoff_mm=lambda case: np.full(grid.shape, case.rain_mm, dtype=np.float32),
        buildings=buildings, roads=roads, dynamic=settings,
        hyetograph=lambda case: alternating_block(case.rain_mm, case.event.duration_h, 0.3, 10.0, 0.5),
        loss_mm_h=lambda case: np.full(grid.shape, loss),
    )
    return analyse(data, [custom_case(r, duration_h=1.0) for r in rains], params)


@pytest.fixture(scope="module")
def series():
    return _run()


def test_every_run_closes_its_water_balance(series):
    for c in series.cases:
        assert c.dynamic is not None and c.dynamic.steps > 0
        assert abs(c.dynamic.balance_error) < 1e-9
        assert c.dynamic.rain_m3 == pytest.approx(c.case.rain_mm / 1000 * N * N * RES * RES, rel=1e-9)


def test_depth_buildings_and_roads_never_fall_with_more_rain(series):
    cases = series.cases
    volume = [float(np.nansum(c.depth)) for c in cases]
    facade = [int(np.count_nonzero(c.building_class >= bs.FACADE)) for c in cases]
    above = [int(np.count_nonzero(c.building_class == bs.ABOVE_FLOOR)) for c in cases]
    road_h = [float(c.road_hours.sum()) for c in cases]
    wet_h = [float(c.wet_hours.sum()) for c in cases]
    for seq in (volume, facade, above, road_h, wet_h):
        assert all(b >= a for a, b in itertools.pairwise(seq)), seq
    for seq in (volume, above, road_h, wet_h):
        assert seq[-1] > seq[0], seq
    assert above == [1, 2, 2, 3, 3] and facade == [3] * 5
    assert cases[-1].building_class[3] == bs.DRY  # on the rim


def test_durations_are_counted_from_the_snapshots(series):
    c = series.cases[-1]
    wet = np.isfinite(c.depth)
    assert (c.wet_hours[~wet] == 0).all()
    assert c.wet_hours[wet].max() > 1.0  # the bowl holds water through the rain and after it
    # the road is impassable only where it is deep enough, and never longer than it is wet
    assert c.road_hours.max() > 0
    hours_at_road = bs.sample_max(c.wet_hours, series.road_pieces, series.grid)
    assert (c.road_hours <= hours_at_road + 1e-6).all()


def test_more_storage_lowers_the_water():
    wet, dry = _run((50.0,), loss=10.0).cases[0], _run((50.0,), loss=30.0).cases[0]
    assert np.nansum(dry.depth) < np.nansum(wet.depth)
    assert dry.dynamic.lost_m3 > wet.dynamic.lost_m3
    assert np.count_nonzero(dry.building_class == bs.ABOVE_FLOOR) <= np.count_nonzero(
        wet.building_class == bs.ABOVE_FLOOR)


def test_runs_are_deterministic_and_shared_between_equal_cases():
    a = _run((30.0, 30.0))
    b = _run((30.0,))
    assert np.array_equal(a.cases[0].depth, b.cases[0].depth, equal_nan=True)
    assert np.array_equal(a.cases[1].wet_hours, b.cases[0].wet_hours)


def test_outputs_of_the_2d_engine(tmp_path, series):
    from alliantie.contract.pluvial_depths import DURATIONS_FILE, read_case_depths
    from alliantie.contract.summaries import OVERLAND_FILE, PluvialOverlandSummary, read_summary
    from alliantie.knowledge import load_knowledge
    from alliantie.method.urgency.pluvial.knowledge import OverlandKnowledge
    from alliantie.method.urgency.pluvial.outputs import write_outputs, write_overland_outputs

    write_outputs(tmp_path, series, "en")
    knowledge = OverlandKnowledge.parse(load_knowledge("pluvial_overland"), "pluvial_overland")
    write_overland_outputs(tmp_path, series, knowledge)
    durations = read_case_depths(tmp_path, DURATIONS_FILE)
    depths = read_case_depths(tmp_path)
    assert durations is not None and depths is not None and set(durations) == set(depths)
    last = series.cases[-1]
    hours = durations[last.case.id]
    assert np.isfinite(hours).sum() > 0
    assert not (np.isfinite(hours) & ~np.isfinite(depths[last.case.id])).any()
    summary = read_summary(tmp_path, PluvialOverlandSummary, OVERLAND_FILE)
    assert summary is not None and [c.id for c in summary.cases] == [c.case.id for c in series.cases]
    km = [c.road_km_hours for c in summary.cases]
    assert all(b >= a for a, b in itertools.pairwise(km)) and km[-1] > 0
    assert all(c.road_km_impassable <= c.road_km_no_cars + 1e-9 for c in summary.cases)
    assert all(abs(c.balance_error) < 1e-9 for c in summary.cases)
    assert summary.hyetograph == "alternating_block" and summary.road_min_duration_h == 1.0


def test_screening_cases_carry_no_durations():
    grid, dem = _bowl()
    data = PluvialInput(grid=grid, dem=dem, runoff_mm=lambda case: np.full(grid.shape, case.rain_mm, np.float32))
    result = analyse(data, [custom_case(50.0)], PluvialParameters(min_bluespot_area_m2=0.0))
    assert result.cases[0].wet_hours is None and result.cases[0].dynamic is None


# --- the design hyetograph -------------------------------------------------------------------------------


def test_alternating_block_keeps_the_total_and_puts_the_peak_in_the_middle():
    h = alternating_block(64.9, 2.0, 0.17, 10.0, 0.5)
    values = np.asarray(h.intensity_mm_h)
    assert len(values) == 12 and h.step_s == 600.0
    assert h.total_mm == pytest.approx(64.9, rel=1e-12)
    peak = int(values.argmax())
    assert peak == 5
    assert (np.diff(values[: peak + 1]) > 0).all() and (np.diff(values[peak:]) < 0).all()
    # the wettest hour holds the 1-hour depth of the power law (64.9 / 2^0.17)
    best_hour = max(values[i:i + 6].sum() / 6 for i in range(7))
    assert best_hour == pytest.approx(64.9 / 2**0.17, rel=1e-9)
    # the wettest 10 minutes: the sub-hour law P(1 h) (1/6)^0.5
    assert values.max() / 6 == pytest.approx(64.9 / 2**0.17 * (1 / 6) ** 0.5, rel=1e-9)


def test_alternating_block_with_exponent_one_is_a_block_storm_and_checks_its_input():
    assert alternating_block(60.0, 2.0, 1.0, 30.0).intensity_mm_h == pytest.approx((30.0,) * 4)
    with pytest.raises(ValueError):
        alternating_block(60.0, 2.0, 0.3, 7.0)
    with pytest.raises(ValueError):
        alternating_block(60.0, 2.0, 0.0)


def test_the_exponent_follows_the_knmi_statistics():
    from alliantie.climate import ClimateScenario
    from alliantie.climate.design_storms import DesignStorms
    from alliantie.climate.hyetograph import depth_duration_exponent
    from alliantie.climate.rain_statistics import load_rain_statistics

    storms = DesignStorms(load_rain_statistics(), "R")
    n = depth_duration_exponent(storms, 100)
    assert n is not None and 0 < n < 1
    assert storms.depth_mm(100, 1) * 24**n == pytest.approx(storms.depth_mm(100, 24), rel=1e-9)
    assert depth_duration_exponent(storms, 100, ClimateScenario("Md", 2150)) is None


# --- land-use damage with a duration per cell ------------------------------------------------------------


def test_land_damage_with_durations_equals_the_table_at_its_nodes_and_between_them():
    from alliantie.damage.depth_damage import (
        DamageSettings,
        PluvialDamageFile,
        class_map,
        coefficients,
        load_damage_table,
    )
    from alliantie.damage.pluvial import DurationCoefficients, land_damage, land_damage_timed
    from alliantie.knowledge import load_knowledge

    knowledge = PluvialDamageFile.from_toml(load_knowledge("damage_pluvial"))
    table = load_damage_table(knowledge)
    mapping = class_map(knowledge)
    nodes = tuple(float(h) for h in table.duration_h)
    timed = DurationCoefficients(nodes, tuple(coefficients(table, DamageSettings(duration_h=h), mapping)
                                              for h in nodes))
    codes = sorted(mapping)
    landuse = np.array(codes * 2, dtype=np.float64).reshape(2, -1)
    depth = np.full(landuse.shape, 0.2)
    for hours in (1.0, 12.0, 30.0, 72.0, 200.0, 480.0, 900.0):
        fixed = coefficients(table, DamageSettings(duration_h=min(hours, 480.0)), mapping)
        _, expected = land_damage(depth, landuse, fixed, 25.0)
        _, got = land_damage_timed(depth, np.full(depth.shape, hours), landuse, timed, 25.0)
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # crops: no damage below 12 h, damage after 3 days
    _, short = land_damage_timed(depth, np.full(depth.shape, 2.0), landuse, timed, 25.0)
    _, long = land_damage_timed(depth, np.full(depth.shape, 72.0), landuse, timed, 25.0)
    assert long.sum() > short.sum()


def test_the_sub_hour_curve_follows_the_stowa_short_duration_statistics():
    """Below one hour the hyetograph follows STOWA 2019 (pluvial_overland.toml): the wettest 10 minutes of today's
    2-hour storm of once in 100 years is STOWA's 10-minute depth, and its 1-hour depth KNMI'23's."""
    from alliantie.climate.design_storms import DesignStorms
    from alliantie.climate.hyetograph import depth_duration_exponent
    from alliantie.climate.rain_statistics import load_rain_statistics
    from alliantie.knowledge import load_knowledge
    from alliantie.method.urgency.pluvial.knowledge import OverlandKnowledge

    shape = OverlandKnowledge.parse(load_knowledge("pluvial_overland"), "pluvial_overland").hyetograph
    rows = {row.return_period_years: row for row in shape.sub_hour.depths}
    storms = DesignStorms(load_rain_statistics(), "R")
    for t in (10.0, 100.0, 1000.0):  # STOWA's 60 minutes and KNMI'23's hour today: the same statistic
        assert rows[t].depth_60min_mm == pytest.approx(storms.depth_mm(t, 1.0), abs=0.051)
    exponents = [shape.sub_hour_exponent(t) for t in sorted(rows)]
    assert all(b > a for a, b in itertools.pairwise(exponents))  # rarer storms are peakier
    assert shape.sub_hour_exponent(100.0) == pytest.approx(0.390, abs=0.001)
    assert shape.sub_hour_exponent(3.0) == pytest.approx(  # between the rows: linear in ln T
        np.interp(np.log(3.0), np.log([2.0, 5.0]), [rows[2.0].exponent, rows[5.0].exponent]))
    # the power law through 10 and 60 minutes misses STOWA's 30 minutes by at most 7 % (6 % at T = 1000)
    for row in rows.values():
        assert row.depth_60min_mm * 0.5 ** row.exponent == pytest.approx(row.depth_30min_mm, rel=0.07)
    total = storms.depth_mm(100.0, 2.0)
    h = alternating_block(total, 2.0, depth_duration_exponent(storms, 100.0), shape.step_min,
                          shape.sub_hour_exponent(100.0))
    assert max(h.intensity_mm_h) / 6 == pytest.approx(rows[100.0].depth_10min_mm, rel=0.01)
    assert h.total_mm == pytest.approx(total, rel=1e-12)
