"""Which of the five formats a file holds, judged from its content: file names in an inbox are not reliable."""

from __future__ import annotations

import codecs
import re

from services.core.messages import Reason
from services.ingest.formats.records import ImportRejected
from services.ingest.formats.text import first_line, sniff_delimiter, text_blocks

FORMATS = ('registry', 'obis_csv', 'xml80020', 'greenbutton', 'tariffs')

# Header columns that identify each CSV format (SPEC 6.1, 6.2, 6.5); the rest of a header may vary.
_CSV_SIGNATURES = (
    ('registry', frozenset({'account_number', 'meter_serial'})),
    ('obis_csv', frozenset({'meter', 'obis'})),
    ('obis_csv', frozenset({'obis', 'start', 'value'})),
    ('tariffs', frozenset({'tariff_zones', 'zone', 'rub_per_kwh'})),
)
_XML_START = re.compile(rb'^\s*<')
_MESSAGE_80020 = re.compile(rb'<\s*message\b[^>]*\bclass\s*=\s*["\']\s*80020\s*["\']', re.IGNORECASE)
_ESPI = re.compile(rb'http://naesb\.org/espi', re.IGNORECASE)
_ATOM_FEED = re.compile(rb'<\s*(\w+:)?feed\b', re.IGNORECASE)


def detect_format(data: bytes, file_name: str = '') -> str:
    """One of FORMATS; raises ImportRejected naming `file_name` when the content is none of them."""
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if not body or body.isspace():  # as `not body.strip()`, without a copy of a big file
        raise ImportRejected(file_name, Reason('empty_file'))
    if b'\x00' in body:
        raise ImportRejected(file_name, Reason('nul_bytes'))
    if _XML_START.match(body):
        return _xml_format(file_name, body)
    return _csv_format(file_name, body)


def _xml_format(file_name: str, body: bytes) -> str:
    if _MESSAGE_80020.search(body):
        return 'xml80020'
    if _ESPI.search(body) and _ATOM_FEED.search(body):
        return 'greenbutton'
    raise ImportRejected(file_name, Reason('unknown_xml'))


def _csv_format(file_name: str, body: bytes) -> str:
    header_number, header = first_line(text_blocks(file_name, body))
    columns = {cell.strip().strip('"').lower() for cell in header.split(sniff_delimiter(header))}
    for format_name, signature in _CSV_SIGNATURES:
        if signature <= columns:
            return format_name
    raise ImportRejected(file_name, Reason('unknown_content'), line=header_number)
