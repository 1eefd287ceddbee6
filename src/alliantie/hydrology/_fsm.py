"""Numba kernels for fill-spill-merge (Barnes, Callaghan & Wickert 2021, part 3).

numpy and numba only; no I/O. Works on the tree made by
:func:`alliantie.hydrology._depressions.depression_hierarchy_kernel` (node 0 = ocean,
children have smaller ids than their parents).

Water is stored per node in its own *layer*: for a leaf the volume below its spill
elevation, for a meta-depression the volume between its children's (common) spill
elevation and its own spill elevation. A layer can only take water when the node is
a leaf or both its children are full, so the "room" of a node is local and no sums
over subtrees need updating while water moves.

Runoff is added leaf by leaf. Water put on a node fills its layer; the excess
leaves a full node over its spill saddle: into the sibling's subtree (entering at
the leaf on the other side of the saddle) if the sibling still has room, into the
parent's layer if the sibling is full too, and for a top-level node into the
depression across its saddle or the ocean (0). Where water from a full node goes is
remembered in a jump table with path compression, so long chains of full
depressions are crossed in near-constant time. Fullness only grows, and the old
jump targets stay valid routes, so the result does not depend on the order in which
the leaves are processed.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _next_hop(x, parent, lchild, rchild, odep, full):
    p = parent[x]
    if p == 0:
        return odep[x]
    sib = rchild[p] if lchild[p] == x else lchild[p]
    if not full[sib]:
        return odep[x]
    return p


@njit(cache=True)
def _resolve(x, full, jump, path):
    """First node on the route from ``x`` that is not full (0 = ocean)."""
    n = 0
    y = x
    while y != 0 and full[y]:
        path[n] = y
        n += 1
        y = jump[y]
    for i in range(n - 1):
        jump[path[i]] = y
    return y


@njit(cache=True)
def route_water_kernel(leaf_inflow, parent, lchild, rchild, odep, layer_cap):
    """Fill, spill and merge the leaf inflows (m³) through the tree.

    Returns ``(layer_water, full, outflow)``: water in each node's own layer (m³),
    whether the node is full, and the water that reached the ocean (m³).
    """
    k = parent.shape[0]
    layer = np.zeros(k, dtype=np.float64)
    full = np.zeros(k, dtype=np.bool_)
    jump = np.zeros(k, dtype=np.int64)
    path = np.empty(k + 1, dtype=np.int64)
    outflow = 0.0
    for leaf in range(1, k):
        water = leaf_inflow[leaf]
        if water <= 0.0:
            continue
        x = _resolve(leaf, full, jump, path)
        while True:
            if x == 0:
                outflow += water
                break
            room = layer_cap[x] - layer[x]
            if water < room:
                layer[x] += water
                break
            layer[x] = layer_cap[x]
            water -= room
            full[x] = True
            jump[x] = _next_hop(x, parent, lchild, rchild, odep, full)
            if water <= 0.0:
                break
            x = _resolve(x, full, jump, path)
    return layer, full, outflow


@njit(cache=True)
def leaf_inflow_kernel(labels, runoff, scalar_runoff, use_scalar, n_nodes, cell_area):
    """Runoff volume (m³) per leaf, to the ocean directly (label 0), and in total."""
    nrows, ncols = labels.shape
    inflow = np.zeros(n_nodes + 1, dtype=np.float64)
    total = 0.0
    for r in range(nrows):
        for c in range(ncols):
            lab = labels[r, c]
            if lab < 0:
                continue
            v = scalar_runoff if use_scalar else runoff[r, c]
            if v > 0.0:
                w = v * cell_area
                inflow[lab] += w
                total += w
    to_ocean = inflow[0]
    inflow[0] = 0.0
    return inflow, to_ocean, total


@njit(cache=True)
def _level(seg, target, top):
    """Water level over cells of sorted elevations ``seg`` holding ``target`` (m³ per cell area), at most ``top``:
    the piecewise linear volume curve solved."""
    m = seg.shape[0]
    csum = 0.0
    h = top
    for j in range(m):
        csum += seg[j]
        # volume with j+1 cells flooded at the next cell's elevation
        nxt = seg[j + 1] if j + 1 < m else top
        if (j + 1) * nxt - csum >= target:
            h = (target + csum) / (j + 1)
            break
    if h > top:
        h = top
    return h


@njit(cache=True)
def levels_kernel(dem, labels, parent, lchild, rchild, spill, full, layer, cap_incl, cell_area):
    """Water level per node and the depth raster.

    A full node stands at its spill elevation. A node that holds water in its layer
    without being full (a leaf, or a meta-depression whose children are full) has a
    level ``h`` where the volume below ``h`` over its cells equals its water: the
    elevations of its cells below the spill elevation are sorted and the piecewise
    linear volume curve is solved. The level of a cell's lake is the highest level
    among its leaf and the leaf's ancestors.
    """
    nrows, ncols = dem.shape
    k = parent.shape[0]
    # partially filled nodes: their subtrees are disjoint
    part = np.zeros(k, dtype=np.int64)  # id of the partially filled ancestor-or-self
    for x in range(k - 1, 0, -1):
        p = parent[x]
        if p > 0 and part[p] > 0:
            part[x] = part[p]
        elif (not full[x]) and layer[x] > 0.0:
            part[x] = x
    counts = np.zeros(k + 1, dtype=np.int64)
    for r in range(nrows):
        for c in range(ncols):
            lab = labels[r, c]
            if lab > 0:
                q = part[lab]
                if q > 0 and dem[r, c] < spill[q]:
                    counts[q + 1] += 1
    for i in range(1, k + 1):
        counts[i] += counts[i - 1]
    buf = np.empty(counts[k], dtype=np.float64)
    fillpos = counts[:k].copy()
    for r in range(nrows):
        for c in range(ncols):
            lab = labels[r, c]
            if lab > 0:
                q = part[lab]
                if q > 0 and dem[r, c] < spill[q]:
                    buf[fillpos[q]] = dem[r, c]
                    fillpos[q] += 1
    own = np.full(k, -np.inf, dtype=np.float64)
    for x in range(1, k):
        if full[x]:
            own[x] = spill[x]
        elif part[x] == x:
            lo = counts[x]
            hi = counts[x + 1]
            water = layer[x]
            if lchild[x] > 0:
                water += cap_incl[lchild[x]] + cap_incl[rchild[x]]  # the full children below
            own[x] = _level(np.sort(buf[lo:hi]), water / cell_area, spill[x])
    eff = np.full(k, -np.inf, dtype=np.float64)
    for x in range(k - 1, 0, -1):
        p = parent[x]
        e = own[x]
        if p > 0 and eff[p] > e:
            e = eff[p]
        eff[x] = e
    depth = np.zeros((nrows, ncols), dtype=np.float32)
    for r in range(nrows):
        for c in range(ncols):
            lab = labels[r, c]
            if lab < 0:
                depth[r, c] = np.nan
            elif lab > 0:
                d = eff[lab] - dem[r, c]
                if d > 0.0:
                    depth[r, c] = d
    return depth, eff, own


@njit(cache=True)
def stored_kernel(layer, parent):
    """Water per node including its children (children have smaller ids)."""
    stored = layer.copy()
    for x in range(1, parent.shape[0]):
        p = parent[x]
        if p > 0:
            stored[p] += stored[x]
    return stored


# --------------------------------------------------------------------------- incremental re-routing


@njit(cache=True)
def leaf_delta_kernel(labels_flat, cells, delta_m, n_nodes, cell_area):
    """Change of the runoff volume (m³) per leaf, to the ocean, and in total, from a change on some cells."""
    inflow = np.zeros(n_nodes + 1, dtype=np.float64)
    total = 0.0
    for i in range(cells.shape[0]):
        lab = labels_flat[cells[i]]
        if lab < 0:
            continue
        w = delta_m[i] * cell_area
        inflow[lab] += w
        total += w
    to_ocean = inflow[0]
    inflow[0] = 0.0
    return inflow, to_ocean, total


@njit(cache=True)
def _partial(parent, full, layer):
    """Id of the partially filled ancestor-or-self of every node (0 none), as in :func:`levels_kernel`."""
    k = parent.shape[0]
    part = np.zeros(k, dtype=np.int64)
    for x in range(k - 1, 0, -1):
        p = parent[x]
        if p > 0 and part[p] > 0:
            part[x] = part[p]
        elif (not full[x]) and layer[x] > 0.0:
            part[x] = x
    return part


@njit(cache=True)
def _solve_level(x, dem_flat, order, starts, lchild, rchild, spill, layer, cap_incl, cell_area):
    """Level of the partially filled node ``x`` from the elevations of its subtree's cells below its spill."""
    # the leaves of x's subtree
    stack = np.empty(lchild.shape[0] + 1, dtype=np.int64)
    n = 0
    stack[n] = x
    n += 1
    count = 0
    leaves = np.empty(lchild.shape[0], dtype=np.int64)
    m_leaves = 0
    while n > 0:
        n -= 1
        y = stack[n]
        if lchild[y] > 0:
            stack[n] = lchild[y]
            n += 1
            stack[n] = rchild[y]
            n += 1
        else:
            leaves[m_leaves] = y
            m_leaves += 1
            count += starts[y + 1] - starts[y]
    buf = np.empty(count, dtype=np.float64)
    m = 0
    top = spill[x]
    for i in range(m_leaves):
        leaf = leaves[i]
        for j in range(starts[leaf], starts[leaf + 1]):
            z = dem_flat[order[j]]
            if z < top:
                buf[m] = z
                m += 1
    water = layer[x]
    if lchild[x] > 0:
        water += cap_incl[lchild[x]] + cap_incl[rchild[x]]
    return _level(np.sort(buf[:m]), water / cell_area, top)


