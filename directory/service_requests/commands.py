"""``flask --app wsgi service-requests tick [--now ISO]``: run the service-request clock once."""
from datetime import datetime

import click
from flask.cli import with_appcontext

from directory.database import write_session
from directory.service_requests.clock import tick
from directory.timestamps import SHANGHAI, utcnow


@click.group("service-requests")
def service_requests_group():
    """Service requests: the deadline clock."""


def _moment(value: str | None) -> datetime:
    if value is None:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time (e.g. 2027-02-12T09:00+08:00).",
                                 param_hint="--now") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


@service_requests_group.command("tick")
@with_appcontext
@click.option("--now", "now", default=None, metavar="ISO",
              help="Act as of this time (without an offset: Asia/Shanghai); default: now.")
def tick_command(now: str | None):
    """Escalate assignments not accepted in time, send reminders, erase old contact details."""
    moment = _moment(now)
    with write_session() as session, session.begin():
        done = tick(session, now=moment)
    click.echo(f"{moment.isoformat()}: escalated {done['escalated']}, reminded {done['reminded']}, "
               f"erased {done['erased']}.")
