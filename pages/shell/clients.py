"""Browser tabs that are gone give their server memory back promptly (O10, many residents at once).

NiceGUI deletes a page that disconnected after the reconnect timeout (20 s here, for phones) and one fetched
but never connected after 60 s (not sooner: in a rush the builds queue, and a page pruned before its browser
connects reloads). When many tabs have gone, the memory they held is handed back to the operating system: glibc
keeps freed memory otherwise, and the process would stay at its peak after every rush hour.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

from nicegui import Client, app, run

log = logging.getLogger(__name__)
CHECK_SECONDS = 10.0
TRIM_AFTER_GONE = 20  # tabs gone since the last trim that make a trim worth its pause


def install() -> None:
    watcher = _Watcher()
    app.on_startup(lambda: app.timer(CHECK_SECONDS, watcher.check))


class _Watcher:
    def __init__(self) -> None:
        self.peak = 0
        self.libc = _libc()

    async def check(self) -> None:
        count = len(Client.instances)
        self.peak = max(self.peak, count)
        if self.peak - count < TRIM_AFTER_GONE:
            return
        self.peak = count
        gc.collect()  # the pages' element trees hold reference cycles
        if self.libc is not None:
            await run.io_bound(self.libc.malloc_trim, 0)  # a ctypes call releases the GIL


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library('c')
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, 'malloc_trim') else None
