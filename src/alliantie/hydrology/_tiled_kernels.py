"""Numba kernels of the tiled depression fill (Barnes 2016), numpy in and out, no I/O.

Barnes, R. (2016). Parallel priority-flood depression filling for trillion cell
digital elevation models on desktops or clusters. Computers & Geosciences 96, 56-68.

The kernels of the first two steps (the fills themselves are the in-memory
:func:`alliantie.hydrology.fill_depressions`; see :mod:`alliantie.hydrology.tiled`):

1. :func:`label_tile` takes a tile filled on its own (its edge and nodata as
   outlets, by the fast in-memory fill) and labels each cell by the tile-edge seed
   it drains to; seeds that are real outlets (on the grid edge, or next to nodata
   inside the tile) share label 1, the *ocean*. For each pair of labels that touch
   (8-connected) the lowest spill elevation ``max(F[a], F[b])`` is kept.
2. :func:`solve_levels` runs a priority-flood on the graph of all tiles' labels
   (edges inside tiles plus edges across tile seams) from the ocean node 0,
   giving each label the lowest level its water must reach to leave the grid.

The result equals the in-memory priority-flood fill exactly: all values are
input elevations, only compared, never computed.

Label 0 means nodata. Cells are indexed ``row * ncols + col``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.typed import Dict

from alliantie.hydrology._fill import _heap_pop, _heap_push  # the same growing binary min-heap

OCEAN = 1

_DR = (-1, -1, 0, 1, 1, 1, 0, -1)
_DC = (0, 1, 1, 1, 0, -1, -1, -1)


@njit(cache=True, nogil=True)
def label_tile(filled, nodata_mask, top_is_edge, bottom_is_edge, left_is_edge, right_is_edge):
    """Label the cells of a tile filled with its own edge as outlets by the edge cell they drain to.

    ``filled``: the tile filled with only its edge (and nodata) as outlets;
    ``nodata_mask``: True where nodata; ``*_is_edge``: whether that side of the tile is
    the edge of the whole grid.

    Seeds are the tile-edge cells and the cells next to nodata. Seeds that are real
    outlets (grid edge, nodata inside the tile) get label 1, the ocean; every other
    seed gets its own label (2, 3, ...). A breadth-first search from the seeds that
    only steps to neighbours whose filled elevation is not lower gives every valid
    cell a label (in a filled tile each cell has such a path down to a seed), and
    each cell is joined to its seed by cells no higher than its own filled elevation.

    Returns ``(labels, n_labels, edge_a, edge_b, edge_w)``: int32 labels (0 = nodata),
    the number of labels used (the largest label + 1) and the touching label pairs
    ``a < b`` with their lowest spill elevation ``max(F[a], F[b])`` (float64).
    """
    nr, nc = filled.shape
    labels = np.zeros((nr, nc), np.int32)
    queue = np.empty(nr * nc, np.int32)  # tiles hold fewer than 2**31 cells (checked by the caller)
    head = 0
    tail = 0
    next_label = 2
    for r in range(nr):
        for c in range(nc):
            if nodata_mask[r, c]:
                continue
            on_side = r == 0 or r == nr - 1 or c == 0 or c == nc - 1
            outlet = (
                (r == 0 and top_is_edge)
                or (r == nr - 1 and bottom_is_edge)
                or (c == 0 and left_is_edge)
                or (c == nc - 1 and right_is_edge)
            )
            if not outlet:
                for k in range(8):
                    rr = r + _DR[k]
                    cc = c + _DC[k]
                    if 0 <= rr < nr and 0 <= cc < nc and nodata_mask[rr, cc]:
                        outlet = True
                        break
            if outlet:
                labels[r, c] = OCEAN
            elif on_side:
                labels[r, c] = next_label
                next_label += 1
            else:
                continue
            queue[tail] = r * nc + c
            tail += 1

    while head < tail:
        idx = queue[head]
        head += 1
        r = idx // nc
        c = idx - r * nc
        lab = labels[r, c]
        level = filled[r, c]
        for k in range(8):
            rr = r + _DR[k]
            cc = c + _DC[k]
            if rr < 0 or rr >= nr or cc < 0 or cc >= nc:
                continue
            if labels[rr, cc] != 0 or nodata_mask[rr, cc] or filled[rr, cc] < level:
                continue
            labels[rr, cc] = lab
            queue[tail] = rr * nc + cc
            tail += 1

    # every pair of touching cells with different labels: E, SE, S, SW of each cell
    edges = Dict.empty(key_type=types.int64, value_type=types.float64)
    for r in range(nr):
        for c in range(nc):
            lab = labels[r, c]
            if lab == 0:
                continue
            for k in range(4):
                rr = r + (0, 1, 1, 1)[k]
                cc = c + (1, 1, 0, -1)[k]
                if rr >= nr or cc < 0 or cc >= nc:
                    continue
                other = labels[rr, cc]
                if other == 0 or other == lab:
                    continue
                spill = np.float64(max(filled[r, c], filled[rr, cc]))
                key = (np.int64(min(lab, other)) << 32) | np.int64(max(lab, other))
                if key in edges:
                    if spill < edges[key]:
                        edges[key] = spill
                else:
                    edges[key] = spill

    n_edges = len(edges)
    edge_a = np.empty(n_edges, np.int32)
    edge_b = np.empty(n_edges, np.int32)
    edge_w = np.empty(n_edges, np.float64)
    i = 0
    for key, w in edges.items():
        edge_a[i] = np.int32(key >> 32)
        edge_b[i] = np.int32(key & 0xFFFFFFFF)
        edge_w[i] = w
        i += 1  # noqa: SIM113 (numba: no enumerate over typed dict items)
    return labels, next_label, edge_a, edge_b, edge_w


@njit(cache=True, nogil=True)
def solve_levels(n_nodes, edge_u, edge_v, edge_w):
    """Priority-flood on the label graph from the ocean (node 0).

    Nodes ``0..n_nodes-1``; undirected edges ``(u, v)`` with spill elevation ``w``.
    Returns each node's level: the lowest elevation its water must reach to leave
    the grid (``-inf`` for the ocean; ``+inf`` for a node with no way out, which
    does not happen on a valid graph).
    """
    m = edge_u.shape[0]
    degree = np.zeros(n_nodes + 1, np.int64)
    for i in range(m):
        degree[edge_u[i] + 1] += 1
        degree[edge_v[i] + 1] += 1
    start = np.cumsum(degree)
    fill_pos = start[:-1].copy()
    nbr = np.empty(2 * m, np.int64)
    wt = np.empty(2 * m, np.float64)
    for i in range(m):
        u = edge_u[i]
        v = edge_v[i]
        nbr[fill_pos[u]] = v
        wt[fill_pos[u]] = edge_w[i]
        fill_pos[u] += 1
        nbr[fill_pos[v]] = u
        wt[fill_pos[v]] = edge_w[i]
        fill_pos[v] += 1

    level = np.full(n_nodes, np.inf)
    closed = np.zeros(n_nodes, np.uint8)
    keys = np.empty(64, np.float64)
    vals = np.empty(64, np.int64)
    size = 0
    level[0] = -np.inf
    keys, vals, size = _heap_push(keys, vals, size, -np.inf, 0)
    while size > 0:
        lev, node, size = _heap_pop(keys, vals, size)
        if closed[node]:
            continue
        closed[node] = 1
        for j in range(start[node], start[node + 1]):
            other = nbr[j]
            if closed[other]:
                continue
            candidate = max(lev, wt[j])
            if candidate < level[other]:
                level[other] = candidate
                keys, vals, size = _heap_push(keys, vals, size, candidate, other)
    return level
