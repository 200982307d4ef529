"""Property tests over every importer: whatever the bytes, the result is records that can be stored, or the
file's rejection (ImportRejected naming the file) — never another exception (SPEC §6).

Hypothesis draws arbitrary bytes, arbitrary bytes behind each format's header, and mutations of a valid file
of each format (tests/fuzzing.py; `make fuzz` runs 20,000 mutants per format). Derandomized and bounded, so
`make test` stays fast and every run tries the same cases.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.ingest.formats import ImportRejected, ParsedFile
from services.ingest.formats.greenbutton import parse_greenbutton
from services.ingest.formats.obis_csv import parse_obis_csv
from services.ingest.formats.registry_csv import parse_registry
from services.ingest.formats.tariff_csv import parse_tariffs
from services.ingest.formats.xml80020 import parse_xml80020
from tests.fuzzing import MSK, OPERATIONS, SEEDS, TOKENS, Mutation, mutate, outcome

BOUNDED = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
MUTATIONS = st.lists(
    st.builds(
        Mutation,
        st.sampled_from(OPERATIONS),
        st.integers(min_value=0, max_value=1 << 20),
        st.integers(min_value=0, max_value=1 << 16),
    ),
    min_size=1,
    max_size=4,
)
HEADERS = {
    'obis_csv': b'meter;obis;start;end;value;unit;status\n',
    'registry': SEEDS['registry'][1].split(b'\n')[0] + b'\n',
    'tariffs': b'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from\n',
    'xml80020': b'<message class="80020"><datetime><day>20260301</day></datetime><area>',
    'greenbutton': b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">',
}
PARSERS = {
    'obis_csv': lambda data: parse_obis_csv('f', data),
    'registry': lambda data: parse_registry('f', data),
    'tariffs': lambda data: parse_tariffs('f', data),
    'xml80020': lambda data: parse_xml80020('f', data, tz=MSK),
    'greenbutton': lambda data: parse_greenbutton('f', data),
}


@pytest.mark.parametrize('format_name', sorted(SEEDS))
def test_every_seed_file_parses_whole(format_name: str) -> None:
    name, data = SEEDS[format_name]
    parsed = outcome(name, data)
    assert isinstance(parsed, ParsedFile) and parsed.format == format_name


@BOUNDED
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_are_records_or_a_rejection(data: bytes) -> None:
    outcome('any.bin', data)


@pytest.mark.parametrize('format_name', sorted(SEEDS))
@BOUNDED
@given(tail=st.binary(max_size=2000) | st.lists(st.sampled_from(TOKENS), max_size=30).map(b''.join))
def test_each_parser_takes_arbitrary_content_after_its_header(format_name: str, tail: bytes) -> None:
    with contextlib.suppress(ImportRejected):
        PARSERS[format_name](HEADERS[format_name] + tail)


@pytest.mark.parametrize('format_name', sorted(SEEDS))
@BOUNDED
@given(mutations=MUTATIONS, named=st.booleans())
def test_mutants_of_a_valid_file_are_records_or_a_rejection(
    format_name: str, mutations: list[Mutation], named: bool
) -> None:
    name, seed = SEEDS[format_name]
    outcome(name, mutate(seed, mutations), meter='HOST-1' if named else None)
