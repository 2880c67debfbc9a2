"""Pages: the provincial-level divisions (/regions) and one division (/regions/<code>)."""
from flask import Blueprint, render_template
from flask_babel import gettext as _

from directory.database import get_session
from directory.errors import found_or_404
from directory.institutions.network import located_by_level
from directory.institutions import region_counts as counts
from directory.regions.service import get_region, predecessor_regions, region_path
from directory.regions.validity import successor_regions

blp = Blueprint("region_pages", __name__)


@blp.get("/regions")
def index():
    """The 34 provincial-level divisions with their institution counts."""
    return render_template("regions/index.html",
                           provinces=counts.divisions_with_counts(get_session(), None))


@blp.get("/regions/<code>")
def detail(code: str):
    """A division: its institutions by level and its child divisions with their counts."""
    session = get_session()
    region = found_or_404(get_region(session, code), _("没有代码为 %(code)s 的行政区划。", code=code))
    return render_template(
        "regions/detail.html", region=region, path=region_path(session, code),
        located=located_by_level(session, code),
        level_counts=counts.level_counts_within(session, region),
        children=counts.divisions_with_counts(session, code),
        successors=successor_regions(session, code), predecessors=predecessor_regions(session, code))
