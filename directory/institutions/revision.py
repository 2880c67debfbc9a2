"""A counter bumped in the same transaction as any change to the directory, and a log of what changed.

Every app process keeps an in-memory matching index. Comparing the revision it was built at
with the one in the database tells it, with one cheap query, that the directory changed (it asks
when this machine's change signal, ``directory.change_signal``, moved, and at least once a second); the change log (``directory_change``: revision → institution id) tells it which
institutions to update in place, so one change costs milliseconds instead of a rebuild. A
row without an institution id means "anything may have changed" (a divisions update, a
restore): the reader rebuilds. Old rows are pruned; a process whose index predates what the
log still holds rebuilds too.
"""
from collections.abc import Iterable

from sqlalchemy import delete, event, func, insert, select, text, update
from sqlmodel import Field, Session, SQLModel

from directory.change_signal import signal_of
from directory.institutions.models import Institution, InstitutionService
from directory.regions.models import Region, RegionSuccessor

WATCHED = (Institution, InstitutionService, Region, RegionSuccessor)   # divisions feed the place index
KEEP_REVISIONS = 10_000       # log rows older than this many revisions are pruned
MAX_CHANGES_READ = 5_000      # more changed institutions than this: a rebuild is cheaper


class DirectoryRevision(SQLModel, table=True):
    __tablename__ = "directory_revision"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0)


class DirectoryChange(SQLModel, table=True):
    """An institution changed at a revision (None: anything may have changed)."""

    __tablename__ = "directory_change"

    id: int | None = Field(default=None, primary_key=True)
    revision: int = Field(index=True)
    institution_id: int | None = Field(default=None)


# Asked on every matching request: plain text skips the ORM's statement compilation and caching.
CURRENT_REVISION = text("SELECT value FROM directory_revision WHERE id = 1")


def current_revision(session: Session) -> int:
    """The directory's revision as committed (0 before any change)."""
    return session.connection().execute(CURRENT_REVISION).scalar() or 0


def changes_between(session: Session, after: int, upto: int) -> set[int] | None:
    """Institutions changed after revision ``after`` up to ``upto``; None when only a rebuild will do."""
    if upto <= after:
        return None
    rows = session.execute(
        select(DirectoryChange.revision, DirectoryChange.institution_id)
        .where(DirectoryChange.revision > after, DirectoryChange.revision <= upto)
        .limit(MAX_CHANGES_READ + 1)).all()
    if len(rows) > MAX_CHANGES_READ or {revision for revision, _ in rows} != set(range(after + 1, upto + 1)):
        return None   # too many, or the log no longer covers the whole interval
    ids = {iid for _, iid in rows}
    return None if None in ids else ids


def mark_directory_changed(session: Session, institution_ids: Iterable[int] | None) -> int:
    """Bump the revision and log ``institution_ids`` (None: everything) — for writes that bypass the ORM."""
    revision = _bump(session)
    if revision is not None:
        _log(session, revision, None if institution_ids is None else set(institution_ids))
    return revision or 0


def _bump(session: Session) -> int | None:
    session.info[_ANNOUNCE] = True   # once committed, tell the other processes of this machine
    return session.execute(update(DirectoryRevision).where(DirectoryRevision.id == 1)
                           .values(value=DirectoryRevision.value + 1)
                           .returning(DirectoryRevision.value)).scalar()


def _log(session: Session, revision: int, institution_ids: set[int] | None) -> None:
    if institution_ids is not None and len(institution_ids) > MAX_CHANGES_READ:
        institution_ids = None   # more than a reader would apply in place: say "rebuild" in one row
    rows = [{"revision": revision, "institution_id": iid} for iid in sorted(institution_ids or ())]
    connection = session.connection()
    connection.execute(insert(DirectoryChange), rows or [{"revision": revision, "institution_id": None}])
    if revision % 1000 == 0:
        connection.execute(delete(DirectoryChange).where(DirectoryChange.revision <= revision - KEEP_REVISIONS))


def _bump_on_directory_change(session, _context, _instances) -> None:
    changed = session.new | session.dirty | session.deleted
    if any(isinstance(obj, WATCHED) for obj in changed):
        session.info["directory_revision_flushing"] = _bump(session)


def _log_directory_change(session, _context) -> None:
    revision = session.info.pop("directory_revision_flushing", None)
    if revision is None:
        return
    changed = session.new | session.dirty | session.deleted   # still the flushed objects, now with ids
    if any(isinstance(obj, (Region, RegionSuccessor)) for obj in changed):
        _log(session, revision, None)   # the divisions changed: every process rebuilds its index
        return
    ids = {obj.id for obj in changed if isinstance(obj, Institution)}
    ids |= {obj.institution_id for obj in changed if isinstance(obj, InstitutionService)}
    _log(session, revision, {iid for iid in ids if iid is not None})


def _announce_committed_change(session) -> None:
    if session.info.pop(_ANNOUNCE, False):
        signal = signal_of(session.get_bind().url)
        if signal is not None:
            signal.announce()


_ANNOUNCE = "directory_change_to_announce"
LISTENERS = (("before_flush", _bump_on_directory_change), ("after_flush", _log_directory_change),
             ("after_commit", _announce_committed_change))   # after a rollback: one needless look, harmless


def init_app(_app) -> None:
    """Start the change log: a flush that changes institutions or divisions bumps the revision (once per process)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def oldest_logged_revision(session: Session) -> int | None:
    """The oldest revision the log still holds (for the operations pages and tests)."""
    return session.scalar(select(func.min(DirectoryChange.revision)))
