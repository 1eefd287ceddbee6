"""Runs of the small demo (seed 7) made by the CLI once per test session and shared by the modules that read them.

``small_demo_run``: the demo run in full. ``test_demo_pipeline.py`` reads its products, report and cache,
``test_reproducible.py`` compares it with a second clean run, and the effect-model modules start from a copy. Each
made its own run before (a full run is about 40 s of CPU with numba's cache warm, more on a clean clone), and a
module whose tests pytest-xdist split over both workers made it once per worker.

``coarse_overland_run``: the demo on 40 m cells with the 2-D engine for the pluvial product, run up to the damage
product (about 25 s of CPU): ``test_pluvial_overland_demo.py`` and ``test_measures_overland_product.py`` each made
the same run.

Under xdist the session's temp folder is shared by the workers, and a file lock makes one worker make a run while
another that needs it waits. A shared run is read, never changed: tests copy it first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from filelock import FileLock

from alliantie.cli.main import cli

#: 2026-01-01T00:00:00Z: pins the report's one dated line (its title page), so two runs compare across midnight.
SOURCE_DATE_EPOCH = "1767225600"
#: What ``coarse_overland_run`` adds to the demo's dossier.toml (after its last table, [parameters.pluvial] opens).
OVERLAND = '\n[parameters.pluvial]\nengine = "overland"\n'


def invoke_cli(*args: str) -> str:
    """``alliantie --lang en ARGS`` in this process; fails the test unless it exits with 0. Returns its output."""
    result = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert result.exit_code == 0, result.output
    return result.output


def clean_demo_run(folder: Path) -> Path:
    """``alliantie demo --size small --seed 7`` into ``folder``, then ``alliantie run`` of every product, with the
    report's date pinned by ``SOURCE_DATE_EPOCH``. Returns ``folder``."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        invoke_cli("demo", "--out", str(folder), "--size", "small", "--seed", "7")
        invoke_cli("run", str(folder / "dossier.toml"))
    return folder


def coarse_overland(folder: Path) -> Path:
    """``alliantie demo --size small --seed 7`` into ``folder``, its grid coarsened to 40 m cells (100 x 80) and
    ``[parameters.pluvial] engine = "overland"``, then ``alliantie run --product urgency.damage``: every storm of
    the KNMI'23 series in every scenario through the 2-D engine. Returns ``folder``."""
    invoke_cli("demo", "--out", str(folder), "--size", "small", "--seed", "7")
    toml = folder / "dossier.toml"
    text = toml.read_text(encoding="utf-8").replace("resolution = 10.0 ", "resolution = 40 ")
    assert "resolution = 40 " in text
    toml.write_text(text + OVERLAND, encoding="utf-8")
    invoke_cli("run", str(toml), "--product", "urgency.damage")
    return folder


def _shared(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Path]) -> Path:
    """``make(folder)`` once per session, in a folder all xdist workers see (a lock lets one make it)."""
    basetemp = factory.getbasetemp()
    root = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    folder = root / name / "vallei"
    with FileLock(root / f"{name}.lock"):
        done = folder.parent / ".ran"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a run that failed left
            make(folder)
            done.write_text("ok\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def small_demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one clean full run of the small demo (:func:`clean_demo_run`), made once per session.

    Tests must not change it: copy it (``shutil.copytree``) to run anything in it.
    """
    return _shared(tmp_path_factory, "small_demo_run", clean_demo_run)


@pytest.fixture(scope="session")
def coarse_overland_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the small demo on 40 m cells with the 2-D engine run up to the damage product
    (:func:`coarse_overland`), made once per session. Tests must not change it: copy it first."""
    return _shared(tmp_path_factory, "coarse_overland_run", coarse_overland)


@pytest.fixture(scope="session")
def clean_demo() -> Callable[[Path], Path]:
    """:func:`clean_demo_run`, for a module that needs a clean run of its own besides :func:`small_demo_run`."""
    return clean_demo_run
