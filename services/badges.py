"""Numbers on the main menu: what is new for the resident since they last opened each section (SPEC S5)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import User

# Each section that has news registers a counter here: path -> function returning (count, colour).
Counter = dict[str, tuple[int, str]]


def menu_badges(*, session: Session, user: User, now: datetime) -> Counter:
    """The badge of each menu path: (how many new things, the colour of the most important one)."""
    return {}
