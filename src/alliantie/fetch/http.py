"""Downloads through httpx with a cache, retries and resume (HTTP Range), and errors a planner can read.

:meth:`Downloader.fetch` answers a request from the cache when it can; otherwise it streams the answer into
``partial/<request>.part`` and, when the connection breaks, asks again from where it stopped
(``Range: bytes=<size>-``; a server that answers ``206`` is appended to, one that answers ``200`` starts over).
A ``404`` is reported at once with the address; a ``5xx``/``429`` or a broken connection is tried again
(:data:`RETRIES` times) before it is reported.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from alliantie.errors import FetchError
from alliantie.fetch.cache import Cache, Entry, Params, request_key

#: Tries after the first before a failing request is reported.
RETRIES = 4
#: Seconds to wait before the n-th retry: BACKOFF_S * 2**(n-1) (tests set it to 0).
BACKOFF_S = 1.0
#: A progress callback: (what, bytes done, bytes in all or None).
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Fetched:
    """One answer: the cached file holding it and its cache entry; ``hit`` when nothing was downloaded."""

    path: Path
    entry: Entry
    hit: bool


def full_url(url: str, params: Params = ()) -> str:
    """``url`` with ``params`` added (an empty list keeps the address's own query: httpx would drop it)."""
    return str(httpx.URL(url, params=list(params))) if params else url


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Downloader:
    """Requests through one ``httpx.Client`` into one :class:`Cache`."""

    def __init__(self, cache: Cache, client: httpx.Client, *, progress: Progress | None = None,
                 refresh: bool = False, backoff_s: float | None = None) -> None:
        self.cache = cache
        self.client = client
        self.progress = progress or (lambda what, done, total: None)
        self.refresh = refresh
        self.backoff_s = BACKOFF_S if backoff_s is None else backoff_s
        self.downloaded_bytes = 0
        self.hits = 0

    def fetch(self, url: str, params: Params = (), *, what: str) -> Fetched:
        """The answer to GET ``url`` with ``params``, from the cache or downloaded (resumed where it broke)."""
        key = request_key(url, params)
        entry = None if self.refresh else self.cache.get(key)
        if entry is not None:
            self.hits += 1
            return Fetched(self.cache.blob(entry.sha256), entry, hit=True)
        part = self.cache.partial(key)
        part.parent.mkdir(parents=True, exist_ok=True)
        if self.refresh and part.exists():
            part.unlink()
        last_error = ""
        for attempt in range(RETRIES + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                last_modified = self._stream(url, params, part, what)
            except httpx.TransportError as exc:  # a broken or refused connection: try again from where it stopped
                last_error = f"{type(exc).__name__}: {exc}"
                continue
            except _Retry as exc:
                last_error = str(exc)
                continue
            entry = self.cache.put(key, part, url=full_url(url, params), retrieved=_now(),
                                   last_modified=last_modified)
            return Fetched(self.cache.blob(entry.sha256), entry, hit=False)
        raise FetchError("errors.fetch.failed", what=what, url=full_url(url, params),
                         detail=last_error, tries=RETRIES + 1)

    def json(self, url: str, params: Params = (), *, what: str) -> Any:
        """The JSON answer to GET ``url`` (cached like any other answer)."""
        fetched = self.fetch(url, params, what=what)
        try:
            return json.loads(fetched.path.read_bytes())
        except ValueError:
            raise FetchError("errors.fetch.not_json", what=what, url=fetched.entry.url) from None

    def _stream(self, url: str, params: Params, part: Path, what: str) -> str | None:
        offset = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        with self.client.stream("GET", full_url(url, params), headers=headers) as response:
            status = response.status_code
            if status == 416 and offset:  # the part is longer than the answer now: start over
                part.unlink()
                raise _Retry(f"HTTP 416 for {url}")
            if status in (429,) or status >= 500:
                raise _Retry(f"HTTP {status} {response.reason_phrase}")
            if status >= 400:
                raise FetchError("errors.fetch.refused", what=what, url=str(response.request.url), status=status,
                                 reason=response.reason_phrase)
            append = status == 206 and offset > 0
            total = _total(response, offset if append else 0)
            done = offset if append else 0
            with part.open("ab" if append else "wb") as handle:
                for chunk in response.iter_bytes():
                    handle.write(chunk)
                    done += len(chunk)
                    self.downloaded_bytes += len(chunk)
                    self.progress(what, done, total)
            if total is not None and done < total:
                raise _Retry(f"the answer ended after {done} of {total} bytes")
            return response.headers.get("last-modified")


class _Retry(Exception):
    """An answer worth asking again for (a server error, a short answer)."""


def _total(response: httpx.Response, offset: int) -> int | None:
    length = response.headers.get("content-length")
    if length is None or response.headers.get("content-encoding"):
        return None
    return offset + int(length)
