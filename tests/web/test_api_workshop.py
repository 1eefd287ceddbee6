"""The workshop API on SQLite and on PostgreSQL/PostGIS: create, join, draw, list, change, delete, undo,
syntheses, the log, roles and isolation, indicators."""

from __future__ import annotations

import csv
import io
import time

import pytest


def test_create_and_join(ws, client):
    assert len(ws.workshop["join_code"]) == 10
    assert ws.workshop["role"] == "facilitator"
    info = ws.call("GET", "", "facilitator").json()
    assert info["join_code"] == ws.workshop["join_code"]
    assert {p["name"] for p in info["participants"]} == {"Fien", "Anna", "Bram", "Olga"}
    assert sorted(y["kind"] for y in info["syntheses"]) == ["regionale_economie", "veerkracht"]
    seen = ws.call("GET", "", "anna").json()
    assert "join_code" not in seen and seen["me"]["role"] == "participant"
    wrong = client.post(f"/api/workshops/{ws.id}/participants",
                        json={"join_code": "AAAAAAAAAA", "name": "X", "discipline": "water"})
    assert wrong.status_code == 403 and wrong.json()["detail"]["key"] == "web_api.errors.wrong_code"
    typed = client.post(f"/api/workshops/{ws.id}/participants",
                        json={"join_code": ws.workshop["join_code"].lower(), "name": "Y", "discipline": "other"})
    assert typed.status_code == 201


def test_draw_list_patch_delete_undo(ws, place):
    made = ws.draw("anna", place.polygon(), comment="wadi bij de school")
    assert made.status_code == 201, made.text
    feature = made.json()
    sid = feature["id"]
    assert feature["properties"]["author_name"] == "Anna" and feature["properties"]["discipline"] == "water"
    line = ws.draw("bram", place.line(), measure="street_trees", width_m=6)
    assert line.status_code == 201, line.text
    listed = ws.call("GET", "/sketches", "olga").json()
    assert listed["type"] == "FeatureCollection"
    assert [f["id"] for f in listed["features"]] == [sid, line.json()["id"]]

    patched = ws.call("PATCH", f"/sketches/{sid}", "anna", json={"properties": {"comment": "groter"},
                                                                  "geometry": place.polygon(size=80)})
    assert patched.status_code == 200, patched.text
    assert patched.json()["properties"]["comment"] == "groter"
    assert ws.call("DELETE", f"/sketches/{sid}", "anna").status_code == 204
    assert [f["id"] for f in ws.call("GET", "/sketches", "anna").json()["features"]] == [line.json()["id"]]

    undo = ws.call("POST", "/undo", "anna")  # brings the deleted sketch back, as it was after the patch
    assert undo.status_code == 200, undo.text
    assert undo.json()["undone"]["action"] == "delete"
    back = {f["id"]: f for f in ws.call("GET", "/sketches", "anna").json()["features"]}
    assert back[sid]["properties"]["comment"] == "groter"
    ws.call("POST", "/undo", "anna")  # undoes the patch
    again = {f["id"]: f for f in ws.call("GET", "/sketches", "anna").json()["features"]}
    assert again[sid]["properties"]["comment"] == "wadi bij de school"
    ws.call("POST", "/undo", "anna")  # undoes the drawing
    assert sid not in {f["id"] for f in ws.call("GET", "/sketches", "anna").json()["features"]}
    nothing = ws.call("POST", "/undo", "anna")
    assert nothing.status_code == 409 and nothing.json()["detail"]["key"] == "web_api.errors.nothing_to_undo"
    assert line.json()["id"] in {f["id"] for f in ws.call("GET", "/sketches", "bram").json()["features"]}


def test_roles(ws, place):
    sid = ws.draw("anna", place.polygon()).json()["id"]
    other = ws.call("DELETE", f"/sketches/{sid}", "bram")
    assert other.status_code == 403 and other.json()["detail"]["key"] == "web_api.errors.not_yours"
    assert ws.call("PATCH", f"/sketches/{sid}", "bram", json={"properties": {"comment": "x"}}).status_code == 403
    observer = ws.draw("olga", place.polygon())
    assert observer.status_code == 403 and observer.json()["detail"]["key"] == "web_api.errors.observer"
    assert ws.call("POST", "/undo", "olga").status_code == 403
    changed = ws.call("PATCH", f"/sketches/{sid}", "facilitator", json={"properties": {"level": "town"}})
    assert changed.status_code == 200 and changed.json()["properties"]["level"] == "town"
    assert ws.call("DELETE", f"/sketches/{sid}", "facilitator").status_code == 204
    assert ws.call("DELETE", f"/sketches/{sid}", "facilitator").status_code == 404


