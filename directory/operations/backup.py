"""Back up and restore the database while the app runs.

SQLite is copied with its online backup API: the copy is one consistent snapshot of what was
committed, even while other connections write. PostgreSQL is dumped with ``pg_dump
--format=custom`` and restored with ``pg_restore``. Either way the copy is written to a
temporary file beside the destination and renamed, so a failed backup never leaves half a file.
"""
import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import URL

from directory.database import SQLITE_BUSY_TIMEOUT_MS, writing
from directory.institutions.revision import DirectoryRevision


class BackupError(Exception):
    """A backup or restore that could not be made; nothing was changed."""


def backup(engine: Engine, dest: Path) -> Path:
    """Write a consistent copy of ``engine``'s database to ``dest`` (a file, or a directory to put it in)."""
    dest = Path(dest)
    if dest.is_dir():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        dest = dest / f"sme-{stamp}.{'sqlite3' if _is_sqlite(engine) else 'dump'}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    os.close(handle)
    try:
        if _is_sqlite(engine):
            _backup_sqlite(_sqlite_path(engine), Path(temporary))
        else:
            _run(_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={temporary}",
                 *_schema_options(engine.url), engine=engine)
        os.replace(temporary, dest)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return dest


def restore(engine: Engine, src: Path) -> None:
    """Replace ``engine``'s database with the backup ``src``; running app processes rebuild their index."""
    src = Path(src)
    if not src.is_file():
        raise BackupError(f"No backup file {src}.")
    previous = _revision(engine)
    if _is_sqlite(engine):
        _restore_sqlite(src, _sqlite_path(engine))
    else:
        _run(_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             str(src), engine=engine)
    engine.dispose()
    # The restored counter may equal one a process built its index at from other data.
    with writing(engine).begin() as connection:
        revision = DirectoryRevision.__table__
        restored = connection.scalar(select(revision.c.value).where(revision.c.id == 1)) or 0
        connection.execute(update(revision).where(revision.c.id == 1).values(value=max(restored, previous) + 1))


def _is_sqlite(engine: Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


def _sqlite_path(engine: Engine) -> Path:
    if not engine.url.database or engine.url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(engine.url.database)


def _backup_sqlite(source: Path, copy: Path) -> None:
    with _sqlite(source) as live, _sqlite(copy) as target:
        live.backup(target)  # in one step: a single read snapshot, writers are not blocked (WAL)
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it


def _restore_sqlite(backup_file: Path, live: Path) -> None:
    with _sqlite(backup_file) as source:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup_file} is damaged (PRAGMA quick_check failed); nothing was restored.")
        with _sqlite(live) as target:
            source.backup(target)  # takes the write lock: app requests wait, then see the restored data


class _sqlite:
    """A plain sqlite3 connection that is closed (not just committed) on exit."""

    def __init__(self, path: Path):
        try:
            self.connection = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as error:
            raise BackupError(f"Cannot open {path}: {error}") from error

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, exc_type, exc, _tb) -> None:
        self.connection.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise BackupError(f"SQLite: {exc}") from exc


def _revision(engine: Engine) -> int:
    revision = DirectoryRevision.__table__
    with engine.connect() as connection:
        return connection.scalar(select(revision.c.value).where(revision.c.id == 1)) or 0


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found on PATH; install the PostgreSQL client tools "
                          f"(e.g. apt-get install postgresql-client) of the server's version or newer.")
    return path


def _schema_options(url: URL) -> list[str]:
    """Dump only the app's schema when the URL pins one with ``options=-csearch_path=...``."""
    options = url.query.get("options", "")
    options = " ".join(options) if isinstance(options, tuple) else options
    for option in options.split():
        if option.startswith("-csearch_path="):
            schema = option.split("=", 1)[1].split(",")[0].strip()
            if schema:
                return [f"--schema={schema}"]
    return []


def _run(tool: str, *arguments: str, engine: Engine) -> None:
    """Run a PostgreSQL client tool against ``engine``'s database, the password in the environment."""
    url = engine.url.set(drivername="postgresql", password=None)
    environment = dict(os.environ)
    if engine.url.password:
        environment["PGPASSWORD"] = str(engine.url.password)
    command = [tool, *arguments, f"--dbname={url.render_as_string(hide_password=False)}"]
    result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(tool).name} failed ({result.returncode}): {result.stderr.strip()}")
