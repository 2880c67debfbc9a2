"""Marshmallow schemas of the institutions API (input validated here, placement in rules)."""
import re
import unicodedata

from marshmallow import Schema, fields, pre_load, validate

from directory.designations.schemas import DesignationSchema
from directory.input_schemas import ChangesSchema, InputSchema
from directory.institutions.models import InstitutionLevel, InstitutionStatus
from directory.regions.schemas import REGION_CODE, RegionRefSchema

PHONE = validate.Regexp(
    r"^\+?[0-9][0-9 ()\-]{4,28}[0-9](\s*(转|ext\.?|x)\s*[0-9]{1,6})?$",
    error="Not a valid phone number (e.g. 0512-65012345, 13812345678, 400-123-4567).")
NO_CONTROL_CHARACTERS = validate.Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
                                        error="Contains control characters.")
TEXT_LIMITS = {"name": 200, "operator": 200, "description": 2000, "address": 300, "phone": 50, "email": 254, "website": 300}
_SPACES = re.compile(r"\s+")


def _clean(value):
    """Trim text and fold runs of white space; an empty optional text becomes null."""
    if not isinstance(value, str):
        return value
    value = _SPACES.sub(" ", value).strip()
    return value or None


class InstitutionInSchema(InputSchema):
    """Fields a client may send; any other field is refused."""

    name = fields.String(required=True, validate=[
        NO_CONTROL_CHARACTERS, validate.Length(min=2, max=TEXT_LIMITS["name"])])
    level = fields.Enum(InstitutionLevel, by_value=True, required=True)
    region_code = fields.String(allow_none=True, load_default=None, validate=REGION_CODE)
    services = fields.List(fields.String(validate=validate.Length(max=32)), required=True,
                           validate=validate.Length(min=1, error="At least one service category is required."))
    operator = fields.String(allow_none=True, validate=[
        NO_CONTROL_CHARACTERS, validate.Length(max=TEXT_LIMITS["operator"])],
        metadata={"description": "运营单位: the organisation that runs the institution"})
    description = fields.String(allow_none=True, validate=[
        NO_CONTROL_CHARACTERS, validate.Length(max=TEXT_LIMITS["description"])])
    address = fields.String(allow_none=True, validate=[
        NO_CONTROL_CHARACTERS, validate.Length(max=TEXT_LIMITS["address"])])
    phone = fields.String(allow_none=True, validate=[validate.Length(max=TEXT_LIMITS["phone"]), PHONE])
    email = fields.Email(allow_none=True, validate=validate.Length(max=TEXT_LIMITS["email"]))
    website = fields.URL(allow_none=True, schemes={"http", "https"},
                         validate=validate.Length(max=TEXT_LIMITS["website"]))
    status = fields.Enum(InstitutionStatus, by_value=True, load_default=InstitutionStatus.active)
    demonstration_platform = fields.Boolean(load_default=False, metadata={
        "description": "true grants a national demonstration platform designation, false revokes it"})

    @pre_load
    def clean_text(self, data, **_kwargs):
        if not isinstance(data, dict):
            return data
        cleaned = {key: _clean(value) for key, value in data.items()}
        if isinstance(cleaned.get("phone"), str):
            cleaned["phone"] = unicodedata.normalize("NFKC", cleaned["phone"])
        if isinstance(cleaned.get("services"), list):
            cleaned["services"] = [_clean(s) if isinstance(s, str) else s for s in cleaned["services"]]
        return cleaned


class InstitutionPatchSchema(ChangesSchema, InstitutionInSchema):
    """Every field optional (no defaults applied), at least one given; the merged record is
    validated as a whole."""


class InstitutionSchema(Schema):
    """An institution as the API returns it."""

    id = fields.Integer()
    name = fields.String()
    level = fields.Enum(InstitutionLevel, by_value=True)
    region_code = fields.String(allow_none=True)
    region_path = fields.List(fields.Nested(RegionRefSchema),
                              metadata={"description": "Province down to the institution's division"})
    services = fields.List(fields.String())
    operator = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    status = fields.Enum(InstitutionStatus, by_value=True)
    demonstration_platform = fields.Boolean(metadata={
        "description": "Derived: holds an active national demonstration platform designation"})
    designations = fields.List(fields.Nested(DesignationSchema))
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)


class InstitutionQuerySchema(Schema):
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "Name search"})
    level = fields.Enum(InstitutionLevel, by_value=True)
    region_code = fields.String(validate=REGION_CODE, metadata={"description": "Exactly this division"})
    within = fields.String(validate=REGION_CODE, metadata={"description": "This division and all below it"})
    service = fields.String(validate=validate.Length(max=32), metadata={"description": "Category code"})
    status = fields.Enum(InstitutionStatus, by_value=True)
    demonstration_platform = fields.Boolean()
    designation = fields.String(validate=validate.Length(min=1, max=32),
                                metadata={"description": "Holds an active designation of this kind"})


class SuggestionQuerySchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=100))
    limit = fields.Integer(load_default=8, validate=validate.Range(min=1, max=20))


class SuggestionSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ImportQuerySchema(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Check and report only"})
    decisions = fields.String(metadata={"description": 'JSON {"row": "skip" | "update" | "create"} for '
                                                       "possible duplicates (also accepted as a form field)"})
    mapping = fields.String(validate=validate.Length(max=20000), metadata={
        "description": 'JSON {"column title": "field" | "ignore"} overriding how columns are recognised, e.g. '
                       '{"平台名称": "name"} (also accepted as a form field)'})
    designation_kind = fields.String(validate=validate.Length(max=100), metadata={
        "description": "The designation kind a batch column (批次, 认定年份) grants, e.g. provincial_base "
                       "(default national_demo_platform; also accepted as a form field)"})


class ImportReportSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    rejected = fields.List(fields.Dict(), metadata={
        "description": "{row, field, message, column, message_zh}: the first 100 problems"})
    rejected_total = fields.Integer(metadata={"description": "How many problems were found in all"})
    possible_duplicates = fields.List(fields.Dict(), metadata={"description": "The first 100"})
    possible_duplicates_total = fields.Integer()
    dry_run = fields.Boolean()
    applied = fields.Boolean(metadata={"description": "Whether the changes were saved"})
    skipped = fields.Integer()
    rows = fields.List(fields.Dict(), metadata={"description": "{row, name, action, institution_id, categories, level, "
                                                               "level_inferred}; action is create, update, skip or "
                                                               "rejected; only the first 100 when the file is refused"})
    rows_total = fields.Integer()
    columns = fields.List(fields.Dict(), metadata={"description": "{title, field}: how each column of the file was "
                                                                  "read (field null: ignored)"})
    ignored_columns = fields.List(fields.String(), metadata={"description": "Titles of the columns left out"})
