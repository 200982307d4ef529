"""Throttled logins that cannot lock the owner out, and single-use captchas (SPEC S2, ASVS 6.3.1)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from models import AuditLog, CaptchaChallenge
from services.core.system import System
from services.identity import auth, captcha
from tests.factories import PASSWORD, make_user
from tests.integration.identity_helpers import NOW, cheap_bcrypt  # noqa: F401


def attempt(session: Session, password: str, ip: str, when: object, trusted: int | None = None) -> auth.LoginResult:
    return auth.login(
        session=session, login_name='olga@example.com', password=password, ip=ip, user_agent='', now=when,  # type: ignore[arg-type]
        trusted_user_id=trusted,
    )  # fmt: skip


def test_a_burst_of_wrong_passwords_is_throttled_while_the_owner_still_logs_in(system: System) -> None:
    with system.session() as session:
        user = make_user(session, email='olga@example.com')
        refused = throttled = 0
        # 150 guesses from 30 addresses, 5 each: within the free attempts per client, so only the account limit bites
        for n in range(150):
            try:
                attempt(session, f'guess {n}', f'203.0.113.{n % 30}', NOW + timedelta(seconds=n))
            except auth.LoginRefused as error:
                refused += 1
                throttled += bool(error.retry_after_seconds)
        assert refused == 150 and throttled == 50  # 150 - 100 allowed failures an hour
        owner = attempt(session, PASSWORD, '198.51.100.7', NOW + timedelta(minutes=3), trusted=user.id)
        assert owner.user.id == user.id  # the owner's browser (device cookie) is never shut out
        with pytest.raises(auth.LoginRefused) as stranger:
            attempt(session, PASSWORD, '198.51.100.8', NOW + timedelta(minutes=3))
        assert stranger.value.retry_after_seconds > 0
        assert session.exec(select(AuditLog).where(AuditLog.action == 'login_throttled')).first() is not None


def test_repeated_failures_from_one_client_slow_it_down_with_growing_delays(system: System) -> None:
    with system.session() as session:
        make_user(session, email='olga@example.com')
        for n in range(auth.FREE_FAILURES_PER_CLIENT + 1):
            with pytest.raises(auth.LoginRefused):
                attempt(session, 'wrong', '203.0.113.1', NOW + timedelta(seconds=n))
        with pytest.raises(auth.LoginRefused) as waiting:
            attempt(session, PASSWORD, '203.0.113.1', NOW + timedelta(seconds=6))
        assert 0 < waiting.value.retry_after_seconds <= 3  # 2 ** (6 - 5) = 2 s after the 6th failure, +1 rounding
        assert attempt(session, PASSWORD, '203.0.113.1', NOW + timedelta(seconds=10)).token


def test_an_unknown_login_and_a_wrong_password_take_similar_time(system: System) -> None:
    with system.session() as session:
        make_user(
            session, email='olga@example.com', password_hash=auth.verify_password.__globals__['_DUMMY_HASH'].decode()
        )
        timings = {}
        for name in ('olga@example.com', 'nobody@example.com'):
            start = time.perf_counter()
            with pytest.raises(auth.LoginRefused):
                auth.login(session=session, login_name=name, password='wrong', ip='', user_agent='', now=NOW)
            timings[name] = time.perf_counter() - start
        slow, fast = max(timings.values()), min(timings.values())
        assert slow < fast * 2  # one bcrypt check of the same cost each way


def test_a_password_over_72_bytes_is_a_wrong_password_not_a_server_error(system: System) -> None:
    with system.session() as session:
        make_user(session, email='olga@example.com')
        with pytest.raises(auth.LoginRefused):
            attempt(session, 'я' * 100, '10.0.0.1', NOW)  # 200 bytes


def test_a_captcha_is_solved_once_case_insensitively_and_never_again(system: System) -> None:
    with system.session() as session:
        challenge = captcha.new_challenge(session=session, now=NOW)
        assert challenge.png.startswith(b'\x89PNG')
        answer = session.get(CaptchaChallenge, challenge.id).answer  # type: ignore[union-attr]
        assert captcha.solve(session=session, challenge_id=challenge.id, answer=f' {answer.lower()} ', now=NOW)
        assert not captcha.solve(session=session, challenge_id=challenge.id, answer=answer, now=NOW)


def test_a_wrong_answer_uses_the_captcha_up_and_an_old_one_expires(system: System) -> None:
    with system.session() as session:
        first = captcha.new_challenge(session=session, now=NOW)
        answer = session.get(CaptchaChallenge, first.id).answer  # type: ignore[union-attr]
        assert not captcha.solve(session=session, challenge_id=first.id, answer='XXXXX', now=NOW)
        assert not captcha.solve(session=session, challenge_id=first.id, answer=answer, now=NOW)
        late = captcha.new_challenge(session=session, now=NOW)
        late_answer = session.get(CaptchaChallenge, late.id).answer  # type: ignore[union-attr]
        assert not captcha.solve(session=session, challenge_id=late.id, answer=late_answer, now=NOW + captcha.LIFETIME)
