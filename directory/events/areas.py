"""The area an event is open to: its organiser's division and below (own), the organiser's whole
province, or the whole country; and how an event relates to the SME that asks."""
from directory.regions.editions import province_code_of

OPEN_TO = ("own", "province", "nationwide")
# How an event relates to the SME that asks, in the order they are suggested.
SCOPES = ("local", "open_to_you", "province", "national")


def open_area_code(*, region_code: str | None, open_to: str) -> str | None:
    """The division an event takes registrations from, None for the whole country."""
    if region_code is None or open_to == "nationwide":
        return None
    return province_code_of(region_code) if open_to == "province" else region_code


def is_open_to(*, region_code: str | None, open_to: str, sme_chain: list[str]) -> bool:
    """Whether an SME whose chain of divisions (county, city, province) is ``sme_chain`` may register."""
    area = open_area_code(region_code=region_code, open_to=open_to)
    return area is None or area in sme_chain


def scope_for(event: dict, sme_chain: list[str]) -> str:
    """How ``event`` relates to the SME: its own chain, open to it, elsewhere in its province, national."""
    if event["region_code"] is None:
        return "national"
    if event["region_code"] in sme_chain:
        return "local"
    if is_open_to(region_code=event["region_code"], open_to=event["open_to"], sme_chain=sme_chain):
        return "national" if event["open_to"] == "nationwide" else "open_to_you"
    return "province"
