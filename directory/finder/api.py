"""POST /api/v1/match: an SME's need in, providers of its service network out."""
import io

from flask import Response, request
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from directory.auth.api import administrator_required
from directory.regions.schemas import RegionRefSchema
from directory.database import get_engine, get_session, read_only
from directory.demand.recording import record_match
from directory.events.schemas import EventTime
from directory.institutions.schemas import InstitutionSchema
from directory.finder.batch import match_batch, read_batch, write_batch
from directory.spreadsheets import LimitExceeded, UnreadableFile
from directory.finder.service import MAX_LIMIT, UnknownRegion, match_need
from directory.institutions.search import matching_index
from directory.input_schemas import InputSchema
from directory.regions.schemas import REGION_CODE

blp = Blueprint("matching", __name__, url_prefix="/api/v1/match",
                description="Need-to-provider matching / 需求匹配")


class MatchRequestSchema(InputSchema):
    need = fields.String(required=True, validate=validate.Length(max=5000),
                         metadata={"description": "The SME's need in its own words (Chinese or English)"})
    region_code = fields.String(allow_none=True, load_default=None, validate=REGION_CODE,
                                metadata={"description": "The SME's division; its chain decides the tiers"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_LIMIT))
    store_need = fields.Boolean(load_default=False, metadata={
        "description": "The SME agrees that its need text be kept to improve the service; "
                       "otherwise only the detected categories and region are recorded"})


class MatchedCategorySchema(Schema):
    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    score = fields.Float()
    matched_terms = fields.List(fields.String())


class DumpedNested(fields.Nested):
    """A nested object the matching index has already dumped (and cached); documented as its schema."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class MatchedProviderSchema(Schema):
    institution = DumpedNested(InstitutionSchema)
    score = fields.Float()
    tier = fields.String(metadata={"description": "county | municipal | provincial | national | other"})
    covered_categories = fields.List(fields.String())
    reasons = fields.List(fields.String(), metadata={"description": "Chinese"})
    reasons_en = fields.List(fields.String())
    out_of_area = fields.Boolean()
    distance_km = fields.Float(allow_none=True)


class MatchedEventSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = EventTime()
    ends_at = EventTime()
    region_code = fields.String(allow_none=True)
    level = fields.String()
    organizer_name = fields.String()
    status = fields.String()
    seats_left = fields.Integer()
    categories = fields.List(fields.String())
    financing_types = fields.List(fields.String())
    chains = fields.List(fields.String())
    open_to = fields.String(metadata={"description": "`own`, `province` or `nationwide`"})
    open_area = fields.Nested(RegionRefSchema, allow_none=True,
                              metadata={"description": "The division it takes registrations from; null: nationwide"})
    scope = fields.String(metadata={"description": "How it relates to the SME: `local` (its own chain), "
                                                   "`open_to_you`, `province` (elsewhere in its province), "
                                                   "`national`"})
    url = fields.String(metadata={"description": "The event's page, with its registration form"})


class MatchResultSchema(Schema):
    categories = fields.List(fields.Nested(MatchedCategorySchema))
    providers = fields.List(fields.Nested(MatchedProviderSchema))
    unserved_categories = fields.List(fields.String())
    events = fields.List(fields.Nested(MatchedEventSchema), metadata={
        "description": "Upcoming open events that fit the need: the SME's own and those open to its area "
                       "first; when none is local, those elsewhere in its province; then national ones"})


@blp.route("", methods=["POST"])
@read_only
@blp.arguments(MatchRequestSchema)
@blp.response(200, MatchResultSchema)
def match(request_data):
    """Detected categories, providers nearest first with reasons, unserved needs, events."""
    consent = request_data.pop("store_need")
    try:
        result = match_need(get_session(), **request_data)
    except UnknownRegion as error:
        abort(422, message="Unknown region code.", errors={"region_code": [f"Unknown region code {error}."]})
    record_match(result=result, region_code=request_data["region_code"], need=request_data["need"],
                 consent=consent, source="api")
    return result


BATCH_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}}}},
    "responses": {"200": {"description": "One row per input row", "content": {"text/csv": {}}}}}


@blp.route("/batch", methods=["POST"])
@read_only
@administrator_required
@blp.doc(**BATCH_BODY)
def match_batch_upload(administrator):
    """Match a file of SMEs (CSV, XLSX, XLS or ODS: enterprise_name, region, need); answers a CSV with their providers."""
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data()
    try:
        rows = read_batch(data)
    except LimitExceeded as error:
        abort(413, message=f"{error.message} Use flask match-batch for larger files.",
              errors={"file": [error.message, error.message_zh]})
    except UnreadableFile as error:   # including BatchFileError (no need column)
        abort(422, message=error.message, errors={"file": [error.message, error.message_zh]})
    out = io.StringIO()
    write_batch(match_batch(matching_index(get_session()), rows), out)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="matches.csv"'})
