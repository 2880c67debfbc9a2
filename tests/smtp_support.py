"""A real SMTP server on localhost (aiosmtpd) that records what it receives, for the mail tests."""
import socket
import threading
from collections import Counter
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


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


@contextmanager
def recording_smtp_server():
    """An SMTP server on 127.0.0.1 recording what it receives (``.handler``), stopped afterwards."""
    controller = Controller(RecordingHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
