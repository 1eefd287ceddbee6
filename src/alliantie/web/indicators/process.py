"""The indicator service in a worker process of its own, so the engine's seconds of computing never hold the
web server's interpreter (its GIL): sketch writes, tiles and events keep answering while indicators compute.

:class:`ProcessIndicators` has the interface of :class:`~alliantie.web.indicators.service.IndicatorService`
(``warm``, ``compute``); the service lives in one ``spawn``-ed worker (a fresh interpreter: no fork of a
threaded server) and keeps its baseline and caches between calls. If the worker dies (killed, out of memory),
the next call starts a new one; if the server dies (even by ``kill -9``), the worker ends itself within a
second. The worker runs at a lower priority (``nice`` 10): on a small machine the
server's answers to the participants come before the indicators.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported in the worker only after it has lowered its priority (the engine's imports take seconds)
    from alliantie.web.indicators.service import IndicatorService, SketchInput

#: The service of the worker process (one per worker; made by :func:`_start`).
_SERVICE: IndicatorService | None = None


#: Niceness of the worker: the indicators are background work, a participant's write or tile comes first.
NICENESS = 10


#: How often the worker checks that the server that started it still runs, s.
WATCH_S = 0.5


def _start(dossier_file: str, server_pid: int) -> None:
    global _SERVICE
    if hasattr(os, "nice"):  # not on Windows
        os.nice(NICENESS)
    threading.Thread(target=_watch, args=(server_pid,), name="server-watch", daemon=True).start()
    from alliantie.web.indicators.service import IndicatorService

    _SERVICE = IndicatorService(Path(dossier_file))


def _watch(server_pid: int) -> None:
    """End this worker when the server is gone (killed with -9, it cannot say so): no orphan keeps its memory."""
    while True:
        time.sleep(WATCH_S)
        if os.getppid() != server_pid:
            os._exit(0)


def _warm() -> None:
    assert _SERVICE is not None
    _SERVICE.warm()


def _compute(sketches: list[SketchInput], groups: dict[str, list[str]], language: str | None) -> dict[str, Any]:
    assert _SERVICE is not None
    return _SERVICE.compute(sketches, groups, language=language)


class ProcessIndicators:
    """``warm`` and ``compute`` of an :class:`IndicatorService` that lives in a worker process."""

    def __init__(self, dossier_file: Path) -> None:
        self.dossier_file = dossier_file
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start, initargs=(str(self.dossier_file), os.getpid()))
            return self._pool

    def _call(self, fn: Any, *args: Any) -> Any:
        try:
            return self._executor().submit(fn, *args).result()
        except BrokenProcessPool:  # the worker died: a fresh one for the next call, this one reports the failure
            with self._lock:
                self._pool = None
            raise

    def warm(self) -> None:
        self._call(_warm)

    def compute(self, sketches: Sequence[SketchInput], groups: Mapping[str, Sequence[str]], *,
                language: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self._call(_compute, list(sketches), {k: list(v) for k, v in groups.items()},
                                            language)
        return result

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
