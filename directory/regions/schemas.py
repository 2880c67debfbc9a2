"""Marshmallow schemas of the regions API."""
from marshmallow import Schema, fields, validate

from directory.regions.models import RegionLevel
from directory.regions.service import STATUSES

REGION_CODE = validate.Regexp(r"^\d{6}$", error="Must be a six-digit division code.")


class RegionSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.Enum(RegionLevel, by_value=True)
    parent_code = fields.String(allow_none=True)
    longitude = fields.Float(allow_none=True)
    latitude = fields.Float(allow_none=True)
    mainland = fields.Boolean()
    status = fields.Function(lambda region: "retired" if _get(region, "retired_on") else "in_force",
                             metadata={"type": "string", "enum": ["in_force", "retired"],
                                       "description": "in_force, or retired (see retired_on and successors)"})
    in_force_from = fields.Date(allow_none=True, metadata={
        "description": "First day in force (null: before the first edition the registry knows)"})
    retired_on = fields.Date(allow_none=True, metadata={"description": "Day it stopped being in force"})


def _get(obj, key):
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key)


class RegionRefSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.Enum(RegionLevel, by_value=True)


class RegionDetailSchema(RegionSchema):
    path = fields.List(fields.Nested(RegionRefSchema), metadata={"description": "Province down to this division"})
    children = fields.List(fields.Nested(RegionRefSchema), metadata={"description": "Child divisions in force"})
    successors = fields.List(fields.Nested(RegionRefSchema),
                             metadata={"description": "Of a retired division: where its area went"})
    predecessors = fields.List(fields.Nested(RegionRefSchema),
                               metadata={"description": "Retired divisions whose area came to this one"})


class RegionQuerySchema(Schema):
    level = fields.Enum(RegionLevel, by_value=True)
    parent_code = fields.String(validate=REGION_CODE)
    q = fields.String(validate=validate.Length(max=50), metadata={"description": "Name fragment or code prefix"})
    status = fields.String(load_default="in_force", validate=validate.OneOf(STATUSES), metadata={
        "description": "in_force (default): divisions in force today; retired; all"})
