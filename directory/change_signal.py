"""A file on this machine whose identity changes whenever a process commits a directory change.

Every match asks whether the directory changed since its process built its index. Asking the
database costs a transaction per request (BEGIN, a query, COMMIT: a fifth of a match). Instead,
the process that commits a change replaces this file (after the commit, before it answers), and a
reader compares the file's identity (inode, modification time, size: one ``stat``, ~2 µs) with
the one it saw when it last asked the database. A different identity means "ask the database
now", so a change committed by any process of this machine is in the answer of the next request
to every other one. Changes the file cannot tell (another machine on PostgreSQL, a tool writing
to the database directly) are caught by asking the database at least once a second anyway.

Where the file lies: beside a SQLite database file (``<file>-changes``), so that every process
using that file shares it, whatever its working folder; for a database server, in the app's
instance folder, one file per database URL.
"""
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL, make_url

log = logging.getLogger(__name__)
_signals: dict[str, "ChangeSignal"] = {}   # database URL → this process's signal for it


class ChangeSignal:
    """The change file of one database, as this process reads and replaces it."""

    def __init__(self, path: Path):
        self.path = path
        self.usable = True

    def token(self) -> tuple[int, int, int] | None:
        """The file's identity now; None when it cannot be read (then the reader asks the database)."""
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return status.st_ino, status.st_mtime_ns, status.st_size

    def announce(self) -> None:
        """Replace the file: a new inode and time, so every reader's next look differs."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
            with os.fdopen(handle, "w") as file:
                file.write(f"{os.getpid()} {os.urandom(4).hex()}\n")
            os.replace(temporary, self.path)
        except OSError as error:
            if self.usable:
                log.error("Cannot write the change signal %s (%s): other processes of this machine see "
                          "directory changes only within their database check interval", self.path, error)
            self.usable = False


def signal_path(url: str | URL, instance_path: str | Path) -> Path:
    """Where the change file of the database at ``url`` lies (see the module's docstring)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database).resolve().with_name(Path(parsed.database).name + "-changes")
    digest = hashlib.sha1(parsed.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    return Path(instance_path) / f"directory-changes-{digest}"


def register(url: str | URL, instance_path: str | Path) -> ChangeSignal:
    """This process's signal for the database at ``url`` (made once per URL)."""
    key = make_url(url).render_as_string(hide_password=False)
    signal = _signals.get(key)
    if signal is None:
        signal = _signals.setdefault(key, ChangeSignal(signal_path(url, instance_path)))
        if signal.token() is None:
            signal.announce()      # readers need a file to look at; without one they ask the database
    return signal


def signal_of(url: URL) -> ChangeSignal | None:
    """The signal registered for the database at ``url``; None for an engine no app made."""
    return _signals.get(url.render_as_string(hide_password=False))
