"""Counters of one portal process, rendered in Prometheus' text format for GET /metrics (O10).

Counters live in the process: Prometheus scrapes each portal process and sums them. Values read from the
database (the outbox backlog) are added by the endpoint at scrape time.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

HELP = {
    'kabinet_imports_total': ('counter', 'Files imported, by source and outcome (imported, rejected).'),
    'kabinet_job_runs_total': ('counter', 'Background job runs by this process, by job and outcome.'),
    'kabinet_job_duration_seconds_sum': ('counter', 'Seconds spent in background job runs, by job.'),
    'kabinet_job_duration_seconds_count': ('counter', 'Background job runs timed, by job.'),
    'kabinet_jobs_leader': ('gauge', '1 when this process runs the background jobs, 0 when it stands by.'),
    'kabinet_outbox_backlog': ('gauge', 'Emails waiting to be sent.'),
    'kabinet_connected_clients': ('gauge', 'Browser tabs connected to this process.'),
}

Labels = tuple[tuple[str, str], ...]


@dataclass
class Registry:
    values: dict[str, dict[Labels, float]] = field(default_factory=lambda: defaultdict(dict))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, amount: float = 1, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self.lock:
            series = self.values[name]
            series[key] = series.get(key, 0) + amount

    def set(self, name: str, value: float, **labels: str) -> None:
        with self.lock:
            self.values[name][tuple(sorted(labels.items()))] = value

    def render(self, extra: dict[str, float] | None = None) -> str:
        """The text exposition format 0.0.4: HELP and TYPE lines, then one line per labelled value."""
        with self.lock:
            snapshot = {name: dict(series) for name, series in self.values.items()}
        for name, value in (extra or {}).items():
            snapshot[name] = {(): value}
        lines: list[str] = []
        for name in sorted(snapshot):
            kind, text = HELP.get(name, ('untyped', name))
            lines += [f'# HELP {name} {text}', f'# TYPE {name} {kind}']
            for labels, value in sorted(snapshot[name].items()):
                lines.append(f'{name}{_labels(labels)} {_number(value)}')
        return '\n'.join(lines) + '\n'


def _labels(labels: Labels) -> str:
    if not labels:
        return ''
    inner = ','.join(f'{k}="{_escape(v)}"' for k, v in labels)
    return '{' + inner + '}'


def _escape(value: str) -> str:
    return value.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


METRICS = Registry()  # the one registry of this process
