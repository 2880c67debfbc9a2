"""Queries over the service categories, and this process's copy of them.

The categories are reference data: written by ``init-db``/``seed`` (``load_reference_data``),
read by every client at start. ``current_categories`` answers them from a copy kept per app
process (``directory.process_copy``), so ``GET /api/v1/categories`` costs no database round trip:
a commit in this process that changes a category drops the copy at once, a change made by another
process is seen within ``MAX_AGE_SECONDS``.
"""
from sqlalchemy import select
from sqlmodel import Session

from directory.categories.models import ServiceCategory
from directory.process_copy import app_copy

MAX_AGE_SECONDS = 1.0
CACHE_KEY = "sme_categories"


def list_categories(session: Session) -> list[ServiceCategory]:
    """All categories in contract order."""
    return list(session.scalars(select(ServiceCategory).order_by(ServiceCategory.position)))


def category_codes(session: Session) -> frozenset[str]:
    """The known category codes (reference data: read once per session)."""
    if "category_codes" not in session.info:
        session.info["category_codes"] = frozenset(session.scalars(select(ServiceCategory.code)))
    return session.info["category_codes"]


def _detached_categories(session: Session) -> list[ServiceCategory]:
    # Copies belonging to no session: nothing a request's session does can expire them.
    return [ServiceCategory(**c.model_dump()) for c in list_categories(session)]


def current_categories(open_session) -> list[ServiceCategory]:
    """The current app's categories in contract order, from its per-process copy (see the module docstring)."""
    return app_copy(CACHE_KEY, _detached_categories, models=(ServiceCategory,),
                    max_age=MAX_AGE_SECONDS).get(open_session)


def categories_by_code(session: Session) -> dict[str, ServiceCategory]:
    """The service categories keyed by code, in contract order."""
    return {category.code: category for category in list_categories(session)}
