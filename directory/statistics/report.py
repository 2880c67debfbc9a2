"""The statistics report of the /stats page and its downloads: every figure for the country or one
province, now or as of a past day, and the same figures as named tables for CSV and XLSX."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session

from directory.demand.figures import demand_by_category, demand_by_province, demand_overview
from directory.labels import designation_kind_name, level_label, region_level_label
from directory.regions.models import Region, RegionLevel
from directory.statistics.cache import cached_figures
from directory.statistics.composition import demonstration_platforms, institutions_by_category
from directory.statistics.coverage import coverage_summary
from directory.statistics.designations import designation_counts
from directory.statistics.gaps import category_blind_spots
from directory.statistics.places import grouped_by_place, with_places
from directory.tables import Table, percent
from directory.statistics.provinces import counties_of, prefectures_table, provinces_table
from directory.statistics.trend import coverage_trend

DEFAULT_BLIND_SPOT_CATEGORY = "legal"


@dataclass(frozen=True)
class Scope:
    """What the report covers: a province (or the country), a past day (or now), a category for blind spots."""

    province: Region | None = None
    as_of: date | None = None
    category: str = DEFAULT_BLIND_SPOT_CATEGORY

    @property
    def region_code(self) -> str | None:
        return self.province.code if self.province else None

    def query_args(self) -> dict[str, str]:
        args = {"region_code": self.region_code, "as_of": self.as_of.isoformat() if self.as_of else None,
                "category": self.category if self.category != DEFAULT_BLIND_SPOT_CATEGORY else None}
        return {key: value for key, value in args.items() if value}


def build_report(session: Session, scope: Scope) -> dict:
    """Every figure of the report: those read from the directory kept until it changes
    (``cache.cached_figures``), designations and demand read afresh."""
    region_code, as_of, province = scope.region_code, scope.as_of, scope.region_code
    figures = cached_figures(session, ("report", region_code, as_of, scope.category),
                             lambda: directory_figures(session, scope))
    return figures | {
        "demonstration": demonstration_platforms(session, region_code=region_code, as_of=as_of),
        "designations": designation_counts(session, region_code=region_code, as_of=as_of),
        "demand": {"overview": demand_overview(session, region_code=province),
                   "by_category": demand_by_category(session, region_code=province),
                   "by_province": demand_by_province(session, region_code=province)},
    }


def directory_figures(session: Session, scope: Scope) -> dict:
    """The figures that change only when institutions or divisions do, computed in the database."""
    region_code, as_of = scope.region_code, scope.as_of
    summary = coverage_summary(session, region_code=region_code, as_of=as_of)
    summary["uncovered"] = with_places(session, summary["uncovered"])
    spots = category_blind_spots(session, category=scope.category, region_code=region_code)
    blind_spots = with_places(session, [d | {"level": RegionLevel.county.value} for d in spots])
    areas = (prefectures_table(session, province_code=region_code, as_of=as_of) if region_code
             else provinces_table(session, as_of=as_of))
    return {
        "summary": summary,
        "active_institutions": summary["national_institutions"] + sum(l["institutions"] for l in summary["levels"]),
        "by_category": institutions_by_category(session, region_code=region_code, as_of=as_of),
        "areas": with_places(session, areas),
        "counties": with_places(session, counties_of(session, province_code=region_code, as_of=as_of))
        if region_code else [],
        "uncovered_by_province": grouped_by_place(summary["uncovered"]),
        "blind_spots": blind_spots,
        "blind_spots_by_province": grouped_by_place(blind_spots),
        "trend": coverage_trend(session, region_code=region_code),
        "rendered": {},          # the page's gap lists per language, rendered from these figures (pages.py)
    }


def _places(division: dict) -> list:
    return [division["province_code"], division["province_name"], division["prefecture_code"],
            division["prefecture_name"]]


def report_tables(report: dict, scope: Scope, category_names: dict[str, str]) -> list[Table]:
    """The report's tables as the page shows them, headed in the visitor's language, numbers as
    numbers, rates as ``Percent``; every division table names the division's province (and prefecture)."""
    summary = report["summary"]
    upper = summary["municipal_and_above"]
    kinds = report["designations"]["by_kind"]
    area_title = _("各地市覆盖情况") if scope.province else _("各省覆盖情况")
    places = [_("省份代码"), _("省份"), _("地市代码"), _("地市")]
    return [
        Table("levels", _("各层级覆盖率"), [_("层级"), _("行政区数"), _("已覆盖"), _("覆盖率"), _("运营中机构")],
              [[level_label(l["level"]), l["divisions"], l["covered"], percent(l["rate"]), l["institutions"]]
               for l in summary["levels"]]
              + [[_("地市级及以上"), upper["divisions"], upper["covered"], percent(upper["rate"]), None]]),
        Table("areas", area_title,
              [_("代码"), _("地区"), _("地市级及以上覆盖率"), _("县级覆盖率"), _("已覆盖区县"), _("区县数"), _("运营中机构"),
               *places[:2]],
              [[a["code"], a["name"], percent(a["municipal_and_above_rate"]), percent(a["county_rate"]),
                a["levels"]["county"]["covered"], a["levels"]["county"]["divisions"], a["institutions"],
                a["province_code"], a["province_name"]]
               for a in report["areas"]]),
        *([Table("counties", _("区县"), [_("代码"), _("区县"), _("已覆盖"), *places],
                 [[c["code"], c["name"], _("是") if c["covered"] else _("否"), *_places(c)]
                  for c in report["counties"]])] if scope.province else []),
        Table("uncovered", _("未覆盖的行政区"), [_("代码"), _("名称"), _("层级"), *places],
              [[d["code"], d["name"], region_level_label(d["level"]), *_places(d)] for d in summary["uncovered"]]),
        Table("blind_spots", _("服务盲区：%(category)s", category=category_names.get(scope.category, scope.category)),
              [_("代码"), _("区县"), _("上级代码"), *places],
              [[d["code"], d["name"], d["parent_code"], *_places(d)] for d in report["blind_spots"]]),
        Table("categories", _("各服务类别的运营中机构"),
              [_("类别"), _("合计"), level_label("national"), level_label("provincial"), level_label("municipal"),
               level_label("county")],
              [[category_names.get(c["code"], c["code"]), c["institutions"], *(c["by_level"][lvl] for lvl in
                ("national", "provincial", "municipal", "county"))] for c in report["by_category"]]),
        Table("trend", _("覆盖率月度趋势"), [_("月份"), _("地市级及以上已覆盖"), _("地市级及以上覆盖率"),
                                             _("已覆盖省份"), _("已覆盖地市"), _("已覆盖区县")],
              [[m["month"], m["municipal_and_above"]["covered"], percent(m["municipal_and_above"]["rate"]),
                m["covered"]["provincial"], m["covered"]["municipal"], m["covered"]["county"]]
               for m in report["trend"]["months"]]),
        Table("demand_categories", _("企业需求（按服务类别）"), [_("类别"), _("需求次数"), _("本地链条无法满足"), _("占比")],
              [[category_names.get(d["category_code"], d["category_code"]), d["requests"], d["not_served_in_chain"],
                percent(d["unserved_share"])] for d in report["demand"]["by_category"]]),
        Table("demand_provinces", _("企业需求（按省份）"),
              [_("省份"), _("需求次数"), _("本地链条无法满足"), _("占比"), _("省份代码")],
              [[d["name"] or _("未填地区"), d["requests"], d["not_served_in_chain"], percent(d["unserved_share"]),
                d["province_code"]] for d in report["demand"]["by_province"]]),
        Table("designations", _("认定情况（按类型）"),
              [_("认定类型"), _("认定级别"), _("有效认定"), level_label("national"), level_label("provincial"),
               level_label("municipal"), level_label("county")],
              [[designation_kind_name(k), level_label(k["level"]), k["designations"], *(k["by_level"][lvl] for lvl in
                ("national", "provincial", "municipal", "county"))] for k in kinds]),
        Table("designation_provinces", _("认定情况（按省份）"),
              [_("代码"), _("省份"), _("合计"), *(designation_kind_name(k) for k in kinds)],
              [[p["code"], p["name"], p["designations"], *(p["by_kind"].get(k["kind"], 0) for k in kinds)]
               for p in report["designations"]["by_province"]]),
    ]


def summary_lines(report: dict, scope: Scope) -> list[tuple[str, object]]:
    """The headline figures as (label, value) lines for the workbook's first sheet: counts as
    numbers, rates as ``Percent``."""
    summary = report["summary"]
    upper = summary["municipal_and_above"]
    return [
        (_("范围"), scope.province.name if scope.province else _("全国")),
        (_("统计日期"), scope.as_of.isoformat() if scope.as_of else _("当前")),
        (_("行政区划版本"), summary["divisions_edition"] or ""),
        (_("运营中机构"), report["active_institutions"]),
        *([] if scope.province else [(_("国家级机构"), report["summary"]["national_institutions"])]),
        (_("地市级及以上行政区数"), upper["divisions"]),
        (_("地市级及以上已覆盖"), upper["covered"]),
        (_("地市级及以上覆盖率"), percent(upper["rate"])),
        (_("国家级示范平台"), report["demonstration"]["total"]),
        (_("本地链条无法满足的需求占比"), percent(report["demand"]["overview"]["unserved_share"])),
    ]
