"""Query and response schemas of /api/v1/stats."""
from marshmallow import Schema, ValidationError, fields, validate, validates

from directory.institutions.models import InstitutionLevel
from directory.timestamps import today


class ScopeQuerySchema(Schema):
    region_code = fields.String(validate=validate.Regexp(r"^\d{6}$", error="A region code is six digits."),
                                metadata={"description": "Look inside this province"})


class CoverageQuerySchema(ScopeQuerySchema):
    as_of = fields.Date(metadata={"description": "Figures at the end of this day (China Standard Time)"})

    @validates("as_of")
    def not_in_future(self, value, **kwargs):
        if value > today():
            raise ValidationError("as_of cannot be in the future.")


class GapsQuerySchema(ScopeQuerySchema):
    category = fields.String(validate=validate.Length(min=1, max=32),
                             metadata={"description": "Service category code for its blind spots"})


class LevelCoverageSchema(Schema):
    level = fields.String()
    divisions = fields.Integer()
    covered = fields.Integer()
    rate = fields.Float()
    institutions = fields.Integer()


class UpperCoverageSchema(Schema):
    divisions = fields.Integer()
    covered = fields.Integer()
    rate = fields.Float()


class NamedDivisionSchema(Schema):
    code = fields.String()
    name = fields.String()


class DivisionSchema(NamedDivisionSchema):
    level = fields.String()


# A count per institution level: national, provincial, municipal, county.
PerLevelSchema = Schema.from_dict({level.value: fields.Integer() for level in InstitutionLevel}, name="PerLevelSchema")


class DemonstrationPlatformsSchema(Schema):
    total = fields.Integer()
    by_level = fields.Nested(PerLevelSchema)


class CategoryCountSchema(Schema):
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    institutions = fields.Integer()
    by_level = fields.Nested(PerLevelSchema)


class CoverageSchema(Schema):
    levels = fields.List(fields.Nested(LevelCoverageSchema))
    national_institutions = fields.Integer()
    municipal_and_above = fields.Nested(UpperCoverageSchema)
    uncovered = fields.List(fields.Nested(DivisionSchema))
    as_of = fields.String(allow_none=True, metadata={"description": "YYYY-MM-DD, null for now"})
    divisions_edition = fields.String(allow_none=True, metadata={
        "description": "Edition of the division list counted against (e.g. 2024)"})
    demonstration_platforms = fields.Nested(DemonstrationPlatformsSchema)
    by_category = fields.List(fields.Nested(CategoryCountSchema))


class ProvinceGapsSchema(NamedDivisionSchema):
    uncovered = fields.Dict(keys=fields.String(), values=fields.Integer())
    divisions = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(NamedDivisionSchema)))


class BlindSpotSchema(NamedDivisionSchema):
    parent_code = fields.String(allow_none=True)


class CategoryGapsSchema(Schema):
    code = fields.String()
    blind_spots = fields.List(fields.Nested(BlindSpotSchema))


class _ScopedFiguresSchema(Schema):
    """Figures inside a province (``region_code``) or nationwide (null), counted against a division list."""

    region_code = fields.String(allow_none=True)
    divisions_edition = fields.String(allow_none=True, metadata={
        "description": "Edition of the division list counted against (e.g. 2024)"})


class GapsSchema(_ScopedFiguresSchema):
    provinces = fields.List(fields.Nested(ProvinceGapsSchema))
    category = fields.Nested(CategoryGapsSchema, allow_none=True)


class UpperTrendSchema(Schema):
    covered = fields.Integer()
    rate = fields.Float()


class TrendPointSchema(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    as_of = fields.String(metadata={"description": "YYYY-MM-DD"})
    covered = fields.Dict(keys=fields.String(), values=fields.Integer())
    divisions = fields.Dict(keys=fields.String(), values=fields.Integer(),
                            metadata={"description": "Divisions in force at that month's end, per level"})
    municipal_and_above = fields.Nested(UpperTrendSchema)


class TrendSchema(_ScopedFiguresSchema):
    divisions = fields.Dict(keys=fields.String(), values=fields.Integer())
    months = fields.List(fields.Nested(TrendPointSchema))


class DemandQuerySchema(ScopeQuerySchema):
    since = fields.Date(metadata={"description": "From this day (China Standard Time), inclusive"})
    until = fields.Date(metadata={"description": "To this day, inclusive"})


class DemandOverviewSchema(Schema):
    requests = fields.Integer()
    requests_not_served_in_chain = fields.Integer()
    requests_unserved_share = fields.Float(allow_none=True)
    needs = fields.Integer(metadata={"description": "Request × detected category"})
    needs_not_served_in_chain = fields.Integer()
    unserved_share = fields.Float(allow_none=True, metadata={"description": "Share of needs no provider in the chain serves"})


class CategoryDemandSchema(Schema):
    category_code = fields.String()
    name = fields.String()
    name_en = fields.String()
    requests = fields.Integer()
    not_served_in_chain = fields.Integer()
    unserved_share = fields.Float(allow_none=True)


class ProvinceDemandSchema(Schema):
    province_code = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    requests = fields.Integer()
    not_served_in_chain = fields.Integer()
    unserved_share = fields.Float(allow_none=True)


class DemandSchema(Schema):
    region_code = fields.String(allow_none=True)
    overview = fields.Nested(DemandOverviewSchema)
    by_category = fields.List(fields.Nested(CategoryDemandSchema))
    by_province = fields.List(fields.Nested(ProvinceDemandSchema))


class DesignationKindCountSchema(Schema):
    kind = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    level = fields.String(metadata={"description": "The kind's level: national | provincial"})
    designations = fields.Integer()
    by_level = fields.Nested(PerLevelSchema, metadata={"description": "By the holding institution's level"})


class DesignationProvinceSchema(NamedDivisionSchema):
    designations = fields.Integer()
    by_kind = fields.Dict(keys=fields.String(), values=fields.Integer())


class DesignationCountsSchema(Schema):
    as_of = fields.String(allow_none=True, metadata={"description": "YYYY-MM-DD, null for today"})
    region_code = fields.String(allow_none=True)
    total = fields.Integer()
    by_kind = fields.List(fields.Nested(DesignationKindCountSchema))
    by_province = fields.List(fields.Nested(DesignationProvinceSchema))
