"""Upcoming events an SME could go to for its need: open, on topic, near it first.

The open events are few (a hundred or so a year) and asked for by every match, so each process
keeps them described in a copy (``directory.process_copy``): a commit in this process touching an
event, its tags, financiers, registrations or an institution (the organiser's name) drops the copy at once, another process's change is
seen within ``MAX_AGE_SECONDS``. Deadlines are checked against the clock at every use.
"""
from flask import url_for
from sqlalchemy import select
from sqlmodel import Session

from directory.events.areas import scope_for
from directory.events.models import EventFinancier, EventStatus, EventTag, FinancingEvent, Registration
from directory.events.service import describe_events
from directory.institutions.models import Institution
from directory.process_copy import app_copy
from directory.regions.editions import province_code_of
from directory.timestamps import utcnow

MAX_EVENTS = 5
MAX_AGE_SECONDS = 1.0
CACHE_KEY = "sme_open_events"


def events_for_need(session: Session, *, chain_codes: list[str], categories: list[str],
                    financing_types: list[str], limit: int = MAX_EVENTS) -> list[dict]:
    """Open events still taking registrations whose categories or financing types fit the need.

    First those of the SME's own chain and those open to its area; when none of these is local,
    the fitting ones elsewhere in its province (labelled so: the organiser decides on
    registrations from outside its area); then national ones. Soonest first within each group.
    """
    if not categories and not financing_types:
        return []
    wanted_categories, wanted_types = set(categories), set(financing_types)
    province = province_code_of(chain_codes[0]) if chain_codes else None   # a chain lies in one province
    now = utcnow()
    described = [e | {"scope": scope_for(e, chain_codes)} for e in open_events(session)
                 if _taking_registrations(e, now)
                 and (wanted_categories.intersection(e["categories"])
                      or wanted_types.intersection(e["financing_types"]))
                 and _near(e, chain_codes, province)]
    local = [e for e in described if e["scope"] in ("local", "open_to_you")]
    elsewhere = [e for e in described if e["scope"] == "province"] if not any(
        e["scope"] == "local" for e in local) else []
    national = [e for e in described if e["scope"] == "national"]
    return [_summary(e) for e in (local + elsewhere + national)[:limit]]


def open_events(session: Session) -> list[dict]:
    """Every open event not yet over, described, soonest first: this process's copy."""
    return app_copy(CACHE_KEY, _read_open_events, models=(FinancingEvent, EventTag, EventFinancier, Registration, Institution),
                    max_age=MAX_AGE_SECONDS).get(lambda: session)


def _read_open_events(session: Session) -> list[dict]:
    stmt = (select(FinancingEvent)
            .where(FinancingEvent.status == EventStatus.open, FinancingEvent.ends_at > utcnow())
            .order_by(FinancingEvent.starts_at, FinancingEvent.id))
    return describe_events(session, list(session.scalars(stmt)))


def _taking_registrations(event: dict, now) -> bool:
    deadline = event["registration_deadline"]
    return event["registration_open"] and now < event["ends_at"] and (deadline is None or now <= deadline)


def _near(event: dict, chain_codes: list[str], province: str | None) -> bool:
    code = event["region_code"]
    return (code is None or event["open_to"] == "nationwide" or code in chain_codes
            or bool(province and code.startswith(province[:2])))


def _summary(event: dict) -> dict:
    return {key: event[key] for key in (
        "id", "title", "starts_at", "ends_at", "region_code", "level", "organizer_name", "status", "seats_left",
        "categories", "financing_types", "chains", "open_to", "open_area", "scope")} | {
        "url": url_for("event_pages.detail", event_id=event["id"], _external=True)}
