"""A server-sent event as the streams write it: encoded once, its text never ending the event early."""

from __future__ import annotations

from alliantie.web.workshop.events import Event, sse_bytes


def test_an_event_is_encoded_once_with_its_move_id():
    event = Event.of("sketch", {"comment": "regel 1\nregel 2"}, move_id=7)
    assert event.wire == b'event: sketch\nid: 7\ndata: {"comment":"regel 1\\nregel 2"}\n\n'
    assert event.wire is event.wire  # the same bytes for every stream
    assert Event.of("indicators", {"n": 1}).wire == b'event: indicators\ndata: {"n":1}\n\n'


def test_text_over_several_lines_becomes_several_data_lines():
    wire = sse_bytes("ready", "a\r\nb\rc\nid: 99", retry_ms=2000)
    assert wire == b"event: ready\nretry: 2000\ndata: a\ndata: b\ndata: c\ndata: id: 99\n\n"
    assert wire.count(b"\n\n") == 1  # one event, ended once
