"""/hsds: the read-only Open Referral HSDS 3.0 API over the public (active) part of the registry.

Parameters and the paged envelope are those of the HSDS 3.0 ``openapi.json``; every object is
valid against the official schemas. No login: only what the public directory shows is served.
"""
import math

from flask import url_for
from flask_smorest import Blueprint, abort

from directory.database import get_session
from directory.hsds import mapping, vocabularies
from directory.hsds.queries import public_institutions
from directory.hsds.service_queries import (ServiceFilter, institution_ids_for, organization_page, service_for,
                                            service_page)
from directory.hsds.schemas import OrganizationDetailQuery, OrganizationQuery, PageQuery, ServiceQuery, TermQuery

blp = Blueprint("hsds", __name__, url_prefix="/hsds",
                description="Open Referral HSDS 3.0 (read-only, public) / 开放转介 HSDS 3.0 数据接口（只读、公开）")


def envelope(contents: list, *, total: int, page: int, per_page: int) -> dict:
    """The HSDS page: totals and position, then the records."""
    total_pages = math.ceil(total / per_page)
    return {"total_items": total, "total_pages": total_pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= total_pages, "empty": not contents,
            "contents": contents}


def _offset(query: dict) -> tuple[int, int]:
    return (query["page"] - 1) * query["per_page"], query["per_page"]


def _text(query: dict, name: str) -> str | None:
    return str(query[name]) if query.get(name) is not None else None


def _service_filter(query: dict) -> ServiceFilter:
    return ServiceFilter(search=query.get("search"), term_id=_text(query, "taxonomy_term_id"),
                         taxonomy_id=_text(query, "taxonomy_id"), organization_id=_text(query, "organization_id"),
                         modified_after=query.get("modified_after"))


def _service_listing(query: dict, **options) -> dict:
    """One page of services (or, with ``at_location``, of their locations) matching ``query``."""
    offset, limit = _offset(query)
    total, records = service_page(get_session(), _service_filter(query), offset=offset, limit=limit,
                                  full=query["full"], **options)
    return envelope(records, total=total, page=query["page"], per_page=limit)


def _found(record: dict | None, missing: str) -> dict:
    """``record``, or 404 with the message ``missing``."""
    if record is None:
        abort(404, message=missing)
    return record


@blp.route("/")
@blp.response(200)
def about():
    """This API's HSDS version and where its description is."""
    return {"version": mapping.HSDS_VERSION, "profile": "https://docs.openreferral.org/en/v3.0/",
            "openapi_url": url_for("api-docs.openapi_json", _external=True)}


@blp.route("/services")
@blp.arguments(ServiceQuery, location="query")
@blp.response(200)
def list_services(query):
    """Services of active institutions, one per offered category."""
    return _service_listing(query, minimal=query["minimal"])


@blp.route("/services/<uuid:service_id>")
@blp.response(200)
@blp.alt_response(404, description="No public record with this id")
def get_service(service_id):
    """One fully nested service."""
    return _found(service_for(get_session(), str(service_id), nested=True), f"No public service with id {service_id}.")


@blp.route("/service_at_locations")
@blp.arguments(ServiceQuery, location="query")
@blp.response(200)
def list_services_at_locations(query):
    """Where each service is offered (one location per institution)."""
    return _service_listing(query, at_location=True)


@blp.route("/service_at_locations/<uuid:link_id>")
@blp.response(200)
@blp.alt_response(404, description="No public record with this id")
def get_service_at_location(link_id):
    """One service at its location, the location nested."""
    return _found(service_for(get_session(), str(link_id), at_location=True),
                  f"No public service_at_location with id {link_id}.")


@blp.route("/organizations")
@blp.arguments(OrganizationQuery, location="query")
@blp.response(200)
def list_organizations(query):
    """Active institutions as organizations."""
    offset, limit = _offset(query)
    total, records = organization_page(get_session(), public_institutions(search=query.get("search")),
                                       offset=offset, limit=limit, full=query["full"],
                                       full_service=query["full_service"])
    return envelope(records, total=total, page=query["page"], per_page=limit)


@blp.route("/organizations/<uuid:organization_id>")
@blp.arguments(OrganizationDetailQuery, location="query")
@blp.response(200)
@blp.alt_response(404, description="No public record with this id")
def get_organization(query, organization_id):
    """One fully nested organization with its services (their ids, or in full with ``full_service``)."""
    session = get_session()
    ids = institution_ids_for(session, str(organization_id))
    _total, records = organization_page(session, public_institutions(organization_ids=ids), offset=0, limit=1,
                                        full=True, full_service=query["full_service"], with_services=True)
    if not records:
        abort(404, message=f"No public organization with id {organization_id}.")
    return records[0]


@blp.route("/taxonomies")
@blp.arguments(PageQuery, location="query")
@blp.response(200)
def list_taxonomies(query):
    """Our vocabularies: categories, levels, designations, divisions, operators."""
    found = [t for t in vocabularies.taxonomies()
             if not query.get("search") or query["search"].lower() in (t["name"] + t["description"]).lower()]
    offset, limit = _offset(query)
    return envelope(found[offset:offset + limit], total=len(found), page=query["page"], per_page=limit)


@blp.route("/taxonomies/<uuid:taxonomy_id>")
@blp.response(200)
@blp.alt_response(404, description="No public record with this id")
def get_taxonomy(taxonomy_id):
    """One vocabulary."""
    key = vocabularies.taxonomy_key(str(taxonomy_id))
    if key is None:
        abort(404, message=f"No taxonomy with id {taxonomy_id}.")
    return mapping.taxonomy_record(key)


@blp.route("/taxonomy_terms")
@blp.arguments(TermQuery, location="query")
@blp.response(200)
def list_taxonomy_terms(query):
    """Terms of every vocabulary (divisions last, in code order)."""
    taxonomy = None
    if query.get("taxonomy_id") is not None:
        taxonomy = vocabularies.taxonomy_key(str(query["taxonomy_id"]))
        if taxonomy is None:
            return envelope([], total=0, page=query["page"], per_page=query["per_page"])
    offset, limit = _offset(query)
    total, records = vocabularies.term_page(get_session(), offset=offset, limit=limit, search=query.get("search"),
                                            taxonomy=taxonomy, parent_id=_text(query, "parent_id"),
                                            top_only=query["top_only"])
    return envelope(records, total=total, page=query["page"], per_page=limit)


@blp.route("/taxonomy_terms/<uuid:term_id>")
@blp.response(200)
@blp.alt_response(404, description="No public record with this id")
def get_taxonomy_term(term_id):
    """One term."""
    return _found(vocabularies.term_by_id(get_session(), str(term_id)), f"No taxonomy term with id {term_id}.")
