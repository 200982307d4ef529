"""Who may do what: operator actions check the acting user here, inside the service that does them."""

from __future__ import annotations

from models import Role, User
from services.core.errors import NotAllowed

STAFF_ONLY = 'Only utility staff may do this.'


def require_staff(user: User | None) -> User:
    """The user when they are an active operator or admin; NotAllowed for anyone else (residents, blocked, None)."""
    if user is None or user.blocked or not user.is_staff:
        raise NotAllowed(STAFF_ONLY)
    return user


ADMINS_ONLY = 'Only an administrator may do this.'


def require_admin(user: User | None) -> User:
    """The user when they are an active admin; NotAllowed for anyone else."""
    staff = require_staff(user)
    if staff.role != Role.admin:
        raise NotAllowed(ADMINS_ONLY)
    return staff
