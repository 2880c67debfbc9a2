"""The registry as Open Referral HSDS 3.0 records: the one mapping used by the API, the exports and
(read backwards) the import.

* institution → ``organization`` (``website``, ``email``, ``phones``, ``organization_identifiers`` for a
  known unified social credit code) with one physical ``location`` holding one ``address``;
* each offered category → a ``service`` named "机构名称 · 类别名称", with a ``service_area`` naming the
  division and a ``service_at_location`` linking it to the institution's location;
* categories, levels, designations, divisions and operators → ``taxonomy`` + ``taxonomy_term`` records;
  the institution's level, designations, division and operator are ``attributes`` of the organization
  pointing at those terms, a service's category an attribute of the service (never extra fields);
* ``metadata``: the last audited change of the institution (date, action, who).

Every id is a UUID 5 of one fixed namespace and the record's local key (``institution/12/service/ip``),
so the same record keeps its id in every export and a consumer can update incrementally.
"""
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from directory.categories.models import ServiceCategory
from directory.institutions.models import Institution, InstitutionLevel, InstitutionStatus
from directory.reference_data import designation_kind_rows
from directory.timestamps import today
from directory.regions.models import Region, RegionLevel

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("1f0951f1-3a1c-409a-81b7-dc634f0d05c9")   # fixed forever: ids depend on it
COUNTRY = "CN"
LANGUAGE = "zh"

CATEGORIES = "sme-service-categories"
LEVELS = "sme-levels"
DESIGNATIONS = "sme-designations"
DIVISIONS = "gb-t-2260-divisions"
OPERATORS = "sme-operators"
TAXONOMIES = {
    CATEGORIES: "中小企业公共服务类别（十类） / SME public service categories",
    LEVELS: "中小企业公共服务机构层级 / Levels of the SME public service network",
    DESIGNATIONS: "认定称号（示范平台等） / Designations such as demonstration platform",
    DIVISIONS: "中华人民共和国行政区划代码 GB/T 2260 / Administrative divisions of China",
    OPERATORS: "运营单位 / Operating organisation (the attribute value names it)",
}
LEVEL_TERMS = {InstitutionLevel.national: "国家级", InstitutionLevel.provincial: "省级",
               InstitutionLevel.municipal: "市级", InstitutionLevel.county: "县级"}
DEMONSTRATION_PLATFORM = "demonstration_platform"   # the term of older exports: the national platform
# One term per designation kind (seed_data/designation_kinds.csv): code → (Chinese name, English name).
DESIGNATION_TERMS = {row["code"]: (row["name_zh"], row["name_en"]) for row in designation_kind_rows()}
OPERATOR_TERM = "operator"
OPERATOR_TERMS = {OPERATOR_TERM: "运营单位"}
SERVICE_STATUS = {InstitutionStatus.active: "active", InstitutionStatus.suspended: "temporarily closed",
                  InstitutionStatus.closed: "defunct"}
NATIONWIDE = "全国"


