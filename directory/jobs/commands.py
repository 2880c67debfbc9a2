"""``flask --app wsgi worker``: the background worker (Huey consumer) for this app."""
import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from directory.jobs.consumer import create_consumer, stop_with_parent
from directory.jobs.queue import get_queue


@click.command("worker")
@with_appcontext
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Tasks run at the same time (threads, or processes with --worker-type process).")
@click.option("--worker-type", "-k", type=click.Choice(["thread", "process"]), default="thread", show_default=True,
              help="thread suits mail and database work; process for CPU-heavy jobs such as batch matching.")
@click.option("--stop-with-parent", "with_parent", is_flag=True,
              help="Stop when the process that started the worker ends (how `make run` starts it).")
@click.option("--verbose", "-v", is_flag=True, help="Log every task the queue runs (default: only problems).")
def worker_command(workers: int, worker_type: str, with_parent: bool, verbose: bool):
    """Run the background worker: delivers the outbox and runs every registered periodic job."""
    app = current_app._get_current_object()
    try:
        consumer = create_consumer(app, get_queue(), workers=workers, worker_type=worker_type)
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    logging.getLogger("huey").setLevel(logging.INFO if verbose else logging.WARNING)
    if with_parent:
        stop_with_parent()
    click.echo(f"Worker: {workers} {worker_type} worker(s) on the {type(consumer.huey).__name__} queue "
               f"'{consumer.huey.name}'; jobs: {', '.join(consumer.jobs) or 'none'}. Ctrl-C stops it.")
    if not app.config.get("MAIL_SERVER"):
        click.echo(f"No MAIL_SERVER: mail is written to the log and {app.config.get('MAIL_FOLDER') or 'nowhere else'}, "
                   "not sent (development).")
    consumer.run()
