"""Live indicators of a workshop: recomputed in a background thread after changes, pushed as an event.

The computation is :class:`alliantie.web.indicators.service.IndicatorService` (the step 3 measure engine on the
dossier's saved baseline) in a worker process (:mod:`alliantie.web.indicators.process`): when it fails to start
the status is ``unavailable`` and the rest of the app works. Changes within :attr:`delay_s` are computed once
(debounce); one computation runs at a time per app, the newest state of a workshop wins.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from shapely.geometry import mapping

from alliantie.web.workshop.events import EventBus
from alliantie.web.workshop.features import iso, plain

log = logging.getLogger(__name__)


class Computer(Protocol):
    """What the runner needs of an indicator service (H3's IndicatorService, or a test double)."""

    def warm(self) -> None: ...

    def compute(self, sketches: Sequence[Any], groups: Mapping[str, Sequence[str]]) -> dict[str, Any]: ...


#: The sketches (id, measure, GeoJSON geometry, width, count) and syntheses (id -> sketch ids) of a workshop.
Snapshot = tuple[list[tuple[str, str, dict[str, Any], float | None, float | None]], dict[str, list[str]]]


def default_factory(dossier_file: Path) -> tuple[Computer, Callable[..., Any]] | None:
    """The indicator service in a worker process of its own (so its computing never stalls the server), and
    its SketchInput class."""
    from alliantie.web.indicators.process import ProcessIndicators
    from alliantie.web.indicators.service import SketchInput

    return ProcessIndicators(dossier_file), SketchInput


@dataclass
class _State:
    status: str = "computing"
    result: dict[str, Any] | None = None
    computed_at: datetime | None = None
    errors: dict[str, str] = field(default_factory=dict)
    generation: int = 0  # counts the changes; a result of an older generation leaves the status "computing"


class IndicatorRunner:
    def __init__(self, make: Callable[[], tuple[Computer, Callable[..., Any]] | None],
                 snapshot: Callable[[str], Snapshot], bus: EventBus, delay_s: float = 0.3) -> None:
        self._make = make
        self._snapshot = snapshot
        self._bus = bus
        self.delay_s = delay_s
        self._lock = threading.Lock()  # guards the states and the service creation
        self._compute_lock = threading.Lock()  # one computation at a time
        self._states: dict[str, _State] = {}
        #: when each workshop's recomputation is due (time.monotonic); one scheduler thread waits for them
        self._due: dict[str, float] = {}
        self._wake = threading.Condition(self._lock)
        self._scheduler: threading.Thread | None = None
        self._service: tuple[Computer, Callable[..., Any]] | None = None
        self._tried = False
        self._made = threading.Event()
        self._broken: str | None = None
        self._closed = False

    def _ensure(self) -> tuple[Computer, Callable[..., Any]] | None:
        with self._lock:
            if not self._tried:
                self._tried = True
                try:
                    self._service = self._make()
                except Exception as exc:  # a broken dossier must not stop the workshop
                    log.warning("live indicators unavailable: %s", exc)
                    self._broken = str(exc)
                    self._service = None
                finally:
                    self._made.set()
            return self._service

    @property
    def available(self) -> bool:
        return self._ensure() is not None

    @property
    def _known_unavailable(self) -> bool:
        """The service could not be made (without waiting while it is being made: that takes seconds of
        imports, which a sketch write must not wait for)."""
        return self._tried and self._made.is_set() and self._service is None

    def prepare(self) -> None:
        """Make the service now (the engine's imports; the server does so before it answers)."""
        self._ensure()

    def warm_in_background(self) -> threading.Thread:
        """Load the saved baseline in a daemon thread (seconds), so the first sketch of a workshop is answered fast."""

        def warm() -> None:
            service = self._ensure()
            if service is None or self._closed:
                return
            with self._compute_lock:
                try:
                    service[0].warm()
                except Exception as exc:  # reported again, with the workshop, by the first computation
                    log.warning("live indicators could not be prepared: %s", exc)

        thread = threading.Thread(target=warm, name="indicators-warm", daemon=True)
        thread.start()
        return thread

    def schedule(self, workshop_id: str) -> None:
        """Recompute ``workshop_id`` after :attr:`delay_s` (a later call within the delay restarts the wait)."""
        if self._closed or self._known_unavailable:
            return
        with self._lock:
            state = self._states.setdefault(workshop_id, _State())
            state.status = "computing"
            state.generation += 1
            # no thread per change (a threading.Timer each time: starting a thread waits for it to run, which
            # under load took milliseconds of every sketch write): one scheduler thread waits for the deadlines
            self._due[workshop_id] = time.monotonic() + self.delay_s
            if self._scheduler is None:
                self._scheduler = threading.Thread(target=self._schedule_loop, name="indicators-scheduler",
                                                   daemon=True)
                self._scheduler.start()
            else:
                self._wake.notify()

    def _schedule_loop(self) -> None:
        while True:
            with self._lock:
                while True:
                    if self._closed:
                        return
                    if not self._due:
                        self._wake.wait()
                        continue
                    workshop_id, when = min(self._due.items(), key=lambda item: item[1])
                    left = when - time.monotonic()
                    if left <= 0:
                        del self._due[workshop_id]
                        break
                    self._wake.wait(left)
            try:
                self._run(workshop_id)
            except Exception as exc:  # the scheduler must go on for the other workshops
                log.error("indicators of workshop %s: %s", workshop_id, exc)

    def refresh(self, workshop_id: str) -> None:
        """A change written by another server process: recompute, when this process shows the workshop's
        indicators (it has been asked for them or has computed them)."""
        with self._lock:
            known = workshop_id in self._states
        if known:
            self.schedule(workshop_id)

    def _run(self, workshop_id: str) -> None:
        service = self._ensure()
        if service is None or self._closed:
            return
        computer, sketch_input = service
        with self._compute_lock:
            started = time.perf_counter()
            with self._lock:
                generation = self._states.setdefault(workshop_id, _State()).generation
            try:
                sketches, groups = self._snapshot(workshop_id)
                computer.warm()
                inputs = [sketch_input(id=sid, measure=measure, geometry=geom, width_m=width, count=count)
                          for sid, measure, geom, width, count in sketches]
                result = computer.compute(inputs, groups)
                status = "ready"
                refine = getattr(computer, "refine", None)  # a slower level (the dynamic check) in the background;
                if refine is not None:  # when a part of it is done the workshop is computed (and published) again
                    refine(workshop_id, inputs, groups, result, lambda: self.schedule(workshop_id))
            except Exception as exc:
                log.error("indicators of workshop %s failed", workshop_id, exc_info=exc)
                result, status = None, "failed"
            with self._lock:
                state = self._states.setdefault(workshop_id, _State())
                if state.generation == generation:  # else a newer change is waiting: its run publishes
                    state.status = status
                state.result = result if result is not None else state.result
                state.computed_at = datetime.now(UTC)
                state.errors = dict((result or {}).get("errors", {}))
            log.debug("indicators of workshop %s in %.2f s", workshop_id, time.perf_counter() - started)
        # the event carries the whole and the syntheses; per-sketch values are asked for (GET ?sketch=), so a
        # workshop of hundreds of sketches does not send them all to every participant after every change
        self._bus.publish(workshop_id, "indicators", self.current(workshop_id, sketches=()))

    def current(self, workshop_id: str, sketches: Sequence[str] | None = None) -> dict[str, Any]:
        """The latest result as the API shows it; ``sketches``: only the values of these sketches (default all)."""
        if not self._made.is_set():  # the service is being made (the first seconds after the start)
            with self._lock:
                first = workshop_id not in self._states
            if first:
                self.schedule(workshop_id)  # its computation waits for the service in the scheduler thread
            return {"status": "computing", "total": None, "syntheses": {}, "sketches": {}, "computed_at": None,
                    "errors": {}}
        if not self.available:
            return {"status": "unavailable", "total": None, "syntheses": {}, "sketches": {}, "computed_at": None,
                    "errors": {"service": self._broken} if self._broken else {}}
        with self._lock:
            state = self._states.get(workshop_id)
            if state is None:
                first = True
                state = self._states[workshop_id] = _State()
            else:
                first = False
            result = state.result or {}
            answer = {"status": state.status, "total": result.get("total"), "syntheses": result.get("groups", {}),
                      "sketches": _only(result.get("sketches", {}), sketches),
                      "computed_at": iso(state.computed_at),
                      "errors": state.errors, "seconds": result.get("seconds")}
        if first:
            self.schedule(workshop_id)
        return answer

    def close(self) -> None:
        self._closed = True
        computer = self._service[0] if self._service is not None else None
        if computer is not None and hasattr(computer, "close"):
            computer.close()
        with self._lock:
            self._due.clear()
            self._wake.notify_all()


def _only(values: dict[str, Any], sketches: Sequence[str] | None) -> dict[str, Any]:
    return values if sketches is None else {sid: values[sid] for sid in sketches if sid in values}


def snapshot_of(live: Callable[[str], tuple[list[Any], dict[str, list[str]]]]) -> Callable[[str], Snapshot]:
    """The runner's snapshot function over :meth:`WorkshopService.live`."""

    def snapshot(workshop_id: str) -> Snapshot:
        sketches, groups = live(workshop_id)
        rows = [(k.id, k.measure, plain(mapping(k.geometry)), k.width_m, k.count) for k in sketches]
        return rows, groups

    return snapshot

