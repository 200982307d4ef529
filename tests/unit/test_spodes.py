"""The SPODES event catalogue: texts, SPEC 7 severities and episode pairs."""

import pytest

from services.metering import spodes


@pytest.mark.parametrize(
    ('journal', 'code'),
    [(4, 1), (4, 3), (4, 4), (4, 5), (4, 6), (6, 3), (6, 4), (1, 7), (1, 9), (1, 11), (1, 15), (1, 37)]
    + [(7, code) for code in (2, 4, 5, 7, 9, 11, 13, 15, 17)],
)
def test_tampering_and_self_diagnostic_errors_are_critical(journal: int, code: int) -> None:
    assert spodes.describe(journal, code).severity == 'critical'


@pytest.mark.parametrize(
    ('journal', 'code'),
    [(0, 7), (0, 19), (0, 25), (1, 13), (1, 17), (1, 25), (1, 29), (2, 8), (2, 15), (2, 18), (13, 1)],
)
def test_voltage_current_relay_trips_and_clock_corrections_are_warnings(journal: int, code: int) -> None:
    assert spodes.describe(journal, code).severity == 'warning'


@pytest.mark.parametrize(
    ('journal', 'code'),
    [(2, 1), (2, 2), (2, 3), (2, 4), (5, 1), (3, 68), (4, 2), (7, 6), (1, 8), (0, 1), (0, 20), (0, 26), (1, 30)],
)
def test_power_on_off_remote_switching_communication_programming_and_ends_are_info(journal: int, code: int) -> None:
    assert spodes.describe(journal, code).severity == 'info'


def test_an_event_has_russian_and_english_text() -> None:
    kind = spodes.describe(4, 1)
    assert (kind.text_ru, kind.text_en) == ('Магнитное поле — начало', 'Magnetic field started')


def test_an_unknown_code_gets_a_generic_info_text() -> None:
    kind = spodes.describe(7, 123)
    assert (kind.text_ru, kind.text_en, kind.severity, kind.ends) == ('Событие 7:123', 'Event 7:123', 'info', None)


@pytest.mark.parametrize(
    ('journal', 'start', 'end'),
    [(2, 1, 2), (4, 1, 2), (4, 6, 7), (0, 19, 20), (7, 5, 6), (7, 4, 19), (1, 37, 38), (2, 3, 4)],
)
def test_start_events_pair_with_their_end_events(journal: int, start: int, end: int) -> None:
    assert spodes.episode_end_code(journal, start) == end
    assert spodes.describe(journal, start).ends == end
    assert spodes.describe(journal, end).ended_by == start
    assert spodes.is_episode_end(journal, end) and not spodes.is_episode_end(journal, start)


def test_one_off_events_start_no_episode() -> None:
    assert spodes.episode_end_code(4, 3) is None  # a broken seal stays broken
    assert spodes.episode_end_code(3, 68) is None


def test_every_journal_of_spec_7_is_named_in_both_languages() -> None:
    assert sorted(spodes.JOURNALS) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13]
    assert spodes.JOURNALS[2] == ('Включение/выключение и реле нагрузки', 'Power on/off and load relay')
