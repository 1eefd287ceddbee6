"""Group commit: writers who arrive while a commit runs are committed together, each answered only after its
rows are in, and a bad row fails only its own writer."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from alliantie.web.store.database import open_store
from alliantie.web.store.group_commit import GroupCommit
from alliantie.web.store.models import Participant, Workshop


def _workshop(i: int) -> Workshop:
    return Workshop(id=f"w{i}", title=f"w{i}", join_code=f"code{i}", language="nl")


@pytest.fixture()
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}")
    yield store
    store.engine.dispose()


def test_writers_arriving_during_a_commit_share_the_next_one(store):
    group = GroupCommit(store)
    commits: list[int] = []
    first_commit_started, let_it_finish = threading.Event(), threading.Event()

    @event.listens_for(store.engine, "commit")
    def _commit(_connection):
        commits.append(1)
        if len(commits) == 1:
            first_commit_started.set()
            assert let_it_finish.wait(10)

    done: list[int] = []
    first = threading.Thread(target=lambda: (group.insert([_workshop(0)]), done.append(0)))
    first.start()
    assert first_commit_started.wait(10)
    others = [threading.Thread(target=lambda i=i: (group.insert([_workshop(i)]), done.append(i)))
              for i in range(1, 9)]
    for t in others:
        t.start()
    while len(group._waiting) < 8:  # all eight wait for the running commit
        threading.Event().wait(0.01)
    assert done == []  # nobody is answered before its commit
    let_it_finish.set()
    for t in [first, *others]:
        t.join(10)
    assert sorted(done) == list(range(9))
    assert len(commits) == 2  # the first alone, the eight together
    with store.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Workshop)) == 9


def test_a_bad_row_fails_only_its_writer(store):
    group = GroupCommit(store)
    group.insert([_workshop(0)])
    orphan = Participant(id="p", workshop_id="nowhere", name="x", organisation="", discipline="other",
                         role="participant", token_hash="h" * 64)  # a foreign key to no workshop
    hold, release = threading.Event(), threading.Event()

    @event.listens_for(store.engine, "commit")
    def _commit(_connection):
        if not hold.is_set():
            hold.set()
            assert release.wait(10)

    errors: dict[str, BaseException] = {}

    def write(name: str, rows: list) -> None:
        try:
            group.insert(rows)
        except Exception as exc:
            errors[name] = exc

    first = threading.Thread(target=write, args=("first", [_workshop(1)]))
    first.start()
    assert hold.wait(10)
    bad = threading.Thread(target=write, args=("bad", [orphan]))
    good = threading.Thread(target=write, args=("good", [_workshop(2)]))
    bad.start()
    good.start()
    while len(group._waiting) < 2:
        threading.Event().wait(0.01)
    release.set()
    for t in (first, bad, good):
        t.join(10)
    assert set(errors) == {"bad"} and isinstance(errors["bad"], IntegrityError)
    with store.sessions() as s:
        assert sorted(s.scalars(select(Workshop.id))) == ["w0", "w1", "w2"]
