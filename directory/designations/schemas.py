"""Marshmallow schemas of designations: as returned, and the grant and revocation bodies."""
from marshmallow import Schema, ValidationError, fields, validate, validates

from directory.designations.models import DesignationLevel
from directory.timestamps import today


class DesignationKindQuerySchema(Schema):
    level = fields.Enum(DesignationLevel, by_value=True, metadata={"description": "national | provincial"})


class DesignationKindSchema(Schema):
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    level = fields.String(metadata={"description": "national | provincial: who grants this kind"})
    granted_by = fields.String(allow_none=True, metadata={"description": "The usual grantor"})


class DesignationSchema(Schema):
    """A designation as the API returns it (revoked ones stay, with ``active`` false)."""

    id = fields.Integer()
    kind = fields.String()
    kind_name = fields.String(metadata={"description": "Chinese name of the kind"})
    kind_name_en = fields.String()
    level = fields.String(allow_none=True, metadata={"description": "The kind's level: national | provincial"})
    granted_by = fields.String(allow_none=True)
    batch = fields.String(allow_none=True, metadata={"description": "Year or batch, e.g. 2021年第三批"})
    granted_on = fields.Date(allow_none=True)
    revoked_on = fields.Date(allow_none=True)
    active = fields.Boolean(metadata={"description": "Granted by today and not revoked"})


def _not_in_future(value) -> None:
    if value > today():
        raise ValidationError("The date cannot be in the future.")


class DesignationGrantSchema(Schema):
    """Fields of a new designation; any other field is refused."""

    kind = fields.String(required=True, validate=validate.Length(min=1, max=32))
    granted_by = fields.String(allow_none=True, validate=validate.Length(max=100))
    batch = fields.String(allow_none=True, validate=validate.Length(max=100))
    granted_on = fields.Date(allow_none=True, validate=_not_in_future)


class DesignationRevokeSchema(Schema):
    """When the designation ended (default: today)."""

    revoked_on = fields.Date(validate=_not_in_future)

    @validates("revoked_on")
    def present(self, value, **_kwargs):
        if value is None:
            raise ValidationError("Field may not be null.")
