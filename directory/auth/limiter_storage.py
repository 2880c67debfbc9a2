"""Rate-limit counters in the app's own database: a ``limits`` storage for the URI ``database://``.

Every app process (gunicorn workers, several servers) counts in the table ``rate_limit_counter``
of ``DATABASE_URL``, SQLite or PostgreSQL, so a limit holds in total, not per process. Each hit is
one upsert in its own short transaction on a connection of its own (never the request's), so a
failed login that rolls its request back still counts.

A busy database must not stop logins nor be held up by them: the limiter waits at most
``BUSY_TIMEOUT_SECONDS`` (SQLite's busy timeout; PostgreSQL's lock and statement timeouts), then
logs a warning and counts that attempt in this process's memory instead (the limits then hold
per process until the database answers again). It never raises into the request.
"""
import logging
import time

from flask import Flask, current_app
from limits.storage import MemoryStorage, Storage
from sqlalchemy import Engine, case, create_engine, delete, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from directory.auth.models import RateLimitCounter
from directory.database import create_engine_for, writing

SCHEME = "database"
BUSY_TIMEOUT_SECONDS = 1
ENGINE_KEY = "sme_limiter_engine"

log = logging.getLogger(__name__)
counters = RateLimitCounter.__table__


def limiter_engine_for(url: str) -> Engine:
    """A small engine of its own for the counters, with short waits (see the module docstring)."""
    if make_url(url).get_backend_name() == "sqlite":
        return create_engine_for(url, busy_timeout_ms=BUSY_TIMEOUT_SECONDS * 1000)
    return create_engine(url, pool_size=1, max_overflow=3, pool_timeout=BUSY_TIMEOUT_SECONDS,
                         pool_pre_ping=True, connect_args={"connect_timeout": 2})


def init_app(app: Flask) -> None:
    """Give ``app`` the engine its counters use."""
    app.extensions[ENGINE_KEY] = limiter_engine_for(app.config["DATABASE_URL"])


class DatabaseStorage(Storage):
    """Fixed-window counters in ``rate_limit_counter`` of the current app's database."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._fallback = MemoryStorage()

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @staticmethod
    def _engine() -> Engine:
        return current_app.extensions[ENGINE_KEY]

    def _busy(self, action: str) -> None:
        log.warning("Rate-limit counters unavailable in the database (%s); counting in this process "
                    "for now", action, exc_info=True)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        try:
            return self._increment(key, expiry, amount)
        except SQLAlchemyError:
            self._busy("increment")
            return self._fallback.incr(key, expiry, amount)

    def _increment(self, key: str, expiry: int, amount: int) -> int:
        now = time.time()
        engine = self._engine()
        dialect = engine.dialect.name
        insert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(counters)
        expired = counters.c.expires_at <= now
        upsert = insert.values(key=key, count=amount, expires_at=now + expiry).on_conflict_do_update(
            index_elements=[counters.c.key],
            set_={"count": case((expired, amount), else_=counters.c.count + amount),
                  "expires_at": case((expired, now + expiry), else_=counters.c.expires_at)},
        ).returning(counters.c.count)
        with writing(engine).begin() as connection:
            if dialect == "postgresql":
                connection.execute(text(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_SECONDS}s'"))
                connection.execute(text(f"SET LOCAL statement_timeout = '{2 * BUSY_TIMEOUT_SECONDS}s'"))
            count = connection.execute(upsert).scalar_one()
            # Windows that have ended are never read again (an index range, usually empty).
            connection.execute(delete(counters).where(counters.c.expires_at < now))
        return count

    def _row(self, key: str):
        with self._engine().connect() as connection:
            return connection.execute(select(counters.c.count, counters.c.expires_at)
                                      .where(counters.c.key == key, counters.c.expires_at > time.time())).first()

    def _read(self, key: str, value_of, fallback):
        """``value_of`` the key's live row (None without one); ``fallback(key)`` when the database is busy."""
        try:
            row = self._row(key)
        except SQLAlchemyError:
            self._busy("read")
            return fallback(key)
        return value_of(row)

    def get(self, key: str) -> int:
        return self._read(key, lambda row: row.count if row else 0, self._fallback.get)

    def get_expiry(self, key: str) -> float:
        return self._read(key, lambda row: row.expires_at if row else time.time(), self._fallback.get_expiry)

    def check(self) -> bool:
        try:
            with self._engine().connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with writing(self._engine()).begin() as connection:
            return connection.execute(delete(counters)).rowcount

    def clear(self, key: str) -> None:
        with writing(self._engine()).begin() as connection:
            connection.execute(delete(counters).where(counters.c.key == key))
        self._fallback.clear(key)
