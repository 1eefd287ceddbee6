"""*Gebied stuurt*: the structure carriers joined by green links, as least-cost paths over green ground.

Method (``[green_links]`` of ``inspiration_rules.toml``):

1. the carrier patches: structure carriers of at least ``min_carrier_ha``; carriers
   that overlap or touch form one patch (they are joined already);
2. a resistance per cell from the vegetation groups (nature 1 ... built-up land
   50), averaged onto cells of ``cell_m`` (at least the dossier's cell), no way
   outside the study area;
3. one multi-source Dijkstra search from every patch cell over the 8-connected
   grid (scipy.sparse.csgraph): each cell gets the cost to its nearest patch and
   which patch that is (cost-weighted allocation); two patches are neighbours
   where their allocation zones meet, their link cost is the least sum of both
   costs over the meeting edges (the least-cost path between them);
4. the links kept are those of the minimum spanning tree of that neighbour
   graph (each patch joined to the network by its cheapest links, no loops), and
   only when the path is at most ``max_link_m`` long.

The paths follow the cheapest ground: through forest, heath and parks, along
grassland, around built-up land. This is the least-cost path method of
Adriaensen et al. (2003) with the allocation-based neighbour network that
Linkage Mapper builds (McRae and Kavanagh 2011), without its corridor widths.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import rasterio.features
import shapely
from affine import Affine
from scipy import sparse
from scipy.sparse import csgraph
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from alliantie.grid import Grid
from alliantie.method.inspiration.knowledge import GreenLinks

#: Resistance of a cell whose vegetation group has none in the table (no data inside the study area).
UNKNOWN_RESISTANCE = 50.0


@dataclass(frozen=True)
class Patch:
    """A patch of the carrier network: one or more touching carriers."""

    geometry: BaseGeometry
    names: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    """A green link between two patches."""

    a: int
    b: int
    geometry: LineString
    length_m: float
    cost: float  #: resistance-weighted length (m)
    green_share: float  #: share of the path on cells of resistance at most 1 (nature, urban green)


def carrier_patches(geometries: Sequence[BaseGeometry], names: Sequence[str], min_area_m2: float) -> list[Patch]:
    """Carriers of at least ``min_area_m2``, touching ones merged, largest first."""
    kept = [(g, n) for g, n in zip(geometries, names, strict=True) if g is not None and g.area >= min_area_m2]
    if not kept:
        return []
    merged = shapely.union_all([g for g, _ in kept])
    parts = list(getattr(merged, "geoms", [merged]))
    out = []
    for part in parts:
        inside = tuple(sorted({n for g, n in kept if g.intersects(part)}))
        out.append(Patch(part, inside))
    return sorted(out, key=lambda p: -p.geometry.area)


def resistance_grid(landuse: np.ndarray, valid: np.ndarray, codes: Mapping[str, int],
                    resistance: Mapping[str, float]) -> np.ndarray:
    """Resistance per cell (NaN outside the study area)."""
    lut = np.full(256, UNKNOWN_RESISTANCE, dtype=np.float64)
    for group, value in resistance.items():
        if group not in codes:
            raise ValueError(f"inspiration_rules.toml: unknown vegetation group {group!r} (known: {sorted(codes)})")
        lut[codes[group]] = value
    out = lut[landuse.astype(np.uint8)]
    return np.where(valid, out, np.nan)


def coarsen(values: np.ndarray, factor: int) -> np.ndarray:
    """Block means of ``factor`` x ``factor`` cells (NaN where a block has no value)."""
    if factor == 1:
        return values.copy()
    rows, cols = values.shape
    padded = np.full((math.ceil(rows / factor) * factor, math.ceil(cols / factor) * factor), np.nan)
    padded[:rows, :cols] = values
    blocks = padded.reshape(padded.shape[0] // factor, factor, padded.shape[1] // factor, factor)
    count = np.isfinite(blocks).sum(axis=(1, 3))
    total = np.nansum(blocks, axis=(1, 3))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _graph(cost: np.ndarray, cell: float) -> sparse.csr_matrix:
    """8-connected grid graph: edge weight = mean resistance of both cells x step length."""
    rows, cols = cost.shape
    index = np.arange(rows * cols).reshape(rows, cols)
    finite = np.isfinite(cost)
    heads, tails, weights = [], [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        r0, r1 = 0, rows - dr
        c0, c1 = max(0, -dc), cols - max(0, dc)
        a = (slice(r0, r1), slice(c0, c1))
        b = (slice(r0 + dr, r1 + dr), slice(c0 + dc, c1 + dc))
        ok = finite[a] & finite[b]
        step = cell * (math.sqrt(2.0) if dr and dc else 1.0)
        w = (cost[a] + cost[b]) / 2.0 * step
        heads.append(index[a][ok])
        tails.append(index[b][ok])
        weights.append(w[ok])
    h, t, w = np.concatenate(heads), np.concatenate(tails), np.concatenate(weights)
    n = rows * cols
    return sparse.coo_matrix((np.concatenate([w, w]), (np.concatenate([h, t]), np.concatenate([t, h]))),
                             shape=(n, n)).tocsr()


def _path(node: int, predecessors: np.ndarray) -> list[int]:
    out = [node]
    while predecessors[out[-1]] >= 0:
        out.append(int(predecessors[out[-1]]))
    return out


def green_links(patches_: Sequence[Patch], landuse: np.ndarray, valid: np.ndarray, codes: Mapping[str, int],
                grid: Grid, rules: GreenLinks) -> list[Link]:
    """The green links between the carrier patches (see the module text)."""
    if len(patches_) < 2:
        return []
    factor = max(1, round(rules.cell_m.value / grid.res))
    cell = grid.res * factor
    cost = coarsen(resistance_grid(landuse, valid, codes, rules.resistance.values()), factor)
    transform = grid.transform @ Affine.scale(factor)
    labels = rasterio.features.rasterize(
        [(p.geometry, i + 1) for i, p in enumerate(patches_)], out_shape=cost.shape, transform=transform,
        fill=0, dtype="int32", all_touched=True)
    labels[~np.isfinite(cost)] = 0
    sources = np.flatnonzero(labels.ravel())
    if not len(np.unique(labels.ravel()[sources])) >= 2:
        return []
    graph = _graph(cost, cell)
    dist, pred, src = csgraph.dijkstra(graph, directed=False, indices=sources, min_only=True,
                                       return_predecessors=True)
    flat = labels.ravel()
    owner = np.where(src >= 0, flat[np.maximum(src, 0)], 0)
    coo = graph.tocoo()
    u, v, w = coo.row, coo.col, coo.data
    meet = (owner[u] > 0) & (owner[v] > 0) & (owner[u] != owner[v]) & (u < v)
    u, v, w = u[meet], v[meet], w[meet]
    total = dist[u] + w + dist[v]
    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    for a, b, c in zip(u.tolist(), v.tolist(), total.tolist(), strict=True):
        pa, pb = int(owner[a]), int(owner[b])
        key = (min(pa, pb), max(pa, pb))
        if key not in best or c < best[key][0]:
            best[key] = (c, a, b)
    if not best:
        return []
    k = len(patches_)
    keys = list(best)
    tree = csgraph.minimum_spanning_tree(sparse.coo_matrix(
        ([best[key][0] + 1e-9 for key in keys], ([key[0] - 1 for key in keys], [key[1] - 1 for key in keys])),
        shape=(k, k)).tocsr()).tocoo()
    links: list[Link] = []
    resolution = cost.ravel()
    for i, j in sorted(zip(tree.row.tolist(), tree.col.tolist(), strict=True)):
        key = (min(i, j) + 1, max(i, j) + 1)
        c, a, b = best[key]
        nodes = _path(a, pred)[::-1] + _path(b, pred)
        rows_, cols_ = np.divmod(np.asarray(nodes), cost.shape[1])
        xs = transform.c + (cols_ + 0.5) * transform.a
        ys = transform.f + (rows_ + 0.5) * transform.e
        line = LineString(np.column_stack([xs, ys])) if len(nodes) > 1 else LineString([(xs[0], ys[0])] * 2)
        line = line.simplify(cell / 2.0)
        if line.length > rules.max_link_m.value or line.length == 0:
            continue
        green = float(np.mean(resolution[np.asarray(nodes)] <= 1.0 + 1e-9))
        links.append(Link(key[0] - 1, key[1] - 1, line, round(line.length, 1), round(float(c), 1), round(green, 3)))
    return links
