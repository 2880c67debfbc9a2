"""Engine and per-request session: one request is one transaction.

A request's session commits after a successful response and rolls back on any error
(see ``commit_request_session``). On SQLite, write requests begin with
``BEGIN IMMEDIATE`` so that they take the write lock up front and wait for it (busy
timeout) instead of failing half-way when a read transaction tries to upgrade.
"""
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from directory import change_signal
from directory.errors import database_busy_response, error_response

SQLITE_BUSY_TIMEOUT_MS = 5000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_engine_for(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """Create the engine for ``url`` with the connection settings this service needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_recycle=1800,
                         pool_size=int(os.environ.get("SME_DB_POOL_SIZE", 5)),
                         max_overflow=int(os.environ.get("SME_DB_MAX_OVERFLOW", 5)))


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is too late).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = "IMMEDIATE" if connection.get_execution_options().get("write") else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


def act_as(session: Session, actor: str | None) -> Session:
    """Mark the changes made through ``session`` as made by ``actor`` (a username or "cli"; the audit trail reads it)."""
    session.info["actor"] = actor
    return session


def writing(engine: Engine) -> Engine:
    """Return ``engine`` set up for a write transaction (takes the SQLite write lock at BEGIN)."""
    return engine.execution_options(write=True)


@contextmanager
def write_transaction(session: Session) -> Iterator[Session]:
    """A short write transaction beside ``session``, which only reads; committed when the block ends.

    When ``session`` itself writes (its transaction took the write lock at BEGIN), it is used
    as it is and its owner commits. The new session acts for the same person (audit trail).
    """
    bind = session.get_bind()
    if bind.get_execution_options().get("write"):
        yield session
        return
    with act_as(Session(writing(bind), expire_on_commit=False), session.info.get("actor")) as writer, \
            writer.begin():
        yield writer


def init_app(app: Flask) -> None:
    """Create the app's engine and tie a session's life to each request."""
    app.extensions["sme_engine"] = create_engine_for(
        app.config["DATABASE_URL"],
        busy_timeout_ms=app.config.get("SQLITE_BUSY_TIMEOUT_MS", SQLITE_BUSY_TIMEOUT_MS))
    app.extensions["sme_change_signal"] = change_signal.register(app.config["DATABASE_URL"], app.instance_path)
    app.after_request(commit_request_session)
    app.teardown_appcontext(close_request_session)


def get_engine() -> Engine:
    """Return the current app's engine."""
    return current_app.extensions["sme_engine"]


def write_session() -> Session:
    """A session for the command line whose transaction takes the write lock up front."""
    return act_as(Session(writing(get_engine()), expire_on_commit=False), "cli")


def read_only(view):
    """Mark a view that only reads although its method is POST (e.g. a search with a body)."""
    view.read_only = True
    return view


def _request_writes() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return request.method not in SAFE_METHODS and not getattr(view, "read_only", False)


def get_session() -> Session:
    """Return this request's session, opening it on first use."""
    if "db_session" not in g:
        engine = get_engine()
        if request and _request_writes():
            engine = writing(engine)
        g.db_session = Session(engine, expire_on_commit=False)
    return g.db_session


def commit_request_session(response):
    """Commit the request's transaction when the response is a success."""
    session = g.get("db_session")
    if session is None or response.status_code >= 400:
        return response
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return error_response(409, "The change conflicts with data saved meanwhile; reload and retry.")
    except OperationalError:  # locked beyond the busy timeout, or the server went away
        session.rollback()
        return database_busy_response()
    return response


def close_request_session(_exc=None) -> None:
    """Close the session; anything not committed is rolled back."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
