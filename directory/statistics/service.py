"""The service-request figures of the /stats page (服务请求办理情况): the three rates, hours to accept and
escalations for the scope of the page, by level, by province and by month, as charts, tables, CSV and
workbook sheets. No contact detail is ever part of them (``service_requests.stats`` reads none)."""
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlmodel import Session

from directory.labels import level_label
from directory.process_copy import app_copy
from directory.service_requests.models import Assignment, Feedback, RequestEvent, ServiceRequest
from directory.service_requests.stats import service_stats
from directory.statistics import charts
from directory.tables import Table, percent
from directory.timestamps import SHANGHAI

RATES = ("response_rate", "resolution_rate", "satisfaction_rate")
FIGURES_MAX_AGE_SECONDS = 1.0   # today's figures are kept this long per process (a local change drops them)


def end_of(day: date | None) -> datetime | None:
    """The end of ``day`` in China Standard Time (None: now)."""
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI) if day else None


def service_figures(session: Session, *, region_code: str | None, as_of: date | None) -> dict:
    """The figures of the page's scope (a province or the country, now or at the end of ``as_of``).

    Today's figures are kept per process (``directory.process_copy``): a request, assignment, timeline
    or feedback change committed here drops them at once, another process's within a second."""
    if as_of is not None:
        return service_stats(session, region_code=region_code, moment=end_of(as_of))
    return app_copy(f"sme_service_figures:{region_code or ''}",
                    lambda reader: service_stats(reader, region_code=region_code),
                    models=(ServiceRequest, Assignment, RequestEvent, Feedback),
                    max_age=FIGURES_MAX_AGE_SECONDS).get(lambda: session)


def rate_names() -> dict[str, str]:
    return {"response_rate": _("响应率"), "resolution_rate": _("办结率"), "satisfaction_rate": _("满意率")}


def service_charts(figures: dict) -> dict:
    """A bar chart of the three rates by province and a monthly line of each rate (months with nothing to
    divide are left out of the line)."""
    names = rate_names()
    provinces = charts.bar_chart(
        [(p["name"], p["resolution_rate"] or 0.0,
          f"{(p['resolution_rate'] or 0):.0%} · {names['satisfaction_rate']} "
          + (f"{p['satisfaction_rate']:.0%}" if p["satisfaction_rate"] is not None else "—"))
         for p in sorted(figures["provinces"], key=lambda p: -p["requests"])], maximum=1.0)
    lines = {rate: charts.line_chart([(date.fromisoformat(f"{m['month']}-01"), m[rate])
                                      for m in figures["trend"] if m[rate] is not None])
             for rate in RATES}
    return {"provinces": provinces, "trend": lines}


def _figure_cells(row: dict) -> list:
    return [row["requests"], percent(row["response_rate"]), percent(row["resolution_rate"]),
            percent(row["satisfaction_rate"]), row["median_hours_to_accept"], row["p90_hours_to_accept"],
            row["escalations"]]


def _figure_headers() -> list[str]:
    return [_("请求数"), _("响应率"), _("办结率"), _("满意率"), _("受理用时中位数（小时）"), _("受理用时 P90（小时）"),
            _("上移次数")]


def service_tables(figures: dict) -> list[Table]:
    """The service figures as named tables (rates as ``Percent``, hours and counts as numbers)."""
    return [
        Table("service_levels", _("服务请求办理情况（按层级）"), [_("层级"), *_figure_headers()],
              [[level_label(l["level"]), *_figure_cells(l)] for l in figures["levels"]]
              + [[_("合计"), *_figure_cells(figures)]]),
        Table("service_provinces", _("服务请求办理情况（按省份）"), [_("省份代码"), _("省份"), *_figure_headers()],
              [[p["region_code"], p["name"], *_figure_cells(p)] for p in figures["provinces"]]),
        Table("service_trend", _("服务请求月度趋势"), [_("月份"), *_figure_headers()],
              [[m["month"], *_figure_cells(m)] for m in figures["trend"]]),
    ]


def service_summary(figures: dict) -> list[tuple[str, object]]:
    """Headline lines for the workbook's summary sheet."""
    return [(_("服务请求数"), figures["requests"]), (_("服务请求响应率"), percent(figures["response_rate"])),
            (_("服务请求办结率"), percent(figures["resolution_rate"])),
            (_("服务请求满意率"), percent(figures["satisfaction_rate"])),
            (_("受理用时中位数（小时）"), figures["median_hours_to_accept"]),
            (_("受理用时 P90（小时）"), figures["p90_hours_to_accept"]), (_("上移次数"), figures["escalations"])]
