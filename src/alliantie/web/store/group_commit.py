"""Group commit: the new rows of writers who arrive while a commit runs are committed together, in one
transaction and (on SQLite) one sync of the log, and none is answered before its rows are on disk.

A writer hands its rows over (:meth:`GroupCommit.insert`). When no commit is under way it commits itself,
with every row handed over until then; else it waits: the committing writer wakes it when its rows are in,
or hands it the turn to commit the rows that came in meanwhile. Nothing waits for a timer, so a lone writer
commits at once; 30 participants drawing at once share the commits (measured with
``benchmarks/bench_workshop.py``: see ``docs/web.md``). The writer lock of the store is held around each
commit, so other writes (changes, deletions) still take turns with it.

If a shared commit fails, each writer's rows are tried alone, so one bad row fails only its own writer.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from alliantie.web.store.database import Store
from alliantie.web.timing import phase, record


@dataclass(eq=False)
class _Job:
    rows: list[Any]
    ready: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # woken to commit the next group, not because its rows are in
    error: BaseException | None = None


class GroupCommit:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._guard = threading.Lock()
        self._waiting: list[_Job] = []
        self._committing = False

    def insert(self, rows: list[Any]) -> None:
        """Add ``rows`` (new ORM objects) to the store; returns once they are committed, else raises."""
        job = _Job(rows)
        with self._guard:
            self._waiting.append(job)
            lead = not self._committing
            self._committing = True
        if not lead:
            with phase("group"):
                job.ready.wait()
            if not job.lead:
                self._raise(job)
                return
        with self._guard:
            group, self._waiting = self._waiting, []
        try:
            self._commit(group)
        finally:
            with self._guard:
                if self._waiting:  # who came in meanwhile: the first of them commits them
                    following = self._waiting[0]
                    following.lead = True
                    following.ready.set()
                else:
                    self._committing = False
            for other in group:
                if other is not job:
                    other.ready.set()
        self._raise(job)

    def _commit(self, group: list[_Job]) -> None:
        with phase("lock"):
            self.store.write_lock_acquire()
        try:
            started = time.perf_counter()
            try:
                self._transaction([row for job in group for row in job.rows])
            except Exception as exc:
                if len(group) == 1:
                    group[0].error = exc
                else:
                    for job in group:  # one bad row must not fail the others
                        try:
                            self._transaction(job.rows)
                        except Exception as alone:
                            job.error = alone
            record("commit", started, time.perf_counter())
        finally:
            self.store.write_lock_release()

    def _transaction(self, rows: list[Any]) -> None:
        with self.store.sessions() as s, s.begin():
            s.add_all(rows)

    @staticmethod
    def _raise(job: _Job) -> None:
        if job.error is not None:
            raise job.error
