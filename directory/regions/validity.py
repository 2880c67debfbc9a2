"""Which divisions are in force on a day, where a retired one went, and the edition in use."""
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlmodel import Session

from directory.regions.models import DivisionEdition, Region, RegionSuccessor


def in_force(day: date | None = None) -> ColumnElement[bool]:
    """SQL: the division is in force at the end of ``day`` (None: today, i.e. not retired)."""
    if day is None:
        return Region.retired_on.is_(None)
    return and_(or_(Region.in_force_from.is_(None), Region.in_force_from <= day),
                or_(Region.retired_on.is_(None), Region.retired_on > day))


def successors_of(session: Session, code: str) -> list[str]:
    """The codes that took over the area of a retired division (empty for one in force)."""
    return list(session.scalars(select(RegionSuccessor.successor_code)
                                .where(RegionSuccessor.code == code).order_by(RegionSuccessor.successor_code)))


def successor_regions(session: Session, code: str) -> list[Region]:
    """The successor divisions of ``code`` as rows, in code order."""
    codes = successors_of(session, code)
    return list(session.scalars(select(Region).where(Region.code.in_(codes)).order_by(Region.code))) if codes else []


def retirement_message(session: Session, region: Region) -> str | None:
    """The hint given when something is placed in a retired division; None while it is in force."""
    if region.retired_on is None:
        return None
    successors = successor_regions(session, region.code)
    named = ", ".join(f"{r.code} {r.name}" for r in successors) or "none recorded"
    return (f"{region.name} ({region.code}) was retired on {region.retired_on.isoformat()}; "
            f"successor: {named}.")


def current_edition(session: Session) -> DivisionEdition | None:
    """The newest edition of the division list loaded into this database."""
    return session.scalar(select(DivisionEdition).order_by(DivisionEdition.published_on.desc()).limit(1))


def edition_name(session: Session) -> str | None:
    """The name of the edition in use (e.g. "2024"), for statistics to say which list they count."""
    edition = current_edition(session)
    return edition.edition if edition else None
