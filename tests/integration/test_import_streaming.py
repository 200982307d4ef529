"""The streaming import of an OBIS CSV against the materialising one (SPEC §6): the same rows, count and warnings.

`pipeline._store_stream` (the parser's blocks, de-duplicated, normalised and stored a chunk at a time) and
`pipeline._store` of `parse_file`'s whole file run on the same database in transactions that are rolled back.
Whenever the streaming path finishes, it must leave exactly what the materialising path leaves; where it
cannot be exact it must say so (NotStreamable) or reject, and the pipeline then imports the file the
materialising way. Tiny chunks and blocks put every boundary inside the generated files. The same file read
from disk a few bytes at a time (reads that end inside lines, characters and XML tags) must stream into the
same outcome as its bytes, or give up where they give up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Connection

from services.core.system import System
from services.ingest import pipeline
from services.ingest.formats import ImportRejected, Limits, Notice, ParsedFile, parse_file
from services.ingest.formats.text import Content, NotStreamable, OnDisk
from tests.integration.ingest_helpers import HEADER, NOW, load, registry, snapshot

REGISTRY = registry(
    '7701;г. Тверь, ул. Мира, д. 1;Иванова А. А.;M-1;2;30;2026-01-01;690000000000001',
    '7702;г. Тверь, ул. Мира, д. 2;Петров Б. Б.;M-2;1;60;2026-01-01;690000000000002',
    '7703;г. Тверь, ул. Мира, д. 3;Сидоров В. В.;M-3;2;30;2026-01-01;690000000000003',
)
FIRST = datetime(2026, 3, 9, 21, 0, tzinfo=UTC)
LIMITS = Limits.around(NOW)
TABLES = {
    'interval_energy': 'meter_id, energy, start, wh, flags',
    'register_reading': 'meter_id, energy, zone, at, wh, flags',
    'energy_rollup': 'meter_id, energy, grain, start, zone, wh, present, estimated',
}


@pytest.fixture
def loaded(system: System) -> System:
    (report,) = load(system, ('registry.csv', REGISTRY))
    assert report.ok, report.message()
    return system


def interval(
    meter: str, energy: int, slot: int, half_hours: int, value: str, status: str, *, russian: bool = False
) -> str:
    start, end = FIRST + timedelta(minutes=30 * slot), FIRST + timedelta(minutes=30 * (slot + half_hours))
    unit = ('кВт·ч' if russian else 'kWh') if energy < 3 else ('квар·ч' if russian else 'kvarh')
    return f'{meter};1.0.{energy}.29.0.255;{start.isoformat()};{end.isoformat()};{value};{unit};{status}'


def register(meter: str, slot: int, value: str) -> str:
    return f'{meter};1.0.1.8.0.255;{(FIRST + timedelta(minutes=30 * slot)).isoformat()};;{value};kWh;'


def consecutive(meter: str, first: int, count: int, value: str) -> list[str]:
    """A run of half hours one after another, as a meter's file gives them."""
    return [interval(meter, 1, slot, 1, value, '') for slot in range(first, first + count)]


rows = st.one_of(
    st.builds(
        lambda *args, russian: [interval(*args, russian=russian)],
        st.sampled_from(['M-1', 'M-1', 'M-2', 'M-3']),
        st.sampled_from([1, 1, 1, 2]),
        st.integers(0, 12),
        st.sampled_from([1, 1, 1, 2, 3, 0]),
        st.sampled_from(['0,125', '1', '0,5', '2', '']),
        st.sampled_from(['', '', 'estimated', 'missing']),
        russian=st.sampled_from([False, False, True]),  # two-byte characters in UTF-8, one in windows-1251
    ),
    st.builds(  # a quoted row: the file is read by csv.reader
        lambda slot: [interval('"M-1"', 1, slot, 1, '"0,5"', '')], st.integers(0, 12)
    ),
    st.builds(consecutive, st.sampled_from(['M-1', 'M-3']), st.integers(0, 12), st.integers(1, 8), st.just('0,5')),
    st.builds(
        lambda *args: [register(*args)],
        st.sampled_from(['M-1', 'M-3']),
        st.integers(0, 3),
        st.sampled_from(['100', '200,5']),
    ),
    st.just(['']),
)


