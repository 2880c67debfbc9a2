"""The home page (/): the network at a glance."""
from flask import Blueprint, render_template

from directory.database import get_session
from directory.institutions.network import demonstration_platform_count
from directory.institutions.service import count_by_level
from directory.institutions.region_counts import divisions_with_counts
from directory.statistics.coverage import coverage_summary

blp = Blueprint("overview", __name__)


@blp.get("/")
def home():
    """Institutions per level, demonstration platforms, coverage and the provinces."""
    session = get_session()
    return render_template("overview/home.html", levels=count_by_level(session),
                           demonstration_platforms=demonstration_platform_count(session),
                           coverage=coverage_summary(session),
                           provinces=divisions_with_counts(session, None, mainland_only=True))
