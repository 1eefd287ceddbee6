"""Numba kernels of the 2-D overland-flow engine (local-inertial, numpy and numba only).

The scheme is the local-inertial approximation of the shallow-water equations of
Bates, Horritt & Fewtrell (2010) in the numerically stable form of de Almeida,
Bates, Freer & Souvignet (2012): unit discharges ``q`` (m²/s) live on the cell
faces, depths ``h`` (m) in the cells, and one time step reads

    q_f <- [theta q_f + (1 - theta)/2 (q_f- + q_f+) - g h_f dt S_f] / [1 + g dt n_f² |q_f| / h_f^(7/3)]
    h   <- h + dt/dx (sum of the face discharges into the cell)

with ``S_f`` the water-surface slope across the face, ``h_f`` the flow depth at
the face (highest water surface minus highest bed), ``q_f-``/``q_f+`` the
discharges on the faces upstream and downstream in the same direction and the
friction term treated semi-implicitly. The time step is adaptive:
``dt = alpha dx / sqrt(g h_max)``.

Cell kinds (``kind``): 0 = open ground, 1 = building (no flux across its faces),
2 = outlet (nodata: water that flows into it leaves the model). An outlet face
(towards an outlet cell, or the grid edge when ``open_edges``) drains the wet
cell as if into an empty cell at the same ground level: the surface slope is
``h / dx`` and only outward flow is allowed (free outfall at ground level).

To keep depths non-negative and the mass balance exact, the outgoing discharges
of a cell are scaled down together when they would take more than the water it
holds (each face is scaled by the factor of its donor cell, so what leaves one
cell enters the other).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit, prange, types
from numba.extending import intrinsic

G = 9.81
#: Cells shallower than this (m) get no velocity (|q|/h is meaningless on a film).
VELOCITY_MIN_DEPTH = 0.01

OPEN = 0
BUILDING = 1
OUTLET = 2


@njit(cache=True)
def series_integral(t0: float, t1: float, series: np.ndarray, step: float) -> float:
    """Integral over [t0, t1] of the piecewise-constant ``series`` (value i on [i step, (i+1) step), 0 after)."""
    n = series.shape[0]
    if n == 0 or t1 <= t0:
        return 0.0
    if n == 1 and step <= 0.0:
        return series[0] * (t1 - t0)
    total = 0.0
    i = int(t0 // step)
    t = t0
    while t < t1 and i < n:
        end = (i + 1) * step
        if end > t1:
            end = t1
        if end > t:
            total += series[i] * (end - t)
            t = end
        i += 1
    return total


@intrinsic
def _bits_of(typingctx: Any, x: Any) -> Any:
    """The bits of a float64 as an int64 (a bit cast, no conversion)."""
    if x == types.float64:

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            return builder.bitcast(args[0], context.get_value_type(types.int64))

        return types.int64(types.float64), codegen
    return None


@intrinsic
def _float_of(typingctx: Any, x: Any) -> Any:
    """The float64 with the bits of an int64 (a bit cast, no conversion)."""
    if x == types.int64:

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            return builder.bitcast(args[0], context.get_value_type(types.float64))

        return types.float64(types.int64), codegen
    return None


#: Initial guess of x^(-1/3) from the high 32 bits of x: the "magic constant" trick of the fast
#: inverse square root applied to the cube root; measured worst error of the guess 3.4 %.
_INV_CBRT_MAGIC_HI = 0x553EF0FF


@njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def inv_depth_7_3(h: float) -> float:
    """``h ** (-7/3)`` for ``h > 0`` to within a few ulp, without a libm call.

    ``pow`` (or ``cbrt``) costs about 25 ns, more than the rest of a face update,
    and stops the compiler from vectorising the loop: a bit-level guess of
    ``h^(-1/3)`` (3.4 % off at worst) and four Newton steps
    ``r <- r (4 - h r^3) / 3`` (quadratic convergence: 2.4e-3, 1.1e-5, 2.6e-10, < 1e-15)
    give it from multiplications only. Measured over 1e-9 <= h <= 1e4: at most
    7e-16 relative error in ``h^(-1/3)``, 5e-15 in ``h^(-7/3)``.
    """
    hi = np.uint32(_bits_of(h) >> 32)  # type: ignore[call-arg]  # numba intrinsic: typingctx is implicit
    r = _float_of(np.int64(np.uint32(_INV_CBRT_MAGIC_HI) - hi // np.uint32(3)) << 32)
    r = r * (4.0 - h * r * r * r) * (1.0 / 3.0)
    r = r * (4.0 - h * r * r * r) * (1.0 / 3.0)
    r = r * (4.0 - h * r * r * r) * (1.0 / 3.0)
    r = r * (4.0 - h * r * r * r) * (1.0 / 3.0)
    r2 = r * r
    return r2 * r2 * r2 * r


@njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def _face_flux(
    q: float,
    q_up: float,
    q_down: float,
    h_a: float,
    h_b: float,
    z_a: float,
    z_b: float,
    n_a: float,
    n_b: float,
    dt: float,
    dx: float,
    theta: float,
    min_depth: float,
) -> float:
    """New discharge (positive from a to b) on the face between open cells a and b.

    Written without branches (a face with a flow depth below ``min_depth`` gets 0
    by a select), so that the compiler can vectorise the loops over a row.
    """
    eta_a = z_a + h_a
    eta_b = z_b + h_b
    hf = max(eta_a, eta_b) - max(z_a, z_b)
    nf = 0.5 * (n_a + n_b)
    num = theta * q + 0.5 * (1.0 - theta) * (q_up + q_down) - G * hf * dt * (eta_b - eta_a) / dx
    den = 1.0 + G * dt * nf * nf * abs(q) * inv_depth_7_3(max(hf, min_depth))
    return num / den if hf > min_depth else 0.0


@njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def _outlet_flux(q: float, h: float, n: float, dt: float, dx: float, min_depth: float) -> float:
    """New outward discharge (>= 0) from a cell with depth ``h`` into an outlet."""
    if h <= min_depth:
        return 0.0
    qo = max(q, 0.0)
    num = qo + G * h * dt * (h / dx)
    if qo == 0.0:
        return num
    den = 1.0 + G * dt * n * n * qo * inv_depth_7_3(h)
    return num / den


@njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def _edge_flux(
    ka: int, kb: int, q: float, h_a: float, h_b: float, n_a: float, n_b: float, dt: float, dx: float, min_depth: float
) -> float:
    """New discharge on a face with a building or an outlet on (at least) one side (a to b positive)."""
    if ka == BUILDING or kb == BUILDING or (ka == OUTLET and kb == OUTLET):
        return 0.0
    if ka == OUTLET:
        return -_outlet_flux(-q, h_b, n_b, dt, dx, min_depth)
    return _outlet_flux(q, h_a, n_a, dt, dx, min_depth)


@njit(cache=True)
def outlet_faces(kind: np.ndarray, open_edges: bool) -> np.ndarray:
    """Per open cell, bit flags of its faces that lead to an outlet: 1 east, 2 west, 4 south, 8 north."""
    ny, nx = kind.shape
    border = np.zeros((ny, nx), dtype=np.int8)
    for i in range(ny):
        for j in range(nx):
            if kind[i, j] != OPEN:
                continue
            b = 0
            if (kind[i, j + 1] == OUTLET) if j + 1 < nx else open_edges:
                b |= 1
            if (kind[i, j - 1] == OUTLET) if j > 0 else open_edges:
                b |= 2
            if (kind[i + 1, j] == OUTLET) if i + 1 < ny else open_edges:
                b |= 4
            if (kind[i - 1, j] == OUTLET) if i > 0 else open_edges:
                b |= 8
            border[i, j] = b
    return border


@njit(cache=True)
def max_depth_kernel(h: np.ndarray) -> float:
    """Largest depth on the grid."""
    m = 0.0
    for i in range(h.shape[0]):
        for j in range(h.shape[1]):
            if h[i, j] > m:
                m = h[i, j]
    return m


def _update_fluxes(
    h: np.ndarray,
    z: np.ndarray,
    kind: np.ndarray,
    open_row: np.ndarray,
    n: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    qx_new: np.ndarray,
    qy_new: np.ndarray,
    dt: float,
    dx: float,
    theta: float,
    min_depth: float,
    open_edges: bool,
) -> None:
    """New face discharges from the state at the start of the step (qx: (ny, nx+1), qy: (ny+1, nx)).

    One task per row ``i`` computes the x faces of row ``i`` and the y faces above it
    (between rows ``i - 1`` and ``i``); the last task the y faces below the grid.
    Every face is computed once, from the old state only, so the result does not
    depend on the number of threads. Rows whose cells are all open (``open_row``)
    take a loop without branches; the others check the cell kinds face by face.
    """
    ny, nx = h.shape
    edge = OUTLET if open_edges else BUILDING
    for i in prange(ny + 1):
        if i < ny:
            # x faces: face (i, j) lies between cell (i, j-1) and cell (i, j)
            qx_new[i, 0] = _edge_flux(edge, kind[i, 0], qx[i, 0], 0.0, h[i, 0], 0.0, n[i, 0], dt, dx, min_depth)
            qx_new[i, nx] = _edge_flux(
                kind[i, nx - 1], edge, qx[i, nx], h[i, nx - 1], 0.0, n[i, nx - 1], 0.0, dt, dx, min_depth
            )
            hr, zr, nr, qr, qn = h[i], z[i], n[i], qx[i], qx_new[i]
            if open_row[i]:
                for j in range(1, nx):
                    qn[j] = _face_flux(
                        qr[j], qr[j - 1], qr[j + 1], hr[j - 1], hr[j], zr[j - 1], zr[j], nr[j - 1], nr[j],
                        dt, dx, theta, min_depth,
                    )  # fmt: skip
            else:
                for j in range(1, nx):
                    ka = kind[i, j - 1]
                    kb = kind[i, j]
                    if ka == OPEN and kb == OPEN:
                        qn[j] = _face_flux(
                            qr[j], qr[j - 1], qr[j + 1], hr[j - 1], hr[j], zr[j - 1], zr[j], nr[j - 1], nr[j],
                            dt, dx, theta, min_depth,
                        )  # fmt: skip
                    else:
                        qn[j] = _edge_flux(ka, kb, qr[j], hr[j - 1], hr[j], nr[j - 1], nr[j], dt, dx, min_depth)
            # the first and last interior faces have no face beyond the edge face: they use their own q
            for j in (1, nx - 1):
                if j >= 1 and j <= nx - 1 and kind[i, j - 1] == OPEN and kind[i, j] == OPEN:
                    q_up = qr[j - 1] if j > 1 else qr[j]
                    q_down = qr[j + 1] if j < nx - 1 else qr[j]
                    qn[j] = _face_flux(
                        qr[j], q_up, q_down, hr[j - 1], hr[j], zr[j - 1], zr[j], nr[j - 1], nr[j],
                        dt, dx, theta, min_depth,
                    )  # fmt: skip
        # y faces: face (i, j) lies between cell (i-1, j) and cell (i, j)
        if i == 0:
            for j in range(nx):
                qy_new[0, j] = _edge_flux(edge, kind[0, j], qy[0, j], 0.0, h[0, j], 0.0, n[0, j], dt, dx, min_depth)
        elif i == ny:
            for j in range(nx):
                qy_new[ny, j] = _edge_flux(
                    kind[ny - 1, j], edge, qy[ny, j], h[ny - 1, j], 0.0, n[ny - 1, j], 0.0, dt, dx, min_depth
                )
        else:
            # the first and last interior faces have no face beyond the edge face: they use their own q
            q_ups = qy[i - 1] if i > 1 else qy[i]
            q_downs = qy[i + 1] if i < ny - 1 else qy[i]
            qr, qn = qy[i], qy_new[i]
            ha, hb, za, zb, na, nb = h[i - 1], h[i], z[i - 1], z[i], n[i - 1], n[i]
            if open_row[i - 1] and open_row[i]:
                for j in range(nx):
                    qn[j] = _face_flux(
                        qr[j], q_ups[j], q_downs[j], ha[j], hb[j], za[j], zb[j], na[j], nb[j], dt, dx, theta, min_depth
                    )
            else:
                for j in range(nx):
                    ka = kind[i - 1, j]
                    kb = kind[i, j]
                    if ka == OPEN and kb == OPEN:
                        qn[j] = _face_flux(
                            qr[j], q_ups[j], q_downs[j], ha[j], hb[j], za[j], zb[j], na[j], nb[j],
                            dt, dx, theta, min_depth,
                        )  # fmt: skip
                    else:
                        qn[j] = _edge_flux(ka, kb, qr[j], ha[j], hb[j], na[j], nb[j], dt, dx, min_depth)


def _limit_factors(
    h: np.ndarray, kind: np.ndarray, qx: np.ndarray, qy: np.ndarray, dt: float, dx: float, factor: np.ndarray
) -> None:
    """Per cell, the factor (<= 1) that keeps its outgoing discharges within the water it holds.

    ``factor`` has a ring of ones around the grid: cell ``(i, j)`` is ``factor[i + 1, j + 1]``.
    """
    ny, nx = h.shape
    for i in prange(ny):
        for j in range(nx):
            f = 1.0
            if kind[i, j] == OPEN:
                out = max(-qx[i, j], 0.0) + max(qx[i, j + 1], 0.0) + max(-qy[i, j], 0.0) + max(qy[i + 1, j], 0.0)
                out_depth = out * dt / dx
                if out_depth > h[i, j]:
                    f = h[i, j] / out_depth
            factor[i + 1, j + 1] = f


def _update_depths(
    h: np.ndarray,
    kind: np.ndarray,
    border: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    qx_new: np.ndarray,
    qy_new: np.ndarray,
    factor: np.ndarray,
    rain: float,
    rain_weight: np.ndarray,
    infil_rate: np.ndarray,
    sink_rate: np.ndarray,
    src_rows: np.ndarray,
    src_cols: np.ndarray,
    src_vol: np.ndarray,
    hmax: np.ndarray,
    tmax: np.ndarray,
    vmax: np.ndarray,
    row_sums: np.ndarray,
    t_end: float,
    dt: float,
    dx: float,
) -> None:
    """Scale the new discharges (into ``qx``, ``qy``), update depths, maxima and per-row sums.

    Each face is scaled by the factor of its donor cell (``factor`` padded with ones,
    see :func:`_limit_factors`). ``border`` flags the faces of open cells that lead
    to an outlet (1 east, 2 west, 4 south, 8 north). ``row_sums[i]`` gets [outflow
    (m²/s summed over faces), infiltration (m), sink (m), largest depth] of row
    ``i``; the caller sums the rows in order, so the totals do not depend on the
    number of threads. The task of row ``i`` writes the x faces of row ``i`` and the
    y faces above it (the last task also those below the grid).
    """
    ny, nx = h.shape
    area = dx * dx
    dt_dx = dt / dx
    nsrc = src_rows.shape[0]
    for i in prange(ny):
        f_up = factor[i]
        f_row = factor[i + 1]
        f_down = factor[i + 2]
        qxr, qxn, qyr, qyn, qyn_down = qx[i], qx_new[i], qy[i], qy_new[i], qy_new[i + 1]
        hr, kr, wr, ir, sr = h[i], kind[i], rain_weight[i], infil_rate[i], sink_rate[i]
        # loops without branches (selects only), so that the compiler vectorises them
        for j in range(nx + 1):
            q = qxn[j]
            qxr[j] = q * (f_row[j] if q > 0.0 else f_row[j + 1])
        infil = 0.0
        sink = 0.0
        for j in range(nx):
            q = qyn[j]
            qn = q * (f_up[j + 1] if q > 0.0 else f_row[j + 1])
            qyr[j] = qn
            q = qyn_down[j]
            qs = q * (f_row[j + 1] if q > 0.0 else f_down[j + 1])
            # round-off only below 0: the limiter keeps the outflow within the water present
            hn = max(hr[j] + (qxr[j] - qxr[j + 1] + qn - qs) * dt_dx, 0.0)
            hn += rain * wr[j]
            loss = min(ir[j] * dt, hn)
            hn -= loss
            infil += loss
            loss = min(sr[j] * dt, hn)
            hn -= loss
            sink += loss
            hr[j] = hn if kr[j] == OPEN else 0.0
        if i == ny - 1:
            for j in range(nx):
                q = qy_new[ny, j]
                qy[ny, j] = q * (f_row[j + 1] if q > 0.0 else f_down[j + 1])
        # discharge into outlets (nodata cells, open edges): outward only
        out = 0.0
        br = border[i]
        for j in range(nx):
            b = br[j]
            if b != 0:
                if b & 1:
                    out += max(qxr[j + 1], 0.0)
                if b & 2:
                    out += max(-qxr[j], 0.0)
                if b & 4:
                    q = qyn_down[j]
                    out += max(q * (f_row[j + 1] if q > 0.0 else f_down[j + 1]), 0.0)
                if b & 8:
                    out += max(-qyr[j], 0.0)
        for k in range(nsrc):
            if src_rows[k] == i:
                h[i, src_cols[k]] += src_vol[k] / area
        hm = 0.0
        hmr, tmr, vmr = hmax[i], tmax[i], vmax[i]
        for j in range(nx):
            hc = hr[j]
            hm = max(hm, hc)
            higher = hc > hmr[j]
            hmr[j] = hc if higher else hmr[j]
            tmr[j] = t_end if higher else tmr[j]
            inv = 0.5 / max(hc, VELOCITY_MIN_DEPTH)
            u = (qxr[j] + qxr[j + 1]) * inv
            # the face below: recomputed, as the task of row i + 1 writes qy[i + 1] concurrently
            q = qyn_down[j]
            v = (qyr[j] + q * (f_row[j + 1] if q > 0.0 else f_down[j + 1])) * inv
            speed = np.sqrt(u * u + v * v)
            vmr[j] = max(vmr[j], speed) if hc > VELOCITY_MIN_DEPTH else vmr[j]
        row_sums[i, 0] = out
        row_sums[i, 1] = infil
        row_sums[i, 2] = sink
        row_sums[i, 3] = hm


#: Grids smaller than this (cells) run the passes on one thread: below it, starting
#: the threads three times a step costs more than it saves (and much more on a busy machine).
PARALLEL_MIN_CELLS = 200_000

_fluxes_par = njit(cache=True, fastmath=True, error_model="numpy", parallel=True)(_update_fluxes)
_fluxes_ser = njit(cache=True, fastmath=True, error_model="numpy")(_update_fluxes)
_factors_par = njit(cache=True, fastmath=True, error_model="numpy", parallel=True)(_limit_factors)
_factors_ser = njit(cache=True, fastmath=True, error_model="numpy")(_limit_factors)
_depths_par = njit(cache=True, fastmath=True, error_model="numpy", parallel=True)(_update_depths)
_depths_ser = njit(cache=True, fastmath=True, error_model="numpy")(_update_depths)


@njit(cache=True)
def advance_kernel(
    h: np.ndarray,
    z: np.ndarray,
    kind: np.ndarray,
    n: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    rain_weight: np.ndarray,
    rain_series: np.ndarray,
    rain_step: float,
    infil_rate: np.ndarray,
    sink_rate: np.ndarray,
    src_rows: np.ndarray,
    src_cols: np.ndarray,
    src_series: np.ndarray,
    src_step: float,
    hmax: np.ndarray,
    tmax: np.ndarray,
    vmax: np.ndarray,
    totals: np.ndarray,
    t0: float,
    t1: float,
    dx: float,
    theta: float,
    alpha: float,
    min_depth: float,
    max_dt: float,
    open_edges: bool,
    parallel: bool,
) -> tuple[float, int]:
    """Advance the state (h, qx, qy, maxima, totals) in place from ``t0`` to ``t1``; returns (t, steps).

    ``rain_series`` (m/s per step of ``rain_step`` s) falls on each cell times
    ``rain_weight`` (0 on buildings and outlets, > 1 on the cells that take a
    building's rain). ``infil_rate``/``sink_rate`` are capacities (m/s) per cell,
    limited by the water present. ``src_series`` (m³/s, one row per step of
    ``src_step`` s, one column per source) enters the cells ``src_rows, src_cols``.
    ``totals`` accumulates [rain, infiltration, sink, outflow, inflow] in m³.

    Each step is three passes over the rows, parallel when ``parallel`` (new face discharges, the
    positivity factors, depths with rain, losses and maxima); every value is
    computed by one thread from the previous pass's arrays and the per-row sums
    are added in row order, so the answer is the same for any number of threads.
    """
    ny, nx = h.shape
    area = dx * dx
    qx_new = np.empty_like(qx)
    qy_new = np.empty_like(qy)
    factor = np.ones((ny + 2, nx + 2))  # a ring of ones around the cells' factors
    row_sums = np.zeros((ny, 4))
    nsrc = src_rows.shape[0]
    src_vol = np.zeros(nsrc)
    src_cols_c = np.empty((nsrc, src_series.shape[0]))
    for k in range(nsrc):
        for s in range(src_series.shape[0]):
            src_cols_c[k, s] = src_series[s, k]
    weight_sum = 0.0
    for i in range(ny):
        for j in range(nx):
            weight_sum += rain_weight[i, j]
    border = outlet_faces(kind, open_edges)
    open_row = np.empty(ny, dtype=np.bool_)
    for i in range(ny):
        open_row[i] = True
        for j in range(nx):
            if kind[i, j] != OPEN:
                open_row[i] = False
    hm = max_depth_kernel(h)
    t = t0
    steps = 0
    while t < t1 - 1e-12 * max(1.0, abs(t1)):
        dt = max_dt
        if hm > min_depth:
            dt_cfl = alpha * dx / np.sqrt(G * hm)
            if dt_cfl < dt:
                dt = dt_cfl
        if t + dt > t1:
            dt = t1 - t
        if parallel:
            _fluxes_par(h, z, kind, open_row, n, qx, qy, qx_new, qy_new, dt, dx, theta, min_depth, open_edges)
            _factors_par(h, kind, qx_new, qy_new, dt, dx, factor)
        else:
            _fluxes_ser(h, z, kind, open_row, n, qx, qy, qx_new, qy_new, dt, dx, theta, min_depth, open_edges)
            _factors_ser(h, kind, qx_new, qy_new, dt, dx, factor)
        rain = series_integral(t, t + dt, rain_series, rain_step)
        for k in range(nsrc):
            src_vol[k] = series_integral(t, t + dt, src_cols_c[k], src_step)
        if parallel:
            _depths_par(
                h, kind, border, qx, qy, qx_new, qy_new, factor, rain, rain_weight, infil_rate, sink_rate,
                src_rows, src_cols, src_vol, hmax, tmax, vmax, row_sums, t + dt, dt, dx,
            )  # fmt: skip
        else:
            _depths_ser(
                h, kind, border, qx, qy, qx_new, qy_new, factor, rain, rain_weight, infil_rate, sink_rate,
                src_rows, src_cols, src_vol, hmax, tmax, vmax, row_sums, t + dt, dt, dx,
            )  # fmt: skip
        out = 0.0
        infil = 0.0
        sink = 0.0
        hm = 0.0
        for i in range(ny):
            out += row_sums[i, 0]
            infil += row_sums[i, 1]
            sink += row_sums[i, 2]
            if row_sums[i, 3] > hm:
                hm = row_sums[i, 3]
        totals[0] += rain * area * weight_sum
        totals[1] += infil * area
        totals[2] += sink * area
        totals[3] += out * dt * dx
        for k in range(nsrc):
            totals[4] += src_vol[k]
        t += dt
        steps += 1
    return t, steps
