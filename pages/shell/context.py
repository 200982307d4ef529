"""The page context: who is asking, the system and its clock, and database work that never runs on the event loop.

The composition root builds one `Site` and hands it to every page group. `site.page(path, access=...)` turns an
async builder `(ctx, **params)` into a NiceGUI page that resolves the request's user once (reusing what the
security middleware found), sets the language, sends anonymous visitors to `/login?next=…`, sends a user with a
temporary password to the password form, refuses non-staff on operator pages, and gives the builder a
`PageContext`. Event handlers defined in the builder use the same context and re-check the user with
`await ctx.fresh_user()` before they touch data.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import typing
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, ParamSpec, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from nicegui import APIRouter, app, background_tasks, core, run, ui

from components.frame import CONNECT_TIMEOUT, Badges, FrameUser, MenuEntry, frame
from models import Role, User
from pages.shell.session_watch import CHECK_SECONDS, SessionWatch
from services.core.db import DbSession, session_scope
from services.core.i18n import _, set_language
from services.core.settings import Settings
from services.core.system import System
from services.identity import auth, profile
from services.residents import badges

T = TypeVar('T')
P = ParamSpec('P')
Access = Literal['public', 'resident', 'staff']
Builder = Callable[..., Awaitable[Response | None]]

SESSION_COOKIE = 'kabinet_session'
# NiceGUI answers 500 when a page is not built within 3 s; when many residents arrive at once the builds queue
# for the CPU, and a page that comes late is better than an error page.
PAGE_TIMEOUT = 30.0
_PAGE_BADGES = 'page-badges'  # the future of the menu's figures a page promised to count
DEVICE_COOKIE = 'kabinet_device'
USER_STATE = 'kabinet_user'  # request.scope['state'][USER_STATE]: the user the middleware resolved


@dataclass(frozen=True)
class Section:
    """An entry of the main menu."""

    path: str
    label: str  # message id
    icon: str
    order: int
    staff_only: bool = False
    admin_only: bool = False


class PortalStopping(RuntimeError):
    """The portal is shutting down and takes no new work."""


async def off_loop(work: Callable[[], T]) -> T:
    """Run blocking work (SQL, bcrypt) in NiceGUI's thread pool with the caller's context variables."""
    if core.app.is_stopping:
        raise PortalStopping('the portal is stopping')
    context = contextvars.copy_context()  # the language of the request goes along
    try:
        return await asyncio.get_running_loop().run_in_executor(run.thread_pool, context.run, work)
    except RuntimeError as error:
        if 'after shutdown' in str(error):
            raise PortalStopping('the portal is stopping') from error
        raise


class Site:
    """What every page group gets from the composition root: the system, the menu and the known routes."""

    def __init__(self, app: FastAPI, system: System) -> None:
        self.app = app
        self.system = system
        self.router = APIRouter()
        self.sections: list[Section] = []
        self.paths: set[str] = set()
        self.sessions = SessionWatch(system.engine, system.now, off_loop)

    def page(
        self, path: str, *, access: Access = 'resident', section: Section | None = None
    ) -> Callable[[Builder], Builder]:
        """Register `builder(ctx, **params)` as the page at `path` (params are FastAPI path and query parameters)."""

        def register(builder: Builder) -> Builder:
            self.paths.add(path)
            if section is not None:
                self.sections.append(section)
                self.sections.sort(key=lambda s: s.order)
            self.router.page(path, response_timeout=PAGE_TIMEOUT)(self._endpoint(path, access, builder))
            return builder

        return register

    def add_route(self, path: str) -> None:
        """Make a plain HTTP route known to `has_route` (links to sections not built yet stay hidden)."""
        self.paths.add(path)

    def has_route(self, path: str) -> bool:
        return path in self.paths

    def menu(self, user: User | None) -> list[Section]:
        """Residents see the residents' sections, staff the operator's console (admins also staff management)."""
        if user is None or not user.is_staff:
            return [s for s in self.sections if not s.staff_only]
        return [s for s in self.sections if s.staff_only and (not s.admin_only or user.role == Role.admin)]

    def install(self) -> None:
        """Add the pages to the app (after every group has registered), and the one check of open pages' sessions."""
        self.app.include_router(self.router)
        app.on_startup(lambda: app.timer(CHECK_SECONDS, self._check_sessions, immediate=False))

    async def _check_sessions(self) -> None:
        with suppress(PortalStopping):  # the portal is stopping: its pages go anyway
            await self.sessions.check()

    async def user_of(self, request: Request) -> User | None:
        """The user of the request's session cookie: what the middleware found, else a lookup off the loop."""
        state = request.scope.get('state') or {}
        if USER_STATE in state:
            return typing.cast(User | None, state[USER_STATE])
        return await self.lookup(request.cookies.get(SESSION_COOKIE))

    async def lookup(self, token: str | None) -> User | None:
        if not token:
            return None
        system = self.system

        def work() -> User | None:
            with session_scope(system.engine) as session:
                return auth.resolve_session(session=session, token=token, now=system.now())

        return await off_loop(work)

    def _endpoint(self, path: str, access: Access, builder: Builder) -> Callable[..., Awaitable[Response | None]]:
        site = self

        async def endpoint(request: Request, **params: Any) -> Response | None:
            user = await site.user_of(request)
            if access != 'public' and user is None:
                return RedirectResponse(f'/login?next={quote(request_target(request), safe="/")}', status_code=303)
            if user is not None and access != 'public' and path != '/settings' and profile.needs_password_change(user):
                return RedirectResponse('/settings?force=password', status_code=303)  # ASVS 6.4.1
            if access == 'staff' and not (user is not None and user.is_staff):
                return RedirectResponse('/', status_code=303)
            ctx = PageContext(site=site, request=request, viewer=user, path=path)
            set_language(ctx.language)
            try:
                return await builder(ctx, **params)
            finally:
                ctx.show_badges(None)  # a page that promised the menu's figures and failed: the frame counts them

        endpoint.__name__ = builder.__name__
        endpoint.__signature__ = _signature(builder)  # type: ignore[attr-defined]
        return endpoint


