"""Properties of filling, D8 and accumulation on random small DEMs (hypothesis).

Random shapes, elevations with many ties (plateaus) or few, optional nodata
blobs, float32 and float64.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliantie.hydrology import _fill, fill_depressions, flow_accumulation, flow_directions
from alliantie.hydrology.api import _pad

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NEIGHBOURS = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]
STEP = {1: (0, 1), 2: (1, 1), 4: (1, 0), 8: (1, -1), 16: (0, -1), 32: (-1, -1), 64: (-1, 0), 128: (-1, 1)}


@st.composite
def dems(draw: st.DrawFn) -> np.ndarray:
    rows = draw(st.integers(1, 20))
    cols = draw(st.integers(1, 20))
    seed = draw(st.integers(0, 2**32 - 1))
    levels = draw(st.sampled_from([2, 5, 1000]))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    rng = np.random.default_rng(seed)
    z = (rng.integers(0, levels, (rows, cols)) * 0.25).astype(dtype)
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            r, c = rng.integers(0, rows), rng.integers(0, cols)
            h, w = rng.integers(1, 4, 2)
            z[r : r + h, c : c + w] = np.nan
    return z


def seeds(valid: np.ndarray) -> np.ndarray:
    """Outlet cells: valid cells on the edge or next to nodata."""
    padded = np.pad(~valid, 1, constant_values=True)
    near = np.zeros(valid.shape, bool)
    rows, cols = valid.shape
    for dr, dc in NEIGHBOURS:
        near |= padded[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols]
    return valid & near


def lowest_neighbour(z: np.ndarray, valid: np.ndarray) -> np.ndarray:
    padded = np.pad(np.where(valid, z, np.inf), 1, constant_values=np.inf).astype(np.float64)
    rows, cols = z.shape
    low = np.full(z.shape, np.inf)
    for dr, dc in NEIGHBOURS:
        low = np.minimum(low, padded[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols])
    return low


@given(dems())
@SETTINGS
def test_filled_is_not_below_input_and_nodata_is_kept(dem):
    filled = fill_depressions(dem)
    valid = ~np.isnan(dem)
    assert filled.dtype == dem.dtype
    assert np.all(filled[valid] >= dem[valid])
    assert np.isnan(filled[~valid]).all()
    assert np.array_equal(filled[seeds(valid)], dem[seeds(valid)])


@given(dems())
@SETTINGS
def test_filling_is_idempotent(dem):
    filled = fill_depressions(dem)
    np.testing.assert_array_equal(fill_depressions(filled), filled)


@given(dems())
@SETTINGS
def test_no_interior_pit_remains(dem):
    """Every valid cell has a non-ascending path to an outlet on the filled DEM."""
    filled = fill_depressions(dem)
    valid = ~np.isnan(dem)
    reached = seeds(valid)
    queue = deque(zip(*np.nonzero(reached), strict=True))
    rows, cols = dem.shape
    while queue:
        r, c = queue.popleft()
        for dr, dc in NEIGHBOURS:
            rr, cc = r + dr, c + dc
            inside = 0 <= rr < rows and 0 <= cc < cols
            # water on (rr, cc) can flow to (r, c)
            if inside and valid[rr, cc] and not reached[rr, cc] and filled[rr, cc] >= filled[r, c]:
                reached[rr, cc] = True
                queue.append((rr, cc))
    assert np.array_equal(reached, valid)


@given(dems())
@SETTINGS
def test_filled_is_the_lowest_draining_surface(dem):
    """Equal to the priority-flood kernel: the minimax surface, not just any draining one."""
    valid = ~np.isnan(dem)
    z, flag = _pad(dem, ~valid, dem.dtype)
    _fill.fill_priority_flood_padded(z.reshape(-1), flag.reshape(-1), dem.shape[0], dem.shape[1])
    expected = np.where(valid, z[1:-1, 1:-1], dem)
    np.testing.assert_array_equal(fill_depressions(dem), expected)


@given(dems())
@SETTINGS
def test_epsilon_fill_has_a_strictly_lower_neighbour_everywhere(dem):
    filled = fill_depressions(dem, epsilon=True)
    valid = ~np.isnan(dem)
    interior = valid & ~seeds(valid)
    assert np.all(filled[valid] >= fill_depressions(dem)[valid])
    assert np.all(lowest_neighbour(filled, valid)[interior] < filled[interior])


@given(dems())
@SETTINGS
def test_d8_on_filled_dem_drains_and_accumulation_is_conserved(dem):
    valid = ~np.isnan(dem)
    codes = flow_directions(fill_depressions(dem))
    assert np.array_equal(codes == 255, ~valid)
    assert np.all(codes[valid] != 0)
    acc = flow_accumulation(codes)  # raises on a cycle
    rows, cols = dem.shape
    leaving = 0.0
    for r, c in zip(*np.nonzero(valid), strict=True):
        dr, dc = STEP[int(codes[r, c])]
        rr, cc = r + dr, c + dc
        if not (0 <= rr < rows and 0 <= cc < cols) or not valid[rr, cc]:
            leaving += acc[r, c]
    assert leaving == valid.sum()
    assert np.all(acc[valid] >= 1)
