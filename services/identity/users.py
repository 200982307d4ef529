"""Creating and finding users (staff from the command line and the operator pages)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models import AuditLog, Role, User
from services.identity.contacts import InvalidContact, normalise_email
from services.identity.passwords import MIN_PASSWORD_LENGTH, PasswordTooLong, hash_password


class UserExists(ValueError):
    pass


def create_staff(
    *, session: Session, email: str, password: str, name: str = '', admin: bool = False, now: datetime
) -> User:
    """A new operator (or admin); raises ValueError with a readable reason for a bad email or password."""
    try:
        address = normalise_email(email)
    except InvalidContact as error:
        raise ValueError(f'Not a valid email address: {email}') from error
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f'The password needs at least {MIN_PASSWORD_LENGTH} characters.')
    if session.exec(select(User).where(User.email == address)).first() is not None:
        raise UserExists(address)
    try:
        password_hash = hash_password(password)
    except PasswordTooLong as error:
        raise ValueError('The password is longer than 72 bytes.') from error
    user = User(
        email=address,
        full_name=name,
        role=Role.admin if admin else Role.operator,
        password_hash=password_hash,
        created_at=now,
    )
    session.add(user)
    session.flush()
    session.add(AuditLog(at=now, user_id=user.id, action='staff_created', detail=f'{user.role} {address}'))
    return user
