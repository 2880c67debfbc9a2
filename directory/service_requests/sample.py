"""A year of sample service requests flowing through the sample network (``flask seed``).

Generated, not real: a fixed random seed gives the same mix on every install, with dates relative to
today. Most requests are accepted in time by the county or municipal institution they went to; some
expire or are declined and go one tier up (as the clock would move them), a few are forwarded; most are
resolved, some partly or not; most are rated, some not; a few are reopened and resolved again. The rows
are what the service functions write (``service.offer``, ``transitions.apply_action``, ``rate``, ``reopen``
and the clock): requests, assignments with their deadlines on China's working-day calendar, timeline lines
and feedback; no e-mail is queued. Contact details are fake (138… numbers, example.cn addresses) and, as
the erasure rule would have done, gone from requests closed more than ``SERVICE_ERASE_AFTER_DAYS`` ago.
"""
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import insert, select
from sqlmodel import Session

from directory.categories.models import ServiceCategory
from directory.credit_code import make_credit_code
from directory.institutions.models import Institution, InstitutionService, InstitutionStatus
from directory.regions.models import Region
from directory.service_requests.models import (Assignment, AssignmentStatus, Feedback, RequestEvent,
                                               RequestStatus, ServiceRequest)
from directory.service_requests.service import token_hash
from directory.service_requests.settings import setting
from directory.service_requests.working_days import deadline_after, is_working_day
from directory.timestamps import SHANGHAI, utcnow
from matching.geography import TIERS

SEED = 16
DAYS = 380            # a year, and a few weeks more so that erased requests show too
STAFF = "sample-staff"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚"]
TRADES = ["精密机械", "电子元件", "服装", "食品", "软件", "新材料", "包装", "家具", "汽车零部件", "农产品加工", "物流", "医疗器械"]
ASKS = ["希望了解相关政策和申报流程", "想请专业人员上门指导", "请帮忙对接合适的服务机构", "时间比较紧，希望尽快联系",
        "之前没有经验，需要从头咨询"]
DECLINE_REASONS = ["本机构暂不提供该项服务", "该企业不在本机构服务范围内", "近期服务排满，无法按时对接"]
FORWARD_NOTES = ["该事项由上级平台专业团队办理更合适", "转交更熟悉该领域的机构"]
RESOLVE_NOTES = {"resolved": ["已完成对接，企业问题已解决", "已上门服务并办结"],
                 "partly": ["已提供部分服务，其余事项建议企业另行办理"],
                 "not_resolved": ["经沟通，企业需求暂无法满足"]}
COMMENTS = {5: ["响应很快，非常满意", "服务专业，解决了实际问题"], 4: ["总体满意"], 3: ["一般"],
            2: ["联系不够及时"], 1: ["问题没有解决"]}


@dataclass
class _Provider:
    id: int
    tier: str
    region_code: str | None
    categories: set[str]


@dataclass
class _Plan:
    """One request being generated: its row, its assignments in order, its timeline lines and rating."""

    request: ServiceRequest
    assignments: list[tuple[Assignment, int | None]] = field(default_factory=list)   # (row, index of parent)
    events: list[dict] = field(default_factory=list)                                 # assignment as index
    rating: tuple[int, str | None, datetime] | None = None


class _Network:
    def __init__(self, session: Session):
        services: dict[int, set[str]] = {}
        for institution_id, code in session.execute(select(InstitutionService.institution_id,
                                                           InstitutionService.category_code)):
            services.setdefault(institution_id, set()).add(code)
        self.providers = [_Provider(i, str(level), region, services[i]) for i, level, region in session.execute(
            select(Institution.id, Institution.level, Institution.region_code)
            .where(Institution.status == InstitutionStatus.active).order_by(Institution.id)) if i in services]
        self.parent = dict(session.execute(select(Region.code, Region.parent_code)).all())
        self.by_place: dict[tuple[str | None, str], list[_Provider]] = {}
        for provider in self.providers:
            self.by_place.setdefault((provider.region_code, provider.tier), []).append(provider)
        self.category_names = dict(session.execute(select(ServiceCategory.code, ServiceCategory.name_zh)).all())

    def chain(self, region_code: str, category: str, above: str, excluded: set[int]) -> _Provider | None:
        """The provider of the nearest tier above ``above`` on ``region_code``'s chain offering ``category``."""
        places, code = [], region_code
        while code:
            places.append(code)
            code = self.parent.get(code)
        for tier in TIERS[TIERS.index(above) + 1:]:
            for place in (places if tier != "national" else [None]):
                found = [p for p in self.by_place.get((place, tier), ())
                         if category in p.categories and p.id not in excluded]
                if found:
                    return found[0]
        return None


def load_sample_requests(session: Session, *, now: datetime | None = None) -> int:
    """Add the sample requests unless there are requests already; returns how many were added."""
    if session.scalar(select(ServiceRequest.id).limit(1)) is not None:
        return 0
    now = now or utcnow()
    network = _Network(session)
    starters = [p for p in network.providers if p.tier in ("county", "municipal") and p.region_code]
    if not starters:
        return 0
    rng = random.Random(SEED)
    plans = [_generate(rng, network, starters, n, moment, now) for n, moment in enumerate(_arrivals(rng, now))]
    _write(session, plans)
    return len(plans)


