"""/api/v1: designation kinds; an institution's designations, granted and revoked (token and scope)."""
from flask_smorest import Blueprint, abort

from directory.auth.api import administrator_required
from directory.database import get_session
from directory.designations import service
from directory.institutions import designations
from directory.designations.schemas import (DesignationGrantSchema, DesignationKindQuerySchema,
                                            DesignationKindSchema, DesignationRevokeSchema, DesignationSchema)
from directory.institutions.api import found_institution

DESIGNATIONS_URL = "/institutions/<id:institution_id>/designations"
blp = Blueprint("designations", __name__, url_prefix="/api/v1",
                description="Designations of institutions (示范平台、示范基地) / 认定")


def _designation(institution, designation_id: int):
    designation = designations.get_designation(get_session(), institution=institution, designation_id=designation_id)
    if designation is None:
        abort(404, message=f"Institution {institution.id} has no designation {designation_id}.")
    return designation


def _described(designation) -> dict:
    return service.describe_designation(designation, service.kinds_by_code(get_session()))


def _unprocessable(error: service.DesignationInvalid):
    abort(422, message="The designation change is not valid; see errors.", errors=error.errors,
          errors_zh=error.errors_zh)


@blp.route("/designation-kinds")
@blp.arguments(DesignationKindQuerySchema, location="query")
@blp.response(200, DesignationKindSchema(many=True))
def list_kinds(query):
    """The kinds of designation (kept as data in seed_data/designation_kinds.csv), optionally of one level."""
    return [kind for kind in service.list_kinds(get_session())
            if query.get("level") in (None, kind.level)]


@blp.route(DESIGNATIONS_URL)
@blp.response(200, DesignationSchema(many=True))
def list_designations(institution_id):
    """Every designation of the institution, revoked ones included."""
    institution = found_institution(institution_id)
    kinds = service.kinds_by_code(get_session())
    return [service.describe_designation(d, kinds) for d in institution.designations]


@blp.route(DESIGNATIONS_URL, methods=["POST"])
@administrator_required
@blp.arguments(DesignationGrantSchema)
@blp.response(201, DesignationSchema)
def grant(fields, institution_id, administrator):
    """Grant a designation (refused while an active one of the same kind exists)."""
    institution = found_institution(institution_id, changed_by=administrator)
    try:
        designation = designations.grant_designation(get_session(), institution=institution, **fields)
    except service.DesignationInvalid as error:
        _unprocessable(error)
    return _described(designation)


@blp.route(f"{DESIGNATIONS_URL}/<id:designation_id>", methods=["PATCH"])
@administrator_required
@blp.arguments(DesignationRevokeSchema)
@blp.response(200, DesignationSchema)
def revoke_on(fields, institution_id, designation_id, administrator):
    """Revoke on ``revoked_on`` (default today); the designation stays in the history."""
    return _revoke(institution_id, designation_id, administrator, fields.get("revoked_on"))


@blp.route(f"{DESIGNATIONS_URL}/<id:designation_id>", methods=["DELETE"])
@administrator_required
@blp.response(200, DesignationSchema)
def revoke(institution_id, designation_id, administrator):
    """Revoke today; nothing is erased."""
    return _revoke(institution_id, designation_id, administrator, None)


def _revoke(institution_id: int, designation_id: int, administrator, revoked_on):
    institution = found_institution(institution_id, changed_by=administrator)
    designation = _designation(institution, designation_id)
    try:
        designations.revoke_designation(get_session(), designation=designation, revoked_on=revoked_on)
    except service.DesignationInvalid as error:
        _unprocessable(error)
    return _described(designation)
