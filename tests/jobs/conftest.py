"""A real SMTP server on localhost (aiosmtpd) and apps whose mail goes to it."""
import pytest
from smtp_support import free_port, recording_smtp_server
from sqlalchemy import select

from directory.database import write_session
from directory.outbox import queue_mail
from directory.outbox.models import OutboxMessage


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1 recording what it receives (``.handler``), stopped afterwards."""
    with recording_smtp_server() as controller:
        yield controller


@pytest.fixture
def unused_port() -> int:
    """A loopback port nobody listens on."""
    return free_port()


@pytest.fixture
def mail_app(app, smtp_server, tmp_path):
    """The test app (SQLite and PostgreSQL) sending through the local SMTP server, retrying after 60 s, 300 s."""
    app.config.update(MAIL_SERVER=smtp_server.hostname, MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                      MAIL_FROM="SME Service Network <noreply@sme.example.cn>", MAIL_RETRY_DELAYS=(60, 300),
                      MAIL_MAX_ATTEMPTS=3, MAIL_FOLDER=str(tmp_path / "mail"))
    return app


@pytest.fixture
def queue_messages(app):
    """Queue ``count`` messages in one committed transaction; returns their ids."""
    def queue(count: int, to: str = "sme{}@example.com", kind: str = "test.note") -> list[int]:
        with app.app_context(), write_session() as session, session.begin():
            messages = [queue_mail(session, to=to.format(n), subject=f"通知 {n} / Notice {n}",
                                   body=f"第 {n} 条。\nMessage {n}.", kind=kind) for n in range(count)]
            session.flush()
            return [message.id for message in messages]
    return queue


@pytest.fixture
def outbox_rows(app):
    """Every outbox row, by id."""
    def rows() -> dict[int, OutboxMessage]:
        with app.app_context(), write_session() as session:
            return {row.id: row for row in session.scalars(select(OutboxMessage))}
    return rows
