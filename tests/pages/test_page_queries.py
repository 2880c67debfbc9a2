"""The query functions behind the pages, checked without HTTP."""
from collections import Counter

import pytest
from sqlalchemy import select
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from directory.database import get_engine
from directory.institutions.browse import read_filters
from directory.pagination import ResultPage
from directory.regions.cascading import chosen_region_path
from directory.institutions.models import Institution, InstitutionLevel
from directory.institutions.region_counts import active_counts_within, divisions_with_counts, level_counts_within
from directory.regions.models import Region


@pytest.fixture
def session(sample_app):
    with sample_app.app_context(), Session(get_engine()) as session:
        yield session


@pytest.fixture
def brute_force_counts(session) -> Counter:
    """Active institutions per division, counted up every ancestor in Python."""
    parents = dict(session.execute(select(Region.code, Region.parent_code)).all())
    counts = Counter()
    for institution in session.scalars(select(Institution).where(Institution.status == "active")):
        code = institution.region_code
        while code:
            counts[code] += 1
            code = parents[code]
    return counts


def test_counts_within_every_province_and_prefecture(session, brute_force_counts):
    codes = list(session.scalars(select(Region.code).where(Region.level != "county")))
    assert active_counts_within(session, codes) == {code: brute_force_counts[code] for code in codes}


def test_provinces_with_counts(session, brute_force_counts):
    mainland = divisions_with_counts(session, None, mainland_only=True)
    assert len(mainland) == 31 and len(divisions_with_counts(session, None)) == 34
    assert all(count == brute_force_counts[region.code] for region, count in mainland)


def test_level_counts_only_for_levels_a_division_can_hold(session):
    county = session.get(Region, "320583")
    assert list(level_counts_within(session, county)) == [InstitutionLevel.county]
    province = level_counts_within(session, session.get(Region, "320000"))
    assert list(province) == [InstitutionLevel.provincial, InstitutionLevel.municipal, InstitutionLevel.county]
    assert sum(province.values()) == active_counts_within(session, ["320000"])["320000"]


@pytest.mark.parametrize("values,expected", [
    (["320000", "320500", "320583"], "320583"),
    (["320000", "", ""], "320000"),
    (["", "", ""], None),
    (["320583"], "320583"),
    (["330000", "320500", "320583"], "330000"),   # province changed, deeper choices stale
    (["320000", "330100"], "320000"),
    (["bogus", "320500"], "320500"),
])
def test_deepest_consistent_region_choice(session, values, expected):
    path = chosen_region_path(session, values, [])
    assert (path[-1].code if path else None) == expected


def test_ignored_values_are_reported(session):
    filters = read_filters(session, MultiDict([("level", "x"), ("region_code", "12"), ("status", "active"),
                                               ("service", "ip"), ("q", "  苏州   中心 ")]),
                           service_codes={"ip"})
    assert filters.ignored == [("level", "x"), ("region_code", "12")]
    assert filters.query_args() == {"q": "苏州 中心", "service": "ip", "status": "active"}


@pytest.mark.parametrize("number,pages,window", [
    (1, 1, [1]),
    (1, 5, [1, 2, 3, None, 5]),
    (5, 10, [1, None, 3, 4, 5, 6, 7, None, 10]),
    (10, 10, [1, None, 8, 9, 10]),
    (3, 4, [1, 2, 3, 4]),
])
def test_page_window(number, pages, window):
    assert ResultPage(items=[], total=pages * 20, number=number).window() == window
