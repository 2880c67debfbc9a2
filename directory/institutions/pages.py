"""Pages: the directory of institutions (/institutions) and one institution (/institutions/<id>)."""
from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from directory.categories.service import categories_by_code
from directory.database import get_session
from directory.errors import found_or_404
from directory.designations.service import list_kinds
from directory.institutions import browse, network
from directory.institutions.service import describe_institution, describe_institutions, get_institution
from directory.regions.cascading import region_selects

blp = Blueprint("institution_pages", __name__)


@blp.get("/institutions")
def directory():
    """Search and filter the registry; GET so that a result can be bookmarked."""
    session = get_session()
    categories = categories_by_code(session)
    filters = browse.read_filters(session, request.args, service_codes=set(categories))
    page = browse.directory_page(session, filters, request.args.get("page", 1, type=int))
    return render_template(
        "institutions/directory.html", filters=filters, page=page, categories=categories,
        rows=describe_institutions(session, page.items), kinds=list_kinds(session),
        region_selects=region_selects(session, filters.region_path))


@blp.get("/institutions/<id:institution_id>")
def detail(institution_id: int):
    """Every field of one institution and its neighbours in the network."""
    session = get_session()
    institution = found_or_404(get_institution(session, institution_id),
                               _("没有编号为 %(id)s 的机构。", id=institution_id))
    return render_template(
        "institutions/detail.html", institution=describe_institution(session, institution),
        categories=categories_by_code(session),
        above=describe_institutions(session, network.institutions_above(session, institution)),
        beside=describe_institutions(session, network.institutions_beside(session, institution)),
        below=network.counts_below(session, institution))
