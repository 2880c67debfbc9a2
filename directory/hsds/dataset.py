"""HSDS 3.0 datasets as they arrive: JSON (our package, an API page with ``contents``, a list of
services or organizations) or the tabular zip, read into one nested shape (``Dataset``)."""
import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

MAX_ENTRIES = 50
MAX_UNZIPPED = 100 * 1024 * 1024


class UnreadableDataset(ValueError):
    """The bytes look like HSDS but cannot be read as a dataset."""


@dataclass
class Dataset:
    """Organizations (nested as HSDS nests them), their services, and every term seen, by id."""

    organizations: dict[str, dict] = field(default_factory=dict)
    services: list[dict] = field(default_factory=list)
    terms: dict[str, dict] = field(default_factory=dict)


def is_hsds(data: bytes) -> bool:
    """Whether the upload is an HSDS dataset (JSON, or a zip with organizations.csv), not a spreadsheet."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return True
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return any(name.rsplit("/", 1)[-1] == "organizations.csv" for name in archive.namelist())
        except zipfile.BadZipFile:
            return False
    return False


def read_dataset(data: bytes) -> Dataset:
    """The dataset in the bytes; UnreadableDataset with a reason otherwise."""
    if data[:4] == b"PK\x03\x04":
        return _from_tables(_read_zip(data))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableDataset(f"Not valid UTF-8 JSON: {error}.") from None
    return _from_json(document)


def _records(value, what: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise UnreadableDataset(f"'{what}' must be a list of objects.")
    return value


def _from_json(document) -> Dataset:
    if isinstance(document, dict) and "contents" in document:
        document = document["contents"]
    if isinstance(document, list):
        items = _records(document, "the document")
        is_service = any("status" in item or "organization" in item for item in items)
        document = {"services": items} if is_service else {"organizations": items}
    if not isinstance(document, dict) or not ({"organizations", "services"} & document.keys()):
        raise UnreadableDataset("Expected an HSDS package with 'organizations' or 'services', "
                                "an HSDS page with 'contents', or a list of services or organizations.")
    dataset = Dataset()
    for term in _records(document.get("taxonomy_terms", []), "taxonomy_terms"):
        _keep_term(dataset, term)
    for organization in _records(document.get("organizations", []), "organizations"):
        _keep_organization(dataset, organization)
    for service in _records(document.get("services", []), "services"):
        if isinstance(service.get("organization"), dict):
            _keep_organization(dataset, service["organization"], merge=True)
        dataset.services.append(service)
        for link in service.get("service_at_locations") or []:
            organization = dataset.organizations.get(organization_of(service) or "")
            location = link.get("location") if isinstance(link, dict) else None
            if organization is not None and isinstance(location, dict):
                organization.setdefault("locations", [])
                if all(loc.get("id") != location.get("id") for loc in organization["locations"]):
                    organization["locations"].append(location)
    for record in [*dataset.organizations.values(), *dataset.services]:
        for attribute in record.get("attributes") or []:
            if isinstance(attribute, dict) and isinstance(attribute.get("taxonomy_term"), dict):
                _keep_term(dataset, attribute["taxonomy_term"])
    return dataset


def _keep_term(dataset: Dataset, term: dict) -> None:
    if isinstance(term, dict) and term.get("id"):
        dataset.terms.setdefault(str(term["id"]), term)


def _keep_organization(dataset: Dataset, organization: dict, *, merge: bool = False) -> None:
    key = str(organization.get("id") or f"(no id {len(dataset.organizations) + 1})")
    if merge and key in dataset.organizations:
        return
    dataset.organizations[key] = dict(organization)


def organization_of(service: dict) -> str | None:
    """The id of the organization a service belongs to (its own field or its nested organization)."""
    nested = service.get("organization")
    return str(service.get("organization_id") or (nested or {}).get("id") or "") or None


def _read_zip(data: bytes) -> dict[str, list[dict]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnreadableDataset(f"Not a readable zip file: {error}.") from None
    with archive:
        entries = [info for info in archive.infolist() if info.filename.endswith(".csv")]
        if len(archive.infolist()) > MAX_ENTRIES or sum(i.file_size for i in entries) > MAX_UNZIPPED:
            raise UnreadableDataset(f"The zip is too large: at most {MAX_ENTRIES} files and "
                                    f"{MAX_UNZIPPED // 1024 // 1024} MB of CSV.")
        tables = {}
        for info in entries:
            try:
                text = archive.read(info).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise UnreadableDataset(f"{info.filename} is not UTF-8 text.") from None
            name = info.filename.rsplit("/", 1)[-1].removesuffix(".csv")
            tables[name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return tables


def by_key(rows: list[dict], key: str) -> dict[str, list[dict]]:
    """The rows grouped by the value of ``key``."""
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row.get(key) or "", []).append(row)
    return grouped


def _from_tables(tables: dict[str, list[dict]]) -> Dataset:
    """Nest the tabular rows back as the JSON form nests them."""
    phones, locations = by_key(tables.get("phones", []), "organization_id"), by_key(tables.get("locations", []), "organization_id")
    addresses, attributes = by_key(tables.get("addresses", []), "location_id"), by_key(tables.get("attributes", []), "link_id")
    links = by_key(tables.get("service_at_location", []), "service_id")
    dataset = Dataset(terms={row["id"]: row for row in tables.get("taxonomy_terms", []) if row.get("id")})
    for row in tables.get("organizations", []):
        org = row.get("id", "")
        places = [loc | {"addresses": addresses.get(loc.get("id", ""), [])} for loc in locations.get(org, [])]
        dataset.organizations[org or f"(no id {len(dataset.organizations) + 1})"] = row | {
            "phones": phones.get(org, []), "locations": places, "attributes": attributes.get(org, [])}
    for row in tables.get("services", []):
        dataset.services.append(row | {"attributes": attributes.get(row.get("id", ""), []),
                                       "service_at_locations": links.get(row.get("id", ""), [])})
    return dataset
