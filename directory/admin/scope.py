"""The institution an administration page is about, when it lies in the administrator's scope."""
from flask import abort

from directory.auth.login import record_page, require_page_scope
from directory.database import get_session
from directory.institutions.models import Institution
from directory.institutions.service import get_institution

INSTITUTION_URL = "/institutions/<id:institution_id>"


def institution_in_scope(institution_id: int) -> Institution:
    """The institution ``institution_id``: 404 when there is none, 403 outside the administrator's scope."""
    institution = get_institution(get_session(), institution_id) or abort(404)
    require_page_scope(institution.region_code)
    return institution


def institution_page(blueprint, rule: str = "", *, methods=("GET",)):
    """A page of one institution (``INSTITUTION_URL`` + ``rule``): login required, 404 without it, 403
    outside the administrator's scope; the view gets the institution."""
    return record_page(blueprint, INSTITUTION_URL + rule, load=institution_in_scope, key="institution_id",
                       methods=methods)
