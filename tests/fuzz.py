"""`make fuzz`: mutants of a valid file of every import format through the importers, counted.

    python -m tests.fuzz [--mutants 20000] [--seed 1] [--store 20] [--keep DIR]

Each mutant gets 1..4 mutations (tests/fuzzing.py). A crash is anything but records or ImportRejected, or
records outside the plausible ranges; crashes are written to --keep (to be added to tests/fixtures/hostile)
and the exit status is 1. Every --store-th mutant also goes through the whole import on a SQLite database
(registry first), where it must end as a report, never an exception.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.fuzzing import NOW, SEEDS, Crash, mutate, outcome, random_mutations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m tests.fuzz', description=__doc__.split('\n')[0])
    parser.add_argument('--mutants', type=int, default=20_000, help='mutants per format (default 20000)')
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--store', type=int, default=20, help='every Nth mutant also through the database (0: none)')
    parser.add_argument('--keep', type=Path, default=Path(tempfile.gettempdir()) / 'kabinet-fuzz-crashes')
    args = parser.parse_args(argv)
    started = time.monotonic()
    crashes = 0
    store = _Store() if args.store else None
    for format_name, (name, seed) in SEEDS.items():
        rng = random.Random(f'{args.seed}-{format_name}')
        counts: Counter[str] = Counter()
        for number in range(args.mutants):
            data = mutate(seed, random_mutations(rng, rng.randint(1, 4)))
            meter = 'HOST-1' if rng.random() < 0.3 else None
            try:
                result = outcome(name, data, meter=meter)
            except Crash as crash:
                counts['crash'] += 1
                crashes += 1
                _keep(args.keep, format_name, number, data, crash)
                continue
            counts['rejected' if isinstance(result, Exception) else 'parsed'] += 1
            if store is not None and number % args.store == 0:
                counts[f'stored {store.run(name, data, meter)}'] += 1
        line = ', '.join(f'{key} {value}' for key, value in sorted(counts.items()))
        print(f'{format_name:12} {args.mutants} mutants: {line}', flush=True)
    print(f'{crashes} crash(es) in {time.monotonic() - started:.0f} s')
    return 1 if crashes else 0


def _keep(folder: Path, format_name: str, number: int, data: bytes, crash: Crash) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f'{format_name}-{number}.bin'
    path.write_bytes(data)
    print(f'CRASH {path}: {crash}', file=sys.stderr)


class _Store:
    """A SQLite database with the seed registry, for mutants through the whole pipeline."""

    def __init__(self) -> None:
        from services.core.db import make_engine, migrate
        from services.core.settings import Settings
        from services.core.system import System
        from services.ingest import import_files

        self.folder = tempfile.TemporaryDirectory(prefix='kabinet-fuzz-')
        url = f'sqlite:///{self.folder.name}/fuzz.db'
        settings = Settings(_env_file=None, database_url=url, mode='test', inbox_dir=self.folder.name)  # type: ignore[call-arg]
        engine = make_engine(url)
        migrate(engine)
        self.system = System(settings=settings, engine=engine)
        self.import_files = import_files
        self.run(*SEEDS['registry'][0:2], None)

    def run(self, name: str, data: bytes, meter: str | None) -> str:
        (report,) = self.import_files(system=self.system, files=[(name, data)], source='cli', now=NOW, meter=meter)
        if 'internal error' in report.message():
            raise SystemExit(f'internal error in the pipeline: {report.message()}')
        if report.error is not None and report.error.reason.code == 'database_refused':
            print(f'REFUSED BY THE DATABASE: {report.message()}', file=sys.stderr)
            return 'refused by the database'
        return report.status


if __name__ == '__main__':
    raise SystemExit(main())
