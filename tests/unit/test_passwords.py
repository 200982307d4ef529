"""bcrypt reads only 72 bytes: longer passwords are refused at sign-up and simply fail at login."""

from __future__ import annotations

import pytest

from services.identity.passwords import PasswordTooLong, generate_password, hash_password, verify_password


def test_a_password_verifies_against_its_own_hash_only() -> None:
    stored = hash_password('correct horse 42', rounds=4)
    assert verify_password('correct horse 42', stored)
    assert not verify_password('correct horse 43', stored)


def test_hashing_a_password_over_72_bytes_is_refused_not_truncated() -> None:
    # 37 Cyrillic letters are 74 bytes of UTF-8, though only 37 characters
    with pytest.raises(PasswordTooLong):
        hash_password('ж' * 37, rounds=4)


def test_checking_an_over_long_password_is_false_not_a_server_error() -> None:
    stored = hash_password('a' * 72, rounds=4)
    assert verify_password('a' * 73, stored) is False


def test_a_missing_hash_never_verifies() -> None:
    assert verify_password('anything', None) is False


def test_generated_passwords_mix_cases_and_digits_and_avoid_look_alikes() -> None:
    for _ in range(50):
        value = generate_password()
        assert len(value) == 12
        assert any(c.isdigit() for c in value) and any(c.isupper() for c in value) and any(c.islower() for c in value)
        assert not set(value) & set('Il1O0o')
