"""The hot loops of the overland row kernels stay vectorised (LLVM's loop-vectoriser remarks).

A builtin ``max()``/``min()`` in a loop, a select between two array elements or a sum inside the
depth loop each stop LLVM from vectorising it, silently: the answers stay the same and only the
speed drops (docs/overland.md, "Loops the compiler really vectorises"). This compiles the three
per-row functions afresh (each on its own, as the kernels call them) in a child process with the
remarks switched on and counts the loops reported as vectorised in each.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

from alliantie.hydrology import _overland

_CHILD = """
import llvmlite.binding as llvm
for kind in ("", "-missed", "-analysis"):
    llvm.set_option("", f"--pass-remarks{kind}=loop-vectorize")
import numpy as np
from alliantie.hydrology import _overland as o
ny, nx = 6, 8
cells = lambda: np.zeros((ny, nx))
kind = np.zeros((ny, nx), np.int8)
ground = o.Ground(cells(), kind, np.full((ny, nx), 0.03), o.outlet_faces(kind, False), cells(), cells(), cells())
flow = o.Flow(np.full((ny, nx), 0.05), np.zeros((ny, nx + 1)), np.zeros((ny + 1, nx)), np.zeros((ny, nx + 1)),
              np.zeros((ny + 1, nx)), np.ones((ny + 2, nx + 2)))
ints, vol = np.zeros(0, np.int64), np.zeros(0)
forcing = o.Forcing(np.zeros(1), 1.0, ints, ints, np.zeros((0, 0)), 1.0)
record = o.Record(cells(), cells(), cells(), np.zeros(0), np.zeros((0, ny, nx)), np.zeros(5))
scheme = o.Scheme(1.0, 0.7, 0.7, 1e-6, 10.0, False)
o._fluxes_of_row(1, flow, ground, np.zeros(ny, np.bool_), 0.1, scheme)
o._factors_of_row(1, flow, kind, 0.1, 1.0)
o._depths_of_row(1, flow, ground, forcing, vol, 1e-5, record, np.zeros((ny, 4)), 1.0, 0.1, 1.0)
"""

#: Per per-row function, a statement of each loop that must be vectorised: the x faces; the factor
#: row; the x-face scaling, the depth update and the maxima. The y-face loop is left out: whether it
#: vectorises is the cost model's call, which went either way by the caller in one run.
LOOPS = {
    "_fluxes_of_row": ["qn[j] = f if (kr[j - 1] | kr[j]) == OPEN else 0.0"],
    "_factors_of_row": ["fr[j + 1] = f if kr[j] == OPEN else 1.0"],
    "_depths_of_row": [
        "qxr[j] = _scaled(q, f_row[j], f_row[j + 1])",
        "hr[j] = hn if kr[j] == OPEN else 0.0",
        "tmr[j] = t_end if higher else tmr[j]",
    ],
}


def _loop_lines(function: str, statement: str) -> range:
    """The file's line numbers of the ``for`` loop (header and body) around the first ``statement``."""
    source, first = inspect.getsourcelines(getattr(_overland, function).py_func)
    at = next(k for k, line in enumerate(source) if line.strip() == statement)
    start = next(k for k in range(at, -1, -1) if source[k].lstrip().startswith("for "))
    indent = len(source[start]) - len(source[start].lstrip())
    end = start + 1
    while end < len(source) and (not source[end].strip() or len(source[end]) - len(source[end].lstrip()) > indent):
        end += 1
    return range(first + start, first + end)


def test_row_kernels_hot_loops_are_vectorised(tmp_path: Path) -> None:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba"), "NUMBA_DEBUGINFO": "1"}
    done = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    vectorised = {
        int(m.group(1))
        for m in re.finditer(r"_overland\.py:(\d+):\d+: vectorized loop", done.stderr)
    }  # fmt: skip
    for function, statements in LOOPS.items():
        for statement in statements:
            lines = _loop_lines(function, statement)
            assert vectorised & set(lines), f"{function}: the loop of `{statement}` (lines {lines}) is not vectorised"
