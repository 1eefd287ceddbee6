"""Server-sent events: a sketch drawn by one participant reaches another's open stream within a second."""

from __future__ import annotations

import json
import threading
import time


def _read_events(client, url, found, stop):
    with client.stream("GET", url) as response:
        found["status"] = response.status_code
        event = None
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event:
                found.setdefault(event, []).append((time.monotonic(), json.loads(line.split(":", 1)[1])))
                if event == "sketch" or stop.is_set():
                    return


def test_sketch_event_reaches_other_participants(ws, client, place):
    assert ws.draw("bram", place.point(), measure="rain_barrel").status_code == 201  # boundary and catalogue read
    found: dict = {}
    stop = threading.Event()
    reader = threading.Thread(target=_read_events, daemon=True,
                              args=(client, f"/api/workshops/{ws.id}/events?token={ws.tokens['bram']}", found, stop))
    reader.start()
    deadline = time.monotonic() + 5
    while "ready" not in found and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "ready" in found, found
    made = ws.draw("anna", place.polygon(), comment="<b>hi</b>")
    answered = time.monotonic()
    assert made.status_code == 201
    reader.join(timeout=5)
    stop.set()
    assert "sketch" in found, found
    at, data = found["sketch"][0]
    assert data["action"] == "created" and data["feature"]["id"] == made.json()["id"]
    assert data["feature"]["properties"]["comment"] == "<b>hi</b>"
    assert at - answered < 1.0  # visible to the others within a second of the commit


def test_events_need_a_token(ws, client):
    assert client.get(f"/api/workshops/{ws.id}/events").status_code == 401
    assert client.get(f"/api/workshops/{ws.id}/events?token=wrong").status_code == 401
