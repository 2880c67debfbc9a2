"""The official HSDS 3.0 schemas (copied into ``directory/hsds/schema``) as Draft 2020-12 validators
with the format checker on; ``$ref``s resolve locally through ``referencing``, nothing is downloaded.

``closed`` validators also refuse any property a schema does not define (the issue's "closed
schemas"): the official files leave ``additionalProperties`` open, so an extra field would pass them.
"""
import copy
import functools
import json
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "directory" / "hsds" / "schema"
SPEC_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
# The compiled organization of HSDS 3.0 lists the organization's services; the local
# organization.json does not define the key, so the closed check allows it there.
ALLOWED_EXTRA = {"organization.json": {"services"}}


def _close(schema: dict, allowed: set[str] = frozenset()) -> dict:
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                extra = {name: True for name in allowed} if node is schema else {}
                node["properties"].update(extra)
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(schema)
    return schema


@functools.cache
def _registry(closed: bool) -> Registry:
    resources = []
    for path in [*SCHEMA_DIR.glob("*.json"), *SCHEMA_DIR.glob("compiled/*.json")]:
        contents = json.loads(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(SCHEMA_DIR))
        if closed:
            contents = _close(contents, ALLOWED_EXTRA.get(name, set()))
        resource = Resource(contents=contents, specification=DRAFT202012)
        resources += [(SPEC_BASE + name, resource), (name, resource)]
    return Registry().with_resources(resources)


@functools.cache
def validator(name: str, *, closed: bool = False) -> Draft202012Validator:
    """A validator of the schema ``name`` (``service.json``, ``compiled/service_list.json``)."""
    registry = _registry(closed)
    schema = {"$ref": SPEC_BASE + name}
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(record: dict, name: str, *, where: str = "") -> list[str]:
    """Every way the record breaks the schema (open, then closed), each naming the record id and JSON path."""
    found = []
    for closed in (False, True):
        for error in validator(name, closed=closed).iter_errors(record):
            kind = "closed " if closed else ""
            found.append(f"{where}{name} record {record.get('id')!r} at {error.json_path}: "
                         f"{kind}{error.message}")
        if found:
            break
    return found


def assert_valid(records, name: str, *, where: str = "") -> int:
    """Assert every record is valid; the failure lists the first problems. Returns how many were checked."""
    records = list(records)
    found = [p for record in records for p in problems(record, name, where=where)]
    assert not found, f"{len(found)} schema problem(s):\n" + "\n".join(found[:20])
    return len(records)
