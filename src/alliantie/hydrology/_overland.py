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

import numpy as np
from numba import njit

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


@njit(cache=True)
def _face_flux(
    q: float,
    q_up: float,
    q_down: float,
    eta_a: float,
    eta_b: float,
    z_a: float,
    z_b: float,
    n: float,
    dt: float,
    dx: float,
    theta: float,
    min_depth: float,
) -> float:
    """New discharge (positive from a to b) on the face between interior cells a and b."""
    eta_max = eta_a if eta_a > eta_b else eta_b
    z_max = z_a if z_a > z_b else z_b
    hf = eta_max - z_max
    if hf <= min_depth:
        return 0.0
    slope = (eta_b - eta_a) / dx
    qc = theta * q + 0.5 * (1.0 - theta) * (q_up + q_down)
    num = qc - G * hf * dt * slope
    den = 1.0 + G * dt * n * n * abs(q) / hf ** (7.0 / 3.0)
    return num / den


@njit(cache=True)
def _outlet_flux(q: float, h: float, n: float, dt: float, dx: float, min_depth: float) -> float:
    """New outward discharge (>= 0) from a cell with depth ``h`` into an outlet."""
    if h <= min_depth:
        return 0.0
    qo = q if q > 0.0 else 0.0
    num = qo + G * h * dt * (h / dx)
    den = 1.0 + G * dt * n * n * qo / h ** (7.0 / 3.0)
    return num / den


@njit(cache=True)
def max_depth_kernel(h: np.ndarray) -> float:
    """Largest depth on the grid."""
    m = 0.0
    for i in range(h.shape[0]):
        for j in range(h.shape[1]):
            if h[i, j] > m:
                m = h[i, j]
    return m


