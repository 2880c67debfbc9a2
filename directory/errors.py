"""Error responses: JSON (CONTRACT.md shape) under /api/, a bilingual page elsewhere."""
from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

API_PREFIX = "/api/"
HSDS_PREFIX = "/hsds/"   # the HSDS API answers errors in JSON too
RETRY_AFTER_SECONDS = 2


def wants_json() -> bool:
    """Whether the current request is an API request."""
    return request.path.startswith((API_PREFIX, HSDS_PREFIX))


def error_response(code: int, message: str, errors: dict | None = None, headers: dict | None = None):
    """Build the error response for the current request."""
    status = HTTP_STATUS_CODES.get(code, "Error")
    if wants_json():
        body = {"code": code, "status": status, "message": message, "errors": errors or {}}
        return body, code, headers or {}
    page = render_template("error.html", code=code, status=status, message=message), code
    return (*page, headers or {})


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
        from directory.audit.refusals import record_forbidden  # needs the database module

        record_forbidden()
    return error_response(error.code or 500, message, errors, data.get("headers"))


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


def register_error_handlers(app: Flask) -> None:
    """Route every error through ``error_response``."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(OperationalError, handle_database_error)
