"""The baseline of bench/many_clients.py: a bare NiceGUI page (`python bench/bare_page.py PORT`)."""

from __future__ import annotations

import sys

from nicegui import ui


@ui.page('/')
def index() -> None:
    ui.label('Hello')


if __name__ in {'__main__', '__mp_main__'}:
    ui.run(
        host='127.0.0.1', port=int(sys.argv[1]), reload=False, show=False, storage_secret='bare-page-secret-0123456789',
        reconnect_timeout=20,
    )  # fmt: skip
