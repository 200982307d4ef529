"""What every page needs: the system, the logged-in user, the sections shown in the menu, safe redirects."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request
from nicegui import ui
from sqlmodel import Session

from models import User
from services.core.db import session_scope
from services.core.i18n import set_language
from services.core.system import System
from services.identity import auth

SESSION_COOKIE = 'kabinet_session'
DEVICE_COOKIE = 'kabinet_device'


@dataclass(frozen=True)
class Section:
    path: str
    label: str  # message id
    icon: str
    order: int
    staff_only: bool = False
    public: bool = False  # reachable without logging in (login, registration, information)


@dataclass
class _State:
    system: System | None = None
    sections: list[Section] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)


_state = _State()


def init(system: System) -> None:
    _state.system = system
    _state.sections.clear()
    _state.paths.clear()


def system() -> System:
    if _state.system is None:
        raise RuntimeError('pages.deps.init(system) was not called')
    return _state.system


@contextmanager
def db() -> Iterator[Session]:
    """A database session that commits at the end of the block."""
    with session_scope(system().engine) as session:
        yield session


def register_section(section: Section) -> None:
    """Show a built section in the main menu (sections not built yet stay hidden)."""
    if all(s.path != section.path for s in _state.sections):
        _state.sections.append(section)
        _state.sections.sort(key=lambda s: s.order)


def sections(user: User | None) -> list[Section]:
    return [s for s in _state.sections if not s.public and (not s.staff_only or (user is not None and user.is_staff))]


def add_routes(paths: list[str]) -> None:
    _state.paths.update(paths)


def has_route(path: str) -> bool:
    """True when a page or endpoint answers at `path` (links to sections not built yet stay hidden)."""
    return path in _state.paths


def user_from_request(request: Request) -> User | None:
    """The user of the request's session cookie, with the language set for the messages that follow."""
    with db() as session:
        user = auth.resolve_session(session=session, token=request.cookies.get(SESSION_COOKIE), now=system().now())
    set_language(user.language if user else system().settings.language)
    return user


def current_user() -> User | None:
    """The user of the page's client, re-checked against the database (for event handlers)."""
    request = ui.context.client.request
    return user_from_request(request) if request is not None else None


def client_ip(request: Request | None) -> str:
    return request.client.host if request is not None and request.client else ''


def safe_next(value: str | None) -> str:
    """A local path to return to after login; anything else (//evil.example, https://...) becomes '/'."""
    if not value or not value.startswith('/') or value.startswith('//') or '\\' in value:
        return '/'
    return value


def login_redirect_target(request: Request) -> str:
    path = request.scope.get('path', '/')
    query = request.scope.get('query_string', b'').decode('latin-1')
    return path + (f'?{query}' if query else '')
