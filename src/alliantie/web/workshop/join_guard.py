"""A limit on wrong join codes: a join code is unguessable (10 characters, ~8·10^14 codes), and a client that
tries many codes in a row is stopped before it has tried more than a handful.

Per workshop and client address: after :data:`LIMIT` wrong codes within :data:`WINDOW_S` seconds, further
attempts are refused (429) until the oldest wrong attempt leaves the window. In memory, per server process.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from alliantie.web.http_errors import TooManyAttempts

#: Wrong join codes allowed per workshop and client address within :data:`WINDOW_S`.
LIMIT = 10
#: The window, s.
WINDOW_S = 300.0


class JoinGuard:
    def __init__(self, limit: int = LIMIT, window_s: float = WINDOW_S) -> None:
        self.limit = limit
        self.window_s = window_s
        self._lock = threading.Lock()
        self._wrong: dict[tuple[str, str], deque[float]] = {}

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._wrong.setdefault(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def check(self, workshop_id: str, client: str) -> None:
        """Refuse (:class:`TooManyAttempts`) when this client gave too many wrong codes for this workshop."""
        now = time.monotonic()
        with self._lock:
            times = self._recent((workshop_id, client), now)
            if len(times) >= self.limit:
                wait = int(self.window_s - (now - times[0])) + 1
                raise TooManyAttempts("web_api.errors.too_many_attempts", seconds=wait)

    def wrong(self, workshop_id: str, client: str) -> None:
        """Count a wrong code."""
        now = time.monotonic()
        with self._lock:
            self._recent((workshop_id, client), now).append(now)
            if len(self._wrong) > 10_000:  # forget the quiet ones
                for key in [k for k, v in self._wrong.items() if not v]:
                    del self._wrong[key]