def _arrivals(rng: random.Random, now: datetime) -> list[datetime]:
    """When the requests came in: more on working days and in office hours, slowly growing over the year."""
    today = now.astimezone(SHANGHAI).date()
    moments = []
    for back in range(DAYS, -1, -1):
        day = today - timedelta(days=back)
        growth = 1 + (DAYS - back) / DAYS
        count = rng.choice((1, 1, 2, 2, 3)) if is_working_day(day) else rng.choice((0, 0, 0, 1))
        for _ in range(round(count * growth)):
            minute = rng.randint(8 * 60 + 30, 18 * 60)
            moment = datetime.combine(day, time(minute // 60, minute % 60), SHANGHAI)
            if moment < now:
                moments.append(moment)
    return sorted(moments)


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def _generate(rng: random.Random, network: _Network, starters: list[_Provider], n: int, created: datetime,
              now: datetime) -> _Plan:
    first = rng.choice(starters)
    category = rng.choice(sorted(first.categories))
    name = network.category_names.get(category, category)
    request = ServiceRequest(
        need=f"我们是一家{rng.choice(TRADES)}企业，需要{name}方面的服务，{rng.choice(ASKS)}。",
        region_code=first.region_code, categories=[category],
        enterprise_name=f"示例{rng.choice(TRADES)}有限公司{n + 1:04d}",
        contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN)),
        contact_phone=f"138{rng.randint(0, 99_999_999):08d}",
        contact_email=f"sme{n + 1:04d}@example.cn" if rng.random() < 0.6 else None,
        credit_code=make_credit_code(f"91{first.region_code}MA{rng.randint(0, 9_999_999):07d}")
        if rng.random() < 0.5 else None,
        consent_at=created, created_at=created, tracking_hash=token_hash(f"sample-request-{n}-{rng.random()}"),
        status=RequestStatus.open)
    plan = _Plan(request)
    plan.events.append({"actor": "sme", "action": "submitted", "at": created})
    provider, source, parent, at = first, "chosen" if rng.random() < 0.5 else "default", None, created
    roll = rng.random()
    fate = ("accept" if roll < 0.74 else "expire" if roll < 0.86 else "decline" if roll < 0.92
            else "forward" if roll < 0.96 else "slow")
    taken: set[int] = set()
    while provider is not None:
        taken.add(provider.id)
        assignment = Assignment(institution_id=provider.id, tier=provider.tier, source=source, created_at=at,
                                updated_at=at, accept_by=deadline_after(at, setting("SERVICE_ACCEPT_WORKING_DAYS")),
                                status=AssignmentStatus.offered)
        plan.assignments.append((assignment, parent))
        index = len(plan.assignments) - 1
        plan.events.append({"actor": "sme" if source in ("chosen", "default") else "clock" if source == "escalated"
                            else STAFF, "action": f"offered_{source}", "at": at, "assignment": index,
                            "note": assignment.note})
        if fate in ("expire", "decline", "forward"):
            act_at = assignment.accept_by + timedelta(minutes=rng.randint(1, 10)) if fate == "expire" \
                else at + _hours(rng, 1, 20)
            if act_at > now:
                break
            note = None
            if fate == "expire":
                assignment.status, next_source = AssignmentStatus.expired, "escalated"
                plan.events.append({"actor": "clock", "action": "expired", "at": act_at, "assignment": index})
            elif fate == "decline":
                assignment.status, next_source = AssignmentStatus.declined, "escalated"
                note = rng.choice(DECLINE_REASONS)
                plan.events.append({"actor": STAFF, "action": "decline", "at": act_at, "assignment": index,
                                    "note": note})
            else:
                assignment.status, next_source = AssignmentStatus.forwarded, "forwarded"
                note = rng.choice(FORWARD_NOTES)
                plan.events.append({"actor": STAFF, "action": "forward", "at": act_at, "assignment": index,
                                    "note": note})
            assignment.note, assignment.updated_at = note, act_at
            provider = network.chain(request.region_code, category, provider.tier, taken)
            if provider is None:
                plan.events.append({"actor": "clock", "action": "unserved", "at": act_at})
                break
            source, parent, at = next_source, index, act_at
            fate = "expire" if next_source == "escalated" and rng.random() < 0.08 else "accept"
            continue
        _serve(rng, plan, assignment, index, fate, now)
        break
    _settle(plan, now)
    return plan