def outcome(conn: Connection, run: Any) -> tuple[object, ...]:
    """What `run(conn)` leaves in a transaction that is then rolled back: its count, warnings and table rows."""
    transaction = conn.begin()
    try:
        count, notices = run(conn)
        tables = tuple(
            tuple(conn.execute(text(f'SELECT {columns} FROM {table} ORDER BY {columns}')).all())
            for table, columns in TABLES.items()
        )
        return count, [notice.text('en') for notice in notices], tables
    finally:
        transaction.rollback()


def whole(conn: Connection, parsed: ParsedFile, system: System) -> tuple[int, list[Notice]]:
    """The materialising path's count and warnings, as the pipeline reports them."""
    count, notices = pipeline._store(conn, parsed, system=system, now=NOW)
    return count, parsed.warnings + notices


def both(
    system: System,
    data: bytes,
    *,
    chunk: int,
    block: int,
    name: str = 'd.csv',
    kind: str = 'obis_csv',
    disk: tuple[Path, int] | None = None,
) -> tuple[tuple[object, ...] | None, object]:
    """(streamed outcome or None when the stream gave up, materialising outcome or its rejection).

    With `disk` (a folder, a read size) the file is also streamed from disk, read that many bytes at a time,
    and that must give exactly what streaming its bytes gives.
    """

    def stream(conn: Connection, content: Content) -> tuple[object, ...] | None:
        try:
            return outcome(
                conn,
                lambda c: pipeline._store_stream(
                    c,
                    name,
                    content,
                    kind,
                    system=system,
                    meter=None,
                    limits=LIMITS,
                    now=NOW,
                    chunk=chunk,
                    block=block,
                ),
            )
        except (NotStreamable, ImportRejected):
            return None

    with system.engine.connect() as conn:
        streamed = stream(conn, data)
        if disk is not None:
            folder, read = disk
            (folder / name).write_bytes(data)
            assert stream(conn, OnDisk(folder / name, block=read)) == streamed
        try:
            parsed = parse_file(name, data, tz=system.settings.tz, limits=LIMITS)
            exact: object = outcome(conn, lambda c: whole(c, parsed, system))
        except ImportRejected as error:
            exact = str(error)
    return streamed, exact


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    groups=st.lists(rows, max_size=20),
    chunk=st.integers(1, 8),
    block=st.integers(1, 5),
    read=st.sampled_from([1, 2, 3, 5, 17, 64, 1 << 20]),
    encoding=st.sampled_from(['utf-8', 'utf-8', 'utf-8-sig', 'cp1251']),
)
def test_whatever_the_stream_stores_is_what_the_whole_file_path_stores(
    loaded: System, tmp_path: Path, groups: list[list[str]], chunk: int, block: int, read: int, encoding: str
) -> None:
    data = '\n'.join([HEADER, *(line for group in groups for line in group), '']).encode(encoding)
    streamed, exact = both(loaded, data, chunk=chunk, block=block, disk=(tmp_path, read))
    event('streamed' if streamed is not None else 'left to the whole-file path')
    if streamed is not None:
        assert streamed == exact


def test_values_given_again_across_chunks_stream_with_the_same_rows_count_and_warnings(loaded: System) -> None:
    lines = [interval('M-1', 1, slot, 1, '0,125', '') for slot in range(6)]
    lines += [interval('M-3', 1, slot, 1, '1', '') for slot in range(4)]
    lines += [
        interval('M-1', 1, 2, 1, '0,5', ''),  # replaces a value of an earlier chunk
        interval('M-1', 1, 3, 1, '', 'missing'),  # does not replace a real one
        interval('M-3', 1, 8, 1, '', 'missing'),
        interval('M-3', 1, 8, 1, '2', ''),  # replaces a missing one
        interval('M-2', 1, 0, 4, '2', 'estimated'),  # two hours over a one-hour profile: spread
        interval('M-1', 1, 3, 1, '0,5', ''),
        interval('M-1', 1, 3, 1, '1', ''),  # replaces one of this chunk
    ]
    data = '\n'.join([HEADER, *lines, '']).encode()
    streamed, exact = both(loaded, data, chunk=4, block=3)
    assert streamed is not None and streamed == exact
    count, warnings, _ = streamed
    assert count == 6 + 4 + 1 + 2
    assert len(warnings) == 6  # five values given again, one spread


