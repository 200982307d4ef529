"""Counting the SQL statements a piece of work sends to the database, as the driver sees them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def statements_sent(*, by: str = 'pages') -> Iterator[list[str]]:
    """The statements any engine executes inside the block (any thread), in order, when code of the project's
    package `by` is on the caller's stack: a page's work counts, a scheduled job running meanwhile does not."""
    folder = str(ROOT / by) + '/'
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        frame = sys._getframe(1)
        while frame is not None and not frame.f_code.co_filename.startswith(folder):
            frame = frame.f_back
        if frame is not None:
            sent.append(' '.join(statement.split()))

    event.listen(Engine, 'before_cursor_execute', record)
    try:
        yield sent
    finally:
        event.remove(Engine, 'before_cursor_execute', record)
