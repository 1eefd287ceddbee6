"""The dynamic check: a window cut through a slope gets the water from above it, spread over the edge it drains
through; the dynamic EAD over several storms."""

from __future__ import annotations

import numpy as np

from alliantie.hydrology.overland import overland_flow
from alliantie.measures.upstream import d8_of, filled_of, upstream_inflow

RES, RAIN, HOURS = 5.0, 60.0, 1.0


def _slope(rows: int = 40, cols: int = 12) -> np.ndarray:
    """A plane falling 1 % to the south (row 0 north), a shallow channel down its middle column."""
    dem = 10.0 - 0.01 * RES * np.arange(rows)[:, None] + np.zeros((1, cols))
    dem[:, cols // 2] -= 0.05
    return dem


def _run(dem: np.ndarray, **kwargs: object):
    return overland_flow(dem, [RAIN], rain_step_s=HOURS * 3600, cell_size=RES, duration_s=(HOURS + 0.5) * 3600,
                         **kwargs)  # type: ignore[arg-type]


def test_the_inflow_is_the_rain_of_the_cells_above_the_window():
    dem = _slope()
    rain_m3 = np.full(dem.shape, RAIN / 1000 * RES * RES)
    box = (20, 40, 0, 12)
    inflow = upstream_inflow(d8_of(dem), rain_m3, box)
    cells, m3 = inflow.cells, inflow.m3
    assert cells.size and (cells[:, 0] == 0).all()  # on the upstream edge of the window
    assert np.isclose(m3.sum(), rain_m3[:20].sum())  # every cell above drains into it, none twice
    # where the water comes to rest above (a depression that holds the rain of the upper rows), less comes in
    rest = rain_m3.copy()
    rest[:11] = 0.0
    less = upstream_inflow(d8_of(dem), rest, box).m3
    assert np.isclose(less.sum(), rain_m3[11:20].sum())
    rest[19] = -rain_m3[:20].sum()  # the last row above holds more than reaches it: nothing
    none = upstream_inflow(d8_of(dem), rest, box).m3
    assert none.sum() < 1e-9
    # a window at the top of the slope gets nothing
    top = upstream_inflow(d8_of(dem), rain_m3, (0, 20, 0, 12)).m3
    assert top.size == 0


def test_a_window_cut_through_a_slope_is_as_deep_at_its_edge_as_the_full_grid():
    dem = _slope()
    full = _run(dem)
    box = (20, 40, 0, 12)
    win = dem[20:40]
    without = _run(win)
    water = upstream_inflow(d8_of(dem), np.full(dem.shape, RAIN / 1000 * RES * RES), box)
    cells, m3 = water.cells, water.m3
    inflow = _run(win, inflow_cells=[tuple(c) for c in cells.tolist()],
                  inflow_m3_s=(m3 / (HOURS * 3600)).reshape(1, -1), inflow_step_s=HOURS * 3600)
    edge_full = np.asarray(full.max_depth)[20:23]
    edge_with = np.asarray(inflow.max_depth)[0:3]
    edge_without = np.asarray(without.max_depth)[0:3]
    assert edge_with.mean() > 2 * edge_without.mean()  # deeper at its upstream edge than without the inflow
    assert abs(edge_with.mean() - edge_full.mean()) < 0.25 * edge_full.mean()  # close to the full grid
    low_full, low_with = np.asarray(full.max_depth)[-5:].mean(), np.asarray(inflow.max_depth)[-5:].mean()
    assert abs(low_with - low_full) < 0.1 * low_full  # and downstream too
    assert np.isclose(inflow.inflow_m3, m3.sum())  # water balance with the inflow
    assert abs(inflow.balance_error) < 1e-9


def _rough_plane(rows: int = 60, cols: int = 40, seed: int = 3) -> np.ndarray:
    """A plane falling 1 % to the south with 3 cm of noise: D8 lines converge as on real terrain."""
    rng = np.random.default_rng(seed)
    return 10.0 - 0.01 * RES * np.arange(rows)[:, None] + rng.uniform(0.0, 0.03, (rows, cols))


def test_the_inflow_spreads_over_the_edge_and_keeps_its_volume():
    dem = _rough_plane()
    filled = filled_of(dem)
    directions = d8_of(dem, filled)
    rain_m3 = np.full(dem.shape, RAIN / 1000 * RES * RES)
    box = (40, 60, 0, 40)  # the lower third: every cell above drains into it
    points = upstream_inflow(directions, rain_m3, box)
    spread = upstream_inflow(directions, rain_m3, box, filled=filled, band_cells=10)
    # the volume is kept: all the rain above the window enters it, by either route
    assert np.isclose(points.m3.sum(), rain_m3[:40].sum())
    assert np.isclose(spread.m3.sum() + spread.dropped_m3 + spread.away_m3, rain_m3[:40].sum())
    assert spread.away_m3 < 1e-9 and spread.dropped_m3 < 1e-9
    # over every edge cell (D8: some), the largest point less than half D8's
    assert (spread.cells[:, 0] == 0).all()
    assert len(spread.m3) == dem.shape[1] > len(points.m3)
    assert spread.m3.max() < 0.5 * points.m3.max()
    # a depression's share held above the band still holds with the spreading
    rest = rain_m3.copy()
    rest[:11] = 0.0
    assert np.isclose(upstream_inflow(directions, rest, box, filled=filled, band_cells=10).m3.sum(),
                      rain_m3[11:40].sum())
    # open water in the band takes what reaches it
    wet = dem.copy()
    wet[35:38, :] = np.nan
    w_filled = filled_of(wet)
    drowned = upstream_inflow(d8_of(wet, w_filled), np.where(np.isnan(wet), 0.0, rain_m3), box, filled=w_filled,
                              band_cells=10)
    land_above = rain_m3[:40].sum() - 3 * 40 * rain_m3[0, 0]
    assert np.isclose(drowned.m3.sum() + drowned.dropped_m3 + drowned.away_m3, land_above)
    assert drowned.dropped_m3 > 0.5 * rain_m3[:35].sum()


def test_the_dynamic_ead_integrates_the_storms_run_with_the_damage_products_rule():
    from alliantie.damage.risk import expected_annual_damage
    from alliantie.measures.overland import OverlandEffect, StormRuns

    def runs(t: float, before: float, after: float) -> StormRuns:
        empty = np.zeros(0)
        return StormRuns(storm=f"rp{t:g}", return_period=t, depth_before=empty, depth_after=empty,
                         above_before=empty.astype(bool), above_after=empty.astype(bool), stored_m3=0.0,
                         inflow_m3=0.0, damage_before={"mean": before}, damage_after={"mean": after},
                         balance_error=0.0)

    storms = [runs(10, 1_000.0, 400.0), runs(100, 20_000.0, 15_000.0), runs(1000, 90_000.0, 88_000.0)]
    empty = np.zeros(0, dtype=bool)
    effect = OverlandEffect(storm="rp100", windows=[], depth_before=np.zeros(0), depth_after=np.zeros(0),
                            above_before=empty, above_after=empty, counted=empty, stored_m3=0.0, seconds=0.0,
                            storms=storms)
    before = expected_annual_damage([1_000.0, 20_000.0, 90_000.0], [10, 100, 1000])
    after = expected_annual_damage([400.0, 15_000.0, 88_000.0], [10, 100, 1000])
    assert effect.ead() == (before, after)
    assert effect.avoided_ead() == before - after > 0
    # the trapezoid of the damage product: (T=10..100) 0.09 x (600 + 5000) / 2 + (T=100..1000) 0.009 x (5000 + 2000) / 2
    # plus the tail beyond the largest storm as that rule counts it: at least the two trapezoids
    assert effect.avoided_ead() >= 0.09 * 2_800 + 0.009 * 3_500 - 1e-6
    one = OverlandEffect(storm="rp100", windows=[], depth_before=np.zeros(0), depth_after=np.zeros(0),
                         above_before=empty, above_after=empty, counted=empty, stored_m3=0.0, seconds=0.0,
                         storms=storms[1:2])
    assert one.ead() is None and one.avoided_ead() is None  # one storm: no curve to integrate
    assert effect.return_periods == [10, 100, 1000]
