"""``queue_mail``: how a feature sends e-mail. The row joins the caller's transaction, so a change
and the message that reports it are committed together or not at all."""
import logging
import re
from email.headerregistry import Address
from email.errors import HeaderParseError

from sqlalchemy import event
from sqlmodel import Session

from directory.outbox.models import OutboxMessage
from directory.outbox.scheduling import deliver_soon
from directory.timestamps import utcnow

log = logging.getLogger(__name__)

MAX_SUBJECT_CHARS = 400
MAX_BODY_CHARS = 100_000        # far above any notification; a runaway body is cut, never refused
MAX_RECIPIENT_CHARS = 254
TRUNCATION_NOTE = "\n\n……（内容过长，已截断 / message too long, cut short）"
KIND = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")   # everything str.splitlines() splits on


class InvalidMailHeader(ValueError):
    """A recipient, subject or kind that would forge or break a mail header (refused when queued)."""


def queue_mail(session: Session, *, to: str, subject: str, body: str, kind: str) -> OutboxMessage:
    """Add an e-mail to the outbox in ``session``'s transaction; the worker sends it once that commits.

    The text is sent as given: bilingual messages put the Chinese first, then the English.
    Raises ``InvalidMailHeader`` for a recipient that is not exactly one address, or a subject
    or kind with line breaks (header injection). A subject or body beyond its bound is cut short.
    """
    message = OutboxMessage(kind=_checked_kind(kind), recipient=_checked_recipient(to),
                            subject=_bounded_subject(subject), body=_bounded_body(body, kind),
                            next_attempt_at=utcnow())
    session.add(message)
    if "outbox_listens" not in session.info:
        session.info["outbox_listens"] = True
        event.listen(session, "after_commit", _wake_worker_after_commit)
        event.listen(session, "after_rollback", _forget_queued)
    session.info["outbox_queued"] = True
    return message


def _wake_worker_after_commit(session: Session) -> None:
    """Ask the worker to deliver now instead of at its next turn."""
    if session.info.pop("outbox_queued", False):
        deliver_soon()


def _forget_queued(session: Session) -> None:
    session.info.pop("outbox_queued", None)


def _checked_kind(kind: str) -> str:
    if not isinstance(kind, str) or not KIND.fullmatch(kind):
        raise InvalidMailHeader(f"Mail kind {kind!r} must be 1-64 characters of a-z, 0-9, '_', '.', '-'.")
    return kind


def _checked_recipient(to: str) -> str:
    """Exactly one plain address: no display name, no list, nothing a header could be forged with."""
    if not isinstance(to, str) or not to or len(to) > MAX_RECIPIENT_CHARS:
        raise InvalidMailHeader(f"A recipient is one e-mail address of at most {MAX_RECIPIENT_CHARS} characters.")
    if LINE_BREAKS.search(to) or any(c in to for c in ",;<>\"() \t\0"):
        raise InvalidMailHeader("A recipient is one e-mail address, without line breaks, spaces or lists.")
    local, at, domain = to.rpartition("@")
    if not at or not local or "." not in domain.strip(".") or "@" in local:
        raise InvalidMailHeader(f"{to!r} is not an e-mail address.")
    try:
        Address(addr_spec=to)
    except (ValueError, HeaderParseError, IndexError) as error:
        raise InvalidMailHeader(f"{to!r} is not an e-mail address.") from error
    return to


def _bounded_subject(subject: str) -> str:
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidMailHeader("A mail needs a subject.")
    if LINE_BREAKS.search(subject) or "\0" in subject:
        raise InvalidMailHeader("A mail subject may not contain line breaks.")
    if len(subject) > MAX_SUBJECT_CHARS:
        return subject[:MAX_SUBJECT_CHARS - 1] + "…"
    return subject


def _bounded_body(body: str, kind: str) -> str:
    if not isinstance(body, str):
        raise TypeError("A mail body is text.")
    body = body.replace("\0", "")
    if len(body) > MAX_BODY_CHARS:
        log.warning("Mail of kind %s: body of %d characters cut to %d.", kind, len(body), MAX_BODY_CHARS)
        return body[:MAX_BODY_CHARS - len(TRUNCATION_NOTE)] + TRUNCATION_NOTE
    return body
