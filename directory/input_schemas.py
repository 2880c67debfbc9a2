"""Bases of the request-body schemas: messages that say what is wrong, and PATCH bodies that change something."""
from marshmallow import Schema, ValidationError, validates_schema

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
