"""POST /api/v1/match: an SME's need in, providers of its service network out."""
import io

from flask import Response, jsonify, request
from flask_smorest import Blueprint, abort

from directory.auth.api import administrator_required
from directory.database import get_engine, get_session, read_only
from directory.demand.recording import record_match
from directory.finder.batch import match_batch, read_batch, write_batch
from directory.spreadsheets import LimitExceeded, UnreadableFile
from directory.finder.service import UnknownRegion, match_need
from directory.institutions.search import matching_index
from directory.finder.schemas import MatchedEventSchema, MatchRequestSchema, MatchResultSchema

blp = Blueprint("matching", __name__, url_prefix="/api/v1/match",
                description="Need-to-provider matching / 需求匹配")
# One instance for every request: given the class, webargs would build a schema per request.
MATCH_REQUEST = MatchRequestSchema()
EVENTS = MatchedEventSchema(many=True)


@blp.route("", methods=["POST"])
@read_only
@blp.arguments(MATCH_REQUEST)
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
    # ``match_need`` shapes its answer as MatchResultSchema says (a test holds it to the schema's dump):
    # only the events carry values JSON lacks (times), so only they go through the schema.
    return jsonify(result | {"events": EVENTS.dump(result["events"])})


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
