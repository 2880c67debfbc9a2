"""Checks every request passes before it reaches a view."""
from flask import Flask, abort, current_app, request
from flask_babel import gettext as _
from flask_smorest import abort as abort_with
from werkzeug.exceptions import RequestEntityTooLarge

from directory.body_limit import ChunkedBodyLimit
from directory.errors import wants_json
from directory.json_depth import MAX_JSON_DEPTH, nests_deeper_than


def reject_oversized_body() -> None:
    """A body over MAX_CONTENT_LENGTH is a 413 on every route, whether or not the view reads it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def reject_nul_bytes() -> None:
    """A NUL byte in a query parameter is never meaningful (and PostgreSQL refuses it)."""
    if any("\x00" in value for value in request.args.values()) or "\x00" in request.path:
        abort(400, "NUL bytes are not allowed in the address.")


def reject_deep_json() -> None:
    """JSON nested beyond MAX_JSON_DEPTH levels is a 422 naming the limit (never a parser's 500)."""
    if request.is_json and request.content_length and nests_deeper_than(request.get_data(cache=True)):
        message = (f"The JSON body nests objects or arrays more than {MAX_JSON_DEPTH} levels deep."
                   if wants_json() else _("提交的 JSON 嵌套超过 %(limit)d 层。", limit=MAX_JSON_DEPTH))
        abort_with(422, message=message, errors={"json": [f"Nested more than {MAX_JSON_DEPTH} levels deep."]})


def init_app(app: Flask) -> None:
    """Run the checks first, before any other hook reads the request."""
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app.config)
    for check in (reject_oversized_body, reject_nul_bytes, reject_deep_json):
        app.before_request(check)
