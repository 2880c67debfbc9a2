"""The public directory page: filters read from the query string, one page of results."""
from dataclasses import dataclass, field

from sqlalchemy import Select
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from directory.designations.service import kinds_by_code
from directory.institutions.models import InstitutionLevel, InstitutionStatus
from directory.institutions.service import institutions_query
from directory.institutions.search import name_ranking
from directory.pagination import ResultPage, count_rows, page_rows
from directory.regions.cascading import chosen_region_path
from directory.regions.models import Region

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 100


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


def directory_page(session: Session, filters: DirectoryFilters, number: int) -> ResultPage:
    """Page ``number`` of the institutions matching ``filters`` (kept within the last page)."""
    stmt = filters.query(session)
    page = ResultPage(items=[], total=count_rows(session, stmt), number=1)
    page.number = min(max(1, number), page.pages)
    page.items = page_rows(session, stmt, offset=(page.number - 1) * page.size, limit=page.size)
    return page
