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
Rates are fractions 0–1, None where there is nothing to divide.
"""
import math
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from directory.regions.service import subtree_codes
from directory.service_requests.models import Assignment, Feedback, ServiceRequest
from directory.timestamps import utcnow
from matching.geography import TIERS

RESOLVED_OUTCOMES = ("resolved", "partly")


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


def service_stats(session: Session, *, region_code: str | None = None, moment: datetime | None = None) -> dict:
    """The figures for the nation (or ``region_code`` and below) as known at ``moment`` (default now),
    with ``levels`` (by the tier of the assigned institution) and ``provinces``."""
    moment = moment or utcnow()
    query = select(ServiceRequest).where(ServiceRequest.created_at <= moment)
    if region_code:
        query = query.where(ServiceRequest.region_code.in_(subtree_codes(region_code)))
    requests = list(session.scalars(query))
    by_id = {r.id: r for r in requests}
    assignments = [a for a in session.scalars(select(Assignment).where(Assignment.created_at <= moment))
                   if a.request_id in by_id]
    ratings = {f.request_id: f.rating for f in session.scalars(select(Feedback).where(Feedback.at <= moment))}
    levels = []
    for tier in TIERS:
        mine = [a for a in assignments if a.tier == tier]
        levels.append({"level": tier, **_figures([by_id[i] for i in {a.request_id for a in mine}], mine, ratings,
                                                 moment)})
    provinces = []
    for province in sorted({r.region_code[:2] for r in requests}):
        inside = [r for r in requests if r.region_code[:2] == province]
        ids = {r.id for r in inside}
        provinces.append({"region_code": f"{province}0000",
                          **_figures(inside, [a for a in assignments if a.request_id in ids], ratings, moment)})
    return _figures(requests, assignments, ratings, moment) | {"levels": levels, "provinces": provinces}
