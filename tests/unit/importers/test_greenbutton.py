"""Green Button ESPI (SPEC 6.4), on the two public OpenESPI sample files and on small hand-made feeds."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.ingest.formats.greenbutton import (
    _Entry,
    _Hrefs,
    _is_child,
    _Parents,
    _reading_texts,
    _same,
    _text,
    parse_greenbutton,
)
from services.ingest.formats.records import ImportRejected

SAMPLES = Path(__file__).parents[2] / 'fixtures' / 'greenbutton'
ATOM = 'http://www.w3.org/2005/Atom'


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_the_daily_sample_has_45_days_of_a_plus_for_the_usage_point_title() -> None:
    intervals = parse_greenbutton('1dayLP_45Days.xml', sample('1dayLP_45Days.xml')).intervals
    assert len(intervals) == 45
    first = intervals[0]
    assert (first.meter, first.energy, first.wh) == ('my house', 'A+', 57751)  # value 57751 x 10^0 Wh (uom 72)
    assert first.start == datetime(2012, 3, 1, 5, tzinfo=UTC)  # start 1330578000
    assert first.end - first.start == timedelta(days=1)  # duration 86400
    assert sum(v.wh or 0 for v in intervals) == 2958004


def test_the_hourly_sample_has_744_hours_of_january() -> None:
    parsed = parse_greenbutton('hourlyForMonthJan.xml', sample('hourlyForMonthJan.xml'))
    assert len(parsed.intervals) == 744  # 31 days x 24 h, from 31 IntervalBlocks in one entry
    first = parsed.intervals[0]
    assert (first.meter, first.start, first.wh) == ('a galaxy far, far away', datetime(2011, 1, 1, 5, tzinfo=UTC), 944)
    assert parsed.intervals[-1].start == datetime(2011, 2, 1, 4, tzinfo=UTC)  # 1 Jan 05:00 + 743 h
    assert parsed.warnings == []


def test_a_given_meter_wins_over_the_usage_point_title() -> None:
    intervals = parse_greenbutton('f.xml', sample('1dayLP_45Days.xml'), meter='SN42').intervals
    assert {v.meter for v in intervals} == {'SN42'}


def test_entry_order_does_not_matter_only_links_do() -> None:
    ET.register_namespace('', ATOM)
    root = ET.fromstring(sample('hourlyForMonthJan.xml'))
    entries = root.findall(f'{{{ATOM}}}entry')
    for entry in entries:
        root.remove(entry)
    root.extend(reversed(entries))
    shuffled = parse_greenbutton('f.xml', ET.tostring(root)).intervals
    assert [(v.start, v.wh) for v in shuffled] == [
        (v.start, v.wh) for v in parse_greenbutton('f.xml', sample('hourlyForMonthJan.xml')).intervals
    ]


def feed(*, uom: str = '72', flow: str = '19', power: str = '-3', readings: str = '', title: str = 'SN7') -> bytes:
    """A small feed in shuffled order with padded numbers and a malformed published date."""
    return f"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom">
 <entry><link rel="self" href="http://x/RT/1"/><content><ReadingType xmlns="http://naesb.org/espi">
   <flowDirection> {flow} </flowDirection><powerOfTenMultiplier> {power} </powerOfTenMultiplier>
   <uom> {uom} </uom></ReadingType></content><published>yesterday-ish</published></entry>
 <entry><link rel="self" href="http://x/UP/1/MR/1/IB/1"/><link rel="up" href="http://x/UP/1/MR/1/IB"/>
   <content><IntervalBlock xmlns="http://naesb.org/espi">{readings}</IntervalBlock></content></entry>
 <entry><link rel="self" href="http://x/UP/1/MR/1"/><link rel="up" href="http://x/UP/1/MR"/>
   <link rel="related" href="http://x/UP/1/MR/1/IB"/><link rel="related" href="http://x/RT/1"/>
   <content><MeterReading xmlns="http://naesb.org/espi"/></content></entry>
 <entry><link rel="self" href="http://x/UP/1"/><link rel="related" href="http://x/UP/1/MR"/><title>{title}</title>
   <content><UsagePoint xmlns="http://naesb.org/espi"><ServiceCategory><kind> 0 </kind></ServiceCategory>
   </UsagePoint></content></entry>
</feed>""".encode()


def reading(start: int = 1700000000, duration: str = '<duration> 1800 </duration>', value: str = '<value>1500</value>',
            quality: str = '') -> str:  # fmt: skip
    period = f'<timePeriod>{duration}<start> {start} </start></timePeriod>'
    return f'<IntervalReading>{period}{value}{quality}</IntervalReading>'


def test_reverse_flow_power_of_ten_and_padded_numbers_are_honoured() -> None:
    (value,) = parse_greenbutton('f.xml', feed(readings=reading())).intervals
    # 1500 x 10^-3 Wh = 1.5 Wh, rounded half up to 2; flowDirection 19 with uom 72 is A-
    assert (value.meter, value.energy, value.wh, value.start) == (
        'SN7',
        'A-',
        2,
        datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC),
    )


