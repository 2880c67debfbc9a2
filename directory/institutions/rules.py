"""Rules an institution must satisfy that need the reference data (regions, categories)."""
from sqlmodel import Session

from directory.categories.service import category_codes
from directory.institutions.models import InstitutionLevel
from directory.regions.models import Region, RegionLevel
from directory.regions.service import child_regions, get_region
from directory.regions.validity import retirement_message

# The division level each institution level sits in.
REGION_LEVEL_FOR = {
    InstitutionLevel.provincial: RegionLevel.province,
    InstitutionLevel.municipal: RegionLevel.prefecture,
    InstitutionLevel.county: RegionLevel.county,
}
LEVEL_NAMES = {RegionLevel.province: "a province", RegionLevel.prefecture: "a prefecture",
               RegionLevel.county: "a county"}


class InstitutionInvalid(ValueError):
    """The institution breaks a rule; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def placement_errors(session: Session, *, level: InstitutionLevel, region_code: str | None,
                     kept_region: str | None = None) -> dict:
    """Messages for a region code that does not fit the institution's level, or names a retired
    division (unless it is ``kept_region``, where the institution already is: it waits to be placed)."""
    if level == InstitutionLevel.national:
        return {"region_code": ["A national institution has no region code."]} if region_code else {}
    if not region_code:
        return {"region_code": [f"A {level.value} institution needs a region code."]}
    region = get_region(session, region_code)
    if region is None:
        return {"region_code": [f"Unknown region code {region_code}."]}
    retired = retirement_message(session, region)
    if retired and region_code != kept_region:
        return {"region_code": [retired]}
    if not _fits(session, level, region):
        wanted = LEVEL_NAMES[REGION_LEVEL_FOR[level]]
        return {"region_code": [
            f"{region.name} ({region_code}) is {LEVEL_NAMES[region.level]}; "
            f"a {level.value} institution must be placed in {wanted}."]}
    return {}


def _fits(session: Session, level: InstitutionLevel, region: Region) -> bool:
    if region.level == REGION_LEVEL_FOR[level]:
        return True
    # A provincial-level municipality (北京市, 上海市, ...) has no prefectures of its own
    # and also holds municipal-level institutions.
    return (level == InstitutionLevel.municipal and region.level == RegionLevel.province
            and is_municipality(session, region))


def is_municipality(session: Session, region: Region) -> bool:
    """A provincial-level division whose children are all counties (北京, 天津, 上海, 重庆)."""
    children = child_regions(session, region.code)
    return bool(children) and all(child.level == RegionLevel.county for child in children)


def service_errors(session: Session, services: list[str]) -> dict:
    """Messages for unknown category codes."""
    known = category_codes(session)
    unknown = [code for code in services if code not in known]
    if unknown:
        return {"services": [f"Unknown service category: {code}." for code in unknown]}
    return {}


def check_institution(session: Session, fields: dict, *, kept_region: str | None = None) -> None:
    """Raise ``InstitutionInvalid`` unless placement and services are valid (``kept_region``: the
    code the institution already holds, accepted even when retired since)."""
    with session.no_autoflush:  # the checks read reference data only
        errors = placement_errors(session, level=fields["level"], region_code=fields.get("region_code"),
                                  kept_region=kept_region)
        errors |= service_errors(session, fields["services"])
    if errors:
        raise InstitutionInvalid(errors)