def test_isolation(client, ws, place):
    from conftest import Session

    other = Session(client)
    sid = ws.draw("anna", place.polygon()).json()["id"]
    # a token of workshop A opens nothing of B, and B's sketches are not reachable through A
    cross = client.get(f"/api/workshops/{other.id}/sketches", headers=ws.headers("anna"))
    assert cross.status_code == 403
    assert client.delete(f"/api/workshops/{other.id}/sketches/{sid}",
                         headers=other.headers("facilitator")).status_code == 404
    assert client.get(f"/api/workshops/{ws.id}/sketches").status_code == 401
    bad = client.get(f"/api/workshops/{ws.id}/sketches", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401 and bad.json()["detail"]["message"]
    assert other.call("GET", "/sketches", "facilitator").json()["features"] == []
    assert client.get(f"/api/workshops/{other.id}", headers=ws.headers("facilitator")).status_code == 403


def test_syntheses_and_moves(ws, place):
    a = ws.draw("anna", place.polygon()).json()["id"]
    b = ws.draw("bram", place.point(), measure="rain_barrel", count=3).json()["id"]
    syntheses = ws.call("GET", "/syntheses", "anna").json()
    veerkracht = next(y for y in syntheses if y["kind"] == "veerkracht")
    put = ws.call("PUT", f"/syntheses/{veerkracht['id']}", "anna", json={"sketch_ids": [a, b]})
    assert put.status_code == 200 and put.json()["sketch_ids"] == [a, b]
    free = ws.call("POST", "/syntheses", "bram", json={"name": "Groen", "kind": "free", "sketch_ids": [b]})
    assert free.status_code == 201 and free.json()["sketch_ids"] == [b]
    unknown = ws.call("PUT", f"/syntheses/{veerkracht['id']}", "anna", json={"sketch_ids": ["nope"]})
    assert unknown.status_code == 422
    assert ws.call("POST", "/syntheses", "olga", json={"name": "x"}).status_code == 403

    moves = ws.call("GET", "/moves", "olga").json()
    actions = [(m["participant_name"], m["action"], m["target_kind"]) for m in moves]
    assert ("Anna", "create", "sketch") in actions and ("Bram", "create", "synthesis") in actions
    assert all(m["at"].endswith("Z") for m in moves)
    created = next(m for m in moves if m["target_id"] == a and m["action"] == "create")
    assert created["before"] is None and created["after"]["measure"] == "wadi"
    text = ws.call("GET", "/moves.csv", "olga")
    assert text.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.text)))
    assert len(rows) == len(moves) and rows[0]["action"] == "join"


def test_csv_cells_are_not_formulas(ws, client):
    joined = client.post(f"/api/workshops/{ws.id}/participants",
                         json={"join_code": ws.workshop["join_code"], "name": "=HYPERLINK(1)", "discipline": "other"})
    assert joined.status_code == 201
    text = ws.call("GET", "/moves.csv", "facilitator").text
    assert "'=HYPERLINK(1)" in text


def test_script_comment_comes_back_as_inert_text(ws, place):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    made = ws.draw("anna", place.polygon(), comment=hostile)
    assert made.status_code == 201
    assert made.headers["content-type"] == "application/json"
    listed = ws.call("GET", "/sketches", "bram").json()
    assert listed["features"][0]["properties"]["comment"] == hostile  # data, stored as given; the browser escapes


def test_indicators_follow_the_sketches(ws, place):
    first = ws.call("GET", "/indicators", "olga")
    assert first.status_code == 200 and first.json()["status"] in ("computing", "ready")
    ws.draw("anna", place.polygon())
    ws.draw("bram", place.polygon(x=155200))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        got = ws.call("GET", "/indicators", "olga").json()
        if got["status"] == "ready" and got["total"]["buildings_kept_dry"] == 2:
            break
        time.sleep(0.05)
    assert got["status"] == "ready" and got["total"]["buildings_kept_dry"] == 2
    assert len(got["sketches"]) == 2 and set(got["syntheses"]) == {y["id"] for y in ws.call(
        "GET", "/syntheses", "olga").json()}
    # one sketch's own values on request (the event carries none, so every participant is not sent all)
    one = next(iter(got["sketches"]))
    only = ws.call("GET", f"/indicators?sketch={one}", "olga").json()
    assert list(only["sketches"]) == [one] and only["total"] == got["total"]


def test_indicators_unavailable_without_the_service(web_dossier, tmp_path, place):
    from fastapi.testclient import TestClient

    from alliantie.web.app import create_app
    from alliantie.web.settings import WebSettings

    app = create_app(WebSettings(dossier=web_dossier, db_url=f"sqlite:///{tmp_path / 'w.sqlite'}"),
                     indicator_factory=lambda _path: None)
    with TestClient(app) as client:
        from conftest import Session

        ws = Session(client)
        assert ws.draw("anna", place.polygon()).status_code == 201
        got = ws.call("GET", "/indicators", "anna").json()
        assert got["status"] == "unavailable"


@pytest.mark.parametrize("lang, word", [("en", "observer"), ("nl", "toeschouwer")])
def test_messages_in_the_request_language(ws, place, lang, word):
    answer = ws.draw("olga", place.polygon()) if lang == "nl" else ws.call(
        "POST", "/sketches?lang=en", "olga", json={"type": "Feature", "geometry": place.polygon(),
                                                   "properties": {"measure": "wadi", "level": "town"}})
    assert word in answer.json()["detail"]["message"]
    header = ws.call("POST", "/undo", "olga", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "observer" in header.json()["detail"]["message"]
