"""/api/v1/stats: coverage (docs/contract.md), gaps, the monthly trend and demand."""
from datetime import timedelta

from flask_smorest import Blueprint, abort

from directory.categories.service import category_codes
from directory.database import get_session
from directory.demand.figures import demand_by_category, demand_by_province, demand_overview
from directory.regions.validity import edition_name
from directory.statistics.active import moment_of
from directory.statistics.cache import cached_figures
from directory.statistics.composition import demonstration_platforms, institutions_by_category
from directory.statistics.coverage import coverage_summary, province_error
from directory.statistics.designations import designation_counts
from directory.statistics.gaps import category_blind_spots, uncovered_by_province
from directory.statistics.schemas import (CoverageQuerySchema, CoverageSchema, DemandQuerySchema, DemandSchema,
                                          DesignationCountsSchema, GapsQuerySchema, GapsSchema, ScopeQuerySchema,
                                          TrendSchema)
from directory.statistics.trend import coverage_trend

blp = Blueprint("statistics", __name__, url_prefix="/api/v1/stats",
                description="Coverage statistics / 覆盖率统计")


def _checked_scope(session, region_code: str | None) -> None:
    message = province_error(session, region_code)
    if message:
        abort(422, message="The region code cannot scope statistics; see errors.",
              errors={"region_code": [message]})


@blp.route("/coverage")
@blp.arguments(CoverageQuerySchema, location="query")
@blp.response(200, CoverageSchema)
def get_coverage(query):
    """Coverage per level and of municipal level and above, nationally or inside a province,
    now or at the end of ``as_of``; with demonstration platforms and institutions per category."""
    session = get_session()
    _checked_scope(session, query.get("region_code"))
    figures = cached_figures(session, ("coverage", query.get("region_code"), query.get("as_of")), lambda: (
        coverage_summary(session, **query) | {"by_category": institutions_by_category(session, **query)}))
    return figures | {"demonstration_platforms": demonstration_platforms(session, **query)}


@blp.route("/designations")
@blp.arguments(CoverageQuerySchema, location="query")
@blp.response(200, DesignationCountsSchema)
def get_designations(query):
    """Designations in force by kind (with the holders' levels) and by province, nationally or inside
    a province, today or at the end of ``as_of``."""
    session = get_session()
    _checked_scope(session, query.get("region_code"))
    return designation_counts(session, **query)


@blp.route("/gaps")
@blp.arguments(GapsQuerySchema, location="query")
@blp.response(200, GapsSchema)
def get_gaps(query):
    """Uncovered divisions by province; with ``category``, the counties where no institution in
    the county, its prefecture or its province offers it."""
    session = get_session()
    region_code, category = query.get("region_code"), query.get("category")
    _checked_scope(session, region_code)
    if category is not None and category not in category_codes(session):
        abort(422, message="Unknown service category; see errors.",
              errors={"category": [f"Unknown service category: {category}."]})
    return {"region_code": region_code, "divisions_edition": edition_name(session),
            "provinces": uncovered_by_province(session, region_code=region_code),
            "category": None if category is None else {
                "code": category,
                "blind_spots": category_blind_spots(session, category=category, region_code=region_code)}}


@blp.route("/trend")
@blp.arguments(ScopeQuerySchema, location="query")
@blp.response(200, TrendSchema)
def get_trend(query):
    """Covered divisions and the municipal-and-above rate at each month's end."""
    session = get_session()
    _checked_scope(session, query.get("region_code"))
    return coverage_trend(session, region_code=query.get("region_code"))


@blp.route("/demand")
@blp.arguments(DemandQuerySchema, location="query")
@blp.response(200, DemandSchema)
def get_demand(query):
    """What SMEs ask the finder for (recorded anonymously): requests and needs by category and by
    province, and the share their own chain of divisions could not serve; ``since``/``until`` are days."""
    session = get_session()
    province = query.get("region_code")
    _checked_scope(session, province)
    period = {"since": moment_of(query["since"] - timedelta(days=1)) if query.get("since") else None,
              "until": moment_of(query["until"]) if query.get("until") else None, "region_code": province}
    return {"region_code": province, "overview": demand_overview(session, **period),
            "by_category": demand_by_category(session, **period),
            "by_province": demand_by_province(session, **period)}
