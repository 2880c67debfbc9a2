"""The sample events of ``seed_data/events.json`` (generated, not real events).

Dates in the file are relative to its ``anchor`` day; loading shifts them by the days between
the anchor and today, so the calendar always has a past year and a coming year. Completed and
closed events get their meeting schedule built (and confirmed) by the real scheduler, and the
outcomes of completed events are recorded against those meetings.
"""
import json
import re
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from directory.events import timetable
from directory.events.models import EventStatus, FinancingEvent, Registration
from directory.events.outcomes import record_outcome
from directory.events.schemas import EventInSchema, FinancierInSchema, OutcomeInSchema, RegistrationInSchema
from directory.events.service import create_event, create_financier
from directory.institutions.models import Institution
from directory.reference_data import SEED_DATA, read_csv
from directory.sample_network import SAMPLE_CSV
from directory.timestamps import utcnow

SAMPLE_EVENTS = SEED_DATA / "events.json"
SCHEDULED = (EventStatus.completed, EventStatus.closed)


def _shifted(value: str, shift: timedelta) -> str:
    return (datetime.fromisoformat(value) + shift).isoformat()


MONTH_IN_TITLE = re.compile(r"\d{4}年\d{1,2}月")
YEAR_IN_TITLE = re.compile(r"\d{4}年(?!\d{1,2}月)")


def _shift_event(raw: dict, shift: timedelta) -> dict:
    event = dict(raw)
    for key in ("starts_at", "ends_at", "registration_deadline"):
        if event.get(key):
            event[key] = _shifted(event[key], shift)
    event["sessions"] = [{k: _shifted(v, shift) for k, v in s.items()} for s in raw.get("sessions", [])]
    event["title"] = retitled(raw["title"], datetime.fromisoformat(event["starts_at"]))
    return event


def retitled(title: str, starts_at: datetime) -> str:
    """The title with its year and month (2025年11月, 2025年…) made those of the shifted start date."""
    title = MONTH_IN_TITLE.sub(f"{starts_at.year}年{starts_at.month}月", title)
    return YEAR_IN_TITLE.sub(f"{starts_at.year}年", title)


def _sample_institution_ids(session: Session) -> dict[int, int]:
    """The sample network's ids (as in its CSV) → the ids the database gave those institutions."""
    by_place = {(name, region): iid for iid, name, region in session.execute(
        select(Institution.id, Institution.name, Institution.region_code))}
    return {int(row["id"]): by_place[(row["name"], row["region_code"] or None)]
            for row in read_csv(SAMPLE_CSV) if (row["name"], row["region_code"] or None) in by_place}


def load_sample_events(session: Session, *, today: date | None = None) -> int:
    """Add the sample financiers and events to a registry without events; returns events added."""
    if session.scalar(select(func.count()).select_from(FinancingEvent)):
        return 0
    data = json.loads(SAMPLE_EVENTS.read_text(encoding="utf-8"))
    shift = timedelta(days=((today or utcnow().date()) - date.fromisoformat(data["anchor"])).days)
    organizers = _sample_institution_ids(session)
    financier_ids = {raw["key"]: create_financier(session, fields=FinancierInSchema().load(
        {k: v for k, v in raw.items() if k != "key"})).id for raw in data["financiers"]}
    event_schema, registration_schema = EventInSchema(), RegistrationInSchema()
    for raw in data["events"]:
        raw = _shift_event(raw, shift)
        fields = event_schema.load({k: v for k, v in raw.items()
                                    if k not in ("key", "registrations", "outcomes", "financiers")}
                                   | {"organizer_id": organizers.get(raw["organizer_id"], raw["organizer_id"])}
                                   | {"financiers": [{"financier_id": financier_ids[f["financier"]],
                                                      "capacity": f.get("capacity")} for f in raw["financiers"]]})
        event = create_event(session, fields=fields)
        registrations = []
        for entry in raw["registrations"]:
            registration = Registration(
                event_id=event.id, access_key=secrets.token_urlsafe(24),
                status=entry["status"], created_at=datetime.fromisoformat(_shifted(entry["registered_at"], shift)),
                **registration_schema.load({k: v for k, v in entry.items() if k not in ("status", "registered_at")}))
            registration.decided_at = None if registration.status == "pending" else registration.created_at
            session.add(registration)
            registrations.append(registration)
        session.flush()
        if event.status in SCHEDULED and registrations:
            timetable.build_schedule(session, event=event)
            timetable.confirm_schedule(session, event=event)
        for outcome in raw.get("outcomes", []):
            record_outcome(session, event_id=event.id, fields=OutcomeInSchema().load({
                "registration_id": registrations[outcome["registration"]].id,
                "financier_id": financier_ids[outcome["financier"]] if outcome.get("financier") else None,
                "result": outcome["result"], "amount_yuan": outcome.get("amount_yuan")}))
    session.flush()
    return len(data["events"])
