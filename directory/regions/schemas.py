"""Marshmallow schemas of the regions API."""
from marshmallow import Schema, fields, validate

from directory.regions.models import RegionLevel

REGION_CODE = validate.Regexp(r"^\d{6}$", error="Must be a six-digit division code.")


class RegionSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.Enum(RegionLevel, by_value=True)
    parent_code = fields.String(allow_none=True)
    longitude = fields.Float(allow_none=True)
    latitude = fields.Float(allow_none=True)
    mainland = fields.Boolean()


class RegionRefSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.Enum(RegionLevel, by_value=True)


class RegionDetailSchema(RegionSchema):
    path = fields.List(fields.Nested(RegionRefSchema), metadata={"description": "Province down to this division"})
    children = fields.List(fields.Nested(RegionRefSchema))


class RegionQuerySchema(Schema):
    level = fields.Enum(RegionLevel, by_value=True)
    parent_code = fields.String(validate=REGION_CODE)
    q = fields.String(validate=validate.Length(max=50), metadata={"description": "Name fragment or code prefix"})
