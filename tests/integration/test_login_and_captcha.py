"""Throttled logins that cannot lock the owner out, and single-use captchas (SPEC S2, ASVS 6.3.1).

`auth.login` runs its own transactions, so these tests call it exactly as the page does: with the engine.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import bcrypt
import pytest
from sqlmodel import Session, col, select

from models import AuditLog, CaptchaChallenge, LoginThrottle, User
from services.core.system import System
from services.identity import auth, captcha, login_limits
from tests.factories import PASSWORD, make_user
from tests.integration.identity_helpers import NOW, cheap_bcrypt  # noqa: F401

SECRET = 'test-secret-0123456789'


def seed(system: System, **fields: object) -> User:
    with system.session() as session:
        user = make_user(session, email='olga@example.com', **fields)
        session.commit()
        return user


def attempt(
    system: System, password: str, ip: str, when: datetime, device: auth.Device | None = None, name: str = ''
) -> auth.LoginResult:
    return auth.login(
        engine=system.engine, login_name=name or 'olga@example.com', password=password, ip=ip, user_agent='',
        now=when, device=device,
    )  # fmt: skip


def refused(system: System, password: str, ip: str, when: datetime, **kwargs: object) -> auth.LoginRefused:
    with pytest.raises(auth.LoginRefused) as error:
        attempt(system, password, ip, when, **kwargs)  # type: ignore[arg-type]
    return error.value


def actions(system: System) -> list[str]:
    with system.session() as session:
        return [row.action for row in session.exec(select(AuditLog).order_by(col(AuditLog.id)))]


def test_a_refused_login_leaves_its_counters_and_audit_row_committed(system: System) -> None:
    seed(system)
    refused(system, 'wrong', '203.0.113.1', NOW)
    with system.session() as session:  # a fresh session: only what was committed
        counters = {row.key.split(':')[0]: row.failures for row in session.exec(select(LoginThrottle))}
    assert counters == {'client': 1, 'user-client': 1, 'user': 1}
    assert actions(system) == ['login_failed']


def test_a_burst_of_wrong_passwords_is_throttled_while_the_owners_browser_still_logs_in(system: System) -> None:
    user = seed(system)
    owner = auth.trusted_device(SECRET, auth.device_signature(SECRET, user.id or 0))
    answers = [
        refused(system, f'guess {n}', f'203.0.113.{n % 30}', NOW + timedelta(seconds=n)).retry_after_seconds
        for n in range(150)  # 30 addresses, 5 each: within the free attempts per client, so the account limit bites
    ]
    assert answers.count(0) == login_limits.ACCOUNT_FAILURES_PER_HOUR  # 100 answered «wrong», the other 50 throttled
    assert attempt(system, PASSWORD, '203.0.113.1', NOW + timedelta(minutes=3), device=owner).user.id == user.id
    assert refused(system, PASSWORD, '198.51.100.8', NOW + timedelta(minutes=3)).retry_after_seconds > 0
    assert actions(system).count('login_throttled') == 51  # 50 in the burst and the stranger with the right password


def test_repeated_failures_from_one_client_slow_it_down_with_growing_delays(system: System) -> None:
    seed(system)
    for n in range(login_limits.FREE_FAILURES_PER_CLIENT + 1):
        assert refused(system, 'wrong', '203.0.113.1', NOW + timedelta(seconds=n)).retry_after_seconds == 0
    waiting = refused(system, PASSWORD, '203.0.113.1', NOW + timedelta(seconds=6))
    assert 0 < waiting.retry_after_seconds <= 2  # 2 ** (6 - 5) = 2 s from the 6th failure at second 5
    assert attempt(system, PASSWORD, '203.0.113.1', NOW + timedelta(seconds=10)).token


def seed_many(system: System, count: int) -> None:
    with system.session() as session:
        for n in range(count):
            make_user(session, email=f'user{n}@example.com')
        session.commit()


def test_one_client_guessing_across_many_logins_is_stopped_after_fifty(system: System) -> None:
    seed(system)
    seed_many(system, login_limits.CLIENT_FAILURES_PER_HOUR)
    for n in range(login_limits.CLIENT_FAILURES_PER_HOUR):
        refused(system, 'guess', '203.0.113.9', NOW + timedelta(seconds=n), name=f'user{n}@example.com')
    last = refused(system, PASSWORD, '203.0.113.9', NOW + timedelta(minutes=1))  # even the right password waits
    assert 3500 < last.retry_after_seconds <= 3600 - 60 + 1


def test_an_unknown_login_is_slowed_down_exactly_like_a_known_one(system: System) -> None:
    seed(system)
    known = [refused(system, 'x', '203.0.113.2', NOW, name='olga@example.com').retry_after_seconds for _ in range(7)]
    unknown = [
        refused(system, 'x', '203.0.113.3', NOW, name='nobody@example.com').retry_after_seconds for _ in range(7)
    ]
    assert known == unknown == [0, 0, 0, 0, 0, 0, 3]  # nothing tells which of the two accounts exists


def test_attempts_at_the_same_instant_are_all_counted(system: System) -> None:
    seed_many(system, 16)

    def guess(n: int) -> int:
        return refused(system, f'g{n}', '203.0.113.4', NOW, name=f'user{n}@example.com').retry_after_seconds

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(guess, range(16))) == [0] * 16
    with Session(system.engine) as session:
        assert session.get(LoginThrottle, 'client:203.0.113.4').failures == 16  # type: ignore[union-attr]
    assert actions(system).count('login_failed') == 16


def test_parallel_guesses_cannot_slip_past_the_free_attempts_together(system: System) -> None:
    seed(system)
    with ThreadPoolExecutor(max_workers=8) as pool:
        waits = list(pool.map(lambda n: refused(system, f'g{n}', '203.0.113.5', NOW).retry_after_seconds, range(16)))
    assert waits.count(0) == login_limits.FREE_FAILURES_PER_CLIENT + 1  # the 6th starts the delay, 10 wait for it


def test_a_success_forgives_its_own_attempt_but_not_a_strangers_failures(system: System) -> None:
    user = seed(system)
    for n in range(3):
        refused(system, 'wrong', f'203.0.113.{n}', NOW)
    attempt(system, PASSWORD, '198.51.100.1', NOW)
    with Session(system.engine) as session:
        assert session.get(LoginThrottle, f'user:{user.id}').failures == 3  # type: ignore[union-attr]
        assert session.get(LoginThrottle, 'client:198.51.100.1').failures == 0  # type: ignore[union-attr]
        assert session.get(LoginThrottle, f'user-client:{user.id}:198.51.100.1') is None


def test_counters_of_a_past_hour_are_swept_away(system: System) -> None:
    user = seed(system)
    refused(system, 'wrong', '203.0.113.1', NOW)
    refused(system, 'wrong', '203.0.113.2', NOW + timedelta(hours=1, seconds=1))
    with Session(system.engine) as session:
        rows = {row.key: row.failures for row in session.exec(select(LoginThrottle))}
    assert rows == {'client:203.0.113.2': 1, f'user-client:{user.id}:203.0.113.2': 1, f'user:{user.id}': 1}


def test_a_forged_device_cookie_vouches_for_nobody() -> None:
    genuine = auth.device_signature(SECRET, 7)
    _user, nonce, mac = genuine.split(':')
    assert auth.trusted_device(SECRET, genuine) == auth.Device(user_id=7, nonce=nonce)
    assert auth.trusted_device(SECRET, f'8:{nonce}:{mac}') is None
    assert auth.trusted_device('another-secret-0123', genuine) is None
    assert auth.trusted_device(SECRET, 'garbage') is None


def test_an_unknown_login_and_a_wrong_password_do_the_same_work(
    system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compared by work done, not by a stopwatch: one bcrypt check of the same cost each way (a busy machine
    cannot make this flaky, and a shortcut for unknown logins would show as a missing check)."""
    seed(system, password_hash=auth.verify_password.__globals__['_DUMMY_HASH'].decode())  # the production cost
    checks: list[bytes] = []
    real_checkpw = bcrypt.checkpw

    def counted(password: bytes, hashed: bytes) -> bool:
        checks.append(hashed[:7])  # '$2b$NN$': the algorithm and its cost
        return real_checkpw(password, hashed)

    monkeypatch.setattr(bcrypt, 'checkpw', counted)
    work = {}
    for name in ('olga@example.com', 'nobody@example.com'):
        checks.clear()
        refused(system, 'wrong', '', NOW, name=name)
        work[name] = list(checks)
    assert len(work['olga@example.com']) == 1
    assert work['nobody@example.com'] == work['olga@example.com']


