"""When an institution counts as active: now by its status, on a past day by its dates."""
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_

from directory.institutions.models import Institution, InstitutionStatus
from directory.timestamps import day_end, today  # noqa: F401  (today: part of this module's answer)


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
