"""/api/v1/institutions: list, detail, create, update, close, import."""
import json

from flask import request
from flask_smorest import Blueprint, abort

from directory.auth.api import administrator_required, require_scope
from directory.database import get_session, read_only
from directory.designations.service import kinds_by_code
from directory.institutions.upload import import_upload
from directory.institutions import importer, service
from directory.institutions.models import NATIONAL_DEMO_PLATFORM
from directory.institutions.import_columns import parse_mapping
from directory.institutions.rules import InstitutionInvalid
from directory.institutions.search import name_ranking, name_suggestions
from directory.institutions.schemas import (InstitutionInSchema, InstitutionPatchSchema,
                                            InstitutionQuerySchema, InstitutionSchema)
from directory.tables import XLSX_MIMETYPE
from directory.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from directory.institutions.schemas import SuggestionQuerySchema, SuggestionSchema, ImportQuerySchema, ImportReportSchema

INSTITUTION_URL = "/<id:institution_id>"
blp = Blueprint("institutions", __name__, url_prefix="/api/v1/institutions",
                description="Public service institutions for SMEs / 中小企业公共服务机构")


def found_institution(institution_id: int, *, changed_by=None):
    """The institution (404 without it); with ``changed_by``, only if that administrator may change it
    where it is (403 if not)."""
    institution = service.get_institution(get_session(), institution_id)
    if institution is None:
        abort(404, message=f"No institution with id {institution_id}.")
    if changed_by is not None:
        require_scope(changed_by, institution.region_code)
    return institution


def _unprocessable(error: InstitutionInvalid):
    abort(422, message="The institution is not valid; see errors.", errors=error.errors)


@blp.route("")
@blp.arguments(InstitutionQuerySchema, location="query")
@blp.response(200, InstitutionSchema(many=True))
@blp.paginate(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_institutions(filters, pagination_parameters):
    """List institutions; ``q`` ranks by name (typos, pinyin, abbreviations); ``within`` includes
    every division below the given one."""
    session = get_session()
    kind = filters.get("designation")
    if kind is not None and kind not in kinds_by_code(session):
        abort(422, message="Unknown designation kind; see errors.",
              errors={"designation": [f"Unknown designation kind: {kind}. See /api/v1/designation-kinds."]})
    ranking = name_ranking(session, filters.pop("q", None))
    stmt = service.institutions_query(name_ranking=ranking, **filters)
    return service.describe_institutions(session, paginate(session, stmt, pagination_parameters))


@blp.route("/suggestions")
@blp.arguments(SuggestionQuerySchema, location="query")
@blp.response(200, SuggestionSchema(many=True))
def suggest_names(query):
    """Institution names for a search box, while the visitor types (prefix, pinyin, initials)."""
    return name_suggestions(get_session(), query["q"], query["limit"])


@blp.route(INSTITUTION_URL)
@blp.response(200, InstitutionSchema)
def get_institution(institution_id):
    """One institution."""
    return service.describe_institution(get_session(), found_institution(institution_id))


@blp.route("", methods=["POST"])
@administrator_required
@blp.arguments(InstitutionInSchema)
@blp.response(201, InstitutionSchema)
def create_institution(fields, administrator):
    """Add an institution inside the administrator's region scope."""
    require_scope(administrator, fields.get("region_code"))
    session = get_session()
    try:
        institution = service.create_institution(session, fields=fields)
    except InstitutionInvalid as error:
        _unprocessable(error)
    return service.describe_institution(session, institution)


@blp.route(INSTITUTION_URL, methods=["PATCH"])
@administrator_required
@blp.arguments(InstitutionPatchSchema)
@blp.response(200, InstitutionSchema)
def update_institution(changes, institution_id, administrator):
    """Change some fields; the institution stays inside the administrator's scope."""
    institution = found_institution(institution_id)
    require_scope(administrator, institution.region_code,
                  changes.get("region_code", institution.region_code))
    session = get_session()
    try:
        institution = service.update_institution(session, institution=institution, changes=changes)
    except InstitutionInvalid as error:
        _unprocessable(error)
    return service.describe_institution(session, institution)


@blp.route(INSTITUTION_URL, methods=["DELETE"])
@administrator_required
@blp.response(200, InstitutionSchema)
def close_institution(institution_id, administrator):
    """Close an institution (status ``closed``); nothing is erased."""
    institution = found_institution(institution_id, changed_by=administrator)
    session = get_session()
    return service.describe_institution(session, service.close_institution(session, institution=institution))


CSV_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}},
    XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}, "decisions": {"type": "string"},
        "mapping": {"type": "string"}, "designation_kind": {"type": "string"}}}}}}}


def _uploaded_csv() -> bytes:
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data()
    if not data:
        abort(400, message="Send the CSV, XLSX, XLS, ODS or HSDS file as the request body or as the form field 'file'.")
    return data


def _decisions(query: dict) -> dict[int, str] | None:
    raw = request.form.get("decisions") or query.get("decisions")
    if not raw:
        return None
    try:
        return importer.parse_decisions(json.loads(raw))
    except ValueError as error:   # json.JSONDecodeError is a ValueError
        abort(422, message="The decisions are not valid; see errors.", errors={"decisions": [str(error)]})


def _mapping(query: dict) -> dict[str, str] | None:
    raw = request.form.get("mapping") or query.get("mapping")
    if not raw:
        return None
    try:
        return parse_mapping(json.loads(raw))
    except ValueError as error:
        abort(422, message="The column mapping is not valid; see errors.", errors={"mapping": [str(error)]})


def _designation_kind(query: dict) -> str:
    kind = request.form.get("designation_kind") or query.get("designation_kind") or NATIONAL_DEMO_PLATFORM
    kinds = kinds_by_code(get_session())
    if kind not in kinds:
        abort(422, message="The designation kind is not known; see errors.",
              errors={"designation_kind": [f"Not one of {', '.join(kinds)}."]})
    return kind


@blp.route("/import", methods=["POST"])
@read_only   # the file is read and checked without the write lock; the importer writes in a short transaction
@administrator_required
@blp.arguments(ImportQuerySchema, location="query")
@blp.response(200, ImportReportSchema)
@blp.doc(**CSV_BODY)
def import_institutions(query, administrator):
    """Import a CSV, XLSX, XLS or ODS file, or an HSDS 3.0 dataset (JSON or tabular zip): every row valid
    and in scope, or nothing changes.

    ``decisions`` settles possible duplicates per row: ``skip``, ``update`` the existing
    institution, or ``create`` anyway (the default). ``mapping`` names the field of a column
    the synonyms do not recognise (or ``ignore``). ``designation_kind`` is what a batch column grants."""
    decisions, mapping, kind = _decisions(query), _mapping(query), _designation_kind(query)
    report = import_upload(get_session(), data=_uploaded_csv(), administrator=administrator,
                           dry_run=query["dry_run"], decisions=decisions, mapping=mapping, designation_kind=kind)
    return report.as_dict()
