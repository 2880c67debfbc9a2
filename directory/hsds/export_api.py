"""GET /api/v1/institutions/export?format=hsds|hsds-zip: the registry in the caller's scope as HSDS 3.0."""
from flask import Response
from flask_smorest import Blueprint

from directory.auth.api import administrator_required, require_scope
from directory.database import get_session
from directory.hsds.export import dataset_bytes, export_institutions
from directory.institutions.service import institutions_query
from directory.hsds.schemas import FORMATS, ExportQuerySchema
blp = Blueprint("institution_exports", __name__, url_prefix="/api/v1/institutions",
                description="Exports of institutions / 机构导出")


@blp.route("/export")
@administrator_required
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200, content_type="application/json")
@blp.alt_response(200, content_type="application/zip", success=True, description="hsds-zip")
@blp.alt_response(401, description="No valid bearer token")
@blp.alt_response(403, description="within lies outside the caller's region scope")
def export_institutions_hsds(query, administrator):
    """The institutions in the caller's scope (optionally filtered) as an HSDS 3.0 dataset."""
    kind, mimetype, filename = FORMATS[query.pop("format")]
    if query.get("within"):
        require_scope(administrator, query["within"])
    query["within"] = query.get("within") or administrator.region_code
    session = get_session()
    data = dataset_bytes(session, export_institutions(session, institutions_query(**query)), kind=kind)
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
