"""Password recovery (SPEC S3): a single-use password valid for 30 minutes, the same answer for every email."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from models import User
from services.identity import audit, captcha, throttle
from services.identity.contacts import InvalidContact, normalise_email
from services.identity.passwords import generate_password, hash_password
from services.mail import outbox

RECOVERY_LIFETIME = timedelta(minutes=30)
REQUESTS_PER_CLIENT_PER_HOUR = 10
EMAILS_PER_USER_PER_HOUR = 3  # a stranger cannot flood someone's mailbox


@dataclass
class RecoveryOutcome:
    """Errors by field ('email', 'captcha', 'form'); none means «if the address is ours, a letter is on its way»."""

    errors: dict[str, str] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return not self.errors


def request_recovery(
    *,
    session: Session,
    email: str,
    ip: str,
    now: datetime,
    utility: str,
    base_url: str,
    captcha_on: bool,
    captcha_id: str = '',
    captcha_answer: str = '',
    captcha_secret: str = '',
) -> RecoveryOutcome:
    """Email a new single-use password to the owner of `email`; the old one keeps working until it is used."""
    outcome = RecoveryOutcome()
    address = ''
    try:
        address = normalise_email(email)
    except InvalidContact as error:
        outcome.errors['email'] = str(error)
    if captcha_on and not captcha.solve(
        session=session, challenge_id=captcha_id, answer=captcha_answer, now=now, secret=captcha_secret
    ):
        outcome.errors['captcha'] = 'The code from the picture is wrong. Type the new one.'
    if outcome.errors:
        return outcome
    client_key = f'recover:{ip}'
    if throttle.count(session=session, key=client_key, now=now) > REQUESTS_PER_CLIENT_PER_HOUR:
        outcome.errors['form'] = 'Too many requests. Try again in an hour.'
        return outcome
    password = generate_password()
    password_hash = hash_password(password)  # also for unknown addresses: the answer takes the same time
    user = session.exec(select(User).where(User.email == address)).first()
    if user is None or user.blocked:
        audit.record(session=session, action='recovery_unknown', ip=ip, now=now, detail=address)
        return outcome
    if throttle.count(session=session, key=f'recover-user:{user.id}', now=now) > EMAILS_PER_USER_PER_HOUR:
        audit.record(session=session, action='recovery_throttled', user_id=user.id, ip=ip, now=now)
        return outcome
    issue_recovery_password(
        session=session, user=user, password=password, password_hash=password_hash, now=now, utility=utility,
        base_url=base_url,
    )  # fmt: skip
    audit.record(session=session, action='recovery_requested', user_id=user.id, ip=ip, now=now)
    return outcome


def issue_recovery_password(
    *, session: Session, user: User, password: str, password_hash: str, now: datetime, utility: str, base_url: str
) -> None:
    """Give `user` the single-use recovery password and email it (also the operators' «send a password reset»)."""
    user.recovery_hash = password_hash
    user.recovery_expires_at = now + RECOVERY_LIFETIME
    session.add(user)
    context = {'password': password, 'login_url': f'{base_url}/login'}
    outbox.queue_email(
        session=session, to=user.email, template='recovery', context=context, utility=utility, now=now,
        language=user.language,
    )  # fmt: skip
