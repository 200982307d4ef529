"""Domain exceptions that pages and the command line turn into messages."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action; str(e) is a message id for gettext."""


class NotFound(DomainError):
    """The object does not exist or does not belong to the user (the two look the same on purpose)."""


class AccountNotFound(NotFound):
    pass


class NotYourMeter(NotFound):
    pass


class AuthenticationFailed(DomainError):
    pass


class Throttled(DomainError):
    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class NotAllowed(DomainError):
    """The acting user's role may not do this: an operator action by a resident, a blocked user or no one."""
