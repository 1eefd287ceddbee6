"""The workshop benchmark's own bookkeeping: the participants' samples from several client processes merge into
one run, and a sketch's event that reached another process's stream counts in the delivery times."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def bench():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_workshop.py"
    spec = importlib.util.spec_from_file_location("bench_workshop", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_workshop"] = module
    spec.loader.exec_module(module)
    return module


def _part(bench, writes, acked, arrivals, phases, cached, lag):
    run = bench.Run()
    run.writes = list(writes)
    run.write_phases = phases
    run.browser_cached = cached
    run.loop_lag = list(lag)
    for sid, (sent, ack) in acked.items():
        run.acknowledged.add(sid)
        run.sent_at[sid] = sent
        run.acked_at[sid] = ack
    run.arrivals = list(arrivals)
    return vars(run)


def test_parts_of_several_client_processes_merge_into_one_run(bench):
    # process A wrote sketch "a" (sent at 10.0 s, acknowledged at 10.1 s); process B wrote "b"; each stream
    # of the other process got the other's sketch: B's stream had "a" at 10.05 s (before A had its 201)
    first = _part(bench, [100.0], {"a": (10.0, 10.1)}, [("b", 20.3)], {"commit": [5.0]}, 2, [1.0, 2.0])
    second = _part(bench, [300.0, 50.0], {"b": (20.0, 20.2)}, [("a", 10.05)], {"commit": [7.0], "group": [3.0]},
                   3, [4.0])
    run = bench._merge([first, second])
    assert run.acknowledged == {"a", "b"}
    assert sorted(run.writes) == [50.0, 100.0, 300.0]
    assert run.write_phases == {"commit": [5.0, 7.0], "group": [3.0]}
    assert run.browser_cached == 5
    assert sorted(run.loop_lag) == [1.0, 2.0, 4.0]
    delivery, after_send = bench._deliveries(run)
    # "b" reached A's stream 100 ms after its author had the 201; "a" reached B's before: counted as 0
    assert sorted(delivery) == pytest.approx([0.0, 100.0])
    assert sorted(after_send) == pytest.approx([50.0, 300.0])


def test_the_scheduler_counts_cpu_and_waiting_of_a_process(bench):
    before = bench._sched("self")
    if before is None:
        pytest.skip("no /proc/PID/task/TID/schedstat on this system")
    sum(i * i for i in range(300_000))
    after = bench._sched("self")
    assert after[0] > before[0] and after[1] >= before[1]
    assert bench._sched(2**22 + 12345) is None  # no such process
    per_s = bench._per_s(before, after, 0.5)
    assert per_s["cpu_per_s"] > 0


def test_client_cpus_must_be_cpus_this_process_may_use(bench):
    import argparse
    import os

    allowed = sorted(os.sched_getaffinity(0))
    assert bench._cpus(str(allowed[0])) == {allowed[0]}
    with pytest.raises(argparse.ArgumentTypeError):
        bench._cpus("9999")
    with pytest.raises(argparse.ArgumentTypeError):
        bench._cpus("one")


def test_a_client_process_that_died_is_an_error_not_a_wait(bench):
    import queue
    from types import SimpleNamespace

    empty: queue.Queue = queue.Queue()
    with pytest.raises(SystemExit, match="client process failed"):
        bench._from_clients(empty, [SimpleNamespace(exitcode=None), SimpleNamespace(exitcode=1)], 60.0)
    full: queue.Queue = queue.Queue()
    full.put("ready")
    assert bench._from_clients(full, [SimpleNamespace(exitcode=None)], 60.0) == "ready"
