"""Password hashing with bcrypt, which reads at most 72 bytes: longer input is refused, never truncated silently."""

from __future__ import annotations

import secrets
import string
from functools import cache
from pathlib import Path

import bcrypt

MAX_PASSWORD_BYTES = 72
MIN_PASSWORD_LENGTH = 8  # ASVS 6.2.1
MAX_PASSWORD_LENGTH = 64  # ASVS 6.2.9: at least 64 characters allowed
COMMON_PASSWORDS_FILE = Path(__file__).with_name('common_passwords.txt')
BCRYPT_ROUNDS = 12
# A hash of a random password: checking against it costs the same time as checking a real user's hash,
# so an unknown login answers as slowly as a wrong password (no account enumeration by timing).
_DUMMY_HASH = bcrypt.hashpw(secrets.token_bytes(16).hex().encode(), bcrypt.gensalt(BCRYPT_ROUNDS))


class PasswordTooLong(ValueError):
    """The password is longer than bcrypt can read (72 bytes of UTF-8)."""


class PasswordRejected(ValueError):
    """A new password breaks the policy; str(e) is a message id that says why."""


def check_new_password(password: str, *, email: str = '') -> None:
    """Raise PasswordRejected unless `password` may become a user's own password (ASVS 6.2.x)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected('The password needs at least 8 characters.')
    if len(password) > MAX_PASSWORD_LENGTH or len(password.encode()) > MAX_PASSWORD_BYTES:
        # Cyrillic letters take two bytes each, so 64 of them would exceed what bcrypt reads.
        raise PasswordRejected('The password is too long: at most 64 characters (36 Cyrillic letters).')
    folded = password.strip().casefold()
    if folded in common_passwords() or len(set(folded)) < 3:
        raise PasswordRejected('This password is too common. Choose another one.')
    if email and folded in {email.casefold(), email.split('@', maxsplit=1)[0].casefold()}:
        raise PasswordRejected('The password must not be your email address.')


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding='utf-8').splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith('#'))


def hash_password(password: str, *, rounds: int | None = None) -> str:
    """A bcrypt hash of `password` (cost BCRYPT_ROUNDS unless given); raises PasswordTooLong past 72 bytes."""
    raw = password.encode()
    if len(raw) > MAX_PASSWORD_BYTES:
        raise PasswordTooLong(password)
    return bcrypt.hashpw(raw, bcrypt.gensalt(rounds or BCRYPT_ROUNDS)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when `password` matches; a missing hash or an over-long password is simply False, in constant work."""
    raw = password.encode()
    if len(raw) > MAX_PASSWORD_BYTES:
        raw = raw[:MAX_PASSWORD_BYTES]
        password_hash = None  # still spend the bcrypt time, then fail
    target = password_hash.encode() if password_hash else _DUMMY_HASH
    try:
        ok = bcrypt.checkpw(raw, target)
    except ValueError:
        return False
    return ok and password_hash is not None


def generate_password(length: int = 12) -> str:
    """A random password a person can type from an email: letters and digits without look-alikes."""
    alphabet = ''.join(c for c in string.ascii_letters + string.digits if c not in 'Il1O0o')
    while True:
        value = ''.join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in value) and any(c.isupper() for c in value) and any(c.islower() for c in value):
            return value
