"""Registration of residents (SPEC S1) and adding personal accounts to a resident: registry checks, no leaks.

Decisions: an account already claimed by another user is refused with a neutral message (the account number
and address are the secret, so knowing them already proves more than the message reveals); an email or phone
that already has an account gets the same success answer as a new one, and the owner gets an email instead
(ASVS 6.3.8: the page never tells whether an address is registered).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from models import Account, ResidentAccount, Role, User
from models.registry import address_search_key
from services.identity import audit, captcha, throttle
from services.identity.contacts import InvalidContact, normalise_email, normalise_phone
from services.identity.passwords import generate_password, hash_password
from services.mail import outbox

GENERATED_PASSWORD_LIFETIME = timedelta(hours=72)
MAX_SUGGESTIONS = 20
MIN_SUGGEST_CHARS = 3
FAILED_MATCHES_PER_HOUR = 20  # account number + address guesses per client (or per resident adding accounts)
NOT_FOUND = 'No personal account with this number. Check the number on your bill.'
WRONG_ADDRESS = 'This address is not the address of the account. Choose it from the list of suggestions.'
CLAIMED = 'This personal account is already registered. If it is yours, contact support.'
TOO_MANY = 'Too many attempts. Try again in an hour.'


@dataclass(frozen=True, slots=True)
class RegistrationForm:
    account: str
    address: str
    full_name: str
    email: str
    phone: str
    agreed: bool
    captcha_id: str = ''
    captcha_answer: str = ''


@dataclass
class Outcome:
    """Errors by field name ('account', 'address', 'email', 'phone', 'agreed', 'captcha', 'form'), or done."""

    errors: dict[str, str] = field(default_factory=dict)
    email: str = ''

    @property
    def done(self) -> bool:
        return not self.errors


def suggest_addresses(*, session: Session, text: str) -> list[str]:
    """Registry addresses containing `text` (from 3 letters, at most 20, sorted); never account numbers."""
    needle = address_search_key(text)
    if len(needle) < MIN_SUGGEST_CHARS:
        return []
    pattern = '%' + re.sub(r'([\\%_])', r'\\\1', needle) + '%'
    rows = session.exec(
        select(Account.address)
        .where(col(Account.address_search).like(pattern, escape='\\'))
        .distinct()
        .order_by(col(Account.address))
        .limit(MAX_SUGGESTIONS)
    ).all()
    return list(rows)


def same_address(typed: str, stored: str) -> bool:
    """True when two spellings name the same address (case, ё/е, spaces and punctuation do not matter)."""
    return _address_key(typed) == _address_key(stored) and bool(_address_key(typed))


def register(
    *,
    session: Session,
    form: RegistrationForm,
    ip: str,
    now: datetime,
    captcha_on: bool,
    utility: str,
    base_url: str,
    captcha_secret: str = '',
) -> Outcome:
    """Create the resident with a generated password emailed to them, or say what is wrong with which field."""
    outcome, email, phone = _check_form(form)
    if captcha_on and not captcha.solve(
        session=session, challenge_id=form.captcha_id, answer=form.captcha_answer, now=now, secret=captcha_secret
    ):
        outcome.errors['captcha'] = 'The code from the picture is wrong. Type the new one.'
    if outcome.errors:
        return outcome
    account = _claimable_account(session, form.account, form.address, outcome, f'register:{ip}', now)
    if account is None:
        return outcome
    outcome.email = email
    clash = session.exec(select(User).where(or_(User.email == email, User.phone == phone))).first()
    links = {'login_url': f'{base_url}/login', 'recover_url': f'{base_url}/recover'}
    if clash is not None:
        to = clash.email if clash.email == email else email
        outbox.queue_email(
            session=session, to=to, template='registration_exists', context=links, utility=utility, now=now
        )
        audit.record(session=session, action='registration_duplicate', user_id=clash.id, ip=ip, now=now)
        return outcome
    password = generate_password()
    user = User(
        email=email,
        phone=phone,
        full_name=' '.join(form.full_name.split())[:200],
        role=Role.resident,
        password_hash=hash_password(password),
        password_expires_at=now + GENERATED_PASSWORD_LIFETIME,
        must_change_password=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    session.add(ResidentAccount(user_id=user.id or 0, account_id=account.id or 0, added_at=now))
    greeting = f', {user.full_name}' if user.full_name else ''
    context = {**links, 'greeting': greeting, 'login': email, 'password': password}
    outbox.queue_email(session=session, to=email, template='registration', context=context, utility=utility, now=now)
    audit.record(session=session, action='registered', user_id=user.id, ip=ip, now=now, detail=account.number)
    return outcome


def add_account(*, session: Session, user: User, number: str, address: str, ip: str, now: datetime) -> Outcome:
    """Link another registry account to the resident after the same checks as at registration."""
    outcome = Outcome()
    if not number.strip():
        outcome.errors['account'] = 'Enter the personal account number.'
    if not address.strip():
        outcome.errors['address'] = 'Enter the address.'
    if outcome.errors:
        return outcome
    mine = session.exec(
        select(Account)
        .join(ResidentAccount, col(ResidentAccount.account_id) == col(Account.id))
        .where(ResidentAccount.user_id == user.id, Account.number == number.strip())
    ).first()
    if mine is not None:
        outcome.errors['account'] = 'This personal account is already in your list.'
        return outcome
    account = _claimable_account(session, number, address, outcome, f'add-account:{user.id}', now)
    if account is None:
        return outcome
    session.add(ResidentAccount(user_id=user.id or 0, account_id=account.id or 0, added_at=now))
    audit.record(session=session, action='account_added', user_id=user.id, ip=ip, now=now, detail=account.number)
    return outcome


def _check_form(form: RegistrationForm) -> tuple[Outcome, str, str]:
    outcome = Outcome()
    email = phone = ''
    if not form.account.strip():
        outcome.errors['account'] = 'Enter the personal account number.'
    if not form.address.strip():
        outcome.errors['address'] = 'Enter the address.'
    try:
        email = normalise_email(form.email)
    except InvalidContact as error:
        outcome.errors['email'] = str(error)
    try:
        phone = normalise_phone(form.phone)
    except InvalidContact as error:
        outcome.errors['phone'] = str(error)
    if not form.agreed:
        outcome.errors['agreed'] = 'Accept the terms of the user agreement.'
    return outcome, email, phone


def _claimable_account(
    session: Session, number: str, address: str, outcome: Outcome, throttle_key: str, now: datetime
) -> Account | None:
    """The registry account of `number` at `address` that no one has claimed yet; else errors in `outcome`."""
    if throttle.exceeded(session=session, key=throttle_key, limit=FAILED_MATCHES_PER_HOUR, now=now):
        outcome.errors['form'] = TOO_MANY
        return None
    account = session.exec(select(Account).where(Account.number == number.strip())).first()
    if account is None or not same_address(address, account.address):
        throttle.count(session=session, key=throttle_key, now=now)
        outcome.errors['account' if account is None else 'address'] = NOT_FOUND if account is None else WRONG_ADDRESS
        return None
    if session.exec(select(ResidentAccount).where(ResidentAccount.account_id == account.id)).first() is not None:
        outcome.errors['account'] = CLAIMED
        return None
    return account


def _address_key(text: str) -> str:
    folded = text.casefold().replace('ё', 'е')
    return ' '.join(re.sub(r'[\W_]+', ' ', folded).split())
