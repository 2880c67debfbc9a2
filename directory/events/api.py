"""/api/v1/events and /api/v1/financiers: events, registrations, schedule, outcomes."""
from flask import url_for
from flask_smorest import Blueprint, abort

from directory.auth.api import administrator_required, require_scope
from directory.database import get_session
from directory.events import registrations as registering
from directory.events import service, timetable
from directory.events.models import FinancingEvent, Registration
from directory.events.outcomes import OutcomeInvalid, outcomes_of, record_outcome
from directory.events.rules import EventInvalid
from directory.events.schemas import (DecisionSchema, EventDetailSchema, EventInSchema, EventPatchSchema,
                                      EventQuerySchema, EventSchema, FinancierInSchema, FinancierSchema,
                                      OutcomeInSchema, OutcomeSchema, RegistrationInSchema, RegistrationSchema,
                                      ScheduleRequestSchema, ScheduleSchema)
from directory.institutions.service import get_institution
from directory.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate

EVENT_URL = "/<id:event_id>"
blp = Blueprint("events", __name__, url_prefix="/api/v1/events",
                description="Financing matchmaking events / 融资对接活动")
financiers_blp = Blueprint("financiers", __name__, url_prefix="/api/v1/financiers",
                           description="Financiers taking part in events / 金融机构")


def _event(event_id: int, *, for_update: bool = False) -> FinancingEvent:
    event = service.get_event(get_session(), event_id, for_update=for_update)
    if event is None:
        abort(404, message=f"No event with id {event_id}.")
    return event


def _organised_event(event_id: int, administrator) -> FinancingEvent:
    """The event, if the administrator's scope holds its organiser's division (else 403)."""
    event = _event(event_id)
    require_scope(administrator, event.region_code)
    return event


def _unprocessable(error: EventInvalid | OutcomeInvalid):
    abort(422, message="The request is not valid; see errors.", errors=error.errors)


def _registration_view(registration: Registration) -> dict:
    return registration.model_dump() | {"confirmation_url": url_for(
        "event_pages.registration", event_id=registration.event_id, access_key=registration.access_key,
        _external=True)}


@blp.route("")
@blp.arguments(EventQuerySchema, location="query")
@blp.response(200, EventSchema(many=True))
@blp.paginate(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_events(filters, pagination_parameters):
    """Events, soonest first; ``from``/``to`` keep those overlapping the period, ``within`` those
    organised in a division or below it."""
    session = get_session()
    events = paginate(session, service.events_query(**filters), pagination_parameters)
    return service.describe_events(session, events)


@blp.route(EVENT_URL)
@blp.response(200, EventDetailSchema)
def get_event(event_id):
    """One event with its financiers and totals (SMEs served, meetings, deals, amount financed)."""
    return service.describe_event(get_session(), _event(event_id))


@blp.route("", methods=["POST"])
@administrator_required
@blp.arguments(EventInSchema)
@blp.response(201, EventDetailSchema)
def create_event(fields, administrator):
    """Create an event organised by an institution inside the administrator's scope."""
    session = get_session()
    try:
        organizer_region = _organizer_region(fields["organizer_id"])
        require_scope(administrator, organizer_region)
        event = service.create_event(session, fields=fields)
    except EventInvalid as error:
        _unprocessable(error)
    return service.describe_event(session, event)


def _organizer_region(organizer_id: int) -> str | None:
    organizer = get_institution(get_session(), organizer_id)
    if organizer is None:
        raise EventInvalid({"organizer_id": [f"No institution with id {organizer_id}."]})
    return organizer.region_code


@blp.route(EVENT_URL, methods=["PATCH"])
@administrator_required
@blp.arguments(EventPatchSchema)
@blp.response(200, EventDetailSchema)
def update_event(changes, event_id, administrator):
    """Change some fields (status too: open, close, complete); the event stays in scope."""
    event = _organised_event(event_id, administrator)
    session = get_session()
    try:
        if "organizer_id" in changes:
            require_scope(administrator, _organizer_region(changes["organizer_id"]))
        event = service.update_event(session, event=event, changes=changes)
    except EventInvalid as error:
        _unprocessable(error)
    return service.describe_event(session, event)


@blp.route(EVENT_URL, methods=["DELETE"])
@administrator_required
@blp.response(200, EventDetailSchema)
def cancel_event(event_id, administrator):
    """Cancel an event (status ``cancelled``); registrations and history are kept."""
    event = _organised_event(event_id, administrator)
    session = get_session()
    return service.describe_event(session, service.cancel_event(session, event=event))


@blp.route(f"{EVENT_URL}/registrations", methods=["POST"])
@blp.arguments(RegistrationInSchema)
@blp.response(201, RegistrationSchema)
@blp.alt_response(409, description="Event closed or full, or this credit code already registered")
def register(fields, event_id):
    """An SME registers itself (no login). 422 for a bad credit code; 409 when the event is not
    open, past its deadline or full, or the same credit code is already registered."""
    session = get_session()
    event = _event(event_id, for_update=True)
    try:
        registration = registering.register(session, event=event, fields=fields)
    except EventInvalid as error:
        _unprocessable(error)
    except registering.RegistrationRefused as refusal:
        abort(409, message=str(refusal), errors={"credit_code" if refusal.reason == "duplicate" else "event":
                                                 [str(refusal)]})
    return _registration_view(registration)


@blp.route(f"{EVENT_URL}/registrations")
@administrator_required
@blp.response(200, RegistrationSchema(many=True))
def list_registrations(event_id, administrator):
    """The event's registrations, first come first (organisers only)."""
    event = _organised_event(event_id, administrator)
    return [_registration_view(r) for r in registering.registrations_of(get_session(), event.id)]


@blp.route(f"{EVENT_URL}/registrations/<id:registration_id>", methods=["PATCH"])
@administrator_required
@blp.arguments(DecisionSchema)
@blp.response(200, RegistrationSchema)
def decide_registration(decision, event_id, registration_id, administrator):
    """Accept or decline a registration; a declined SME loses its meetings."""
    event = _organised_event(event_id, administrator)
    session = get_session()
    registration = session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404, message=f"No registration {registration_id} at event {event_id}.")
    return _registration_view(registering.decide(session, registration=registration, status=decision["status"]))


