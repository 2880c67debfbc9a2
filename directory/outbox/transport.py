"""How a message leaves: SMTP when ``MAIL_SERVER`` is set, else the console log and a folder."""
import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_RETRY_DELAYS = (60, 300, 1800, 7200, 43200)   # 1 min, 5 min, 30 min, 2 h, 12 h
DEFAULT_SENDER = "SME Service Network <noreply@localhost>"


@dataclass(frozen=True)
class MailSettings:
    """The ``MAIL_*`` settings (README "Background worker and mail")."""

    server: str | None = None
    port: int | None = None
    username: str | None = None
    password: str | None = None
    use_tls: bool = False      # STARTTLS on a plain connection (usually port 587)
    use_ssl: bool = False      # TLS from the first byte (usually port 465)
    sender: str = DEFAULT_SENDER
    timeout: float = 20.0
    folder: Path | None = None
    max_attempts: int = 6
    retry_delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS
    lease_seconds: int = 600   # a message claimed this long ago by a worker that never reported is sent again

    @classmethod
    def from_config(cls, config: Mapping) -> "MailSettings":
        """Settings from a Flask config; absent keys keep their defaults."""
        folder = config.get("MAIL_FOLDER")
        delays = config.get("MAIL_RETRY_DELAYS") or DEFAULT_RETRY_DELAYS
        return cls(server=config.get("MAIL_SERVER") or None, port=config.get("MAIL_PORT") or None,
                   username=config.get("MAIL_USERNAME") or None, password=config.get("MAIL_PASSWORD") or None,
                   use_tls=bool(config.get("MAIL_USE_TLS")), use_ssl=bool(config.get("MAIL_USE_SSL")),
                   sender=config.get("MAIL_FROM") or DEFAULT_SENDER,
                   timeout=float(config.get("MAIL_TIMEOUT", cls.timeout)),
                   folder=Path(folder) if folder else None,
                   max_attempts=int(config.get("MAIL_MAX_ATTEMPTS", cls.max_attempts)),
                   retry_delays=tuple(int(d) for d in delays),
                   lease_seconds=int(config.get("MAIL_LEASE_SECONDS", cls.lease_seconds)))

    def retry_delay(self, attempts: int) -> int:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        return self.retry_delays[min(attempts, len(self.retry_delays)) - 1]


@dataclass(frozen=True)
class Envelope:
    """What a claimed outbox row carries to the transport."""

    id: int
    kind: str
    recipient: str
    subject: str
    body: str
    created_at: datetime


def message_id(envelope: Envelope, sender: str) -> str:
    """The same Message-ID every time this outbox row is sent, so a re-sent copy is recognisable."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{envelope.id}.{envelope.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def build_email(envelope: Envelope, settings: MailSettings) -> EmailMessage:
    """The e-mail of one outbox row, UTF-8 plain text."""
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = envelope.recipient
    email["Subject"] = envelope.subject
    email["Date"] = format_datetime(envelope.created_at)
    email["Message-ID"] = message_id(envelope, settings.sender)
    email["Auto-Submitted"] = "auto-generated"   # RFC 3834: no vacation replies to a notification
    email.set_content(envelope.body)
    return email


def is_permanent(error: Exception) -> bool:
    """A refusal that no retry will change (5xx for the recipient or the content)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return isinstance(error, (smtplib.SMTPNotSupportedError, ValueError, UnicodeError))


def is_server_down(error: Exception) -> bool:
    """A failure of the server or the way to it, not of one message: the next message would fail alike."""
    if isinstance(error, (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPHeloError,
                          smtplib.SMTPAuthenticationError)):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)   # refused, timeout, DNS, TLS


class SmtpTransport:
    """One SMTP connection for a delivery pass, opened at the first message and reopened after an error."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage, envelope: Envelope) -> None:
        reused = self._smtp is not None
        try:
            self._connection().send_message(email)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise
            self._connection().send_message(email)   # the server closed an idle connection: once more, fresh
        except BaseException:
            self.close()   # the session's state is unknown: the next message starts a new one
            raise

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            s = self.settings
            if s.use_ssl:
                smtp = smtplib.SMTP_SSL(s.server, s.port or 465, timeout=s.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.server, s.port or (587 if s.use_tls else 25), timeout=s.timeout)
                if s.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
            if s.username:
                smtp.login(s.username, s.password or "")
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class FolderTransport:
    """Development without a mail server: each message to the log and to ``<folder>/<id>.eml``."""

    def __init__(self, settings: MailSettings):
        self.folder = settings.folder

    def send(self, email: EmailMessage, envelope: Envelope) -> None:
        where = ""
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{envelope.id}.eml"
            path.write_bytes(email.as_bytes())
            where = f" (saved as {path})"
        log.info("Mail not sent, no MAIL_SERVER%s:\nTo: %s\nSubject: %s\n\n%s", where, envelope.recipient,
                 envelope.subject, envelope.body)

    def close(self) -> None:
        pass


def transport_for(settings: MailSettings) -> SmtpTransport | FolderTransport:
    """SMTP when a server is configured, else the development folder."""
    return SmtpTransport(settings) if settings.server else FolderTransport(settings)
