"""GET /api/v1/regions and /api/v1/regions/{code}."""
from flask_smorest import Blueprint, abort

from directory.database import get_session
from directory.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from directory.regions import service
from directory.regions.schemas import RegionDetailSchema, RegionQuerySchema, RegionSchema
from directory.regions.validity import successor_regions

blp = Blueprint("regions", __name__, url_prefix="/api/v1/regions",
                description="Administrative divisions (GB/T 2260) / 行政区划")


@blp.route("")
@blp.arguments(RegionQuerySchema, location="query")
@blp.response(200, RegionSchema(many=True))
@blp.paginate(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_regions(filters, pagination_parameters):
    """List divisions in force (``status=retired`` or ``all`` for the others), filtered by level, parent or name."""
    return paginate(get_session(), service.regions_query(**filters), pagination_parameters)


@blp.route("/<code>")
@blp.response(200, RegionDetailSchema)
def get_region(code):
    """One division with its path from the province, its child divisions in force, and for a
    retired one (``status: retired``, ``retired_on``) the successors its area went to."""
    session = get_session()
    region = service.get_region(session, code)
    if region is None:
        abort(404, message=f"No division with code {code}.")
    return {**region.model_dump(), "path": service.region_path(session, code),
            "children": service.child_regions(session, code),
            "successors": successor_regions(session, code),
            "predecessors": service.predecessor_regions(session, code)}
