"""The ``id`` URL converter: record ids in addresses (``/institutions/<id:institution_id>``).

It matches 1–10 digits without a leading zero and gives ids beyond the 32-bit range as 0, which
no record has, so every out-of-range id is a plain 404. (Werkzeug's ``int(min=, max=)`` rejects
them in a way its router reports as 405 Method Not Allowed on routes with several methods.)
"""
from werkzeug.routing import BaseConverter

from directory.institutions.models import MAX_ID


class IdConverter(BaseConverter):
    regex = r"[1-9][0-9]{0,9}"
    weight = 50

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if number <= MAX_ID else 0

    def to_url(self, value) -> str:
        return str(int(value))


def id_schema(_converter) -> dict:
    """How the OpenAPI document describes an ``id`` path parameter."""
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