@njit(cache=True)
def relevel_kernel(
    dem_flat,
    order,
    starts,
    parent,
    lchild,
    rchild,
    spill,
    cap_incl,
    cell_area,
    full0,
    layer0,
    own0,
    eff0,
    full1,
    layer1,
):
    """Node levels after a re-routing, recomputed only where the water changed.

    ``order``/``starts``: the cells sorted by leaf label (cells of leaf ``l`` are
    ``order[starts[l]:starts[l + 1]]``). Nodes whose fullness, layer or partial
    status changed get a new own level (the volume curve is solved again for a
    partially filled one); the effective level is then carried down their
    subtrees. Returns the new own and effective levels and a mask of the leaves
    whose cells may have a new depth.
    """
    k = parent.shape[0]
    part0 = _partial(parent, full0, layer0)
    part1 = _partial(parent, full1, layer1)
    own = own0.copy()
    changed = np.zeros(k, dtype=np.bool_)
    for x in range(1, k):
        if full0[x] != full1[x] or layer0[x] != layer1[x] or (part0[x] == x) != (part1[x] == x):
            changed[x] = True
            if full1[x]:
                own[x] = spill[x]
            elif part1[x] == x:
                own[x] = _solve_level(x, dem_flat, order, starts, lchild, rchild, spill, layer1, cap_incl, cell_area)
            else:
                own[x] = -np.inf
    affected = changed.copy()
    eff = eff0.copy()
    for x in range(k - 1, 0, -1):
        p = parent[x]
        if p > 0 and affected[p]:
            affected[x] = True
        if affected[x]:
            e = own[x]
            if p > 0 and eff[p] > e:
                e = eff[p]
            eff[x] = e
    leaves = np.zeros(k, dtype=np.bool_)
    for x in range(1, k):
        if affected[x] and lchild[x] == 0:
            leaves[x] = True
    return own, eff, leaves


@njit(cache=True)
def leaf_depths_kernel(dem_flat, order, starts, leaves, eff):
    """Cells of the marked leaves and their depth ``max(eff[leaf] - dem, 0)`` (float32)."""
    count = 0
    for leaf in range(leaves.shape[0]):
        if leaves[leaf]:
            count += starts[leaf + 1] - starts[leaf]
    cells = np.empty(count, dtype=np.int64)
    depth = np.empty(count, dtype=np.float32)
    m = 0
    for leaf in range(leaves.shape[0]):
        if leaves[leaf]:
            e = eff[leaf]
            for j in range(starts[leaf], starts[leaf + 1]):
                c = order[j]
                cells[m] = c
                d = e - dem_flat[c]
                depth[m] = d if d > 0.0 else 0.0
                m += 1
    return cells, depth
