"""No cyclic garbage collection while a file is imported (see `gc_paused`)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is imported.

    A big file allocates millions of small objects that all stay alive until the file is stored; the
    collector would walk them again and again (a third of the import time) and find nothing to free.
    Reference counting still frees everything. Nested and concurrent imports share one pause.
    """
    global _paused
    with _pause_lock:
        if _paused == 0 and gc.isenabled():
            gc.disable()
            _paused = 1
        elif _paused:
            _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            if _paused:
                _paused -= 1
                if _paused == 0:
                    gc.enable()


_pause_lock = threading.Lock()
_paused = 0
