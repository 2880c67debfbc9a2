"""Queries over the service categories."""
from sqlalchemy import select
from sqlmodel import Session

from directory.categories.models import ServiceCategory


def list_categories(session: Session) -> list[ServiceCategory]:
    """All categories in contract order."""
    return list(session.scalars(select(ServiceCategory).order_by(ServiceCategory.position)))


def category_codes(session: Session) -> frozenset[str]:
    """The known category codes (reference data: read once per session)."""
    if "category_codes" not in session.info:
        session.info["category_codes"] = frozenset(session.scalars(select(ServiceCategory.code)))
    return session.info["category_codes"]


def categories_by_code(session: Session) -> dict[str, ServiceCategory]:
    """The service categories keyed by code, in contract order."""
    return {category.code: category for category in list_categories(session)}