def _serve(rng: random.Random, plan: _Plan, assignment: Assignment, index: int, fate: str, now: datetime) -> None:
    """Accepted in time, then resolved (perhaps reopened and resolved again) and perhaps rated."""
    room = (assignment.accept_by - assignment.created_at).total_seconds() / 3600 - 0.5
    hours = rng.uniform(0.6 * room, room) if fate == "slow" else rng.choice(
        (rng.uniform(0.2, 4), rng.uniform(0.2, 4), rng.uniform(2, 10), rng.uniform(4, min(30, room))))
    accepted = assignment.created_at + timedelta(hours=min(hours, room))
    if accepted > now:
        return
    assignment.status, assignment.accepted_at, assignment.updated_at = AssignmentStatus.accepted, accepted, accepted
    assignment.resolve_by = deadline_after(accepted, setting("SERVICE_RESOLVE_WORKING_DAYS"))
    plan.events.append({"actor": STAFF, "action": "accept", "at": accepted, "assignment": index})
    resolved = _resolve(rng, plan, assignment, index, accepted + _hours(rng, 24, 20 * 24), now)
    if resolved is None:
        return
    if rng.random() < 0.04:
        reopened = resolved + _hours(rng, 12, 6 * 24)
        if reopened > now:
            return
        assignment.status, assignment.resolved_at, assignment.outcome = AssignmentStatus.accepted, None, None
        assignment.resolve_by = deadline_after(reopened, setting("SERVICE_RESOLVE_WORKING_DAYS"))
        assignment.updated_at = reopened
        plan.events.append({"actor": "sme", "action": "reopened", "at": reopened, "assignment": index,
                            "note": "问题还没有完全解决，希望继续跟进"})
        resolved = _resolve(rng, plan, assignment, index, reopened + _hours(rng, 24, 10 * 24), now)
        if resolved is None:
            return
    if rng.random() < 0.72:
        rated = resolved + _hours(rng, 1, 6 * 24)
        if rated <= now:
            good = assignment.outcome != "not_resolved"
            rating = rng.choices((5, 4, 3, 2, 1), (48, 32, 10, 6, 4) if good else (2, 8, 30, 35, 25))[0]
            comment = rng.choice(COMMENTS[rating]) if rng.random() < 0.6 else None
            plan.rating = (rating, comment, rated)
            plan.events.append({"actor": "sme", "action": "rated", "at": rated, "note": comment})


def _resolve(rng: random.Random, plan: _Plan, assignment: Assignment, index: int, at: datetime,
             now: datetime) -> datetime | None:
    if at > now:
        return None
    outcome = rng.choices(("resolved", "partly", "not_resolved"), (78, 13, 9))[0]
    note = rng.choice(RESOLVE_NOTES[outcome])
    assignment.status, assignment.resolved_at, assignment.outcome = AssignmentStatus.resolved, at, outcome
    assignment.note, assignment.updated_at = note, at
    plan.events.append({"actor": STAFF, "action": "resolve", "at": at, "assignment": index, "note": note})
    return at


def _settle(plan: _Plan, now: datetime) -> None:
    """The request's status and closing as ``transitions.refresh_status`` and ``rate`` set them; contact
    details erased as ``clock.erase_expired`` would have."""
    request, statuses = plan.request, {a.status for a, _ in plan.assignments}
    if AssignmentStatus.accepted in statuses:
        request.status = RequestStatus.in_progress
    elif AssignmentStatus.offered in statuses:
        request.status = RequestStatus.open
    elif AssignmentStatus.resolved in statuses:
        request.status = RequestStatus.closed if plan.rating else RequestStatus.resolved
        request.closed_at = max(a.resolved_at for a, _ in plan.assignments if a.resolved_at)
    else:
        request.status = RequestStatus.unserved
        request.closed_at = max(a.updated_at for a, _ in plan.assignments)
    erase_at = request.closed_at + timedelta(days=setting("SERVICE_ERASE_AFTER_DAYS"), minutes=5) \
        if request.closed_at else None
    if erase_at and erase_at <= now:
        request.contact_name = request.contact_phone = request.contact_email = None
        request.enterprise_name = request.credit_code = None
        request.erased_at = erase_at
        plan.events.append({"actor": "clock", "action": "erased", "at": erase_at})


def _write(session: Session, plans: list[_Plan]) -> None:
    """Requests, then assignments tier by tier of escalation (each knows the one it came from), then the
    timeline and the ratings in bulk."""
    session.add_all([plan.request for plan in plans])
    session.flush()
    depth = max(len(plan.assignments) for plan in plans)
    for position in range(depth):
        layer = []
        for plan in plans:
            if position < len(plan.assignments):
                assignment, parent = plan.assignments[position]
                assignment.request_id = plan.request.id
                assignment.escalated_from_id = plan.assignments[parent][0].id if parent is not None else None
                layer.append(assignment)
        session.add_all(layer)
        session.flush()
    events, ratings = [], []
    for plan in plans:
        for event in sorted(plan.events, key=lambda e: e["at"]):
            index = event.get("assignment")
            assignment = plan.assignments[index][0] if index is not None else None
            events.append({"request_id": plan.request.id, "assignment_id": assignment.id if assignment else None,
                           "institution_id": assignment.institution_id if assignment else None,
                           "actor": event["actor"], "action": event["action"], "note": event.get("note"),
                           "at": event["at"]})
        if plan.rating:
            rating, comment, at = plan.rating
            ratings.append({"request_id": plan.request.id, "rating": rating, "comment": comment, "at": at})
    session.execute(insert(RequestEvent), events)
    if ratings:
        session.execute(insert(Feedback), ratings)