@blp.route(f"{EVENT_URL}/schedule")
@administrator_required
@blp.response(200, ScheduleSchema)
def get_schedule(event_id, administrator):
    """The meeting schedule with fit reasons, and accepted SMEs without a meeting."""
    event = _organised_event(event_id, administrator)
    return timetable.describe_schedule(get_session(), event)


@blp.route(f"{EVENT_URL}/schedule", methods=["POST"])
@administrator_required
@blp.arguments(ScheduleRequestSchema)
@blp.response(200, ScheduleSchema)
@blp.alt_response(409, description="No slot or financier, or slot length clashes with confirmed meetings")
@blp.alt_response(422, description="The slot is longer than one of the event's sessions")
def build_schedule(request_fields, event_id, administrator):
    """(Re)build the one-to-one schedule for accepted SMEs; confirmed meetings are kept."""
    event = _organised_event(event_id, administrator)
    session = get_session()
    try:
        timetable.build_schedule(session, event=event, slot_minutes=request_fields.get("slot_minutes"),
                                 max_meetings_per_sme=request_fields["max_meetings_per_sme"])
    except EventInvalid as error:
        _unprocessable(error)
    except timetable.ScheduleRefused as refusal:
        abort(409, message=str(refusal))
    return timetable.describe_schedule(session, event)


@blp.route(f"{EVENT_URL}/schedule/confirm", methods=["POST"])
@administrator_required
@blp.response(200, ScheduleSchema)
def confirm_schedule(event_id, administrator):
    """Confirm every meeting: a later rebuild keeps them where they are."""
    event = _organised_event(event_id, administrator)
    session = get_session()
    timetable.confirm_schedule(session, event=event)
    return timetable.describe_schedule(session, event)


@blp.route(f"{EVENT_URL}/outcomes")
@administrator_required
@blp.response(200, OutcomeSchema(many=True))
def list_outcomes(event_id, administrator):
    """What came of the event, per registration and financier."""
    return outcomes_of(get_session(), _organised_event(event_id, administrator).id)


@blp.route(f"{EVENT_URL}/outcomes", methods=["POST"])
@administrator_required
@blp.arguments(OutcomeInSchema)
@blp.response(201, OutcomeSchema)
def add_outcome(fields, event_id, administrator):
    """Record an intention or a signed loan or investment (replaces one for the same pair)."""
    event = _organised_event(event_id, administrator)
    try:
        return record_outcome(get_session(), event_id=event.id, fields=fields)
    except OutcomeInvalid as error:
        _unprocessable(error)


@financiers_blp.route("")
@financiers_blp.response(200, FinancierSchema(many=True))
@financiers_blp.paginate(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_financiers(pagination_parameters):
    """Banks, guarantee companies, funds, leasing firms and insurers that events draw on."""
    session = get_session()
    return paginate(session, service.financiers_query(), pagination_parameters)


@financiers_blp.route("", methods=["POST"])
@administrator_required
@financiers_blp.arguments(FinancierInSchema)
@financiers_blp.response(201, FinancierSchema)
def create_financier(fields, administrator):
    """Add a financier (any administrator: financiers are shared by every region's events)."""
    return service.create_financier(get_session(), fields=fields)

