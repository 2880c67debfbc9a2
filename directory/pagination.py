"""Pagination of SQL queries: for flask-smorest's ``@blp.paginate()``, and the pages' ``ResultPage``."""
import math
from dataclasses import dataclass

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


@dataclass
class ResultPage:
    """One page of results and where it sits among all of them."""

    items: list
    total: int
    number: int
    size: int = DEFAULT_PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    def window(self, radius: int = 2) -> list[int | None]:
        """Page numbers to link: first, last and those near the current one; None marks a gap."""
        shown = sorted({1, self.pages} | set(range(max(1, self.number - radius),
                                                   min(self.pages, self.number + radius) + 1)))
        numbers: list[int | None] = []
        for number in shown:
            if numbers and number - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers
