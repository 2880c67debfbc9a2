"""The query parameters of the HSDS API and of the HSDS export."""
from datetime import timezone

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from directory.institutions.models import InstitutionLevel, InstitutionStatus
from directory.regions.schemas import REGION_CODE

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
# Export formats: (kind, MIME type, file name).
FORMATS = {"hsds": ("json", "application/json", "institutions.hsds.json"),
           "hsds-zip": ("zip", "application/zip", "institutions.hsds.zip")}


class PageQuery(Schema):
    search = fields.String(validate=validate.Length(min=1, max=100), metadata={"description": "Text in the name"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    format = fields.String(load_default="json", validate=validate.OneOf(
        ["json"], error="Only json is served (ndjson is not)."))


class ServiceQuery(PageQuery):
    taxonomy_term_id = fields.UUID(metadata={"description": "Services with this term (category, level, "
                                                            "division: everything inside it, designation)"})
    taxonomy_id = fields.UUID(metadata={"description": "Services with any term of this taxonomy"})
    organization_id = fields.UUID()
    modified_after = fields.AwareDateTime(default_timezone=timezone.utc, metadata={
        "description": "ISO 8601 date-time (UTC without an offset); records last changed at or after it"})
    minimal = fields.Boolean(load_default=False, metadata={"description": "Only the one-to-one fields required"})
    full = fields.Boolean(load_default=False, metadata={"description": "Fully nested records"})
    postcode = fields.String(metadata={"description": "Not supported: the registry keeps no postal codes"})
    proximity = fields.String(metadata={"description": "Not supported: the registry keeps no postal codes"})

    @validates_schema
    def refuse_postcode(self, data, **_kwargs):
        for name in ("postcode", "proximity"):
            if name in data:
                raise ValidationError("Not supported: the registry keeps no postal codes.", name)


class OrganizationQuery(PageQuery):
    full = fields.Boolean(load_default=False)
    full_service = fields.Boolean(load_default=False)


class OrganizationDetailQuery(Schema):
    full_service = fields.Boolean(load_default=False)


class TermQuery(PageQuery):
    taxonomy_id = fields.UUID()
    top_only = fields.Boolean(load_default=False)
    parent_id = fields.UUID()


class ExportQuerySchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf(list(FORMATS)), metadata={
        "description": "hsds: one HSDS 3.0 JSON package; hsds-zip: the HSDS tabular CSV files in a zip"})
    within = fields.String(validate=REGION_CODE, metadata={"description": "This division and everything below"})
    level = fields.Enum(InstitutionLevel, by_value=True)
    service = fields.String(validate=validate.Length(max=32))
    status = fields.Enum(InstitutionStatus, by_value=True)
