"""The audit log of security-relevant actions (ASVS 16.3.1, SPEC O8): who did what, when, from where."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import AuditLog


def record(
    *,
    session: Session,
    action: str,
    now: datetime,
    user_id: int | None = None,
    ip: str = '',
    detail: str = '',
    target: str = '',
) -> None:
    """Add one audit row in the caller's transaction, so the row exists exactly when the action happened.

    `target` names the object acted on ('user:42', 'account:7'), so the log can be filtered by it.
    """
    session.add(
        AuditLog(at=now, user_id=user_id, action=action[:40], ip=ip[:64], detail=detail[:500], target=target[:64])
    )
