"""Rate limits on logging in: the web form (``POST /admin/login``) and ``POST /api/v1/auth/token``.

Each is limited per client IP address (``LOGIN_LIMITS``) with Flask-Limiter, counted in one store
shared by every app process (``storage_uri``): the app's own database by default
(``database://``, see ``directory.auth.limiter_storage``), Redis when ``REDIS_URL`` is set, or any
``limits`` storage URI in ``SME_LIMITER_STORAGE_URI`` (``RATELIMIT_STORAGE_URI``, the older name,
still works; ``memory://`` counts per process). A store that does not answer within about a second
never fails a login: the attempt is counted in the process's memory and a warning is logged.
Behind a reverse proxy the client address must be restored first (werkzeug's ``ProxyFix``), or
every visitor shares the proxy's address. ``RATELIMIT_ENABLED=False`` in the app config turns the
limits off (the test suite does, except where it tests them).

A request over the limit gets 429 with ``Retry-After``: the contract's JSON error body under
``/api/``, the bilingual error page elsewhere.
"""
import math
import os
import time

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded

from directory.auth import limiter_storage
from directory.errors import error_response, wants_json
from directory.extensions import limiter

LOGIN_LIMITS = "10 per minute;50 per hour"
RECOVERY_LIMITS = "5 per minute;20 per hour"     # finding one's registration again
FALLBACK_RETRY_SECONDS = 60


@limiter.request_filter
def _disabled_for_this_app() -> bool:
    # The limiter is one object shared by every app in the process (tests build many).
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def limit_login_attempts(view):
    """Limit a login view's POSTs per client IP (GET, showing the form, stays free)."""
    return limiter.limit(LOGIN_LIMITS, methods=["POST"])(view)


def limit_recovery_attempts(view):
    """Limit the POSTs of a page that finds a private link again from what the visitor knows."""
    return limiter.limit(RECOVERY_LIMITS, methods=["POST"])(view)


def _seconds_until_reset() -> int:
    current = limiter.current_limit
    if current is None:
        return FALLBACK_RETRY_SECONDS
    # The window's own end: ``reset_at`` is that end rounded down plus a second, so a fresh
    # one-minute window would say 61 s.
    return max(1, math.ceil(current.window.reset_time - time.time()))


def _is_login() -> bool:
    endpoint = request.endpoint or ""
    return "login" in endpoint or endpoint.endswith(".token") or request.path.startswith("/api/v1/auth/")


def too_many_attempts(_error: RateLimitExceeded):
    """429 with ``Retry-After`` and a message saying how long to wait: about login attempts on the
    login routes, about submissions on the others (service requests, finding a private link again)."""
    seconds = _seconds_until_reset()
    if _is_login():
        message = (f"Too many login attempts from this address; retry in {seconds} seconds." if wants_json()
                   else _("登录尝试过于频繁，请在 %(seconds)s 秒后重试。", seconds=seconds))
    else:
        message = (f"Too many submissions from this address; retry in {seconds} seconds." if wants_json()
                   else _("来自此地址的提交过于频繁，请在 %(seconds)s 秒后重试。", seconds=seconds))
    return error_response(429, message, headers={"Retry-After": str(seconds)})


def storage_uri() -> str:
    """Where the counters live: ``SME_LIMITER_STORAGE_URI``, else ``REDIS_URL``, else the app's database."""
    return (os.environ.get("SME_LIMITER_STORAGE_URI") or os.environ.get("RATELIMIT_STORAGE_URI")
            or os.environ.get("REDIS_URL") or f"{limiter_storage.SCHEME}://")


def skip_limiter_on_unlimited_routes(app: Flask) -> None:
    """Drop Flask-Limiter's check before every request when it has nothing to check.

    Only the views decorated above are limited, and each decorated view checks its own limits
    in its wrapper. The app-wide check Flask-Limiter adds before every request only applies
    default and application limits; with none configured it finds nothing, at a cost on every
    request (~5 % of ``GET /api/v1/categories``).
    """
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    checks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in checks:
        checks.remove(limiter._check_request_limit)


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app`` with its storage and the 429 response."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri())
    app.config.setdefault("RATELIMIT_ENABLED", True)
    uri = app.config["RATELIMIT_STORAGE_URI"]
    if uri.startswith(f"{limiter_storage.SCHEME}://"):
        limiter_storage.init_app(app)
    if uri.startswith(("redis://", "rediss://")):   # an unanswering Redis must not hold up a login
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 1, "socket_connect_timeout": 1})
    # Redis down: count in this process's memory (logged) until it answers again; any other failure
    # of the store is logged and lets the request through rather than answering 500.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter.init_app(app)
    skip_limiter_on_unlimited_routes(app)
    app.register_error_handler(RateLimitExceeded, too_many_attempts)
