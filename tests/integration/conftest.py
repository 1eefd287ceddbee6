"""The small demo (seed 7) made and run in full by the CLI once per test session, shared by the modules that read it.

Two modules read a clean full run of the small demo: ``test_demo_pipeline.py`` (its products, report and cache) and
``test_reproducible.py`` (a second clean run must give the same bytes). Each made its own run (about 40 s of CPU
with numba's cache warm, more on a clean clone), and a module whose tests pytest-xdist split over both workers made
it once per worker. Under xdist the session's temp folder is shared by the workers and a file lock makes one worker
run the demo while another that needs it waits; the folder is read, never changed (tests copy it first).
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


@pytest.fixture(scope="session")
def small_demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one clean full run of the small demo (:func:`clean_demo_run`), made once per session.

    Tests must not change it: copy it (``shutil.copytree``) to run anything in it.
    """
    basetemp = tmp_path_factory.getbasetemp()
    root = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    folder = root / "small_demo_run" / "vallei"
    with FileLock(root / "small_demo_run.lock"):
        done = folder.parent / ".ran"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a run that failed left
            clean_demo_run(folder)
            done.write_text("ok\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def clean_demo() -> Callable[[Path], Path]:
    """:func:`clean_demo_run`, for a module that needs a clean run of its own besides :func:`small_demo_run`."""
    return clean_demo_run
