"""Marshmallow schemas of the events API (shapes and single-field checks; rules.py checks the rest)."""
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from directory.events.areas import OPEN_TO
from directory.events.models import EventStatus, OutcomeResult, RegistrationStatus
from directory.input_schemas import ChangesSchema, CreditCodeInput, InputSchema
from directory.institutions.schemas import NO_CONTROL_CHARACTERS, PHONE, _clean
from directory.regions.schemas import REGION_CODE, RegionRefSchema
from directory.timestamps import SHANGHAI
from matching.financing import CHAINS, ENTERPRISE_SIZES, FINANCIER_TYPES, FINANCING_TYPES

MAX_AMOUNT_YUAN = 10**12   # one trillion yuan: beyond any SME financing


def _code_of(vocabulary, what: str):
    return validate.OneOf(list(vocabulary), error=f"Unknown {what} {{input}}; one of {', '.join(vocabulary)}.")


def _text(max_length: int, *, required: bool = False, min_length: int = 0):
    return fields.String(required=required, allow_none=not required, validate=[
        NO_CONTROL_CHARACTERS, validate.Length(min=min_length, max=max_length)])


def _codes(vocabulary, what: str):
    return fields.List(fields.String(validate=_code_of(vocabulary, what)), load_default=list,
                       validate=validate.Length(max=len(vocabulary)))


def _amount(**kwargs):
    return fields.Integer(allow_none=True, validate=validate.Range(min=1, max=MAX_AMOUNT_YUAN),
                          metadata={"description": "Yuan"}, **kwargs)


