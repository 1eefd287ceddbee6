"""File-system errors through the CLI: a folder that cannot be written, a full disk, a folder given as a file.

We run as root, where ``chmod`` restricts nothing, so the OS errors are simulated with monkeypatch (the errno is
what the program tells apart). Each case: the exit code of :class:`~alliantie.errors.StorageError` (7) or of bad
input, a message naming the folder and saying what to do, no traceback, nothing half-written in place.
"""

import errno
import os
import tempfile
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.dossier.provenance import FileHasher
from alliantie.io.raster import write_raster
from alliantie.testing import small_grid

_PRODUCT = "baseinfo.elevation"


def _run(*args: str):
    return CliRunner().invoke(cli, ["--lang", "en", *args])


def _entries(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name not in (".hashes.json", ".run.lock"))


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, OSError), result.exception


def test_products_not_writable(minimal_dossier, monkeypatch):
    products = minimal_dossier.parent / "products"
    real = tempfile.mkdtemp

    def refuse(prefix=None, dir=None, **kw):
        if dir is not None and Path(dir) == products:
            raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir) / f"{prefix}abc"))
        return real(prefix=prefix, dir=dir, **kw)

    def index_fails_too(self):  # the index save in `finally` must not mask the first error
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    monkeypatch.setattr(FileHasher, "save", index_fails_too)
    result = _run("run", str(minimal_dossier), "--product", _PRODUCT)
    assert result.exit_code == 7, result.output
    assert f"Cannot write to the folder {products} (no permission)" in result.output
    assert "Choose a folder you can write to, or copy the dossier" in result.output
    assert "disk" not in result.output  # the first error wins
    _no_traceback(result)
    assert _entries(products) == []


def test_read_only_file_system(minimal_dossier, monkeypatch):
    real = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self.name == "products":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = _run("run", str(minimal_dossier))
    assert result.exit_code == 7, result.output
    assert "read-only file system" in result.output and str(minimal_dossier.parent) in result.output
    assert "copy the dossier" in result.output
    _no_traceback(result)
    assert not (minimal_dossier.parent / "products").exists()


def test_disk_full_at_the_swap_leaves_nothing(minimal_dossier, monkeypatch):
    """The product is computed in .NAME.tmp-*; the rename into place fails: no product, no temporary left."""
    real = os.replace

    def full(src, dst):
        if ".tmp-" in Path(src).name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", full)
    result = _run("run", str(minimal_dossier), "--product", _PRODUCT)
    assert result.exit_code == 7, result.output
    products = minimal_dossier.parent / "products"
    assert f"The disk of the folder {products} is full. Free space on that disk" in result.output
    assert "nothing was half written" in result.output
    _no_traceback(result)
    assert _entries(products) == []  # neither the product nor its .tmp-* folder


def test_disk_full_inside_a_product(minimal_dossier, monkeypatch):
    """A write of the product itself (provenance.json, a JSON file) fails: StorageError, not ProductError."""
    real = os.replace

    def full(src, dst):
        if Path(dst).name == "provenance.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", full)
    result = _run("run", str(minimal_dossier), "--product", _PRODUCT)
    assert result.exit_code == 7, result.output
    assert "is full" in result.output and "could not be computed" not in result.output
    _no_traceback(result)
    assert _entries(minimal_dossier.parent / "products") == []


