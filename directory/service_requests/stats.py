"""The three rates of service requests (response, resolution, satisfaction), nationally or in a division,
now or at the end of a past day; by tier of the institutions and by province.

Definitions, all read from timestamps so a past ``as_of`` gives what was known that day:
- requests: submitted by then (in the division and below when one is given);
- response rate: assignments accepted within their deadline, among those whose deadline had passed
  or that had been accepted;
- resolution rate: requests with an outcome ``resolved`` or ``partly``, among requests received;
- satisfaction rate: ratings 4–5 among the requests rated;
- hours to accept: from an assignment's creation to its acceptance (median, 90th percentile);
- escalations: assignments created because one below was not accepted in time or was declined by all.
Rates are fractions 0–1, None where there is nothing to divide. The monthly trend gives, for each of the
last twelve months, the same figures for the requests received in that month.
"""
import math
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from directory.regions.models import Region
from directory.regions.service import subtree_codes
from directory.service_requests.models import Assignment, Feedback, ServiceRequest
from directory.timestamps import SHANGHAI, utcnow
from matching.geography import TIERS

RESOLVED_OUTCOMES = ("resolved", "partly")
# Only the columns the figures read (rows, not model objects: a tenth of the time); never a contact field.
REQUEST_COLUMNS = (ServiceRequest.id, ServiceRequest.region_code, ServiceRequest.created_at)
ASSIGNMENT_COLUMNS = (Assignment.request_id, Assignment.institution_id, Assignment.tier, Assignment.source,
                      Assignment.created_at, Assignment.accept_by, Assignment.accepted_at, Assignment.resolved_at,
                      Assignment.outcome)
TREND_MONTHS = 12


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (rank - low), 1)


def _figures(requests: list[ServiceRequest], assignments: list[Assignment], ratings: dict[int, int],
             moment: datetime) -> dict:
    due = [a for a in assignments if a.accept_by <= moment or (a.accepted_at and a.accepted_at <= moment)]
    on_time = [a for a in due if a.accepted_at and a.accepted_at <= min(a.accept_by, moment)]
    request_ids = {r.id for r in requests}
    resolved = {a.request_id for a in assignments if a.resolved_at and a.resolved_at <= moment
                and a.outcome in RESOLVED_OUTCOMES and a.request_id in request_ids}
    rated = [ratings[i] for i in request_ids if i in ratings]
    hours = [(a.accepted_at - a.created_at).total_seconds() / 3600 for a in assignments
             if a.accepted_at and a.accepted_at <= moment]
    return {"requests": len(requests), "response_rate": _rate(len(on_time), len(due)),
            "resolution_rate": _rate(len(resolved), len(requests)),
            "satisfaction_rate": _rate(sum(1 for r in rated if r >= 4), len(rated)),
            "median_hours_to_accept": _percentile(hours, 0.5), "p90_hours_to_accept": _percentile(hours, 0.9),
            "escalations": sum(1 for a in assignments if a.source == "escalated")}


def _rows(session: Session, *, region_code: str | None, moment: datetime, institution_id: int | None = None):
    """Requests (by id), assignments and ratings known at ``moment``, in the division (or for one institution)."""
    query = select(*REQUEST_COLUMNS).where(ServiceRequest.created_at <= moment)
    if region_code:
        query = query.where(ServiceRequest.region_code.in_(subtree_codes(region_code)))
    by_id = {r.id: r for r in session.execute(query)}
    assignments = [a for a in session.execute(select(*ASSIGNMENT_COLUMNS).where(Assignment.created_at <= moment))
                   if a.request_id in by_id and (institution_id is None or a.institution_id == institution_id)]
    if institution_id is not None:
        by_id = {i: by_id[i] for i in {a.request_id for a in assignments}}
    ratings = dict(session.execute(select(Feedback.request_id, Feedback.rating).where(Feedback.at <= moment)).all())
    return by_id, assignments, ratings


def service_stats(session: Session, *, region_code: str | None = None, moment: datetime | None = None,
                  trend_months: int = TREND_MONTHS) -> dict:
    """The figures for the nation (or ``region_code`` and below) as known at ``moment`` (default now),
    with ``levels`` (by the tier of the assigned institution), ``provinces`` (with their names) and
    ``trend`` (the requests received in each of the last ``trend_months`` months, as known at ``moment``)."""
    moment = moment or utcnow()
    by_id, assignments, ratings = _rows(session, region_code=region_code, moment=moment)
    requests = list(by_id.values())
    levels = []
    for tier in TIERS:
        mine = [a for a in assignments if a.tier == tier]
        levels.append({"level": tier, **_figures([by_id[i] for i in {a.request_id for a in mine}], mine, ratings,
                                                 moment)})
    names = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_({f"{r.region_code[:2]}0000" for r in requests}))).all()) if requests else {}
    provinces = [{"region_code": code, "name": names.get(code, code), **figures}
                 for code, figures in _grouped(requests, assignments, ratings, moment,
                                               lambda r: f"{r.region_code[:2]}0000").items()]
    return _figures(requests, assignments, ratings, moment) | {
        "levels": levels, "provinces": sorted(provinces, key=lambda p: p["region_code"]),
        "trend": _trend(requests, assignments, ratings, moment, trend_months)}


def _grouped(requests: list, assignments: list, ratings: dict[int, int], moment: datetime, key) -> dict[str, dict]:
    """The figures of the requests grouped by ``key(request)``, each group with its requests' assignments."""
    group_of = {r.id: key(r) for r in requests}
    inside: dict[str, list] = {}
    theirs: dict[str, list] = {}
    for r in requests:
        inside.setdefault(group_of[r.id], []).append(r)
    for a in assignments:
        theirs.setdefault(group_of[a.request_id], []).append(a)
    return {group: _figures(rows, theirs.get(group, []), ratings, moment) for group, rows in inside.items()}


def institution_stats(session: Session, *, institution_id: int, moment: datetime | None = None,
                      trend_months: int = TREND_MONTHS) -> dict:
    """The figures of one institution's assignments (requests it was given), with the monthly trend."""
    moment = moment or utcnow()
    by_id, assignments, ratings = _rows(session, region_code=None, moment=moment, institution_id=institution_id)
    requests = list(by_id.values())
    return _figures(requests, assignments, ratings, moment) | {
        "trend": _trend(requests, assignments, ratings, moment, trend_months)}


def _month_starts(moment: datetime, months: int) -> list[date]:
    """The first days (Asia/Shanghai) of the last ``months`` months up to ``moment``'s, oldest first."""
    day = moment.astimezone(SHANGHAI).date().replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return starts[::-1]


def _trend(requests: list, assignments: list, ratings: dict[int, int],
           moment: datetime, months: int) -> list[dict]:
    """Per month, the figures of the requests received that month (their assignments and ratings as of ``moment``)."""
    by_month = _grouped(requests, assignments, ratings, moment,
                        lambda r: r.created_at.astimezone(SHANGHAI).strftime("%Y-%m"))
    trend = []
    for start in _month_starts(moment, months):
        month = start.strftime("%Y-%m")
        trend.append({"month": month, **(by_month.get(month) or _figures([], [], ratings, moment))})
    return trend
