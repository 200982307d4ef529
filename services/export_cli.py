"""`app.py export`: not available until the data pipeline lands."""

from __future__ import annotations

import argparse

from services.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    print('export: not available yet')
    return 2
