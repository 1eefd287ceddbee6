"""Which loops of the overland engine LLVM vectorised, and why it left the others scalar.

Compiles the engine afresh (a temporary ``NUMBA_CACHE_DIR``, line numbers from
``NUMBA_DEBUGINFO``) in a child process with LLVM's loop-vectoriser remarks switched on,
runs a small case with the row kernels (or, with ``--tiles``, the tile kernels) and prints,
per line of ``hydrology/_overland.py``, the remarks and how often each came. A hot loop
should show "vectorized loop"; "call instruction cannot be vectorized" usually means a
builtin ``max``/``min`` left as a call, "cannot identify array bounds" a select between two
array elements, "cannot prove it is safe to reorder floating-point operations" a sum in the
loop (see docs/overland.md, "Loops the compiler really vectorises").

Usage::

    .venv/bin/python benchmarks/vectorisation_remarks.py            # row kernels
    .venv/bin/python benchmarks/vectorisation_remarks.py --tiles    # tile kernels
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

_CHILD = """
import llvmlite.binding as llvm
for kind in ("", "-missed", "-analysis"):
    llvm.set_option("", f"--pass-remarks{kind}=loop-vectorize")
import numpy as np
import numba
from alliantie.hydrology import overland_flow
numba.set_num_threads(1)
z = np.add.outer(np.linspace(0.0, 1.0, 40), np.linspace(0.0, 1.0, 40))
overland_flow(z, 50.0, cell_size=2.0, duration_s=5.0, local_time_steps=TILES)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiles", action="store_true", help="the tile kernels (local time steps)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "NUMBA_DEBUGINFO": "1"}
        done = subprocess.run(
            [sys.executable, "-c", _CHILD.replace("TILES", str(args.tiles))],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    found: collections.Counter[tuple[int, str]] = collections.Counter()
    for line in done.stderr.splitlines():
        match = re.search(r"_overland\.py:(\d+):\d+: (.*)$", line)
        if match and "interleaving" not in match.group(2):
            found[(int(match.group(1)), match.group(2))] += 1
    for (number, remark), count in sorted(found.items()):
        print(f"_overland.py:{number}: {remark} (x{count})")


if __name__ == "__main__":
    main()
