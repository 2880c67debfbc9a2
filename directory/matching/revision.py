"""A counter bumped in the same transaction as any change to the directory.

Every app process keeps an in-memory matching index; comparing the counter it was built at
with the one in the database tells it, with one cheap query, when another process (or
machine) has changed the directory.
"""
from sqlalchemy import event, select, update
from sqlmodel import Field, Session, SQLModel

from directory.institutions.models import Institution, InstitutionService
from directory.regions.models import Region, RegionSuccessor

WATCHED = (Institution, InstitutionService, Region, RegionSuccessor)   # divisions feed the place index


class DirectoryRevision(SQLModel, table=True):
    __tablename__ = "directory_revision"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0)


def current_revision(session: Session) -> int:
    """The directory's revision as committed (0 before any change)."""
    return session.scalar(select(DirectoryRevision.value).where(DirectoryRevision.id == 1)) or 0


@event.listens_for(Session, "before_flush")
def _bump_on_directory_change(session, _context, _instances) -> None:
    changed = session.new | session.dirty | session.deleted
    if any(isinstance(obj, WATCHED) for obj in changed):
        session.execute(update(DirectoryRevision).where(DirectoryRevision.id == 1)
                        .values(value=DirectoryRevision.value + 1))
