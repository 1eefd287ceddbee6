"""The parallel overland kernels give the same answer for any number of threads, and as the serial ones."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from alliantie.hydrology import _overland, overland_flow


def _run() -> tuple[np.ndarray, np.ndarray, float, float]:
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:30, 0:40]
    dem = 0.01 * (x + 0.5 * y) + 0.1 * rng.random((30, 40))
    dem[12:15, 0:4] = np.nan  # an outlet
    roofs = np.zeros(dem.shape, dtype=bool)
    roofs[5:9, 20:26] = True
    r = overland_flow(
        dem, [40.0, 90.0, 0.0], rain_step_s=300, cell_size=2.0, duration_s=1200, buildings=roofs,
        infiltration_mm_h=np.where(x < 20, 8.0, 0.0), sink_mm_h=5.0,
        inflow_cells=[(20, 30)], inflow_m3_s=[0.05, 0.0], inflow_step_s=600,
    )  # fmt: skip
    return np.asarray(r.max_depth), np.asarray(r.velocity_max), r.outflow_m3, r.balance_error


def test_same_answer_serial_and_parallel_with_any_thread_count(monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _run()
    monkeypatch.setattr(_overland, "PARALLEL_MIN_CELLS", 0)
    before = numba.get_num_threads()
    try:
        runs = []
        for threads in sorted({1, before}):
            numba.set_num_threads(threads)
            runs.append(_run())
    finally:
        numba.set_num_threads(before)
    for run in runs:
        np.testing.assert_array_equal(run[0], serial[0])
        np.testing.assert_array_equal(run[1], serial[1])
        assert run[2] == serial[2]
        assert abs(run[3]) < 1e-13


@pytest.mark.parametrize("chunks", [2, 3, 7, 30])
def test_same_answer_whatever_the_chunks_of_rows(monkeypatch: pytest.MonkeyPatch, chunks: int) -> None:
    # one step is one sweep per chunk of rows, two rows behind each other, and the rows at the
    # chunks' seams are finished after all sweeps: the answer must be the one of a single chunk
    # (30 chunks: one row each, every row at a seam)
    single = _run()
    monkeypatch.setattr(_overland, "row_chunks", lambda parallel: chunks)
    run = _run()
    np.testing.assert_array_equal(run[0], single[0])
    np.testing.assert_array_equal(run[1], single[1])
    assert run[2] == single[2]
    assert abs(run[3]) < 1e-13


def test_inverse_depth_power_to_round_off() -> None:
    h = np.logspace(-9, 4, 2001)
    approx = np.array([_overland.inv_depth_7_3(float(v)) for v in h])
    assert np.max(np.abs(approx * h ** (7.0 / 3.0) - 1.0)) < 1e-14


def test_every_kernel_variant_has_its_own_cache_entry() -> None:
    # numba files a cached function under its module, qualified name and first line and looks it up by
    # signature and bytecode: two variants made from one function would share one entry, and the second
    # to compile would load the first's machine code (before, the "serial" passes ran the parallel ones)
    variants = [
        _overland._rows_ser, _overland._rows_par, _overland._tfluxes_ser, _overland._tfluxes_par,
        _overland._tfactors_ser, _overland._tfactors_par, _overland._tdepths_ser, _overland._tdepths_par,
        _overland.advance_rows_serial, _overland.advance_rows_parallel,
        _overland.advance_tiles_serial, _overland.advance_tiles_parallel,
    ]  # fmt: skip
    names = {kernel._cache._cache_file._index_name for kernel in variants}
    assert len(names) == len(variants)
    assert all("parallel" in kernel.targetoptions for kernel in variants[1:8:2])
    assert not any("parallel" in kernel.targetoptions for kernel in variants[0:8:2])
    # each outer kernel calls the passes of its own kind
    assert _overland.advance_rows_parallel.py_func.__globals__["_rows_step"] is _overland._rows_par
    assert _overland.advance_rows_serial.py_func.__globals__["_rows_step"] is _overland._rows_ser
    assert _overland.advance_tiles_parallel.py_func.__globals__["_tdepths"] is _overland._tdepths_par
    assert _overland.advance_tiles_serial.py_func.__globals__["_tdepths"] is _overland._tdepths_ser
