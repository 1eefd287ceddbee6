"""``alliantie batch``: many dossiers on a Dask LocalCluster; a failure stops only its own dossier."""

from __future__ import annotations

import csv
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.dossier.batch import ProductOutcome, compute_product, run_batch
from alliantie.testing import write_minimal_dossier

PRODUCT = "urgency.pluvial"


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("batch")
    good = [write_minimal_dossier(root / f"d{i}", seed=i + 1) for i in range(2)]
    broken = write_minimal_dossier(root / "broken", seed=9)
    (broken.parent / "inputs" / "landuse.tif").write_bytes(b"this is not a GeoTIFF")  # the run refuses it
    return [*good, broken]


def test_three_dossiers_on_a_local_cluster(three: list[Path], tmp_path: Path) -> None:
    seen: list[ProductOutcome] = []
    summary = run_batch(three, workers=2, products=[PRODUCT], on_outcome=seen.append)
    assert summary.workers == 2
    good, other, broken = summary.dossiers
    for d in (good, other):
        assert d.ok, d.first_error
        assert [p.product for p in d.products][-1] == PRODUCT
        assert d.count("computed") == len(d.products) >= 2
        assert (Path(d.path).parent / "products" / PRODUCT / "provenance.json").exists()
        assert d.area_km2 == pytest.approx(0.4 * 0.3)
        assert d.peak_memory_mb > 0
    # the broken dossier: its land use is refused, the failure is reported with the file, the rest ran
    assert not broken.ok
    failed = [p for p in broken.products if p.status == "failed"]
    assert failed and "landuse" in failed[0].message
    assert not (Path(broken.path).parent / "products" / PRODUCT).exists()
    assert len(seen) == sum(len(d.products) for d in summary.dossiers)
    assert summary.seconds_per_km2() is not None and summary.seconds_per_km2() > 0
    # a second batch finds the good dossiers' products fresh
    again = run_batch(three[:2], workers=1, products=[PRODUCT])
    assert all(p.status == "unchanged" for d in again.dossiers for p in d.products)


def test_the_command_prints_a_table_and_writes_the_csv(three: list[Path], tmp_path: Path) -> None:
    unreadable = tmp_path / "nothing" / "dossier.toml"
    out = tmp_path / "summary.csv"
    result = CliRunner().invoke(cli, ["--lang", "en", "batch", str(three[0]), str(unreadable), "--workers", "1",
                                      "--product", "baseinfo.elevation", "--summary", str(out)])
    assert result.exit_code == 1, result.output  # one dossier could not be read
    assert "1 of 2 dossiers without errors" in result.output
    assert "Traceback" not in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["status"] for r in rows if r["product"]} <= {"computed", "unchanged"}
    assert any(r["dossier"].endswith("nothing/dossier.toml") and r["status"] == "failed" for r in rows)
    assert any(r["product"] == "baseinfo.elevation" for r in rows)


def test_a_product_whose_upstream_failed_is_blocked_not_run(tmp_path: Path) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    upstream = ProductOutcome(str(toml), "baseinfo.elevation", "failed", message="boom")
    outcome = compute_product(str(toml), "urgency.pluvial", "en", upstream)
    assert outcome.status == "blocked"
    assert "baseinfo.elevation" in outcome.message
    assert not (tmp_path / "d" / "products").exists()


def test_an_unknown_product_is_refused_before_anything_starts(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--lang", "en", "batch", str(tmp_path), "--product", "no.such"])
    assert result.exit_code != 0
    assert "no.such" in result.output
    assert "Traceback" not in result.output


def test_workers_keep_the_thread_limits_but_not_the_malloc_trim() -> None:
    """Dask's nanny would set MALLOC_TRIM_THRESHOLD_ (every large array mapped and unmapped: a third more time on
    the default demo); the one-core-per-worker limits stay."""
    import dask

    from alliantie.dossier.batch import worker_environ

    with dask.config.set({"distributed.nanny.pre-spawn-environ": {"MALLOC_TRIM_THRESHOLD_": 65536,
                                                                  "OMP_NUM_THREADS": 1}}):
        assert worker_environ() == {"OMP_NUM_THREADS": 1}


def test_a_scheduler_that_is_not_there_is_said_so(tmp_path: Path) -> None:
    """--scheduler with nobody listening: a clear message after the timeout, not a traceback."""
    from alliantie.errors import ConfigError

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConfigError) as info:
        run_batch([tmp_path / "none"], scheduler=f"tcp://127.0.0.1:{port}", connect_timeout_s=2)
    message = info.value.message("en")
    assert f"tcp://127.0.0.1:{port}" in message and "leave out --scheduler" in message
