"""Bearer tokens (issue, list, revoke) and the bearer-token guard for API writes."""
import functools

from flask import request
from flask_smorest import Blueprint, abort

from directory.audit.refusals import record_failed_login
from directory.database import act_as
from directory.auth.models import Administrator
from directory.auth.access import Permission, bound_to_institution, may_in
from directory.auth.service import (NotPermitted, administrator_for_token, authenticate, issue_token,
                                    list_tokens, log_out_everywhere, revoke_token)
from directory.auth.throttle import limit_login_attempts
from directory.database import get_session
from directory.extensions import api
from directory.auth.schemas import CredentialsSchema, TokenSchema, IssuedTokenSchema, LoggedOutSchema

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Bearer tokens / 令牌")
BEARER = [{"bearerAuth": []}]


@blp.route("/token", methods=["POST"])
@limit_login_attempts
@blp.arguments(CredentialsSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Too many attempts from this address; see Retry-After")
def create_token(credentials):
    """Exchange an administrator's username and password for a bearer token (rate limited per IP)."""
    session = get_session()
    admin = authenticate(session, **credentials)
    if admin is None:
        record_failed_login(credentials["username"])
        abort(401, message="Wrong username or password.")
    act_as(session, admin.username)
    token, expires_in = issue_token(session, administrator=admin)
    return {"access_token": token, "token_type": "bearer", "expires_in": expires_in}


def current_administrator(*, allow_staff: bool = False) -> Administrator:
    """The administrator behind the request's bearer token; 401 without a valid one, 403 for a staff
    account unless ``allow_staff``."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    admin = None
    if scheme.lower() == "bearer" and token.strip():
        admin = administrator_for_token(get_session(), token.strip())
    if admin is None:
        abort(401, message="A valid bearer token is required (POST /api/v1/auth/token).",
              headers={"WWW-Authenticate": 'Bearer realm="sme-service-network"'})
    act_as(get_session(), admin.username)
    if bound_to_institution(admin) and not allow_staff:
        abort(403, message=f"{admin.username} is an institution staff account: it may only work on its "
                           "institution's service requests.")
    return admin


def current_account() -> Administrator:
    """Like ``current_administrator``, but staff accounts (bound to one institution) pass too."""
    return current_administrator(allow_staff=True)


def _with_bearer(view, keyword: str, caller):
    """``view`` called with ``caller()`` as ``keyword``, documented as needing a bearer token."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **{keyword: caller()}, **kwargs)

    # What flask-smorest's ``@blp.doc(security=...)`` would record, without needing the blueprint.
    apidoc = getattr(view, "_apidoc", {})
    wrapper._apidoc = {**apidoc, "manual_doc": {**apidoc.get("manual_doc", {}), "security": BEARER}}
    return wrapper


def administrator_required(view):
    """Authenticate before the body is parsed (401 comes before 422); passes ``administrator``.

    Staff accounts get 403: they work on their institution's service requests and nothing else."""
    return _with_bearer(view, "administrator", current_administrator)


def account_required(view):
    """Like ``administrator_required`` for views open to staff accounts as well; passes ``account``."""
    return _with_bearer(view, "account", current_account)


def require_scope(admin: Administrator, *region_codes: str | None) -> None:
    """403 unless the administrator may edit the directory in every one of ``region_codes``."""
    session = get_session()
    for code in region_codes:
        if not may_in(session, admin, Permission.edit_directory, code):
            where = code or "national level"
            abort(403, message=f"Administrator {admin.username} may not change anything in {where} (outside its region scope).")


@blp.route("/tokens", methods=["GET"])
@account_required
@blp.response(200, IssuedTokenSchema(many=True))
@blp.alt_response(401, description="No valid bearer token")
def tokens(account: Administrator):
    """The caller's own tokens, newest first, without their values."""
    return [{"id": token.id, "administrator": holder.username, "created_at": token.created_at,
             "expires_at": token.expires_at, "revoked_at": token.revoked_at}
            for token, holder in list_tokens(get_session(), account)]


@blp.route("/tokens/<id:token_id>", methods=["DELETE"])
@account_required
@blp.response(204)
@blp.alt_response(401, description="No valid bearer token")
@blp.alt_response(403, description="The token belongs to an account the caller does not manage")
@blp.alt_response(404, description="No such token")
def delete_token(token_id: int, account: Administrator):
    """Revoke one of the caller's tokens, or (a manager) a token of an account in its scope."""
    try:
        token = revoke_token(get_session(), token_id, account)
    except NotPermitted as error:
        abort(403, message=str(error))
    if token is None:
        abort(404, message=f"No token {token_id}.")


@blp.route("/logout-everywhere", methods=["POST"])
@account_required
@blp.response(200, LoggedOutSchema)
@blp.alt_response(401, description="No valid bearer token")
def logout_everywhere(account: Administrator):
    """Log the caller out everywhere: every bearer token (this one too) and every web session end."""
    return {"revoked_tokens": log_out_everywhere(get_session(), account)}


def register_security_scheme() -> None:
    """Declare the bearer scheme in the OpenAPI document."""
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
