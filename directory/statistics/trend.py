"""Coverage month by month, from the first institution's month to today, in one query."""
from datetime import date, timedelta

from sqlalchemy import Date, and_, distinct, func, literal, or_, select, union_all
from sqlmodel import Session

from directory.institutions.models import Institution
from directory.institutions.rules import REGION_LEVEL_FOR
from directory.regions.models import Region, RegionSuccessor
from directory.regions.service import subtree_codes
from directory.regions.validity import edition_name, in_force
from directory.statistics.active import active_at, day_end, today
from directory.statistics.coverage import coverage_by_level
from directory.timestamps import SHANGHAI, UTCDateTime

CHUNK = 400  # SQLite allows 500 terms in one compound SELECT


def month_ends(first: date, last: date) -> list[date]:
    """The last day of each month from ``first``'s month to ``last``'s; ``last`` closes the list."""
    ends, month = [], first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        ends.append(min(following - timedelta(days=1), last))
        month = following
    return ends


def _covered_per_month(session: Session, days: list[date], region_code: str | None) -> dict:
    months = union_all(*[select(literal(i).label("position"), literal(day_end(day), UTCDateTime).label("moment"),
                                literal(day, Date).label("day"))
                         for i, day in enumerate(days)]).cte("months")
    # Where each institution counts: its division, and for past months any division it was moved out of.
    places = union_all(
        select(Institution.id.label("institution_id"), Institution.region_code.label("code")),
        select(Institution.id, RegionSuccessor.code)
        .join(RegionSuccessor, RegionSuccessor.successor_code == Institution.region_code)).subquery("places")
    matching_level = or_(*[and_(Region.level == region_level, Institution.level == level)
                           for level, region_level in REGION_LEVEL_FOR.items()])
    stmt = (select(months.c.position, Region.level, func.count(distinct(Region.code)))
            .select_from(months)
            .join(Institution, active_at(months.c.moment))
            .join(places, places.c.institution_id == Institution.id)
            .join(Region, and_(Region.code == places.c.code, matching_level, Region.mainland.is_(True),
                               in_force(months.c.day)))
            .group_by(months.c.position, Region.level))
    if region_code:
        stmt = stmt.where(Region.code.in_(subtree_codes(region_code)))
    return {(position, region_level): count for position, region_level, count in session.execute(stmt)}


def _divisions_per_month(session: Session, days: list[date], now: dict[str, int],
                         region_code: str | None) -> list[dict[str, int]]:
    """Divisions in force at each day, per level: today's counts, less those added since, plus
    those retired since (only dated divisions can differ, and they are few)."""
    level_of = {region_level: level.value for level, region_level in REGION_LEVEL_FOR.items()}
    stmt = select(Region.level, Region.in_force_from, Region.retired_on).where(
        Region.mainland.is_(True), or_(Region.in_force_from.is_not(None), Region.retired_on.is_not(None)))
    if region_code:
        stmt = stmt.where(Region.code.in_(subtree_codes(region_code)))
    dated = [(level_of[level], start, end) for level, start, end in session.execute(stmt)]
    counts = []
    for day in days:
        per_level = dict(now)
        for level, start, end in dated:
            in_force_now = end is None
            in_force_then = (start is None or start <= day) and (end is None or end > day)
            per_level[level] += int(in_force_then) - int(in_force_now)
        counts.append(per_level)
    return counts


def coverage_trend(session: Session, *, region_code: str | None = None) -> dict:
    """Covered divisions per level and the municipal-and-above rate at each month's end.

    Past months are read from created_at and closed_at and counted against the divisions in
    force at that month's end; the current month is today's coverage, as ``coverage_summary``
    reports it (suspended institutions do not count).
    """
    now = coverage_by_level(session, region_code=region_code)
    divisions = {lvl["level"]: lvl["divisions"] for lvl in now}
    first = session.scalar(select(func.min(Institution.created_at)))
    days = month_ends(first.astimezone(SHANGHAI).date(), today()) if first else []
    in_force_then = _divisions_per_month(session, days, divisions, region_code)
    points = []
    for start in range(0, len(days), CHUNK):
        chunk = days[start:start + CHUNK]
        covered = _covered_per_month(session, chunk, region_code)
        for i, day in enumerate(chunk):
            then = in_force_then[start + i]
            upper = then["provincial"] + then["municipal"]
            per_level = {level.value: covered.get((i, region_level), 0)
                         for level, region_level in REGION_LEVEL_FOR.items()}
            if start + i == len(days) - 1:
                per_level = {lvl["level"]: lvl["covered"] for lvl in now}
            upper_covered = per_level["provincial"] + per_level["municipal"]
            points.append({"month": day.strftime("%Y-%m"), "as_of": day.isoformat(), "covered": per_level,
                           "divisions": then,
                           "municipal_and_above": {"covered": upper_covered,
                                                   "rate": upper_covered / upper if upper else 0.0}})
    return {"region_code": region_code, "divisions_edition": edition_name(session), "divisions": divisions,
            "months": points}
