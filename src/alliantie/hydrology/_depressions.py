"""Numba kernels for the depression hierarchy (Barnes, Callaghan & Wickert 2021, part 2).

numpy and numba only; no I/O. Arrays are 2-D, row 0 = north, 8-connectivity.

One priority-flood over the raw elevations builds everything in a single pass:

* Seeds are the *ocean* (label 0): cells on the grid edge and cells next to a nodata
  cell. Nodata cells themselves get label -1 and are never entered.
* Every other cell without a strictly lower data neighbour is a pit cell; connected
  groups of pit cells of equal elevation form one *leaf* depression (ids 1..P).
* Cells are popped in order of non-decreasing elevation (a heap plus a plain FIFO
  queue for cells of the same elevation as the one being popped). An unlabelled
  neighbour takes the label of the cell that reaches it first, i.e. of its lowest
  neighbour: the label of a cell is the leaf whose catchment it drains to.
* When a popped cell meets an already popped neighbour of another depression, the
  pair is a saddle at the popped cell's elevation. Because cells are popped in
  elevation order, saddles arrive in spill order, so the depressions are merged on
  the fly with a union-find (Kruskal): two depressions make a new meta-depression
  (their parent); a depression that meets the ocean (or a depression already
  linked to the ocean) becomes a top-level depression (parent 0) that spills there.
* Each popped cell adds its elevation to the depression that is the root of its set
  at that time; cells at exactly the later spill elevation are taken out again, so
  per depression we know the number of cells strictly below its spill elevation
  and their summed elevation: capacity = n * spill - sum(z).

Node ids: leaves 1..P, meta-depressions P+1..D in order of creation, so a child has
a smaller id than its parent. Id 0 is the ocean (edge and nodata).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llvmlite import ir  # numba's own code generator (a numba dependency)
from numba import config as numba_config
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

_DR = np.array([0, 1, 1, 1, 0, -1, -1, -1], dtype=np.int64)
_DC = np.array([1, 1, 0, -1, -1, -1, 0, 1], dtype=np.int64)


def _prefetch_impl(typingctx, arr, idx):
    """Hint the CPU to load ``arr[idx]`` into the cache (LLVM ``prefetch``; no effect on results)."""
    sig = types.void(arr, idx)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0i8")
        builder.call(fn, [builder.bitcast(ptr, i8p), ir.Constant(i32, 0), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return sig, codegen


def _no_prefetch(arr: Any, idx: Any) -> None:
    """Pure-Python stand-in (``NUMBA_DISABLE_JIT=1``)."""


_prefetch: Any = _no_prefetch if getattr(numba_config, "DISABLE_JIT", False) else intrinsic(_prefetch_impl)

# An 8-ary min-heap of packed ``(key << 32) | cell`` items in one array: the eight
# children of an item share one cache line, so a pop touches few lines.
_ARITY = 8


@njit(cache=True, inline="always")
def _heap_push(heap, size, item):
    i = size
    while i > 0:
        parent = (i - 1) >> 3
        pv = heap[parent]
        if pv <= item:
            break
        heap[i] = pv
        i = parent
    heap[i] = item
    return size + 1


@njit(cache=True, inline="always")
def _heap_pop(heap, size):
    """Remove the root; returns the new size (read ``heap[0]`` before)."""
    size -= 1
    item = heap[size]
    i = 0
    while True:
        first = (i << 3) + 1
        if first >= size:
            break
        last = min(first + _ARITY, size)
        best = first
        bv = heap[first]
        for j in range(first + 1, last):
            hv = heap[j]
            if hv < bv:
                bv = hv
                best = j
        if item <= bv:
            break
        heap[i] = bv
        i = best
    heap[i] = item
    return size


@njit(cache=True)
def float32_keys(dem, nodata_mask):
    """uint32 keys with the order of float32 elevations (-0.0 == +0.0; nodata 0)."""
    nrows, ncols = dem.shape
    bits = dem.view(np.uint32)
    out = np.zeros((nrows, ncols), dtype=np.uint32)
    for r in range(nrows):
        for c in range(ncols):
            if nodata_mask[r, c]:
                continue
            b = bits[r, c]
            if b == np.uint32(0x80000000):
                b = np.uint32(0)
            if b & np.uint32(0x80000000):
                out[r, c] = ~b
            else:
                out[r, c] = b | np.uint32(0x80000000)
    return out


@njit(cache=True)
def _find(uf, x):
    root = x
    while uf[root] != root:
        root = uf[root]
    while uf[x] != root:
        nxt = uf[x]
        uf[x] = root
        x = nxt
    return root


@njit(cache=True)
def _nodata_mask(dem, nodata, nodata_is_nan):
    nrows, ncols = dem.shape
    mask = np.zeros((nrows, ncols), dtype=np.bool_)
    for r in range(nrows):
        for c in range(ncols):
            v = dem[r, c]
            if nodata_is_nan:
                mask[r, c] = np.isnan(v)
            else:
                mask[r, c] = v == nodata or np.isnan(v)
    return mask


@njit(cache=True, inline="always")
def _lab(v):
    """The label (int32) in the low half of a packed cell."""
    low = np.int64(v & np.uint64(0xFFFFFFFF))
    if low >= 2147483648:
        low -= 4294967296
    return low


@njit(cache=True, inline="always")
def _with_lab(v, lab):
    return (v & np.uint64(0xFFFFFFFF00000000)) | np.uint64(np.int64(lab) & 0xFFFFFFFF)


@njit(cache=True)
def _link_to_ocean(pend_a, pend_b, n_pend, z, uf, top_z, top_n, n_below, sum_below, spill, odep, parent, merged):
    """Make the depressions of the pending saddles at elevation ``z`` spill to the ocean."""
    for t in range(n_pend):
        a = pend_a[t]
        b = pend_b[t]
        ra = _find(uf, a) if a > 0 else 0
        rb = _find(uf, b) if b > 0 else 0
        if ra == rb:
            continue
        x = rb if ra == 0 else ra
        if top_z[x] == z:  # cells at the spill elevation are not below it
            n_below[x] -= top_n[x]
            sum_below[x] -= z * top_n[x]
            top_n[x] = 0
        spill[x] = z
        odep[x] = a if ra == 0 else b
        parent[x] = 0
        merged[x] = True
        uf[x] = 0


@njit(cache=True)
def depression_hierarchy_kernel(dem, zkey, nodata_mask, key_is_bits):
    """Label cells and build the depression tree.

    ``zkey`` is a uint32 per cell with the same order (and ties) as ``dem``; when
    ``key_is_bits`` it is the order-preserving bit pattern of the float32 elevation
    (see :func:`float32_keys`) and the elevation of a popped cell is decoded from it
    instead of read from ``dem`` (one cache miss less per cell). The
    flood works on one packed uint64 per cell, ``(key << 32) | label`` (label -2 =
    not reached yet, -1 = nodata), so a neighbour costs one memory access, and on
    heap items ``(key << 32) | cell``. A labelled neighbour whose key is not above
    the current one has been popped or is popped at the current level: the saddle
    between the two is the current elevation, so merges happen in spill order.

    Returns ``(labels, parent, lchild, rchild, odep, pit_elev, spill, n_below,
    sum_below, catchment, n_leaves, n_nodes)``; the per-node arrays have length
    ``n_nodes + 1`` (index 0 = ocean). ``n_below``/``sum_below`` count the cells
    strictly below the spill elevation, inclusive of children.
    """
    nrows, ncols = dem.shape
    n = nrows * ncols
    cell = np.empty(n, dtype=np.uint64)
    high = np.uint64(32)
    for r in range(nrows):
        for c in range(ncols):
            i = r * ncols + c
            if nodata_mask[r, c]:
                cell[i] = np.uint64(0xFFFFFFFF)  # key 0, label -1
            else:
                cell[i] = (np.uint64(zkey[r, c]) << high) | np.uint64(0xFFFFFFFE)  # label -2

    # --- seeds (ocean, label 0) and pit cells (label -3) ---------------------------
    n_start = 0
    for r in range(nrows):
        for c in range(ncols):
            i = r * ncols + c
            v = cell[i]
            if _lab(v) == -1:
                continue
            if r == 0 or c == 0 or r == nrows - 1 or c == ncols - 1:
                cell[i] = _with_lab(v, 0)
                n_start += 1
                continue
            z = v >> high
            lower = False
            seed = False
            for k in range(8):
                w = cell[i + _DR[k] * ncols + _DC[k]]
                if _lab(w) == -1:
                    seed = True
                    break
                if (w >> high) < z:
                    lower = True
            if seed:
                cell[i] = _with_lab(v, 0)
                n_start += 1
            elif not lower:
                cell[i] = _with_lab(v, -3)
                n_start += 1

    # seeds and pit cells enter through a sorted stream merged with the heap, so the
    # heap only holds the flood front. Queued cells get their label at once.
    start = np.empty(max(n_start, 1), dtype=np.uint64)
    n_in = 0
    stack = np.empty(max(n_start, 1), dtype=np.int64)
    n_leaves = 0
    for i in range(n):
        v = cell[i]
        lab = _lab(v)
        if lab == 0:
            start[n_in] = (v & np.uint64(0xFFFFFFFF00000000)) | np.uint64(i)
            n_in += 1
        elif lab == -3:
            # a new leaf: the 8-connected group of pit cells of equal elevation,
            # unless the group touches a cell of the same elevation that drains
            # (a flat with an exit): such a flat is left to the flood
            n_leaves += 1
            z = v >> high
            cell[i] = _with_lab(v, n_leaves)
            stack[0] = i
            top = 1
            first = n_in
            drains = False
            while top > 0:
                top -= 1
                idx = stack[top]
                start[n_in] = (z << high) | np.uint64(idx)
                n_in += 1
                r0 = idx // ncols
                c0 = idx - r0 * ncols
                for k in range(8):
                    rr = r0 + _DR[k]
                    cc = c0 + _DC[k]
                    j = rr * ncols + cc
                    w = cell[j]
                    if (w >> high) != z:
                        continue
                    other = _lab(w)
                    if other == -3:
                        cell[j] = _with_lab(w, n_leaves)
                        stack[top] = j
                        top += 1
                    elif other == 0 or other == -2:
                        drains = True
            if drains:
                for t in range(first, n_in):
                    j = np.int64(start[t] & np.uint64(0xFFFFFFFF))
                    cell[j] = _with_lab(cell[j], -2)
                n_in = first
                n_leaves -= 1
    start = np.sort(start[:n_in])

    max_nodes = 2 * n_leaves + 1
    parent = np.zeros(max_nodes, dtype=np.int64)
    lchild = np.zeros(max_nodes, dtype=np.int64)
    rchild = np.zeros(max_nodes, dtype=np.int64)
    odep = np.zeros(max_nodes, dtype=np.int64)
    pit_elev = np.full(max_nodes, np.inf, dtype=np.float64)
    spill = np.full(max_nodes, np.inf, dtype=np.float64)
    n_below = np.zeros(max_nodes, dtype=np.int64)
    sum_below = np.zeros(max_nodes, dtype=np.float64)
    top_z = np.full(max_nodes, -np.inf, dtype=np.float64)
    top_n = np.zeros(max_nodes, dtype=np.int64)
    catchment = np.zeros(max_nodes, dtype=np.int64)
    uf = np.arange(max_nodes).astype(np.int64)
    merged = np.zeros(max_nodes, dtype=np.bool_)
    n_nodes = n_leaves

    heap = np.empty(4096, dtype=np.uint64)
    size = 0
    pos = 0
    fifo = np.empty(max(n, 1), dtype=np.int64)
    head = 0
    tail = 0
    low32 = np.uint64(0xFFFFFFFF)
    inv_ncols = 1.0 / ncols
    cand = np.empty(8, dtype=np.uint64)
    pend_a = np.empty(64, dtype=np.int64)
    pend_b = np.empty(64, dtype=np.int64)
    n_pend = 0
    pend_key = np.uint64(0)
    pend_z = 0.0
    cand_lab = np.empty(8, dtype=np.int64)
    bitbuf = np.zeros(1, dtype=np.uint32)
    fbuf = bitbuf.view(np.float32)
    sign = np.uint64(0x80000000)
    while size > 0 or head < tail or pos < n_in:
        if head < tail:
            idx = fifo[head]
            head += 1
            if head == tail:
                head = 0
                tail = 0
        elif pos < n_in and (size == 0 or start[pos] <= heap[0]):
            idx = np.int64(start[pos] & low32)
            pos += 1
        else:
            idx = np.int64(heap[0] & low32)
            size = _heap_pop(heap, size)
            if size > 0:
                # the next cell from the heap: fetch its three rows while this one is done
                nxt = np.int64(heap[0] & low32)
                if nxt >= ncols and nxt + ncols < n:
                    _prefetch(cell, nxt - ncols)
                    _prefetch(cell, nxt)
                    _prefetch(cell, nxt + ncols)
        # row and column without a 64-bit division (slow on many CPUs)
        r0 = np.int64(idx * inv_ncols)
        if r0 * ncols > idx:
            r0 -= 1
        elif (r0 + 1) * ncols <= idx:
            r0 += 1
        c0 = idx - r0 * ncols
        v = cell[idx]
        zk = v >> high
        lab = _lab(v)
        if n_pend > 0 and zk != pend_key:
            _link_to_ocean(
                pend_a, pend_b, n_pend, pend_z, uf, top_z, top_n, n_below, sum_below, spill, odep, parent, merged
            )
            n_pend = 0
        if key_is_bits:
            if zk & sign:
                bitbuf[0] = np.uint32(zk ^ sign)
            else:
                bitbuf[0] = ~np.uint32(zk)
            z = np.float64(fbuf[0])
        else:
            z = np.float64(dem[r0, c0])
        if lab > 0:
            catchment[lab] += 1
            if pit_elev[lab] == np.inf:
                pit_elev[lab] = z
            root = _find(uf, lab)
            if root > 0:
                n_below[root] += 1
                sum_below[root] += z
                if z == top_z[root]:
                    top_n[root] += 1
                else:
                    top_z[root] = z
                    top_n[root] = 1
        interior = r0 > 0 and c0 > 0 and r0 < nrows - 1 and c0 < ncols - 1
        n_cand = 0
        for k in range(8):
            if interior:
                j = idx + _DR[k] * ncols + _DC[k]
            else:
                rr = r0 + _DR[k]
                cc = c0 + _DC[k]
                if rr < 0 or cc < 0 or rr >= nrows or cc >= ncols:
                    continue
                j = rr * ncols + cc
            w = cell[j]
            other = _lab(w)
            if other == -2:
                cell[j] = _with_lab(w, lab)
                zn = w >> high
                if zn <= zk:
                    fifo[tail] = j
                    tail += 1
                else:
                    if size == heap.shape[0]:
                        bigger = np.empty(2 * size, dtype=np.uint64)
                        bigger[:size] = heap
                        heap = bigger
                    size = _heap_push(heap, size, (zn << high) | np.uint64(j))
            elif other >= 0 and other != lab and (w >> high) <= zk:
                cand[n_cand] = (w & np.uint64(0xFFFFFFFF00000000)) | np.uint64(k)
                cand_lab[k] = other
                n_cand += 1
        # saddles of this cell, lowest neighbour first (water at a saddle runs to
        # its lowest neighbour; this settles ties between equal saddles)
        if n_cand > 1:
            cand[:n_cand].sort()
        for t in range(n_cand):
            other = cand_lab[np.int64(cand[t] & low32)]
            ra = _find(uf, lab) if lab > 0 else 0
            rb = _find(uf, other) if other > 0 else 0
            if ra == rb:
                continue
            if ra == 0 or rb == 0:
                # links to the ocean wait until every saddle at this elevation has
                # merged depressions: at a pass where a depression meets both the
                # ocean and a neighbour at the same level, the two merge and fill
                # together before the water leaves
                if n_pend == pend_a.shape[0]:
                    pend_a = np.concatenate((pend_a, np.empty_like(pend_a)))
                    pend_b = np.concatenate((pend_b, np.empty_like(pend_b)))
                pend_a[n_pend] = lab
                pend_b[n_pend] = other
                n_pend += 1
                pend_key = zk
                pend_z = z
            else:
                # saddle at z between set ra (this cell) and set rb (neighbour).
                # Cells at exactly the saddle elevation are not below the children's
                # spill; they belong to the merged depression.
                moved = 0
                for which in range(2):
                    x = ra if which == 0 else rb
                    if top_z[x] == z:
                        moved += top_n[x]
                        n_below[x] -= top_n[x]
                        sum_below[x] -= z * top_n[x]
                        top_n[x] = 0
                n_nodes += 1
                m = n_nodes
                lchild[m] = ra
                rchild[m] = rb
                parent[ra] = m
                parent[rb] = m
                spill[ra] = z
                spill[rb] = z
                odep[ra] = other
                odep[rb] = lab
                merged[ra] = True
                merged[rb] = True
                pit_elev[m] = min(pit_elev[ra], pit_elev[rb])
                n_below[m] = moved
                sum_below[m] = z * moved
                top_z[m] = z
                top_n[m] = moved
                uf[ra] = m
                uf[rb] = m

    if n_pend > 0:
        _link_to_ocean(
            pend_a, pend_b, n_pend, pend_z, uf, top_z, top_n, n_below, sum_below, spill, odep, parent, merged
        )

    labels = np.empty((nrows, ncols), dtype=np.int32)
    for r in range(nrows):
        for c in range(ncols):
            labels[r, c] = _lab(cell[r * ncols + c])

    # roots that never met the ocean (cannot happen on a grid with an edge, kept safe)
    for x in range(1, n_nodes + 1):
        if not merged[x] and uf[x] == x:
            parent[x] = 0
            odep[x] = 0
            if top_z[x] > -np.inf:
                spill[x] = top_z[x]
                n_below[x] -= top_n[x]
                sum_below[x] -= top_z[x] * top_n[x]
            else:
                spill[x] = pit_elev[x]

    # inclusive sums (children have smaller ids than their parents)
    for x in range(1, n_nodes + 1):
        p = parent[x]
        if p > 0:
            n_below[p] += n_below[x]
            sum_below[p] += sum_below[x]
            catchment[p] += catchment[x]

    k = n_nodes + 1
    return (
        labels,
        parent[:k].copy(),
        lchild[:k].copy(),
        rchild[:k].copy(),
        odep[:k].copy(),
        pit_elev[:k].copy(),
        spill[:k].copy(),
        n_below[:k].copy(),
        sum_below[:k].copy(),
        catchment[:k].copy(),
        n_leaves,
        n_nodes,
    )


@njit(cache=True)
def bluespot_kernel(dem, labels, spill):
    """Leaf id where a cell lies strictly below its leaf's spill elevation, else 0."""
    nrows, ncols = dem.shape
    out = np.zeros((nrows, ncols), dtype=np.int32)
    for r in range(nrows):
        for c in range(ncols):
            lab = labels[r, c]
            if lab > 0 and dem[r, c] < spill[lab]:
                out[r, c] = lab
    return out
