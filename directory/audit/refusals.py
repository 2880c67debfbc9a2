"""Attempts that were refused (403) or failed, kept in the audit trail.

The request's own transaction is rolled back on any 4xx, so these entries are written in a
short transaction of their own; failing to write one (database busy) is logged and never
changes the response.
"""
import logging

from flask import Flask, g, request
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from directory.audit.models import AuditEntry
from directory.database import get_engine, writing
from directory.errors import request_forbidden

log = logging.getLogger(__name__)


def record_attempt(*, action: str, entity: str, actor: str | None, detail: str) -> None:
    """Write one audit entry about an attempt, outside the request's transaction.

    The request's own transaction is rolled back first: a refused or failed request keeps
    nothing, and on SQLite a write request holds the write lock from its start.
    """
    request_session = g.get("db_session")
    if request_session is not None:
        request_session.rollback()
    try:
        with Session(writing(get_engine())) as session, session.begin():
            session.add(AuditEntry(action=action, entity=entity, actor=actor, detail=detail[:1000]))
    except SQLAlchemyError:
        log.warning("Could not record %s by %s (%s)", action, actor, detail, exc_info=True)


def record_failed_login(username: str | None) -> None:
    """A login (web form or API token request) with wrong credentials."""
    record_attempt(action="login_failed", entity="auth", actor=(username or "")[:64] or None,
                   detail=str(request.remote_addr))


def record_forbidden() -> None:
    """A 403: who (if known) tried what."""
    session = g.get("db_session")
    actor = session.info.get("actor") if session is not None else None
    record_attempt(action="forbidden", entity="request", actor=actor,
                   detail=f"{request.method} {request.path} from {request.remote_addr}")


def _record_forbidden(_app) -> None:
    record_forbidden()


def init_app(app: Flask) -> None:
    """Record every 403 the app answers."""
    request_forbidden.connect(_record_forbidden, sender=app)
