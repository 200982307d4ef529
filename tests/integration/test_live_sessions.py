"""The open pages' session check (pages/shell/session_watch.py): which tokens are live, for all tabs at once.

`auth.live_tokens` must judge a session exactly as `auth.resolve_session` does (expired, idle too long, ended,
user blocked), in a statement per chunk of tokens, and never keep a session alive by looking at it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from models import UserSession
from services.core.system import System
from services.identity import auth
from tests.factories import make_user
from tests.integration.identity_helpers import NOW
from tests.statements import statements_sent


def test_live_tokens_judge_each_session_as_a_request_would(system: System) -> None:
    with system.session() as session:
        resident, blocked = make_user(session), make_user(session, blocked=True)
        fresh = auth.open_session(session=session, user=resident, ip='', user_agent='', now=NOW)
        idle = auth.open_session(session=session, user=resident, ip='', user_agent='', now=NOW - auth.SESSION_IDLE)
        old = auth.open_session(session=session, user=resident, ip='', user_agent='', now=NOW - timedelta(days=15))
        of_blocked = auth.open_session(session=session, user=blocked, ip='', user_agent='', now=NOW)
        ended = auth.open_session(session=session, user=resident, ip='', user_agent='', now=NOW)
        auth.logout(session=session, token=ended, ip='', now=NOW)
        session.commit()
    tokens = [fresh, idle, old, of_blocked, ended, 'never-issued']
    with system.session() as session:
        live = auth.live_tokens(session=session, tokens=tokens, now=NOW)
    assert live == {fresh}
    with system.session() as session:  # the same answer as each request would get
        assert {t for t in tokens if auth.resolve_session(session=session, token=t, now=NOW, touch=False)} == live


def test_live_tokens_ask_once_per_chunk_and_touch_no_session(system: System) -> None:
    with system.session() as session:
        resident = make_user(session)
        opened = NOW - timedelta(days=1)
        tokens = [auth.open_session(session=session, user=resident, ip='', user_agent='', now=opened) for _ in range(5)]
        session.commit()
    with system.session() as session, statements_sent(by='tests') as sent:
        live = auth.live_tokens(session=session, tokens=tokens, now=NOW, chunk=2)
        session.commit()
    assert live == set(tokens)
    assert len([s for s in sent if s.startswith('SELECT')]) == 3  # 5 tokens in chunks of 2
    with system.session() as session:
        assert {row.last_seen_at for row in session.exec(select(UserSession))} == {opened}  # only looked
