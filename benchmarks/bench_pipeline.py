"""Pipeline speed goals of the foundation issue, measured on the demo region.

Goals (2-core machine): the default demo end to end (make the region, compute
every product and the report) in under 120 s; a second run with nothing
changed in under 2 s; a parameter change recomputes only its dependents.

    python benchmarks/bench_pipeline.py [--size default|small] [--out DIR]

Each step runs the real CLI in a fresh process, so start-up (imports) counts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {"demo + run": 120.0, "rerun (nothing changed)": 2.0}


def _cli(*args: str) -> tuple[float, str]:
    exe = Path(sys.executable).with_name("alliantie")
    started = time.perf_counter()
    done = subprocess.run(
        [str(exe), "--lang", "en", *args], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - started, done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "default"], default="default")
    parser.add_argument("--out", type=Path, default=None, help="folder for the demo (default: a temporary one)")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="alliantie-bench-")) / "demo"
    if folder.exists():
        shutil.rmtree(folder)
    toml = folder / "dossier.toml"

    t_demo, _ = _cli("-q", "demo", "--out", str(folder), "--size", args.size)
    t_run, _ = _cli("-q", "run", str(toml))
    t_rerun, out = _cli("run", str(toml))
    assert "0 computed" in out, out
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text + "\n[parameters.baseinfo]\nrelief_radius_m = 150.0\n", encoding="utf-8")
    t_param, out = _cli("run", str(toml))
    recomputed = [line.split("computed:")[1].split("(")[0].strip() for line in out.splitlines() if "computed:" in line]

    rows = [
        ("make demo region", t_demo, None),
        ("compute all products + report", t_run, None),
        ("demo + run", t_demo + t_run, GOALS["demo + run"]),
        ("rerun (nothing changed)", t_rerun, GOALS["rerun (nothing changed)"]),
        ("relief_radius_m changed", t_param, None),
    ]
    print(f"alliantie pipeline benchmark, demo size {args.size}, {folder}")
    print(f"{'step':34s} {'seconds':>8s} {'goal':>8s} {'ratio':>7s}")
    ok = True
    for name, seconds, goal in rows:
        if goal is None:
            print(f"{name:34s} {seconds:8.2f}")
        else:
            ok &= seconds <= goal
            print(f"{name:34s} {seconds:8.2f} {goal:8.1f} {seconds / goal:7.2f}")
    print(f"recomputed after the parameter change: {', '.join(recomputed)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
