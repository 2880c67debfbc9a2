"""Timezone-aware UTC timestamps that read back aware on SQLite as on PostgreSQL."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


SHANGHAI = ZoneInfo("Asia/Shanghai")   # events are held, and shown, in China Standard Time


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stores UTC; always returns aware datetimes (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def in_shanghai(value: datetime | None) -> datetime | None:
    """An aware time shown in Asia/Shanghai (+08:00), as events are announced."""
    return value.astimezone(SHANGHAI) if value is not None else None


def day_end(day: date) -> datetime:
    """The first instant after ``day`` in China Standard Time, where the network's days end."""
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI)


def today() -> date:
    """Today's date in China Standard Time."""
    return utcnow().astimezone(SHANGHAI).date()
