"""The public directory page: filters read from the query string, one page of results."""
from dataclasses import dataclass, field

from sqlalchemy import Select
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from directory.designations.service import kinds_by_code
from directory.input_schemas import page_argument
from directory.institutions.models import InstitutionLevel, InstitutionStatus
from directory.institutions.schemas import InstitutionQuerySchema
from directory.institutions.service import institutions_query
from directory.institutions.search import name_ranking
from directory.pagination import ResultPage, count_rows, page_rows
from directory.regions.cascading import chosen_region_path
from directory.regions.models import Region

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 100
QUERY_SCHEMA = InstitutionQuerySchema()   # the API's: the page reads its arguments the same way


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
    """The directory filters in ``args``, each read by the API's query schema; values that the API
    would refuse, or that name nothing, are ignored and listed."""
    filters = DirectoryFilters(q=" ".join(args.get("q", "").split())[:MAX_QUERY_LENGTH])
    filters.level = page_argument(QUERY_SCHEMA, args, "level", filters.ignored)
    filters.status = page_argument(QUERY_SCHEMA, args, "status", filters.ignored)
    service = page_argument(QUERY_SCHEMA, args, "service", filters.ignored)
    if service in service_codes:
        filters.service = service
    elif service:
        filters.ignored.append(("service", service))
    designation = page_argument(QUERY_SCHEMA, args, "designation", filters.ignored)
    if designation in kinds_by_code(session):
        filters.designation = designation
    elif designation:
        filters.ignored.append(("designation", designation))
    filters.region_path = chosen_region_path(session, args.getlist("region_code"), filters.ignored)
    return filters


def directory_page(session: Session, filters: DirectoryFilters, number: int) -> ResultPage:
    """Page ``number`` of the institutions matching ``filters`` (kept within the last page)."""
    stmt = filters.query(session)
    page = ResultPage(items=[], total=count_rows(session, stmt), number=1)
    page.number = min(max(1, number), page.pages)
    page.items = page_rows(session, stmt, offset=(page.number - 1) * page.size, limit=page.size)
    return page
