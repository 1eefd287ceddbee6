"""Parts of the server under load: the writers' lock hands over first come, first served; every answer says
how long the server took (Server-Timing)."""

from __future__ import annotations

import threading
import time

import pytest

from alliantie.web.store.fair_lock import FairLock


def test_the_fair_lock_hands_over_in_the_order_asked():
    lock = FairLock()
    order: list[int] = []
    lock.acquire()
    threads = []
    for i in range(8):
        t = threading.Thread(target=lambda i=i: (lock.acquire(), order.append(i), lock.release()))
        t.start()
        threads.append(t)
        time.sleep(0.02)  # each one waits before the next asks
    lock.release()
    for t in threads:
        t.join(timeout=5)
    assert order == list(range(8))
    with lock:  # free again, and usable as a context manager
        pass
    with pytest.raises(RuntimeError):
        lock.release()


def test_every_answer_carries_the_server_time(client):
    answer = client.get("/api/health")
    timing = answer.headers["server-timing"]
    assert timing.startswith("app;dur=") and float(timing.split("=")[1]) >= 0
    assert "server-timing" in client.get("/api/no-such-route").headers


def test_the_room_addresses_are_reachable_ipv4_addresses():
    import ipaddress

    from alliantie.cli.serve import room_addresses

    for address in room_addresses():
        ip = ipaddress.ip_address(address)
        assert ip.version == 4 and not ip.is_loopback and not ip.is_unspecified
