"""SQLite's write lock from outside the app under test: ask for it, or hold it for a while."""
import sqlite3
from contextlib import contextmanager

import pytest

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _connect(database_url: str, **options) -> sqlite3.Connection:
    return sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None, **options)


def write_lock_answer(database_url: str) -> str:
    """Ask for the write lock from another connection without waiting: "other got the lock" (released at
    once) or SQLite's error."""
    other = _connect(database_url, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "other got the lock"
    except sqlite3.OperationalError as error:
        return str(error)
    finally:
        other.close()


@contextmanager
def write_lock_held(database_url: str):
    """Another connection, a writer, holds the write lock while the block runs."""
    holder = _connect(database_url)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()
