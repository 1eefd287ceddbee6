"""The workshop's operations: every request of the API is one call here, in one committed transaction.

Roles: the facilitator may change every sketch and sees the join code; a participant changes only their own
sketches; an observer reads. A token belongs to one workshop and opens nothing of another. Every change is a
:class:`~alliantie.web.store.models.Move` (before and after), committed with the change itself; the event of
a change is published only after its commit, so what a browser sees is in the store, with the move's id (the
server processes on the same store read each other's moves: :mod:`alliantie.web.workshop.feed`).
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import mapping
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from alliantie.web.http_errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from alliantie.web.store.database import Store
from alliantie.web.store.group_commit import GroupCommit
from alliantie.web.store.models import Move, Participant, Sketch, Synthesis, Workshop, new_id, now
from alliantie.web.timing import phase, record
from alliantie.web.workshop.events import EventBus
from alliantie.web.workshop.features import (
    move_json,
    participant_json,
    plain,
    sketch_feature,
    sketch_state,
    synthesis_json,
)
from alliantie.web.workshop.schemas import JoinIn, SketchIn, SketchPatch, SynthesisIn, SynthesisPut, WorkshopIn
from alliantie.web.workshop.tokens import codes_match, hash_token, new_join_code, new_token
from alliantie.web.workshop.validation import SketchValidator

#: The two perspectives every workshop starts with (issue 12), by kind, with their names.
DEFAULT_SYNTHESES = (("veerkracht", "Veerkracht"), ("regionale_economie", "Regionale economie"))
WRITERS = frozenset({"facilitator", "participant"})
SKETCH_MOVES = ("create", "update", "delete")


@dataclass
class WorkshopService:
    store: Store
    validator: SketchValidator
    bus: EventBus
    on_change: Callable[[str], None] = field(default=lambda _workshop_id: None)
    _group: GroupCommit = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._group = GroupCommit(self.store)

    # -- workshops and participants -------------------------------------------------------------------------------

    def create_workshop(self, body: WorkshopIn) -> dict[str, Any]:
        token = new_token()
        with self._transaction() as s:
            workshop = Workshop(title=body.title, join_code=new_join_code(), language=body.language)
            s.add(workshop)
            s.flush()
            name = body.facilitator_name or "facilitator"
            me = Participant(workshop_id=workshop.id, name=name, organisation="", discipline="other",
                             role="facilitator", token_hash=hash_token(token))
            s.add(me)
            for kind, title in DEFAULT_SYNTHESES:
                s.add(Synthesis(workshop_id=workshop.id, kind=kind, name=title))
            s.flush()
            result = {"id": workshop.id, "title": workshop.title, "join_code": workshop.join_code, "token": token,
                      "participant_id": me.id, "role": me.role}
        return result

    def join(self, workshop_id: str, body: JoinIn) -> dict[str, Any]:
        token = new_token()
        with self._transaction() as s:
            workshop = s.get(Workshop, workshop_id)
            if workshop is None:
                raise NotFound("web_api.errors.no_workshop")
            if not codes_match(body.join_code, workshop.join_code):
                raise Forbidden("web_api.errors.wrong_code")
            me = Participant(workshop_id=workshop.id, name=body.name, organisation=body.organisation,
                             discipline=body.discipline, role=body.role, token_hash=hash_token(token))
            s.add(me)
            s.flush()
            move = Move(workshop_id=workshop_id, participant_id=me.id, action="join", target_kind="participant",
                        target_id=me.id, before=None, after=participant_json(me))
            s.add(move)
            event = participant_json(me)
            result = {"participant_id": me.id, "token": token, "role": me.role}
        self.bus.publish(workshop_id, "participant", event, move.id)
        return result

    def authenticate(self, s: Session, workshop_id: str, token: str | None) -> Participant:
        """The participant holding ``token`` in this workshop; 401 without a known token, 403 for another
        workshop's token."""
        if not token:
            raise Unauthorized("web_api.errors.no_token")
        me = s.scalar(select(Participant).where(Participant.token_hash == hash_token(token)))
        if me is None:
            raise Unauthorized()
        if me.workshop_id != workshop_id:
            raise Forbidden("web_api.errors.other_workshop")
        return me

    def workshop(self, workshop_id: str, token: str | None) -> dict[str, Any]:
        with self.store.sessions() as s:
            me = self.authenticate(s, workshop_id, token)
            workshop = s.get(Workshop, workshop_id, options=[selectinload(Workshop.participants),
                                                              selectinload(Workshop.syntheses)])
            assert workshop is not None  # the participant's foreign key
            result: dict[str, Any] = {
                "id": workshop.id, "title": workshop.title, "language": workshop.language,
                "me": participant_json(me),
                "participants": [participant_json(p) for p in workshop.participants],
                "syntheses": [synthesis_json(y) for y in workshop.syntheses],
            }
            if me.role == "facilitator":
                result["join_code"] = workshop.join_code
            return result

    # -- sketches ---------------------------------------------------------------------------------------------------

    def sketches(self, workshop_id: str, token: str | None) -> dict[str, Any]:
        with self.store.sessions() as s:
            self.authenticate(s, workshop_id, token)
            rows = s.scalars(select(Sketch).options(selectinload(Sketch.author))
                             .where(Sketch.workshop_id == workshop_id, Sketch.deleted_at.is_(None))
                             .order_by(Sketch.created_at, Sketch.id)).all()
            return {"type": "FeatureCollection", "features": [sketch_feature(r) for r in rows]}

    def create_sketch(self, workshop_id: str, token: str | None, body: SketchIn) -> dict[str, Any]:
        """Everything but the two inserts is done before the writer lock is taken (the token read, the checks,
        the JSON of the sketch): on SQLite the writers take turns, so the lock is held short; the inserts are
        committed together with those of the other participants drawing at the same moment (group commit)."""
        props = body.properties
        with phase("auth"):
            me = self.check_writer(workshop_id, token)
        with phase("check"):
            measure = self.validator.measure(props.measure)
            geometry = self.validator.geometry(body.geometry.model_dump(), measure)
            at = now()
            sketch = Sketch(id=new_id(), workshop_id=workshop_id, author_id=me.id, geometry=geometry,
                            measure=measure.id, level=props.level, comment=props.comment, width_m=props.width_m,
                            count=props.count, created_at=at, updated_at=at, deleted_at=None)
            geojson = plain(mapping(geometry))
            move = Move(workshop_id=workshop_id, participant_id=me.id, action="create", target_kind="sketch",
                        target_id=sketch.id, before=None, after=sketch_state(sketch, geometry=geojson), at=at,
                        undone=False)
            feature = sketch_feature(sketch, author=me, geometry=geojson)
        self._group.insert([sketch, move])  # committed with the others' new sketches of the moment
        self._changed(workshop_id, "created", feature, move)
        return feature

    def update_sketch(self, workshop_id: str, sketch_id: str, token: str | None, body: SketchPatch) -> dict[str, Any]:
        with self._transaction() as s:
            me = self._writer(s, workshop_id, token)
            sketch = self._own_sketch(s, me, sketch_id)
            before = sketch_state(sketch)
            props = body.properties
            measure = self.validator.measure(props.measure or sketch.measure)
            if body.geometry is not None:
                sketch.geometry = self.validator.geometry(body.geometry.model_dump(), measure)
            elif measure.id != sketch.measure:  # the old geometry must fit the new measure
                self.validator.geometry(before["geometry"], measure)
            sketch.measure = measure.id
            for name in ("level", "comment", "width_m", "count"):
                if name in props.model_fields_set:
                    value = getattr(props, name)
                    if value is None and name in ("level", "comment"):
                        raise Invalid("web_api.errors.required", field=name)
                    setattr(sketch, name, value)
            sketch.updated_at = now()
            move = Move(workshop_id=workshop_id, participant_id=me.id, action="update", target_kind="sketch",
                        target_id=sketch.id, before=before, after=sketch_state(sketch))
            s.add(move)
            s.flush()
            feature = sketch_feature(sketch)
        self._changed(workshop_id, "updated", feature, move)
        return feature

    def delete_sketch(self, workshop_id: str, sketch_id: str, token: str | None) -> None:
        with self._transaction() as s:
            me = self._writer(s, workshop_id, token)
            sketch = self._own_sketch(s, me, sketch_id)
            before = sketch_state(sketch)
            sketch.deleted_at = now()
            move = Move(workshop_id=workshop_id, participant_id=me.id, action="delete", target_kind="sketch",
                        target_id=sketch.id, before=before, after=sketch_state(sketch))
            s.add(move)
            feature = sketch_feature(sketch)
        self._changed(workshop_id, "deleted", feature, move)

    def undo(self, workshop_id: str, token: str | None) -> dict[str, Any]:
        """Undo the caller's last own sketch move not undone yet (create, update or delete)."""
        with self._transaction() as s:
            me = self._writer(s, workshop_id, token)
            last = s.scalar(select(Move).where(Move.workshop_id == workshop_id, Move.participant_id == me.id,
                                               Move.target_kind == "sketch", Move.action.in_(SKETCH_MOVES),
                                               Move.undone.is_(False)).order_by(Move.id.desc()).limit(1))
            if last is None:
                raise Conflict("web_api.errors.nothing_to_undo")
            sketch = s.get(Sketch, last.target_id)
            assert sketch is not None and sketch.workshop_id == workshop_id
            current = sketch_state(sketch)
            if last.before is None:  # undo a create: the sketch goes
                sketch.deleted_at = now()
                action = "deleted"
            else:
                _restore(sketch, last.before)
                action = "updated" if last.action == "update" else "created"
            sketch.updated_at = now()
            last.undone = True
            move = Move(workshop_id=workshop_id, participant_id=me.id, action="undo", target_kind="sketch",
                        target_id=sketch.id, before=current, after=sketch_state(sketch), participant=me)
            s.add(move)
            s.flush()
            feature = sketch_feature(sketch)
            result = {"move": move_json(move), "undone": move_json(last), "feature": feature}
        self._changed(workshop_id, action, feature, move)
        return result

    # -- syntheses --------------------------------------------------------------------------------------------------

    def syntheses(self, workshop_id: str, token: str | None) -> list[dict[str, Any]]:
        with self.store.sessions() as s:
            self.authenticate(s, workshop_id, token)
            rows = s.scalars(select(Synthesis).where(Synthesis.workshop_id == workshop_id)
                             .order_by(Synthesis.created_at, Synthesis.id)).all()
            return [synthesis_json(y) for y in rows]

    def create_synthesis(self, workshop_id: str, token: str | None, body: SynthesisIn) -> dict[str, Any]:
        with self._transaction() as s:
            me = self._writer(s, workshop_id, token)
            synthesis = Synthesis(workshop_id=workshop_id, kind=body.kind, name=body.name)
            synthesis.sketches = self._members(s, workshop_id, body.sketch_ids)
            s.add(synthesis)
            s.flush()
            result = synthesis_json(synthesis)
            move = Move(workshop_id=workshop_id, participant_id=me.id, action="create", target_kind="synthesis",
                        target_id=synthesis.id, before=None, after=result)
            s.add(move)
        self.bus.publish(workshop_id, "synthesis", {"action": "created", "synthesis": result}, move.id)
        self.on_change(workshop_id)
        return result

    def update_synthesis(self, workshop_id: str, synthesis_id: str, token: str | None,
                         body: SynthesisPut) -> dict[str, Any]:
        with self._transaction() as s:
            me = self._writer(s, workshop_id, token)
            synthesis = s.get(Synthesis, synthesis_id)
            if synthesis is None or synthesis.workshop_id != workshop_id:
                raise NotFound("web_api.errors.no_synthesis")
            before = synthesis_json(synthesis)
            if body.name is not None:
                synthesis.name = body.name
            synthesis.sketches = self._members(s, workshop_id, body.sketch_ids)
            s.flush()
            result = synthesis_json(synthesis)
            move = Move(workshop_id=workshop_id, participant_id=me.id, action="update", target_kind="synthesis",
                        target_id=synthesis.id, before=before, after=result)
            s.add(move)
        self.bus.publish(workshop_id, "synthesis", {"action": "updated", "synthesis": result}, move.id)
        self.on_change(workshop_id)
        return result

    # -- the log ----------------------------------------------------------------------------------------------------

    def moves(self, workshop_id: str, token: str | None) -> list[dict[str, Any]]:
        with self.store.sessions() as s:
            self.authenticate(s, workshop_id, token)
            rows = s.scalars(select(Move).options(selectinload(Move.participant))
                             .where(Move.workshop_id == workshop_id).order_by(Move.id)).all()
            return [move_json(m) for m in rows]

    def moves_csv(self, workshop_id: str, token: str | None) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        columns = ["id", "at", "participant_id", "participant_name", "action", "target_kind", "target_id",
                   "undone", "before", "after"]
        writer.writerow(columns)
        for move in self.moves(workshop_id, token):
            row = [move[c] if c not in ("before", "after") else json.dumps(move[c], ensure_ascii=False)
                   for c in columns]
            writer.writerow([_inert(v) for v in row])
        return out.getvalue()

    # -- for the indicators -----------------------------------------------------------------------------------------

    def live(self, workshop_id: str) -> tuple[list[Sketch], dict[str, list[str]]]:
        """The workshop's live sketches and its syntheses (id -> member sketch ids), detached from the session."""
        with self.store.sessions() as s:
            sketches = list(s.scalars(select(Sketch).where(Sketch.workshop_id == workshop_id,
                                                           Sketch.deleted_at.is_(None))
                                      .order_by(Sketch.created_at, Sketch.id)).all())
            syntheses = s.scalars(select(Synthesis).options(selectinload(Synthesis.sketches))
                                  .where(Synthesis.workshop_id == workshop_id)).all()
            groups = {y.id: [k.id for k in y.sketches if k.deleted_at is None] for y in syntheses}
            s.expunge_all()
        return sketches, groups

    def check_reader(self, workshop_id: str, token: str | None) -> Participant:
        with self.store.sessions() as s:
            me = self.authenticate(s, workshop_id, token)
            s.expunge(me)
            return me

    def check_writer(self, workshop_id: str, token: str | None) -> Participant:
        me = self.check_reader(workshop_id, token)
        if me.role not in WRITERS:
            raise Forbidden("web_api.errors.observer")
        return me

    # -- helpers ----------------------------------------------------------------------------------------------------

    def _writer(self, s: Session, workshop_id: str, token: str | None) -> Participant:
        me = self.authenticate(s, workshop_id, token)
        if me.role not in WRITERS:
            raise Forbidden("web_api.errors.observer")
        return me

    def _own_sketch(self, s: Session, me: Participant, sketch_id: str) -> Sketch:
        sketch = s.get(Sketch, sketch_id)
        if sketch is None or sketch.workshop_id != me.workshop_id or sketch.deleted_at is not None:
            raise NotFound("web_api.errors.no_sketch")
        if me.role != "facilitator" and sketch.author_id != me.id:
            raise Forbidden("web_api.errors.not_yours")
        return sketch

    def _members(self, s: Session, workshop_id: str, ids: list[str]) -> list[Sketch]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        found = {k.id: k for k in s.scalars(select(Sketch).where(Sketch.id.in_(wanted),
                                                                 Sketch.workshop_id == workshop_id,
                                                                 Sketch.deleted_at.is_(None)))}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise Invalid("web_api.errors.unknown_sketches", ids=", ".join(m[:40] for m in missing[:5]))
        return [found[i] for i in wanted]

    def _changed(self, workshop_id: str, action: str, feature: dict[str, Any], move: Move) -> None:
        with phase("publish"):
            self.bus.publish(workshop_id, "sketch", {"action": action, "feature": feature}, move.id)
            self.on_change(workshop_id)

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One write transaction, committed at the end of the block (rolled back on an error), holding the
        store's writer lock; its phases ``lock`` (waiting for it), ``write`` and ``commit`` (on SQLite: the
        fsync of the log) go into the answer's Server-Timing."""
        with phase("lock"):
            self.store.write_lock_acquire()
        try:
            with self.store.sessions() as s, s.begin():
                started = time.perf_counter()
                yield s
                committing = time.perf_counter()
                record("write", started, committing)
            record("commit", committing, time.perf_counter())
        finally:
            self.store.write_lock_release()


def _restore(sketch: Sketch, state: dict[str, Any]) -> None:
    from shapely.geometry import shape

    sketch.geometry = shape(state["geometry"])
    for name in ("measure", "level", "comment", "width_m", "count"):
        setattr(sketch, name, state[name])
    sketch.deleted_at = now() if state.get("deleted") else None


def _inert(value: Any) -> Any:
    """A cell that a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
