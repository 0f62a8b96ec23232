"""The probe's decisions, without sockets."""

import pytest

from reqlab.errors import RemoteProtocolError
from reqlab.protocol.probe import (
    IdleObservations,
    ResponseReader,
    bisect_schedule,
    idle_schedule,
    idle_timeout_from,
    needs_bisection,
    recommend,
)


def test_reader_parses_pipelined_responses_in_order():
    reader = ResponseReader()
    for _ in range(3):
        reader.expect("GET")
    done = reader.feed(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    )
    assert [r.status for r in done] == [200, 201, 404]
    assert [r.body_size for r in done] == [2, 3, 0]
    assert reader.pending == 0


def test_reader_ends_head_responses_at_the_head():
    reader = ResponseReader()
    reader.expect("HEAD")
    done = reader.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n")
    assert [r.status for r in done] == [200]
    reader.expect("GET")
    assert [r.status for r in reader.feed(b"HTTP/1.0 204 No Content\r\n\r\n")] == [204]


def test_reader_refuses_garbage():
    reader = ResponseReader()
    reader.expect("GET")
    with pytest.raises(RemoteProtocolError):
        reader.feed(b"SSH-2.0-OpenSSH_9.2\r\n")


def test_idle_schedule_is_geometric_and_bounded():
    assert idle_schedule(30) == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    assert idle_schedule(1.5) == [0.25, 0.5, 1.0, 1.5]
    assert max(idle_schedule(3, connections=3)) == 3.0
    assert len(idle_schedule(1000, connections=5)) == 5


def test_bisect_schedule_lies_inside_the_interval():
    instants = bisect_schedule(4.0, 8.0, connections=3)
    assert instants == [5.0, 6.0, 7.0]


def test_server_close_is_a_direct_measurement():
    obs = IdleObservations(closed_at=[5.01, 5.02, 4.99], alive_at=[0.5, 1, 2, 4], dead_at=[8])
    timeout, how = idle_timeout_from(obs)
    assert timeout == 5.01
    assert "closed" in how
    assert not needs_bisection(obs)


def test_silent_drops_are_bisected_until_precise():
    obs = IdleObservations(alive_at=[0.5, 1, 2, 4], dead_at=[8, 16])
    assert idle_timeout_from(obs) == (None, "between 4 s and 8 s")
    assert needs_bisection(obs)
    obs.alive_at += [5.0, 6.0]
    obs.dead_at += [6.5]
    timeout, how = idle_timeout_from(obs)
    assert timeout == pytest.approx(6.25)
    assert how == "bisected between checks"


def test_nothing_closed_means_not_reached():
    obs = IdleObservations(alive_at=[0.25, 0.5, 1.0])
    assert idle_timeout_from(obs) == (None, "no idle connection was closed")
    assert not needs_bisection(obs)


def test_recommendation_stays_below_the_measured_timeout():
    rec = recommend(5.0, 100, racing_request_failed=True, advertised_timeout=5)
    assert rec.pool_idle_timeout == 4.0
    assert rec.max_requests_per_connection == 100
    assert any("retry" in note for note in rec.notes)
    assert 0 < recommend(0.5, None).pool_idle_timeout < 0.5


def test_recommendation_flags_a_lying_advertisement():
    rec = recommend(15.0, None, advertised_timeout=5)
    assert any("trust the measurement" in note for note in rec.notes)
    assert recommend(None, None).pool_idle_timeout is None
