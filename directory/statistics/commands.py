"""flask --app wsgi stats coverage [--region CODE] [--as-of DATE] [--format table|json|csv]"""
import csv
import io
import json
from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from directory.csv_text import safe_cell
from directory.database import get_engine
from directory.timestamps import today
from directory.statistics.coverage import coverage_summary, province_error
from directory.statistics.places import grouped_by_place, with_places

CSV_HEADER = ("level", "divisions", "covered", "rate", "institutions")


@click.group("stats")
def stats_group():
    """Statistics of the service network."""


def _as_of(ctx, param, value):
    if value is None:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD).") from None
    if day > today():
        raise click.BadParameter(f"{value} is in the future.")
    return day


def _rows(summary: dict) -> list[tuple]:
    upper = summary["municipal_and_above"]
    return [(lvl["level"], lvl["divisions"], lvl["covered"], lvl["rate"], lvl["institutions"])
            for lvl in summary["levels"]] + [
        ("municipal_and_above", upper["divisions"], upper["covered"], upper["rate"], ""),
        ("national", "", "", "", summary["national_institutions"])]


def _uncovered_lines(provinces: list[dict]) -> list[str]:
    """One line per province, by name: how many of its divisions are uncovered, at which level."""
    lines = []
    for province in provinces:
        levels = [level for level in ("province", "prefecture") if any(d["level"] == level for d in province["upper"])]
        parts = ["the province itself"] if "province" in levels else []
        prefectures = sum(d["level"] == "prefecture" for d in province["upper"])
        counties = sum(len(group["counties"]) for group in province["prefectures"])
        parts += [f"{prefectures} prefecture-level"] if prefectures else []
        parts += [f"{counties} county-level"] if counties else []
        lines.append(f"  {province['name']} {province['code']}: {province['count']} ({', '.join(parts)})")
    return lines


def _table(summary: dict, provinces: list[dict]) -> str:
    lines = [f"{'level':<20} {'divisions':>9} {'covered':>8} {'rate':>7} {'institutions':>12}"]
    for level, divisions, covered, rate, institutions in _rows(summary):
        shown = f"{rate:.1%}" if rate != "" else ""
        lines.append(f"{level:<20} {divisions!s:>9} {covered!s:>8} {shown:>7} {institutions!s:>12}")
    lines.append(f"uncovered divisions: {len(summary['uncovered'])}")
    return "\n".join(lines + _uncovered_lines(provinces))


@stats_group.command("coverage")
@click.option("--region", "region_code", default=None, help="Code of a province to look inside.")
@click.option("--as-of", "as_of", default=None, callback=_as_of, help="Figures at the end of this day (YYYY-MM-DD).")
@click.option("--format", "output", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@with_appcontext
def coverage_command(region_code, as_of, output):
    """Coverage per level and of municipal level and above (docs/contract.md)."""
    with Session(get_engine()) as session:
        message = province_error(session, region_code)
        if message:
            raise click.BadParameter(message, param_hint="--region")
        summary = coverage_summary(session, region_code=region_code, as_of=as_of)
        provinces = grouped_by_place(with_places(session, summary["uncovered"])) if output == "table" else []
    if output == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    elif output == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows([safe_cell(cell) for cell in row] for row in _rows(summary))
        click.echo(out.getvalue(), nl=False)
    else:
        click.echo(_table(summary, provinces))