def test_old_product_not_movable_with_force(minimal_dossier, monkeypatch):
    """``run --force`` where the old product folder cannot be moved aside: the old product stays, intact."""
    assert _run("run", str(minimal_dossier), "--product", _PRODUCT).exit_code == 0
    products = minimal_dossier.parent / "products"
    folder = products / _PRODUCT
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = os.replace

    def immutable(src, dst):
        if Path(src) == folder:
            raise PermissionError(errno.EPERM, "Operation not permitted", str(src), None, str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", immutable)
    result = _run("run", str(minimal_dossier), "--product", _PRODUCT, "--force")
    assert result.exit_code == 7, result.output
    assert f"Cannot write to the folder {folder}" in result.output
    _no_traceback(result)
    assert _entries(products) == [_PRODUCT]  # no .tmp-* or .old-* sibling left
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_last_product_fails_earlier_products_kept(minimal_dossier, monkeypatch):
    """Like a report/ that cannot be written: the products before it are kept, the message names the folder."""
    real = os.replace
    target = "baseinfo.soil"

    def refuse(src, dst):
        if Path(dst).name == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    result = _run("run", str(minimal_dossier), "--product", _PRODUCT, "--product", target)
    assert result.exit_code == 7, result.output
    products = minimal_dossier.parent / "products"
    assert f"Cannot write to the folder {products}" in result.output
    _no_traceback(result)
    assert target not in _entries(products) and _PRODUCT in _entries(products)
    assert not [n for n in _entries(products) if ".tmp-" in n]


def test_dem_is_a_folder(minimal_dossier):
    """A folder is read as tiles (AHN map sheets); the dossier's inputs folder holds other rasters: refused."""
    minimal_dossier.write_text(minimal_dossier.read_text().replace('dem = "inputs/dem.tif"', 'dem = "inputs"'))
    for command in ("check", "run"):
        result = _run(command, str(minimal_dossier))
        assert result.exit_code == 3, result.output
        assert "inputs.dem: the tiles dem.tif and landuse.tif are not one mosaic" in result.output
        assert "or give the GeoTIFF file itself" in result.output
        _no_traceback(result)
    both = minimal_dossier.parent / "both"  # the DEM beside its groundwater map: same extent, same type
    both.mkdir()
    for name in ("dem.tif", "ghg.tif"):
        (both / name).write_bytes((minimal_dossier.parent / "inputs" / name).read_bytes())
    minimal_dossier.write_text(minimal_dossier.read_text().replace('dem = "inputs"', 'dem = "both"'))
    result = _run("check", str(minimal_dossier))
    assert result.exit_code == 3 and "the tiles dem.tif and ghg.tif overlap by 100%" in result.output
    assert _entries(minimal_dossier.parent / "products") == []


def _dem(path: Path, size: int = 300) -> Path:
    rng = np.random.default_rng(3)
    write_raster(path, (rng.random((size, size)) * 5).astype(np.float32), small_grid(size, size, 5.0))
    return path


def test_fill_truncated_geotiff(tmp_path):
    src = _dem(tmp_path / "dem.tif")
    with src.open("r+b") as fh:
        fh.truncate(2048)
    out = tmp_path / "filled.tif"
    result = _run("fill", str(src), str(out), "--tile", "128", "--workers", "1")
    assert result.exit_code == 3, result.output
    assert "dem.tif is not a readable raster file" in result.output and "Export it again" in result.output
    _no_traceback(result)
    assert not out.exists() and not list(tmp_path.glob(".filled.*"))


def test_fill_dem_is_a_folder(tmp_path):
    result = _run("fill", str(tmp_path), str(tmp_path / "filled.tif"))
    assert result.exit_code != 0
    _no_traceback(result)


def test_fill_into_a_read_only_folder(tmp_path, monkeypatch):
    src = _dem(tmp_path / "dem.tif", 64)
    target = tmp_path / "ro"
    real = tempfile.mkstemp

    def refuse(prefix=None, suffix=None, dir=None, **kw):
        if dir is not None and Path(dir) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir) / f"{prefix}x{suffix}"))
        return real(prefix=prefix, suffix=suffix, dir=dir, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = _run("fill", str(src), str(target / "filled.tif"))
    assert result.exit_code == 7, result.output
    assert f"Cannot write to the folder {target}" in result.output
    _no_traceback(result)


def test_fill_disk_full(tmp_path, monkeypatch):
    src = _dem(tmp_path / "dem.tif", 64)
    out = tmp_path / "out" / "filled.tif"

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = _run("fill", str(src), str(out))
    assert result.exit_code == 7, result.output
    assert f"The disk of the folder {out.parent} is full" in result.output
    _no_traceback(result)
    assert list(out.parent.iterdir()) == []  # the temporary file is removed, nothing half written


def test_bluespots_read_only(tmp_path, monkeypatch):
    src = _dem(tmp_path / "dem.tif", 64)
    out = tmp_path / "spots"
    real = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self == out:
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = _run("bluespots", str(src), "--out", str(out))
    assert result.exit_code == 7, result.output
    assert "read-only file system" in result.output and str(tmp_path) in result.output
    _no_traceback(result)