def test_a_password_over_72_bytes_is_a_wrong_password_not_a_server_error(system: System) -> None:
    seed(system)
    assert refused(system, 'я' * 100, '10.0.0.1', NOW).retry_after_seconds == 0  # 200 bytes


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the captcha library draws: what a person reads off the picture (the database has only hashes)."""
    texts: list[str] = []
    original = captcha._images.generate

    def generate(chars: str, format: str = 'png') -> object:
        texts.append(chars)
        return original(chars, format)

    monkeypatch.setattr(captcha._images, 'generate', generate)
    return texts


def test_a_captcha_is_stored_hashed_and_solved_once_case_insensitively(system: System, drawn: list[str]) -> None:
    with system.session() as session:
        challenge = captcha.new_challenge(session=session, now=NOW, secret=SECRET)
        assert challenge.png.startswith(b'\x89PNG')
        row = session.get(CaptchaChallenge, challenge.id)
        assert row is not None and drawn[-1] not in row.answer_hash and len(row.answer_hash) == 64
        answer = f' {drawn[-1].lower()} '
        assert not captcha.solve(session=session, challenge_id=challenge.id, answer=answer, now=NOW, secret='x' * 20)
        second = captcha.new_challenge(session=session, now=NOW, secret=SECRET)
        answer = f' {drawn[-1].lower()} '
        assert captcha.solve(session=session, challenge_id=second.id, answer=answer, now=NOW, secret=SECRET)
        assert not captcha.solve(session=session, challenge_id=second.id, answer=drawn[-1], now=NOW, secret=SECRET)


def test_a_wrong_answer_uses_the_captcha_up_and_an_old_one_expires(system: System, drawn: list[str]) -> None:
    with system.session() as session:
        first = captcha.new_challenge(session=session, now=NOW, secret=SECRET)
        answer = drawn[-1]
        assert not captcha.solve(session=session, challenge_id=first.id, answer='XXXXX', now=NOW, secret=SECRET)
        assert not captcha.solve(session=session, challenge_id=first.id, answer=answer, now=NOW, secret=SECRET)
        late = captcha.new_challenge(session=session, now=NOW, secret=SECRET)
        later = NOW + captcha.LIFETIME
        assert not captcha.solve(session=session, challenge_id=late.id, answer=drawn[-1], now=later, secret=SECRET)
