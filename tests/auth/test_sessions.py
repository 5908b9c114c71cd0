"""Server-side sessions: a cookie's token is worth only what its row says, now."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from auth import sessions, users
from warehouse.schema import sessions as sessions_table

LIMITS = sessions.Limits(idle=timedelta(minutes=30), lifetime=timedelta(hours=12))
TOKEN = "header.payload.signature-of-a-real-token"


@pytest.fixture
def signed_in(empty_warehouse):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "amina", role="monitor", password="a long enough password")
        session_id = sessions.start(conn, "amina", TOKEN)
    return empty_warehouse, session_id


def _shift(engine, session_id, **moved):
    with engine.begin() as conn:
        row = conn.execute(select(sessions_table).where(sessions_table.c.id == session_id)).one()
        conn.execute(update(sessions_table).where(sessions_table.c.id == session_id).values(
            **{col: getattr(row, col) - delta for col, delta in moved.items()}))


def test_the_token_itself_is_never_stored(signed_in):
    engine, session_id = signed_in
    with engine.connect() as conn:
        row = conn.execute(select(sessions_table)).one()
    assert TOKEN not in " ".join(str(v) for v in row)
    assert row.token_hash == sessions.token_hash(TOKEN) and row.id == session_id


def test_a_live_session_resumes_and_anything_else_is_unknown(signed_in):
    engine, session_id = signed_in
    with engine.begin() as conn:
        assert sessions.resume(conn, TOKEN, LIMITS) == (session_id, None)
        for other in ("", "garbage", TOKEN + "x", "eyJhbGciOiJub25lIn0.eyJ1c2VybmFtZSI6ImEifQ."):
            assert sessions.resume(conn, other, LIMITS) == (None, "unknown")
        assert sessions.live_username(conn, TOKEN, LIMITS) == "amina"


@pytest.mark.parametrize(("moved", "reason"), [
    ({"last_seen_at": timedelta(minutes=31), "started_at": timedelta(minutes=31)}, "idle"),
    ({"started_at": timedelta(hours=12, seconds=1)}, "lifetime"),
])
def test_stale_sessions_end_with_their_reason_on_the_next_check(signed_in, moved, reason):
    engine, session_id = signed_in
    _shift(engine, session_id, **moved)
    with engine.begin() as conn:
        assert sessions.live_username(conn, TOKEN, LIMITS) is None
        assert sessions.check(conn, session_id, LIMITS) == reason
        assert sessions.resume(conn, TOKEN, LIMITS) == (None, reason)
        row = conn.execute(select(sessions_table)).one()
    assert row.end_reason == reason and row.ended_at is not None


def test_each_check_moves_last_seen_on_so_activity_keeps_a_session_alive(signed_in):
    engine, session_id = signed_in
    _shift(engine, session_id, last_seen_at=timedelta(minutes=29))
    with engine.begin() as conn:
        assert sessions.check(conn, session_id, LIMITS) is None
        seen = conn.execute(select(sessions_table.c.last_seen_at)).scalar()
    seen = seen if seen.tzinfo else seen.replace(tzinfo=UTC)
    assert datetime.now(UTC) - seen < timedelta(minutes=1)


def test_an_ended_session_stays_ended_and_a_disabled_user_has_no_live_session(signed_in):
    engine, session_id = signed_in
    with engine.begin() as conn:
        sessions.end(conn, session_id, "logout")
        sessions.end(conn, session_id, "admin")  # the first reason stands
        assert sessions.check(conn, session_id, LIMITS) == "logout"
        assert sessions.resume(conn, TOKEN, LIMITS) == (None, "logout")
        other = sessions.start(conn, "amina", "another-token")
        users.set_active(conn, "amina", False)
        assert sessions.live_username(conn, "another-token", LIMITS) is None
        assert sessions.check(conn, other, LIMITS) == "user_disabled"


def test_download_tags_differ_per_session_and_per_key():
    tags = {sessions.download_tag(s, k) for s in ("a", "b") for k in ("k1" * 20, "k2" * 20)}
    assert len(tags) == 4 and all(len(t) == 16 for t in tags)
