"""D8 flow direction and flow accumulation kernels (numba, numpy only).

:func:`d8_padded` works on the padded, flattened grids described in
:mod:`alliantie.hydrology._fill` (``flag``: 0 valid, 1 frame or nodata).
:func:`accumulate` works on a plain 2-D grid of D8 codes.

D8 codes (ESRI): E=1, SE=2, S=4, SW=8, W=16, NW=32, N=64, NE=128, 0 no outflow,
255 nodata. Neighbour index ``k`` (0..7) runs E, SE, S, SW, W, NW, N, NE, so
the code of direction ``k`` is ``1 << k``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from alliantie.hydrology._fill import neighbour_offsets

NODATA_CODE = 255
_INV_SQRT2 = 1.0 / np.sqrt(2.0)
# row and column steps of direction k (E, SE, S, SW, W, NW, N, NE)
_DR = np.array([0, 1, 1, 1, 0, -1, -1, -1], dtype=np.int64)
_DC = np.array([1, 1, 0, -1, -1, -1, 0, 1], dtype=np.int64)
# order in which an outlet cell without a lower neighbour picks its way out: E, S, W, N, SE, SW, NW, NE
_OUT_ORDER = np.array([0, 2, 4, 6, 1, 3, 5, 7], dtype=np.int64)


def _lookup_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code 0..255: kind (0 invalid, 1 direction, 2 no outflow, 3 nodata), row step, column step."""
    kind = np.zeros(256, dtype=np.uint8)
    dr = np.zeros(256, dtype=np.int64)
    dc = np.zeros(256, dtype=np.int64)
    for k in range(8):
        kind[1 << k] = 1
        dr[1 << k] = _DR[k]
        dc[1 << k] = _DC[k]
    kind[0] = 2
    kind[NODATA_CODE] = 3
    return kind, dr, dc


_KIND, _CODE_DR, _CODE_DC = _lookup_tables()


@njit(cache=True)
def d8_padded(z, flag, nrows, ncols):
    """D8 codes (uint8, flat, unpadded ``nrows * ncols``) of a padded, flattened DEM."""
    w = ncols + 2
    off = neighbour_offsets(w)
    code = np.zeros(z.shape[0], np.uint8)
    nflat = 0
    for r in range(1, nrows + 1):
        edge_row = r == 1 or r == nrows
        for c in range(1, ncols + 1):
            p = r * w + c
            if flag[p] != 0:
                code[p] = NODATA_CODE
                continue
            zp = z[p]
            best = 0.0
            bk = -1
            for k in range(8):
                n = p + off[k]
                if flag[n] != 0:
                    continue
                d = zp - z[n]
                if d > 0:
                    dd = d * _INV_SQRT2 if k & 1 else d * 1.0
                    if dd > best:
                        best = dd
                        bk = k
            if bk >= 0:
                code[p] = np.uint8(1 << bk)
                continue
            edge = edge_row or c == 1 or c == ncols
            for j in range(8):
                k = _OUT_ORDER[j]
                n = p + off[k]
                if flag[n] == 0:
                    continue
                if edge:
                    rr = r + _DR[k]
                    cc = c + _DC[k]
                    if not (rr == 0 or rr == nrows + 1 or cc == 0 or cc == ncols + 1):
                        continue
                bk = k
                break
            if bk >= 0:
                code[p] = np.uint8(1 << bk)
            else:
                nflat += 1
    if nflat > 0:
        _resolve_flats(z, flag, code, nrows, ncols, nflat)
    out = np.empty(nrows * ncols, np.uint8)
    for r in range(nrows):
        src = (r + 1) * w + 1
        dst = r * ncols
        for c in range(ncols):
            out[dst + c] = code[src + c]
    return out