def test_a_spread_value_of_a_meter_stored_in_an_earlier_chunk_is_left_to_the_whole_file_path(
    loaded: System,
) -> None:
    lines = [interval('M-1', 1, slot, 1, '0,125', '') for slot in range(4)]
    lines += [interval('M-3', 1, slot, 1, '1', '') for slot in range(4)]
    lines += [interval('M-1', 1, 0, 2, '1', '')]  # collides with rows already stored
    data = '\n'.join([HEADER, *lines, '']).encode()
    streamed, exact = both(loaded, data, chunk=4, block=2)
    assert streamed is None and isinstance(exact, tuple)
    (report,) = load(loaded, ('d.csv', data))  # the pipeline imports it the materialising way
    assert report.ok and report.rows == exact[0] and list(report.warnings) == exact[1]


def period(slot: int, half_hours: int, value: str | None) -> str:
    start, end = slot * 30, (slot + half_hours) * 30
    content = '<value status="1"></value>' if value is None else f'<value>{value}</value>'
    return f'<period start="{start // 60:02d}{start % 60:02d}" end="{end // 60:02d}{end % 60:02d}">{content}</period>'


def message(points: list[tuple[str, str, list[str]]], *, day_first: bool = True, encoding: str = '') -> bytes:
    """An 80020 document of 10 March 2026: (point code, channel, its periods) in document order.

    With `encoding` it declares it and is written in it (its names in Russian); without, it is UTF-8.
    """
    day = '<datetime><day>20260310</day></datetime>'
    body = ''.join(
        f'<measuringpoint code="{code}" name="Кв. {n}"><measuringchannel code="{channel}">{"".join(periods)}'
        '</measuringchannel></measuringpoint>'
        for n, (code, channel, periods) in enumerate(points)
    )
    area = f'<area><inn>1</inn><name>Тверь</name>{body}</area>'
    document = f'<message class="80020">{day + area if day_first else area + day}</message>'
    if not encoding:
        return document.encode()
    return f'<?xml version="1.0" encoding="{encoding}"?>\n{document}'.encode(encoding)


points = st.lists(
    st.tuples(
        st.sampled_from(['690000000000001', '690000000000003']),  # half-hour profiles
        st.sampled_from(['01', '01', '03']),
        st.lists(
            st.builds(period, st.integers(0, 8), st.sampled_from([1, 1, 2, 3]), st.sampled_from(['0.5', '1', None])),
            max_size=6,
        ),
    ),
    max_size=6,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    points=points,
    chunk=st.sampled_from([1, 2, 5, 1000]),
    day_first=st.sampled_from([True, True, True, False]),
    read=st.sampled_from([1, 2, 7, 64, 1 << 20]),
    encoding=st.sampled_from(['', '', 'windows-1251', 'UTF-8']),
)
@example(  # a collision of spread shares settled in the first chunk, a spread in the second
    points=[
        ('690000000000001', '01', [period(4, 2, '0.5'), period(5, 1, '0.5')]),
        ('690000000000003', '01', [period(0, 3, '0.5')]),
    ],
    chunk=1,
    day_first=True,
    read=1,
    encoding='',
)
def test_an_80020_document_streams_into_what_the_whole_document_path_stores(
    loaded: System,
    tmp_path: Path,
    points: list[tuple[str, str, list[str]]],
    chunk: int,
    day_first: bool,
    read: int,
    encoding: str,
) -> None:
    data = message(points, day_first=day_first, encoding=encoding)
    streamed, exact = both(loaded, data, chunk=chunk, block=1, name='m.xml', kind='xml80020', disk=(tmp_path, read))
    event('streamed' if streamed is not None else 'left to the whole-document path')
    if streamed is not None:
        assert streamed == exact


def test_an_80020_document_streams_point_by_point(loaded: System) -> None:
    data = message([
        ('690000000000001', '01', [period(0, 1, '0.5'), period(1, 1, '1'), period(0, 1, '2')]),
        ('690000000000003', '01', [period(0, 2, '1')]),
        ('690000000000002', '03', [period(0, 2, '1'), period(2, 2, None)]),
    ])  # fmt: skip
    streamed, exact = both(loaded, data, chunk=1, block=1, name='m.xml', kind='xml80020')
    assert streamed is not None and streamed == exact
    count, warnings, _ = streamed
    assert count == 2 + 2 + 1 and len(warnings) == 2  # given again; spread over two half hours