def hsds_id(*parts) -> str:
    """The stable UUID of a record with this local key."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def organization_id(institution_id: int) -> str:
    return hsds_id("institution", institution_id)


def location_id(institution_id: int) -> str:
    return hsds_id("institution", institution_id, "location")


def service_id(institution_id: int, code: str) -> str:
    return hsds_id("institution", institution_id, "service", code)


def service_at_location_id(institution_id: int, code: str) -> str:
    return hsds_id("institution", institution_id, "service", code, "at-location")


def taxonomy_id(key: str) -> str:
    return hsds_id("taxonomy", key)


def term_id(key: str, code: str) -> str:
    return hsds_id("taxonomy", key, code)


@dataclass(frozen=True)
class Change:
    """The last audited change of an institution."""

    at: datetime
    action: str
    actor: str | None


@dataclass
class Context:
    """What records need besides the institution: categories, division paths, last changes."""

    categories: dict[str, ServiceCategory]
    paths: dict[str, list[Region]] = field(default_factory=dict)
    changes: dict[int, Change] = field(default_factory=dict)

    def change_of(self, institution: Institution) -> Change:
        return self.changes.get(institution.id) or Change(institution.updated_at, "update", None)


def _present(record: dict) -> dict:
    """HSDS text fields are strings: a value we do not have is left out, never null."""
    return {key: value for key, value in record.items() if value is not None and value != []}


# --- taxonomies ---------------------------------------------------------------------------------

def taxonomy_record(key: str) -> dict:
    """One of our vocabularies."""
    return {"id": taxonomy_id(key), "name": key, "description": TAXONOMIES[key], "version": HSDS_VERSION}


def term_record(key: str, code: str, name: str, description: str, *, parent_code: str | None = None) -> dict:
    """A term of one of our vocabularies; ``code`` is the local code (``ip``, ``county``, ``320505``)."""
    return _present({"id": term_id(key, code), "code": code, "name": name, "description": description,
                     "parent_id": term_id(key, parent_code) if parent_code else None, "taxonomy": key,
                     "language": LANGUAGE, "taxonomy_id": taxonomy_id(key)})


def category_term(category: ServiceCategory) -> dict:
    return term_record(CATEGORIES, category.code, category.name_zh,
                       f"{category.description_zh} / {category.name_en}: {category.description_en}")


def division_term(region: Region) -> dict:
    return term_record(DIVISIONS, region.code, region.name, f"{region.name}（{region.code}）",
                       parent_code=region.parent_code)


def level_term(level: InstitutionLevel) -> dict:
    return term_record(LEVELS, level.value, LEVEL_TERMS[level], f"{LEVEL_TERMS[level]}中小企业公共服务机构")


def designation_term(code: str) -> dict:
    name_zh, name_en = DESIGNATION_TERMS[code]
    return term_record(DESIGNATIONS, code, name_zh, f"{name_zh} / {name_en}")


def fixed_terms() -> list[dict]:
    """The terms of the small fixed vocabularies (levels, designations, operators)."""
    designations = [designation_term(code) for code in DESIGNATION_TERMS]
    operators = [term_record(OPERATORS, code, name, name) for code, name in OPERATOR_TERMS.items()]
    return [level_term(level) for level in LEVEL_TERMS] + designations + operators


# --- organizations ------------------------------------------------------------------------------

def _attribute(owner: str, owner_entity: str, key: str, term: dict, value: str) -> dict:
    return {"id": hsds_id(owner, "attribute", key, term["code"]), "link_id": owner, "link_type": key,
            "link_entity": owner_entity, "taxonomy_term_id": term["id"], "value": value, "taxonomy_term": term}


def organization_attributes(institution: Institution, context: Context) -> list[dict]:
    """Level, designations, division and operator, each pointing at a term of its own taxonomy."""
    owner = organization_id(institution.id)
    attributes = [_attribute(owner, "organization", LEVELS, level_term(institution.level), institution.level.value)]
    path = context.paths.get(institution.region_code or "", [])
    if path:
        attributes.append(_attribute(owner, "organization", DIVISIONS, division_term(path[-1]), path[-1].code))
    day = today()
    for designation in institution.designations:   # the active ones; the value is the batch
        if designation.kind in DESIGNATION_TERMS and designation.active_on(day):
            attributes.append(_attribute(owner, "organization", DESIGNATIONS, designation_term(designation.kind),
                                         designation.batch or ""))
    operator = getattr(institution, "operator", None)   # added by the designations feature
    if operator:
        attributes.append(_attribute(owner, "organization", OPERATORS,
                                     term_record(OPERATORS, OPERATOR_TERM, OPERATOR_TERMS[OPERATOR_TERM],
                                                 OPERATOR_TERMS[OPERATOR_TERM]), operator))
    return attributes


def metadata_records(resource_id: str, resource_type: str, change: Change) -> list[dict]:
    """When the record last changed (the date HSDS asks for; the time is in ``last_modified``)."""
    return [{"id": hsds_id(resource_id, "metadata"), "resource_id": resource_id, "resource_type": resource_type,
             "last_action_date": change.at.date().isoformat(), "last_action_type": change.action,
             "field_name": "", "previous_value": "", "replacement_value": "",
             "updated_by": change.actor or "system"}]


def organization_summary(institution: Institution) -> dict:
    """The organization's one-to-one fields (``organization_list``)."""
    return _present({"id": organization_id(institution.id), "name": institution.name,
                     "description": institution.description or "", "email": institution.email,
                     "website": institution.website})


