"""The events calendar page: filters from the query string, events grouped by month, form help."""
from dataclasses import dataclass, field
from datetime import datetime, time

from flask_babel import lazy_gettext as _
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from directory.categories.service import category_codes
from directory.events.areas import open_area_code
from directory.events.models import EventStatus, FinancingEvent
from directory.events.service import describe_events, events_query
from directory.pagination import ResultPage
from directory.regions.cascading import REGION_CODE, chosen_region_path, region_selects
from directory.pagination import count_rows, page_rows
from directory.regions.models import Region
from directory.regions.service import child_regions, get_region
from directory.timestamps import SHANGHAI, in_shanghai, utcnow
from matching.financing import CHAINS, FINANCING_TYPES

PAGE_SIZE = 30
WHEN = ("upcoming", "past", "all")
REFUSALS = {
    "closed": _("该活动目前不接受报名。"),
    "deadline": _("报名已截止。"),
    "started": _("活动已结束。"),
    "full": _("名额已满。"),
    "duplicate": _("该企业（同一统一社会信用代码）已报名本活动，请勿重复报名。"),
}
__all__ = ["region_selects"]


@dataclass
class EventFilters:
    """What the visitor asked for; ``ignored`` lists arguments that made no sense."""

    when: str = "upcoming"
    status: EventStatus | None = None
    category: str | None = None
    chain: str | None = None
    financing_type: str | None = None
    from_date: str = ""
    to_date: str = ""
    region_path: list[Region] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)

    @property
    def region_code(self) -> str | None:
        return self.region_path[-1].code if self.region_path else None

    def query_args(self) -> dict[str, str]:
        args = {"when": self.when, "status": self.status, "category": self.category, "chain": self.chain,
                "financing_type": self.financing_type, "from": self.from_date, "to": self.to_date,
                "region_code": self.region_code}
        return {key: str(value) for key, value in args.items() if value}


def _choice(args: MultiDict, name: str, allowed, ignored: list) -> str | None:
    value = args.get(name, "").strip()
    if value in allowed:
        return value
    if value:
        ignored.append((name, value))
    return None


def _date(args: MultiDict, name: str, ignored: list) -> str:
    value = args.get(name, "").strip()
    try:
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        if value:
            ignored.append((name, value))
        return ""
    return value


def read_filters(session: Session, args: MultiDict) -> EventFilters:
    """The calendar's filters in ``args``; values that make no sense are ignored and listed."""
    ignored: list[tuple[str, str]] = []
    status = _choice(args, "status", EventStatus.__members__, ignored)
    return EventFilters(
        when=_choice(args, "when", WHEN, ignored) or "upcoming",
        status=EventStatus(status) if status else None,
        category=_choice(args, "category", category_codes(session), ignored),
        chain=_choice(args, "chain", CHAINS, ignored),
        financing_type=_choice(args, "financing_type", FINANCING_TYPES, ignored),
        from_date=_date(args, "from", ignored), to_date=_date(args, "to", ignored),
        region_path=chosen_region_path(session, args.getlist("region_code"), ignored), ignored=ignored)


def _day(value: str, end: bool) -> datetime:
    day = datetime.strptime(value, "%Y-%m-%d").date()
    return datetime.combine(day, time.max if end else time.min, tzinfo=SHANGHAI)


def events_page(session: Session, filters: EventFilters, number: int) -> ResultPage:
    """Page ``number`` of the events matching ``filters``: upcoming soonest first, past newest first."""
    now = utcnow()
    from_ = _day(filters.from_date, False) if filters.from_date else (now if filters.when == "upcoming" else None)
    to = _day(filters.to_date, True) if filters.to_date else (now if filters.when == "past" else None)
    stmt = events_query(status=filters.status, within=filters.region_code, from_=from_, to=to,
                        category=filters.category, chain=filters.chain, financing_type=filters.financing_type,
                        newest_first=filters.when == "past")
    if filters.when == "past" and not filters.to_date:
        stmt = stmt.where(FinancingEvent.ends_at < now)
    page = ResultPage(items=[], total=count_rows(session, stmt), number=1, size=PAGE_SIZE)
    page.number = min(max(1, number), page.pages)
    page.items = describe_events(session, page_rows(session, stmt, offset=(page.number - 1) * page.size,
                                                     limit=page.size))
    return page


def by_month(events: list[dict]) -> list[tuple[str, list[dict]]]:
    """Events grouped under their month in China time ("2026-12"), in the given order."""
    months: dict[str, list[dict]] = {}
    for event in events:
        months.setdefault(in_shanghai(event["starts_at"]).strftime("%Y-%m"), []).append(event)
    return list(months.items())


def registration_regions(session: Session, event: FinancingEvent) -> list[tuple[Region, list[Region]]] | None:
    """Where an SME registering for ``event`` may be: the area it is open to (its division and below,
    or its whole province), grouped by prefecture; None when open nationwide (the form then offers the
    cascading selects)."""
    area = open_area_code(region_code=event.region_code, open_to=event.open_to)
    if area is None:
        return None
    top = get_region(session, area)
    children = child_regions(session, top.code)
    if not children:
        return [(top, [top])]
    if all(not child_regions(session, child.code) for child in children[:1]):
        return [(top, [top, *children])]
    return [(child, [child, *child_regions(session, child.code)]) for child in children]


def deepest_region(values: list[str]) -> str:
    """The last non-empty division code sent by the cascading selects (they go province → county)."""
    chosen = [v.strip() for v in values if v and REGION_CODE.match(v.strip())]
    return chosen[-1] if chosen else ""


def refusal_message(reason: str) -> str:
    """Why registration was refused, in the visitor's language."""
    return str(REFUSALS[reason])
