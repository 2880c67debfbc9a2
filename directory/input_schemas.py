"""Bases of the request-body schemas: messages that say what is wrong, and PATCH bodies that change something;
and a page's query-string argument read with the API's schema."""
from marshmallow import Schema, ValidationError, pre_load, validates, validates_schema
from werkzeug.datastructures import MultiDict

from directory.credit_code import credit_code_problem, normalise

BLANK_REQUIRED = "Required: may not be empty."
BLANK = "May not be empty."
NO_CHANGES = "Send at least one field to change; the body was empty."


class InputSchema(Schema):
    """A request body. Blank text is read as null (``_clean``), so a field that may not be null
    says "may not be empty" rather than marshmallow's "Field may not be null."."""

    def on_bind_field(self, field_name, field_obj):
        if not field_obj.allow_none:
            field_obj.error_messages["null"] = BLANK_REQUIRED if field_obj.required else BLANK


class ChangesSchema:
    """Mixin for a PATCH body: every field optional (no defaults applied), at least one given."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)

    @validates_schema
    def changes_something(self, data, **_kwargs):
        if not data:
            raise ValidationError(NO_CHANGES)


class CreditCodeInput:
    """Mixin for a body with a ``credit_code``: normalised as people type it, then checked (GB 32100)."""

    @pre_load
    def normalise_code(self, data, **_kwargs):
        if isinstance(data, dict) and isinstance(data.get("credit_code"), str):
            data = data | {"credit_code": normalise(data["credit_code"])}
        return data

    @validates("credit_code")
    def check_credit_code(self, value, **_kwargs):
        problem = value and credit_code_problem(value)
        if problem:
            raise ValidationError(problem)


def page_argument(schema: Schema, args: MultiDict, name: str, ignored: list[tuple[str, str]]):
    """Query-string argument ``name`` read with ``schema`` (the API's for the same figures or records):
    None when absent; when the API would refuse it, None too, and ``(name, value)`` added to ``ignored``
    (a page shows what it left out instead of answering 422)."""
    value = args.get(name, "").strip()
    if not value:
        return None
    try:
        return schema.load({name: value})[name]
    except ValidationError:
        ignored.append((name, value))
        return None
