"""Every change to an institution, event or account leaves an audit entry in the same transaction.

A session listener watches the flush: for each audited object created, changed or deleted it
records the whole record before and after (secrets left out), and who did it
(``session.info["actor"]``, set when a request is authenticated or by the CLI). The entries
are added to the same transaction, so a change that rolls back leaves no entry, and no code
path that writes through the ORM can skip the trail.
"""
from datetime import date, datetime
from enum import Enum

from sqlalchemy import event, inspect
from sqlmodel import Session

from directory.audit.models import AuditEntry
from directory.driver_inserts import driver_values, insert_plain
from directory.auth.models import Administrator, ApiToken
from directory.events.models import FinancingEvent
from directory.designations.models import Designation
from directory.institutions.models import NATIONAL_DEMO_PLATFORM, Institution
from directory.timestamps import SHANGHAI, utcnow

ENTITY = {Institution: "institution", FinancingEvent: "event", Administrator: "administrator", ApiToken: "token"}
LEFT_OUT = {"updated_at", "password_hash", "token_hash", "sessions_valid_after"}   # secrets and bookkeeping
PENDING = "audit_pending"


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _columns(obj) -> list[str]:
    return [attr.key for attr in inspect(type(obj)).column_attrs if attr.key not in LEFT_OUT]


def _designation_line(designation: Designation) -> str:
    """One designation as a line of the history: kind · batch · grantor · granted → revoked."""
    granted, revoked = designation.granted_on, designation.revoked_on
    parts = [designation.kind, designation.batch, designation.granted_by,
             f"{granted.isoformat() if granted else '?'} → {revoked.isoformat() if revoked else ''}".rstrip()]
    return " · ".join(part for part in parts if part)


def _designations_now(institution: Institution) -> tuple[list[str], bool]:
    lines = [_designation_line(d) for d in institution.designations]
    return lines, institution.demonstration_platform


def snapshot(obj) -> dict:
    """The audited fields of ``obj`` as they are now (JSON-ready)."""
    values = {key: _plain(getattr(obj, key)) for key in _columns(obj)}
    if isinstance(obj, Institution):
        values["services"] = obj.services
        values["designations"], values["demonstration_platform"] = _designations_now(obj)
    return values


def _loaded_value(obj, key: str):
    """The value of ``key`` as it was loaded from the database (before this flush's changes)."""
    history = inspect(obj).attrs[key].history
    if history.has_changes():
        return history.deleted[0] if history.deleted else None
    return getattr(obj, key)


def _designations_before(institution: Institution) -> tuple[list[str], bool]:
    """The designation lines and the derived flag as they were loaded."""
    links = inspect(institution).attrs["designations"].history
    loaded = [Designation(**{key: _loaded_value(d, key) for key in ("kind", "batch", "granted_by", "granted_on",
                                                                   "revoked_on")})
              for d in [*links.unchanged, *links.deleted]]
    day = utcnow().astimezone(SHANGHAI).date()
    return ([_designation_line(d) for d in loaded],
            any(d.kind == NATIONAL_DEMO_PLATFORM and d.active_on(day) for d in loaded))


def _before(obj) -> tuple[dict, bool]:
    """The fields as they were loaded (from attribute history), and whether anything changed."""
    state = inspect(obj)
    values, changed = {}, False
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.has_changes():
            changed = True
            values[key] = _plain(history.deleted[0]) if history.deleted else None
        else:
            values[key] = _plain(getattr(obj, key))
    if isinstance(obj, Institution):
        links = state.attrs["service_links"].history
        if links.has_changes():
            changed = True
        values["services"] = sorted(link.category_code for link in [*links.unchanged, *links.deleted])
        values["designations"], values["demonstration_platform"] = _designations_before(obj)
    if "updated_at" in state.attrs and state.attrs["updated_at"].history.has_changes():
        changed = True   # saved through the service layer (e.g. an event's tags or financiers changed)
    if isinstance(obj, Administrator) and state.attrs["password_hash"].history.has_changes():
        changed = True
        values["password"] = "(old)"
    return values, changed


def _action(before: dict | None, after: dict | None) -> str:
    if before is None:
        return "create"
    if after is None:
        return "delete"
    if "status" in after and before.get("status") != after.get("status"):
        return {"closed": "close", "cancelled": "cancel", "active": "reopen"}.get(after["status"], "update")
    return "update"


@event.listens_for(Session, "before_flush")
def _capture(session: Session, _context, _instances) -> None:
    pending = session.info.setdefault(PENDING, [])
    for obj in session.new:
        if type(obj) in ENTITY:
            pending.append((obj, None))
    for obj in session.dirty:
        if type(obj) in ENTITY:
            before, changed = _before(obj)
            if changed:
                pending.append((obj, before))
    for obj in session.deleted:
        if type(obj) in ENTITY:
            pending.append((obj, snapshot(obj) | {"deleted": True}))


@event.listens_for(Session, "after_flush_postexec")
def _record(session: Session, _context) -> None:
    pending = session.info.pop(PENDING, [])
    actor = session.info.get("actor")
    for obj, before in pending:
        deleted = before is not None and before.pop("deleted", False)
        after = None if deleted else snapshot(obj)
        if isinstance(obj, Administrator) and before is not None and "password" in before:
            after["password"] = "(changed)"
        session.add(AuditEntry(actor=actor, action=session.info.get("audit_action") or _action(before, after),
                               entity=ENTITY[type(obj)], entity_id=obj.id, before=before, after=after,
                               detail=session.info.get("audit_detail")))


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def audited_values(values: dict) -> dict:
    """A record's column values as an audit entry keeps them (JSON-ready, secrets and bookkeeping left out)."""
    return {key: _plain(value) for key, value in values.items() if key not in LEFT_OUT}


def record_changes(session: Session, *, entity: str, changes: list[tuple[int, dict | None, dict]]) -> None:
    """One audit entry per ``(entity_id, before, after)``, written with one bulk statement, for rows
    the ORM did not track (bulk imports); ``before`` and ``after`` as ``audited_values`` gives them."""
    if not changes:
        return
    now, actor, action = utcnow(), session.info.get("actor"), session.info.get("audit_action")
    columns = ("at", "actor", "action", "entity", "entity_id", "before", "after")
    rows = [(now, actor, action or _action(before, after), entity, entity_id, before, after)
            for entity_id, before, after in changes]
    table = AuditEntry.__table__
    insert_plain(session, table.name, columns, driver_values(session, table, columns, rows))


def act_as(session: Session, actor: str | None) -> Session:
    """Mark the changes made through ``session`` as made by ``actor`` (a username or "cli")."""
    session.info["actor"] = actor
    return session
