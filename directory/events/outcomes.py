"""What came of events: outcomes per meeting or registration, and the totals events show."""
from sqlalchemy import distinct, func, select, union
from sqlmodel import Session

from directory.events.models import (EventFinancier, Meeting, Outcome, OutcomeResult, Registration,
                                     RegistrationStatus)
from directory.timestamps import utcnow

EMPTY_TOTALS = {"registrations": 0, "accepted": 0, "smes_served": 0, "meetings": 0, "intentions": 0,
                "deals": 0, "amount_financed_yuan": 0}


class OutcomeInvalid(ValueError):
    """The outcome cannot be recorded as asked; ``errors`` maps fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def outcome_errors(session: Session, *, event_id: int, fields: dict) -> dict[str, list[str]]:
    """The rules an outcome's (possibly partial) loaded fields break, field by field."""
    errors = {}
    if "registration_id" in fields:
        registration = session.get(Registration, fields["registration_id"])
        if registration is None or registration.event_id != event_id:
            errors["registration_id"] = ["No registration with this id at this event."]
    financier_id = fields.get("financier_id")
    if financier_id is not None and session.get(EventFinancier, (event_id, financier_id)) is None:
        errors["financier_id"] = ["This financier does not take part in the event."]
    if fields.get("result") == OutcomeResult.signed and not fields.get("amount_yuan"):
        errors["amount_yuan"] = ["A signed loan or investment needs its amount."]
    return errors


def record_outcome(session: Session, *, event_id: int, fields: dict) -> Outcome:
    """Record (or replace) the outcome of a registration, with one financier or none."""
    errors = outcome_errors(session, event_id=event_id, fields=fields)
    if errors:
        raise OutcomeInvalid(errors)
    registration = session.get(Registration, fields["registration_id"])
    financier_id = fields.get("financier_id")
    outcome = session.scalar(select(Outcome).where(
        Outcome.registration_id == registration.id,
        Outcome.financier_id.is_(None) if financier_id is None else Outcome.financier_id == financier_id))
    outcome = outcome or Outcome(event_id=event_id, registration_id=registration.id, financier_id=financier_id,
                                 result=fields["result"])
    outcome.result, outcome.amount_yuan = fields["result"], fields.get("amount_yuan")
    outcome.note, outcome.recorded_at = fields.get("note"), utcnow()
    session.add(outcome)
    session.flush()
    return outcome


def outcomes_of(session: Session, event_id: int) -> list[Outcome]:
    """An event's outcomes, in the order they were recorded."""
    return list(session.scalars(select(Outcome).where(Outcome.event_id == event_id)
                                .order_by(Outcome.recorded_at, Outcome.id)))


def event_totals(session: Session, event_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per event: registrations, accepted, SMEs served (a meeting or an outcome), meetings,
    intentions, deals signed and the amount financed, counted in the database."""
    totals = {eid: dict(EMPTY_TOTALS) for eid in event_ids}
    if not event_ids:
        return totals
    registered = select(Registration.event_id, func.count(),
                        func.count().filter(Registration.status == RegistrationStatus.accepted)).where(
        Registration.event_id.in_(event_ids)).group_by(Registration.event_id)
    for eid, count, accepted in session.execute(registered):
        totals[eid] |= {"registrations": count, "accepted": accepted}
    for eid, count in session.execute(select(Meeting.event_id, func.count()).where(
            Meeting.event_id.in_(event_ids)).group_by(Meeting.event_id)):
        totals[eid]["meetings"] = count
    outcome_rows = select(Outcome.event_id,
                          func.count().filter(Outcome.result == OutcomeResult.intention),
                          func.count().filter(Outcome.result == OutcomeResult.signed),
                          func.coalesce(func.sum(Outcome.amount_yuan).filter(
                              Outcome.result == OutcomeResult.signed), 0)).where(
        Outcome.event_id.in_(event_ids)).group_by(Outcome.event_id)
    for eid, intentions, deals, amount in session.execute(outcome_rows):
        totals[eid] |= {"intentions": intentions, "deals": deals, "amount_financed_yuan": int(amount)}
    served = union(select(Meeting.event_id, Meeting.registration_id).where(Meeting.event_id.in_(event_ids)),
                   select(Outcome.event_id, Outcome.registration_id).where(Outcome.event_id.in_(event_ids))
                   ).subquery()
    for eid, count in session.execute(select(served.c.event_id, func.count(distinct(served.c.registration_id)))
                                      .group_by(served.c.event_id)):
        totals[eid]["smes_served"] = count
    return totals
