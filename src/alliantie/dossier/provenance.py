"""Content hashes and provenance records of products.

A product's cache key is the SHA-256 of everything it is a function of: its
name and version, the package version, the content of its input files, the
values of its parameters, the content of its knowledge files and the keys of
its upstream products. The record is saved as ``provenance.json`` beside the
product's files.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from alliantie.errors import InputDataError
from alliantie.io.atomic import atomic_file
from alliantie.io.digest import file_sha256

PROVENANCE_FILE = "provenance.json"
_SIDECARS = {
    ".shp": (".shx", ".dbf", ".prj", ".cpg"),
}


class FileHasher:
    """SHA-256 of files, remembered by (path, size, mtime, ctime, inode) in a small JSON index.

    The index lets a run with nothing changed finish without re-reading large
    inputs. Size and modification time alone can be kept by a replacement (a
    copy with ``cp -p``, a ``touch -d``, a same-size edit written back with its
    old time); the change time and the inode cannot be set by a user, so a file
    replaced or written in place in any way is read and hashed again.
    """

    def __init__(self, index_path: Path | None) -> None:
        self.index_path = index_path
        self._index: dict[str, list[Any]] = {}
        self._dirty = False
        if index_path is not None and index_path.exists():
            try:
                self._index = json.loads(index_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._index = {}

    def file(self, path: Path) -> str:
        stat = path.stat()
        key = str(path.resolve())
        signature = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        entry = self._index.get(key)
        if entry and len(entry) == len(signature) + 1 and entry[:-1] == signature:
            return str(entry[-1])
        digest = file_sha256(path)
        self._index[key] = [*signature, digest]
        self._dirty = True
        return digest

    def dataset(self, path: Path) -> str:
        """Hash of a dataset: the file plus its sidecars (Shapefile parts)."""
        if path.is_dir():
            raise InputDataError("errors.input_is_folder", path=str(path), what=path.name)
        parts = [path, *(path.with_suffix(s) for s in _SIDECARS.get(path.suffix.lower(), ()))]
        digests = [self.file(p) for p in parts if p.exists()]
        if len(digests) == 1:
            return digests[0]
        return hashlib.sha256("".join(digests).encode()).hexdigest()

    def tiles(self, paths: tuple[str, ...]) -> str:
        """Hash of a set of tiles: their names and contents, in order (a tile added, removed or changed counts)."""
        parts = [f"{Path(p).name}:{self.file(Path(p))}" for p in paths]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def save(self) -> None:
        if self.index_path is None or not self._dirty:
            return
        with atomic_file(self.index_path) as tmp:
            tmp.write_text(json.dumps(self._index), encoding="utf-8")
        self._dirty = False


def cache_key(record: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the parts of a provenance record that define a product."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_provenance(folder: Path) -> dict[str, Any] | None:
    path = folder / PROVENANCE_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def output_files(folder: Path) -> dict[str, dict[str, Any]]:
    """Files written by a product (relative path -> size and hash)."""
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != PROVENANCE_FILE:
            rel = path.relative_to(folder).as_posix()
            files[rel] = {"bytes": path.stat().st_size, "sha256": file_sha256(path)}
    return files


def outputs_intact(folder: Path, record: dict[str, Any], hasher: FileHasher | None = None) -> bool:
    """True when every file the record lists is present with its recorded size and content hash.

    The content is compared through ``hasher`` (its index makes an unchanged
    file cost a ``stat``); without one, every file is read.
    """
    for rel, meta in record.get("files", {}).items():
        path = folder / rel
        if not path.exists() or path.stat().st_size != meta.get("bytes"):
            return False
        digest = hasher.file(path) if hasher is not None else file_sha256(path)
        if digest != meta.get("sha256"):
            return False
    return True


def path_for_record(path: str | os.PathLike[str], root: Path) -> str:
    """A path relative to the dossier folder when inside it (records stay portable)."""
    p = Path(path)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(p)
