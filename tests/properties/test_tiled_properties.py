"""Property: on random DEMs cut into random tiles, the tiled fill equals the in-memory fill exactly.

Random shapes (not divisible by the tiles), random chunk sizes down to one cell,
plateaus and ties (small integer elevations) and nodata islands that cross tile
seams and corners.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliantie.hydrology import fill_depressions, fill_depressions_tiled
from alliantie.hydrology.tiled import fill_blocks_numpy


@st.composite
def dems(draw: st.DrawFn) -> np.ndarray:
    rows = draw(st.integers(1, 24))
    cols = draw(st.integers(1, 24))
    seed = draw(st.integers(0, 2**32 - 1))
    levels = draw(st.sampled_from([3, 10, 1000]))
    rng = np.random.default_rng(seed)
    z = rng.integers(0, levels, (rows, cols)).astype(np.float32)
    if draw(st.booleans()):
        # nodata islands: a few blobs of NaN of random size, anywhere (so across seams too)
        for _ in range(draw(st.integers(1, 4))):
            r, c = rng.integers(0, rows), rng.integers(0, cols)
            h, w = rng.integers(1, 4, 2)
            z[r : r + h, c : c + w] = np.nan
    return z


@st.composite
def chunking(draw: st.DrawFn, size: int) -> list[int]:
    """Random chunk sizes covering ``size`` cells; small ones (1-3 cells) are common."""
    chunks: list[int] = []
    left = size
    while left > 0:
        step = draw(st.one_of(st.integers(1, 3), st.integers(1, max(1, size))))
        step = min(step, left)
        chunks.append(step)
        left -= step
    return chunks


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), dem=dems())
def test_tiled_equals_in_memory(data: st.DataObject, dem: np.ndarray) -> None:
    rows = data.draw(chunking(dem.shape[0]))
    cols = data.draw(chunking(dem.shape[1]))
    expected = fill_depressions(dem)
    np.testing.assert_array_equal(fill_blocks_numpy(dem, None, rows, cols), expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), dem=dems())
def test_tiled_on_dask_equals_in_memory(data: st.DataObject, dem: np.ndarray) -> None:
    rows = data.draw(chunking(dem.shape[0]))
    cols = data.draw(chunking(dem.shape[1]))
    out = fill_depressions_tiled(dem, chunks=(tuple(rows), tuple(cols))).compute(scheduler="sync")
    np.testing.assert_array_equal(out, fill_depressions(dem))


@settings(max_examples=60, deadline=None)
@given(dem=dems(), tile=st.integers(1, 6))
def test_tiled_fill_is_idempotent_and_never_lowers(dem: np.ndarray, tile: int) -> None:
    filled = fill_blocks_numpy(dem, None, _even(dem.shape[0], tile), _even(dem.shape[1], tile))
    valid = ~np.isnan(dem)
    assert np.all(filled[valid] >= dem[valid])
    assert np.array_equal(np.isnan(filled), ~valid)
    again = fill_blocks_numpy(filled, None, _even(dem.shape[0], tile), _even(dem.shape[1], tile))
    np.testing.assert_array_equal(again, filled)


def _even(size: int, tile: int) -> list[int]:
    return [tile] * (size // tile) + ([size % tile] if size % tile else [])
