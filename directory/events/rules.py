"""What makes an event valid beyond single fields: its organiser, times, sessions and financiers."""
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from directory.categories.service import category_codes
from directory.events.models import EventStatus, Financier
from directory.institutions.models import Institution, InstitutionStatus
from directory.regions.models import Region
from directory.regions.validity import retirement_message
from directory.timestamps import utcnow

MAX_DURATION = timedelta(days=14)


class EventInvalid(ValueError):
    """The event breaks a rule; ``errors`` maps fields to messages, as the API reports them."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))
        self.errors = errors


def check_event(session: Session, fields: dict, *, already: dict[str, list[str]] | None = None,
                kept_region: str | None = None) -> Institution:
    """Check a whole event (after merging a change); returns its organiser.

    ``already`` holds the problems the event had before the change (``event_problems``): an edit
    is refused only for problems it adds, so an event whose organiser has closed since, or whose
    stored schedule breaks a rule, can still be edited and cancelled.
    """
    organizer, errors = event_problems(session, fields, kept_region=kept_region)
    added = {field: [m for m in messages if m not in (already or {}).get(field, [])]
             for field, messages in errors.items()}
    added = {field: messages for field, messages in added.items() if messages}
    if added or organizer is None:
        raise EventInvalid(added or errors)
    return organizer


def event_problems(session: Session, fields: dict, *,
                   kept_region: str | None = None) -> tuple[Institution | None, dict[str, list[str]]]:
    """The event's organiser (None if unknown) and every rule the event breaks, by field. The event
    is placed in the organiser's division, which must be in force (or be ``kept_region``, where it
    already is)."""
    errors: dict[str, list[str]] = {}
    organizer = session.get(Institution, fields["organizer_id"])
    if organizer is None:
        errors["organizer_id"] = [f"No institution with id {fields['organizer_id']}."]
    elif organizer.status == InstitutionStatus.closed:
        errors["organizer_id"] = [f"The organising institution (id {organizer.id}) is closed."]
    elif organizer.region_code and organizer.region_code != kept_region:
        retired = retirement_message(session, session.get(Region, organizer.region_code))
        if retired:
            errors["organizer_id"] = [f"The event would be placed where its organiser is: {retired} "
                                      "Place the organising institution in a division in force first."]
    errors |= _time_errors(fields)
    unknown = [code for code in fields.get("categories", []) if code not in category_codes(session)]
    if unknown:
        errors["categories"] = [f"Unknown service category: {', '.join(unknown)}."]
    errors |= _financier_errors(session, fields.get("financiers"))
    return organizer, errors


def _time_errors(fields: dict) -> dict[str, list[str]]:
    starts, ends = fields["starts_at"], fields["ends_at"]
    if ends <= starts:
        return {"ends_at": ["Must be after starts_at."]}
    errors = {}
    if ends - starts > MAX_DURATION:
        errors["ends_at"] = ["An event lasts at most 14 days."]
    deadline = fields.get("registration_deadline")
    if deadline is not None and deadline > ends:
        errors["registration_deadline"] = ["Must not be after the event ends."]
    if fields.get("status") == EventStatus.completed and starts > utcnow():
        errors["status"] = ["An event that has not started cannot be completed."]
    sessions = sorted(fields.get("sessions") or [], key=lambda s: s["starts_at"])
    problems = []
    for number, session_ in enumerate(sessions, start=1):
        if not starts <= session_["starts_at"] < session_["ends_at"] <= ends:
            problems.append(f"Session {number} must lie inside the event and end after it starts.")
    problems += slot_problems(sessions, fields.get("slot_minutes") or 20)
    for earlier, later in zip(sessions, sessions[1:]):
        if later["starts_at"] < earlier["ends_at"]:
            problems.append("Sessions must not overlap.")
            break
    if problems:
        errors["sessions"] = problems
    return errors


def slot_problems(sessions: list[dict], slot_minutes: int) -> list[str]:
    """Sessions (in time order) too short for one meeting slot of ``slot_minutes``."""
    slot = timedelta(minutes=slot_minutes)
    return [f"Session {number} lasts {_minutes(s)} minutes, shorter than one {slot_minutes}-minute meeting slot."
            for number, s in enumerate(sessions, start=1)
            if s["starts_at"] < s["ends_at"] and s["ends_at"] - s["starts_at"] < slot]


def _minutes(session_: dict) -> int:
    return int((session_["ends_at"] - session_["starts_at"]).total_seconds() // 60)


def _financier_errors(session: Session, financiers: list[dict] | None) -> dict[str, list[str]]:
    if not financiers:
        return {}
    ids = [f["financier_id"] for f in financiers]
    if len(set(ids)) != len(ids):
        return {"financiers": ["A financier is listed twice."]}
    known = set(session.scalars(select(Financier.id).where(Financier.id.in_(ids))))
    missing = [str(i) for i in ids if i not in known]
    return {"financiers": [f"No financier with id {', '.join(missing)}."]} if missing else {}
