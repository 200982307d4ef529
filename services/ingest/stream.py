"""Streaming storage of interval values (SPEC §6): de-duplicate, normalise and upsert a chunk at a time.

The parser gives interval values as tuples in blocks (`stream_obis_csv`, `stream_xml80020`, `stream_greenbutton`
of `formats`); this module keeps only what the whole file needs — the meters seen, the runs of interval starts per
(meter, energy) for the in-file de-duplication (a few numbers per meter), the keys of missing values — and stores
rows in chunks of about `CHUNK` inside the caller's one transaction, so memory no longer grows with the file.

It gives the same rows, count, warnings and notes as the materialising path (`parse_file`, then
`store.upsert_intervals`) for every file it accepts. What it cannot reproduce exactly raises NotStreamable,
and the caller imports the file the materialising way instead:

- a value given again that replaces an earlier real value, when either is spread over profile intervals (the
  earlier one's shares may already be stored) or its meter has spread values anywhere;
- spread values of a meter whose rows are split over chunks (collisions of shares settle within a chunk);
- a value outside the limits, an unknown meter, an interval that is not whole profiles: the caller's
  materialising pass names the same error the materialising path always named (the first in its order).

A later value of the same (meter, energy, start) wins as in `parse_file`: rows are upserted in file order,
and within a chunk the earlier row of a replaced value is dropped before the rows are sorted.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from models import ENERGY_CODES, ESTIMATED
from services.core.messages import Reason
from services.ingest import store
from services.ingest.formats import ImportRejected, IntervalValue, Limits, Notice
from services.ingest.formats.limits import MAX_INTERVAL_WH, MAX_POWER_W, QUICK_WH, outside_window
from services.ingest.formats.obis_csv import Interval
from services.ingest.formats.text import NotStreamable, clip
from services.ingest.normalise import MeterRef, Notes, Row, _later_wins, spread, touched_days

CHUNK = store.CHUNK
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Starts:
    """The interval starts of one (meter, energy) seen so far, as runs `first, first + step, …, last`.

    A meter's values come one profile step after another, so a year of half hours is usually one run: the
    memory of the de-duplication does not grow with the file. A start out of order goes into a set.
    """

    __slots__ = ('expected', 'extra', 'firsts', 'lasts')

    def __init__(self) -> None:
        self.firsts = array('q')
        self.lasts = array('q')  # the last run's end is `expected - step` until `seen` writes it
        self.expected: int | None = None  # the start that continues the last run
        self.extra: set[int] | None = None

    def seen(self, start: int, step: int) -> bool:
        """Whether `start` (which does not continue the last run) was seen before; it is remembered now."""
        firsts, lasts = self.firsts, self.lasts
        if self.expected is not None:
            lasts[-1] = self.expected - step
        if not lasts or start > lasts[-1]:
            firsts.append(start)
            lasts.append(start)
            self.expected = start + step
            return False
        run = bisect.bisect_right(firsts, start) - 1
        if run >= 0 and start <= lasts[run] and (start - firsts[run]) % step == 0:
            return True
        if self.extra is None:
            self.extra = set()
        elif start in self.extra:
            return True
        self.extra.add(start)
        return False


class StreamStore:
    """One file's interval values stored as they come; `feed` the blocks, then `finish`."""

    def __init__(
        self,
        conn: Connection,
        file: str,
        *,
        lookup: Callable[[set[str]], dict[str, MeterRef]],
        notes: Notes,
        tz: ZoneInfo,
        limits: Limits | None,
        chunk: int = CHUNK,
        by_point: bool = False,
    ) -> None:
        self.chunk = chunk
        self.by_point = by_point  # the values name measuring points (80020), not meter serials
        self.conn, self.file, self.lookup, self.notes, self.tz = conn, file, lookup, notes, tz
        self.lowest = limits.earliest.timestamp() if limits else float('-inf')
        self.highest = limits.latest.timestamp() if limits else float('inf')
        self.limits = limits
        self.refs: dict[str, MeterRef] = {}
        self.starts: dict[tuple[str, str], _Starts] = {}
        self.missing: set[tuple[str, str, int]] = set()  # keys whose kept value is missing
        self.again: list[Notice] = []  # the warnings of values given again, in file order
        self.flushed: set[int] = set()  # meters with rows in a stored chunk
        self.spreading: set[int] = set()  # meters with a value spread over profile intervals
        self.replaced: set[int] = set()  # meters with a real value replaced by a later real one
        self.rows: list[Row] = []
        self.chunk_meters: set[int] = set()
        self.replacements = 0  # in this chunk
        self.spread_any = False  # in this chunk
        self.count = 0
        self.touched: dict[tuple[int, int], set[date]] = {}

    def feed(self, blocks: Iterable[list[Interval]]) -> None:  # noqa: PLR0915 - one loop over millions of values
        """Store every value of `blocks` (file order); NotStreamable as the module says."""
        lowest, highest, quick, codes, estimated_flag = self.lowest, self.highest, QUICK_WH, ENERGY_CODES, ESTIMATED
        refs, all_starts = self.refs, self.starts
        rows = self.rows
        append = rows.append
        name_now: str | None = None
        energy_now: str | None = None
        meter_id = step = code = 0
        starts = _Starts()
        expected: int | None = None
        for block in blocks:
            self._resolve(block)
            for value in block:
                _, name, energy, start, end, wh, estimated = value
                if start < lowest or end > highest:
                    raise NotStreamable(self.file, self._outside(value))
                if name != name_now or energy != energy_now:
                    starts.expected = expected
                    if name != name_now:
                        meter_id = refs[name].id
                        if len(self.rows) >= self.chunk:
                            self._flush()
                            rows = self.rows
                            append = rows.append
                        if meter_id in self.flushed and meter_id in self.spreading:
                            raise NotStreamable(self.file)
                        self.chunk_meters.add(meter_id)
                        step = refs[name].profile_minutes * 60
                        name_now = name
                    energy_now, code = energy, codes[energy]
                    found = all_starts.get((name, energy))
                    if found is None:
                        found = all_starts[(name, energy)] = _Starts()
                    starts, expected = found, found.expected
                if start == expected:  # the next profile step of this meter: the common case
                    expected = start + step
                    if wh is None:
                        self.missing.add((name, energy, start))
                else:
                    starts.expected = expected
                    seen = starts.seen(start, step)
                    expected = starts.expected
                    if seen:
                        if not self._again(value, meter_id, step):
                            continue
                    elif wh is None:
                        self.missing.add((name, energy, start))
                if end - start == step:
                    if wh is not None:
                        if wh > quick:
                            _check_energy(self.file, value)
                        append((meter_id, code, start, wh, estimated_flag if estimated else 0))
                else:
                    self._spread(value, meter_id, code, step)
            if len(rows) >= 2 * self.chunk and meter_id not in self.spreading:  # one meter's long run
                self._flush()
                self.chunk_meters.add(meter_id)
                rows = self.rows
                append = rows.append
        starts.expected = expected

    def finish(self) -> tuple[int, dict[tuple[int, int], set[date]]]:
        """Store the last chunk; the rows stored and the touched local days per (meter, energy)."""
        self._flush()
        return self.count, self.touched

    def _resolve(self, block: list[Interval]) -> None:
        names = {value[1] for value in block} - self.refs.keys()
        if names:
            self.refs.update(self.lookup(names))
            if not names <= self.refs.keys():  # an unknown meter: the materialising pass names the first error
                raise NotStreamable(self.file, self._unknown(block))

    def _outside(self, value: Interval) -> ImportRejected | None:
        """The rejection of a value outside the plausible time window (the limits' own words)."""
        if self.limits is None:
            return None
        place, _, _, start, end, _, _ = value
        moment = _EPOCH + timedelta(seconds=start if start < self.lowest else end)
        return self._at(place, outside_window(moment, self.limits))

    def _unknown(self, block: list[Interval]) -> ImportRejected:
        """The rejection at the first value of `block` whose meter (CSV, Green Button) or measuring point (80020) is
        unknown."""
        place, name = next((value[0], value[1]) for value in block if value[1] not in self.refs)
        if self.by_point:
            return self._at(place, Reason('unknown_point', code=clip(name)))
        return self._at(place, Reason('unknown_meter', serial=clip(name)))

    def _at(self, place: int | str, reason: Reason) -> ImportRejected:
        """The file's rejection at a CSV line (a number) or an XML element (its path)."""
        if isinstance(place, int):
            return ImportRejected(self.file, reason, line=place)
        return ImportRejected(self.file, reason, element=place)

    def _again(self, value: Interval, meter_id: int, step: int) -> bool:
        """The warning of a value given again; whether it goes on to be stored (the later value wins)."""
        place, name, energy, start, end, wh, _ = value
        key = (name, energy, start)
        earlier_missing = key in self.missing
        at = f'{_EPOCH + timedelta(seconds=start):%Y-%m-%d %H:%M}'
        dropped = wh is None and not earlier_missing  # a missing value never replaces a real one
        if dropped:
            reason = Reason('interval_again_missing', energy=energy, at=at)
        else:
            reason = Reason('interval_again', energy=energy, at=at)
        if isinstance(place, int):
            self.again.append(Notice(self.file, reason, line=place))
        else:
            self.again.append(Notice(self.file, reason, element=place))
        if dropped:
            return False
        if wh is None:
            return True
        if earlier_missing:
            self.missing.discard(key)
            return True
        if meter_id in self.spreading or end - start != step:
            raise NotStreamable(self.file)
        self.replaced.add(meter_id)
        self.replacements += 1
        return True

    def _spread(self, value: Interval, meter_id: int, code: int, step: int) -> None:
        """A value longer than the profile spread over its intervals (as Normaliser._spread)."""
        place, name, energy, start, end, wh, estimated = value
        length = end - start
        if length <= 0 or length % step or meter_id in self.flushed or meter_id in self.replaced:
            raise NotStreamable(self.file)
        if wh is None:
            return
        if wh > QUICK_WH:
            _check_energy(self.file, value)
        self.spreading.add(meter_id)
        self.spread_any = True
        parts = length // step
        times = _EPOCH + timedelta(seconds=start), _EPOCH + timedelta(seconds=end)
        if isinstance(place, int):
            located = IntervalValue(place, f'line {place}', name, None, energy, *times, wh, estimated, False)
        else:
            located = IntervalValue(0, place, None, name, energy, *times, wh, estimated, False)
        self.notes.add(Reason('spread', minutes=length // 60, parts=parts, profile=step // 60), located)
        self.rows.extend(
            (meter_id, code, start + n * step, part, ESTIMATED) for n, part in enumerate(spread(wh, parts))
        )

    def _flush(self) -> None:
        rows = self.rows
        replaced_here = 0
        if self.replacements:  # the earlier row of a replaced value goes: the later one is in file order after it
            latest = {row[:3]: n for n, row in enumerate(rows) if row[0] in self.replaced}
            kept = [row for n, row in enumerate(rows) if row[0] not in self.replaced or latest[row[:3]] == n]
            replaced_here = len(rows) - len(kept)
            rows = kept
        if self.spread_any:
            rows = _later_wins(rows, self.notes)
        rows.sort()  # primary-key order: B-tree inserts in order are several times faster
        store.upsert(self.conn, 'interval_energy', rows)
        self.count += len(rows) - (self.replacements - replaced_here)  # a replaced row of an earlier chunk
        for key, days in touched_days(rows, self.tz).items():
            self.touched.setdefault(key, set()).update(days)
        self.flushed.update(self.chunk_meters)
        self.rows, self.chunk_meters, self.replacements, self.spread_any = [], set(), 0, False


def _check_energy(file: str, value: Interval) -> None:
    """A value above what 1,000 kW give over its interval (or what the column holds) is the limits' rejection."""
    _, _, _, start, end, wh, _ = value
    limit = min(MAX_INTERVAL_WH, int(MAX_POWER_W * (end - start) / 3600))
    if wh is not None and wh > limit:
        raise NotStreamable(file)
