"""The whole audit log as an administrator may read it: filtered by who, what and when, within scope."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlmodel import Session

from directory.audit.models import AuditEntry
from directory.auth.models import Administrator
from directory.regions.service import subtree_codes
from directory.timestamps import SHANGHAI

PAGE_SIZE = 50
PLACED_ENTITIES = ("institution", "event")   # entries that carry the record's region_code


@dataclass(frozen=True)
class LogFilters:
    """What the administrator asked for; every field optional."""

    actor: str | None = None
    entity: str | None = None
    action: str | None = None
    since: date | None = None      # a day in China Standard Time, inclusive
    until: date | None = None      # inclusive


def log_query(administrator: Administrator, filters: LogFilters) -> Select:
    """Audit entries newest first, those the administrator may see, narrowed by ``filters``.

    A national administrator sees every entry. A scoped one sees changes to institutions and
    events placed (before or after the change) inside its division, and its own actions.
    """
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if administrator.region_code is not None:
        codes = subtree_codes(administrator.region_code)
        placed = AuditEntry.entity.in_(PLACED_ENTITIES) & or_(
            AuditEntry.after["region_code"].as_string().in_(codes),
            AuditEntry.before["region_code"].as_string().in_(codes))
        stmt = stmt.where(or_(placed, AuditEntry.actor == administrator.username))
    if filters.actor:
        stmt = stmt.where(AuditEntry.actor == filters.actor)
    if filters.entity:
        stmt = stmt.where(AuditEntry.entity == filters.entity)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.since:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(filters.since, time(0), SHANGHAI))
    if filters.until:
        stmt = stmt.where(AuditEntry.at < datetime.combine(filters.until + timedelta(days=1), time(0), SHANGHAI))
    return stmt


def log_choices(session: Session) -> tuple[list[str], list[str]]:
    """The kinds of record and of action the log holds, for the filter's selects."""
    entities = sorted(session.scalars(select(AuditEntry.entity).distinct()))
    actions = sorted(session.scalars(select(AuditEntry.action).distinct()))
    return entities, actions
