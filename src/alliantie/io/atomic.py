"""Atomic writes: build in a temporary sibling, then rename into place."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it to ``path``.

    On an exception the temporary file is removed and ``path`` is untouched.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{final.stem}.", suffix=suffix if suffix is not None else final.suffix,
        dir=final.parent,
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # writers (GDAL) want to create the file themselves
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temporary folder next to ``path``; on success it replaces ``path``.

    The old folder (if any) is moved aside first and deleted only after the new
    one is in place, so a crash leaves either the old or the new folder, never a
    half-written one. When the swap itself fails (a read-only folder, a full disk)
    the old folder is put back and the new one removed; only where even that
    cannot be done a ``.name.tmp-*`` sibling stays, which the next run removes.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old: Path | None = None
    try:
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
            old.rmdir()
            os.replace(final, old)
        os.replace(tmp, final)
    except BaseException:  # the swap failed (a read-only folder, a full disk): put the old folder back, drop the new
        if old is not None and not final.exists():
            with contextlib.suppress(OSError):
                os.replace(old, final)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> int:
    """Delete leftovers of interrupted atomic writes (``.name.tmp-*``) in ``folder``."""
    count = 0
    base = Path(folder)
    if not base.is_dir():
        return 0
    for item in base.iterdir():
        if item.name.startswith(".") and (".tmp-" in item.name or ".old-" in item.name):
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)
            count += 1
    return count
