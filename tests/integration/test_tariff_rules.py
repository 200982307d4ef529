"""One rule of a tariff rate for every way in (services.metering.tariffs): the tariff CSV, put_rate, the operator."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import col, select

from models import AuditLog, Role, TariffRate, User
from services.core.errors import NotAllowed
from services.core.messages import Reason
from services.core.system import System
from services.metering import pricing
from services.metering.tariffs import RateRefused
from tests.factories import make_user
from tests.integration.ingest_helpers import count, load

NOW = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)
HEADER = 'tariff_group;tariff_zones;zone;rub_per_kwh;valid_from\n'
JULY = date(2026, 7, 1)


def put(system: System, *, group: str = '', zones: int = 1, zone: int = 1, rate: str = '5.62') -> None:
    with system.session() as session:
        pricing.put_rate(
            session=session, tariff_group=group, tariff_zones=zones, zone=zone, rub_per_kwh=Decimal(rate),
            valid_from=JULY,
        )  # fmt: skip
        session.commit()


def user(system: System, role: str, **fields: object) -> User:
    with system.session() as session:
        made = make_user(session, role=role, **fields)
        session.commit()
        return made


def add(system: System, who: User | None, rate: str = '4.08') -> None:
    with system.session() as session:
        pricing.add_rate(
            session=session, user=who, tariff_group='село', tariff_zones=2, zone=2, rub_per_kwh=Decimal(rate),
            valid_from=JULY, now=NOW,
        )  # fmt: skip
        session.commit()


def test_a_zero_rate_in_a_tariff_file_rejects_the_file_and_stores_nothing(system: System) -> None:
    (report,) = load(system, ('zero.csv', (HEADER + ';1;T1;5,62;2026-01-01\n;2;T2;0;2026-07-01\n').encode()))
    assert report.message() == 'zero.csv: line 3: the rate must be above zero, e.g. 5.62'
    assert report.message('ru') == 'zero.csv: строка 3: ставка должна быть больше нуля, например 5,62'
    assert count(system, 'tariff_rate') == 0  # line 2 was good, but a file is stored whole or not at all


def test_put_rate_refuses_a_zero_rate_with_the_same_reason(system: System) -> None:
    with pytest.raises(RateRefused) as refused:
        put(system, rate='0')
    assert refused.value.problems == {'rate': Reason('rate_not_positive')}
    assert str(refused.value) == 'the rate must be above zero, e.g. 5.62'
    assert count(system, 'tariff_rate') == 0


@pytest.mark.parametrize(
    ('fields', 'problems'),
    [
        ({'rate': '-1'}, {'rate': Reason('rate_not_positive')}),
        ({'rate': '5.00001'}, {'rate': Reason('rate_decimals')}),  # the column keeps four decimals
        ({'rate': '100000'}, {'rate': Reason('rate_too_high', limit='100000')}),
        ({'zones': 4}, {'zone': Reason('tariff_zones', value=4)}),
        ({'zones': 2, 'zone': 3}, {'zone': Reason('zone_not_in_tariff', zone='T3', allowed='T1, T2', n=2)}),
        ({'group': 'г' * 65, 'rate': '0'},
         {'group': Reason('group_too_long', n=64), 'rate': Reason('rate_not_positive')}),
    ],
)  # fmt: skip
def test_put_rate_names_every_broken_rule_by_field(system: System, fields: dict[str, object], problems: object) -> None:
    with pytest.raises(RateRefused) as refused:
        put(system, **fields)  # type: ignore[arg-type]
    assert refused.value.problems == problems


def test_a_rate_at_the_edges_of_the_rules_is_stored(system: System) -> None:
    put(system, group='г' * 64, zones=3, zone=3, rate='0.0001')
    put(system, rate='99999.9999')
    assert count(system, 'tariff_rate') == 2


def test_an_operator_s_rate_is_stored_with_an_audit_row_naming_the_operator(system: System) -> None:
    operator = user(system, Role.operator)
    add(system, operator)
    with system.session() as session:
        rates = session.exec(select(TariffRate)).all()
        audit = session.exec(select(AuditLog).where(AuditLog.action == 'tariff_rate_set')).all()
    assert [(r.tariff_group, r.tariff_zones, r.zone, r.rub_per_kwh) for r in rates] == [('село', 2, 2, Decimal('4.08'))]
    assert [(a.user_id, a.at, a.detail) for a in audit] == [(operator.id, NOW, "'село' 2 T2 4.08 from 2026-07-01")]


def test_a_refused_operator_rate_writes_no_audit_row(system: System) -> None:
    operator = user(system, Role.admin)
    with pytest.raises(RateRefused):
        add(system, operator, rate='0')
    assert (count(system, 'tariff_rate'), count(system, 'audit_log')) == (0, 0)


@pytest.mark.parametrize('who', ['nobody', 'resident', 'blocked operator'])
def test_only_active_staff_may_add_a_rate(system: System, who: str) -> None:
    acting = {
        'nobody': None,
        'resident': user(system, Role.resident),
        'blocked operator': user(system, Role.operator, blocked=True),
    }[who]
    with pytest.raises(NotAllowed):
        add(system, acting)
    with system.session() as session:
        assert session.exec(select(col(TariffRate.id))).all() == []
    assert count(system, 'audit_log') == 0
