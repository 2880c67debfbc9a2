"""GET /api/v1/categories."""
from flask import jsonify
from flask_smorest import Blueprint

from directory.categories.service import current_categories
from directory.database import get_session
from directory.categories.schemas import CategorySchema

blp = Blueprint("categories", __name__, url_prefix="/api/v1/categories",
                description="Service categories / 服务类别")


CATEGORY_LIST = CategorySchema(many=True)
_dumped: tuple[list | None, list[dict]] = (None, [])   # (the copy it was dumped from, its dump)


def dumped_categories() -> list[dict]:
    """The process's categories dumped with CategorySchema, once per copy rather than once per request."""
    global _dumped
    categories = current_categories(get_session)   # this process's copy: no database round trip
    source, dump = _dumped
    if source is not categories:
        dump = CATEGORY_LIST.dump(categories)
        _dumped = (categories, dump)
    return dump


@blp.route("")
@blp.response(200, CategorySchema(many=True))
@blp.paginate()
def get_categories(pagination_parameters):
    """The ten service categories with Chinese and English names."""
    categories = dumped_categories()
    pagination_parameters.item_count = len(categories)
    start = pagination_parameters.first_item
    # Already dumped: a ready response skips the per-request dump (flask-smorest still adds X-Pagination).
    return jsonify(categories[start:start + pagination_parameters.page_size])
