"""What the network is asked for: demand by category and by province, and what the chain cannot serve.

Counts are computed in SQL over ``match_request``; a period is ``since`` (inclusive) to ``until``
(exclusive), both aware datetimes, either open; ``region_code`` (a province, the statistics' scope) keeps the SMEs of that province.
"""
from datetime import datetime

from sqlalchemy import case, func, select
from sqlmodel import Session

from directory.categories.models import ServiceCategory
from directory.demand.models import MatchRequest, MatchRequestCategory
from directory.regions.models import Region


def _scope(since: datetime | None, until: datetime | None, region_code: str | None) -> list:
    conditions = [] if region_code is None else [MatchRequest.province_code == region_code]
    if since is not None:
        conditions.append(MatchRequest.created_at >= since)
    if until is not None:
        conditions.append(MatchRequest.created_at < until)
    return conditions


def _count_not(flag):
    return func.coalesce(func.sum(case((flag.is_(False), 1), else_=0)), 0)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def demand_by_category(session: Session, *, since: datetime | None = None,
                       until: datetime | None = None,
                       region_code: str | None = None) -> list[dict]:
    """Per category asked for: requests, and how many (and what share) the SME's chain could not serve."""
    requests = func.count().label("requests")
    rows = session.execute(
        select(MatchRequestCategory.category_code, ServiceCategory.name_zh, ServiceCategory.name_en, requests,
               _count_not(MatchRequestCategory.served_in_chain).label("not_served"))
        .join(MatchRequest, MatchRequest.id == MatchRequestCategory.request_id)
        .join(ServiceCategory, ServiceCategory.code == MatchRequestCategory.category_code)
        .where(*_scope(since, until, region_code))
        .group_by(MatchRequestCategory.category_code, ServiceCategory.name_zh, ServiceCategory.name_en,
                  ServiceCategory.position)
        .order_by(requests.desc(), ServiceCategory.position, MatchRequestCategory.category_code))
    return [{"category_code": code, "name": name_zh, "name_en": name_en, "requests": n,
             "not_served_in_chain": not_served, "unserved_share": _share(not_served, n)}
            for code, name_zh, name_en, n, not_served in rows]


def demand_by_province(session: Session, *, since: datetime | None = None,
                       until: datetime | None = None,
                       region_code: str | None = None) -> list[dict]:
    """Per province of the SME (None: no region given): requests, and those not fully served in-chain."""
    requests = func.count().label("requests")
    rows = session.execute(
        select(MatchRequest.province_code, Region.name, requests,
               _count_not(MatchRequest.served_in_chain).label("not_served"))
        .outerjoin(Region, Region.code == MatchRequest.province_code)
        .where(*_scope(since, until, region_code))
        .group_by(MatchRequest.province_code, Region.name)
        .order_by(requests.desc(), MatchRequest.province_code))
    return [{"province_code": code, "name": name, "requests": n, "not_served_in_chain": not_served,
             "unserved_share": _share(not_served, n)} for code, name, n, not_served in rows]


def demand_overview(session: Session, *, since: datetime | None = None, until: datetime | None = None,
                       region_code: str | None = None) -> dict:
    """Requests and needs (request x category) in the period, and the share the chain could not serve."""
    requests, requests_not_served = session.execute(
        select(func.count(), _count_not(MatchRequest.served_in_chain)).where(*_scope(since, until, region_code))).one()
    needs, needs_not_served = session.execute(
        select(func.count(), _count_not(MatchRequestCategory.served_in_chain))
        .join(MatchRequest, MatchRequest.id == MatchRequestCategory.request_id)
        .where(*_scope(since, until, region_code))).one()
    return {"requests": requests, "requests_not_served_in_chain": requests_not_served,
            "requests_unserved_share": _share(requests_not_served, requests),
            "needs": needs, "needs_not_served_in_chain": needs_not_served,
            "unserved_share": _share(needs_not_served, needs)}
