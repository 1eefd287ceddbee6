"""Incremental re-routing of fill-spill-merge equals routing the changed runoff from scratch."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from alliantie.hydrology.fsm import FillSpillMerge


def _dem(seed: int, shape=(60, 70)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    z = ndimage.gaussian_filter(rng.normal(size=shape), 2.0) * 3.0 + np.linspace(0, 1, shape[1])[None, :]
    z[rng.random(shape) < 0.01] = np.nan  # some open water (no data)
    return z.astype(np.float32)


@pytest.mark.parametrize("seed", range(8))
def test_reroute_equals_routing_from_scratch(seed):
    rng = np.random.default_rng(100 + seed)
    dem = _dem(seed)
    engine = FillSpillMerge(dem, cell_area=25.0)
    runoff = rng.uniform(0.0, 0.08, dem.shape)
    state, depth = engine.state(runoff)
    # the same result as route()
    reference = engine.route(runoff)
    np.testing.assert_array_equal(depth, np.asarray(reference.depth))
    for trial in range(4):
        cells = np.unique(rng.choice(dem.size, size=int(rng.integers(1, 400)), replace=False))
        flat = runoff.reshape(-1)
        delta = np.maximum(flat[cells] + rng.normal(0.0, 0.05, cells.size), 0.0) - flat[cells]
        if trial % 2:
            delta = -flat[cells] * rng.uniform(0, 1, cells.size)  # storage: less runoff only
        new_runoff = runoff.copy().reshape(-1)
        new_runoff[cells] += delta
        new_runoff = new_runoff.reshape(dem.shape)
        rerouted = engine.reroute(state, cells, delta)
        fresh_state, fresh_depth = engine.state(new_runoff)
        patched = depth.copy().reshape(-1)
        patched[rerouted.cells] = rerouted.depth
        np.testing.assert_allclose(patched.reshape(dem.shape), fresh_depth, rtol=1e-5, atol=1e-6, equal_nan=True)
        np.testing.assert_array_equal(rerouted.state.full, fresh_state.full)
        assert rerouted.state.total == pytest.approx(fresh_state.total, rel=1e-9, abs=1e-9)
        assert rerouted.state.outflow_m3 == pytest.approx(fresh_state.outflow_m3, rel=1e-9, abs=1e-6)
        # cells outside the re-levelled lakes kept their depth
        untouched = np.ones(dem.size, dtype=bool)
        untouched[rerouted.cells] = False
        np.testing.assert_array_equal(depth.reshape(-1)[untouched], fresh_depth.reshape(-1)[untouched])
