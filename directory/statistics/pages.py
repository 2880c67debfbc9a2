"""The statistics page (/stats): coverage, gaps, trend and demand for the country or one province,
now or as of a past day; every table as CSV and the whole report as one XLSX workbook."""
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from directory.categories.service import list_categories
from directory.database import get_session
from directory.i18n import chosen_language
from directory.input_schemas import page_argument
from directory.regions.service import child_regions
from directory.statistics import charts
from directory.statistics.coverage import province_error
from directory.tables import XLSX_MIMETYPE, table_csv, workbook_bytes
from directory.statistics.schemas import CoverageQuerySchema, GapsQuerySchema
from directory.statistics.report import DEFAULT_BLIND_SPOT_CATEGORY, Scope, build_report, report_tables, summary_lines
from directory.statistics.service import rate_names, service_charts, service_figures, service_summary, service_tables
from directory.regions.service import get_region

blp = Blueprint("stats_pages", __name__)
PROVINCE_BARS = 31
SCOPE_QUERY = CoverageQuerySchema()     # the API's: the page reads region_code and as_of the same way
CATEGORY_QUERY = GapsQuerySchema()


def _scope() -> tuple[Scope, list[tuple[str, str]]]:
    """The scope asked for in the query string, each argument read by the API's schema; values the API
    would refuse, or that name nothing, are ignored and listed."""
    session, ignored = get_session(), []
    code = page_argument(SCOPE_QUERY, request.args, "region_code", ignored)
    province = None
    if code and province_error(session, code) is None:
        province = get_region(session, code)
    elif code:
        ignored.append(("region_code", code))
    as_of = page_argument(SCOPE_QUERY, request.args, "as_of", ignored)
    category = page_argument(CATEGORY_QUERY, request.args, "category", ignored) or DEFAULT_BLIND_SPOT_CATEGORY
    if category not in {c.code for c in list_categories(session)}:
        ignored.append(("category", category))
        category = DEFAULT_BLIND_SPOT_CATEGORY
    return Scope(province=province, as_of=as_of, category=category), ignored


def _category_names() -> dict[str, str]:
    english = chosen_language() == "en"
    return {c.code: c.name_en if english else c.name_zh for c in list_categories(get_session())}


@blp.get("/stats")
def report():
    """Headline figures, coverage by level and by area with bars, gaps, trend and demand charts."""
    session = get_session()
    scope, ignored = _scope()
    figures = build_report(session, scope)
    names = _category_names()
    area_rate = "county_rate" if scope.province else "municipal_and_above_rate"
    unserved = _("本地无法满足")
    # The longest part of the page changes only with the directory: rendered once per language
    # into the kept figures it was rendered from.
    language = chosen_language()
    gaps = figures["rendered"].get(language)
    if gaps is None:
        gaps = figures["rendered"].setdefault(language, Markup(render_template(
            "statistics/gaps.html", scope=scope, report=figures, category_names=names)))
    service = service_figures(session, region_code=scope.region_code, as_of=scope.as_of)
    return render_template(
        "statistics/report.html", scope=scope, ignored=ignored, report=figures, category_names=names, gaps=gaps,
        service=service, service_charts=service_charts(service), rate_names=rate_names(),
        provinces=[p for p in child_regions(session, None) if p.mainland],
        categories=list_categories(session),
        area_chart=charts.bar_chart(
            [(a["name"], a[area_rate] or 0.0, f"{(a[area_rate] or 0):.0%}") for a in figures["areas"]][:PROVINCE_BARS],
            maximum=1.0),
        category_chart=charts.bar_chart(
            [(names[c["code"]], c["institutions"], str(c["institutions"])) for c in figures["by_category"]]),
        trend_chart=charts.line_chart(
            [(date.fromisoformat(m["as_of"]), m["municipal_and_above"]["rate"]) for m in figures["trend"]["months"]]),
        demand_chart=charts.bar_chart(
            [(names.get(d["category_code"], d["category_code"]), d["requests"],
              f"{d['requests']} · {unserved} {(d['unserved_share'] or 0):.0%}")
             for d in figures["demand"]["by_category"]]),
        demand_province_chart=charts.bar_chart(
            [(d["name"] or _("未填地区"), d["requests"], str(d["requests"]))
             for d in figures["demand"]["by_province"]][:15]))


def _tables():
    scope, _ignored = _scope()
    session = get_session()
    figures = build_report(session, scope)
    figures = figures | {"service": service_figures(session, region_code=scope.region_code, as_of=scope.as_of)}
    return scope, figures, report_tables(figures, scope, _category_names()) + service_tables(figures["service"])


@blp.get("/stats/<name>.csv")
def table_download(name: str):
    """One table of the report as CSV (UTF-8 with BOM; cells safe against formula injection)."""
    scope, _figures, tables = _tables()
    table = next((t for t in tables if t.name == name), None)
    if table is None:
        abort(404, description=_("没有名为 %(name)s 的统计表。", name=name))
    suffix = f"-{scope.region_code}" if scope.region_code else ""
    return Response(table_csv(table), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="stats-{name}{suffix}.csv"'})


@blp.get("/stats/report.xlsx")
def workbook_download():
    """The whole report as one workbook: a summary sheet and a sheet per table."""
    scope, figures, tables = _tables()
    suffix = f"-{scope.region_code}" if scope.region_code else ""
    book = workbook_bytes(tables, summary=summary_lines(figures, scope) + service_summary(figures["service"]),
                          summary_title=_("概况"))
    return Response(book, mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="stats-report{suffix}.xlsx"'})
