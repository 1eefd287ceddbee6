"""Reliability: ``alliantie serve`` is killed with SIGKILL while sketches are written; after a restart every
sketch that was acknowledged (201) is in the SQLite store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(dossier: Path, port: int, db: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "alliantie.cli.main", "serve", str(dossier),
                                 "--port", str(port), "--db", db], stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve stopped: {log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=0.5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"serve did not start: {log.read_text()}")


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc), waiting up to 20 s for the first to appear."""
    deadline = time.monotonic() + 20
    while True:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_acknowledged_sketches_survive_kill_9(web_dossier, tmp_path, place):
    port = _free_port()
    db = f"sqlite:///{tmp_path / 'workshops.sqlite'}"
    log = tmp_path / "serve.log"
    proc = _serve(web_dossier, port, db, log)
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[str] = []
    try:
        made = httpx.post(f"{base}/api/workshops", json={"title": "kill"}).json()
        headers = {"Authorization": f"Bearer {made['token']}"}
        feature = {"type": "Feature", "geometry": place.polygon(),
                   "properties": {"measure": "wadi", "level": "town"}}
        stop = threading.Event()

        def writer() -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=5) as c:
                while not stop.is_set():
                    try:
                        answer = c.post(f"/api/workshops/{made['id']}/sketches", json=feature)
                    except httpx.HTTPError:
                        return
                    if answer.status_code == 201:
                        acknowledged.append(answer.json()["id"])

        threads = [threading.Thread(target=writer) for _ in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        children = _children(proc.pid)  # the indicator worker (started at startup to load the baseline)
        os.kill(proc.pid, signal.SIGKILL)  # mid-write: the writers are still posting
        proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(acknowledged) >= 40, log.read_text()
    # no orphan keeps running: the indicator worker ends itself when its server is gone
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)]
    proc = _serve(web_dossier, port, db, log)
    try:
        listed = httpx.get(f"{base}/api/workshops/{made['id']}/sketches", headers=headers).json()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    stored = {f["id"] for f in listed["features"]}
    assert set(acknowledged) <= stored
