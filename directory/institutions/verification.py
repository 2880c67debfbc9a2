"""Checking records against reality: when an institution was last verified, and by whom.

Verifying is not editing: it records ``verified_at`` / ``verified_by`` and leaves ``updated_at``
alone, so "last changed" and "last confirmed correct" stay two separate facts.
"""
from datetime import datetime, timedelta

from sqlalchemy import Select, or_, select
from sqlmodel import Session

from directory.institutions.models import Institution
from directory.timestamps import utcnow

VERIFICATION_MAX_AGE = timedelta(days=365)


def mark_verified(session: Session, institution: Institution, username: str,
                  *, now: datetime | None = None) -> Institution:
    """Record that ``username`` confirmed the institution's details just now."""
    institution.verified_at = now or utcnow()
    institution.verified_by = username
    session.add(institution)
    session.flush()
    return institution


def unverified_query(stmt: Select | None = None, *, now: datetime | None = None,
                     max_age: timedelta = VERIFICATION_MAX_AGE) -> Select:
    """The institutions of ``stmt`` (default: all) never verified, or not within ``max_age``."""
    stmt = select(Institution) if stmt is None else stmt
    cutoff = (now or utcnow()) - max_age
    return stmt.where(or_(Institution.verified_at.is_(None), Institution.verified_at < cutoff))


def is_overdue(institution: Institution, *, now: datetime | None = None,
               max_age: timedelta = VERIFICATION_MAX_AGE) -> bool:
    """Whether the institution is due for verification (never verified, or too long ago)."""
    return institution.verified_at is None or institution.verified_at < (now or utcnow()) - max_age
