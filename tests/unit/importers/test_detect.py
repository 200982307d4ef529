"""The format is recognised from the content, never from the file name."""

from pathlib import Path

import pytest

from services.ingest.formats.detect import detect_format
from services.ingest.formats.records import ImportRejected

GREEN_BUTTON = Path(__file__).parents[2] / 'fixtures' / 'greenbutton' / '1dayLP_45Days.xml'


@pytest.mark.parametrize(
    ('data', 'expected'),
    [
        (b'account_number;address;meter_serial\n1;x;2\n', 'registry'),
        ('\ufeffaccount_number,address,meter_serial\n'.encode(), 'registry'),
        (b'meter;obis;start;end;value;unit;status\n', 'obis_csv'),
        (b'"meter","obis","start","value"\n', 'obis_csv'),
        (b'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from\n;1;T1;5.5;2026-01-01\n', 'tariffs'),
        (b'<?xml version="1.0" encoding="windows-1251"?>\n<message class="80020" version="2"/>', 'xml80020'),
        (b'<MESSAGE CLASS="80020"></MESSAGE>', 'xml80020'),
    ],
)
def test_each_format_is_recognised_from_its_content(data: bytes, expected: str) -> None:
    assert detect_format(data, 'anything.txt') == expected


def test_a_green_button_feed_is_recognised() -> None:
    assert detect_format(GREEN_BUTTON.read_bytes(), 'data.csv') == 'greenbutton'


def test_an_unknown_csv_header_is_rejected_on_its_line() -> None:
    with pytest.raises(ImportRejected, match=r'^junk.csv: line 1: unrecognised content'):
        detect_format(b'name;age\nBob;3\n', 'junk.csv')


def test_other_xml_is_rejected_with_the_formats_it_is_not() -> None:
    with pytest.raises(ImportRejected, match=r'^a.xml: XML, but neither an 80020 message'):
        detect_format(b'<html><body/></html>', 'a.xml')


def test_binary_garbage_is_rejected_as_not_text() -> None:
    with pytest.raises(ImportRejected, match=r'^x.bin: not a text file'):
        detect_format(b'PK\x03\x04\x00\x00garbage', 'x.bin')


def test_an_empty_file_is_rejected_as_empty() -> None:
    with pytest.raises(ImportRejected, match=r'^e.csv: the file is empty$'):
        detect_format(b'\xef\xbb\xbf \n', 'e.csv')
