"""Pagination of SQL queries for flask-smorest's ``@blp.paginate()``."""
from sqlalchemy import Select, func, select
from sqlmodel import Session

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def paginate(session: Session, stmt: Select, pagination_parameters) -> list:
    """One page of ``stmt``'s rows; records the total for the X-Pagination header."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pagination_parameters.item_count = total
    page = stmt.limit(pagination_parameters.page_size).offset(pagination_parameters.first_item)
    return list(session.scalars(page))
