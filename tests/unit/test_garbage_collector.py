"""The portal's garbage-collector tuning (pages/shell/clients.py), in a fresh interpreter of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, weakref
import app  # the portal's modules, as a started portal holds them
from pages.shell.clients import YOUNG_THRESHOLD, tune_garbage_collector

class Node:
    pass

tune_garbage_collector()
frozen = gc.get_freeze_count()
first, second = Node(), Node()
first.other, second.other = second, first  # a reference cycle made after the tuning
gone = weakref.ref(first)
del first, second
gc.collect()
print(json.dumps({'frozen': frozen, 'threshold': gc.get_threshold(), 'young': YOUNG_THRESHOLD,
                  'cycle_freed': gone() is None}))
"""


def test_tuning_freezes_what_exists_and_still_frees_new_cycles() -> None:
    done = subprocess.run([sys.executable, '-c', PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found['frozen'] > 10_000  # the modules' objects are out of every later collection
    assert found['threshold'][0] == found['young'] == 7000
    assert found['cycle_freed']  # garbage made later is collected as before
