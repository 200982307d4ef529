"""Open pages whose session has ended go to the login (blocked, logged out elsewhere, expired): one check for all.

Every open tab used to hold a timer of its own that looked up its session every few seconds: an element, a task
and a statement per tab. Now the frame registers the tab here, and one app-wide timer asks the database once for
all the tabs' sessions (`auth.live_tokens`, which only looks: an open tab does not keep an idle session alive)
and sends the tabs whose session is gone to the login page, back to where they were.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from nicegui import Client, ui

from services.core.db import session_scope
from services.identity import auth

CHECK_SECONDS = 10.0  # an open page learns this soon that its session has ended


@dataclass(frozen=True)
class _Watched:
    client: Client
    token: str
    path: str


class SessionWatch:
    """The open pages of logged-in users and the one timer that checks their sessions."""

    def __init__(
        self,
        engine: Any,
        now: Callable[[], datetime],
        off_loop: Callable[[Callable[[], set[str]]], Awaitable[set[str]]],
    ) -> None:
        self.engine = engine
        self.now = now
        self.off_loop = off_loop  # runs the lookup in the thread pool
        self.pages: dict[str, _Watched] = {}

    def watch(self, client: Client, token: str | None, path: str) -> None:
        """Check the session of `client`'s page from now on (the request that built it has just checked it)."""
        if token:
            self.pages[client.id] = _Watched(client, token, path)

    async def check(self) -> None:
        """Look up every watched page's session at once; pages whose session has ended go to the login."""
        for client_id in [i for i, w in self.pages.items() if w.client.is_deleted]:
            del self.pages[client_id]
        connected = [w for w in self.pages.values() if w.client.has_socket_connection]
        if not connected:
            return
        tokens = {w.token for w in connected}
        engine, now = self.engine, self.now()

        def work() -> set[str]:
            with session_scope(engine) as session:
                return auth.live_tokens(session=session, tokens=tokens, now=now)

        live = await self.off_loop(work)
        for watched in connected:
            if watched.token not in live and not watched.client.is_deleted:
                self.pages.pop(watched.client.id, None)
                with watched.client:
                    ui.navigate.to(f'/login?next={quote(watched.path or "/", safe="/")}')
