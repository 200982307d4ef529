"""`app.py import PATH... [--meter SERIAL]` (SPEC §8): one line per file; exit 0 only when every file imported."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.core.settings import Settings
from services.core.system import build_system
from services.ingest import import_files


def run(args: argparse.Namespace, settings: Settings) -> int:
    files = list(expand(args.paths))
    missing = [path for path in args.paths if not Path(path).exists()]
    for path in missing:
        print(f'{path}: no such file or folder', file=sys.stderr)
    if not files:
        print('import: no files to import', file=sys.stderr)
        return 1
    system = build_system(settings)
    ok = not missing
    for path in files:
        try:  # the import reads the file from disk a block at a time: a big file never sits in memory
            path.open('rb').close()
        except OSError as error:
            print(f'{path.name}: cannot be read ({error.strerror})')
            ok = False
            continue
        # Any failure of the file (also an unexpected one, logged with a reference) is its rejection line.
        (report,) = import_files(
            system=system, files=[(path.name, path)], source='cli', meter=args.meter, now=system.now()
        )
        print(report.message())
        for warning in report.warnings:
            print(f'  warning: {warning}')
        ok = ok and report.ok
    return 0 if ok else 1


def expand(paths: list[str]) -> list[Path]:
    """The files named, and every file inside the folders named (walked in sorted order, hidden ones skipped)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.rglob('*') if p.is_file() and not _hidden(p.relative_to(path)))
        elif path.is_file():
            found.append(path)
    return found


def _hidden(relative: Path) -> bool:
    return any(part.startswith('.') for part in relative.parts)
