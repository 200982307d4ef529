"""One real message per code of services.core.messages, with the English text the importers gave before codes.

The English is the SPEC §6 contract of the command line, the API and the import log, so it must not change.
"""

from __future__ import annotations

from services.core.messages import Reason
from services.ingest.formats import Notice

R = Reason
COLUMN_START = R('column', name='start')
ZONE_ENERGY = {'energy': 'A+', 'at': '2026-03-01 00:00'}
POINT = 'area[1]/measuringpoint[@code=690000041907733]'
PERIOD = f'{POINT}/measuringchannel[@code=01]/period[@start=0100]'
READING = 'entry[4]/content/IntervalBlock[1]/IntervalReading[2]'


def at(line: int, reason: Reason, file: str = 'd.csv', more: int = 0) -> Notice:
    return Notice(file, reason, line=line, more=more)


def on(element: str, reason: Reason, file: str = 'm.xml') -> Notice:
    return Notice(file, reason, element=element)


EXAMPLES: list[tuple[Notice, str]] = [
    # the file as a whole
    (Notice('e.txt', R('empty_file')), 'e.txt: the file is empty'),
    (at(1, R('empty_file'), 'e.csv'), 'e.csv: line 1: the file is empty'),
    (Notice('b.bin', R('nul_bytes')), 'b.bin: not a text file (it contains NUL bytes)'),
    (Notice('u.xml', R('xml_nul_bytes')), 'u.xml: not a text file (NUL bytes; UTF-16 is not supported)'),
    (Notice('b.csv', R('bom_not_utf8', why='invalid start byte')),
     'b.csv: not valid UTF-8 although it starts with a UTF-8 BOM (invalid start byte)'),
    (Notice('t.csv', R('unknown_encoding')), 't.csv: the text is neither UTF-8 nor windows-1251'),
    (Notice('x.xml', R('unknown_xml')),
     'x.xml: XML, but neither an 80020 message (<message class="80020">) nor a Green Button feed (ESPI Atom)'),
    (at(1, R('unknown_content'), 'g.dat'),
     'g.dat: line 1: unrecognised content: expected a registry, OBIS meter-data or tariff CSV header, '
     'an 80020 XML message or a Green Button feed'),
    (Notice('b.xml', R('xml_declarations')),
     'b.xml: XML with a DOCTYPE or ENTITY declaration is refused (entity expansion)'),
    (at(3, R('xml_malformed', why='mismatched tag'), 'b.xml'), 'b.xml: line 3: not well-formed XML: mismatched tag'),
    (Notice('x.xml', R('xml_encoding', why='unknown encoding: koi9')),
     'x.xml: unknown XML encoding: unknown encoding: koi9'),
    (at(4, R('field_count', n=9, width=7)),
     'd.csv: line 4: 9 fields but the header has 7 (is a decimal comma unquoted?)'),
    (at(1, R('missing_columns', names='obis, start')), 'd.csv: line 1: missing required column(s): obis, start'),
    (at(1, R('duplicated_columns', names='meter')), 'd.csv: line 1: duplicated column(s): meter'),
    (at(1, R('unknown_columns', names='colour'), 'r.csv'), 'r.csv: line 1: ignored unknown column(s): colour'),
    # values and what they are about
    (at(2, R('not_a_number', what=R('column', name='rub_per_kwh'), value='abc'), 't.csv'),
     "t.csv: line 2: rub_per_kwh 'abc' is not a number"),
    (on(PERIOD, R('not_a_number', what=R('value'), value='x')), f"m.xml: element {PERIOD}: value 'x' is not a number"),
    (at(2, R('not_a_whole_number', what=R('relay_state'), value='1,5')),
     "d.csv: line 2: relay state '1,5' is not a whole number"),
    (at(2, R('not_a_whole_number', what=R('event_code'), value='x')),
     "d.csv: line 2: event code 'x' is not a whole number"),
    (at(2, R('not_a_date', what=R('column', name='installed_on'), value='1 мая'), 'r.csv'),
     "r.csv: line 2: installed_on '1 мая' is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
    (at(3, R('no_such_date', what=R('date_column', name='valid_from'), value='31.06.2026'), 'bad.csv'),
     "bad.csv: line 3: valid_from '31.06.2026' does not exist"),
    (Notice('form', R('no_such_date', what=R('date'), value='31.02.2027')), "form: date '31.02.2027' does not exist"),
    (at(3, R('not_iso_timestamp', what=COLUMN_START, value='yesterday'), 'bad.csv'),
     "bad.csv: line 3: start 'yesterday' is not an ISO 8601 timestamp"),
    (Notice('x', R('not_iso_timestamp', what=R('timestamp'), value='now')),
     "x: timestamp 'now' is not an ISO 8601 timestamp"),
    (at(2, R('no_utc_offset', what=COLUMN_START, value='2026-03-01T00:30:00')),
     "d.csv: line 2: start '2026-03-01T00:30:00' has no UTC offset (write it like 2026-03-01T00:30:00+03:00)"),
    (at(2, R('negative', what=R('energy_value'), value='-1')), "d.csv: line 2: energy value '-1' is negative"),
    (on(PERIOD, R('not_hhmm', what=R('attribute', name='start'), value='0160')),
     f"m.xml: element {PERIOD}: start '0160' is not a time HHMM"),
    (on(PERIOD, R('end_of_day', what=R('attribute', name='start'), value='2400')),
     f"m.xml: element {PERIOD}: start '2400' is the end of the day"),
    (at(2, R('empty', column='meter')), 'd.csv: line 2: meter is empty'),
    (at(2, R('not_one_of', column='phases', allowed='1, 3', value=2), 'r.csv'),
     'r.csv: line 2: phases must be one of 1, 3, not 2'),
    (at(2, R('out_of_range', column='reading_day', low=1, high=31, value=32), 'r.csv'),
     'r.csv: line 2: reading_day must be 1..31, not 32'),
    # the registry
    (at(2, R('point_code_digits', code='12345'), 'r.csv'), "r.csv: line 2: point_code '12345' must be 15 digits"),
    (at(2, R('removed_before_installed', removed='2026-01-01', installed='2026-02-01'), 'r.csv'),
     'r.csv: line 2: removed_on 2026-01-01 is before installed_on 2026-02-01'),
    (at(2, R('replaced_by_itself', serial='SN1'), 'r.csv'), 'r.csv: line 2: meter SN1 cannot be replaced by itself'),
    (at(3, R('meter_listed_twice', serial='SN1', line=2), 'r.csv'),
     'r.csv: line 3: meter SN1 is already listed on line 2'),
    (at(3, R('point_code_twice', code='690000041907733', serial='SN1', line=2), 'r.csv'),
     'r.csv: line 3: point_code 690000041907733 is already given to meter SN1 on line 2'),
    (at(2, R('point_code_taken', code='690000041907733', serial='SN9'), 'r.csv'),
     'r.csv: line 2: point_code 690000041907733 belongs to meter SN9 in the registry'),
    (at(2, R('replaced_by_unknown', serial='SN7'), 'r.csv'),
     'r.csv: line 2: replaced_by names meter SN7, which is not in the registry'),
    # tariff rates
    (at(2, R('tariff_zones', value=4), 't.csv'), 't.csv: line 2: tariff_zones must be 1, 2 or 3, not 4'),
    (at(2, R('zone_not_in_tariff', zone='T3', allowed='T1, T2', n=2), 't.csv'),
     "t.csv: line 2: zone 'T3' must be one of T1, T2 for 2 zone(s)"),
    (at(2, R('rate_not_positive'), 't.csv'), 't.csv: line 2: the rate must be above zero, e.g. 5.62'),
    (at(2, R('rate_too_high', limit='100000'), 't.csv'), 't.csv: line 2: the rate must be below 100000 RUB per kWh'),
    (at(2, R('rate_decimals'), 't.csv'), 't.csv: line 2: at most four digits after the decimal point'),
    (at(2, R('group_too_long', n=64), 't.csv'), 't.csv: line 2: the tariff group must be at most 64 characters long'),
    (at(3, R('rate_given_twice', line=2), 't.csv'), 't.csv: line 3: the same rate is already given on line 2'),
    # meter data CSV keyed by OBIS code
    (at(2, R('obis_format', code='1:29')),
     "d.csv: line 2: OBIS code '1:29' is not written as 1-0:1.29.0*255, 1.0.1.29.0.255 or 1.29.0"),
    (at(7, R('unknown_obis', code='1.0.9.9.0.255')), 'd.csv: line 7: unknown OBIS code 1.0.9.9.0.255'),
    (at(2, R('unknown_status', status='bad')), "d.csv: line 2: status 'bad' is not one of ok, estimated, missing"),
    (at(2, R('end_empty')), 'd.csv: line 2: end is empty (interval energy needs start and end)'),
    (at(2, R('ends_before_start_at', end='2026-03-01T00:00:00Z', start='2026-03-01T01:00:00Z')),
     'd.csv: line 2: ends before it starts (2026-03-01T00:00:00Z < 2026-03-01T01:00:00Z)'),
    (on(PERIOD, R('ends_before_start')), f'm.xml: element {PERIOD}: ends before it starts'),
    (on(READING, R('negative_duration'), 'g.xml'),
     f'g.xml: element {READING}: ends before it starts (negative duration)'),
    (at(2, R('unit_energy', unit='kW', energy='A+', units='kwh, wh')),
     "d.csv: line 2: unit 'kW' does not fit A+ energy (use kwh, wh)"),
    (at(2, R('unit_quantity', unit='kWh', quantity='U1', units='v')),
     "d.csv: line 2: unit 'kWh' does not fit U1 (use v)"),
    (at(2, R('unit_unknown', unit='BTU')), "d.csv: line 2: unit 'BTU' is unknown"),
    (at(2, R('unit_not_wanted', unit='V')), "d.csv: line 2: unit 'V' given for a value without a unit"),
    (at(2, R('relay_state_range', value=3)), 'd.csv: line 2: relay state must be 0, 1 or 2, not 3'),
    (at(2, R('unknown_journal', journal=12)), 'd.csv: line 2: unknown SPODES journal 12 in OBIS 0.0.96.11.12.255'),
    (at(2, R('negative_event_code', code=-3)), 'd.csv: line 2: event code must not be negative, not -3'),
    (at(2, R('zero_length_interval', start='2026-03-01T00:00:00Z')),
     'd.csv: line 2: zero-length interval at 2026-03-01T00:00:00Z dropped'),
    (at(2, R('relay_without_value')), 'd.csv: line 2: relay state without a value skipped'),
    (at(2, R('quantity_without_value', quantity='P')), 'd.csv: line 2: P without a value skipped'),
    # XML 80020
    (on('root', R('not_80020_root')), 'm.xml: element root: the root element is not <message class="80020">'),
    (on('message', R('no_area')), 'm.xml: element message: no <area> element'),
    (on('message/datetime/day', R('day_not_a_date', day='20260231')),
     "m.xml: element message/datetime/day: day '20260231' is not a date YYYYMMDD"),
    (on('area[1]/measuringpoint', R('point_without_code')),
     'm.xml: element area[1]/measuringpoint: measuring point without a code'),
    (on(f'{POINT}/measuringchannel[@code=05]', R('channel_code', code='05')),
     f"m.xml: element {POINT}/measuringchannel[@code=05]: channel code '05' is not 01, 02, 03 or 04"),
    (on(PERIOD, R('value_status', status='2')), f"m.xml: element {PERIOD}: value status '2' is not 0 or 1"),
    (on(PERIOD, R('start_in_clock_gap', start='02:00', zone='Europe/Berlin')),
     f'm.xml: element {PERIOD}: starts at 02:00, which the clock change skips in Europe/Berlin'),
    (on(PERIOD, R('period_in_clock_gap', start='02:00')),
     f'm.xml: element {PERIOD}: period at 02:00 skipped by the clock change dropped'),
    (on(PERIOD, R('zero_length_period')), f'm.xml: element {PERIOD}: zero-length period dropped'),
    # Green Button
    (on('rss', R('not_atom_root'), 'g.xml'), 'g.xml: element rss: the root element is not an Atom <feed>'),
    (on('feed', R('no_usage_point'), 'g.xml'), 'g.xml: element feed: the feed has no UsagePoint entry'),
    (on('entry[3]', R('block_without_reading'), 'g.xml'),
     'g.xml: element entry[3]: IntervalBlock without any MeterReading in the feed'),
    (on('entry[2]', R('unlinked_entry', kind='UsagePoint'), 'g.xml'),
     'g.xml: element entry[2]: cannot tell which UsagePoint this entry belongs to from its links'),
    (on('entry[2]', R('no_reading_type'), 'g.xml'),
     'g.xml: element entry[2]: the MeterReading links to no ReadingType entry'),
    (on('entry[2]', R('not_energy_reading', name='Demand', uom=38, flow=19), 'g.xml'),
     'g.xml: element entry[2]: ReadingType Demand has uom 38, flowDirection 19: not Wh/varh energy, skipped'),
    (on('feed', R('several_usage_points', n=2), 'g.xml'),
     'g.xml: element feed: the feed has energy readings for 2 UsagePoints; a given meter names only one'),
    (on('entry[1]', R('untitled_usage_point'), 'g.xml'),
     'g.xml: element entry[1]: the UsagePoint has no title to match a meter; name the meter'),
    (on(READING, R('no_start'), 'g.xml'), f'g.xml: element {READING}: timePeriod/start is missing'),
    (on(READING, R('no_duration'), 'g.xml'),
     f'g.xml: element {READING}: timePeriod/duration is missing and the ReadingType has no intervalLength'),
    (on(READING, R('zero_length_reading'), 'g.xml'), f'g.xml: element {READING}: zero-length reading dropped'),
    # a value given twice in one file
    (at(3, R('interval_again', **ZONE_ENERGY)),
     'd.csv: line 3: A+ at 2026-03-01 00:00 UTC again; this later value replaces the earlier one'),
    (on(PERIOD, R('interval_again_missing', **ZONE_ENERGY)),
     f'm.xml: element {PERIOD}: A+ at 2026-03-01 00:00 UTC again but missing; the earlier value is kept'),
    (at(5, R('register_again', zone=0, **ZONE_ENERGY)),
     'd.csv: line 5: register A+ zone 0 at 2026-03-01 00:00 UTC again; this later value replaces the earlier one'),
    (at(5, R('register_again_missing', zone=1, **ZONE_ENERGY)),
     'd.csv: line 5: register A+ zone 1 at 2026-03-01 00:00 UTC again but missing; the earlier value is kept'),
    (Notice('d.csv', R('spread_collision', **ZONE_ENERGY)),
     'd.csv: A+ at 2026-03-01 00:00 UTC: this interval got two values; the later one in the file is kept'),
    # storing meter data
    (at(4, R('unknown_meter', serial='X-9')), 'd.csv: line 4: unknown meter X-9 (not in the registry)'),
    (on(PERIOD, R('unknown_point', code='690000041907733')),
     f'm.xml: element {PERIOD}: unknown measuring point 690000041907733 (no registry meter has this point_code)'),
    (at(2, R('not_whole_profile', minutes='45', serial='M-1', profile=30)),
     "d.csv: line 2: an interval of 45 minutes is not a whole multiple of meter M-1's 30-minute profile"),
    (at(2, R('spread', minutes=60, parts=2, profile=30), more=4),
     'd.csv: line 2: a value of 60 minutes was spread over 2 intervals of 30 minutes and marked estimated '
     '(and 4 more like it)'),
    (Notice('d.csv', R('database_refused', why='value too long for type character varying(64)')),
     'd.csv: the database refused the data (value too long for type character varying(64))'),
    (Notice('d.csv', R('internal_error', ref='5f3a09c1')),
     'd.csv: internal error while reading the file (reference 5f3a09c1 in the server log)'),
    # plausible ranges
    (at(2, R('number_too_long', what=R('value'), value='1111111111111111111111111111111111111…')),
     "d.csv: line 2: value '1111111111111111111111111111111111111…' has too many digits"),
    (at(2, R('number_too_large', what=R('value'), value='1e300')), "d.csv: line 2: value '1e300' is too large"),
    (at(2, R('time_unrepresentable', what=COLUMN_START, value='0001-01-01T00:00:00+03:00')),
     "d.csv: line 2: start '0001-01-01T00:00:00+03:00' is too far in the past or the future"),
    (at(2, R('date_out_of_range', what=R('date_column', name='installed_on'), value='0001-01-01', low='1900-01-01',
             high='2100-12-31'), 'r.csv'),
     "r.csv: line 2: installed_on '0001-01-01' is not between 1900-01-01 and 2100-12-31"),
    (on(PERIOD, R('time_outside_window', at='9999-12-30 21:00', earliest='1990-01-01 00:00',
                  latest='2026-04-17 12:00')),
     f'm.xml: element {PERIOD}: time 9999-12-30 21:00 UTC is outside the accepted 1990-01-01 00:00 .. '
     '2026-04-17 12:00 UTC'),
    (on(READING, R('interval_energy_too_large', wh=10**12, limit=2147483647), 'g.xml'),
     f'g.xml: element {READING}: energy 1000000000000 Wh is more than the 2147483647 Wh possible in this interval '
     '(at most 1000 kW)'),
    (at(3, R('energy_too_large', wh=10**19, limit=2**63 - 1)),
     'd.csv: line 3: energy 10000000000000000000 Wh is more than the register holds (9223372036854775807 Wh)'),
    (at(4, R('quantity_range', quantity='U1', value=R('volts', n='1e+400'), low=R('volts', n='0'),
             high=R('volts', n='1000'))),
     'd.csv: line 4: U1 1e+400 V is outside 0 V .. 1000 V'),
    (at(4, R('quantity_range', quantity='I2', value=R('amperes', n='-3'), low=R('amperes', n='0'),
             high=R('amperes', n='1000'))),
     'd.csv: line 4: I2 -3 A is outside 0 A .. 1000 A'),
    (at(4, R('quantity_range', quantity='P', value=R('watts', n='2e+06'), low=R('watts', n='-1e+06'),
             high=R('watts', n='1e+06'))),
     'd.csv: line 4: P 2e+06 W is outside -1e+06 W .. 1e+06 W'),
    (at(5, R('event_code_range', code=2**40, limit=2**31 - 1)),
     'd.csv: line 5: event code 1099511627776 is larger than 2147483647'),
    # the upload page
    (Notice('big.csv', R('file_too_large', mb=50)), 'big.csv: the file is larger than 50 MB'),
    (Notice('a.csv', R('stopped')), 'a.csv: stopped'),
]  # fmt: skip
