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

from collections.abc import Callable
from types import FunctionType
from typing import Any, NamedTuple

import numpy as np
from numba import get_num_threads, njit, prange, types
from numba.extending import intrinsic

G = 9.81
#: Cells shallower than this (m) get no velocity (|q|/h is meaningless on a film).
VELOCITY_MIN_DEPTH = 0.01

OPEN = 0
BUILDING = 1
OUTLET = 2

#: LLVM fast-math flags of the arithmetic kernels.
_FASTMATH: Any = {"nnan", "ninf", "nsz", "contract", "afn"}
#: Options of the passes over the grid (vectorisable loops: no zero-division checks, fast math).
_PASS_OPTIONS: dict[str, Any] = {"cache": True, "fastmath": _FASTMATH, "error_model": "numpy"}
#: numba's parallel transformations the passes use: only ``prange`` loops (the others cost compile time).
_PRANGE_ONLY: dict[str, bool] = {
    "prange": True, "comprehension": False, "inplace_binop": False, "reduction": False, "setitem": False,
    "numpy": False, "stencil": False, "fusion": False,
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# The records the kernels pass around (numba compiles a NamedTuple of arrays as one struct)
# --------------------------------------------------------------------------------------------


class Ground(NamedTuple):
    """What a run does not change, per cell (arrays shaped like the grid)."""

    z: np.ndarray  #: ground level (m)
    kind: np.ndarray  #: OPEN, BUILDING or OUTLET (int8)
    n: np.ndarray  #: Manning's n (s m^-1/3)
    border: np.ndarray  #: faces of open cells that lead to an outlet (:func:`outlet_faces`)
    rain_weight: np.ndarray  #: times the grid's rain that falls on the cell (0 on buildings and outlets)
    infil_rate: np.ndarray  #: infiltration capacity (m/s), limited by the water present
    sink_rate: np.ndarray  #: sewer sink capacity (m/s), limited by the water present


class Flow(NamedTuple):
    """The state (depths and face discharges) and a step's new discharges and positivity factors."""

    h: np.ndarray  #: depth (m), ny x nx
    qx: np.ndarray  #: discharge per metre of face (m²/s), x faces, ny x (nx + 1): (i, j) is west of cell (i, j)
    qy: np.ndarray  #: y faces, (ny + 1) x nx: (i, j) is north of cell (i, j)
    qx_new: np.ndarray  #: a step's new discharges on the x faces, before the positivity factors
    qy_new: np.ndarray  #: on the y faces
    factor: np.ndarray  #: positivity factors with a ring of ones: cell (i, j) is ``factor[i + 1, j + 1]``


class Forcing(NamedTuple):
    """Rain and point inflows over time."""

    rain_series: np.ndarray  #: rain (m/s), one value per ``rain_step``
    rain_step: float  #: s
    src_rows: np.ndarray  #: the point inflows' cells
    src_cols: np.ndarray
    src_series: np.ndarray  #: inflow (m³/s), one row per source, one value per ``src_step``
    src_step: float  #: s


class Record(NamedTuple):
    """What a run records, added to in place."""

    hmax: np.ndarray  #: largest depth (m)
    tmax: np.ndarray  #: model time of the largest depth (s)
    vmax: np.ndarray  #: largest speed (m/s) where deeper than VELOCITY_MIN_DEPTH
    thresholds: np.ndarray  #: depths (m) for ``above``
    above: np.ndarray  #: per threshold and cell, the seconds a cell ended a step deeper (tile kernels)
    totals: np.ndarray  #: [rain, infiltration, sink, outflow, inflow] (m³)


class Scheme(NamedTuple):
    """The scheme's settings."""

    dx: float  #: cell size (m)
    theta: float  #: weight of a face's own discharge against its neighbours' (de Almeida et al. 2012)
    alpha: float  #: Courant number of the adaptive step
    min_depth: float  #: faces with a shallower flow depth carry nothing (m)
    max_dt: float  #: longest step (s)
    open_edges: bool  #: the grid's edges are outlets (else walls)


class Tiling(NamedTuple):
    """The tiles of a cycle (tile kernels)."""

    level: np.ndarray  #: per tile, its level (a step of ``dt0 * 2**level``) or SLEEP
    order: np.ndarray  #: the order the passes visit the tiles in (:func:`interleaved_tiles`)
    outlet_tile: np.ndarray  #: per tile, an outlet cell in it or its ring


class TileWork(NamedTuple):
    """The tile kernels' intermediate values."""

    avail: np.ndarray  #: per cell, the water its faces may still take in its step (m)
    acc: np.ndarray  #: per cell, what its faces carried in since the start of its step (m)
    sums: np.ndarray  #: per tile, [outflow, infiltration, sink, largest depth, film] (see :func:`_tile_depths`)
    scratch: np.ndarray  #: per tile, one row of scaled x faces


def compiled_variant(py_func: Callable[..., Any], suffix: str, rebind: dict[str, Any], **options: Any) -> Any:
    """``njit(**options)`` of a copy of ``py_func`` named ``<name>_<suffix>``, with the globals ``rebind`` replaced.

    One Python source gives a serial and a parallel kernel this way, each compiled only when
    it is first used. The copy gets its own name because numba's on-disk cache files a
    function under its module, qualified name and first line, and looks an entry up by its
    type signature and bytecode: two dispatchers made from one function share one entry, so
    the second would load the first's machine code (a "serial" pass running the parallel one).
    """
    names = {**py_func.__globals__, **rebind} if rebind else py_func.__globals__
    copy = FunctionType(py_func.__code__, names, f"{py_func.__name__}_{suffix}", py_func.__defaults__)
    copy.__qualname__ = copy.__name__
    copy.__module__ = py_func.__module__
    copy.__doc__ = py_func.__doc__
    # numba empties a ``parallel`` dict as it reads it: each variant gets its own copy of every option
    own: dict[str, Any] = {key: v.copy() if isinstance(v, dict | set) else v for key, v in options.items()}
    return njit(**own)(copy)


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


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def _scaled(q: float, f_pos: float, f_neg: float) -> float:
    """A face's discharge scaled by its donor cell's factor (the cell it leaves).

    The factors are loaded before the select: a select of two array elements compiles to a
    select of addresses, and the compiler does not vectorise such a loop."""
    return q * (f_pos if q > 0.0 else f_neg)


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
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


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
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
    # maxima as selects: the builtin max() stays a call in the larger kernels, and a call
    # stops the compiler from vectorising the loop
    hf = (eta_a if eta_a > eta_b else eta_b) - (z_a if z_a > z_b else z_b)
    nf = 0.5 * (n_a + n_b)
    num = theta * q + 0.5 * (1.0 - theta) * (q_up + q_down) - G * hf * dt * (eta_b - eta_a) / dx
    den = 1.0 + G * dt * nf * nf * abs(q) * inv_depth_7_3(hf if hf > min_depth else min_depth)
    return num / den if hf > min_depth else 0.0


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
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


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
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


@njit(**_PASS_OPTIONS)
def _fluxes_of_row(i: int, flow: Flow, ground: Ground, outlet_row: np.ndarray, dt: float, scheme: Scheme) -> None:
    """New discharges of the x faces of row ``i`` and the y faces above it (the grid's last y faces for
    ``i == ny``), from the state at the start of the step (see :func:`_step_rows`).

    The loops over a row have no branches: every face gets the open-ground discharge, kept
    where both cells are open (a select on the cell kinds, 0 at walls); rows with an outlet
    cell (``outlet_row``) then recompute their outlet faces.
    """
    h, qx, qy, qx_new, qy_new = flow.h, flow.qx, flow.qy, flow.qx_new, flow.qy_new
    z, kind, n = ground.z, ground.kind, ground.n
    dx, theta, min_depth, open_edges = scheme.dx, scheme.theta, scheme.min_depth, scheme.open_edges
    ny, nx = h.shape
    edge = OUTLET if open_edges else BUILDING
    if i < ny:
        # x faces: face (i, j) lies between cell (i, j-1) and cell (i, j)
        qx_new[i, 0] = _edge_flux(edge, kind[i, 0], qx[i, 0], 0.0, h[i, 0], 0.0, n[i, 0], dt, dx, min_depth)
        qx_new[i, nx] = _edge_flux(
            kind[i, nx - 1], edge, qx[i, nx], h[i, nx - 1], 0.0, n[i, nx - 1], 0.0, dt, dx, min_depth
        )
        hr, zr, nr, qr, qn, kr = h[i], z[i], n[i], qx[i], qx_new[i], kind[i]
        for j in range(1, nx):
            f = _face_flux(
                qr[j], qr[j - 1], qr[j + 1], hr[j - 1], hr[j], zr[j - 1], zr[j], nr[j - 1], nr[j],
                dt, dx, theta, min_depth,
            )  # fmt: skip
            qn[j] = f if (kr[j - 1] | kr[j]) == OPEN else 0.0
        if outlet_row[i]:
            for j in range(1, nx):
                if (kr[j - 1] | kr[j]) == OUTLET:
                    qn[j] = _edge_flux(kr[j - 1], kr[j], qr[j], hr[j - 1], hr[j], nr[j - 1], nr[j], dt, dx,
                                       min_depth)  # fmt: skip
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
        ha, hb, za, zb, na, nb, ka, kb = h[i - 1], h[i], z[i - 1], z[i], n[i - 1], n[i], kind[i - 1], kind[i]
        for j in range(nx):
            f = _face_flux(
                qr[j], q_ups[j], q_downs[j], ha[j], hb[j], za[j], zb[j], na[j], nb[j], dt, dx, theta, min_depth
            )
            qn[j] = f if (ka[j] | kb[j]) == OPEN else 0.0
        if outlet_row[i - 1] or outlet_row[i]:
            for j in range(nx):
                if (ka[j] | kb[j]) == OUTLET:
                    qn[j] = _edge_flux(ka[j], kb[j], qr[j], ha[j], hb[j], na[j], nb[j], dt, dx, min_depth)


@njit(**_PASS_OPTIONS)
def _factors_of_row(i: int, flow: Flow, kind: np.ndarray, dt: float, dx: float) -> None:
    """Positivity factors of row ``i`` from its new discharges (see :func:`_step_rows`), without branches
    so that the loop vectorises."""
    h, qx, qy, factor = flow.h, flow.qx_new, flow.qy_new, flow.factor
    nx = h.shape[1]
    hr, kr, qxr, qyr, qyd, fr = h[i], kind[i], qx[i], qy[i], qy[i + 1], factor[i + 1]
    for j in range(nx):
        qw, qe, qn, qs = qxr[j], qxr[j + 1], qyr[j], qyd[j]
        # outflows as selects, not max(): see _face_flux
        out = (0.0 if qw > 0.0 else -qw) + (qe if qe > 0.0 else 0.0) + (0.0 if qn > 0.0 else -qn)
        out += qs if qs > 0.0 else 0.0
        out_depth = out * dt / dx
        hc = hr[j]
        f = hc / out_depth if out_depth > hc else 1.0
        fr[j + 1] = f if kr[j] == OPEN else 1.0


@njit(**_PASS_OPTIONS)
def _depths_of_row(
    i: int,
    flow: Flow,
    ground: Ground,
    src: Forcing,
    src_vol: np.ndarray,
    rain: float,
    record: Record,
    row_sums: np.ndarray,
    t_end: float,
    dt: float,
    dx: float,
) -> None:
    """Scale the new discharges of row ``i`` (into ``qx``, ``qy``), update its depths, maxima and ``row_sums[i]``.

    Each face is scaled by the factor of its donor cell. ``ground.border`` flags the faces of
    open cells that lead to an outlet (1 east, 2 west, 4 south, 8 north). The point inflows
    (the cells of ``src``) add ``src_vol`` (m³) after the losses. ``row_sums[i]`` gets
    [outflow (m²/s summed over faces), infiltration (m), sink (m), largest depth]; the caller
    sums the rows in order. Row ``i`` writes its x faces and the y faces above it (the last
    row also those below the grid).
    """
    h, qx, qy, qx_new, qy_new, factor = flow
    kind, border, rain_weight, infil_rate, sink_rate = (
        ground.kind, ground.border, ground.rain_weight, ground.infil_rate, ground.sink_rate
    )  # fmt: skip
    src_rows, src_cols = src.src_rows, src.src_cols
    hmax, tmax, vmax = record.hmax, record.tmax, record.vmax
    ny, nx = h.shape
    area = dx * dx
    dt_dx = dt / dx
    nsrc = src_rows.shape[0]
    f_up = factor[i]
    f_row = factor[i + 1]
    f_down = factor[i + 2]
    qxr, qxn, qyr, qyn, qyn_down = qx[i], qx_new[i], qy[i], qy_new[i], qy_new[i + 1]
    hr, kr, wr, ir, sr = h[i], kind[i], rain_weight[i], infil_rate[i], sink_rate[i]
    # loops without branches (selects only), so that the compiler vectorises them
    for j in range(nx + 1):
        q = qxn[j]
        qxr[j] = _scaled(q, f_row[j], f_row[j + 1])
    # the losses of the row's cells, summed after the loop (a sum in it would stop the vectorisation)
    lost = np.empty((2, nx))
    infil_row, sink_row = lost[0], lost[1]
    for j in range(nx):
        q = qyn[j]
        qn = _scaled(q, f_up[j + 1], f_row[j + 1])
        qyr[j] = qn
        q = qyn_down[j]
        qs = _scaled(q, f_row[j + 1], f_down[j + 1])
        # round-off only below 0: the limiter keeps the outflow within the water present
        # selects, not max()/min(): see _face_flux
        hn = hr[j] + (qxr[j] - qxr[j + 1] + qn - qs) * dt_dx
        hn = (hn if hn > 0.0 else 0.0) + rain * wr[j]
        loss = ir[j] * dt
        loss = loss if loss < hn else hn
        hn -= loss
        infil_row[j] = loss
        loss = sr[j] * dt
        loss = loss if loss < hn else hn
        hn -= loss
        sink_row[j] = loss
        hr[j] = hn if kr[j] == OPEN else 0.0
    infil = 0.0
    sink = 0.0
    for j in range(nx):
        infil += infil_row[j]
        sink += sink_row[j]
    if i == ny - 1:
        for j in range(nx):
            q = qy_new[ny, j]
            qy[ny, j] = _scaled(q, f_row[j + 1], f_down[j + 1])
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
    hmr, tmr, vmr = hmax[i], tmax[i], vmax[i]
    for j in range(nx):
        hc = hr[j]
        higher = hc > hmr[j]
        hmr[j] = hc if higher else hmr[j]
        tmr[j] = t_end if higher else tmr[j]
        inv = 0.5 / (hc if hc > VELOCITY_MIN_DEPTH else VELOCITY_MIN_DEPTH)
        u = (qxr[j] + qxr[j + 1]) * inv
        # the face below: recomputed, as the task of row i + 1 writes qy[i + 1] concurrently
        q = qyn_down[j]
        v = (qyr[j] + _scaled(q, f_row[j + 1], f_down[j + 1])) * inv
        speed = np.sqrt(u * u + v * v)
        vm = vmr[j]
        vmr[j] = speed if (speed > vm and hc > VELOCITY_MIN_DEPTH) else vm
    hm = 0.0
    for j in range(nx):
        hc = hr[j]
        hm = hc if hc > hm else hm  # a select: the builtin max() is a call here
    row_sums[i, 0] = out
    row_sums[i, 1] = infil
    row_sums[i, 2] = sink
    row_sums[i, 3] = hm


@njit(**_PASS_OPTIONS)
def _sweep_rows(
    a: int,
    b: int,
    flow: Flow,
    ground: Ground,
    src: Forcing,
    src_vol: np.ndarray,
    outlet_row: np.ndarray,
    rain: float,
    record: Record,
    row_sums: np.ndarray,
    t_end: float,
    dt: float,
    scheme: Scheme,
) -> None:
    """The rows ``a <= i < b`` of one step in one sweep, two rows behind each other (see :func:`_step_rows`).

    At row ``k`` the sweep computes the fluxes of row ``k``, the factors of row ``k - 1`` (the
    face below it is now known) and the depths of row ``k - 2`` (the fluxes that read its old
    depths and discharges, those of rows ``k - 3`` to ``k``, are computed). The chunk's first
    row and last two rows are left to :func:`_step_rows`: their neighbours belong to other chunks.
    """
    ny = flow.h.shape[0]
    dx = scheme.dx
    last = ny if b == ny else b - 1  # the last chunk also computes the y faces below the grid
    for k in range(a, last + 1):
        _fluxes_of_row(k, flow, ground, outlet_row, dt, scheme)
        if a <= k - 1 and k - 1 <= b - 2:
            _factors_of_row(k - 1, flow, ground.kind, dt, dx)
        if a + 1 <= k - 2 and k - 2 <= b - 3:
            _depths_of_row(k - 2, flow, ground, src, src_vol, rain, record, row_sums, t_end, dt, dx)


@njit(**_PASS_OPTIONS)
def _seam_depths(
    a: int,
    b: int,
    flow: Flow,
    ground: Ground,
    src: Forcing,
    src_vol: np.ndarray,
    rain: float,
    record: Record,
    row_sums: np.ndarray,
    t_end: float,
    dt: float,
    dx: float,
) -> None:
    """Depths of the rows of chunk ``[a, b)`` that :func:`_sweep_rows` leaves: ``a``, ``b - 2`` and ``b - 1``."""
    for i in range(a, b):
        if i == a or i >= b - 2:
            _depths_of_row(i, flow, ground, src, src_vol, rain, record, row_sums, t_end, dt, dx)


def _step_rows(
    bounds: np.ndarray,
    flow: Flow,
    ground: Ground,
    src: Forcing,
    src_vol: np.ndarray,
    outlet_row: np.ndarray,
    rain: float,
    record: Record,
    row_sums: np.ndarray,
    t_end: float,
    dt: float,
    scheme: Scheme,
) -> None:
    """One time step over the rows, cut into the chunks ``bounds[c] <= i < bounds[c + 1]``.

    The step has three parts per row: the new face discharges (:func:`_fluxes_of_row`:
    the x faces of row ``i`` and the y faces above it, into ``qx_new``/``qy_new``; every
    face from the old state only), the positivity factors (:func:`_factors_of_row`: per
    cell the factor <= 1 that keeps its outgoing discharges within the water it holds;
    ``factor`` has a ring of ones, cell ``(i, j)`` is ``factor[i + 1, j + 1]``) and the
    depths (:func:`_depths_of_row`: each face scaled by its donor cell's factor into
    ``qx``/``qy``, then rain, losses, outflow into outlets (``border``), the maxima and
    ``row_sums[i]`` = [outflow, infiltration, sink, largest depth]). A row's factors need
    the fluxes of the row below it, its depths the factors of the rows around it, and its
    depths overwrite the old state that the fluxes of the rows around it read: so one
    sweep computes them two rows behind each other (:func:`_sweep_rows`), a chunk per
    task, and the rows at the chunks' seams are finished after all sweeps (their factors,
    then their depths). Every value is computed from the same inputs whatever the
    chunks, so the answer does not depend on the number of chunks or threads (nor on
    the order of the parts: it is the one of three passes over the whole grid).
    """
    chunks = bounds.shape[0] - 1
    for c in prange(chunks):
        _sweep_rows(
            bounds[c], bounds[c + 1], flow, ground, src, src_vol, outlet_row, rain, record, row_sums, t_end, dt,
            scheme,
        )  # fmt: skip
    for c in prange(chunks):
        _factors_of_row(bounds[c + 1] - 1, flow, ground.kind, dt, scheme.dx)
    for c in prange(chunks):
        _seam_depths(bounds[c], bounds[c + 1], flow, ground, src, src_vol, rain, record, row_sums, t_end, dt, scheme.dx)


@njit(cache=True)
def row_bounds(ny: int, chunks: int) -> np.ndarray:
    """Bounds of ``chunks`` (at most ``ny``) chunks of nearly equal numbers of rows: chunk c is rows ``b[c]:b[c+1]``."""
    count = max(1, min(chunks, ny))
    bounds = np.empty(count + 1, dtype=np.int64)
    for c in range(count + 1):
        bounds[c] = (c * ny) // count
    return bounds


#: Grids smaller than this (cells) run on one thread: below it, starting the threads
#: for every step costs more than it saves (and much more on a busy machine).
PARALLEL_MIN_CELLS = 200_000
#: Chunks of rows per thread in the parallel row kernel (more balance the threads on a busy machine;
#: each chunk leaves three rows to the seam parts of the step).
ROW_CHUNKS_PER_THREAD = 4

_rows_par = compiled_variant(_step_rows, "parallel", {}, parallel=_PRANGE_ONLY, **_PASS_OPTIONS)
_rows_ser = compiled_variant(_step_rows, "serial", {}, **_PASS_OPTIONS)


#: What :func:`_advance_rows` calls; :data:`advance_rows_parallel` rebinds it to the parallel one.
_rows_step = _rows_ser
_ROWS_PARALLEL = {"_rows_step": _rows_par}


def row_chunks(parallel: bool) -> int:
    """Chunks of rows for :func:`_advance_rows`: one for the serial kernel, a few per thread for the parallel one."""
    return ROW_CHUNKS_PER_THREAD * get_num_threads() if parallel else 1


def _advance_rows(
    h: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    ground: Ground,
    forcing: Forcing,
    record: Record,
    scheme: Scheme,
    t0: float,
    t1: float,
    chunks: int,
) -> tuple[float, int]:
    """Advance the state (h, qx, qy, ``record``) in place from ``t0`` to ``t1``; returns (t, steps).

    The rain (``forcing.rain_series``) falls on each cell times ``ground.rain_weight`` (0 on
    buildings and outlets, > 1 on the cells that take a building's rain); infiltration and
    sink take up to their capacities; the point inflows enter their cells after the losses.
    ``record.totals`` accumulates [rain, infiltration, sink, outflow, inflow] in m³
    (``record.thresholds`` must be empty: the tile kernels count the time above them).

    Each step is one sweep over the rows (new face discharges, the positivity factors,
    depths with rain, losses and maxima, two rows behind each other: :func:`_step_rows`),
    in ``chunks`` chunks of rows (:func:`row_chunks`), parallel in :data:`advance_rows_parallel`;
    every value is computed from the same inputs whatever the chunks and the per-row sums
    are added in row order, so the answer is the same for any number of threads.
    """
    ny, nx = h.shape
    dx = scheme.dx
    area = dx * dx
    flow = Flow(h, qx, qy, np.empty_like(qx), np.empty_like(qy), np.ones((ny + 2, nx + 2)))
    kind, rain_weight, totals = ground.kind, ground.rain_weight, record.totals
    row_sums = np.zeros((ny, 4))
    nsrc = forcing.src_rows.shape[0]
    src_vol = np.zeros(nsrc)
    weight_sum = 0.0
    for i in range(ny):
        for j in range(nx):
            weight_sum += rain_weight[i, j]
    outlet_row = np.zeros(ny, dtype=np.bool_)
    for i in range(ny):
        for j in range(nx):
            if kind[i, j] == OUTLET:
                outlet_row[i] = True
    bounds = row_bounds(ny, chunks)
    hm = max_depth_kernel(h)
    t = t0
    steps = 0
    while t < t1 - 1e-12 * max(1.0, abs(t1)):
        dt = scheme.max_dt
        if hm > scheme.min_depth:
            dt_cfl = scheme.alpha * dx / np.sqrt(G * hm)
            if dt_cfl < dt:
                dt = dt_cfl
        if t + dt > t1:
            dt = t1 - t
        rain = series_integral(t, t + dt, forcing.rain_series, forcing.rain_step)
        for k in range(nsrc):
            src_vol[k] = series_integral(t, t + dt, forcing.src_series[k], forcing.src_step)
        _rows_step(bounds, flow, ground, forcing, src_vol, outlet_row, rain, record, row_sums, t + dt, dt, scheme)
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


advance_rows_serial = compiled_variant(_advance_rows, "serial", {}, cache=True)
advance_rows_parallel = compiled_variant(_advance_rows, "parallel", _ROWS_PARALLEL, cache=True)


# --------------------------------------------------------------------------------------------
# Tiles: dry tiles asleep, local time steps by tile
# --------------------------------------------------------------------------------------------
#
# The grid is cut into square tiles of ``TILE`` cells. At the start of each *cycle* every tile
# gets a level ``L``: it steps with ``dt0 * 2**L``, where ``dt0 = alpha dx / sqrt(g h_max)`` is the
# step the deepest cell needs and ``L`` the largest level whose step the deepest cell of the tile
# and its eight neighbour tiles allows (at most ``max_level``). A cycle is ``2**max(L)`` fine
# sub-steps. A face steps at the finer level of its two tiles; its discharge times its own step
# is added to both cells (one number, with opposite signs), and a cell's depth changes at the end
# of its own step by what its faces carried over that step: every face's volume leaves one cell
# and enters the other, so water is conserved exactly. A cell's outgoing discharges are limited
# by the water it still holds in its step (``avail``: its depth at the start of its step less
# what its faces took since), so depths stay >= 0.
#
# A tile whose cells and eight neighbours' cells are all at most ``min_depth`` deep, that holds no
# point inflow, and on which the rain of the whole cycle cannot wet a cell (all its cells dry
# and rain <= infiltration capacity in every cell, or no rain and no film that infiltration or the
# sewer would change) *sleeps*: none of its faces can carry water in the cycle (a wetting front
# moves at most one cell per step, a cycle has at most 2**max_level < TILE steps), so it is not
# computed; its rain goes to infiltration in the totals, as the cell update would put it.

#: Side of a tile (cells).
TILE = 32
#: Largest level: a tile steps at most 2**MAX_LEVEL times the finest step (2**MAX_LEVEL < TILE).
MAX_LEVEL = 4
#: Level of a sleeping tile.
SLEEP = 127


@njit(cache=True)
def series_max(t0: float, t1: float, series: np.ndarray, step: float) -> float:
    """Largest value of the piecewise-constant ``series`` on [t0, t1) (0 after its end)."""
    n = series.shape[0]
    if n == 0 or t1 <= t0:
        return 0.0
    if n == 1 and step <= 0.0:
        return series[0]
    m = 0.0
    i = int(t0 // step)
    while i < n and i * step < t1:
        if series[i] > m:
            m = series[i]
        i += 1
    return m


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _xface(
    i: int, j: int, h: np.ndarray, z: np.ndarray, kind: np.ndarray, n: np.ndarray, qx: np.ndarray,
    edge: int, dt: float, dx: float, theta: float, min_depth: float,
) -> float:  # fmt: skip
    """New discharge on x face (i, j), between cells (i, j - 1) and (i, j), for any cell kinds."""
    nx = h.shape[1]
    ka = kind[i, j - 1] if j > 0 else edge
    kb = kind[i, j] if j < nx else edge
    q = qx[i, j]
    if ka == OPEN and kb == OPEN:
        q_up = qx[i, j - 1] if j > 1 else q
        q_down = qx[i, j + 1] if j < nx - 1 else q
        return _face_flux(
            q, q_up, q_down, h[i, j - 1], h[i, j], z[i, j - 1], z[i, j], n[i, j - 1], n[i, j], dt, dx, theta, min_depth
        )
    ha = h[i, j - 1] if j > 0 else 0.0
    na = n[i, j - 1] if j > 0 else 0.0
    hb = h[i, j] if j < nx else 0.0
    nb = n[i, j] if j < nx else 0.0
    return _edge_flux(ka, kb, q, ha, hb, na, nb, dt, dx, min_depth)


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _yface(
    i: int, j: int, h: np.ndarray, z: np.ndarray, kind: np.ndarray, n: np.ndarray, qy: np.ndarray,
    edge: int, dt: float, dx: float, theta: float, min_depth: float,
) -> float:  # fmt: skip
    """New discharge on y face (i, j), between cells (i - 1, j) and (i, j), for any cell kinds."""
    ny = h.shape[0]
    ka = kind[i - 1, j] if i > 0 else edge
    kb = kind[i, j] if i < ny else edge
    q = qy[i, j]
    if ka == OPEN and kb == OPEN:
        q_up = qy[i - 1, j] if i > 1 else q
        q_down = qy[i + 1, j] if i < ny - 1 else q
        return _face_flux(
            q, q_up, q_down, h[i - 1, j], h[i, j], z[i - 1, j], z[i, j], n[i - 1, j], n[i, j], dt, dx, theta, min_depth
        )
    ha = h[i - 1, j] if i > 0 else 0.0
    na = n[i - 1, j] if i > 0 else 0.0
    hb = h[i, j] if i < ny else 0.0
    nb = n[i, j] if i < ny else 0.0
    return _edge_flux(ka, kb, q, ha, hb, na, nb, dt, dx, min_depth)


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _step_of(lev: int, k: int, dt0: float) -> float:
    """Step (s) of a face or tile of level ``lev`` when it is computed at sub-step ``k``, else 0."""
    if lev == SLEEP or (k & ((1 << lev) - 1)) != 0:
        return 0.0
    return dt0 * (1 << lev)


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _border(lev: int, other: int) -> int:
    """Level of the faces between a tile of level ``lev`` and one of level ``other`` (none beside a sleeper)."""
    return SLEEP if other == SLEEP else min(lev, other)


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _tile_weights(level: np.ndarray, ti: int, tj: int, k: int, dt0: float) -> tuple[float, float, float, float, float]:
    """Steps (s) of the faces of tile (ti, tj) computed at sub-step ``k``, 0 for faces not computed then.

    Returns (inner, west, east, north, south): the tile's own faces and the faces on its four
    borders (the finer level of the two tiles; never computed beside a sleeping tile).
    """
    nty, ntx = level.shape
    lev = level[ti, tj]
    lw = lev if tj == 0 else _border(lev, level[ti, tj - 1])
    le = lev if tj == ntx - 1 else _border(lev, level[ti, tj + 1])
    ln = lev if ti == 0 else _border(lev, level[ti - 1, tj])
    ls = lev if ti == nty - 1 else _border(lev, level[ti + 1, tj])
    return _step_of(lev, k, dt0), _step_of(lw, k, dt0), _step_of(le, k, dt0), _step_of(ln, k, dt0), _step_of(ls, k, dt0)


@njit(**_PASS_OPTIONS)
def _fluxes_of_tile(p: int, k: int, flow: Flow, ground: Ground, tiling: Tiling, dt0: float, scheme: Scheme) -> None:
    """One tile's share of :func:`_tile_fluxes` (the ``p``-th tile of ``tiling.order``)."""
    h, qx, qy, qx_new, qy_new = flow.h, flow.qx, flow.qy, flow.qx_new, flow.qy_new
    z, kind, n = ground.z, ground.kind, ground.n
    level, order, outlet_tile = tiling
    dx, theta, min_depth, open_edges = scheme.dx, scheme.theta, scheme.min_depth, scheme.open_edges
    ny, nx = h.shape
    ntx = level.shape[1]
    edge = OUTLET if open_edges else BUILDING
    tid = order[p]
    ti = tid // ntx
    tj = tid - ti * ntx
    if level[ti, tj] == SLEEP:
        return
    wi, ww, _, wn, _ = _tile_weights(level, ti, tj, k, dt0)
    if wi == 0.0 and ww == 0.0 and wn == 0.0:
        return
    r0 = ti * TILE
    r1 = min(r0 + TILE, ny)
    c0 = tj * TILE
    c1 = min(c0 + TILE, nx)
    lo = max(c0 + 1, 2)
    hi = min(c1, nx - 1)
    for i in range(r0, r1):
        hr, zr, nr, qr, qn, kr = h[i], z[i], n[i], qx[i], qx_new[i], kind[i]
        if ww > 0.0:
            j = c0
            if j >= 2 and j <= nx - 2:
                f = _face_flux(
                    qr[j], qr[j - 1], qr[j + 1], hr[j - 1], hr[j], zr[j - 1], zr[j], nr[j - 1], nr[j],
                    ww, dx, theta, min_depth,
                )  # fmt: skip
                qn[j] = f if (kr[j - 1] | kr[j]) == OPEN else 0.0
            else:
                qn[j] = _xface(i, j, h, z, kind, n, qx, edge, ww, dx, theta, min_depth)
        if wi > 0.0:
            for j in range(lo, hi):
                f = _face_flux(
                    qr[j], qr[j - 1], qr[j + 1], hr[j - 1], hr[j], zr[j - 1], zr[j], nr[j - 1], nr[j],
                    wi, dx, theta, min_depth,
                )  # fmt: skip
                qn[j] = f if (kr[j - 1] | kr[j]) == OPEN else 0.0
            for j in range(c0 + 1, lo):
                qn[j] = _xface(i, j, h, z, kind, n, qx, edge, wi, dx, theta, min_depth)
            for j in range(max(hi, c0 + 1), c1):
                qn[j] = _xface(i, j, h, z, kind, n, qx, edge, wi, dx, theta, min_depth)
            if c1 == nx:
                # through the 2-D array: the same store through the row view ``qn`` was lost in the
                # parallel compile (numba 0.68.1), so the east edge of the grid carried nothing
                qx_new[i, nx] = _xface(i, nx, h, z, kind, n, qx, edge, wi, dx, theta, min_depth)
    for i in range(r0, r1):
        dt = wn if i == r0 else wi
        if dt == 0.0:
            continue
        if i < 2 or i > ny - 2:
            for j in range(c0, c1):
                qy_new[i, j] = _yface(i, j, h, z, kind, n, qy, edge, dt, dx, theta, min_depth)
            continue
        qr, qn, qu, qd = qy[i], qy_new[i], qy[i - 1], qy[i + 1]
        ha, hb, za, zb, na, nb, ka, kb = h[i - 1], h[i], z[i - 1], z[i], n[i - 1], n[i], kind[i - 1], kind[i]
        for j in range(c0, c1):
            f = _face_flux(qr[j], qu[j], qd[j], ha[j], hb[j], za[j], zb[j], na[j], nb[j], dt, dx, theta, min_depth)
            qn[j] = f if (ka[j] | kb[j]) == OPEN else 0.0
    if wi > 0.0 and r1 == ny:
        for j in range(c0, c1):
            qy_new[ny, j] = _yface(ny, j, h, z, kind, n, qy, edge, wi, dx, theta, min_depth)
    if outlet_tile[ti, tj]:
        # the faces towards an outlet cell (the grid edge and the faces beside it are done)
        for i in range(r0, r1):
            kr = kind[i]
            if ww > 0.0 and c0 > 0 and (kr[c0 - 1] | kr[c0]) == OUTLET:
                qx_new[i, c0] = _xface(i, c0, h, z, kind, n, qx, edge, ww, dx, theta, min_depth)
            if wi > 0.0:
                for j in range(c0 + 1, c1):
                    if (kr[j - 1] | kr[j]) == OUTLET:
                        qx_new[i, j] = _xface(i, j, h, z, kind, n, qx, edge, wi, dx, theta, min_depth)
            dt = wn if i == r0 else wi
            if dt > 0.0 and i > 0:
                ka = kind[i - 1]
                for j in range(c0, c1):
                    if (ka[j] | kr[j]) == OUTLET:
                        qy_new[i, j] = _yface(i, j, h, z, kind, n, qy, edge, dt, dx, theta, min_depth)


def _tile_fluxes(k: int, flow: Flow, ground: Ground, tiling: Tiling, dt0: float, scheme: Scheme) -> None:
    """New discharges (unscaled, into ``qx_new``/``qy_new``) of the faces computed at sub-step ``k``.

    A tile owns the x faces west of its cells and the y faces north of them (the tiles on the
    east and south edges also the grid's edge faces). The loops over a tile's rows have no
    branches: every face gets the open-ground discharge, kept where both cells are open (a
    select on the cell kinds, 0 at walls); the grid edge and the faces next to it take the
    general face function; tiles with an outlet cell in them or their ring (``outlet_tile``)
    then recompute their outlet faces.
    """
    for p in prange(tiling.order.shape[0]):
        # np.int64: in the parallel compile ``p`` is a uint64, and the tile function would be
        # compiled a second time for it (measured: 1-9 s each; see "Compile time" in docs/overland.md)
        _fluxes_of_tile(np.int64(p), k, flow, ground, tiling, dt0, scheme)


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _cell_factor(
    i: int, j: int, a: float, b: float, c: float, d: float, start: bool, keep: bool,
    h: np.ndarray, kind: np.ndarray, qx_new: np.ndarray, qy_new: np.ndarray,
    factor: np.ndarray, avail: np.ndarray, inv_dx: float,
) -> None:  # fmt: skip
    """Positivity factor of cell (i, j) for the faces computed now (steps a west, b east, c north, d south)."""
    out = (
        max(-qx_new[i, j], 0.0) * a + max(qx_new[i, j + 1], 0.0) * b
        + max(-qy_new[i, j], 0.0) * c + max(qy_new[i + 1, j], 0.0) * d
    ) * inv_dx  # fmt: skip
    av = h[i, j] if start else avail[i, j]
    f = av / out if (out > av and kind[i, j] == OPEN) else 1.0
    factor[i + 1, j + 1] = f
    if keep:
        avail[i, j] = max(av - out * f, 0.0)


@njit(**_PASS_OPTIONS)
def _factors_of_tile(
    p: int, k: int, flow: Flow, kind: np.ndarray, tiling: Tiling, work: TileWork, dt0: float, dx: float
) -> None:
    """One tile's share of :func:`_tile_factors` (the ``p``-th tile of ``tiling.order``)."""
    h, qx_new, qy_new, factor = flow.h, flow.qx_new, flow.qy_new, flow.factor
    level, order, avail = tiling.level, tiling.order, work.avail
    ny, nx = h.shape
    ntx = level.shape[1]
    inv_dx = 1.0 / dx
    tid = order[p]
    ti = tid // ntx
    tj = tid - ti * ntx
    lev = level[ti, tj]
    if lev == SLEEP:
        return
    wi, ww, we, wn, ws = _tile_weights(level, ti, tj, k, dt0)
    start = wi > 0.0
    if not (start or ww > 0.0 or we > 0.0 or wn > 0.0 or ws > 0.0):
        return
    keep = lev > 0
    r0 = ti * TILE
    r1 = min(r0 + TILE, ny)
    c0 = tj * TILE
    c1 = min(c0 + TILE, nx)
    w = c1 - c0
    if start:
        ri = wi * inv_dx
        rw = (ww if ww > 0.0 else wi) * inv_dx
        re = (we if we > 0.0 else wi) * inv_dx
        for i in range(r0, r1):
            rn = (wn if wn > 0.0 else wi) * inv_dx if i == r0 else ri
            rs = (ws if ws > 0.0 else wi) * inv_dx if i == r1 - 1 else ri
            qxn = qx_new[i, c0 : c1 + 1]
            qyn = qy_new[i, c0:c1]
            qyd = qy_new[i + 1, c0:c1]
            hr = h[i, c0:c1]
            kr = kind[i, c0:c1]
            fr = factor[i + 1, c0 + 1 : c1 + 1]
            if lev == 0:
                for jj in range(w):
                    out = (max(-qxn[jj], 0.0) + max(qxn[jj + 1], 0.0) + max(-qyn[jj], 0.0) + max(qyd[jj], 0.0)) * ri
                    fr[jj] = hr[jj] / out if (out > hr[jj] and kr[jj] == OPEN) else 1.0
            else:
                avr = avail[i, c0:c1]
                for jj in range(w):
                    a = rw if jj == 0 else ri
                    b = re if jj == w - 1 else ri
                    out = max(-qxn[jj], 0.0) * a + max(qxn[jj + 1], 0.0) * b + max(-qyn[jj], 0.0) * rn
                    out += max(qyd[jj], 0.0) * rs
                    f = hr[jj] / out if (out > hr[jj] and kr[jj] == OPEN) else 1.0
                    fr[jj] = f
                    avr[jj] = max(hr[jj] - out * f, 0.0)
        return
    for i in range(r0, r1):
        c = wn if i == r0 else 0.0
        d = ws if i == r1 - 1 else 0.0
        if c > 0.0 or d > 0.0:
            for j in range(c0, c1):
                a = ww if j == c0 else 0.0
                b = we if j == c1 - 1 else 0.0
                _cell_factor(i, j, a, b, c, d, False, keep, h, kind, qx_new, qy_new, factor, avail, inv_dx)
        else:
            if ww > 0.0:
                _cell_factor(i, c0, ww, we if c1 - 1 == c0 else 0.0, 0.0, 0.0, False, keep, h, kind, qx_new,
                             qy_new, factor, avail, inv_dx)  # fmt: skip
            if we > 0.0 and (c1 - 1 != c0 or ww == 0.0):
                _cell_factor(i, c1 - 1, ww if c1 - 1 == c0 else 0.0, we, 0.0, 0.0, False, keep, h, kind,
                             qx_new, qy_new, factor, avail, inv_dx)  # fmt: skip


def _tile_factors(k: int, flow: Flow, kind: np.ndarray, tiling: Tiling, work: TileWork, dt0: float, dx: float) -> None:
    """Positivity factors of the cells with a face computed at sub-step ``k`` (``factor`` has a ring of ones).

    A cell's outgoing discharges over the faces computed now may take at most ``avail``, the water
    it holds at the start of its own step less what its faces took since; a tile of level 0 (one
    sub-step per step) uses its depth and keeps no ``avail``. At the start of a tile's step all its
    faces are computed (a face beside a sleeping tile is 0 in ``qx_new``/``qy_new``), so the loop
    over its rows has no branches.
    """
    for p in prange(tiling.order.shape[0]):
        # np.int64: in the parallel compile ``p`` is a uint64, and the tile function would be
        # compiled a second time for it (measured: 1-9 s each; see "Compile time" in docs/overland.md)
        _factors_of_tile(np.int64(p), k, flow, kind, tiling, work, dt0, dx)


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _cell_faces(
    i: int, j: int, a: float, b: float, c: float, d: float,
    qx: np.ndarray, qy: np.ndarray, qx_new: np.ndarray, qy_new: np.ndarray, factor: np.ndarray,
) -> tuple[float, float, float, float]:  # fmt: skip
    """Current discharges on the west, east, north and south faces of cell (i, j).

    Faces computed now (step > 0) are scaled from ``qx_new``/``qy_new`` (the owner of a face
    writes it into ``qx``/``qy`` in the same pass, so a neighbour recomputes it); the others are
    read from ``qx``/``qy``, which nobody writes in this pass.
    """
    fc = factor[i + 1, j + 1]
    sw = _scaled(qx_new[i, j], factor[i + 1, j], fc) if a > 0.0 else qx[i, j]
    se = _scaled(qx_new[i, j + 1], fc, factor[i + 1, j + 2]) if b > 0.0 else qx[i, j + 1]
    sn = _scaled(qy_new[i, j], factor[i, j + 1], fc) if c > 0.0 else qy[i, j]
    ss = _scaled(qy_new[i + 1, j], fc, factor[i + 2, j + 1]) if d > 0.0 else qy[i + 1, j]
    return sw, se, sn, ss


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _outflow(br: int, sw: float, se: float, sn: float, ss: float, a: float, b: float, c: float, d: float) -> float:
    """Volume per metre of face (m²) that left cell over its outlet faces (flags ``br``) in this sub-step."""
    out = 0.0
    if br & 1:
        out += max(se, 0.0) * b
    if br & 2:
        out += max(-sw, 0.0) * a
    if br & 4:
        out += max(ss, 0.0) * d
    if br & 8:
        out += max(-sn, 0.0) * c
    return out


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _cell_acc(
    i: int, j: int, a: float, b: float, c: float, d: float,
    qx: np.ndarray, qy: np.ndarray, qx_new: np.ndarray, qy_new: np.ndarray, factor: np.ndarray,
    acc: np.ndarray, border: np.ndarray, inv_dx: float,
) -> float:  # fmt: skip
    """Add what the faces computed now carry into cell (i, j) to ``acc`` (m); write the faces it owns.

    Returns the volume per metre (m²) that left over outlet faces.
    """
    ny, nx = acc.shape
    sw, se, sn, ss = _cell_faces(i, j, a, b, c, d, qx, qy, qx_new, qy_new, factor)
    if a > 0.0:
        qx[i, j] = sw
    if c > 0.0:
        qy[i, j] = sn
    if j == nx - 1 and b > 0.0:
        qx[i, nx] = se
    if i == ny - 1 and d > 0.0:
        qy[ny, j] = ss
    acc[i, j] += (sw * a - se * b + sn * c - ss * d) * inv_dx
    br = border[i, j]
    return _outflow(br, sw, se, sn, ss, a, b, c, d) if br != 0 else 0.0


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def _new_depth(
    h0: float, change: float, rain: float, infil: float, sink: float, is_open: bool
) -> tuple[float, float, float]:
    """Depth after a step (flux change, rain, then infiltration and sink capacity, m), and the two losses."""
    # round-off only below 0: the limiter keeps the outflow within the water present
    hn = max(h0 + change, 0.0) + rain
    li = min(infil, hn)
    hn -= li
    ls = min(sink, hn)
    hn -= ls
    return (hn if is_open else 0.0), li, ls


@njit(**_PASS_OPTIONS)
def _depths_of_tile(
    p: int,
    k: int,
    t_cycle: float,
    dt0: float,
    flow: Flow,
    ground: Ground,
    forcing: Forcing,
    record: Record,
    tiling: Tiling,
    work: TileWork,
    dx: float,
) -> None:
    """One tile's share of :func:`_tile_depths` (the ``p``-th tile of ``tiling.order``)."""
    h, qx, qy, qx_new, qy_new, factor = flow
    kind, border, rain_weight, infil_rate, sink_rate = (
        ground.kind, ground.border, ground.rain_weight, ground.infil_rate, ground.sink_rate
    )  # fmt: skip
    rain_series, rain_step, src_rows, src_cols, src_series, src_step = forcing
    hmax, tmax, vmax, thresholds, above = record.hmax, record.tmax, record.vmax, record.thresholds, record.above
    level, order = tiling.level, tiling.order
    acc, tile_sums, scratch = work.acc, work.sums, work.scratch
    ny, nx = h.shape
    ntx = level.shape[1]
    inv_dx = 1.0 / dx
    area = dx * dx
    nsrc = src_rows.shape[0]
    nthr = thresholds.shape[0]
    tid = order[p]
    ti = tid // ntx
    tj = tid - ti * ntx
    lev = level[ti, tj]
    if lev == SLEEP:
        return
    wi, ww, we, wn, ws = _tile_weights(level, ti, tj, k, dt0)
    start = wi > 0.0
    end = ((k + 1) & ((1 << lev) - 1)) == 0
    if not (start or end or ww > 0.0 or we > 0.0 or wn > 0.0 or ws > 0.0):
        return
    r0 = ti * TILE
    r1 = min(r0 + TILE, ny)
    c0 = tj * TILE
    c1 = min(c0 + TILE, nx)
    w = c1 - c0
    src_tile = False
    for s in range(nsrc):
        if src_rows[s] >= r0 and src_rows[s] < r1 and src_cols[s] >= c0 and src_cols[s] < c1:
            src_tile = True
    dt = dt0 * (1 << lev)
    t_end = t_cycle + (k + 1) * dt0
    out = 0.0
    infil = 0.0
    sink = 0.0
    hm = 0.0
    film = 0.0
    rain = series_integral(t_end - dt, t_end, rain_series, rain_step) if end else 0.0
    if start:
        # every face of the tile computed now: scaled by rows, into the depths (level 0) or acc;
        # sx: the scaled x faces of one row, in the tile's own row of ``scratch`` (an array made
        # here would be hoisted out of the parallel loop by numba, see docs/overland.md)
        sx = scratch[tid]
        rw = ww if ww > 0.0 else wi
        re = we if we > 0.0 else wi
        for i in range(r0, r1):
            rn = (wn if wn > 0.0 else wi) if i == r0 else wi
            rs = (ws if ws > 0.0 else wi) if i == r1 - 1 else wi
            f_up = factor[i, c0 : c1 + 2]
            f_row = factor[i + 1, c0 : c1 + 2]
            f_down = factor[i + 2, c0 : c1 + 2]
            qxn = qx_new[i, c0 : c1 + 1]
            for jj in range(w + 1):
                q = qxn[jj]
                sx[jj] = q * (f_row[jj] if q > 0.0 else f_row[jj + 1])
            qxr = qx[i, c0:c1]
            for jj in range(w):
                qxr[jj] = sx[jj]
            if c1 == nx:
                qx[i, nx] = sx[w]
            qyn = qy_new[i, c0:c1]
            qyd = qy_new[i + 1, c0:c1]
            qyr = qy[i, c0:c1]
            if lev == 0 and not src_tile:
                dt_dx = wi * inv_dx
                hr, kr, wr, ir, sr = (
                    h[i, c0:c1],
                    kind[i, c0:c1],
                    rain_weight[i, c0:c1],
                    infil_rate[i, c0:c1],
                    sink_rate[i, c0:c1],
                )
                hmr, tmr, vmr = hmax[i, c0:c1], tmax[i, c0:c1], vmax[i, c0:c1]
                for jj in range(w):
                    q = qyn[jj]
                    sn = q * (f_up[jj + 1] if q > 0.0 else f_row[jj + 1])
                    qyr[jj] = sn
                    q = qyd[jj]
                    ss = q * (f_row[jj + 1] if q > 0.0 else f_down[jj + 1])
                    hn, li, ls = _new_depth(hr[jj], (sx[jj] - sx[jj + 1] + sn - ss) * dt_dx, rain * wr[jj],
                                            ir[jj] * dt, sr[jj] * dt, kr[jj] == OPEN)  # fmt: skip
                    infil += li
                    sink += ls
                    hr[jj] = hn
                    hm = max(hm, hn)
                    film = 1.0 if (hn > 0.0 and ir[jj] + sr[jj] > 0.0) else film
                    higher = hn > hmr[jj]
                    hmr[jj] = hn if higher else hmr[jj]
                    tmr[jj] = t_end if higher else tmr[jj]
                    inv = 0.5 / max(hn, VELOCITY_MIN_DEPTH)
                    u = (sx[jj] + sx[jj + 1]) * inv
                    v = (sn + ss) * inv
                    speed = np.sqrt(u * u + v * v)
                    vmr[jj] = max(vmr[jj], speed) if hn > VELOCITY_MIN_DEPTH else vmr[jj]
            else:
                accr = acc[i, c0:c1]
                for jj in range(w):
                    q = qyn[jj]
                    sn = q * (f_up[jj + 1] if q > 0.0 else f_row[jj + 1])
                    qyr[jj] = sn
                    q = qyd[jj]
                    ss = q * (f_row[jj + 1] if q > 0.0 else f_down[jj + 1])
                    a = rw if jj == 0 else wi
                    b = re if jj == w - 1 else wi
                    accr[jj] += (sx[jj] * a - sx[jj + 1] * b + sn * rn - ss * rs) * inv_dx
            if i == ny - 1:
                for jj in range(w):
                    q = qyd[jj]
                    qy[ny, c0 + jj] = q * (f_row[jj + 1] if q > 0.0 else f_down[jj + 1])
            brr = border[i, c0:c1]
            for jj in range(w):
                br = brr[jj]
                if br != 0:
                    q = qyn[jj]
                    sn = q * (f_up[jj + 1] if q > 0.0 else f_row[jj + 1])
                    q = qyd[jj]
                    ss = q * (f_row[jj + 1] if q > 0.0 else f_down[jj + 1])
                    a = rw if jj == 0 else wi
                    b = re if jj == w - 1 else wi
                    out += _outflow(br, sx[jj], sx[jj + 1], sn, ss, a, b, rn, rs)
            if lev == 0 and not src_tile and nthr > 0:
                for jj in range(w):
                    for m in range(nthr):
                        if h[i, c0 + jj] > thresholds[m]:
                            above[m, i, c0 + jj] += dt
        if lev == 0 and not src_tile:
            tile_sums[tid, 0] += out
            tile_sums[tid, 1] += infil
            tile_sums[tid, 2] += sink
            tile_sums[tid, 3] = hm
            tile_sums[tid, 4] = film
            return
    else:
        # only the faces on the tile's borders towards finer tiles are computed now
        for i in range(r0, r1):
            c = wn if i == r0 else 0.0
            d = ws if i == r1 - 1 else 0.0
            if c > 0.0 or d > 0.0:
                for j in range(c0, c1):
                    a = ww if j == c0 else 0.0
                    b = we if j == c1 - 1 else 0.0
                    out += _cell_acc(i, j, a, b, c, d, qx, qy, qx_new, qy_new, factor, acc, border, inv_dx)
            else:
                if ww > 0.0:
                    out += _cell_acc(i, c0, ww, we if c1 - 1 == c0 else 0.0, 0.0, 0.0, qx, qy, qx_new, qy_new,
                                     factor, acc, border, inv_dx)  # fmt: skip
                if we > 0.0 and (c1 - 1 != c0 or ww == 0.0):
                    out += _cell_acc(i, c1 - 1, ww if c1 - 1 == c0 else 0.0, we, 0.0, 0.0, qx, qy, qx_new,
                                     qy_new, factor, acc, border, inv_dx)  # fmt: skip
    if not end:
        tile_sums[tid, 0] += out
        return
    # the end of the step of a coarse tile (or of a level-0 tile with a point inflow): new depths
    # from acc; the faces for the speeds from qx/qy, those a neighbour may write now recomputed
    for i in range(r0, r1):
        c = wn if i == r0 else 0.0
        d = ws if i == r1 - 1 else 0.0
        for j in range(c0, c1):
            if i < r1 - 1 and j < c1 - 1:
                sw = qx[i, j]
                se = qx[i, j + 1]
                sn = qy[i, j]
                ss = qy[i + 1, j]
            else:
                a = ww if j == c0 else 0.0
                b = we if j == c1 - 1 else 0.0
                if start:  # level 0 with a point inflow: all faces computed now
                    a = ww if j == c0 else wi
                    b = we if j == c1 - 1 else wi
                    c = wn if i == r0 else wi
                    d = ws if i == r1 - 1 else wi
                sw, se, sn, ss = _cell_faces(i, j, a, b, c, d, qx, qy, qx_new, qy_new, factor)
            change = acc[i, j]
            acc[i, j] = 0.0
            hn, li, ls = _new_depth(h[i, j], change, rain * rain_weight[i, j], infil_rate[i, j] * dt,
                                    sink_rate[i, j] * dt, kind[i, j] == OPEN)  # fmt: skip
            infil += li
            sink += ls
            if src_tile:  # point inflows enter after the losses, as in the row kernels
                for s in range(nsrc):
                    if src_rows[s] == i and src_cols[s] == j:
                        hn += series_integral(t_end - dt, t_end, src_series[s], src_step) / area
            h[i, j] = hn
            hm = max(hm, hn)
            film = 1.0 if (hn > 0.0 and infil_rate[i, j] + sink_rate[i, j] > 0.0) else film
            if hn > hmax[i, j]:
                hmax[i, j] = hn
                tmax[i, j] = t_end
            if hn > VELOCITY_MIN_DEPTH:
                inv = 0.5 / hn
                u = (sw + se) * inv
                v = (sn + ss) * inv
                vmax[i, j] = max(vmax[i, j], np.sqrt(u * u + v * v))
            for m in range(nthr):
                if hn > thresholds[m]:
                    above[m, i, j] += dt
    tile_sums[tid, 0] += out
    tile_sums[tid, 1] += infil
    tile_sums[tid, 2] += sink
    tile_sums[tid, 3] = hm
    tile_sums[tid, 4] = film


def _tile_depths(
    k: int,
    t_cycle: float,
    dt0: float,
    flow: Flow,
    ground: Ground,
    forcing: Forcing,
    record: Record,
    tiling: Tiling,
    work: TileWork,
    dx: float,
) -> None:
    """Scale the faces computed at sub-step ``k`` (into ``qx``, ``qy``); update the cells whose step ends now.

    Level-0 tiles (a step per sub-step) update their depths from the faces directly; coarser tiles
    add the faces' volumes to ``acc`` and update at the end of their step, with the rain, inflow
    and losses of that step. ``work.sums[tile]`` gets [outflow (m² per metre of face), infiltration
    (m), sink (m)] added, and [largest depth, 1 if a cell holds a film that losses would change].
    At the start of a tile's step all its faces are computed (a face beside a sleeping tile is 0
    in ``qx_new``/``qy_new``), so those loops run over row slices without branches; the cells of
    the last row and column of a coarse tile end their step with the faces the neighbour tiles
    may write in this pass recomputed (``_cell_faces``).
    """
    for p in prange(tiling.order.shape[0]):
        # np.int64: in the parallel compile ``p`` is a uint64, and the tile function would be
        # compiled a second time for it (measured: 1-9 s each; see "Compile time" in docs/overland.md)
        _depths_of_tile(np.int64(p), k, t_cycle, dt0, flow, ground, forcing, record, tiling, work, dx)


_tfluxes_par = compiled_variant(_tile_fluxes, "parallel", {}, parallel=_PRANGE_ONLY, **_PASS_OPTIONS)
_tfluxes_ser = compiled_variant(_tile_fluxes, "serial", {}, **_PASS_OPTIONS)
_tfactors_par = compiled_variant(_tile_factors, "parallel", {}, parallel=_PRANGE_ONLY, **_PASS_OPTIONS)
_tfactors_ser = compiled_variant(_tile_factors, "serial", {}, **_PASS_OPTIONS)
_tdepths_par = compiled_variant(_tile_depths, "parallel", {}, parallel=_PRANGE_ONLY, **_PASS_OPTIONS)
_tdepths_ser = compiled_variant(_tile_depths, "serial", {}, **_PASS_OPTIONS)
#: The passes :func:`_advance_tiles` calls; :data:`advance_tiles_parallel` rebinds them to the parallel ones.
_tfluxes, _tfactors, _tdepths = _tfluxes_ser, _tfactors_ser, _tdepths_ser
_TILES_PARALLEL = {"_tfluxes": _tfluxes_par, "_tfactors": _tfactors_par, "_tdepths": _tdepths_par}


#: The passes hand the tile rows to the threads in this many interleaved sets (see :func:`interleaved_tiles`).
INTERLEAVE = 8


@njit(cache=True)
def interleaved_tiles(nty: int, ntx: int) -> np.ndarray:
    """The order in which a pass visits the tiles: every ``INTERLEAVE``-th row of tiles, then the next set.

    numba splits a ``prange`` into one contiguous block of iterations per thread. In grid order
    one thread would get the north of the grid and another the south, and the work of a sub-step
    (the tiles at the finest level, around the deepest water) often lies in one of them; in this
    order every block holds rows of tiles from all over the grid, and the tiles of a row stay
    side by side (their memory is contiguous). Every tile writes only its own values, so the
    order does not change the answer.
    """
    order = np.empty(nty * ntx, dtype=np.int64)
    m = 0
    for r in range(INTERLEAVE):
        for ti in range(r, nty, INTERLEAVE):
            for tj in range(ntx):
                order[m] = ti * ntx + tj
                m += 1
    return order


@njit(cache=True)
def tiles_setup(
    h: np.ndarray, ground: Ground, forcing: Forcing, tile_sums: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per tile: an outlet cell in it or its ring, rain weight sum, rain cap, inflow.

    The rain cap is the largest rain intensity (m/s) that every cell of the tile takes in by
    infiltration (min over the cells with rain of capacity / rain weight). ``tile_sums`` gets
    the largest depth and the film flag of the initial state.
    """
    kind, rain_weight, infil_rate, sink_rate = ground.kind, ground.rain_weight, ground.infil_rate, ground.sink_rate
    src_rows, src_cols = forcing.src_rows, forcing.src_cols
    ny, nx = h.shape
    nty = (ny + TILE - 1) // TILE
    ntx = (nx + TILE - 1) // TILE
    outlet_tile = np.zeros((nty, ntx), dtype=np.bool_)
    weight = np.zeros((nty, ntx))
    cap = np.full((nty, ntx), np.inf)
    has_src = np.zeros((nty, ntx), dtype=np.bool_)
    for ti in range(nty):
        for tj in range(ntx):
            r0 = ti * TILE
            r1 = min(r0 + TILE, ny)
            c0 = tj * TILE
            c1 = min(c0 + TILE, nx)
            near_outlet = False
            hm = 0.0
            film = 0.0
            for i in range(max(r0 - 1, 0), min(r1 + 1, ny)):
                for j in range(max(c0 - 1, 0), min(c1 + 1, nx)):
                    if kind[i, j] == OUTLET:
                        near_outlet = True
                    if i >= r0 and i < r1 and j >= c0 and j < c1:
                        weight[ti, tj] += rain_weight[i, j]
                        if rain_weight[i, j] > 0.0:
                            cap[ti, tj] = min(cap[ti, tj], infil_rate[i, j] / rain_weight[i, j])
                        hm = max(hm, h[i, j])
                        if h[i, j] > 0.0 and infil_rate[i, j] + sink_rate[i, j] > 0.0:
                            film = 1.0
            outlet_tile[ti, tj] = near_outlet
            tile_sums[ti * ntx + tj, 3] = hm
            tile_sums[ti * ntx + tj, 4] = film
    for s in range(src_rows.shape[0]):
        has_src[src_rows[s] // TILE, src_cols[s] // TILE] = True
    return outlet_tile, weight, cap, has_src


def _advance_tiles(
    h: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    ground: Ground,
    forcing: Forcing,
    record: Record,
    scheme: Scheme,
    t0: float,
    t1: float,
    max_level: int,
    skip_dry: bool,
) -> tuple[float, int, int]:
    """Advance the state in place from ``t0`` to ``t1`` by tiles; returns (t, fine sub-steps, cell updates).

    As :func:`_advance_rows`, with the tiles of the comment above: dry tiles asleep and, with
    ``max_level`` > 0, local time steps (``skip_dry`` False keeps every tile awake, for tests).
    ``record.totals`` accumulates [rain, infiltration, sink, outflow, inflow] in m³; ``record.above[m]``
    the seconds each cell ended a step deeper than ``record.thresholds[m]``. Every value is computed by one
    thread and the per-tile sums are added in tile order, so the answer does not depend on the
    number of threads.
    """
    ny, nx = h.shape
    dx, alpha, min_depth, max_dt = scheme.dx, scheme.alpha, scheme.min_depth, scheme.max_dt
    rain_weight, totals = ground.rain_weight, record.totals
    rain_series, rain_step, _, _, src_series, src_step = forcing
    area = dx * dx
    nty = (ny + TILE - 1) // TILE
    ntx = (nx + TILE - 1) // TILE
    ntiles = nty * ntx
    qx_new = np.zeros_like(qx)
    qy_new = np.zeros_like(qy)
    flow = Flow(h, qx, qy, qx_new, qy_new, np.ones((ny + 2, nx + 2)))
    tile_sums = np.zeros((ntiles, 5))
    # scratch, per tile: one row of scaled x faces (_tile_depths)
    work = TileWork(np.zeros((ny, nx)), np.zeros((ny, nx)), tile_sums, np.empty((ntiles, TILE + 1)))
    outlet_tile, tile_weight, cap, has_src = tiles_setup(h, ground, forcing, tile_sums)
    weight_sum = 0.0
    for i in range(ny):
        for j in range(nx):
            weight_sum += rain_weight[i, j]
    level = np.zeros((nty, ntx), dtype=np.int64)
    tiling = Tiling(level, interleaved_tiles(nty, ntx), outlet_tile)
    asleep = np.zeros((nty, ntx), dtype=np.bool_)
    quiet = np.zeros((nty, ntx), dtype=np.bool_)
    deep = np.zeros((nty, ntx))
    nsrc = forcing.src_rows.shape[0]
    t = t0
    substeps = 0
    updates = 0
    while t < t1 - 1e-12 * max(1.0, abs(t1)):
        hm = 0.0
        for tid in range(ntiles):
            hm = max(hm, tile_sums[tid, 3])
        dt0 = max_dt
        if hm > min_depth:
            dt0 = min(max_dt, alpha * dx / np.sqrt(G * hm))
        # levels from the deepest cell of each tile and its eight neighbours
        top = 0
        for ti in range(nty):
            for tj in range(ntx):
                d = 0.0
                for a in range(max(ti - 1, 0), min(ti + 2, nty)):
                    for b in range(max(tj - 1, 0), min(tj + 2, ntx)):
                        d = max(d, tile_sums[a * ntx + b, 3])
                deep[ti, tj] = d
                dt_tile = max_dt
                if d > min_depth:
                    dt_tile = min(max_dt, alpha * dx / np.sqrt(G * d))
                lev = 0
                while lev < max_level and dt0 * (1 << (lev + 1)) <= dt_tile:
                    lev += 1
                level[ti, tj] = lev
                top = max(top, lev)
        nsub = 1 << top
        if t + nsub * dt0 > t1:
            dt0 = (t1 - t) / nsub
        t_next = t + nsub * dt0
        rate = series_max(t, t_next, rain_series, rain_step)
        for ti in range(nty):
            for tj in range(ntx):
                tid = ti * ntx + tj
                hm_t = tile_sums[tid, 3]
                quiet[ti, tj] = (
                    hm_t <= min_depth and not has_src[ti, tj]
                    and ((rate == 0.0 and tile_sums[tid, 4] == 0.0) or (hm_t == 0.0 and rate <= cap[ti, tj]))
                )  # fmt: skip
        for ti in range(nty):
            for tj in range(ntx):
                q = skip_dry
                for a in range(max(ti - 1, 0), min(ti + 2, nty)):
                    for b in range(max(tj - 1, 0), min(tj + 2, ntx)):
                        q = q and quiet[a, b]
                if q and not asleep[ti, tj]:  # falls asleep: its faces carry nothing from now on
                    r0 = ti * TILE
                    r1 = min(r0 + TILE, ny)
                    c0 = tj * TILE
                    c1 = min(c0 + TILE, nx)
                    for i in range(r0, r1):
                        for j in range(c0, c1 + 1):
                            qx[i, j] = 0.0
                            qx_new[i, j] = 0.0
                    for i in range(r0, r1 + 1):
                        for j in range(c0, c1):
                            qy[i, j] = 0.0
                            qy_new[i, j] = 0.0
                asleep[ti, tj] = q
        for ti in range(nty):
            for tj in range(ntx):
                if asleep[ti, tj]:
                    level[ti, tj] = SLEEP
                else:
                    cells = (min(ti * TILE + TILE, ny) - ti * TILE) * (min(tj * TILE + TILE, nx) - tj * TILE)
                    updates += cells * (nsub >> level[ti, tj])
        for tid in range(ntiles):
            tile_sums[tid, 0] = 0.0
            tile_sums[tid, 1] = 0.0
            tile_sums[tid, 2] = 0.0
        for k in range(nsub):
            _tfluxes(k, flow, ground, tiling, dt0, scheme)
            _tfactors(k, flow, ground.kind, tiling, work, dt0, dx)
            _tdepths(k, t, dt0, flow, ground, forcing, record, tiling, work, dx)
        rain = series_integral(t, t_next, rain_series, rain_step)
        out = 0.0
        infil = 0.0
        sink = 0.0
        for ti in range(nty):
            for tj in range(ntx):
                tid = ti * ntx + tj
                out += tile_sums[tid, 0]
                infil += tile_sums[tid, 1]
                sink += tile_sums[tid, 2]
                if asleep[ti, tj]:
                    infil += rain * tile_weight[ti, tj]  # what the cell update would have let infiltrate
        totals[0] += rain * area * weight_sum
        totals[1] += infil * area
        totals[2] += sink * area
        totals[3] += out * dx
        for s in range(nsrc):
            totals[4] += series_integral(t, t_next, src_series[s], src_step)
        t = t_next
        substeps += nsub
    return t, substeps, updates


advance_tiles_serial = compiled_variant(_advance_tiles, "serial", {}, cache=True)
advance_tiles_parallel = compiled_variant(_advance_tiles, "parallel", _TILES_PARALLEL, cache=True)
