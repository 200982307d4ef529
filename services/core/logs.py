"""Log lines as text for a terminal, or one JSON object a line (KABINET_LOG_FORMAT=json) for log shippers."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT_FORMAT = '%(asctime)s %(levelname)s %(name)s: %(message)s'


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message"[, "error"]}`: time in UTC, ISO 8601 with milliseconds."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            'time': datetime.fromtimestamp(record.created, UTC).isoformat(timespec='milliseconds'),
            'level': record.levelname,
            'logger': record.name,
            'message': record.getMessage(),
        }
        if record.exc_info:
            entry['error'] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(log_format: str = 'text') -> None:
    """The root logger's format; every handler it has gets the same formatter."""
    logging.basicConfig(level=logging.INFO, format=TEXT_FORMAT)
    formatter = JsonFormatter() if log_format == 'json' else logging.Formatter(TEXT_FORMAT)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
