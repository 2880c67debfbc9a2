"""The public directory page: filters read from the query string, one page of results."""
import math
import re
from dataclasses import dataclass, field

from sqlalchemy import Select
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from directory.categories.models import ServiceCategory
from directory.categories.service import list_categories
from directory.designations.service import kinds_by_code
from directory.institutions.models import Institution, InstitutionLevel, InstitutionStatus
from directory.institutions.service import institutions_query
from directory.institutions.search import name_ranking
from directory.pagination import count_rows, page_rows
from directory.regions.models import Region
from directory.regions.service import child_regions, region_path

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 100
REGION_SELECTS = 3  # province, prefecture, county
REGION_CODE = re.compile(r"^\d{6}$")


@dataclass
class DirectoryFilters:
    """What the visitor asked for; ``ignored`` lists (argument, value) pairs that made no sense."""

    q: str = ""
    level: InstitutionLevel | None = None
    region_path: list[Region] = field(default_factory=list)
    service: str | None = None
    status: InstitutionStatus | None = None
    designation: str | None = None   # a designation kind the institutions hold (active)
    ignored: list[tuple[str, str]] = field(default_factory=list)

    @property
    def region_code(self) -> str | None:
        """The deepest chosen division; results lie in it or below it."""
        return self.region_path[-1].code if self.region_path else None

    def query_args(self) -> dict[str, str]:
        """The filters in use as query-string arguments, for links that keep them."""
        args = {"q": self.q, "level": self.level, "region_code": self.region_code,
                "service": self.service, "status": self.status, "designation": self.designation}
        return {key: str(value) for key, value in args.items() if value}

    def query(self, session: Session) -> Select:
        """The institutions matching these filters, best name matches first when searching."""
        return institutions_query(name_ranking=name_ranking(session, self.q), level=self.level,
                                  within=self.region_code, service=self.service, status=self.status,
                                  designation=self.designation)


@dataclass
class ResultPage:
    """One page of results and where it sits among all of them."""

    items: list[Institution]
    total: int
    number: int
    size: int = PAGE_SIZE

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


def categories_by_code(session: Session) -> dict[str, ServiceCategory]:
    """The service categories keyed by code, in contract order."""
    return {category.code: category for category in list_categories(session)}


def read_filters(session: Session, args: MultiDict, *, service_codes: set[str]) -> DirectoryFilters:
    """The directory filters in ``args``; values that make no sense are ignored and listed."""
    filters = DirectoryFilters(q=" ".join(args.get("q", "").split())[:MAX_QUERY_LENGTH])
    filters.level = _enum_choice(InstitutionLevel, "level", args, filters.ignored)
    filters.status = _enum_choice(InstitutionStatus, "status", args, filters.ignored)
    service = args.get("service", "").strip()
    if service and service in service_codes:
        filters.service = service
    elif service:
        filters.ignored.append(("service", service))
    designation = args.get("designation", "").strip()
    if designation and designation in kinds_by_code(session):
        filters.designation = designation
    elif designation:
        filters.ignored.append(("designation", designation))
    filters.region_path = chosen_region_path(session, args.getlist("region_code"), filters.ignored)
    return filters


def _enum_choice(enum, name: str, args: MultiDict, ignored: list):
    value = args.get(name, "").strip()
    if value in enum.__members__:
        return enum(value)
    if value:
        ignored.append((name, value))
    return None


def chosen_region_path(session: Session, values: list[str], ignored: list) -> list[Region]:
    """The path down to the deepest division chosen in the cascading region selects.

    The selects send province, prefecture and county in that order. A later value wins only
    when it lies below the earlier choice, so a deeper select left stale after the province
    was changed without JavaScript does not override the new province.
    """
    path: list[Region] = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        candidate = region_path(session, value) if REGION_CODE.match(value) else []
        if not candidate:
            ignored.append(("region_code", value))
        elif not path or path[-1].code in {r.code for r in candidate}:
            path = candidate
    return path


def region_selects(session: Session, path: list[Region]) -> list[tuple[list[Region], str | None]]:
    """Options and chosen code of each region select: provinces, then each choice's children."""
    options = [child_regions(session, None)] + [child_regions(session, r.code) for r in path[:2]]
    options += [[]] * (REGION_SELECTS - len(options))
    return [(choices, path[i].code if i < len(path) else None) for i, choices in enumerate(options)]


def directory_page(session: Session, filters: DirectoryFilters, number: int) -> ResultPage:
    """Page ``number`` of the institutions matching ``filters`` (kept within the last page)."""
    stmt = filters.query(session)
    page = ResultPage(items=[], total=count_rows(session, stmt), number=1)
    page.number = min(max(1, number), page.pages)
    page.items = page_rows(session, stmt, offset=(page.number - 1) * page.size, limit=page.size)
    return page
