"""Comparison with similar homes (B11): never with fewer than 20 homes, figures equal a direct computation."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import EnergyRollup, Grain, User
from services.core.i18n import set_language
from services.core.system import System
from services.metering import periods, similar_homes
from services.residents import access
from tests.factories import make_account, make_meter, make_user

MSK = ZoneInfo('Europe/Moscow')
NOW = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)  # billing period 2026-03 runs; 2026-02 (26.01–25.02) is closed
FEBRUARY = periods.billing_period(2026, 2, 25, MSK)


def _homes(session: Session, count: int, *, place: str = 'пос. Лесной', group: str = 'село') -> list[User]:
    users = []
    for n in range(count):
        account = make_account(session, address=f'{place}, ул. Луговая, д. {n + 1}', tariff_group=group)
        meter = make_meter(session, account, tariff_zones=2)
        wh = 150_000 + 10_000 * n  # 150, 160, ... kWh
        for zone, part in ((1, wh * 2 // 3), (2, wh - wh * 2 // 3)):
            session.add(EnergyRollup(meter_id=meter.id or 0, energy=1, grain=int(Grain.billing), start=FEBRUARY.start,
                                     zone=zone, wh=part, present=600))  # fmt: skip
        users.append(make_user(session, accounts=(account,)))
    session.commit()
    return users


def _compute(session: Session) -> int:
    return similar_homes.compute(session=session, tz=MSK, default_reading_day=25, now=NOW)


def test_nineteen_comparable_homes_show_nothing(system: System) -> None:
    with system.session() as session:
        users = _homes(session, 19)
        _homes(session, 5, place='г. Тверь')  # another settlement does not make up the number
        assert _compute(session) == 0
        assert all(similar_homes.comparisons_of(session=session, user=user) == [] for user in users)


def test_twenty_homes_compare_and_the_figures_equal_a_direct_computation(system: System) -> None:
    with system.session() as session:
        users = _homes(session, 20)
        others = _homes(session, 20, group='электроплита')  # the same street, another kind of home
        assert _compute(session) == 40
        (mine,) = similar_homes.comparisons_of(session=session, user=users[0])
        (theirs,) = similar_homes.comparisons_of(session=session, user=others[0])
    # 150, 160, ..., 340 kWh: the median is (240 + 250) / 2 = 245 kWh; the lower quartile sits at
    # (20 - 1) × 0.25 = 4.75 → 190 + 0.75 × (200 - 190) = 197.5 kWh
    assert (mine.period, mine.wh, mine.homes) == ('2026-02', 150_000, 20)
    assert (mine.median_wh, mine.efficient_wh) == (245_000, 197_500)
    assert mine.percent == -39  # (150 - 245) / 245 = -38.8 %
    assert (theirs.median_wh, theirs.homes) == (245_000, 20)  # its own group of 20


def test_the_sentence_says_less_or_more_than_similar_homes(system: System) -> None:
    set_language('ru')
    with system.session() as session:
        users = _homes(session, 20)
        _compute(session)
        (low,) = similar_homes.comparisons_of(session=session, user=users[0])
        (high,) = similar_homes.comparisons_of(session=session, user=users[-1])
    from components.similar_homes import sentence

    assert sentence(low) == 'За февраль 2026 вы потребили 150\xa0кВт·ч — на 39\xa0% меньше, чем похожие дома.'
    assert sentence(high) == 'За февраль 2026 вы потребили 340\xa0кВт·ч — на 39\xa0% больше, чем похожие дома.'


def test_a_rerun_replaces_the_table_when_a_group_shrinks_below_twenty(system: System) -> None:
    with system.session() as session:
        users = _homes(session, 20)
        _compute(session)
        (meter,) = access.meters_of(session=session, user=users[0])
        for row in session.exec(select(EnergyRollup).where(EnergyRollup.meter_id == meter.id)).all():
            session.delete(row)
        session.commit()
        assert _compute(session) == 0  # 19 homes with data are left
        assert similar_homes.comparisons_of(session=session, user=users[1]) == []
