"""The operator's import page in real Chromium: files chosen in the browser, one report per file."""

from __future__ import annotations

from tests.e2e.conftest import Server, log_in

GOOD = (
    b'meter;obis;start;end;value;unit;status\n'
    b'41907733;1.0.1.29.0.255;2026-01-10T00:00:00+03:00;2026-01-10T00:30:00+03:00;0,2;kWh;\n'
)
BAD = b'meter;obis;start;end;value;unit;status\n41907733;1.0.1.29.0.255;yesterday;;1;Wh;\n'


def test_an_operator_uploads_two_files_and_reads_a_report_for_each(page, server: Server) -> None:
    log_in(page, server, login='operator@example.com')
    page.goto(server.url + '/operator/imports')
    page.get_by_text('Загрузка файлов').wait_for()
    page.locator('input[type=file]').set_input_files(
        [
            {'name': 'e2e-good.csv', 'mimeType': 'text/csv', 'buffer': GOOD},
            {'name': 'e2e-bad.csv', 'mimeType': 'text/csv', 'buffer': BAD},
        ]
    )
    reports = page.locator('.k-import-reports')  # this upload's reports, not the log of earlier runs
    reports.get_by_text('e2e-good.csv: загружена 1 запись').wait_for(timeout=20_000)
    reports.get_by_text(
        "e2e-bad.csv: строка 2: значение start 'yesterday' не является меткой времени ISO 8601"
    ).wait_for()
    assert page.evaluate('document.documentElement.scrollWidth') <= page.viewport_size['width'] + 1
    shown = "[...document.querySelectorAll('.q-uploader__subtitle')].filter((e) => e.offsetParent).map((e) => e.id)"
    assert page.evaluate(shown) == []  # no «0.0B / 0.00%» of Quasar's on a Russian page


def test_a_resident_is_sent_away_from_the_import_page(page, server: Server) -> None:
    log_in(page, server)
    page.goto(server.url + '/operator/imports')
    page.wait_for_load_state()
    assert '/operator/imports' not in page.url
