"""``flask --app wsgi outbox deliver | status``: one delivery pass (cron, tests) and the counts."""
import json
from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from directory.database import get_engine
from directory.outbox.delivery import deliver_due, outbox_counts


def _moment(_ctx, _param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time.") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give the offset, e.g. 2026-12-07T10:00:00+08:00.")
    return moment


@click.group("outbox")
def outbox_group():
    """The e-mail outbox: deliver due messages, count them by status."""


@outbox_group.command("deliver")
@with_appcontext
@click.option("--limit", type=click.IntRange(1, 100_000), default=100, show_default=True,
              help="At most this many messages in this pass.")
@click.option("--now", callback=_moment, help="Deliver as if it were this time (ISO 8601 with offset).")
def deliver_command(limit: int, now: datetime | None):
    """One delivery pass: send every due message (up to --limit), retry later the ones that fail."""
    counts = deliver_due(get_engine(), now=now, limit=limit)
    click.echo(f"{counts.sent} sent, {counts.retrying} to retry later, {counts.failed} failed."
               + (f" Mail server unreachable: {counts.postponed} more wait for the next retry." if counts.postponed
                  else ""))


@outbox_group.command("status")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def status_command(as_json: bool):
    """Messages by status (pending, sending, sent, failed) and how many are due now."""
    with Session(get_engine()) as session:
        counts = outbox_counts(session)
    if as_json:
        click.echo(json.dumps(counts))
        return
    for status, count in counts.items():
        click.echo(f"{status}\t{count}")
