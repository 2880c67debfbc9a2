"""POST /api/v1/auth/token and the bearer-token guard for API writes."""
import functools

from flask import request
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from directory.auth.models import Administrator
from directory.auth.service import administrator_for_token, authenticate, in_scope, issue_token
from directory.database import get_session
from directory.extensions import api

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Bearer tokens / 令牌")
BEARER = [{"bearerAuth": []}]


class CredentialsSchema(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class TokenSchema(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer(metadata={"description": "Seconds until the token expires"})


@blp.route("/token", methods=["POST"])
@blp.arguments(CredentialsSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, description="Wrong username or password")
def create_token(credentials):
    """Exchange an administrator's username and password for a bearer token."""
    session = get_session()
    admin = authenticate(session, **credentials)
    if admin is None:
        abort(401, message="Wrong username or password.")
    token, expires_in = issue_token(session, administrator=admin)
    return {"access_token": token, "token_type": "bearer", "expires_in": expires_in}


def current_administrator() -> Administrator:
    """The administrator behind the request's bearer token; 401 without a valid one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    admin = None
    if scheme.lower() == "bearer" and token.strip():
        admin = administrator_for_token(get_session(), token.strip())
    if admin is None:
        abort(401, message="A valid bearer token is required (POST /api/v1/auth/token).",
              headers={"WWW-Authenticate": 'Bearer realm="sme-service-network"'})
    return admin


def administrator_required(view):
    """Authenticate before the body is parsed (401 comes before 422); passes ``administrator``."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, administrator=current_administrator(), **kwargs)

    # What flask-smorest's ``@blp.doc(security=...)`` would record, without needing the blueprint.
    apidoc = getattr(view, "_apidoc", {})
    wrapper._apidoc = {**apidoc, "manual_doc": {**apidoc.get("manual_doc", {}), "security": BEARER}}
    return wrapper


def require_scope(admin: Administrator, *region_codes: str | None) -> None:
    """403 unless every one of ``region_codes`` lies inside the administrator's scope."""
    session = get_session()
    for code in region_codes:
        if not in_scope(session, admin, code):
            where = code or "national level"
            abort(403, message=f"Administrator {admin.username} may not change institutions in {where}.")


def register_security_scheme() -> None:
    """Declare the bearer scheme in the OpenAPI document."""
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
