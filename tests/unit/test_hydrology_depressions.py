"""The depression hierarchy: capacities, parents, labels and catchments on analytic DEMs."""

from __future__ import annotations

import numpy as np
import pytest

from alliantie.errors import InputDataError
from alliantie.hydrology.depressions import depression_hierarchy
from alliantie.testing.dems import two_bowls


def square_pit(size: int = 7, pit: int = 3, top: float = 10.0, bottom: float = 9.0) -> np.ndarray:
    dem = np.full((size, size), top)
    a = (size - pit) // 2
    dem[a : a + pit, a : a + pit] = bottom
    return dem


def test_square_pit_capacity_and_table() -> None:
    h = depression_hierarchy(square_pit(), cell_area=4.0)
    t = h.table
    assert t["id"].tolist() == [1]
    assert t["parent"].tolist() == [0]
    assert t["is_leaf"].tolist() == [True]
    assert t["pit_elevation"][0] == 9.0
    assert t["spill_elevation"][0] == 10.0
    assert t["capacity_m3"][0] == pytest.approx(9 * 1.0 * 4.0)
    assert t["flooded_cells"][0] == 9
    assert t["max_depth_m"][0] == 1.0
    assert t["outlet"][0] == 0
    # the 5 x 5 interior drains to the pit, the edge ring to the outside
    assert t["catchment_cells"][0] == 25
    assert (h.labels[1:-1, 1:-1] == 1).all()
    assert h.labels[0].tolist() == [0] * 7
    assert int((h.bluespot == 1).sum()) == 9
    assert h.labels.dtype == np.int32 and h.bluespot.dtype == np.int32


def test_two_bowls_merge_parent_and_children() -> None:
    h = depression_hierarchy(two_bowls())
    t = h.table
    assert t["is_leaf"].tolist() == [True, True, False]
    a, b, m = 1, 2, 3  # leaves are numbered in raster order: A (west) first
    assert t["pit_elevation"].tolist() == [10.0, 5.0, 5.0]
    assert t["parent"].tolist() == [m, m, 0]
    assert (t["lchild"][m - 1], t["rchild"][m - 1]) in ((a, b), (b, a))
    assert t["spill_elevation"].tolist() == [12.0, 12.0, 20.0]
    assert t["capacity_m3"].tolist() == pytest.approx([18.0, 63.0, 18.0 + 63.0 + 8.0 * 21])
    assert t["flooded_cells"].tolist() == [9, 9, 21]
    assert t["outlet"][a - 1] == b and t["outlet"][b - 1] == a and t["outlet"][m - 1] == 0
    assert t["catchment_cells"][m - 1] == t["catchment_cells"][a - 1] + t["catchment_cells"][b - 1]
    assert int((h.bluespot == a).sum()) == 9 and int((h.bluespot == b).sum()) == 9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_labels_sum_to_catchments(seed: int) -> None:
    rng = np.random.default_rng(seed)
    dem = rng.random((40, 50)) * 5
    dem[rng.random(dem.shape) < 0.03] = np.nan
    h = depression_hierarchy(dem)
    t = h.table
    labels = h.labels
    counts = np.bincount(labels[labels > 0], minlength=len(t["id"]) + 1)[1:]
    leaves = t["is_leaf"]
    assert (counts[leaves] == t["catchment_cells"][leaves]).all()
    assert (counts[~leaves] == 0).all()
    top = t["parent"] == 0
    assert t["catchment_cells"][top].sum() + (labels == 0).sum() + (labels == -1).sum() == dem.size
    assert ((labels == -1) == np.isnan(dem)).all()
    # a meta-depression holds its children: capacity, cells, catchment
    for i in np.flatnonzero(~leaves):
        lc, rc = t["lchild"][i] - 1, t["rchild"][i] - 1
        assert t["capacity_m3"][i] >= t["capacity_m3"][lc] + t["capacity_m3"][rc] - 1e-9
        assert t["catchment_cells"][i] == t["catchment_cells"][lc] + t["catchment_cells"][rc]
        assert t["spill_elevation"][lc] == t["spill_elevation"][rc] <= t["spill_elevation"][i]
    # capacity = volume below the spill elevation over the cells of the (sub)tree
    for i in range(len(t["id"])):
        ids = _subtree_leaves(t, i + 1)
        cells = np.isin(labels, ids) & (dem < t["spill_elevation"][i])
        expected = float((t["spill_elevation"][i] - dem[cells]).sum())
        assert t["capacity_m3"][i] == pytest.approx(expected, abs=1e-9)
        assert t["flooded_cells"][i] == int(cells.sum())
    # bluespot = inside the leaf below its spill
    spill = np.concatenate([[np.inf], t["spill_elevation"]])
    inside = (labels > 0) & (np.nan_to_num(dem, nan=np.inf) < spill[np.maximum(labels, 0)])
    assert ((h.bluespot > 0) == inside).all()
    assert (h.bluespot[inside] == labels[inside]).all()


def _subtree_leaves(t: dict[str, np.ndarray], node: int) -> list[int]:
    if t["is_leaf"][node - 1]:
        return [node]
    return _subtree_leaves(t, int(t["lchild"][node - 1])) + _subtree_leaves(t, int(t["rchild"][node - 1]))


def test_float32_keys_match_float64_of_the_same_values() -> None:
    rng = np.random.default_rng(5)
    dem = rng.random((30, 30)) * 3
    h64 = depression_hierarchy(dem + 1e-9 * rng.random((30, 30)))  # not float32-exact: rank keys
    d32 = dem.astype(np.float32)
    h32 = depression_hierarchy(d32)
    h32as64 = depression_hierarchy(d32.astype(np.float64))  # float32-exact: bit keys
    assert (h32.labels == h32as64.labels).all()
    np.testing.assert_allclose(h32.table["capacity_m3"], h32as64.table["capacity_m3"], rtol=1e-6)
    t = h64.table
    assert (t["spill_elevation"] >= t["pit_elevation"]).all()
    assert (t["capacity_m3"] >= 0).all()


def test_nodata_value_and_integers() -> None:
    dem = square_pit().astype(np.int32) * 10
    dem[3, 3] = -9999  # nodata in the middle of the pit: the pit drains into it
    h = depression_hierarchy(dem, nodata=-9999)
    assert h.labels[3, 3] == -1
    assert h.table["id"].size == 0
    assert (h.bluespot == 0).all()


def test_flat_dem_has_no_capacity() -> None:
    h = depression_hierarchy(np.full((6, 8), 3.0))
    assert (h.table["capacity_m3"] == 0).all()
    assert (h.bluespot == 0).all()


def test_dataarray_in_and_out() -> None:
    xr = pytest.importorskip("xarray")
    da = xr.DataArray(
        square_pit(), dims=("y", "x"), coords={"y": np.arange(7)[::-1], "x": np.arange(7)}, attrs={"units": "m"}
    )
    h = depression_hierarchy(da)
    assert isinstance(h.labels, xr.DataArray) and isinstance(h.bluespot, xr.DataArray)
    assert (h.labels.x == da.x).all() and h.labels.attrs["units"] == "m"
    assert int(h.bluespot.sum()) == 9


def test_errors() -> None:
    with pytest.raises(InputDataError):
        depression_hierarchy(np.zeros((2, 3, 4)))
    with pytest.raises(InputDataError):
        depression_hierarchy(np.zeros((3, 4)), cell_area=0.0)
    with pytest.raises(InputDataError):
        depression_hierarchy(np.array([["a", "b"], ["c", "d"]]))
