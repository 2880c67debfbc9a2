"""Every change to an audited record (institution, event, account) leaves an audit entry in the same transaction.

A session listener watches the flush: for each audited object created, changed or deleted it
records the whole record before and after (secrets left out), and who did it
(``session.info["actor"]``, set when a request is authenticated or by the CLI). The entries
are added to the same transaction, so a change that rolls back leaves no entry, and no code
path that writes through the ORM can skip the trail. Features say which of their models are
audited with ``audit_model`` (the application factory does it); ``init_app`` starts the listener.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from flask import Flask
from sqlalchemy import event, inspect
from sqlmodel import Session

from directory.audit.models import AuditEntry
from directory.driver_inserts import driver_values, insert_plain
from directory.timestamps import utcnow

LEFT_OUT = {"updated_at", "password_hash", "token_hash", "sessions_valid_after"}   # secrets and bookkeeping
PENDING = "audit_pending"


@dataclass(frozen=True)
class Audited:
    """How the trail records one model: its entity name, fields beyond its columns, and its secret.

    ``now(obj)`` gives the extra fields as they are; ``before(obj)`` gives them as they were loaded
    and whether they changed; a change of the ``secret`` column is noted as ``password: (old) → (changed)``.
    """

    entity: str
    now: Callable[[object], dict] | None = None
    before: Callable[[object], tuple[dict, bool]] | None = None
    secret: str | None = None


AUDITED: dict[type, Audited] = {}


def audit_model(model: type, how: Audited) -> None:
    """Record every change to ``model``'s rows in the trail, as ``how`` says."""
    AUDITED[model] = how


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


def snapshot(obj) -> dict:
    """The audited fields of ``obj`` as they are now (JSON-ready)."""
    values = {key: _plain(getattr(obj, key)) for key in _columns(obj)}
    how = AUDITED.get(type(obj))
    if how is not None and how.now is not None:
        values |= how.now(obj)
    return values


def loaded_value(obj, key: str):
    """The value of ``key`` as it was loaded from the database (before this flush's changes)."""
    history = inspect(obj).attrs[key].history
    if history.has_changes():
        return history.deleted[0] if history.deleted else None
    return getattr(obj, key)


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
    how = AUDITED[type(obj)]
    if how.before is not None:
        extra, extra_changed = how.before(obj)
        values |= extra
        changed = changed or extra_changed
    if "updated_at" in state.attrs and state.attrs["updated_at"].history.has_changes():
        changed = True   # saved through the service layer (e.g. an event's tags or financiers changed)
    if how.secret is not None and state.attrs[how.secret].history.has_changes():
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


def _capture(session: Session, _context, _instances) -> None:
    pending = session.info.setdefault(PENDING, [])
    for obj in session.new:
        if type(obj) in AUDITED:
            pending.append((obj, None))
    for obj in session.dirty:
        if type(obj) in AUDITED:
            before, changed = _before(obj)
            if changed:
                pending.append((obj, before))
    for obj in session.deleted:
        if type(obj) in AUDITED:
            pending.append((obj, snapshot(obj) | {"deleted": True}))


def _record(session: Session, _context) -> None:
    pending = session.info.pop(PENDING, [])
    actor = session.info.get("actor")
    for obj, before in pending:
        deleted = before is not None and before.pop("deleted", False)
        after = None if deleted else snapshot(obj)
        if before is not None and "password" in before and after is not None:
            after["password"] = "(changed)"
        session.add(AuditEntry(actor=actor, action=session.info.get("audit_action") or _action(before, after),
                               entity=AUDITED[type(obj)].entity, entity_id=obj.id, before=before, after=after,
                               detail=session.info.get("audit_detail")))


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


LISTENERS = (("before_flush", _capture), ("after_flush_postexec", _record), ("after_rollback", _forget))


def init_app(_app: Flask) -> None:
    """Start the trail: every session's flush records the audited changes (once per process)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
