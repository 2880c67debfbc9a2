"""Queries over the service categories."""
from sqlalchemy import select
from sqlmodel import Session

from directory.categories.models import ServiceCategory


def list_categories(session: Session) -> list[ServiceCategory]:
    """All categories in contract order."""
    return list(session.scalars(select(ServiceCategory).order_by(ServiceCategory.position)))


def category_codes(session: Session) -> set[str]:
    """The set of known category codes."""
    return set(session.scalars(select(ServiceCategory.code)))
