"""Password hashing with bcrypt, which reads at most 72 bytes: longer input is refused, never truncated silently."""

from __future__ import annotations

import secrets
import string

import bcrypt

MAX_PASSWORD_BYTES = 72
MIN_PASSWORD_LENGTH = 8
BCRYPT_ROUNDS = 12
# A hash of a random password: checking against it costs the same time as checking a real user's hash,
# so an unknown login answers as slowly as a wrong password (no account enumeration by timing).
_DUMMY_HASH = bcrypt.hashpw(secrets.token_bytes(16).hex().encode(), bcrypt.gensalt(BCRYPT_ROUNDS))


class PasswordTooLong(ValueError):
    """The password is longer than bcrypt can read (72 bytes of UTF-8)."""


def hash_password(password: str, *, rounds: int = BCRYPT_ROUNDS) -> str:
    """A bcrypt hash of `password`; raises PasswordTooLong past 72 bytes."""
    raw = password.encode()
    if len(raw) > MAX_PASSWORD_BYTES:
        raise PasswordTooLong(password)
    return bcrypt.hashpw(raw, bcrypt.gensalt(rounds)).decode()


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
