"""When an institution counts as active: now by its status, on a past day by its dates."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_

from directory.institutions.models import Institution, InstitutionStatus
from directory.timestamps import SHANGHAI, utcnow


def day_end(day: date) -> datetime:
    """The first instant after ``day`` in China Standard Time, where the network's days end."""
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI)


def today() -> date:
    """Today's date in China Standard Time."""
    return utcnow().astimezone(SHANGHAI).date()


def active_at(moment) -> ColumnElement[bool]:
    """Institutions active at ``moment`` (a datetime or a SQL column); ``None`` means now.

    Now, a suspended institution is not active; the past is read from created_at and
    closed_at alone, since suspensions leave no dates behind.
    """
    if moment is None:
        return Institution.status == InstitutionStatus.active
    return and_(Institution.created_at < moment,
                or_(Institution.closed_at.is_(None), Institution.closed_at >= moment))


def moment_of(as_of: date | None) -> datetime | None:
    """The instant at which ``as_of`` is read (the end of that day); None for now."""
    return day_end(as_of) if as_of else None