@njit(cache=True)
def _resolve_flats(z, flag, code, nrows, ncols, nflat):
    """Drain flats (Barnes, Lehman & Mulla 2014): gradients towards lower and away from higher terrain.

    A flat cell is a valid cell with code 0 (no lower valid neighbour, not on the
    edge, not next to nodata); 8-connected flat cells share one elevation. A low
    edge is a cell with a code and the elevation of an adjacent flat cell; a
    high edge is a flat cell with a higher neighbour. Flats without a low edge
    (undrained) keep code 0.
    """
    w = ncols + 2
    off = neighbour_offsets(w)
    n = z.shape[0]
    labels = np.zeros(n, np.int32)  # >0 flat label, -1 low edge
    mask = np.zeros(n, np.int32)
    cells = np.empty(nflat, np.int64)
    stack = np.empty(nflat, np.int64)
    # 1. label the flats (connected cells with code 0)
    nlabel = 0
    ncell = 0
    for r in range(1, nrows + 1):
        for c in range(1, ncols + 1):
            p = r * w + c
            if flag[p] != 0 or code[p] != 0 or labels[p] != 0:
                continue
            nlabel += 1
            labels[p] = nlabel
            top = 0
            stack[top] = p
            top += 1
            while top > 0:
                top -= 1
                q = stack[top]
                cells[ncell] = q
                ncell += 1
                for k in range(8):
                    m = q + off[k]
                    if flag[m] == 0 and code[m] == 0 and labels[m] == 0:
                        labels[m] = nlabel
                        stack[top] = m
                        top += 1
    # 2. edges: high edges into the away queue, low edges marked
    height = np.zeros(nlabel + 1, np.int32)
    queue = stack  # reused: a FIFO of at most nflat cells
    qhead = 0
    qtail = 0
    for i in range(ncell):
        f = cells[i]
        zf = z[f]
        high = False
        for k in range(8):
            m = f + off[k]
            if flag[m] != 0:
                continue
            zm = z[m]
            if zm > zf:
                high = True
            elif zm == zf and code[m] != 0:
                labels[m] = -1
        if high:
            mask[f] = 1
            queue[qtail] = f
            qtail += 1
    # 3. gradient away from higher terrain: BFS distance from the high edges
    while qhead < qtail:
        f = queue[qhead]
        qhead += 1
        d = mask[f]
        lab = labels[f]
        if d > height[lab]:
            height[lab] = d
        for k in range(8):
            m = f + off[k]
            if labels[m] == lab and mask[m] == 0 and flag[m] == 0:
                mask[m] = d + 1
                queue[qtail] = m
                qtail += 1
    # 4. gradient towards lower terrain: BFS distance from the low edges, combined
    #    (stored negative while the BFS runs: negative = reached)
    dist = mask  # the combined value replaces the away distance
    qhead = 0
    qtail = 0
    level = np.empty(nflat, np.int32)
    for i in range(ncell):
        f = cells[i]
        for k in range(8):
            m = f + off[k]
            if labels[m] == -1 and z[m] == z[f]:
                away = dist[f]
                dist[f] = -(2 + (height[labels[f]] - away if away > 0 else 0))
                queue[qtail] = f
                level[qtail] = 1
                qtail += 1
                break
    while qhead < qtail:
        f = queue[qhead]
        lv = level[qhead]
        qhead += 1
        lab = labels[f]
        for k in range(8):
            m = f + off[k]
            if labels[m] == lab and dist[m] >= 0:
                away = dist[m]
                dist[m] = -(2 * (lv + 1) + (height[lab] - away if away > 0 else 0))
                queue[qtail] = m
                level[qtail] = lv + 1
                qtail += 1
    # 5. each reached flat cell points to its lowest neighbour on the combined gradient
    for i in range(ncell):
        f = cells[i]
        own = dist[f]
        if own >= 0:
            continue  # an undrained flat
        best = -own
        lab = labels[f]
        zf = z[f]
        bk = -1
        for k in range(8):
            m = f + off[k]
            lm = labels[m]
            if lm == -1 and z[m] == zf:
                val = 0
            elif lm == lab and dist[m] < 0:
                val = -dist[m]
            else:
                continue
            if val < best:
                best = val
                bk = k
        if bk >= 0:
            code[f] = np.uint8(1 << bk)


@njit(cache=True)
def _accumulate(codes, acc, kind, code_dr, code_dc):
    nrows, ncols = codes.shape
    indeg = np.zeros((nrows, ncols), np.uint8)
    for r in range(nrows):
        for c in range(ncols):
            v = codes[r, c]
            t = kind[v]
            if t == 0:
                return 1
            if t == 3:
                acc[r, c] = np.nan
            elif t == 1:
                rr = r + code_dr[v]
                cc = c + code_dc[v]
                if 0 <= rr < nrows and 0 <= cc < ncols and codes[rr, cc] != NODATA_CODE:
                    indeg[rr, cc] += 1
    done = np.uint8(255)
    for r in range(nrows):
        for c in range(ncols):
            if indeg[r, c] != 0 or codes[r, c] == NODATA_CODE:
                continue
            cr = r
            cc = c
            while True:
                indeg[cr, cc] = done
                v = codes[cr, cc]
                if kind[v] != 1:
                    break
                rr = cr + code_dr[v]
                c2 = cc + code_dc[v]
                if rr < 0 or rr >= nrows or c2 < 0 or c2 >= ncols or codes[rr, c2] == NODATA_CODE:
                    break
                acc[rr, c2] += acc[cr, cc]
                indeg[rr, c2] -= 1
                if indeg[rr, c2] != 0:
                    break
                cr = rr
                cc = c2
    for r in range(nrows):
        for c in range(ncols):
            if indeg[r, c] != done and codes[r, c] != NODATA_CODE:
                return 2
    return 0


def accumulate(codes: np.ndarray, acc: np.ndarray) -> int:
    """Accumulate ``acc`` (float64, initial weights, changed in place) down the D8 ``codes``.

    Returns 0 on success, 1 for an invalid code, 2 for a cycle.
    """
    return int(_accumulate(codes, acc, _KIND, _CODE_DR, _CODE_DC))
