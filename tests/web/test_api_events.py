"""Server-sent events: a sketch drawn by one participant reaches another's open stream within a second."""

from __future__ import annotations

import json
import threading
import time

import pytest


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


def _stream(client, url, found, until, headers=None):
    """Reads the stream into ``found`` (event, id, data) until ``until(found)``."""
    with client.stream("GET", url, headers=headers or {}) as response:
        fields: dict[str, str] = {}
        for line in response.iter_lines():
            if line.strip():
                name, _, value = line.partition(":")
                fields[name] = value.strip()
            elif "event" in fields and "data" in fields:  # the blank line that ends an event
                found.append((fields["event"], fields.get("id"), json.loads(fields["data"]), time.monotonic()))
                fields = {}
                if until(found):
                    return
            else:
                fields = {}


def _listen(client, url, until, headers=None):
    found: list = []
    reader = threading.Thread(target=_stream, args=(client, url, found, until, headers), daemon=True)
    reader.start()
    deadline = time.monotonic() + 5
    while not any(e[0] == "ready" for e in found) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert any(e[0] == "ready" for e in found), found
    return reader, found


@pytest.fixture(scope="module")
def other_client(web_dossier, db_url):
    """A second server on the same store: an app of its own, with its own event bus (as a second process)."""
    from conftest import fake_factory
    from fastapi.testclient import TestClient

    from alliantie.web.app import create_app
    from alliantie.web.settings import WebSettings

    settings = WebSettings(dossier=web_dossier, db_url=db_url, indicator_delay_s=0.05)
    app = create_app(settings, indicator_factory=fake_factory)
    with TestClient(app) as c:
        yield c


def _sketches(found):
    return [e for e in found if e[0] == "sketch"]


def test_a_sketch_written_through_another_server_reaches_the_stream_within_a_second(ws, client, other_client,
                                                                                     place):
    assert ws.draw("bram", place.point(), measure="rain_barrel").status_code == 201
    url = f"/api/workshops/{ws.id}/events?token={ws.tokens['bram']}"
    reader, found = _listen(other_client, url, lambda f: len(_sketches(f)) >= 1)
    made = ws.draw("anna", place.polygon(), comment="via A")  # through the first server
    answered = time.monotonic()
    assert made.status_code == 201
    reader.join(timeout=5)
    (_, ident, data, at), = _sketches(found)
    assert data["action"] == "created" and data["feature"]["id"] == made.json()["id"]
    assert data["feature"]["properties"]["comment"] == "via A"
    assert data["feature"]["properties"]["author_name"] == "Anna"
    assert data["feature"]["geometry"]["type"] == "Polygon"
    assert at - answered < 1.0
    moves = ws.call("GET", "/moves", "anna").json()
    assert int(ident) == moves[-1]["id"]  # the SSE id is the move's


def test_the_other_server_recomputes_the_indicators_it_shows(ws, client, other_client, place):
    """A change written through one server reaches the indicators event of the other."""
    headers = ws.headers("bram")
    assert other_client.get(f"/api/workshops/{ws.id}/indicators", headers=headers).status_code == 200
    url = f"/api/workshops/{ws.id}/events?token={ws.tokens['bram']}"

    def two_sketches(found):
        return any(e[0] == "indicators" and e[2]["status"] == "ready" and e[2]["total"]["buildings_kept_dry"] == 2
                   for e in found)

    reader, found = _listen(other_client, url, two_sketches)
    assert ws.draw("anna", place.polygon()).status_code == 201
    assert ws.draw("bram", place.polygon(155200, 463150)).status_code == 201
    reader.join(timeout=5)
    assert two_sketches(found), found


def test_a_reconnection_with_last_event_id_gets_what_it_missed(ws, client, other_client, place):
    url = f"/api/workshops/{ws.id}/events?token={ws.tokens['bram']}"
    reader, found = _listen(client, url, lambda f: len(_sketches(f)) >= 1)
    first = ws.draw("anna", place.polygon())
    reader.join(timeout=5)
    (_, seen, _, _), = _sketches(found)  # the stream ends: the browser is away
    missed = [ws.draw("anna", place.polygon(155150, 463150)).json()["id"]]
    other = other_client.delete(f"/api/workshops/{ws.id}/sketches/{first.json()['id']}", headers=ws.headers("anna"))
    assert other.status_code == 204  # through the other server
    missed.append(first.json()["id"])
    for server in (client, other_client):
        reader, found = _listen(server, url, lambda f: len(_sketches(f)) >= 2, headers={"Last-Event-ID": seen})
        reader.join(timeout=5)
        got = _sketches(found)
        assert [(e[2]["action"], e[2]["feature"]["id"]) for e in got] == [("created", missed[0]),
                                                                         ("deleted", missed[1])]
        assert int(got[0][1]) > int(seen) and int(got[1][1]) > int(got[0][1])
    # a stale or foreign id is ignored: the stream just starts
    reader, found = _listen(client, url, lambda f: True, headers={"Last-Event-ID": "not-a-number"})
    reader.join(timeout=5)
    assert [e[0] for e in found] == ["ready"]
