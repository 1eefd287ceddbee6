"""One run at a time per dossier: a second run waits (or stops with a clear message); nothing is corrupted."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from click.testing import CliRunner
from filelock import FileLock

from alliantie.cli.main import cli
from alliantie.dossier import RunEvent, load_dossier, run_dossier
from alliantie.dossier.provenance import outputs_intact, read_provenance
from alliantie.dossier.run import LOCK_FILE
from alliantie.testing import write_minimal_dossier

PRODUCT = "baseinfo.elevation"


def test_no_wait_stops_with_exit_6_and_writes_nothing(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    products = toml.parent / "products"
    products.mkdir()
    with FileLock(products / LOCK_FILE):
        result = CliRunner().invoke(cli, ["--lang", "en", "run", str(toml), "--no-wait"])
    assert result.exit_code == 6, result.output
    assert "Another run is computing dossier" in result.output and "--no-wait" in result.output
    assert not (products / PRODUCT).exists() and not (toml.parent / "report").exists()


def test_a_second_run_waits_for_the_first(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    dossier = load_dossier(toml)
    dossier.products_dir.mkdir()
    events: list[RunEvent] = []
    waiting = threading.Event()
    lock = FileLock(dossier.products_dir / LOCK_FILE)
    lock.acquire()

    def on_event(event: RunEvent) -> None:
        events.append(event)
        if event.kind == "wait":
            waiting.set()

    worker = threading.Thread(target=lambda: run_dossier(dossier, products=[PRODUCT], on_event=on_event))
    worker.start()
    assert waiting.wait(30), "the run did not report that it waits"
    assert not (dossier.products_dir / PRODUCT).exists()  # nothing computed while the lock is held
    lock.release()
    worker.join(120)
    assert not worker.is_alive()
    assert next(e.kind for e in events) == "wait" and any(e.kind == "done" for e in events)


def test_two_simultaneous_runs_one_computes_both_leave_valid_products(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    cmd = [sys.executable, "-m", "alliantie.cli.main", "--lang", "en", "run", str(toml), "--product", PRODUCT]
    env = {**os.environ, "COLUMNS": "400"}
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    counts = []
    for out, _ in outputs:
        found = re.search(r"Done: (\d+) computed, (\d+) unchanged", " ".join(out.split()))
        assert found is not None, out
        counts.append((int(found[1]), int(found[2])))
    first, second = sorted(counts, reverse=True)
    assert first[0] >= 1 and first[1] == 0, counts  # one run computed everything
    assert second == (0, first[0]), counts  # the other waited, then found it all fresh
    folder = toml.parent / "products" / PRODUCT
    record = read_provenance(folder)
    assert record is not None and outputs_intact(folder, record)
    assert json.loads((folder / "provenance.json").read_text())["product"] == PRODUCT
