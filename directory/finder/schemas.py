"""What the matching API reads and answers."""
from marshmallow import Schema, fields, validate

from directory.events.schemas import EventTime
from directory.finder.service import MAX_LIMIT
from directory.input_schemas import InputSchema
from directory.institutions.schemas import InstitutionSchema
from directory.regions.schemas import REGION_CODE, RegionRefSchema


class MatchRequestSchema(InputSchema):
    need = fields.String(required=True, validate=validate.Length(max=5000),
                         metadata={"description": "The SME's need in its own words (Chinese or English)"})
    region_code = fields.String(allow_none=True, load_default=None, validate=REGION_CODE,
                                metadata={"description": "The SME's division; its chain decides the tiers"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_LIMIT))
    store_need = fields.Boolean(load_default=False, metadata={
        "description": "The SME agrees that its need text be kept to improve the service; "
                       "otherwise only the detected categories and region are recorded"})


class MatchedCategorySchema(Schema):
    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    score = fields.Float()
    matched_terms = fields.List(fields.String())


class DumpedNested(fields.Nested):
    """A nested object the matching index has already dumped (and cached); documented as its schema."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class MatchedProviderSchema(Schema):
    institution = DumpedNested(InstitutionSchema)
    score = fields.Float()
    tier = fields.String(metadata={"description": "county | municipal | provincial | national | other"})
    covered_categories = fields.List(fields.String())
    reasons = fields.List(fields.String(), metadata={"description": "Chinese"})
    reasons_en = fields.List(fields.String())
    out_of_area = fields.Boolean()
    distance_km = fields.Float(allow_none=True)


class MatchedEventSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = EventTime()
    ends_at = EventTime()
    region_code = fields.String(allow_none=True)
    level = fields.String()
    organizer_name = fields.String()
    status = fields.String()
    seats_left = fields.Integer()
    categories = fields.List(fields.String())
    financing_types = fields.List(fields.String())
    chains = fields.List(fields.String())
    open_to = fields.String(metadata={"description": "`own`, `province` or `nationwide`"})
    open_area = fields.Nested(RegionRefSchema, allow_none=True,
                              metadata={"description": "The division it takes registrations from; null: nationwide"})
    scope = fields.String(metadata={"description": "How it relates to the SME: `local` (its own chain), "
                                                   "`open_to_you`, `province` (elsewhere in its province), "
                                                   "`national`"})
    url = fields.String(metadata={"description": "The event's page, with its registration form"})


class MatchResultSchema(Schema):
    categories = fields.List(fields.Nested(MatchedCategorySchema))
    providers = fields.List(fields.Nested(MatchedProviderSchema))
    unserved_categories = fields.List(fields.String())
    events = fields.List(fields.Nested(MatchedEventSchema), metadata={
        "description": "Upcoming open events that fit the need: the SME's own and those open to its area "
                       "first; when none is local, those elsewhere in its province; then national ones"})
