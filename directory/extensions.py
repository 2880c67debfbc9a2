"""Flask extensions, created unbound in this one module; ``create_app`` binds them (through each
feature's ``init_app``, which also configures them: ``auth.login`` the login manager and CSRF,
``auth.throttle`` the limiter)."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_smorest import Api as SmorestApi
from flask_smorest.error_handler import ErrorSchema as SmorestErrorSchema
from flask_wtf.csrf import CSRFProtect
from marshmallow import fields

from directory.errors import handle_http_exception

# What list responses really send: the pagination metadata as JSON text in one header (a header
# value is always text), documented as such rather than as the object flask-smorest describes.
PAGINATION_HEADER = {
    "description": 'Pagination metadata, a JSON-encoded object: {"total", "total_pages", "first_page", '
                   '"last_page", "page", "previous_page", "next_page"} (integers; previous_page and '
                   "next_page only when such a page exists).",
    "schema": {"type": "string", "example": '{"total": 1780, "total_pages": 89, "first_page": 1, '
                                            '"last_page": 89, "page": 1, "next_page": 2}'},
}


class ErrorSchema(SmorestErrorSchema):
    """The error body of docs/contract.md; a 422 adds the same problems in Chinese."""

    message_zh = fields.String(metadata={"description": "The message in Chinese (422 only)"})
    errors_zh = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                            metadata={"description": "The errors in Chinese, field by field (422 only)"})


class Api(SmorestApi):
    """flask-smorest's Api with this service's error body (docs/contract.md), HTML pages, and the
    X-Pagination header documented as the JSON text it is."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return handle_http_exception(error)

    def _register_pagination_header(self):
        self.spec.components.header("PAGINATION", PAGINATION_HEADER, lazy=True)


api = Api()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)   # one object for every app of the process (tests build many)
login_manager = LoginManager()