def test_reactive_forward_energy_is_r_plus() -> None:
    (value,) = parse_greenbutton('f.xml', feed(uom='73', flow='1', power='0', readings=reading())).intervals
    assert (value.energy, value.wh) == ('R+', 1500)


def test_an_estimated_quality_and_a_missing_value_are_flagged() -> None:
    readings = reading(quality='<ReadingQuality><quality>8</quality></ReadingQuality>') + reading(1700001800, value='')
    first, second = parse_greenbutton('f.xml', feed(readings=readings)).intervals
    assert (first.estimated, first.missing, second.wh, second.missing) == (True, False, None, True)


def test_a_zero_duration_reading_is_dropped_with_a_warning() -> None:
    parsed = parse_greenbutton('f.xml', feed(readings=reading(duration='<duration>0</duration>')))
    assert parsed.intervals == []
    assert [str(w) for w in parsed.warnings] == [
        'f.xml: element entry[2]/content/IntervalBlock[1]/IntervalReading[1]: zero-length reading dropped'
    ]


def test_a_reading_type_that_is_not_energy_is_skipped_with_a_warning() -> None:
    parsed = parse_greenbutton('f.xml', feed(uom='38', readings=reading()))
    assert parsed.intervals == []
    assert 'has uom 38, flowDirection 19: not Wh/varh energy, skipped' in str(parsed.warnings[0])


@pytest.mark.parametrize(
    ('readings', 'reason'),
    [
        (reading(duration='<duration>-60</duration>'), 'ends before it starts (negative duration)'),
        (reading(value='<value>lots</value>'), "value 'lots' is not a whole number"),
        (reading(duration=''), 'timePeriod/duration is missing and the ReadingType has no intervalLength'),
    ],
)
def test_a_bad_reading_rejects_the_file_naming_the_element(readings: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_greenbutton('f.xml', feed(readings=readings))
    assert str(caught.value) == f'f.xml: element entry[2]/content/IntervalBlock[1]/IntervalReading[1]: {reason}'


def test_a_usage_point_without_a_title_needs_a_given_meter() -> None:
    with pytest.raises(ImportRejected, match=r'^f.xml: element entry\[4\]: the UsagePoint has no title'):
        parse_greenbutton('f.xml', feed(title='', readings=reading()))
    assert parse_greenbutton('f.xml', feed(title='', readings=reading()), meter='SN1').intervals[0].meter == 'SN1'


hrefs = (
    st.lists(st.sampled_from(['UsagePoint', '1', '2', 'MeterReading', 'x']), max_size=4)
    .map('/'.join)
    .flatmap(lambda path: st.sampled_from([path, f'/{path}', f'http://x/{path}', f'https://x/espi/{path}']))
)
entries = st.builds(
    lambda n, self_href, up, related: _Entry(f'entry[{n}]', '', self_href, up, tuple(related), (), 'meterreading'),
    st.integers(1, 99),
    hrefs,
    hrefs,
    st.lists(hrefs, max_size=3),
)


@settings(max_examples=500)
@given(parents=st.lists(entries, max_size=8), child=entries)
def test_the_links_found_by_index_are_those_found_by_comparing_with_every_entry(
    parents: list[_Entry], child: _Entry
) -> None:
    """A feed of thousands of UsagePoints would compare every MeterReading with every one of them."""
    assert _Parents(parents).of(child) == [parent for parent in parents if _is_child(child, parent)]
    by_self = _Hrefs(parents)
    for href in child.related:
        assert [p for n, p in enumerate(parents) if n in by_self.matching(href)] == [
            p for p in parents if _same(p.self_href, href)
        ]


parts = st.sampled_from([
    '<timePeriod><duration> 1800 </duration><start>1700000000</start></timePeriod>',
    '<timePeriod><start>1700001800</start><start>9</start></timePeriod>',
    '<timePeriod/>', '<value> 15 </value>', '<value/>', '<espi:value xmlns:espi="http://naesb.org/espi">7</espi:value>',
    '<ReadingQuality><quality> 8 </quality></ReadingQuality>', '<ReadingQuality/>', '<cost>3</cost>',
])  # fmt: skip


@settings(max_examples=300)
@given(children=st.lists(parts, max_size=6))
def test_a_readings_texts_read_at_once_are_what_reading_them_one_by_one_gives(children: list[str]) -> None:
    element = ET.fromstring(f'<IntervalReading>{"".join(children)}</IntervalReading>')
    one_by_one = (
        _text(element, 'timeperiod', 'start'),
        _text(element, 'timeperiod', 'duration'),
        _text(element, 'value'),
        _text(element, 'readingquality', 'quality'),
    )
    assert _reading_texts(element) == one_by_one
