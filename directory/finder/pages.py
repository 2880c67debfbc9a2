"""The SME service finder (/find): a need in the SME's own words in, providers out."""
from flask import Blueprint, render_template, request

from directory.categories.service import list_categories
from directory.database import get_engine, get_session
from directory.demand.recording import record_match
from directory.finder.service import match_need
from directory.institutions.search import matching_index
from directory.regions.cascading import chosen_region_path, region_selects
from directory.regions.service import region_path
from matching.geography import search_places

blp = Blueprint("finder", __name__)
MAX_NEED_LENGTH = 2000
EXAMPLE_NEEDS = [
    "我们的专利被人抄袭了，想找人维权",
    "想申请一笔贷款扩大生产，最好是知识产权质押融资",
    "工厂想上云，做数字化改造",
    "招不到技术工人，需要职业技能培训",
    "How can we export our products to Southeast Asia?",
    "客户拖欠货款半年了，怎么办",
]


@blp.get("/find")
def find():
    """Match a need typed in free text; GET so that a result can be bookmarked."""
    session = get_session()
    need = " ".join(request.args.get("need", "").split())[:MAX_NEED_LENGTH]
    place = request.args.get("place", "").strip()[:50]
    path = chosen_region_path(session, request.args.getlist("region_code"), [])
    places = []
    if place and not path:
        places = search_places(matching_index(session).geography, place)
        if len(places) == 1:
            path, places = region_path(session, places[0].code), []
    region_code = path[-1].code if path else None
    store_need = request.args.get("store_need") == "1"
    result = match_need(session, need=need, region_code=region_code) if need else None
    if result is not None and not places:  # while the SME still picks its place, the match is not final
        record_match(result=result, region_code=region_code, need=need, consent=store_need,
                     source="finder")
    return render_template(
        "finder/find.html", need=need, place=place, places=places, path=path, result=result,
        store_need=store_need,
        examples=EXAMPLE_NEEDS, categories={c.code: c for c in list_categories(session)},
        region_selects=region_selects(session, path),
        place_paths={d.code: matching_index(session).geography.path(d.code) for d in places})
