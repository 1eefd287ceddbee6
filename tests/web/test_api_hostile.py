"""Malformed and hostile requests get a 4xx with a planner-readable message, never a 500."""

from __future__ import annotations

import pytest


def _detail(response):
    body = response.json()
    assert set(body["detail"]) == {"key", "message"}, body
    assert body["detail"]["message"] and "Traceback" not in body["detail"]["message"]
    return body["detail"]


def test_bad_json(ws):
    answer = ws.call("POST", "/sketches", "anna", content=b'{"type": "Feature", "geometry": ',
                     headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and _detail(answer)["key"] == "web_api.errors.bad_json"


def test_huge_body(ws):
    answer = ws.call("POST", "/sketches", "anna", content=b"[" + b"1," * 150_000 + b"1]",
                     headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and _detail(answer)["key"] == "web_api.errors.too_large"


def test_deep_nesting(ws):
    answer = ws.call("POST", "/sketches", "anna", content=b"[" * 50_000 + b"]" * 50_000,
                     headers={"Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500
    _detail(answer)


@pytest.mark.parametrize("case", ["self_crossing", "outside", "unknown_measure", "wrong_kind", "not_numbers",
                                  "missing_level", "too_many_vertices", "long_comment", "not_lonlat", "empty"])
def test_hostile_sketches(ws, place, case):
    geometry = place.polygon()
    props = {"measure": "wadi", "level": "neighbourhood"}
    if case == "self_crossing":
        a, b, c, d = (place.lonlat(155100, 463100), place.lonlat(155150, 463150), place.lonlat(155150, 463100),
                      place.lonlat(155100, 463150))
        geometry = {"type": "Polygon", "coordinates": [[a, b, c, d, a]]}
    elif case == "outside":
        geometry = place.polygon(x=160000, y=470000)
    elif case == "unknown_measure":
        props["measure"] = "moon_base"
    elif case == "wrong_kind":
        geometry = place.line()
    elif case == "not_numbers":
        geometry = {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]}
    elif case == "missing_level":
        del props["level"]
    elif case == "too_many_vertices":
        geometry = {"type": "LineString", "coordinates": [place.lonlat(155100 + i * 0.01, 463100)
                                                          for i in range(10_001)]}
        props["measure"] = "street_trees"
    elif case == "long_comment":
        props["comment"] = "x" * 2001
    elif case == "not_lonlat":
        geometry = {"type": "Point", "coordinates": [155100.0, 463100.0]}
        props["measure"] = "rain_barrel"
    elif case == "empty":
        geometry = {"type": "Polygon", "coordinates": []}
    feature = {"type": "Feature", "geometry": geometry, "properties": props}
    answer = ws.call("POST", "/sketches", "anna", json=feature)
    assert answer.status_code in (413, 422), (case, answer.status_code, answer.text)
    detail = _detail(answer)
    expected = {"self_crossing": "invalid_geometry", "outside": "outside", "unknown_measure": "unknown_measure",
                "wrong_kind": "wrong_geometry", "too_many_vertices": "too_many_vertices",
                "not_lonlat": "not_lonlat"}
    if case in expected and answer.status_code == 422:
        assert detail["key"] == f"web_api.errors.{expected[case]}", detail
    assert ws.call("GET", "/sketches", "anna").json()["features"] == []


def test_outside_message_names_the_area(ws, place):
    answer = ws.call("POST", "/sketches?lang=en", "anna", json={
        "type": "Feature", "geometry": place.polygon(x=160000), "properties": {"measure": "wadi", "level": "town"}})
    assert "outside the study area of 'Testgebied'" in _detail(answer)["message"]


def test_unknown_routes_and_methods(client, ws):
    assert client.get("/api/nothing").status_code == 404
    _detail(client.get("/api/nothing"))
    answer = client.put(f"/api/workshops/{ws.id}/sketches", headers=ws.headers("anna"))
    assert answer.status_code == 405
    _detail(answer)
    assert client.get("/api/workshops/nope/sketches", headers=ws.headers("anna")).status_code == 403
    assert client.post("/api/workshops/nope/participants", json={"join_code": "X", "name": "a",
                                                                 "discipline": "water"}).status_code == 404


def test_bad_fields(client, ws):
    answer = client.post(f"/api/workshops/{ws.id}/participants",
                         json={"join_code": ws.workshop["join_code"], "name": "", "discipline": "astrology"})
    assert answer.status_code == 422
    assert "discipline" in _detail(answer)["message"]
    assert client.post("/api/workshops", json={"title": "x" * 500}).status_code == 422


def test_openapi_schema(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/workshops", "/api/workshops/{workshop_id}/sketches", "/api/workshops/{workshop_id}/undo",
                 "/api/workshops/{workshop_id}/indicators", "/api/workshops/{workshop_id}/events"):
        assert path in schema["paths"], path
    assert "SketchIn" in schema["components"]["schemas"]


def test_huge_body_without_length(ws):
    def chunks():
        for _ in range(40):
            yield b" " * 10_000

    answer = ws.call("POST", "/sketches", "anna", content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and _detail(answer)["key"] == "web_api.errors.too_large"


def test_guessing_join_codes_is_stopped(client):
    made = client.post("/api/workshops", json={"title": "Raden"}).json()
    wid = made["id"]
    body = {"join_code": "AAAAAAAAAA", "name": "Raad", "organisation": "", "discipline": "other", "role": "participant"}
    answers = [client.post(f"/api/workshops/{wid}/participants", json=body).status_code for _ in range(12)]
    assert answers[:10] == [403] * 10 and answers[10:] == [429, 429]
    refused = client.post(f"/api/workshops/{wid}/participants", json=dict(body, join_code=made["join_code"]),
                          params={"lang": "en"})
    assert refused.status_code == 429 and "Try again" in refused.json()["detail"]["message"]
    # another workshop is not affected
    other = client.post("/api/workshops", json={"title": "Ander"}).json()
    assert client.post(f"/api/workshops/{other['id']}/participants",
                       json=dict(body, join_code=other["join_code"])).status_code == 201
