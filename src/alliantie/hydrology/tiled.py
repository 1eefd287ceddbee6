"""Depression filling of elevation models larger than memory, in tiles on Dask.

A real tiled algorithm (Barnes 2016, "Parallel priority-flood depression filling
for trillion cell digital elevation models on desktops or clusters", Computers &
Geosciences 96, 56-68), giving exactly the in-memory result of
:func:`alliantie.hydrology.fill_depressions` (no epsilon gradient):

1. **Tile step** (in parallel): each tile is filled on its own with its edge as
   outlets (the in-memory fill); each cell gets the label of the tile-edge cell it
   drains to (a breadth-first search up the filled surface from the edge), and the
   lowest spill elevation between each pair of touching labels is kept. A tile
   hands on only this small summary: its label count, the label pairs with spill
   elevations, and the labels and elevations of its four edge rows/columns.
2. **Graph step** (one task, small): the labels of all tiles form one graph;
   cells on the grid edge or next to nodata belong to the outlet node ("ocean"),
   tile seams add an edge between every pair of touching edge cells (8-connected,
   corners included), and an edge cell next to nodata across a seam is joined to
   the ocean. A priority-flood on the graph gives each label the lowest level its
   water must reach to leave the grid.
3. **Apply step** (in parallel): the edge cells of each tile are raised to their
   labels' levels, which makes them their true filled elevations; the tile is then
   filled in memory (:func:`alliantie.hydrology.fill_depressions`, the fast kernel)
   with its edge as outlets, which gives the true filled elevation inside too.
   Nothing from step 1 but the summaries is kept, so memory stays bounded by a few
   tiles per worker (Barnes's "evict" strategy).

Nodata cells (NaN, or the ``nodata`` value) are outlets and stay nodata; the
grid edge is an outlet; 8-connectivity.

Two entry points: :func:`fill_depressions_tiled` on arrays (numpy, Dask,
DataArray; lazy Dask result) and :func:`fill_geotiff_tiled`, file to file window
by window with rasterio, never holding the whole DEM.
"""

from __future__ import annotations

import itertools
import os
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from alliantie.errors import InputDataError
from alliantie.hydrology import _tiled_kernels as kernels
from alliantie.hydrology import _xarray

#: Tile size used when a numpy array is chunked for you (cells per side).
DEFAULT_CHUNK = 2048

__all__ = ["DEFAULT_CHUNK", "fill_depressions_tiled", "fill_geotiff_tiled"]


# --------------------------------------------------------------------------- tile pieces


@dataclass(frozen=True)
class Sides:
    """Which sides of a tile are the edge of the whole grid (outlets)."""

    top: bool
    bottom: bool
    left: bool
    right: bool

    @classmethod
    def of(cls, i: int, j: int, n_rows: int, n_cols: int) -> Sides:
        return cls(i == 0, i == n_rows - 1, j == 0, j == n_cols - 1)


@dataclass(frozen=True)
class TileSummary:
    """What step 1 hands on for one tile (small: proportional to the tile's perimeter)."""

    n_labels: int
    edge_a: np.ndarray
    edge_b: np.ndarray
    edge_w: np.ndarray
    top_labels: np.ndarray
    top_values: np.ndarray
    bottom_labels: np.ndarray
    bottom_values: np.ndarray
    left_labels: np.ndarray
    left_values: np.ndarray
    right_labels: np.ndarray
    right_values: np.ndarray


@dataclass(frozen=True)
class Levels:
    """Result of the graph step: for each tile, the global fill level of its four edge rows/columns.

    ``edges[i][j]`` is ``(top, bottom, left, right)``: float64 arrays with, per edge cell,
    the level its label must reach (``-inf`` where the cell drains freely or is nodata).
    """

    edges: list[list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]]
    n_nodes: int


def nodata_mask(block: np.ndarray, nodata: Any) -> np.ndarray:
    """True where ``block`` is nodata: NaN (float arrays) and cells equal to ``nodata`` (as in-memory)."""
    return _xarray.nodata_mask(block, nodata)


def _as_tile(block: np.ndarray) -> np.ndarray:
    block = np.ascontiguousarray(block)
    if block.ndim != 2:
        raise InputDataError("hydrology_tiled.not_2d", shape=str(block.shape))
    return block