def organization_record(institution: Institution, context: Context) -> dict:
    """The fully nested organization: phones, identifiers, its location, attributes and metadata."""
    org = organization_id(institution.id)
    record = organization_summary(institution)
    if institution.phone:
        record["phones"] = [{"id": hsds_id(org, "phone"), "organization_id": org, "number": institution.phone,
                             "type": "voice"}]
    credit_code = getattr(institution, "credit_code", None)   # not kept by the registry yet
    if credit_code:
        record["organization_identifiers"] = [{
            "id": hsds_id(org, "credit-code"), "organization_id": org, "identifier_scheme": "CN-USCC",
            "identifier_type": "统一社会信用代码", "identifier": credit_code}]
    record["locations"] = [location_record(institution, context)]
    record["attributes"] = organization_attributes(institution, context)
    record["metadata"] = metadata_records(org, "organization", context.change_of(institution))
    return record


def location_record(institution: Institution, context: Context) -> dict:
    """The institution's one physical location, with its address."""
    location = location_id(institution.id)
    return {"id": location, "location_type": "physical", "organization_id": organization_id(institution.id),
            "name": institution.name, "addresses": [address_record(institution, context)]}


def address_record(institution: Institution, context: Context) -> dict:
    """Every field HSDS requires is present; a part we do not know (postal code) is empty text."""
    path = context.paths.get(institution.region_code or "", [])
    named = {region.level: region.name for region in path}
    province = named.get(RegionLevel.province, "")
    return {"id": hsds_id(location_id(institution.id), "address"), "location_id": location_id(institution.id),
            "address_1": institution.address or "", "city": named.get(RegionLevel.prefecture, province),
            "region": named.get(RegionLevel.county, ""), "state_province": province, "postal_code": "",
            "country": COUNTRY, "address_type": "physical"}


# --- services -----------------------------------------------------------------------------------

def _area_name(institution: Institution, context: Context) -> str:
    path = context.paths.get(institution.region_code or "", [])
    return " / ".join(region.name for region in path) or NATIONWIDE


def service_summary(institution: Institution, code: str, context: Context) -> dict:
    """The service's one-to-one fields (``service_list``)."""
    category = context.categories.get(code)
    return _present({
        "id": service_id(institution.id, code), "organization_id": organization_id(institution.id),
        "name": f"{institution.name} · {category.name_zh if category else code}",
        "description": category.description_zh if category else None,
        "url": institution.website, "email": institution.email, "status": SERVICE_STATUS[institution.status],
        "last_modified": context.change_of(institution).at.isoformat()})


def service_at_location_summary(institution: Institution, code: str) -> dict:
    return {"id": service_at_location_id(institution.id, code), "service_id": service_id(institution.id, code),
            "location_id": location_id(institution.id)}


def service_record(institution: Institution, code: str, context: Context, *,
                   with_organization: bool = False) -> dict:
    """The fully nested service: area, place, category attribute, metadata (and its organization)."""
    record = service_summary(institution, code, context)
    service = record["id"]
    area = _area_name(institution, context)
    record["service_areas"] = [{"id": hsds_id(service, "area"), "service_id": service, "name": area,
                                "description": f"服务范围：{area}",
                                "extent_type": "gb-t-2260" if institution.region_code else "country",
                                "extent": institution.region_code or COUNTRY}]
    record["service_at_locations"] = [service_at_location_summary(institution, code)]
    category = context.categories.get(code)
    if category is not None:
        record["attributes"] = [_attribute(service, "service", CATEGORIES, category_term(category), code)]
    record["metadata"] = metadata_records(service, "service", context.change_of(institution))
    if with_organization:
        record["organization"] = organization_summary(institution)
    return record


def service_at_location_record(institution: Institution, code: str, context: Context) -> dict:
    """The link with its location (and addresses) nested."""
    return service_at_location_summary(institution, code) | {"location": location_record(institution, context)}
