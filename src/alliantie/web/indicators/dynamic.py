"""The dynamic check of the live indicators, run in the background after the fast estimate.

After each fast computation the runner hands the state it computed to :meth:`DynamicChecks.refine`: the whole
(all valid sketches) and every synthesis are *items*, each keyed by the content of its sketches (measure,
geometry, size, in order; as the fast level's cache). Items without a dynamic result are queued as one *job*
per channel (a workshop), started after :attr:`DynamicChecks.delay_s` (debounce: people draw in bursts) and
run one item at a time, the whole first, in *stages* (:attr:`DynamicChecks.stages`; in the server the map storm
of every item first, so its buildings and water show early, then the storms of the expected annual damage): a
finished stage of an item is shown at once, the next stage replaces it. A new state of the same channel
supersedes its job: a queued job is replaced, a running one is told to stop (the check asks between two runs of
the 2-D engine). When a stage of an item is done its result is kept by content and ``done()`` is called: the
runner recomputes the channel, and
:meth:`DynamicChecks.merge` puts the dynamic numbers in place of the fast ones only where the content of the
item is still the same, so a result for an old state is never shown. A synthesis that did not change keeps its
dynamic result across edits elsewhere.

The check itself (``run``) is given: in the server a second worker process (:mod:`.process`), in tests a double.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: One set of sketches: the content key of each, in order.
ItemKey = tuple[Any, ...]
#: (sketches, token, stage) -> the dynamic result of those sketches together after ``stage``, or None when stopped
#: (token superseded).
Run = Callable[[list[Any], int, str], "dict[str, Any] | None"]
#: Dynamic results kept by content.
RESULTS_SIZE = 256
#: The stages of the workshop's dynamic check (:meth:`~alliantie.web.indicators.service.IndicatorService.dynamic`):
#: today's map storm (buildings and water, shown first), then the other storms of the expected annual damage.
MAP_STAGE, SERIES_STAGE = "map", "series"
DYNAMIC_STAGES = (MAP_STAGE, SERIES_STAGE)


@dataclass
class _Job:
    channel: str
    token: int
    items: list[tuple[ItemKey, list[Any]]]
    done: Callable[[], None]
    start_at: float
    keys: frozenset[ItemKey] = field(init=False)
    current: ItemKey | None = None  #: the part being checked now

    def __post_init__(self) -> None:
        self.keys = frozenset(k for k, _ in self.items)


def items_of(sketches: Sequence[Any], groups: Mapping[str, Sequence[str]],
             errors: Mapping[str, str]) -> dict[str | tuple[str, str], tuple[ItemKey, list[Any]]]:
    """The whole (``"total"``) and every group (``("group", id)``) as (content key, sketches), the sketches the
    engine refused left out (as the fast level does)."""
    valid = [s for s in sketches if s.id not in errors]
    out: dict[str | tuple[str, str], tuple[ItemKey, list[Any]]] = {"total": (tuple(s.key() for s in valid), valid)}
    for gid, ids in groups.items():
        wanted = set(ids)
        members = [s for s in valid if s.id in wanted]
        out[("group", gid)] = (tuple(s.key() for s in members), members)
    return out


class DynamicChecks:
    """Background dynamic checks with debounce, supersession and a content cache (thread-safe)."""

    def __init__(self, run: Run, *, delay_s: float = 2.0, stop: Callable[[int], None] | None = None,
                 stages: Sequence[str] = ("check",)) -> None:
        """``stages``: the stages of a check, in order; each is a call of ``run``, whose result replaces the
        previous stage's (an item is done after the last)."""
        if not stages:
            raise ValueError("a dynamic check needs at least one stage")
        self._run = run
        self.stages = tuple(stages)
        self._stop = stop  #: tells the running check (by its token) to stop; None: it is left to finish
        self.delay_s = delay_s
        self._cond = threading.Condition()
        self._jobs: dict[str, _Job] = {}  #: channel -> its waiting or running job
        self._running: _Job | None = None
        self._results: OrderedDict[ItemKey, dict[str, Any]] = OrderedDict()
        self._done: dict[ItemKey, int] = {}  #: item -> the number of its stages done (kept with ``_results``)
        self._failed: OrderedDict[ItemKey, None] = OrderedDict()  #: checks that failed: not tried again
        self._tokens = itertools.count(1)
        self._closed = False
        self._thread: threading.Thread | None = None
        self.runs = 0  #: stages run to the end (for tests and logs)

    # --- what the indicator service calls ---------------------------------------------------------------------

    def result(self, key: ItemKey) -> dict[str, Any] | None:
        """The result of the latest stage done for ``key`` (None: none yet)."""
        with self._cond:
            return self._results.get(key)

    def _finished(self, key: ItemKey) -> bool:
        return self._done.get(key, 0) >= len(self.stages) or key in self._failed

    def merge(self, fast: dict[str, Any], sketches: Sequence[Any], groups: Mapping[str, Sequence[str]],
              merge_one: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]]) -> dict[str, Any]:
        """``fast`` (a computed result) with the whole and each synthesis replaced by its dynamic result where
        there is one for exactly its current sketches."""
        items = items_of(sketches, groups, fast.get("errors", {}))
        out = dict(fast)
        total_key = items["total"][0]
        if out.get("total") is not None and total_key:
            out["total"] = merge_one(out["total"], self.result(total_key))
        out["groups"] = {gid: merge_one(ind, self.result(items[("group", gid)][0]) if items[("group", gid)][0]
                                        else None)
                         for gid, ind in out.get("groups", {}).items()}
        return out

    def refine(self, channel: str, sketches: Sequence[Any], groups: Mapping[str, Sequence[str]],
               errors: Mapping[str, str], done: Callable[[], None]) -> bool:
        """Queue the dynamic check of ``channel``'s current state (the items without a result); True when a
        check is (still) to come. A job of the same channel for another state is superseded."""
        wanted: dict[ItemKey, list[Any]] = {}
        for key, members in items_of(sketches, groups, errors).values():
            if key and key not in wanted:
                wanted[key] = members
        with self._cond:
            todo = [(k, m) for k, m in wanted.items() if not self._finished(k)]
            old = self._jobs.get(channel)
            keys = frozenset(k for k, _ in todo)
            if old is not None and todo and keys <= old.keys:
                # the job under way covers this state (the parts done since are no longer to do): it goes on,
                # without the parts no longer asked for
                old.keys = keys
                old.done = done
                return True
            if old is not None:  # superseded: it ends after the part under way, which is stopped unless still wanted
                del self._jobs[channel]
                if self._running is old and old.current is not None and old.current not in keys \
                        and self._stop is not None:
                    self._stop(old.token)
            if not todo:
                self._cond.notify_all()
                return False
            self._jobs[channel] = _Job(channel, next(self._tokens), todo, done, time.monotonic() + self.delay_s)
            self._ensure_thread()
            self._cond.notify_all()
            return True

    def pending(self, channel: str) -> bool:
        with self._cond:
            return channel in self._jobs

    def close(self) -> None:
        with self._cond:
            self._closed = True
            if self._running is not None and self._stop is not None:
                self._stop(self._running.token)
            self._jobs.clear()
            self._cond.notify_all()

    # --- the background thread --------------------------------------------------------------------------------

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name="indicators-dynamic", daemon=True)
            self._thread.start()

    def _next(self) -> _Job | None:
        """The job that waited longest and whose debounce is over; waits for one (None: closed)."""
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                ready = [j for j in self._jobs.values() if j.start_at <= now]
                if ready:
                    job = min(ready, key=lambda j: j.start_at)
                    self._running = job
                    return job
                soonest = min((j.start_at for j in self._jobs.values()), default=None)
                self._cond.wait(None if soonest is None else max(soonest - now, 0.01))
            return None

    def _current(self, job: _Job) -> bool:
        with self._cond:
            return not self._closed and self._jobs.get(job.channel) is job

    def _loop(self) -> None:
        while (job := self._next()) is not None:
            try:
                self._run_job(job)
            finally:
                with self._cond:
                    if self._jobs.get(job.channel) is job:
                        del self._jobs[job.channel]
                    self._running = None

    def _run_job(self, job: _Job) -> None:
        """Every stage of every item of ``job``: the first stage of all items, then the next."""
        for index, stage in enumerate(self.stages):
            for key, members in job.items:
                if not self._current(job):
                    return
                with self._cond:
                    if key not in job.keys or key in self._failed or self._done.get(key, 0) != index:
                        continue
                    job.current = key
                try:
                    result = self._run(members, job.token, stage)
                except Exception as exc:  # a failed check leaves the last stage done (or the fast estimate) standing
                    log.warning("dynamic check of %s (%s) failed: %s", job.channel, stage, exc)
                    with self._cond:
                        self._failed[key] = None
                        while len(self._failed) > RESULTS_SIZE:
                            self._failed.popitem(last=False)
                    result = None
                with self._cond:
                    job.current = None
                if result is None:
                    continue
                with self._cond:
                    self._results[key] = result
                    self._results.move_to_end(key)
                    self._done[key] = index + 1
                    while len(self._results) > RESULTS_SIZE:
                        old, _ = self._results.popitem(last=False)
                        self._done.pop(old, None)
                    self.runs += 1
                    callback = job.done
                callback()
