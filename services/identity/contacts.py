"""Email addresses and Russian phone numbers as people type them, normalised for storage and lookup."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidContact(ValueError):
    """The text is not a valid email address or phone number; str(e) is a message id."""


def normalise_email(text: str, *, check_deliverability: bool = False) -> str:
    """The address in canonical form (domain lower-cased, local part lower-cased for lookup)."""
    try:
        result = validate_email(text.strip(), check_deliverability=check_deliverability)
    except EmailNotValidError as error:
        raise InvalidContact('Enter a valid email address, e.g. name@example.ru') from error
    return result.normalized.lower()


def normalise_phone(text: str, *, region: str = 'RU') -> str:
    """The number in E.164 (+79123456789); accepts 8 912 345-67-89, +7 (912) 345 67 89 and the like."""
    try:
        number = phonenumbers.parse(text.strip(), region)
    except phonenumbers.NumberParseException as error:
        raise InvalidContact('Enter a phone number, e.g. +7 912 345-67-89') from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact('Enter a phone number, e.g. +7 912 345-67-89')
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """+79123456789 → +7 912 345-67-89 for display."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, 'RU'), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def normalise_login(text: str) -> tuple[str, str]:
    """('email', address) or ('phone', E.164) or ('unknown', '') for whatever a person typed as a login."""
    text = text.strip()
    if '@' in text:
        try:
            return 'email', normalise_email(text)
        except InvalidContact:
            return 'unknown', ''
    try:
        return 'phone', normalise_phone(text)
    except InvalidContact:
        return 'unknown', ''
