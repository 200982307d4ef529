"""A resident's own settings (SPEC S4): password, email confirmed by a link, phone, name, language."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import EmailToken, User
from services.core.errors import NotFound
from services.core.i18n import LANGUAGES
from services.identity import audit, auth, throttle
from services.identity.contacts import InvalidContact, normalise_email, normalise_phone
from services.identity.passwords import PasswordRejected, check_new_password, hash_password, verify_password
from services.mail import outbox

EMAIL_LINK_LIFETIME = timedelta(hours=24)
REAUTH_FAILURES_PER_HOUR = 10  # a stolen session cannot guess the current password at leisure
WRONG_PASSWORD = 'The current password is wrong.'  # noqa: S105 (a message, not a password)


@dataclass
class Outcome:
    """Errors by field name; none means the change is made (or, for email, the link is sent)."""

    errors: dict[str, str] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return not self.errors


def needs_password_change(user: User) -> bool:
    """True while the user logs in with a generated or recovery password that must be replaced."""
    return user.must_change_password or user.password_expires_at is not None


def change_password(
    *,
    session: Session,
    user: User,
    current: str | None,
    new: str,
    repeat: str,
    keep_token: str | None,
    ip: str,
    now: datetime,
    utility: str,
    base_url: str,
    tz: ZoneInfo,
) -> Outcome:
    """Replace the password after checking the current one; every other session of the user ends.

    `current` None is the forced change right after a login with a temporary password: the session proves the
    password, so it is not asked again, and this is allowed only while that change is due. The email gives the
    time in the utility's zone `tz`.
    """
    row = _fresh(session, user)
    outcome = Outcome()
    if current is None and not needs_password_change(row):
        outcome.errors['new'] = WRONG_PASSWORD
        return outcome
    if current is not None and not _reauthenticate(session, row, current, ip, now, outcome, 'current'):
        return outcome
    try:
        check_new_password(new, email=row.email)
    except PasswordRejected as error:
        outcome.errors['new'] = str(error)
        return outcome
    if new == current or (current is None and verify_password(new, row.password_hash)):
        outcome.errors['new'] = 'The new password must differ from the current one.'
    elif repeat != new:
        outcome.errors['repeat'] = 'The passwords do not match.'
    if outcome.errors:
        return outcome
    row.password_hash = hash_password(new)
    row.password_expires_at = None
    row.must_change_password = False
    row.password_spent = False
    row.recovery_hash = None
    row.recovery_expires_at = None
    session.add(row)
    ended = auth.end_other_sessions(session=session, user_id=row.id or 0, keep_token=keep_token)
    when = now.astimezone(tz).strftime('%d/%m/%Y %H:%M' if row.language == 'en' else '%d.%m.%Y %H:%M')
    context = {'when': when, 'recover_url': f'{base_url}/recover'}
    outbox.queue_email(
        session=session,
        to=row.email,
        template='password_changed',
        context=context,
        utility=utility,
        now=now,
        language=row.language,
    )
    audit.record(
        session=session, action='password_changed', user_id=row.id, ip=ip, now=now, detail=f'{ended} sessions ended'
    )
    return outcome


def request_email_change(
    *, session: Session, user: User, password: str, new_email: str, ip: str, now: datetime, utility: str, base_url: str
) -> Outcome:
    """Send a confirmation link to the new address; the login changes only when the link is opened."""
    row = _fresh(session, user)
    outcome = Outcome()
    try:
        address = normalise_email(new_email)
    except InvalidContact as error:
        outcome.errors['email'] = str(error)
        return outcome
    if address == row.email:
        outcome.errors['email'] = 'This is your current email.'
        return outcome
    if not _reauthenticate(session, row, password, ip, now, outcome, 'password'):
        return outcome
    if session.exec(select(User).where(User.email == address)).first() is not None:
        # Same answer as for a free address; the owner of that address learns it by email (ASVS 6.3.8).
        context = {'login_url': f'{base_url}/login'}
        outbox.queue_email(
            session=session,
            to=address,
            template='email_taken',
            context=context,
            utility=utility,
            now=now,
            language=row.language,
        )
        return outcome
    token = secrets.token_urlsafe(32)
    session.add(
        EmailToken(
            token_hash=auth.token_hash(token),
            user_id=row.id or 0,
            purpose='email',
            new_value=address,
            created_at=now,
            expires_at=now + EMAIL_LINK_LIFETIME,
        )
    )
    row.pending_email = address
    session.add(row)
    context = {'confirm_url': f'{base_url}/settings/email/confirm?token={token}'}
    outbox.queue_email(
        session=session, to=address, template='email_confirm', context=context, utility=utility, now=now,
        language=row.language,
    )  # fmt: skip
    audit.record(session=session, action='email_change_requested', user_id=row.id, ip=ip, now=now, detail=address)
    return outcome


def confirm_email(*, session: Session, token: str, ip: str, now: datetime, utility: str) -> str | None:
    """Make the address of a confirmation link the user's login; the new address, or None for a bad link."""
    link = session.get(EmailToken, auth.token_hash(token)) if token else None
    if link is None or link.purpose != 'email' or link.used_at is not None or link.expires_at <= now:
        return None
    user = session.get(User, link.user_id)
    taken = session.exec(select(User).where(User.email == link.new_value)).first()
    if user is None or taken is not None:
        return None
    old = user.email
    link.used_at = now
    user.email = link.new_value
    user.pending_email = None
    session.add_all([link, user])
    context = {'new_email': user.email}
    outbox.queue_email(
        session=session, to=old, template='email_changed', context=context, utility=utility, now=now,
        language=user.language,
    )  # fmt: skip
    audit.record(
        session=session, action='email_changed', user_id=user.id, ip=ip, now=now, detail=f'{old} → {user.email}'
    )
    return user.email


