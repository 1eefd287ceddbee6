"""A content-addressed download cache under the dossier folder (``.cache/fetch/``).

``blobs/<sha256>`` holds each answer once, named by the SHA-256 of its bytes; ``index.json`` maps a request
(method, address and parameters, hashed) to its blob with the address, when it was retrieved and the
server's ``Last-Modified``. A request found in the index whose blob is present and intact is a cache hit.
``partial/<request>.part`` holds a download in progress: the next try resumes from its size.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from alliantie.io.atomic import atomic_file
from alliantie.io.digest import file_sha256

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Entry:
    """One cached answer: its blob, where it came from and when."""

    sha256: str
    url: str
    retrieved: str
    last_modified: str | None = None
    size: int = 0


def request_key(url: str, params: Params = ()) -> str:
    """The SHA-256 naming a request: its address and its parameters in their order."""
    text = url + "?" + "&".join(f"{k}={v}" for k, v in params)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Cache:
    """The cache of one dossier: ``root`` is ``<dossier>/.cache/fetch``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index_path = root / "index.json"
        self._index: dict[str, dict[str, str | int | None]] = {}
        if self._index_path.exists():
            self._index = json.loads(self._index_path.read_text(encoding="utf-8"))

    def blob(self, sha256: str) -> Path:
        return self.root / "blobs" / sha256

    def partial(self, key: str) -> Path:
        return self.root / "partial" / f"{key}.part"

    def get(self, key: str) -> Entry | None:
        """The entry of request ``key`` when its blob is present and has its recorded size (else None)."""
        raw = self._index.get(key)
        if raw is None:
            return None
        entry = Entry(**raw)  # type: ignore[arg-type]
        path = self.blob(entry.sha256)
        if not path.exists() or path.stat().st_size != entry.size:
            return None
        return entry

    def forget(self, key: str) -> None:
        """Drop request ``key`` from the index (an answer that turned out not to be what was asked)."""
        if self._index.pop(key, None) is not None:
            with atomic_file(self._index_path) as tmp:
                tmp.write_text(json.dumps(self._index, indent=1, sort_keys=True), encoding="utf-8")

    def put(self, key: str, source: Path, *, url: str, retrieved: str, last_modified: str | None) -> Entry:
        """Move the finished download ``source`` into the blobs (by its content hash) and index it."""
        sha = file_sha256(source)
        target = self.blob(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        size = source.stat().st_size
        if target.exists():
            source.unlink()
        else:
            os.replace(source, target)
        entry = Entry(sha256=sha, url=url, retrieved=retrieved, last_modified=last_modified, size=size)
        self._index[key] = asdict(entry)
        self.root.mkdir(parents=True, exist_ok=True)
        with atomic_file(self._index_path) as tmp:
            tmp.write_text(json.dumps(self._index, indent=1, sort_keys=True), encoding="utf-8")
        return entry
