"""The small demo, run once per test session and shared by the web tests (also across pytest-xdist workers)."""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock

from alliantie.contract.names import DAMAGE, GUIDE_MODELS, STRESSTEST, VULNERABILITY
from alliantie.demo import make_demo
from alliantie.dossier import load_dossier, run_dossier

#: What the web app reads: the effect engine's baseline and the guide models (indicators, export, palette), and
#: the maps of step 1 and 2 with the stress test and the vulnerability map (the atlas).
PRODUCTS = (DAMAGE, GUIDE_MODELS, STRESSTEST, VULNERABILITY)


def shared_demo(basetemp: Path) -> Path:
    """``dossier.toml`` of the small demo (seed 7) with :data:`PRODUCTS` run, made once under the session's temp.

    ``basetemp`` is ``tmp_path_factory.getbasetemp()``; under xdist its parent is the session's, shared by the
    workers, and a file lock makes one worker build the demo while the others wait. Tests must not change it.
    """
    root = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    folder = root / "web_small_demo"
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(root / "web_small_demo.lock"):
        toml = folder / "dossier.toml"
        done = folder / ".ran"
        if not done.exists():
            toml = make_demo(folder, size="small", seed=7)
            run_dossier(load_dossier(toml), products=list(PRODUCTS))
            done.write_text("ok\n")
        return toml