@njit(cache=True)
def _update_fluxes(
    h: np.ndarray,
    z: np.ndarray,
    kind: np.ndarray,
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
    """New face discharges from the state at the start of the step (qx: (ny, nx+1), qy: (ny+1, nx))."""
    ny, nx = h.shape
    # x faces: face (i, j) lies between cell (i, j-1) and cell (i, j)
    for i in range(ny):
        for j in range(nx + 1):
            ka = kind[i, j - 1] if j > 0 else (OUTLET if open_edges else BUILDING)
            kb = kind[i, j] if j < nx else (OUTLET if open_edges else BUILDING)
            q = qx[i, j]
            if ka == BUILDING or kb == BUILDING or (ka == OUTLET and kb == OUTLET):
                qx_new[i, j] = 0.0
            elif ka == OUTLET:
                qx_new[i, j] = -_outlet_flux(-q, h[i, j], n[i, j], dt, dx, min_depth)
            elif kb == OUTLET:
                qx_new[i, j] = _outlet_flux(q, h[i, j - 1], n[i, j - 1], dt, dx, min_depth)
            else:
                q_up = qx[i, j - 1] if j > 1 else q
                q_down = qx[i, j + 1] if j < nx - 1 else q
                eta_a = z[i, j - 1] + h[i, j - 1]
                eta_b = z[i, j] + h[i, j]
                nf = 0.5 * (n[i, j - 1] + n[i, j])
                qx_new[i, j] = _face_flux(
                    q, q_up, q_down, eta_a, eta_b, z[i, j - 1], z[i, j], nf, dt, dx, theta, min_depth
                )
    # y faces: face (i, j) lies between cell (i-1, j) and cell (i, j)
    for i in range(ny + 1):
        for j in range(nx):
            ka = kind[i - 1, j] if i > 0 else (OUTLET if open_edges else BUILDING)
            kb = kind[i, j] if i < ny else (OUTLET if open_edges else BUILDING)
            q = qy[i, j]
            if ka == BUILDING or kb == BUILDING or (ka == OUTLET and kb == OUTLET):
                qy_new[i, j] = 0.0
            elif ka == OUTLET:
                qy_new[i, j] = -_outlet_flux(-q, h[i, j], n[i, j], dt, dx, min_depth)
            elif kb == OUTLET:
                qy_new[i, j] = _outlet_flux(q, h[i - 1, j], n[i - 1, j], dt, dx, min_depth)
            else:
                q_up = qy[i - 1, j] if i > 1 else q
                q_down = qy[i + 1, j] if i < ny - 1 else q
                eta_a = z[i - 1, j] + h[i - 1, j]
                eta_b = z[i, j] + h[i, j]
                nf = 0.5 * (n[i - 1, j] + n[i, j])
                qy_new[i, j] = _face_flux(
                    q, q_up, q_down, eta_a, eta_b, z[i - 1, j], z[i, j], nf, dt, dx, theta, min_depth
                )


@njit(cache=True)
def _limit_outflow(
    h: np.ndarray, kind: np.ndarray, qx: np.ndarray, qy: np.ndarray, dt: float, dx: float, factor: np.ndarray
) -> None:
    """Scale the outgoing discharges of every cell so that it never gives more water than it holds."""
    ny, nx = h.shape
    for i in range(ny):
        for j in range(nx):
            if kind[i, j] != OPEN:
                factor[i, j] = 1.0
                continue
            out = 0.0
            if qx[i, j] < 0.0:
                out -= qx[i, j]
            if qx[i, j + 1] > 0.0:
                out += qx[i, j + 1]
            if qy[i, j] < 0.0:
                out -= qy[i, j]
            if qy[i + 1, j] > 0.0:
                out += qy[i + 1, j]
            out_depth = out * dt / dx
            if out_depth > h[i, j]:
                factor[i, j] = h[i, j] / out_depth if out_depth > 0.0 else 0.0
            else:
                factor[i, j] = 1.0
    for i in range(ny):
        for j in range(nx + 1):
            q = qx[i, j]
            if q > 0.0 and j > 0:
                qx[i, j] = q * factor[i, j - 1]
            elif q < 0.0 and j < nx:
                qx[i, j] = q * factor[i, j]
    for i in range(ny + 1):
        for j in range(nx):
            q = qy[i, j]
            if q > 0.0 and i > 0:
                qy[i, j] = q * factor[i - 1, j]
            elif q < 0.0 and i < ny:
                qy[i, j] = q * factor[i, j]


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
) -> tuple[float, int]:
    """Advance the state (h, qx, qy, maxima, totals) in place from ``t0`` to ``t1``; returns (t, steps).

    ``rain_series`` (m/s per step of ``rain_step`` s) falls on each cell times
    ``rain_weight`` (0 on buildings and outlets, > 1 on the cells that take a
    building's rain). ``infil_rate``/``sink_rate`` are capacities (m/s) per cell,
    limited by the water present. ``src_series`` (m³/s, one row per step of
    ``src_step`` s, one column per source) enters the cells ``src_rows, src_cols``.
    ``totals`` accumulates [rain, infiltration, sink, outflow, inflow] in m³.
    """
    ny, nx = h.shape
    area = dx * dx
    qx_new = np.empty_like(qx)
    qy_new = np.empty_like(qy)
    factor = np.empty_like(h)
    weight_sum = 0.0
    for i in range(ny):
        for j in range(nx):
            weight_sum += rain_weight[i, j]
    t = t0
    steps = 0
    while t < t1 - 1e-12 * max(1.0, abs(t1)):
        hm = max_depth_kernel(h)
        dt = max_dt
        if hm > min_depth:
            dt_cfl = alpha * dx / np.sqrt(G * hm)
            if dt_cfl < dt:
                dt = dt_cfl
        if t + dt > t1:
            dt = t1 - t
        _update_fluxes(h, z, kind, n, qx, qy, qx_new, qy_new, dt, dx, theta, min_depth, open_edges)
        _limit_outflow(h, kind, qx_new, qy_new, dt, dx, factor)
        qx[:, :] = qx_new
        qy[:, :] = qy_new
        # outflow over the edges and into outlet cells
        out = 0.0
        for i in range(ny):
            for j in range(nx + 1):
                q = qx[i, j]
                if q == 0.0:
                    continue
                ka = kind[i, j - 1] if j > 0 else OUTLET
                kb = kind[i, j] if j < nx else OUTLET
                if kb == OUTLET and q > 0.0:
                    out += q
                elif ka == OUTLET and q < 0.0:
                    out -= q
        for i in range(ny + 1):
            for j in range(nx):
                q = qy[i, j]
                if q == 0.0:
                    continue
                ka = kind[i - 1, j] if i > 0 else OUTLET
                kb = kind[i, j] if i < ny else OUTLET
                if kb == OUTLET and q > 0.0:
                    out += q
                elif ka == OUTLET and q < 0.0:
                    out -= q
        totals[3] += out * dt * dx
        rain = series_integral(t, t + dt, rain_series, rain_step)
        totals[0] += rain * area * weight_sum
        for i in range(ny):
            for j in range(nx):
                if kind[i, j] != OPEN:
                    continue
                dh = (qx[i, j] - qx[i, j + 1] + qy[i, j] - qy[i + 1, j]) * dt / dx
                hn = h[i, j] + dh
                if hn < 0.0:
                    hn = 0.0  # round-off only: the limiter keeps the outflow within the water present
                hn += rain * rain_weight[i, j]
                loss = infil_rate[i, j] * dt
                if loss > 0.0:
                    if loss > hn:
                        loss = hn
                    hn -= loss
                    totals[1] += loss * area
                loss = sink_rate[i, j] * dt
                if loss > 0.0:
                    if loss > hn:
                        loss = hn
                    hn -= loss
                    totals[2] += loss * area
                h[i, j] = hn
        for k in range(src_rows.shape[0]):
            col = np.ascontiguousarray(src_series[:, k])
            vol = series_integral(t, t + dt, col, src_step)
            h[src_rows[k], src_cols[k]] += vol / area
            totals[4] += vol
        t += dt
        steps += 1
        for i in range(ny):
            for j in range(nx):
                hc = h[i, j]
                if hc > hmax[i, j]:
                    hmax[i, j] = hc
                    tmax[i, j] = t
                if hc > VELOCITY_MIN_DEPTH:
                    u = 0.5 * (qx[i, j] + qx[i, j + 1]) / hc
                    v = 0.5 * (qy[i, j] + qy[i + 1, j]) / hc
                    speed = np.sqrt(u * u + v * v)
                    if speed > vmax[i, j]:
                        vmax[i, j] = speed
    return t, steps