class EventTime(fields.AwareDateTime):
    """ISO 8601; without an offset the time is read as Asia/Shanghai; written with +08:00."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=SHANGHAI, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(value.astimezone(SHANGHAI) if value else value, attr, obj, **kwargs)


class SessionSchema(Schema):
    starts_at = EventTime(required=True)
    ends_at = EventTime(required=True)


class EventFinancierInSchema(Schema):
    financier_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    capacity = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1, max=200),
                              metadata={"description": "Meetings it takes; default one per slot"})


class _Cleaned(InputSchema):
    @pre_load
    def clean_text(self, data, **_kwargs):
        return {key: _clean(value) for key, value in data.items()} if isinstance(data, dict) else data


class EventInSchema(_Cleaned):
    """An event as an administrator creates it; level and region come from the organiser."""

    title = _text(200, required=True, min_length=4)
    organizer_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    starts_at = EventTime(required=True)
    ends_at = EventTime(required=True)
    venue = _text(300)
    online_url = fields.URL(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=300))
    chains = _codes(CHAINS, "industrial chain")
    financing_types = _codes(FINANCING_TYPES, "financing type")
    categories = fields.List(fields.String(validate=validate.Length(max=32)), load_default=lambda: ["financing"],
                             validate=validate.Length(min=1, max=10))
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    registration_deadline = EventTime(allow_none=True)
    status = fields.Enum(EventStatus, by_value=True, load_default=EventStatus.draft)
    description = _text(5000)
    slot_minutes = fields.Integer(load_default=20, validate=validate.Range(min=5, max=120))
    open_to = fields.String(load_default="own", validate=validate.OneOf(OPEN_TO), metadata={
        "description": "Who may register: `own` (the organiser's division and below, the default), `province` "
                       "(the organiser's whole province) or `nationwide`"})
    sessions = fields.List(fields.Nested(SessionSchema), load_default=list, validate=validate.Length(max=20))
    financiers = fields.List(fields.Nested(EventFinancierInSchema), load_default=list,
                             validate=validate.Length(max=200))


class EventPatchSchema(ChangesSchema, EventInSchema):
    """Every field optional (no defaults applied), at least one given."""


class _FinancierFacts(Schema):
    """What every answer about a financier says."""

    id = fields.Integer()
    name = fields.String()
    type = fields.String()
    financing_types = fields.List(fields.String())
    amount_min_yuan = fields.Integer(allow_none=True)
    amount_max_yuan = fields.Integer(allow_none=True)
    industries = fields.List(fields.String())


class EventFinancierSchema(_FinancierFacts):
    table_number = fields.Integer()
    capacity = fields.Integer(allow_none=True)


class TotalsSchema(Schema):
    registrations = fields.Integer()
    accepted = fields.Integer()
    smes_served = fields.Integer(metadata={"description": "Registrations with a meeting or an outcome"})
    meetings = fields.Integer()
    intentions = fields.Integer()
    deals = fields.Integer(metadata={"description": "Loans or investments signed"})
    amount_financed_yuan = fields.Integer()


class EventSchema(Schema):
    """An event as the API returns it; times in Asia/Shanghai (+08:00)."""

    id = fields.Integer()
    title = fields.String()
    organizer_id = fields.Integer()
    organizer_name = fields.String()
    level = fields.String()
    region_code = fields.String(allow_none=True)
    region_path = fields.List(fields.Nested(RegionRefSchema))
    starts_at = EventTime()
    ends_at = EventTime()
    venue = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    chains = fields.List(fields.String())
    financing_types = fields.List(fields.String())
    categories = fields.List(fields.String())
    capacity = fields.Integer()
    registrations = fields.Integer(metadata={"description": "Registrations not declined"})
    seats_left = fields.Integer()
    registration_deadline = EventTime(allow_none=True)
    registration_open = fields.Boolean(metadata={"description": "Whether an SME can register now"})
    status = fields.Enum(EventStatus, by_value=True)
    description = fields.String(allow_none=True)
    slot_minutes = fields.Integer()
    open_to = fields.String(metadata={"description": "`own`, `province` or `nationwide`"})
    open_area = fields.Nested(RegionRefSchema, allow_none=True,
                              metadata={"description": "The division registrations are taken from; null: nationwide"})
    sessions = fields.List(fields.Nested(SessionSchema))
    created_at = EventTime()
    updated_at = EventTime()


class EventDetailSchema(EventSchema):
    financiers = fields.List(fields.Nested(EventFinancierSchema))
    totals = fields.Nested(TotalsSchema)


class EventQuerySchema(Schema):
    status = fields.Enum(EventStatus, by_value=True)
    region_code = fields.String(validate=REGION_CODE, metadata={"description": "Organised in exactly this division"})
    within = fields.String(validate=REGION_CODE, metadata={"description": "This division and all below it"})
    from_ = EventTime(data_key="from", metadata={"description": "Ending at or after this time"})
    to = EventTime(metadata={"description": "Starting at or before this time"})
    category = fields.String(validate=validate.Length(max=32))
    chain = fields.String(validate=_code_of(CHAINS, "industrial chain"))
    financing_type = fields.String(validate=_code_of(FINANCING_TYPES, "financing type"))
    level = fields.String(validate=validate.OneOf(["national", "provincial", "municipal", "county"]))


class RegistrationInSchema(CreditCodeInput, _Cleaned):
    """What an SME sends to register; the credit code is checked with its GB 32100 check digit."""

    enterprise_name = _text(200, required=True, min_length=2)
    credit_code = fields.String(required=True, validate=validate.Length(max=40))
    region_code = fields.String(required=True, validate=REGION_CODE)
    industry = fields.String(allow_none=True, validate=_code_of(CHAINS, "industry"))
    size = fields.String(allow_none=True, validate=_code_of(ENTERPRISE_SIZES, "enterprise size"))
    contact_name = _text(50, required=True, min_length=1)
    contact_phone = fields.String(required=True, validate=[validate.Length(max=50), PHONE])
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    financing_type = fields.String(allow_none=True, validate=_code_of(FINANCING_TYPES, "financing type"))
    amount_yuan = _amount()
    need = _text(2000, required=True, min_length=2)


class RegistrationSchema(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    enterprise_name = fields.String()
    credit_code = fields.String()
    region_code = fields.String()
    industry = fields.String(allow_none=True)
    size = fields.String(allow_none=True)
    contact_name = fields.String()
    contact_phone = fields.String()
    contact_email = fields.String(allow_none=True)
    financing_type = fields.String(allow_none=True)
    amount_yuan = fields.Integer(allow_none=True)
    need = fields.String()
    status = fields.Enum(RegistrationStatus, by_value=True)
    created_at = EventTime()
    decided_at = EventTime(allow_none=True)
    confirmation_url = fields.String(metadata={"description": "Private page of this registration and its meetings"})


class DecisionSchema(InputSchema):
    status = fields.Enum(RegistrationStatus, by_value=True, required=True)


class ScheduleRequestSchema(InputSchema):
    slot_minutes = fields.Integer(validate=validate.Range(min=5, max=120),
                                  metadata={"description": "Default: the event's slot length"})
    max_meetings_per_sme = fields.Integer(load_default=3, validate=validate.Range(min=1, max=20))


class MeetingSchema(Schema):
    id = fields.Integer()
    registration_id = fields.Integer()
    enterprise_name = fields.String()
    financier_id = fields.Integer()
    financier_name = fields.String()
    table_number = fields.Integer()
    slot = fields.Integer()
    starts_at = EventTime()
    ends_at = EventTime()
    score = fields.Float()
    reasons = fields.List(fields.String())
    reasons_en = fields.List(fields.String())
    confirmed = fields.Boolean()


class ScheduleSchema(Schema):
    meetings = fields.List(fields.Nested(MeetingSchema))
    unmatched_registrations = fields.List(fields.Integer(), metadata={
        "description": "Accepted registrations without a meeting"})
    total_fit = fields.Float()


class OutcomeInSchema(_Cleaned):
    registration_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    financier_id = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1, max=2**31 - 1))
    result = fields.Enum(OutcomeResult, by_value=True, required=True)
    amount_yuan = _amount(load_default=None)
    note = _text(500)


class OutcomeSchema(Schema):
    id = fields.Integer()
    registration_id = fields.Integer()
    financier_id = fields.Integer(allow_none=True)
    result = fields.Enum(OutcomeResult, by_value=True)
    amount_yuan = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
    recorded_at = EventTime()


class FinancierInSchema(_Cleaned):
    name = _text(200, required=True, min_length=2)
    type = fields.String(required=True, validate=_code_of(FINANCIER_TYPES, "financier type"))
    financing_types = fields.List(fields.String(validate=_code_of(FINANCING_TYPES, "financing type")),
                                  required=True, validate=validate.Length(min=1, max=len(FINANCING_TYPES)))
    amount_min_yuan = _amount()
    amount_max_yuan = _amount()
    industries = _codes(CHAINS, "industry")
    description = _text(2000)
    website = fields.URL(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=300))

    @validates_schema
    def check_range(self, data, **_kwargs):
        low, high = data.get("amount_min_yuan"), data.get("amount_max_yuan")
        if low is not None and high is not None and low > high:
            raise ValidationError("Must not be below amount_min_yuan.", "amount_max_yuan")


class FinancierSchema(_FinancierFacts):
    description = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
