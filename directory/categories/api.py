"""GET /api/v1/categories."""
from flask_smorest import Blueprint

from directory.categories.service import list_categories
from directory.database import get_session
from directory.categories.schemas import CategorySchema

blp = Blueprint("categories", __name__, url_prefix="/api/v1/categories",
                description="Service categories / 服务类别")


@blp.route("")
@blp.response(200, CategorySchema(many=True))
@blp.paginate()
def get_categories(pagination_parameters):
    """The ten service categories with Chinese and English names."""
    categories = list_categories(get_session())
    pagination_parameters.item_count = len(categories)
    start = pagination_parameters.first_item
    return categories[start:start + pagination_parameters.page_size]
