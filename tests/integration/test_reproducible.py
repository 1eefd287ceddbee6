"""Two clean runs of the same demo dossier give byte-identical product and report files.

Only ``provenance.json`` (when and how long each product was computed, by design) and the
runner's hidden cache index (``products/.hashes.json``: absolute input paths and file times)
may differ. The report's one dated line, the date on its title page, is pinned with
``SOURCE_DATE_EPOCH`` so the test also holds across midnight.
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli

#: Files that record a run (times, paths) rather than its results.
SKIPPED = frozenset({"provenance.json"})
#: 2026-01-01T00:00:00Z; any fixed day does.
EPOCH = "1767225600"


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert result.exit_code == 0, result.output


def _clean_run(folder: Path) -> Path:
    _invoke("demo", "--out", str(folder), "--size", "small", "--seed", "7")
    _invoke("run", str(folder / "dossier.toml"))
    return folder


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        first = _clean_run(tmp_path_factory.mktemp("first") / "vallei")
        second = _clean_run(tmp_path_factory.mktemp("second") / "vallei")
    return first, second


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in SKIPPED and not path.name.startswith(".")
    }


@pytest.mark.parametrize("part", ["products", "report"])
def test_two_clean_runs_give_identical_files(two_runs, part):
    first, second = (_files(run / part) for run in two_runs)
    assert first, f"no files under {part}/"
    only = sorted(set(first) ^ set(second))
    differ = sorted(name for name in set(first) & set(second) if first[name] != second[name])
    assert not only and not differ, f"{part}/: differing files {differ}, in one run only {only}"
