"""Browser tabs that are gone give their server memory back promptly (O10, many residents at once).

NiceGUI deletes a page that disconnected after the reconnect timeout (20 s here, for phones) and one fetched
but never connected after 60 s (not sooner: in a rush the builds queue, and a page pruned before its browser
connects reloads). When many tabs have gone, the memory they held is handed back to the operating system: glibc
keeps freed memory otherwise, and the process would stay at its peak after every rush hour.

The cyclic garbage collector is tuned for a rush too. What exists once the portal has started (modules, classes,
routes: about 200,000 objects) lives as long as the process, so it is frozen out of every later collection; and
the youngest generation is collected every 7,000 new objects instead of 700. A full collection of a process with
200 open tabs took about 190 ms, four times in a rush of 200 pages; with both, collections cost a quarter of
what they did (README «Many residents at once»).
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
YOUNG_THRESHOLD = 7000  # new container objects between collections of the youngest generation (Python: 700)


def install(*, tune_collector: bool = True) -> None:
    """Free gone tabs' memory; `tune_collector` (not for a portal started again and again in one test process,
    where frozen objects would never be freed) tunes the garbage collector once the portal has started."""
    watcher = _Watcher()
    app.on_startup(lambda: app.timer(CHECK_SECONDS, watcher.check))
    if tune_collector:
        app.on_startup(tune_garbage_collector)


def tune_garbage_collector() -> None:
    """Leave what exists now out of every later collection, and collect the youngest generation less often."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)


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
