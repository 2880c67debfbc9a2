"""A real SMTP server on localhost (aiosmtpd) and apps whose mail goes to it."""
import socket
import threading
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from directory.database import write_session
from directory.outbox import queue_mail
from directory.outbox.models import OutboxMessage


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accepts mail and keeps it; answers chosen recipients with a chosen refusal."""

    def __init__(self):
        self.messages = []
        self.refusals: dict[str, list[str]] = {}   # address → replies to give, in turn (the last one repeats)
        self.lock = threading.Lock()

    def refuse(self, address: str, *replies: str) -> None:
        with self.lock:
            self.refusals[address] = list(replies)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            replies = self.refusals.get(address)
            if replies:
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
                if reply != "250 OK":
                    return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def received(self) -> list:
        with self.lock:
            return list(self.messages)

    def message_ids(self) -> Counter:
        return Counter(message["Message-ID"] for _, message in self.received())


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1 recording what it receives (``.handler``), stopped afterwards."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


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
