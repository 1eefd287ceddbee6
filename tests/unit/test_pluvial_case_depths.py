"""The pluvial product's hand-over files: every case's depth (case_depths.npz) and one hierarchy for many events."""

import numpy as np
import pytest

from alliantie.contract.pluvial_depths import DEPTHS_FILE, read_case_depths, write_case_depths
from alliantie.hydrology.fsm import FillSpillMerge, fill_spill_merge


def test_case_depths_round_trip_and_the_same_bytes_twice(tmp_path):
    rng = np.random.default_rng(3)
    a = np.where(rng.random((7, 9)) < 0.3, rng.random((7, 9)), np.nan).astype(np.float32)
    b = np.zeros((7, 9), dtype=np.float32)  # dry everywhere
    write_case_depths(tmp_path, [("rp2_current", a), ("rp100_Hd2050", b)], (7, 9))
    first = (tmp_path / DEPTHS_FILE).read_bytes()
    saved = read_case_depths(tmp_path)
    assert saved is not None and list(saved) == ["rp2_current", "rp100_Hd2050"] and len(saved) == 2
    assert np.array_equal(saved["rp2_current"], a, equal_nan=True)
    assert np.isnan(saved["rp100_Hd2050"]).all()  # zero depth is dry
    with pytest.raises(KeyError):
        saved["t100_current"]
    write_case_depths(tmp_path, [("rp2_current", a), ("rp100_Hd2050", b)], (7, 9))
    assert (tmp_path / DEPTHS_FILE).read_bytes() == first  # no timestamps: two runs, the same file
    with pytest.raises(ValueError, match="shape"):
        write_case_depths(tmp_path, [("x", a)], (9, 7))
    assert read_case_depths(tmp_path / "none") is None


def test_one_hierarchy_routes_many_runoff_fields_as_separate_calls_do():
    rng = np.random.default_rng(5)
    dem = rng.random((40, 50)).cumsum(axis=1) * 0.1 + rng.random((40, 50))
    dem[10:14, 20:25] -= 3.0  # a pit
    engine = FillSpillMerge(dem, cell_area=25.0)
    for runoff in (0.05, rng.random(dem.shape) * 0.02, 0.0, rng.random(dem.shape) * 0.3):
        reused, fresh = engine.route(runoff), fill_spill_merge(dem, runoff, cell_area=25.0)
        assert np.array_equal(reused.depth, fresh.depth, equal_nan=True)
        assert reused.outflow_m3 == fresh.outflow_m3 and reused.inflow_m3 == fresh.inflow_m3
        assert np.array_equal(reused.stored_m3, fresh.stored_m3)
    # more runoff never lowers the water anywhere (fill-spill-merge is monotone)
    low, high = engine(0.01), engine(0.05)
    assert (np.nan_to_num(high.depth) >= np.nan_to_num(low.depth) - 1e-6).all()