def change_phone(*, session: Session, user: User, phone: str, ip: str, now: datetime) -> Outcome:
    """Set the phone number (a login too); refused when another user has it."""
    row = _fresh(session, user)
    outcome = Outcome()
    try:
        number = normalise_phone(phone)
    except InvalidContact as error:
        outcome.errors['phone'] = str(error)
        return outcome
    other = session.exec(select(User).where(User.phone == number, User.id != row.id)).first()
    if other is not None:
        outcome.errors['phone'] = 'This number belongs to another account. Contact support if it is yours.'
        return outcome
    old = row.phone or ''
    row.phone = number
    session.add(row)
    audit.record(session=session, action='phone_changed', user_id=row.id, ip=ip, now=now, detail=f'{old} → {number}')
    return outcome


def change_name(*, session: Session, user: User, name: str) -> Outcome:
    row = _fresh(session, user)
    outcome = Outcome()
    cleaned = ' '.join(name.split())
    if len(cleaned) > 200:
        outcome.errors['name'] = 'The name is too long: at most 200 characters.'
        return outcome
    row.full_name = cleaned
    session.add(row)
    return outcome


def change_language(*, session: Session, user: User, language: str) -> None:
    row = _fresh(session, user)
    row.language = language if language in LANGUAGES else row.language
    session.add(row)


THEMES = ('light', 'dark', 'system')


def change_theme(*, session: Session, user: User, theme: str) -> None:
    """Keep the colour theme the user chose in the header (an unknown value changes nothing)."""
    row = _fresh(session, user)
    row.theme = theme if theme in THEMES else row.theme
    session.add(row)


def _fresh(session: Session, user: User) -> User:
    row = session.get(User, user.id)
    if row is None or row.blocked:
        raise NotFound('Not found.')
    return row


def _reauthenticate(
    session: Session, user: User, password: str, ip: str, now: datetime, outcome: Outcome, key: str
) -> bool:
    """Check the current password (ASVS 7.5.1), with a failure limit per hour."""
    counter = f'reauth:{user.id}'
    if throttle.exceeded(session=session, key=counter, limit=REAUTH_FAILURES_PER_HOUR, now=now):
        outcome.errors[key] = 'Too many attempts. Try again in an hour.'
        return False
    if not verify_password(password, user.password_hash):
        throttle.count(session=session, key=counter, now=now)
        audit.record(session=session, action='reauth_failed', user_id=user.id, ip=ip, now=now)
        outcome.errors[key] = WRONG_PASSWORD
        return False
    return True