def tile_summary(block: np.ndarray, nodata: Any, sides: Sides) -> TileSummary:
    """Step 1 for one tile: fill with the tile edge as outlets; keep labels, spill edges and edge strips."""
    from alliantie.hydrology.api import fill_depressions

    block = _as_tile(block)
    if block.size >= 2**31:
        raise ValueError(f"a tile of {block.shape} cells is too large; use tiles under 2**31 cells (e.g. 8192 x 8192)")
    filled = fill_depressions(block, nodata)
    mask = nodata_mask(block, nodata)
    labels, n_labels, edge_a, edge_b, edge_w = kernels.label_tile(
        filled, mask, sides.top, sides.bottom, sides.left, sides.right
    )
    return TileSummary(
        n_labels=int(n_labels),
        edge_a=edge_a,
        edge_b=edge_b,
        edge_w=edge_w,
        top_labels=labels[0].copy(),
        top_values=filled[0].astype(np.float64),
        bottom_labels=labels[-1].copy(),
        bottom_values=filled[-1].astype(np.float64),
        left_labels=labels[:, 0].copy(),
        left_values=filled[:, 0].astype(np.float64),
        right_labels=labels[:, -1].copy(),
        right_values=filled[:, -1].astype(np.float64),
    )


def apply_tile(block: np.ndarray, nodata: Any, levels: Levels, i: int, j: int) -> np.ndarray:
    """Step 3 for one tile: raise its edge cells to their global levels, then fill it in memory.

    With every tile-edge cell at its true filled elevation, filling the tile with its edge
    as outlets (:func:`alliantie.hydrology.fill_depressions`) gives the true filled
    elevation of every interior cell too: water inside the tile leaves either through an
    outlet inside the tile or over an edge cell, at that edge cell's level or higher.
    """
    from alliantie.hydrology.api import fill_depressions

    raised = np.array(_as_tile(block), copy=True)
    top, bottom, left, right = levels.edges[i][j]
    for index, level in (
        ((0, slice(None)), top),
        ((-1, slice(None)), bottom),
        ((slice(None), 0), left),
        ((slice(None), -1), right),
    ):
        current = raised[index]
        raised[index] = np.where(level > current, level, current).astype(raised.dtype)
    return fill_depressions(raised, nodata)


def _global_ids(local: np.ndarray, offset: int) -> np.ndarray:
    """Local labels to global ids: nodata -> -1, ocean -> 0, label l >= 2 -> offset + l - 1."""
    out = local.astype(np.int64) + (offset - 1)
    out[local == kernels.OCEAN] = 0
    out[local == 0] = -1
    return out


