"""Error responses: JSON (docs/contract.md shape) under /api/, a bilingual page elsewhere."""
import logging
from typing import TypeVar

from blinker import Namespace
from flask import Flask, abort, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

log = logging.getLogger(__name__)
T = TypeVar("T")

API_PREFIX = "/api/"
HSDS_PREFIX = "/hsds/"   # the HSDS API answers errors in JSON too
RETRY_AFTER_SECONDS = 2

# Sent (by the app) on every 403 before it is answered; the audit trail records who tried what.
request_forbidden = Namespace().signal("request-forbidden")


def wants_json() -> bool:
    """Whether the current request is an API request."""
    return request.path.startswith((API_PREFIX, HSDS_PREFIX))


def found_or_404(found: T | None, description: str) -> T:
    """``found``, or the 404 page saying ``description`` (a page's "no such record")."""
    if found is None:
        abort(404, description=description)
    return found


def error_response(code: int, message: str, errors: dict | None = None, headers: dict | None = None,
                   errors_zh: dict | None = None):
    """Build the error response for the current request (``errors_zh``: the domain's own Chinese)."""
    status = HTTP_STATUS_CODES.get(code, "Error")
    if wants_json():
        body = {"code": code, "status": status, "message": message, "errors": errors or {}}
        if code == 422:   # the English stays the contract; the Chinese comes beside it
            body |= chinese_body(message, errors or {}, errors_zh)
        return body, code, headers or {}
    page = render_template("error.html", code=code, status=status, message=message), code
    return (*page, headers or {})


def chinese_body(message: str, errors: dict, errors_zh: dict | None = None) -> dict:
    """``message_zh`` and ``errors_zh`` of a 422: the same problems, field by field, in Chinese."""
    from directory.error_messages import chinese_errors, chinese_message, chinese_summary

    return {"message_zh": chinese_summary(errors) if errors else chinese_message("_schema", message),
            "errors_zh": errors_zh or chinese_errors(errors)}


def database_busy_response():
    """503 for a database that is locked or unreachable: the client should retry."""
    return error_response(
        503,
        _("数据库繁忙，请稍后重试。") if not wants_json()
        else "The database is busy or unreachable; retry shortly.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def flatten_validation_messages(messages: dict) -> dict:
    """Turn webargs' ``{location: {field: [...]}}`` into ``{field: [...]}``."""
    flat: dict = {}
    for location_errors in messages.values():
        if not isinstance(location_errors, dict):
            continue
        for field, field_errors in location_errors.items():
            flat.setdefault(field, []).extend(_as_message_list(field_errors))
    return flat


def _as_message_list(field_errors) -> list[str]:
    if isinstance(field_errors, dict):  # errors of list items or nested fields
        return [f"{key}: {msg}" for key, sub in field_errors.items() for msg in _as_message_list(sub)]
    if isinstance(field_errors, (list, tuple)):
        return [m for item in field_errors for m in _as_message_list(item)]
    return [str(field_errors)]


def handle_http_exception(error: HTTPException):
    """Render any HTTP error for API clients and people alike."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors")
    if errors is None and "messages" in data:
        errors = flatten_validation_messages(data["messages"])
    message = data.get("message") or _default_message(error)
    if error.code == 403:
        request_forbidden.send(current_app._get_current_object())
    headers = dict(data.get("headers") or {})
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))   # RFC 9110: every 405 lists them
    return error_response(error.code or 500, message, errors, headers, errors_zh=data.get("errors_zh"))


def _default_message(error: HTTPException) -> str:
    if error.code == 422:
        return "The request contains invalid fields; see errors."
    return error.description or HTTP_STATUS_CODES.get(error.code, "Error")


def handle_too_large(error: RequestEntityTooLarge):
    """A body over MAX_CONTENT_LENGTH: a 413 that states the limit (views' own 413s keep their message)."""
    max_length = current_app.config.get("MAX_CONTENT_LENGTH")
    if (getattr(error, "data", None) or {}).get("message") or not max_length:
        return handle_http_exception(error)
    limit = max_length // (1024 * 1024)
    if wants_json():
        return error_response(413, f"The request body is larger than the {limit} MB limit.")
    return error_response(413, _("提交的内容超过 %(limit)d MB 的上限，请缩小文件后重试。", limit=limit))


def handle_database_error(_error: OperationalError):
    """A locked or unreachable database is a 503, never a 500 with a stack trace."""
    return database_busy_response()


def handle_integrity_error(_error: IntegrityError):
    """A constraint violated by a concurrent change is a conflict, not a server error."""
    return error_response(409, "The change conflicts with data saved meanwhile; reload and retry.")


def domain_error_handler(status: int):
    """The safety net for a domain exception no view caught: its 4xx, never a 500."""
    def handle(error: Exception):
        # Views answer these themselves; reaching here means a validation order nobody foresaw.
        log.warning("%s escaped its view on %s %s; answered %d", type(error).__name__,
                    request.method, request.path, status)
        errors = getattr(error, "errors", None)
        if not wants_json():
            return error_response(status, _("请求未能完成，未作任何修改。"))
        message = "The request is not valid; see errors." if errors else str(error)
        return error_response(status, message or HTTP_STATUS_CODES[status], errors,
                              errors_zh=getattr(error, "errors_zh", None))
    return handle


def register_error_handlers(app: Flask, domain_errors: dict[type[Exception], int]) -> None:
    """Route every error through ``error_response``; ``domain_errors``: each domain exception's status."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(OperationalError, handle_database_error)
    for exception, status in domain_errors.items():
        app.register_error_handler(exception, domain_error_handler(status))
