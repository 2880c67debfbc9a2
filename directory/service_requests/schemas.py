"""Request and response bodies of the service-requests API."""
from marshmallow import (Schema, ValidationError, fields, post_load, pre_load, validate, validates,
                         validates_schema)

from directory.input_schemas import CreditCodeInput, InputSchema
from directory.institutions.schemas import NO_CONTROL_CHARACTERS, _clean
from directory.regions.schemas import REGION_CODE
from directory.service_requests.contact import PHONE_PROBLEM, normalise_phone
from directory.service_requests.models import AssignmentStatus, Outcome
from directory.service_requests.routing import MAX_INSTITUTIONS
from directory.service_requests.service import CONTACT_FIELDS

ID = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
MAX_NEED = 2000


def _text(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs):
    return fields.String(required=required, allow_none=not required, validate=[
        NO_CONTROL_CHARACTERS, validate.Length(min=min_length, max=max_length)], **kwargs)


class JsonBoolean(fields.Boolean):
    """Only JSON ``true`` or ``false``: consent is not given by "yes" or 1."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid", input=value)


class _Cleaned(InputSchema):
    @pre_load
    def clean_text(self, data, **_kwargs):
        return {key: _clean(value) for key, value in data.items()} if isinstance(data, dict) else data


class SubmissionSchema(CreditCodeInput, _Cleaned):
    """What an SME sends: its need, where it is, who it is, how to reach it, and its consent."""

    need = _text(MAX_NEED, required=True, min_length=4, metadata={"description": "What the business needs"})
    region_code = fields.String(required=True, validate=REGION_CODE, metadata={
        "description": "The business's division (county where known)"})
    enterprise_name = _text(200, required=True, min_length=2)
    credit_code = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=40),
                                metadata={"description": "Unified social credit code (GB 32100), optional"})
    contact_name = _text(64, required=True, min_length=1)
    contact_phone = fields.String(required=True, validate=validate.Length(max=40), metadata={
        "description": "Mainland mobile (13812345678) or landline with area code (0512-65012345)"})
    contact_email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
    consent = JsonBoolean(required=True, metadata={
        "description": "true: the business agrees that the fields above go to the chosen institutions, which "
                       "keep them until a year after the request is closed"})
    institution_ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
                                  load_default=list, metadata={
        "description": f"1–{MAX_INSTITUTIONS} institutions; default: the first in-chain provider per detected need"})

    @validates("consent")
    def check_consent(self, value, **_kwargs):
        if value is not True:
            raise ValidationError("Consent is required: the request goes to the chosen institutions only with it.")

    @validates("contact_phone")
    def check_phone(self, value, **_kwargs):
        if normalise_phone(value) is None:
            raise ValidationError(PHONE_PROBLEM)

    @validates("institution_ids")
    def check_institutions(self, value, **_kwargs):
        if value and not 1 <= len(value) <= MAX_INSTITUTIONS:
            raise ValidationError(f"Choose 1 to {MAX_INSTITUTIONS} institutions.")
        if len(set(value)) != len(value):
            raise ValidationError("An institution is listed twice.")

    @post_load
    def canonical_phone(self, data, **_kwargs):
        return data | {"contact_phone": normalise_phone(data["contact_phone"])}


class ActionSchema(InputSchema):
    """One transition of an assignment."""

    action = fields.String(required=True, validate=validate.OneOf(["accept", "decline", "forward", "resolve"]))
    reason = _text(2000, metadata={"description": "decline: why (required)"})
    to_institution_id = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=2**31 - 1),
                                       metadata={"description": "forward: the institution that takes it over"})
    note = _text(2000, metadata={"description": "forward: a note for the next institution; resolve: what was done"})
    outcome = fields.String(allow_none=True, validate=validate.OneOf([o.value for o in Outcome]),
                            metadata={"description": "resolve: resolved, partly or not_resolved"})

    @pre_load
    def clean_text(self, data, **_kwargs):
        return {key: _clean(value) for key, value in data.items()} if isinstance(data, dict) else data

    @validates_schema
    def fields_of_action(self, data, **_kwargs):
        needed = {"decline": ["reason"], "forward": ["to_institution_id"], "resolve": ["outcome"]}
        allowed = {"accept": {"note"}, "decline": {"reason"}, "forward": {"to_institution_id", "note"},
                   "resolve": {"outcome", "note"}}
        action = data.get("action")
        if action not in allowed:
            return
        errors = {name: [f"Required for {action}."] for name in needed.get(action, []) if data.get(name) is None}
        errors |= {name: [f"Not allowed for {action}."] for name in ("reason", "to_institution_id", "outcome")
                   if name in data and data[name] is not None and name not in allowed[action]}
        if errors:
            raise ValidationError(errors)


class ListQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in AssignmentStatus]),
                           metadata={"description": "Only requests with an assignment (of yours) in this state"})


class FeedbackInSchema(_Cleaned):
    rating = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    comment = _text(2000)


class ReopenInSchema(_Cleaned):
    reason = _text(2000, required=True, min_length=2, metadata={"description": "Why the resolution is not accepted"})


class AssignmentSchema(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    institution_id = fields.Integer()
    institution_name = fields.String(allow_none=True)
    status = fields.String()
    tier = fields.String(metadata={"description": "county, municipal, provincial or national"})
    source = fields.String(metadata={"description": "chosen, default, forwarded or escalated"})
    escalated_from_id = fields.Integer(allow_none=True)
    accept_by = fields.AwareDateTime()
    resolve_by = fields.AwareDateTime(allow_none=True)
    accepted_at = fields.AwareDateTime(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class SubmittedSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    tracking_url = fields.String(allow_none=True, metadata={
        "description": "Private link to follow the request; its last segment is the tracking token. Given once: "
                       "null when the submission repeats one made within a day"})
    duplicate = fields.Boolean(metadata={"description": "true: the same phone sent the same need within a day; "
                                                        "this is that request (200, nothing new created)"})
    assignments = fields.List(fields.Nested(AssignmentSchema))


# The SME's contact details as a request's answer shows them (null once erased).
ContactSchema = Schema.from_dict({name: fields.String(allow_none=True) for name in CONTACT_FIELDS},
                                 name="ContactSchema")


class FeedbackSchema(Schema):
    rating = fields.Integer()
    comment = fields.String(allow_none=True)
    at = fields.AwareDateTime()


class TimelineEntrySchema(Schema):
    at = fields.AwareDateTime()
    action = fields.String()
    note = fields.String(allow_none=True)
    assignment_id = fields.Integer(allow_none=True)
    institution_id = fields.Integer(allow_none=True)
    institution_name = fields.String(allow_none=True)
    by = fields.String(metadata={"description": "sme, institution or clock"})


class RequestSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    need = fields.String()
    region_code = fields.String()
    categories = fields.List(fields.String())
    created_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    erased = fields.Boolean()
    assignments = fields.List(fields.Nested(AssignmentSchema))
    feedback = fields.Nested(FeedbackSchema, allow_none=True)
    contact = fields.Nested(ContactSchema, metadata={
        "description": "Only for staff of an institution the request lies with and administrators in scope; "
                       "each view is audited"})
    timeline = fields.List(fields.Nested(TimelineEntrySchema))


class TrackedSchema(RequestSchema):
    """What the SME sees through its tracking link: no contact details."""

    may_rate = fields.Boolean()
    may_reopen = fields.Boolean()


class StatsQuerySchema(Schema):
    region_code = fields.String(validate=REGION_CODE, metadata={"description": "A division: it and everything below"})
    as_of = fields.Date(metadata={"description": "Figures at the end of this day (China Standard Time)"})


class ServiceFiguresSchema(Schema):
    requests = fields.Integer()
    response_rate = fields.Float(allow_none=True, metadata={"description": "Accepted within the deadline, 0–1"})
    resolution_rate = fields.Float(allow_none=True, metadata={"description": "Resolved or partly resolved, 0–1"})
    satisfaction_rate = fields.Float(allow_none=True, metadata={"description": "Ratings 4–5 among the rated, 0–1"})
    median_hours_to_accept = fields.Float(allow_none=True)
    p90_hours_to_accept = fields.Float(allow_none=True)
    escalations = fields.Integer()


class LevelFiguresSchema(ServiceFiguresSchema):
    level = fields.String(metadata={"description": "county, municipal, provincial or national"})


class ProvinceFiguresSchema(ServiceFiguresSchema):
    region_code = fields.String()
    name = fields.String(metadata={"description": "The province's name"})


class MonthFiguresSchema(ServiceFiguresSchema):
    month = fields.String(metadata={"description": "YYYY-MM (China Standard Time); figures of the requests "
                                                   "received that month"})


class ServiceStatsSchema(ServiceFiguresSchema):
    levels = fields.List(fields.Nested(LevelFiguresSchema))
    provinces = fields.List(fields.Nested(ProvinceFiguresSchema))
    trend = fields.List(fields.Nested(MonthFiguresSchema), metadata={
        "description": "The last twelve months, oldest first"})