def _seam_edges(
    a_ids: np.ndarray, a_values: np.ndarray, b_ids: np.ndarray, b_values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges between two facing strips of cells (8-connected: offsets -1, 0, +1 along the seam)."""
    us, vs, ws = [], [], []
    n = a_ids.shape[0]
    for shift in (-1, 0, 1):
        lo, hi = max(0, -shift), min(n, n - shift)
        if hi <= lo:
            continue
        ua, va = a_ids[lo:hi], a_values[lo:hi]
        ub, vb = b_ids[lo + shift : hi + shift], b_values[lo + shift : hi + shift]
        both = (ua >= 0) & (ub >= 0) & (ua != ub)
        us.append(ua[both])
        vs.append(ub[both])
        ws.append(np.maximum(va[both], vb[both]))
        # an edge cell next to nodata across the seam is an outlet: join it to the ocean
        for cell, value, other in ((ua, va, ub), (ub, vb, ua)):
            out = (cell > 0) & (other < 0)
            us.append(cell[out])
            vs.append(np.zeros(int(out.sum()), np.int64))
            ws.append(value[out])
    if not us:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(us), np.concatenate(vs), np.concatenate(ws)


def solve_tiles(summaries: Sequence[Sequence[TileSummary]]) -> Levels:
    """Step 2: the global label graph of all tiles, solved by a priority-flood from the outlets."""
    n_rows, n_cols = len(summaries), len(summaries[0])
    offsets = np.zeros((n_rows, n_cols), np.int64)
    total = 0
    for i in range(n_rows):
        for j in range(n_cols):
            offsets[i, j] = total
            total += max(summaries[i][j].n_labels - 2, 0)
    n_nodes = total + 1

    us, vs, ws = [], [], []
    for i in range(n_rows):
        for j in range(n_cols):
            s = summaries[i][j]
            if s.edge_a.size:
                us.append(_global_ids(s.edge_a, int(offsets[i, j])))
                vs.append(_global_ids(s.edge_b, int(offsets[i, j])))
                ws.append(s.edge_w)

    def ids(i: int, j: int, which: str) -> np.ndarray:
        return _global_ids(getattr(summaries[i][j], f"{which}_labels"), int(offsets[i, j]))

    def values(i: int, j: int, which: str) -> np.ndarray:
        return np.asarray(getattr(summaries[i][j], f"{which}_values"))

    # vertical seams: right column of tile column j against left column of tile column j+1, full height
    for j in range(n_cols - 1):
        a_ids = np.concatenate([ids(i, j, "right") for i in range(n_rows)])
        a_val = np.concatenate([values(i, j, "right") for i in range(n_rows)])
        b_ids = np.concatenate([ids(i, j + 1, "left") for i in range(n_rows)])
        b_val = np.concatenate([values(i, j + 1, "left") for i in range(n_rows)])
        u, v, w = _seam_edges(a_ids, a_val, b_ids, b_val)
        us.append(u)
        vs.append(v)
        ws.append(w)
    # horizontal seams: bottom row of tile row i against top row of tile row i+1, full width
    for i in range(n_rows - 1):
        a_ids = np.concatenate([ids(i, j, "bottom") for j in range(n_cols)])
        a_val = np.concatenate([values(i, j, "bottom") for j in range(n_cols)])
        b_ids = np.concatenate([ids(i + 1, j, "top") for j in range(n_cols)])
        b_val = np.concatenate([values(i + 1, j, "top") for j in range(n_cols)])
        u, v, w = _seam_edges(a_ids, a_val, b_ids, b_val)
        us.append(u)
        vs.append(v)
        ws.append(w)

    if us:
        edge_u = np.concatenate(us).astype(np.int64)
        edge_v = np.concatenate(vs).astype(np.int64)
        edge_w = np.concatenate(ws).astype(np.float64)
    else:
        edge_u = edge_v = np.zeros(0, np.int64)
        edge_w = np.zeros(0)
    level = kernels.solve_levels(n_nodes, edge_u, edge_v, edge_w)
    level[0] = -np.inf
    padded = np.concatenate([[-np.inf], level])  # index 0: nodata (global id -1)

    def strip(i: int, j: int, which: str) -> np.ndarray:
        return padded[ids(i, j, which) + 1]

    edges = [
        [(strip(i, j, "top"), strip(i, j, "bottom"), strip(i, j, "left"), strip(i, j, "right")) for j in range(n_cols)]
        for i in range(n_rows)
    ]
    return Levels(edges=edges, n_nodes=n_nodes)


def _bounds(chunks: Sequence[int]) -> list[tuple[int, int]]:
    edges = np.concatenate([[0], np.cumsum(chunks)]).astype(int)
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges)]


def fill_blocks_numpy(dem: np.ndarray, nodata: Any, row_chunks: Sequence[int], col_chunks: Sequence[int]) -> np.ndarray:
    """The three steps run one after another on a numpy array cut into the given chunks (no Dask).

    For tests and small arrays; the result equals :func:`fill_depressions_tiled`'s.
    """
    dem = np.asarray(dem)
    rows, cols = _bounds(row_chunks), _bounds(col_chunks)
    if rows[-1][1] != dem.shape[0] or cols[-1][1] != dem.shape[1]:
        raise ValueError(f"chunks {row_chunks}, {col_chunks} do not cover shape {dem.shape}")
    summaries = [
        [
            tile_summary(dem[r0:r1, c0:c1], nodata, Sides.of(i, j, len(rows), len(cols)))
            for j, (c0, c1) in enumerate(cols)
        ]
        for i, (r0, r1) in enumerate(rows)
    ]
    levels = solve_tiles(summaries)
    out = np.empty_like(dem)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            out[r0:r1, c0:c1] = apply_tile(dem[r0:r1, c0:c1], nodata, levels, i, j)
    return out


# --------------------------------------------------------------------------- Dask arrays


def _resolve_nodata(dem: Any, nodata: Any) -> Any:
    """``nodata`` if given, else the DataArray's ``_FillValue``/``nodata`` (attrs, then encoding), as in-memory."""
    if nodata is not None:
        return nodata
    return _xarray._metadata_nodata(dem)


def _fill_dask(data: Any, nodata: Any) -> Any:
    import dask
    import dask.array as da
    from dask.graph_manipulation import bind

    if data.ndim != 2:
        raise InputDataError("hydrology_tiled.not_2d", shape=str(data.shape))
    n_rows, n_cols = data.numblocks
    blocks = data.to_delayed()
    summary_task = dask.delayed(tile_summary, pure=True)
    summaries = [
        [summary_task(blocks[i, j], nodata, Sides.of(i, j, n_rows, n_cols)) for j in range(n_cols)]
        for i in range(n_rows)
    ]
    levels = dask.delayed(solve_tiles, pure=True)(summaries)
    # a fresh copy of the input graph that runs after the solve: the input blocks are read again
    # for step 3 instead of being held in memory from step 1 to step 3
    again = bind(data, levels).to_delayed()
    apply_task = dask.delayed(apply_tile, pure=True)
    out = [
        [
            da.from_delayed(
                apply_task(again[i, j], nodata, levels, i, j),
                shape=(data.chunks[0][i], data.chunks[1][j]),
                dtype=data.dtype,
            )
            for j in range(n_cols)
        ]
        for i in range(n_rows)
    ]
    return da.block(out)


def fill_depressions_tiled(dem: Any, nodata: Any = None, *, chunks: int | tuple[Any, ...] | None = None) -> Any:
    """Fill all depressions of a DEM tile by tile on Dask; exactly :func:`fill_depressions`'s result.

    ``dem``: a 2-D Dask array (its chunks are the tiles, unless ``chunks`` is given), a
    numpy array (chunked in tiles of ``chunks``, default :data:`DEFAULT_CHUNK`) or an
    xarray DataArray (Dask-backed ones stay lazy; coordinates and attrs are kept).
    ``nodata``: the nodata value; ``None`` means NaN is nodata (float arrays) or there is
    none (integer arrays); for a DataArray, ``attrs["nodata"]`` or ``attrs["_FillValue"]``
    is used when given. Nodata cells and the grid edge are outlets; nodata stays nodata.

    Returns a lazy Dask array (or a DataArray backed by one) of the input's dtype. Computing
    it runs the three steps of Barnes (2016); see the module docstring.

    >>> import numpy as np
    >>> dem = np.array([[5, 5, 5, 5], [5, 1, 2, 5], [5, 2, 1, 5], [5, 5, 4, 5]], dtype="float32")
    >>> fill_depressions_tiled(dem, chunks=2).compute()
    array([[5., 5., 5., 5.],
           [5., 4., 4., 5.],
           [5., 4., 4., 5.],
           [5., 5., 4., 5.]], dtype=float32)
    """
    import dask.array as da
    import xarray as xr

    if isinstance(dem, xr.DataArray):
        nodata = _resolve_nodata(dem, nodata)
        data = dem.data
        if not isinstance(data, da.Array):
            data = da.from_array(np.asarray(data), chunks=chunks or DEFAULT_CHUNK)
        elif chunks is not None:
            data = data.rechunk(chunks)
        return dem.copy(data=_fill_dask(data, nodata))
    if isinstance(dem, da.Array):
        return _fill_dask(dem if chunks is None else dem.rechunk(chunks), nodata)
    array = np.asarray(dem)
    if array.ndim != 2:
        raise InputDataError("hydrology_tiled.not_2d", shape=str(array.shape))
    return _fill_dask(da.from_array(array, chunks=chunks or DEFAULT_CHUNK), nodata)


# --------------------------------------------------------------------------- GeoTIFF to GeoTIFF


def _windows(height: int, width: int, tile: int) -> list[list[tuple[int, int, int, int]]]:
    """(row, col, height, width) of each tile, tile rows first."""
    return [
        [(r, c, min(tile, height - r), min(tile, width - c)) for c in range(0, width, tile)]
        for r in range(0, height, tile)
    ]


def _read_window(path: str, band: int, window: tuple[int, int, int, int]) -> np.ndarray:
    import rasterio
    from rasterio.windows import Window

    r, c, h, w = window
    try:
        with rasterio.open(path) as src:
            return src.read(band, window=Window(c, r, w, h))
    except rasterio.errors.RasterioIOError as exc:  # a truncated or damaged file: the header opened, a block did not
        raise InputDataError("errors.raster_unreadable", what="DEM", path=path, detail=str(exc)) from exc


def _summary_from_file(
    path: str, band: int, window: tuple[int, int, int, int], nodata: Any, sides: Sides
) -> TileSummary:
    return tile_summary(_read_window(path, band, window), nodata, sides)


def _apply_to_file(
    src_path: str,
    dst_path: str,
    band: int,
    window: tuple[int, int, int, int],
    nodata: Any,
    levels: Levels,
    i: int,
    j: int,
    lock: Any,
) -> int:
    import rasterio
    from rasterio.windows import Window

    filled = apply_tile(_read_window(src_path, band, window), nodata, levels, i, j)
    r, c, h, w = window
    with lock, rasterio.open(dst_path, "r+") as dst:
        dst.write(filled, 1, window=Window(c, r, w, h))
    return int(filled.size)


class _LocalLock:
    """A process-local lock that survives being passed through Dask's threaded scheduler."""

    _locks: ClassVar[dict[str, threading.Lock]] = {}

    def __init__(self, name: str) -> None:
        self.name = name
        self._locks.setdefault(name, threading.Lock())

    def __enter__(self) -> None:
        self._locks[self.name].acquire()

    def __exit__(self, *exc: object) -> None:
        self._locks[self.name].release()


def fill_geotiff_tiled(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str],
    *,
    tile: int = 4096,
    client: Any = None,
    band: int = 1,
    nodata: Any = None,
    num_workers: int | None = None,
    compress: str | None = "deflate",
) -> Path:
    """Fill a GeoTIFF DEM into a new GeoTIFF, window by window, with bounded memory.

    Each task reads one ``tile`` x ``tile`` window itself (the DEM is never held whole):
    step 1 per window, the small graph solve, then step 3 per window, writing into
    ``dst_path`` (a tiled GeoTIFF, 512-cell blocks, ``compress``) under a lock. With a
    ``dask.distributed`` ``client`` the windows run on its workers (a distributed lock
    guards the writes; all workers must see both paths); without one they run on Dask's
    threaded scheduler with ``num_workers`` threads (the kernels release the GIL).

    ``nodata``: overrides the file's nodata value (``None``: the file's; a float file
    without one uses NaN). Memory per worker thread is some 20-30 bytes per tile cell
    (input, filled copy, labels, queues), e.g. about 0.5 GB for ``tile=4096``.
    Returns ``dst_path``.
    """
    import dask
    import rasterio

    src_path, dst = str(src_path), Path(dst_path)
    try:
        with rasterio.open(src_path) as src:
            profile = src.profile.copy()
            height, width = src.height, src.width
            file_nodata = src.nodatavals[band - 1] if band <= src.count else None
            if band > src.count:
                raise InputDataError("errors.raster_band", what="DEM", path=src_path, count=src.count, band=band)
    except rasterio.errors.RasterioIOError as exc:
        raise InputDataError("errors.raster_unreadable", what="DEM", path=src_path, detail=str(exc)) from exc
    if nodata is None:
        nodata = file_nodata
    if tile < 1:
        raise ValueError("tile must be at least 1")

    profile.update(driver="GTiff", count=1, BIGTIFF="IF_SAFER")
    if min(height, width) >= 512:
        profile.update(tiled=True, blockxsize=512, blockysize=512)
    else:
        profile.update(tiled=False)
        profile.pop("blockxsize", None)
        profile.pop("blockysize", None)
    if compress:
        profile.update(compress=compress)
    else:
        profile.pop("compress", None)
    if nodata is not None:
        profile.update(nodata=nodata)
    elif np.issubdtype(np.dtype(profile["dtype"]), np.floating):
        profile.update(nodata=float("nan"))
    dst.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(dst, "w", **profile):
        pass  # created empty; windows are written by the apply tasks

    windows = _windows(height, width, tile)
    n_rows, n_cols = len(windows), len(windows[0])
    summary_task = dask.delayed(_summary_from_file, pure=True)
    summaries = [
        [summary_task(src_path, band, windows[i][j], nodata, Sides.of(i, j, n_rows, n_cols)) for j in range(n_cols)]
        for i in range(n_rows)
    ]
    levels = dask.delayed(solve_tiles, pure=True)(summaries)
    name = f"alliantie-fill-{uuid.uuid4().hex}"
    if client is not None:
        from distributed import Lock

        lock: Any = Lock(name)
    else:
        lock = _LocalLock(name)
    apply_task = dask.delayed(_apply_to_file, pure=False)
    writes = [
        apply_task(src_path, str(dst), band, windows[i][j], nodata, levels, i, j, lock)
        for i in range(n_rows)
        for j in range(n_cols)
    ]
    if client is not None:
        written = client.gather(client.compute(writes))
    else:
        written = dask.compute(*writes, scheduler="threads", num_workers=num_workers)
    assert sum(written) == height * width
    return dst
