"""Tiles of the overland engine: sleeping dry tiles change nothing; local time steps agree with one global step."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from alliantie.hydrology import _overland, overland, overland_flow

MM_H = 1.0 / 3.6e6


def _pond_and_slopes(n: int = 96, m: int = 192) -> tuple[np.ndarray, dict[str, object]]:
    """A 2 m deep pond in one corner, a gently sloping paved part, a field that takes all the rain."""
    rng = np.random.default_rng(11)
    y, x = np.mgrid[0:n, 0:m]
    dem = 0.004 * (x + 0.5 * y) + 0.05 * rng.random((n, m))
    dem[8:24, 8:30] -= 2.0  # the pond, full at the start
    depth = np.where(dem < -1.0, 1.8, 0.0)
    infil = np.where(x >= 96, 60.0, 2.0)  # the field east of column 96 (three tiles) takes 60 mm/h
    dem[40:44, 0:3] = np.nan  # open water on the west edge: an outlet
    roofs = np.zeros((n, m), dtype=bool)
    roofs[50:56, 40:48] = True
    kwargs = {
        "rain_mm_h": [40.0, 0.0], "rain_step_s": 600.0, "cell_size": 5.0, "duration_s": 1200.0,
        "infiltration_mm_h": infil, "initial_depth": depth, "buildings": roofs, "boundary": "closed",
        "output_every_s": 300.0,
    }  # fmt: skip
    return dem, kwargs


def test_sleeping_tiles_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    dem, kwargs = _pond_and_slopes()
    skipped = overland_flow(dem, **kwargs, local_time_steps=True)
    monkeypatch.setattr(overland, "_SKIP_DRY_TILES", False)
    every = overland_flow(dem, **kwargs, local_time_steps=True)
    assert skipped.steps == every.steps
    assert skipped.cell_updates < 0.98 * every.cell_updates  # the field slept (measured: 0.967)
    for a, b in ((skipped.max_depth, every.max_depth), (skipped.depth, every.depth),
                 (skipped.time_of_max_s, every.time_of_max_s), (skipped.velocity_max, every.velocity_max),
                 (skipped.depth_series, every.depth_series)):  # fmt: skip
        np.testing.assert_array_equal(a, b)
    # the rain on sleeping tiles goes to infiltration as a block: only the order of the sums differs
    assert skipped.infiltrated_m3 == pytest.approx(every.infiltrated_m3, rel=1e-12)
    assert skipped.outflow_m3 == pytest.approx(every.outflow_m3, rel=1e-12, abs=1e-9)
    assert abs(skipped.balance_error) < 1e-13


def test_local_time_steps_agree_with_one_global_step() -> None:
    dem, kwargs = _pond_and_slopes()
    glob = overland_flow(dem, **kwargs, local_time_steps=False)
    local = overland_flow(dem, **kwargs, local_time_steps=True)
    assert abs(local.balance_error) < 1e-13
    assert local.cell_updates < 0.5 * glob.cell_updates  # the sheet flow steps 4-16 times less often
    a = np.nan_to_num(np.asarray(local.max_depth))
    b = np.nan_to_num(np.asarray(glob.max_depth))
    wet = (a > 0.01) | (b > 0.01)
    assert np.abs(a - b)[wet].max() < 0.01
    assert np.quantile(np.abs(a - b)[wet], 0.99) < 0.005
    assert local.infiltrated_m3 == pytest.approx(glob.infiltrated_m3, rel=1e-3)
    level = (dem + np.asarray(local.depth))[10:22, 10:28]
    assert np.ptp(level) < 0.01  # the pond stays level


def test_local_time_steps_front_in_the_low_froude_limit() -> None:
    # the analytic front of tests/unit/test_hydrology_overland.py (n = 0.1), on a 1-row channel
    # 16 tiles long: the cells ahead of the front step 2-16 times less often
    u, step, manning, dx, nx = 1.0, 10.0, 0.1, 10.0, 500
    coef = (7.0 / 3.0 * manning**2 * u**3) ** (3.0 / 7.0)
    t = np.arange(0.0, 3600.0 + step, step)
    volume = u * coef * 0.7 * t ** (10.0 / 7.0) * dx
    r = overland_flow(
        np.zeros((1, nx)), 0.0, cell_size=dx, duration_s=3600.0, manning=manning, boundary="closed",
        inflow_cells=[(0, 0)], inflow_m3_s=np.diff(volume) / step, inflow_step_s=step, output_every_s=600.0,
        local_time_steps=True,
    )  # fmt: skip
    assert r.cell_updates < 0.6 * r.steps * nx
    x = (np.arange(nx) + 0.5) * dx
    for k, tk in enumerate(r.output_times_s):
        exact = np.where(x < u * tk, (7.0 / 3.0 * manning**2 * u**2 * np.maximum(u * tk - x, 0.0)) ** (3.0 / 7.0), 0.0)
        h = r.depth_series[k, 0, :]
        wet = x < tk + 50.0
        # the global step gives 0.45-0.98 % of h(0, t) (test_hydrology_overland.py)
        assert np.sqrt(np.mean((h[wet] - exact[wet]) ** 2)) < 0.015 * exact[0], tk
        assert abs(x[np.nonzero(h > 0.01)[0].max()] - tk) <= 2 * dx, tk
    assert abs(r.balance_error) < 1e-12


def test_same_answer_for_any_thread_count_with_local_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    # the grid is below PARALLEL_MIN_CELLS, so the first run is serial; the others run the parallel passes
    dem, kwargs = _pond_and_slopes(64, 160)
    kwargs["duration_s"] = 600.0
    kwargs["local_time_steps"] = True
    serial = overland_flow(dem, **kwargs)
    assert serial.cell_updates < 0.6 * serial.steps * dem.size  # tiles at several levels (measured: 0.47)
    monkeypatch.setattr(_overland, "PARALLEL_MIN_CELLS", 0)
    assert overland._TILES_PARALLEL
    before = numba.get_num_threads()
    try:
        for threads in sorted({1, before}):
            numba.set_num_threads(threads)
            run = overland_flow(dem, **kwargs)
            np.testing.assert_array_equal(run.max_depth, serial.max_depth)
            np.testing.assert_array_equal(run.velocity_max, serial.velocity_max)
            assert run.outflow_m3 == serial.outflow_m3
            assert run.infiltrated_m3 == serial.infiltrated_m3
    finally:
        numba.set_num_threads(before)


@pytest.mark.parametrize("parallel", [False, True])
def test_tiles_drain_over_every_open_edge_as_the_rows_do(monkeypatch: pytest.MonkeyPatch, parallel: bool) -> None:
    # water everywhere keeps every tile at level 0, so the tiles do the row kernels' updates; the ground
    # falls to the east, so most water leaves over the east edge (the parallel tile passes once lost the
    # east edge's faces: 10 % less outflow on a grid like this)
    rng = np.random.default_rng(3)
    dem = -0.02 * np.arange(70)[None, :] + 0.01 * rng.random((40, 70))
    kwargs = {"cell_size": 2.0, "duration_s": 300.0, "initial_depth": 0.05}
    if parallel:
        monkeypatch.setattr(_overland, "PARALLEL_MIN_CELLS", 0)
    rows = overland_flow(dem, 30.0, **kwargs)
    tiles = overland_flow(dem, 30.0, **kwargs, local_time_steps=True)
    assert tiles.cell_updates == rows.cell_updates == rows.steps * dem.size
    assert rows.outflow_m3 > 0.5 * rows.initial_m3
    assert tiles.outflow_m3 == pytest.approx(rows.outflow_m3, rel=1e-12)
    np.testing.assert_allclose(tiles.max_depth, rows.max_depth, rtol=0, atol=1e-12)


@pytest.mark.parametrize("local", [True, False])
def test_duration_above_thresholds(local: bool) -> None:
    # a closed flat box under constant rain: the depth rises as r t, so it is above d for T - d / r
    rain, duration = 36.0, 1800.0
    r = overland_flow(
        np.zeros((40, 70)), rain, cell_size=2.0, duration_s=duration, boundary="closed",
        duration_thresholds_m=(0.0, 0.005, 0.01, 0.1), local_time_steps=local,
    )  # fmt: skip
    assert r.duration_above_s.shape == (4, 40, 70)
    assert r.duration_thresholds_m == (0.0, 0.005, 0.01, 0.1)
    rate = rain * MM_H
    longest_step = 10.0
    for m, d in enumerate(r.duration_thresholds_m):
        expected = max(duration - d / rate, 0.0)
        assert np.all(np.abs(r.duration_above_s[m] - expected) <= longest_step + 1e-9), d
    assert np.all(r.duration_above_s[3] == 0.0)  # never 10 cm deep (18 mm of rain)


def test_duration_thresholds_are_checked() -> None:
    with pytest.raises(ValueError):
        overland_flow(np.zeros((4, 4)), 1.0, cell_size=1.0, duration_s=10, duration_thresholds_m=(-0.1,))