IMPORT_LOG = 'file_name, format, source, status, message, rows, warnings, message_code, warning_codes'
DATA_TABLES = ('energy_rollup', 'interval_energy', 'register_reading', 'instant_value', 'meter_event')


def stored(system: System) -> tuple[dict[str, list[tuple[object, ...]]], list[tuple[object, ...]]]:
    """What the imports left: every data table, and the import log without its times."""
    with system.engine.connect() as conn:
        log = [tuple(r) for r in conn.execute(text(f'SELECT {IMPORT_LOG} FROM import_log ORDER BY id'))]
    return snapshot(system), log


def forget(system: System) -> None:
    """Empty what an import of meter data writes, the registry stays."""
    with system.engine.begin() as conn:
        for table in (*DATA_TABLES, 'import_log'):
            conn.execute(text(f'DELETE FROM {table}'))


def big_csv() -> bytes:
    """About 1.1 MB of OBIS CSV: a megabyte read ends inside a line; values given again, spread, a register."""
    lines = [
        interval(meter, energy, slot, 1, f'0,{slot % 900 + 100}', '')
        for slot in range(1500)
        for meter in ('M-1', 'M-3')
        for energy in (1, 2, 3, 4)
    ]
    lines += [interval('M-2', 1, slot, 2, '1', 'estimated', russian=True) for slot in range(0, 1700, 2)]
    lines += [interval('M-1', 1, 5, 1, '0,5', ''), interval('M-3', 1, 7, 1, '', 'missing'), register('M-1', 0, '100')]
    lines += [interval(meter, 1, slot, 1, '1', '') for slot in range(1500, 1700) for meter in ('M-1', 'M-3')]
    return '\n'.join([HEADER, *lines, '']).encode('cp1251')


@pytest.mark.parametrize('kind', ['csv', 'xml', 'greenbutton'])
def test_a_file_on_disk_imports_exactly_what_its_bytes_import(loaded: System, tmp_path: Path, kind: str) -> None:
    if kind == 'csv':
        name, data = 'big.csv', big_csv()
        assert len(data) > 1 << 20
    elif kind == 'greenbutton':
        name = 'g.xml'
        day = [reading_of(slot, 1, '500') for slot in range(48)]
        data = green_button([('M-1', 'A+', [[day], [[reading_of(3, 1, '2000')]]]), ('M-3', 'R-', [[day]])])
    else:
        name = 'm.xml'
        day = [period(slot, 1, '0.5') for slot in range(48)]
        points = [(code, '01', day) for code in ('690000000000001', '690000000000003')]
        data = message([*points, ('690000000000001', '01', [period(3, 1, '2')])], encoding='windows-1251')
    (tmp_path / name).write_bytes(data)
    forget(loaded)
    (from_disk,) = load(loaded, (name, tmp_path / name))  # type: ignore[arg-type]
    on_disk = stored(loaded)
    forget(loaded)
    (from_bytes,) = load(loaded, (name, data))
    assert from_disk.ok and from_disk == from_bytes
    assert from_disk.rows > 0 and from_disk.warnings  # values given again, spread
    assert stored(loaded) == on_disk
    assert on_disk[0]['interval_energy'] and on_disk[0]['energy_rollup']


def test_a_bad_last_line_of_a_file_on_disk_stores_nothing_and_names_the_line(loaded: System, tmp_path: Path) -> None:
    lines = [interval(meter, 1, slot, 1, '0,125', '') for slot in range(300) for meter in ('M-1', 'M-3')]
    data = '\n'.join([HEADER, *lines, 'M-1;1.0.1.29.0.255;вчера;завтра;1;kWh;', '']).encode()
    (tmp_path / 'bad.csv').write_bytes(data)
    before = snapshot(loaded)
    for read in (5, 1 << 20):  # a few bytes at a time, and the default read
        (report,) = load(loaded, ('bad.csv', OnDisk(tmp_path / 'bad.csv', block=read)))  # type: ignore[arg-type]
        assert not report.ok
        assert report.message() == f"bad.csv: line {len(lines) + 2}: start 'вчера' is not an ISO 8601 timestamp"
        assert snapshot(loaded) == before
    (from_bytes,) = load(loaded, ('bad.csv', data))
    assert from_bytes.message() == report.message() and from_bytes.message('ru') == report.message('ru')
    with loaded.engine.connect() as conn:
        logged = conn.execute(text("SELECT status, message FROM import_log WHERE file_name = 'bad.csv'")).all()
    assert [tuple(row) for row in logged] == [('rejected', report.message())] * 3


