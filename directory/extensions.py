"""Flask extensions, created unbound; ``create_app`` binds them."""
from flask_babel import Babel
from flask_smorest import Api as SmorestApi

from directory.errors import handle_http_exception


class Api(SmorestApi):
    """flask-smorest's Api with this service's error body (CONTRACT.md) and HTML pages."""

    def handle_http_exception(self, error):
        return handle_http_exception(error)


api = Api()
babel = Babel()
