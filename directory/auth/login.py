"""Who is logged in to the web administration: Flask-Login, session cookies and CSRF.

Administrators log in with a form and stay logged in through Flask's signed session cookie
for at most ``SESSION_LIFETIME`` after logging in. The cookie alone is not enough: each request
checks it against the administrator's row, so logging out, deactivation and a new password end
sessions everywhere, even a copy of the cookie taken before. Every form POST outside ``/api/``
must carry the session's CSRF token (Flask-WTF); the API authenticates with bearer tokens, which
a browser never sends on its own, so it needs none.

Set ``SME_SECURE_COOKIES=1`` when the site is served over HTTPS (directly or behind a TLS
proxy): the session cookie is then only ever sent over HTTPS.
"""
import functools
import hashlib
import hmac
import logging
import os
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

from directory.database import act_as
from directory.auth.models import Administrator
from directory.auth.access import Permission, bound_to_institution, may_in
from directory.auth.service import end_web_sessions
from directory.database import get_session
from directory.errors import API_PREFIX, error_response
from directory.extensions import csrf, login_manager

SESSION_LIFETIME = timedelta(hours=8)
LOGIN_TIME_KEY = "_login_at"   # when the administrator logged in, in seconds since the epoch (float)

log = logging.getLogger(__name__)


def N_(message: str) -> str:  # the name pybabel extract looks for
    """Mark ``message`` for translation where it cannot be translated yet (no request)."""
    return message


LOGIN_MESSAGE = N_("请先登录管理后台。")


class AdminUser(UserMixin):
    """Flask-Login's view of an ``Administrator`` row."""

    def __init__(self, row: Administrator):
        self.row = row

    @property
    def username(self) -> str:
        return self.row.username

    @property
    def is_active(self) -> bool:
        return self.row.active

    def get_id(self) -> str:
        """The id kept in the session; it changes with the password, which ends older sessions."""
        return f"{self.row.id}.{password_fingerprint(self.row)}"


def password_fingerprint(row: Administrator) -> str:
    """A short digest of the password hash (never the hash itself) that sessions are tied to."""
    return hashlib.sha256(row.password_hash.encode()).hexdigest()[:16]


def load_administrator(user_id: str) -> AdminUser | None:
    """The logged-in administrator; None once logged out, inactive, deleted, re-passworded or logged in too long."""
    logged_in_at = session.get(LOGIN_TIME_KEY, 0)
    if time.time() - logged_in_at > SESSION_LIFETIME.total_seconds():
        return None
    admin_id, _dot, fingerprint = user_id.partition(".")
    if not admin_id.isdigit():
        return None
    try:
        row = get_session().get(Administrator, int(admin_id))
    except SQLAlchemyError:
        # Every page, error pages included, shows who is logged in: an unreachable database
        # must leave the page anonymous rather than turn its 503 into a 500.
        log.warning("Could not load administrator %s", admin_id, exc_info=True)
        return None
    if row is None or not row.active or not hmac.compare_digest(fingerprint, password_fingerprint(row)):
        return None
    if row.sessions_valid_after is not None and logged_in_at <= row.sessions_valid_after.timestamp():
        return None   # logged out (somewhere) or deactivated since this session began
    act_as(get_session(), row.username)
    return AdminUser(row)


def start_session(admin: Administrator) -> None:
    """Log ``admin`` in on a fresh session: nothing from before the login is carried over."""
    session.clear()
    login_user(AdminUser(admin))
    session.permanent = True
    session[LOGIN_TIME_KEY] = time.time()


def end_session() -> None:
    """Log out: end this administrator's sessions on the server (every browser), forget this one."""
    if current_user.is_authenticated:
        end_web_sessions(current_user.row)
        get_session().commit()
    logout_user()
    session.clear()


def local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site (``/...``, never ``//host``, a scheme or ``\\``), else None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):   # browsers drop tabs and newlines
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def admin_required(view):
    """Only for a logged-in administrator; others go to ``/admin/login?next=<path>`` first.

    Staff accounts (bound to one institution) get 403: they may only work on its service requests."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if bound_to_institution(current_user.row):
            abort(403, description=_("机构工作人员账号只能办理本机构的服务请求。"))
        return view(*args, **kwargs)
    return login_required(wrapper)


def account_required(view):
    """For any logged-in account, staff included (own password, own tokens, logging out, the inbox)."""
    return login_required(view)


def record_page(blueprint, rule: str, *, load, key: str, methods=("GET",), guard=admin_required):
    """Route ``rule`` to a page about one record: ``guard`` first, then ``load`` of the URL's ``key``
    (it answers 404 or 403 itself); the view gets the record in place of ``key``."""
    def decorate(view):
        @functools.wraps(view)
        def with_record(**kwargs):
            return view(load(kwargs.pop(key)), **kwargs)
        return blueprint.route(rule, methods=list(methods))(guard(with_record))
    return decorate


def current_administrator_row() -> Administrator:
    """The logged-in administrator's row (401 when nobody is logged in)."""
    if not current_user.is_authenticated:
        abort(401)
    return current_user.row


def require_page_scope(region_code: str | None) -> None:
    """403 unless the administrator may edit the directory in ``region_code`` (None: national)."""
    if not may_in(get_session(), current_administrator_row(), Permission.edit_directory, region_code):
        abort(403, description=_("这项内容不在您的管理范围内。"))


def protect_forms() -> None:
    """Check the CSRF token of every form POST; the bearer-token API is left out."""
    if current_app.config["WTF_CSRF_ENABLED"] and not request.path.startswith(API_PREFIX):
        csrf.protect(apply_exemptions=True)


def csrf_failed(error: CSRFError):
    """A missing or stale CSRF token: the bilingual 400 page, asking to reload the form."""
    log.info("CSRF check failed on %s: %s", request.path, error.description)
    return error_response(400, _("页面已过期或缺少安全校验信息，请刷新页面后重新提交。"))


def never_cache_admin(response):
    """Administration pages show non-public data: no browser or proxy cache may keep them."""
    if request.path.startswith("/admin"):
        response.headers["Cache-Control"] = "no-store"
    return response


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the signer for a request that sends no cookie.

    Most requests (the API, a first visit) carry no session cookie: they get the same empty
    session Flask would give them, without the per-request key derivation of the signer.
    """

    def open_session(self, app: Flask, request):
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class() if app.secret_key else None
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    """Set up login sessions, their cookies and CSRF checks."""
    secure = os.environ.get("SME_SECURE_COOKIES") == "1"
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=SESSION_LIFETIME,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_CHECK_DEFAULT=False,   # protect_forms decides, by path
        WTF_CSRF_TIME_LIMIT=int(SESSION_LIFETIME.total_seconds()),
    )
    login_manager.login_view = "admin.login"
    login_manager.login_message = LOGIN_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.localize_callback = _   # translated in the visitor's language when flashed
    login_manager.user_loader(load_administrator)
    app.session_interface = CookieSessionInterface()
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(protect_forms)
    app.after_request(never_cache_admin)
    app.register_error_handler(CSRFError, csrf_failed)
