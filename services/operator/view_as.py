"""«See as the resident»: staff read a resident's pages through the resident services, with the resident as subject.

The ownership checks stay as they are: the resident services are called for the resident, so an operator sees
exactly the accounts and meters the resident holds, and a meter of someone else is NotFound here too. This is
the only path by which staff become the subject of a resident read; it checks the role and audits every view.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import User
from services.core.errors import NotFound
from services.identity import audit
from services.identity.roles import require_staff
from services.operator.users import resident


def subject(*, session: Session, actor: User, user_id: int, what: str, ip: str, now: datetime) -> User:
    """The resident to read as (not deleted); the view is audited as 'viewed_as_resident' with `what` was opened."""
    require_staff(actor)
    user = resident(session, user_id)
    if user.deleted_at is not None:
        raise NotFound('Not found')
    audit.record(
        session=session, action='viewed_as_resident', now=now, user_id=actor.id, ip=ip, detail=what[:200],
        target=f'user:{user_id}',
    )  # fmt: skip
    return user
