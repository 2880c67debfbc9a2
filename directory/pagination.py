"""Pagination of SQL queries for flask-smorest's ``@blp.paginate()``."""
from sqlalchemy import Select, func, select
from sqlmodel import Session

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def count_rows(session: Session, stmt: Select) -> int:
    """How many rows ``stmt`` returns, counted by the database."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def page_rows(session: Session, stmt: Select, *, offset: int, limit: int) -> list:
    """The rows of ``stmt`` from ``offset``, at most ``limit`` of them."""
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def paginate(session: Session, stmt: Select, pagination_parameters) -> list:
    """One page of ``stmt``'s rows; records the total for the X-Pagination header."""
    pagination_parameters.item_count = count_rows(session, stmt)
    if pagination_parameters.first_item >= pagination_parameters.item_count:
        return []   # past the end; a huge ?page= would also overflow the database's OFFSET
    return page_rows(session, stmt, offset=pagination_parameters.first_item,
                     limit=pagination_parameters.page_size)
