"""Institutions as an HSDS 3.0 dataset: one JSON package, or the HSDS tabular CSV files in a zip.

The JSON package is ``{"version", "organizations", "services", "taxonomies", "taxonomy_terms"}``:
each organization fully nested (phones, location with address, attributes, metadata), each service
fully nested (service area, service_at_location, category attribute, metadata), every record valid
against its official schema. The zip holds one CSV per HSDS table (``organizations.csv``,
``services.csv``, ``locations.csv``, ``addresses.csv``, ...), columns as the schemas list them,
nested records flattened into their own tables and linked by id.
"""
import csv
import functools
import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import Select
from sqlmodel import Session

from directory.hsds import mapping
from directory.hsds.queries import context_for
from directory.hsds.vocabularies import small_terms, taxonomies
from directory.institutions.models import Institution

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
TOP_TABLES = {"organizations": "organization", "services": "service", "taxonomies": "taxonomy",
              "taxonomy_terms": "taxonomy_term"}
LICENCE_NOTE = ("Structure: Human Services Data Specification 3.0, an Open Referral resource "
                "(https://openreferral.org/), CC BY-SA 4.0.")


def hsds_package(session: Session, institutions: list[Institution]) -> dict:
    """The institutions (any status) as one HSDS JSON package."""
    context = context_for(session, institutions, all_changes=len(institutions) > 500)
    divisions = {region.code: region for path in context.paths.values() for region in path}
    return {
        "version": mapping.HSDS_VERSION,
        "organizations": [mapping.organization_record(i, context) for i in institutions],
        "services": [mapping.service_record(i, code, context) for i in institutions for code in i.services],
        "taxonomies": taxonomies(),
        "taxonomy_terms": small_terms(session) + [mapping.division_term(divisions[code])
                                                  for code in sorted(divisions)],
    }


def export_institutions(session: Session, stmt: Select) -> list[Institution]:
    """The institutions of ``stmt`` (the caller's filters and scope), in a stable order."""
    return list(session.scalars(stmt.order_by(None).order_by(Institution.id)))


def package_json(package: dict) -> bytes:
    """The package as compact UTF-8 JSON, Chinese unescaped."""
    return json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@functools.cache
def _schema(table: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{table}.json").read_text(encoding="utf-8"))


def _columns(table: str) -> list[str]:
    """The table's one-to-one fields, in the schema's order."""
    return [name for name, spec in _schema(table)["properties"].items()
            if spec.get("type") not in ("array", "object") and "$ref" not in spec]


def _children(table: str) -> dict[str, str]:
    """Array fields of a table and the table their items belong to."""
    found = {}
    for name, spec in _schema(table)["properties"].items():
        ref = spec.get("items", {}).get("$ref") if spec.get("type") == "array" else None
        if ref:
            found[name] = ref.removesuffix(".json")
    return found


def _flatten(table: str, record: dict, tables: dict[str, dict[str, dict]]) -> None:
    tables.setdefault(table, {})[record["id"]] = {c: record[c] for c in _columns(table) if c in record}
    for name, child in _children(table).items():
        for item in record.get(name, []):
            _flatten(child, item, tables)


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def tabular_zip(package: dict) -> bytes:
    """The package as the HSDS tabular form: one CSV per table (UTF-8, header row), zipped."""
    tables: dict[str, dict[str, dict]] = {}
    for key, table in TOP_TABLES.items():
        for record in package.get(key, []):
            _flatten(table, record, tables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, rows in tables.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            columns = _columns(table)
            writer.writerow(columns)
            writer.writerows([_cell(row.get(c)) for c in columns] for row in rows.values())
            archive.writestr(_schema(table)["path"], text.getvalue().encode("utf-8"))
        archive.writestr("README.txt", LICENCE_NOTE + "\n")
    return buffer.getvalue()


def dataset_bytes(session: Session, institutions: list[Institution], *, kind: str) -> bytes:
    """``json`` (the package) or ``zip`` (tabular) bytes of these institutions."""
    package = hsds_package(session, institutions)
    return package_json(package) if kind == "json" else tabular_zip(package)