@dataclass(frozen=True)
class PageContext:
    """Everything a page builder and its event handlers need; `viewer` is None only on public pages."""

    site: Site
    request: Request
    viewer: User | None
    path: str = ''
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def user(self) -> User:
        """The logged-in user (pages with access 'resident' or 'staff' always have one)."""
        if self.viewer is None:
            raise RuntimeError(f'{self.path} is public: use ctx.viewer')
        return self.viewer

    @property
    def system(self) -> System:
        return self.site.system

    @property
    def settings(self) -> Settings:
        return self.site.system.settings

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    @property
    def language(self) -> str:
        return self.viewer.language if self.viewer is not None else self.settings.language

    def now(self) -> datetime:
        """The system clock's instant (aware, UTC)."""
        return self.system.now()

    def today(self) -> date:
        """The utility's local date now."""
        return self.now().astimezone(self.tz).date()

    @property
    def client_ip(self) -> str:
        """The client's address: the peer's own, or X-Forwarded-For's when the peer is a trusted proxy.

        uvicorn decides (proxy_headers and forwarded_allow_ips from KABINET_TRUSTED_PROXIES, set in app.py), so
        every page, throttle and audit row sees the same address and no client can choose its own.
        """
        client = self.request.client
        return client.host if client else ''

    @property
    def user_agent(self) -> str:
        return self.request.headers.get('user-agent', '')

    @property
    def session_token(self) -> str | None:
        return self.request.cookies.get(SESSION_COOKIE)

    def has_route(self, path: str) -> bool:
        return self.site.has_route(path)

    async def db(self, work: Callable[[DbSession], T]) -> T:
        """Run `work(session)` off the event loop in one transaction (committed unless it raises)."""
        language, engine = self.language, self.system.engine

        def job() -> T:
            set_language(language)
            with session_scope(engine) as session:
                return work(session)

        return await off_loop(job)

    async def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking work that opens its own sessions (an import, bcrypt) off the event loop."""
        language = self.language

        def job() -> T:
            set_language(language)
            return work(*args, **kwargs)

        return await off_loop(job)

    async def fresh_user(self, *, staff: bool = False) -> User | None:
        """For event handlers: the session's user now (the page may outlive the session), else off to /login."""
        user = await self.site.lookup(self.session_token)
        if user is None:
            ui.navigate.to(f'/login?next={quote(self.path or "/", safe="/")}')
            return None
        set_language(user.language)
        if staff and not user.is_staff:
            ui.navigate.to('/')
            return None
        return user

    async def frame(
        self, title: str, *, active: str | None = None, own_badges: bool = False
    ) -> AbstractContextManager[ui.column]:
        """The page's frame: header, the menu of the user's sections, the title; the menu's badges are counted once
        the page is connected (the page does not wait for them).

        With `own_badges` the page counts them in its own transaction (`count_badges`) and hands them over with
        `show_badges`, which saves the frame a transaction of its own.
        """
        user = self.viewer
        if own_badges and user is not None:
            self._cache[_PAGE_BADGES] = asyncio.get_running_loop().create_future()
        menu = [MenuEntry(path=s.path, label=_(s.label), icon=s.icon) for s in self.site.menu(user)] if user else []
        if user is not None:
            self.site.sessions.watch(ui.context.client, self.session_token, self.path)  # one check for every tab
        logout = auth.logout_token(self.settings.require_secret(), self.session_token)
        shown = (
            FrameUser(
                name=user.full_name or user.email, logout_token=logout, theme=user.theme, on_theme=self._keep_theme
            )
            if user is not None
            else None
        )
        return frame(
            title=title,
            utility_name=self.settings.utility_name,
            menu=menu,
            user=shown,
            active=self.path if active is None else active,
            badges=self._badges if user is not None else None,
        )

    async def connected(self) -> bool:
        """Send the page as built so far and go on once the browser has connected to it (False: it never came).

        A page that waits for the database after this is delivered at once and filled over its connection, so a
        rush of residents does not keep every page from going out until all have their data.
        """
        client = ui.context.client
        try:
            await client.connected(timeout=CONNECT_TIMEOUT)
        except TimeoutError:  # NiceGUI's ClientConnectionTimeout: the tab was closed before it connected
            return False
        return not client.is_deleted

    def count_badges(self, session: DbSession) -> badges.Counter:
        """The menu's figures, for a page that promised them (`frame(own_badges=True)`) in its own transaction."""
        return badges.menu_badges(session=session, user=self.user, now=self.now())

    def show_badges(self, counts: badges.Counter | None) -> None:
        """Hand the menu's figures to the frame (None: the page could not count them, the frame counts them)."""
        promised = self._cache.get(_PAGE_BADGES)
        if promised is not None and not promised.done():
            promised.set_result(counts)

    async def _badges(self) -> Badges:
        promised = self._cache.get(_PAGE_BADGES)
        counts: badges.Counter | None = await asyncio.shield(promised) if promised is not None else None
        if counts is None:
            counts = {}
            with suppress(PortalStopping):  # a page connected while the portal stops keeps its menu without figures
                counts = await self.db(self.count_badges)
        return {path: (count, colour or 'red') for path, (count, colour) in counts.items()}

    async def _keep_theme(self, theme: str) -> None:
        """Store the theme chosen in the header for the user who is (still) logged in."""
        user = await self.fresh_user()
        if user is not None:
            await self.db(lambda session: profile.change_theme(session=session, user=user, theme=theme))

    def later(self, work: Awaitable[None], *, name: str) -> None:
        """Go on with `work` after a synchronous handler returns (it checks input at once, then stores)."""
        background_tasks.create(work, name=name, context=ui.context.slot)

    def mark_not_found(self) -> None:
        """Answer 404 (robots and scripts see it) while the page still shows its frame and a way back."""
        ui.context.client.status_code = 404


def safe_next(value: str | None) -> str:
    """A local path to return to after login; anything else (//evil.example, https://...) becomes '/'."""
    if not value or not value.startswith('/') or value.startswith('//') or '\\' in value:
        return '/'
    return value


def request_target(request: Request) -> str:
    path = request.scope.get('path', '/')
    query = request.scope.get('query_string', b'').decode('latin-1')
    return path + (f'?{query}' if query else '')


def _signature(builder: Builder) -> inspect.Signature:
    """The builder's parameters after `ctx`, with `request` first, annotations resolved for FastAPI."""
    hints = typing.get_type_hints(builder)
    parameters = [
        p.replace(annotation=hints.get(name, p.annotation))
        for name, p in inspect.signature(builder).parameters.items()
        if name != 'ctx'
    ]
    request = inspect.Parameter('request', inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
    return inspect.Signature([request, *parameters])
