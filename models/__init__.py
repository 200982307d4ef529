"""The whole domain of Kabinet as SQLModel tables; importing this package registers every table."""

from models.alerts import AlertPreference, AlertSent
from models.content import InfoKind, InfoPage
from models.identity import CaptchaChallenge, EmailToken, LoginThrottle, Role, User, UserSession
from models.insights import HomeComparison
from models.manual import ManualReading
from models.metering import (
    ENERGY_CODES,
    ENERGY_NAMES,
    ESTIMATED,
    EnergyRollup,
    Grain,
    InstantValue,
    IntervalEnergy,
    MeterEvent,
    RegisterReading,
)
from models.notices import Notice
from models.ops import AuditLog, EmailOutbox, ImportLog
from models.registry import Account, Meter, MeterName, ResidentAccount, TariffRate, TariffZoneSchedule
from models.support import RequestStatus, SupportAttachment, SupportMessage, SupportRequest, SupportTopic

__all__ = [
    'ENERGY_CODES',
    'ENERGY_NAMES',
    'ESTIMATED',
    'Account',
    'AlertPreference',
    'AlertSent',
    'AuditLog',
    'CaptchaChallenge',
    'EmailOutbox',
    'EmailToken',
    'EnergyRollup',
    'Grain',
    'HomeComparison',
    'ImportLog',
    'InfoKind',
    'InfoPage',
    'InstantValue',
    'IntervalEnergy',
    'LoginThrottle',
    'ManualReading',
    'Meter',
    'MeterEvent',
    'MeterName',
    'Notice',
    'RegisterReading',
    'RequestStatus',
    'ResidentAccount',
    'Role',
    'SupportAttachment',
    'SupportMessage',
    'SupportRequest',
    'SupportTopic',
    'TariffRate',
    'TariffZoneSchedule',
    'User',
    'UserSession',
]
