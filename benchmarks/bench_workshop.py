"""A workshop under load: 30 participants drawing and panning for two minutes, on loopback.

Starts ``alliantie serve`` on a free loopback port with a fresh SQLite store (or uses ``--url``),
creates a workshop, lets ``--participants`` simulated participants join and, for ``--duration``
seconds, each one in a loop:

* draws a sketch (a polygon measure at a random place inside the dossier: ``POST .../sketches``),
* pans the map: reads ``--tiles`` raster tiles of its view: the extent of a scale level (region, town or
  neighbourhood, as the workshop page shows them) at the zoom that fits it or one closer, moved by up to a
  tile in any direction (participants of a workshop look at the same three extents, so tiles repeat:
  the first reader of a tile renders it, the others get it from the server's cache; a participant asks for
  a tile once, as a browser does with the tiles' Cache-Control, and later views count as browser-cache hits),
* sometimes deletes one of its own sketches,
* waits a think time of 0.5-2 s;

while each participant also listens to the workshop's event stream (server-sent events) and notes
when the others' sketches arrive. At the end it reads the sketch list back and checks that every
sketch the server acknowledged (201) is there, and no deleted one is.

Prints JSON: p50/p95/p99/max of sketch writes, tile reads and event delivery (ms) as the participants saw
them (event delivery: each stream's "created" event of a sketch after its author had the 201, 0 when the event
came first; ``event_after_send_ms``: after its author sent it), and of writes and tiles as the server timed
them itself (its ``Server-Timing`` header: from the request's arrival to its answer, without the client's own
waiting; for writes also its phases: queue, check, lock, write, commit, publish), counts, errors, sketches lost.
The issue's goal: p95 of sketch writes and tile reads under 200 ms, no errors, none lost.

The participants are spread over ``--client-procs`` client processes (default 3), each an event loop of its own
with its share of the participants and their streams; the results are merged into one report, and the check
that no sketch was lost covers all of them. On loopback the clients share the server's cores, so what they
measure includes their own waiting: ``client_loop_lag_ms`` (merged, and ``client_loop_lag_ms_per_process``) is
how late a client's loop woke from a 10 ms sleep while the participants ran (a request takes several wake-ups).
``--client-cpus`` pins the client processes and the probe to some CPUs (start the server under ``taskset`` to
pin it to the others). ``probe_tile_ms`` is the tiles as a separate probe process with nothing else to do sees
them (``--probe`` tiles per second, the participants' tiles in turn, no browser cache): the server as a browser
on a machine of its own would see it. ``--timeline FILE`` writes every sample with its time, to find when a
stall happened. ``load_average`` is the machine's at the end.

Usage::

    .venv/bin/python benchmarks/bench_workshop.py DOSSIER.toml [--participants 30] [--duration 120]
        [--tiles 6] [--url http://127.0.0.1:8000] [--measure wadi] [--probe 5] [--client-procs 3]
        [--client-cpus 1] [--timeline FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty
from typing import Any

import httpx


def _sched(pid: int | str, children: bool = False) -> tuple[float, float] | None:
    """(CPU seconds, seconds ready but waiting for a core) of all threads of process ``pid`` ("self": this one),
    or with ``children`` of its child processes that still run (the server's indicator worker), from the kernel's
    /proc/PID/task/TID/schedstat; None where there is none. The waiting is what a process loses to the others
    on a busy machine."""
    try:
        own = str(os.getpid()) if pid == "self" else str(pid)
        if not Path(f"/proc/{own}/task").is_dir():
            return None
        pids = [own]
        if children:  # a child started by any thread of the process is listed under that thread
            pids = [c for task in Path(f"/proc/{own}/task").iterdir()
                    for c in Path(task, "children").read_text().split()]
        cpu = wait = 0
        for each in pids:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                for task in Path(f"/proc/{each}/task").iterdir():
                    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                        on_cpu, waiting, _ = Path(task, "schedstat").read_text().split()
                        cpu, wait = cpu + int(on_cpu), wait + int(waiting)
    except (OSError, ValueError):
        return None
    return cpu / 1e9, wait / 1e9


def _per_s(before: tuple[float, float] | None, after: tuple[float, float] | None, seconds: float) -> dict[str, float]:
    """CPU and run-queue seconds per second of wall time between two :func:`_sched` readings."""
    if before is None or after is None or seconds <= 0:
        return {}
    return {"cpu_per_s": round((after[0] - before[0]) / seconds, 3),
            "waiting_for_cpu_per_s": round((after[1] - before[1]) / seconds, 3)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """Web Mercator tile column and row of a point (the slippy-map formula)."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def _fit_zoom(bbox: list[float], width_px: int = 1024) -> int:
    """The largest zoom at which ``bbox`` fits a view ``width_px`` wide (256-pixel tiles)."""
    w, _, e, _ = bbox
    span = max(e - w, 1e-6) / 360.0
    return max(0, min(19, math.floor(math.log2(width_px / 256.0 / span))))


def _square(lon: float, lat: float, half_m: float) -> dict[str, Any]:
    dlat = half_m / 111_320.0
    dlon = half_m / (111_320.0 * math.cos(math.radians(lat)))
    ring = [[lon - dlon, lat - dlat], [lon + dlon, lat - dlat], [lon + dlon, lat + dlat],
            [lon - dlon, lat + dlat], [lon - dlon, lat - dlat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _timings(response: httpx.Response) -> dict[str, float]:
    """The ``Server-Timing`` header as {name: ms}: ``app`` (the whole) and the phases the server marked."""
    found = {}
    for entry in response.headers.get("server-timing", "").split(","):
        name, _, params = entry.strip().partition(";")
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "dur" and name:
                found[name] = float(value)
    return found


def _server_time(response: httpx.Response, into: list[float], phases: dict[str, list[float]] | None = None) -> None:
    """The server's own duration (``app``), and the phases of it into ``phases``."""
    timings = _timings(response)
    if "app" in timings:
        into.append(timings.pop("app"))
    if phases is not None:
        for name, ms in timings.items():
            phases.setdefault(name, []).append(ms)


def _stats(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, math.ceil(p * len(ordered)) - 1)], 1)

    return {"n": len(values), "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99), "max": round(ordered[-1], 1),
            "mean": round(statistics.fmean(values), 1)}


class Run:
    """Everything the participants measured."""

    def __init__(self) -> None:
        self.writes: list[float] = []
        self.server_writes: list[float] = []  # the server's own time (Server-Timing), without the client's
        self.server_tiles: list[float] = []
        self.write_phases: dict[str, list[float]] = {}  # the phases of a sketch write (Server-Timing)
        self.deletes: list[float] = []
        self.tiles: list[float] = []
        self.browser_cached = 0
        self.arrivals: list[tuple[str, float]] = []  # (sketch id, when a stream got its "created" event)
        self.errors: list[str] = []
        self.acknowledged: set[str] = set()
        self.deleted: set[str] = set()
        self.sent_at: dict[str, float] = {}  # sketch id -> when its author sent it
        self.acked_at: dict[str, float] = {}  # sketch id -> when its author had the 201
        self.loop_lag: list[float] = []  # how late this client's own event loop woke up (ms)
        self.ended: list[float] = []  # when a client process's last participant stopped (perf_counter)
        self.sched: list[dict[str, float]] = []  # each client process's CPU and run-queue wait per second
        #: raw samples for ``--timeline``: (series, perf_counter seconds, ms[, more])
        self.timeline: list[tuple[Any, ...]] = []


async def _listen(client: httpx.AsyncClient, base: str, wid: str, token: str, run: Run, stop: asyncio.Event,
                  connected: list[int]) -> None:
    """Read the event stream; note when each created sketch arrives. ``connected[0]`` counts the open streams."""
    url = f"{base}/api/workshops/{wid}/events"
    with contextlib.suppress(httpx.HTTPError, asyncio.CancelledError):
        async with client.stream("GET", url, params={"token": token}, timeout=None) as response:
            if response.status_code != 200:
                run.errors.append(f"events {response.status_code}")
                return
            connected[0] += 1
            event = ""
            async for line in response.aiter_lines():
                if stop.is_set():
                    return
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "sketch":
                    data = json.loads(line[5:])
                    feature = data.get("feature") or {}
                    sid = str(feature.get("id", ""))
                    if data.get("action") == "created" and sid:
                        # kept also when it comes before its author has the 201 (then the id is not known yet)
                        run.arrivals.append((sid, time.perf_counter()))
                elif line.startswith("data:") and event == "indicators":
                    run.timeline.append(("indicators", time.perf_counter(), 0.0, len(line)))


async def _participant(index: int, client: httpx.AsyncClient, base: str, wid: str, token: str, area: dict[str, Any],
                       tile_url: str | None, args: argparse.Namespace, run: Run, deadline: float) -> None:
    rng = random.Random(index)
    headers = {"Authorization": f"Bearer {token}"}
    seen: set[str] = set()  # the browser's cache: tiles come with Cache-Control max-age, a browser asks once
    w, s, e, n = area["bbox"]
    mine: list[str] = []
    while time.perf_counter() < deadline:
        lon, lat = w + (e - w) * (0.3 + 0.4 * rng.random()), s + (n - s) * (0.3 + 0.4 * rng.random())
        feature = {"type": "Feature", "geometry": _square(lon, lat, rng.uniform(8.0, 25.0)),
                   "properties": {"measure": args.measure, "level": rng.choice(["region", "town", "neighbourhood"]),
                                  "comment": f"deelnemer {index}"}}
        t0 = time.perf_counter()
        try:
            r = await client.post(f"{base}/api/workshops/{wid}/sketches", json=feature, headers=headers)
            ms = (time.perf_counter() - t0) * 1000.0
            if r.status_code == 201:
                sid = str(r.json()["id"])
                run.sent_at[sid] = t0
                run.acked_at[sid] = time.perf_counter()
                run.acknowledged.add(sid)
                mine.append(sid)
                run.writes.append(ms)
                _server_time(r, run.server_writes, run.write_phases)
                run.timeline.append(("write", t0, ms, run.server_writes[-1] if run.server_writes else None))
            else:
                run.errors.append(f"sketch {r.status_code}: {r.text[:120]}")
        except httpx.HTTPError as exc:
            run.errors.append(f"sketch: {exc!r}")
        if tile_url:
            (vw, vs, ve, vn), fit = rng.choice(area["views"])
            z = fit + rng.choice((0, 1))
            x, y = _tile((vw + ve) / 2, (vs + vn) / 2, z)
            x, y = x + rng.randint(-1, 1), y + rng.randint(-1, 1)
            for dx, dy in [(0, 0), (1, 0), (0, 1), (1, 1), (-1, 0), (0, -1), (-1, -1), (1, -1), (-1, 1)][: args.tiles]:
                url = tile_url.format(z=z, x=x + dx, y=y + dy)
                if url in seen:
                    run.browser_cached += 1
                    continue
                seen.add(url)
                t0 = time.perf_counter()
                try:
                    r = await client.get(url)
                    if r.status_code in (200, 204):
                        run.tiles.append((time.perf_counter() - t0) * 1000.0)
                        _server_time(r, run.server_tiles)
                        run.timeline.append(("tile", t0, run.tiles[-1],
                                             run.server_tiles[-1] if run.server_tiles else None))
                    else:
                        run.errors.append(f"tile {r.status_code}")
                except httpx.HTTPError as exc:
                    run.errors.append(f"tile: {exc!r}")
        if mine and rng.random() < 0.15:
            sid = mine.pop(rng.randrange(len(mine)))
            t0 = time.perf_counter()
            try:
                r = await client.delete(f"{base}/api/workshops/{wid}/sketches/{sid}", headers=headers)
                if r.status_code == 204:
                    run.deletes.append((time.perf_counter() - t0) * 1000.0)
                    run.deleted.add(sid)
                else:
                    run.errors.append(f"delete {r.status_code}")
            except httpx.HTTPError as exc:
                run.errors.append(f"delete: {exc!r}")
        await asyncio.sleep(rng.uniform(0.5, 2.0))


def _probe(urls: list[str], period_s: float, stop: Any, results: Any, cpus: set[int] | None = None) -> None:
    """A separate process with an idle event loop of its own (none: plain blocking requests) asks for the
    participants' tiles in turn every ``period_s``, without a browser cache: the server's answer time as a
    browser on a machine of its own would see it, without the benchmark client's own waiting for its CPU."""
    if cpus:
        os.sched_setaffinity(0, cpus)
    times: list[float] = []
    errors = 0
    with httpx.Client(timeout=30.0) as client:
        i = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                if client.get(urls[i % len(urls)]).status_code == 200:
                    times.append((time.perf_counter() - t0) * 1000.0)
                else:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            i += 1
            stop.wait(max(0.0, period_s - (time.perf_counter() - t0)))
    results.put((times, errors))


def _probe_urls(tile_url: str, views: list[tuple[list[float], int]]) -> list[str]:
    """The centre tile and its eight neighbours of every view at its zoom: tiles the participants ask for."""
    urls = []
    for (w, s, e, n), z in views:
        x, y = _tile((w + e) / 2, (s + n) / 2, z)
        urls += [tile_url.format(z=z, x=x + dx, y=y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    return urls


async def _watch_loop(run: Run, stop: asyncio.Event, period_s: float = 0.01) -> None:
    """How late this client's event loop wakes from a short sleep: time the simulated participants' own
    requests and streams wait for their process (it shares the cores with the server), not the server's."""
    while not stop.is_set():
        t0 = time.perf_counter()
        await asyncio.sleep(period_s)
        late = (time.perf_counter() - t0 - period_s) * 1000.0
        run.loop_lag.append(late)
        run.timeline.append(("client_lag", t0, late))


async def _setup(base: str, args: argparse.Namespace) -> dict[str, Any]:
    """Create the workshop and let the participants join (before the clock starts): its id, tokens, tile url, views."""
    async with httpx.AsyncClient(timeout=30.0) as client:
        dossier = (await client.get(f"{base}/api/dossier")).json()
        maps = (await client.get(f"{base}/api/atlas/maps")).json()["maps"]
        tile_url = None
        for m in maps:
            for layer in m["layers"]:
                if layer.get("kind") == "raster" and "{z}" in layer.get("url", "") and "hillshade" not in layer["url"]:
                    tile_url = base + layer["url"] if layer["url"].startswith("/") else layer["url"]
                    break
            if tile_url:
                break
        town = dossier["levels"]["town"]["bbox"]
        views = [(level["bbox"], _fit_zoom(level["bbox"])) for level in dossier["levels"].values()]
        body = {"title": "Belasting", "facilitator_name": "F"}
        created = (await client.post(f"{base}/api/workshops", json=body)).json()
        wid, code = created["id"], created["join_code"]
        tokens = []
        for i in range(args.participants):
            r = await client.post(f"{base}/api/workshops/{wid}/participants", json={
                "join_code": code, "name": f"Deelnemer {i}", "organisation": "Test",
                "discipline": ["soil", "water", "green", "planning", "other"][i % 5], "role": "participant"})
            r.raise_for_status()
            tokens.append(r.json()["token"])
    return {"wid": wid, "facilitator": created["token"], "tokens": tokens, "tile_url": tile_url,
            "area": {"bbox": town, "views": views}}


async def _client(base: str, setup: dict[str, Any], indices: list[int], args: argparse.Namespace,
                  ready: Any, go: Any, start_at: Any) -> Run:
    """One client process's share of the participants: their streams, their loops and this process's loop lag.
    Says ``ready`` once all its streams are open, waits for ``go``, starts at ``start_at`` (perf_counter, the same
    clock in every process on Linux) and runs ``--duration`` seconds."""
    run = Run()
    wid, tokens = setup["wid"], [setup["tokens"][i] for i in indices]
    limits = httpx.Limits(max_connections=4 * len(tokens) + 10, max_keepalive_connections=2 * len(tokens) + 2)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        stop = asyncio.Event()
        connected = [0]
        listeners = [asyncio.create_task(_listen(client, base, wid, t, run, stop, connected)) for t in tokens]
        watcher = asyncio.create_task(_watch_loop(run, stop))
        for _ in range(600):
            if connected[0] >= len(tokens) or all(task.done() for task in listeners):
                break
            await asyncio.sleep(0.05)
        ready.put(len(indices))
        await asyncio.to_thread(go.wait)
        await asyncio.sleep(max(0.0, start_at.value - time.perf_counter()))
        deadline = start_at.value + args.duration
        run.loop_lag.clear()  # the lag while the participants run, not while the streams opened
        sched0, wall0 = _sched("self"), time.perf_counter()
        await asyncio.gather(*(_participant(i, client, base, wid, setup["tokens"][i], setup["area"], setup["tile_url"],
                                            args, run, deadline) for i in indices))
        run.ended.append(time.perf_counter())
        run.sched.append(_per_s(sched0, _sched("self"), time.perf_counter() - wall0))
        await asyncio.sleep(1.0)  # the last sketches' events
        stop.set()
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, watcher, return_exceptions=True)
    return run


def _client_process(base: str, setup: dict[str, Any], indices: list[int], args: argparse.Namespace, ready: Any,
                    go: Any, start_at: Any, results: Any) -> None:
    """A client process: pinned to ``--client-cpus`` when given, its participants on one event loop (uvloop when
    installed), its measurements sent back as plain lists."""
    if args.client_cpus:
        os.sched_setaffinity(0, args.client_cpus)
    try:  # uvloop (it comes with uvicorn[standard]) keeps the simulated clients' own overhead small
        import uvloop

        run = uvloop.run(_client(base, setup, indices, args, ready, go, start_at))
    except ImportError:
        run = asyncio.run(_client(base, setup, indices, args, ready, go, start_at))
    if args.timeline is None:
        run.timeline = []
    results.put(vars(run))


def _from_clients(queue: Any, clients: list[Any], timeout_s: float) -> Any:
    """The next message of the client processes; a clear error when one of them died (its traceback is above)."""
    deadline = time.perf_counter() + timeout_s
    while True:
        with contextlib.suppress(Empty):
            return queue.get(True, 1.0)
        if any(proc.exitcode not in (None, 0) for proc in clients):
            raise SystemExit("a client process failed (see its traceback above)")
        if time.perf_counter() > deadline:
            raise SystemExit(f"no word from the client processes within {timeout_s:.0f} s")


def _merge(parts: list[dict[str, Any]]) -> Run:
    """The client processes' measurements as one run."""
    run = Run()
    for part in parts:
        for name, value in part.items():
            mine = getattr(run, name)
            if isinstance(mine, list):
                mine.extend(value)
            elif isinstance(mine, set):
                mine.update(value)
            elif isinstance(mine, dict) and name == "write_phases":
                for phase, values in value.items():
                    mine.setdefault(phase, []).extend(values)
            elif isinstance(mine, dict):
                mine.update(value)
            else:
                setattr(run, name, mine + value)
    return run


def _bench(base: str, args: argparse.Namespace, server_pid: int | None = None) -> dict[str, Any]:
    """Set up, run the participants in ``--client-procs`` processes (and the probe in one more), merge, check."""
    setup = asyncio.run(_setup(base, args))
    tile_url, views = setup["tile_url"], setup["area"]["views"]
    spawn = multiprocessing.get_context("spawn")
    procs = max(1, min(args.client_procs, args.participants))
    shares = [list(range(args.participants))[k::procs] for k in range(procs)]
    ready, results, go, start_at = spawn.Queue(), spawn.Queue(), spawn.Event(), spawn.Value("d", 0.0)
    clients = [spawn.Process(target=_client_process, args=(base, setup, share, args, ready, go, start_at, results),
                             daemon=True) for share in shares]
    for proc in clients:
        proc.start()
    for _ in clients:
        _from_clients(ready, clients, 300.0)
    probe = None
    if tile_url and args.probe > 0:
        probe_stop, probe_results = spawn.Event(), spawn.Queue()
        probe = spawn.Process(target=_probe, args=(_probe_urls(tile_url, views), 1.0 / args.probe, probe_stop,
                                                   probe_results, args.client_cpus), daemon=True)
        probe.start()
    start_at.value = time.perf_counter() + 1.0
    go.set()
    time.sleep(1.0)
    def server_sched() -> tuple[tuple[float, float] | None, tuple[float, float] | None, float]:
        if not server_pid:
            return None, None, time.perf_counter()
        return _sched(server_pid), _sched(server_pid, children=True), time.perf_counter()

    server0, workers0, wall0 = server_sched()
    parts = [_from_clients(results, clients, args.duration + 300.0) for _ in clients]
    server1, workers1, wall1 = server_sched()
    for proc in clients:
        proc.join(timeout=10)
    run = _merge(parts)
    elapsed = max(run.ended) - start_at.value
    probe_times: list[float] = []
    if probe is not None:
        probe_stop.set()
        probe_times, probe_errors = probe_results.get(True, 60)
        probe.join(timeout=10)
        run.errors += [f"probe tile error {i}" for i in range(probe_errors)]
    listed = httpx.get(f"{base}/api/workshops/{setup['wid']}/sketches", timeout=60.0,
                       headers={"Authorization": f"Bearer {setup['facilitator']}"}).json()
    delivery, after_send = _deliveries(run)
    if args.timeline is not None:
        _write_timeline(args.timeline, run, start_at.value)
    present = {str(f["id"]) for f in listed["features"]}
    kept = run.acknowledged - run.deleted
    return {
        "participants": args.participants, "client_processes": procs, "seconds": round(elapsed, 1),
        "tile_url": tile_url, "load_average": [round(x, 2) for x in os.getloadavg()],
        "sketch_write_ms": _stats(run.writes), "tile_read_ms": _stats(run.tiles),
        "tiles_from_browser_cache": run.browser_cached,
        "server_sketch_write_ms": _stats(run.server_writes), "server_tile_read_ms": _stats(run.server_tiles),
        "server_sketch_write_phases_ms": {name: _stats(v) for name, v in run.write_phases.items()},
        "delete_ms": _stats(run.deletes), "event_delivery_ms": _stats(delivery),
        "event_after_send_ms": _stats(after_send),
        "client_loop_lag_ms": _stats(run.loop_lag),
        "client_loop_lag_ms_per_process": [_stats(part["loop_lag"]) for part in parts],
        # per second of the run: CPU seconds used, and seconds the threads were ready but waited for a core
        "client_sched_per_process": run.sched,
        "server_sched": _per_s(server0, server1, wall1 - wall0),  # the server process, all its threads
        "server_children_sched": _per_s(workers0, workers1, wall1 - wall0),  # its indicator worker
        "probe_tile_ms": _stats(probe_times),
        "sketches_acknowledged": len(run.acknowledged), "sketches_deleted": len(run.deleted),
        "sketches_lost": len(kept - present), "deleted_but_listed": len(run.deleted & present),
        "errors": len(run.errors), "error_examples": run.errors[:5],
        "goal_met": bool(run.writes and run.tiles and _stats(run.writes)["p95"] < 200 and _stats(run.tiles)["p95"] < 200
                         and not run.errors and not (kept - present)),
    }


def _deliveries(run: Run) -> tuple[list[float], list[float]]:
    """Each acknowledged sketch's "created" event at each stream, in ms: after its author had the 201 (0 when the
    stream had it first: the event is published at the commit, before the answer), and after its author sent it
    (what the others see of a sketch being drawn)."""
    delivery: list[float] = []
    after_send: list[float] = []
    for sid, at in run.arrivals:
        if sid in run.acked_at:
            delivery.append(max(0.0, at - run.acked_at[sid]) * 1000.0)
            after_send.append((at - run.sent_at[sid]) * 1000.0)
            run.timeline.append(("event", at, delivery[-1], after_send[-1]))
    return delivery, after_send


def _write_timeline(path: Path, run: Run, t0: float) -> None:
    """Every sample as a JSON line ``[series, seconds since the participants started, ms, ...]`` (series: write,
    tile, event, indicators, client_lag; writes and tiles also with the server's own ms), written atomically.
    The first line, ``["start", perf_counter, 0]``, lines it up with the clock of other processes on this machine."""
    part = path.with_name(path.name + ".part")
    with open(part, "w") as out:
        out.write(json.dumps(["start", t0, 0]) + "\n")
        for series, at, ms, *more in sorted(run.timeline, key=lambda r: r[1]):
            out.write(json.dumps([series, round(at - t0, 4), round(ms, 2), *more]) + "\n")
    os.replace(part, path)


def _cpus(text: str) -> set[int]:
    """``--client-cpus``: a comma-separated list of CPU numbers."""
    try:
        cpus = {int(part) for part in text.split(",") if part.strip()}
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of CPU numbers: {text!r}") from exc
    if not cpus or not cpus <= os.sched_getaffinity(0):
        raise argparse.ArgumentTypeError(f"CPUs {text!r}: this process may use {sorted(os.sched_getaffinity(0))}")
    return cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--tiles", type=int, default=6, help="tiles read per pan (at most 9)")
    parser.add_argument("--measure", default="wadi", help="the polygon measure the participants draw")
    parser.add_argument("--url", default=None, help="use a running server instead of starting one")
    parser.add_argument("--probe", type=float, default=5.0,
                        help="tiles per second a separate probe process asks for (0: no probe)")
    parser.add_argument("--client-procs", type=int, default=3,
                        help="client processes the participants are spread over, each with an event loop of its own")
    parser.add_argument("--client-cpus", type=_cpus, default=None,
                        help="pin the client processes and the probe to these CPUs (e.g. 1 or 0,1)")
    parser.add_argument("--server-pid", type=int, default=None,
                        help="the process id of the server of --url: its CPU use during the run is reported")
    parser.add_argument("--timeline", type=Path, default=None,
                        help="write every sample with its time to this file (JSON lines), to see when stalls happen")
    args = parser.parse_args()
    server = None
    log = None
    scratch = Path(tempfile.mkdtemp(prefix="bench-workshop-"))
    base = args.url
    try:
        if base is None:
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            exe = Path(sys.executable).with_name("alliantie")
            log = open(scratch / "server.log", "w")  # noqa: SIM115 (open for the server's lifetime)
            server = subprocess.Popen(
                [str(exe), "serve", str(args.dossier), "--host", "127.0.0.1", "--port", str(port),
                 "--db", f"sqlite:///{scratch / 'bench.sqlite'}"],
                stdout=subprocess.DEVNULL, stderr=log, env=os.environ.copy())
            for _ in range(600):
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/api/dossier", timeout=1.0).status_code == 200:
                        break
                time.sleep(0.1)
            else:
                raise SystemExit(f"the server did not start; see {scratch / 'server.log'}")
        print(json.dumps(_bench(base, args, server.pid if server is not None else args.server_pid), indent=2))
    finally:
        if server is not None:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=10)
        if log is not None:
            log.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
