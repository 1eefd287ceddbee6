"""The indicator service in a worker process of its own, so the engine's seconds of computing never hold the
web server's interpreter (its GIL): sketch writes, tiles and events keep answering while indicators compute.

:class:`ProcessIndicators` has the interface of :class:`~alliantie.web.indicators.service.IndicatorService`
(``warm``, ``compute``); the service lives in one ``spawn``-ed worker (a fresh interpreter: no fork of a
threaded server) and keeps its baseline and caches between calls. If the worker dies (killed, out of memory),
the next call starts a new one; if the server dies (even by ``kill -9``), the worker ends itself within a
second. The worker runs at a lower priority (``nice`` 10): on a small machine the
server's answers to the participants come before the indicators.

The dynamic check (the 2-D overland engine around the measures, :meth:`IndicatorService.dynamic`) runs in a
second worker (``nice`` 15; a service without the fast level, ``fast_level=False``) after each fast result,
scheduled by :class:`~.dynamic.DynamicChecks`: :meth:`ProcessIndicators.refine` queues it,
:meth:`ProcessIndicators.compute` returns the fast numbers with the dynamic ones in their place for every part
(the whole, a synthesis) whose sketches have a finished stage of the check (the map storm first, then the
storms of the expected annual damage, whose avoided EAD replaces the fast one). A superseded check is stopped
between two runs of the engine through a shared counter (the token of the check allowed to run).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alliantie.web.indicators.dynamic import DYNAMIC_STAGES, DynamicChecks

if TYPE_CHECKING:  # imported in the worker only after it has lowered its priority (the engine's imports take seconds)
    from alliantie.web.indicators.service import IndicatorService, SketchInput

#: The service of the worker process (one per worker; made by :func:`_start`).
_SERVICE: IndicatorService | None = None


#: Niceness of the worker: the indicators are background work, a participant's write or tile comes first.
NICENESS = 10
#: Niceness of the dynamic check's worker: the fast estimate comes before it.
DYNAMIC_NICENESS = 15
#: Seconds without a change before the dynamic check of a workshop's state starts.
DYNAMIC_DELAY_S = 2.0

#: In the dynamic worker: the token of the check allowed to run (a shared counter; 0: none).
_ALLOWED: Any = None


#: How often the worker checks that the server that started it still runs, s.
WATCH_S = 0.5


def _start(dossier_file: str, server_pid: int, niceness: int = NICENESS, allowed: Any = None,
           options: dict[str, Any] | None = None) -> None:
    global _SERVICE, _ALLOWED
    _ALLOWED = allowed
    if hasattr(os, "nice"):  # not on Windows
        os.nice(niceness)
    threading.Thread(target=_watch, args=(server_pid,), name="server-watch", daemon=True).start()
    from alliantie.web.indicators.service import IndicatorService

    _SERVICE = IndicatorService(Path(dossier_file), **(options or {}))


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


def _dynamic(sketches: list[SketchInput], token: int, stage: str) -> dict[str, Any] | None:
    """One stage of the dynamic check of ``sketches`` together; None when stopped (another check got the token)."""
    from alliantie.measures.overland import Cancelled

    assert _SERVICE is not None and _ALLOWED is not None
    allowed = _ALLOWED
    try:
        return _SERVICE.dynamic(sketches, should_stop=lambda: allowed.value != token, stage=stage)
    except Cancelled:
        return None


class ProcessIndicators:
    """``warm`` and ``compute`` of an :class:`IndicatorService` that lives in a worker process; with ``dynamic``
    the dynamic check in a second worker (``refine``)."""

    def __init__(self, dossier_file: Path, *, dynamic: bool = True, dynamic_delay_s: float = DYNAMIC_DELAY_S,
                 dynamic_options: dict[str, Any] | None = None) -> None:
        """``dynamic_options``: keywords of the dynamic worker's :class:`IndicatorService` (``dynamic_buffer_m``,
        ``dynamic_return_periods``). The check runs in two stages (:data:`~.dynamic.DYNAMIC_STAGES`): the map storm
        of every part, then the storms of the expected annual damage."""
        self.dossier_file = dossier_file
        self._dynamic_options = dict(dynamic_options or {})
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._dyn_pool: ProcessPoolExecutor | None = None
        self._allowed = multiprocessing.get_context("spawn").Value("q", 0)
        self.checks = DynamicChecks(self._run_dynamic, delay_s=dynamic_delay_s, stop=self._stop,
                                    stages=DYNAMIC_STAGES) if dynamic else None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start, initargs=(str(self.dossier_file), os.getpid()))
            return self._pool

    def _dynamic_executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._dyn_pool is None:
                self._dyn_pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                    initargs=(str(self.dossier_file), os.getpid(), DYNAMIC_NICENESS, self._allowed,
                              {"fast_level": False, **self._dynamic_options}))
            return self._dyn_pool

    def _run_dynamic(self, sketches: list[Any], token: int, stage: str) -> dict[str, Any] | None:
        self._allowed.value = token
        try:
            result: dict[str, Any] | None = self._dynamic_executor().submit(_dynamic, sketches, token,
                                                                              stage).result()
        except BrokenProcessPool:
            with self._lock:
                self._dyn_pool = None
            raise
        return result

    def _stop(self, token: int) -> None:
        with self._allowed.get_lock():
            if self._allowed.value == token:
                self._allowed.value = 0

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
        if self.checks is None:
            return result
        from alliantie.web.indicators.service import with_dynamic

        return self.checks.merge(result, sketches, groups, with_dynamic)

    def refine(self, channel: str, sketches: Sequence[SketchInput], groups: Mapping[str, Sequence[str]],
               result: Mapping[str, Any] | None, done: Callable[[], None]) -> bool:
        """Queue the dynamic check of the state just computed (``result``: what :meth:`compute` returned for
        ``sketches`` and ``groups``) for ``channel`` (a workshop); ``done()`` is called each time a part of it
        is ready (compute again to get it). True when a check is to come."""
        if self.checks is None or result is None:
            return False
        return self.checks.refine(channel, list(sketches), groups, dict(result.get("errors", {})), done)

    def close(self) -> None:
        if self.checks is not None:
            self.checks.close()
        with self._lock:
            for pool in (self._pool, self._dyn_pool):
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._dyn_pool = None