@pytest.mark.parametrize(
    ('first', 'reason'),
    [
        (interval('M-9', 1, 0, 1, '1', ''), 'unknown meter M-9 (not in the registry)'),
        (
            interval('M-1', 1, 5000, 1, '1', ''),
            'time 2026-06-22 01:30 UTC is outside the accepted',
        ),  # after the window's end
    ],
)
def test_a_rejected_file_too_big_to_parse_whole_keeps_the_rejection_its_stream_met(
    loaded: System, tmp_path: Path, first: str, reason: str
) -> None:
    """The whole-file parse names the first bad line, but holds about 1 KiB per value: a file over the threshold
    is rejected with the error its stream met in its first block and is never parsed whole."""
    good = [interval(m, e, slot, 1, '0,125', '') for slot in range(1200) for m in ('M-1', 'M-3') for e in (1, 2, 3, 4)]
    head = '\n'.join([HEADER, first, *good, '']).encode()
    padding = b'not a row\n' * (pipeline.REJECT_WITHOUT_REPARSE_BYTES // 10 + 1)
    before = snapshot(loaded)
    (tmp_path / 'small.csv').write_bytes(head + b'not a row\n')
    (tmp_path / 'big.csv').write_bytes(head + padding)
    assert (tmp_path / 'big.csv').stat().st_size > pipeline.REJECT_WITHOUT_REPARSE_BYTES
    files = [('small.csv', tmp_path / 'small.csv'), ('big.csv', tmp_path / 'big.csv')]
    small, big = load(loaded, *files)  # type: ignore[arg-type]
    assert small.message().startswith(f"small.csv: line {len(good) + 3}: OBIS code '' is not written as")
    assert big.message().startswith(f'big.csv: line 2: {reason}')
    assert snapshot(loaded) == before


ESPI = 'http://naesb.org/espi'
READING_TYPES = {'A+': ('72', '1'), 'R-': ('73', '19'), 'demand': ('38', '1')}  # (uom, flowDirection)


def reading_of(slot: int, half_hours: int, value: str | None, quality: str = '') -> str:
    """A Green Button IntervalReading of `half_hours` from FIRST + `slot` half hours; None: no value (missing)."""
    start = int((FIRST + timedelta(minutes=30 * slot)).timestamp())
    period = f'<timePeriod><duration>{1800 * half_hours}</duration><start>{start}</start></timePeriod>'
    written = '' if value is None else f'<value>{value}</value>'
    rated = f'<ReadingQuality><quality>{quality}</quality></ReadingQuality>' if quality else ''
    return f'<IntervalReading>{period}{written}{rated}</IntervalReading>'


def green_button(usage_points: list[tuple[str, str, list[list[list[str]]]]], shuffle: Any = None) -> bytes:
    """A feed: (UsagePoint title, its reading type, its IntervalBlock entries, each of IntervalBlocks of readings).

    Every UsagePoint has one MeterReading; the entries are linked by href, and `shuffle` (a Random) mixes them.
    """
    entries = []
    for n, (title, kind, blocks) in enumerate(usage_points, start=1):
        up, (uom, flow) = f'http://x/UsagePoint/{n}', READING_TYPES[kind]
        entries += [
            f'<entry><link rel="self" href="{up}"/><link rel="related" href="{up}/MeterReading"/><title>{title}</title>'
            f'<content><UsagePoint xmlns="{ESPI}"/></content></entry>',
            f'<entry><link rel="self" href="http://x/ReadingType/{n}"/><content><ReadingType xmlns="{ESPI}">'
            f'<uom>{uom}</uom><flowDirection>{flow}</flowDirection><intervalLength>1800</intervalLength>'
            '</ReadingType></content></entry>',
            f'<entry><link rel="self" href="{up}/MeterReading/1"/><link rel="up" href="{up}/MeterReading"/>'
            f'<link rel="related" href="{up}/MeterReading/1/IntervalBlock"/>'
            f'<link rel="related" href="http://x/ReadingType/{n}"/><content><MeterReading xmlns="{ESPI}"/></content>'
            '</entry>',
        ]
        entries += [
            f'<entry><link rel="self" href="{up}/MeterReading/1/IntervalBlock/{b}"/>'
            f'<link rel="up" href="{up}/MeterReading/1/IntervalBlock"/><content>'
            + ''.join(f'<IntervalBlock xmlns="{ESPI}">{"".join(readings)}</IntervalBlock>' for readings in block)
            + '</content></entry>'
            for b, block in enumerate(blocks, start=1)
        ]
    if shuffle is not None:
        shuffle.shuffle(entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">{"".join(entries)}</feed>'.encode()


interval_blocks = st.lists(  # an IntervalBlock entry: one or two IntervalBlocks of readings
    st.lists(
        st.lists(
            st.builds(
                reading_of,
                st.integers(0, 8),
                st.sampled_from([1, 1, 1, 2, 0]),  # two half hours are spread; none is a zero-length reading
                st.sampled_from(['500', '1250', None]),
                st.sampled_from(['', '', '8']),  # 8: estimated
            ),
            max_size=5,
        ),
        min_size=1,
        max_size=2,
    ),
    max_size=3,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    usage_points=st.lists(
        st.tuples(
            st.sampled_from(['M-1', 'M-3', 'M-1', 'M-3', 'M-2']),
            st.sampled_from(['A+', 'A+', 'R-', 'demand']),
            interval_blocks,
        ),
        min_size=1,
        max_size=3,
    ),
    shuffle=st.randoms(use_true_random=False),
    chunk=st.sampled_from([1, 2, 5, 1000]),
    block=st.sampled_from([1, 3, 8192]),
    read=st.sampled_from([1, 7, 64, 1 << 20]),
)
def test_a_green_button_feed_streams_into_what_the_whole_feed_path_stores(
    loaded: System,
    tmp_path: Path,
    usage_points: list[tuple[str, str, list[list[list[str]]]]],
    shuffle: Any,
    chunk: int,
    block: int,
    read: int,
) -> None:
    data = green_button(usage_points, shuffle)
    streamed, exact = both(
        loaded, data, chunk=chunk, block=block, name='g.xml', kind='greenbutton', disk=(tmp_path, read)
    )
    event('streamed' if streamed is not None else 'left to the whole-feed path')
    if streamed is not None:
        assert streamed == exact


def test_a_green_button_feed_in_any_entry_order_streams_with_its_warnings(loaded: System) -> None:
    import random

    day = [reading_of(slot, 1, str(100 + slot)) for slot in range(6)]
    data = green_button(
        [
            ('M-1', 'A+', [[day, [reading_of(2, 1, '7', '8'), reading_of(6, 0, '1')]]]),  # again; a zero-length one
            ('M-3', 'R-', [[day[:3]], [[reading_of(3, 2, '1000'), reading_of(5, 1, None)]]]),  # spread; missing
            ('M-3', 'demand', [[day]]),  # not energy: a warning, nothing stored
        ],
        random.Random(7),
    )
    streamed, exact = both(loaded, data, chunk=2, block=1, name='g.xml', kind='greenbutton')
    assert streamed is not None and streamed == exact
    count, warnings, (intervals, _, rollups) = streamed
    assert count == 6 + 3 + 2  # M-1's six half hours (one given again), M-3's three, then two spread shares
    assert len(warnings) == 4  # the demand reading, the zero-length reading, the value given again, the spread
    assert len(intervals) == 11 and rollups


def test_the_pipeline_streams_a_green_button_feed(loaded: System) -> None:
    data = green_button([('M-1', 'A+', [[[reading_of(slot, 1, '500') for slot in range(48)]]])])
    report = pipeline._streaming(
        system=loaded, name='g.xml', data=data, now=NOW, meter=None, source='cli', user_id=None, unchanged=None,
        limits=LIMITS, started=NOW,
    )  # fmt: skip
    assert report is not None and report.ok and report.rows == 48  # None: left to the whole-feed path
