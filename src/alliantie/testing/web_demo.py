"""The small demo, run once per test session and shared by the web tests (also across pytest-xdist workers)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from alliantie.contract.names import DAMAGE, GUIDE_MODELS
from alliantie.demo import make_demo
from alliantie.dossier import load_dossier, run_dossier

#: What the web's indicators, export and palette read: the effect engine's baseline and the guide models.
PRODUCTS = (DAMAGE, GUIDE_MODELS)


def shared_demo(basetemp: Path) -> Path:
    """``dossier.toml`` of the small demo (seed 7) with :data:`PRODUCTS` run, made once under the session's temp.

    ``basetemp`` is ``tmp_path_factory.getbasetemp()``; under xdist its parent is the session's, shared by the
    workers, and a file lock makes one worker build the demo while the others wait. Tests must not change it.
    """
    root = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    folder = root / "web_small_demo"
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "web_small_demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        toml = folder / "dossier.toml"
        done = folder / ".ran"
        if not done.exists():
            toml = make_demo(folder, size="small", seed=7)
            run_dossier(load_dossier(toml), products=list(PRODUCTS))
            done.write_text("ok\n")
        return toml
