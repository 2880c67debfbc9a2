"""queue_mail: the message is part of the caller's transaction, and a forged header never gets in."""
import pytest

from directory.database import write_session
from directory.domain_errors import domain_error_statuses
from directory.outbox import InvalidMailHeader, queue_mail
from directory.outbox.queueing import MAX_BODY_CHARS, MAX_SUBJECT_CHARS


def test_a_queued_message_is_committed_with_the_callers_transaction(app, outbox_rows):
    with app.app_context(), write_session() as session, session.begin():
        queue_mail(session, to="chen@example.com", subject="新的服务请求 / New service request",
                   body="请在两个工作日内联系企业。\nPlease contact the enterprise within two working days.",
                   kind="assignment.new")
    [row] = outbox_rows().values()
    assert (row.recipient, row.kind, row.status, row.attempts) == ("chen@example.com", "assignment.new", "pending", 0)
    assert row.subject == "新的服务请求 / New service request"
    assert row.next_attempt_at <= row.created_at or (row.next_attempt_at - row.created_at).total_seconds() < 1
    assert row.sent_at is None and row.claimed_at is None


def test_a_rolled_back_change_takes_its_message_with_it(app, outbox_rows):
    with app.app_context(), pytest.raises(RuntimeError), write_session() as session, session.begin():
        queue_mail(session, to="chen@example.com", subject="s", body="b", kind="assignment.new")
        session.flush()
        raise RuntimeError("the state change failed")
    assert outbox_rows() == {}


@pytest.mark.parametrize("recipient", [
    "victim@example.com\nBcc: everyone@example.com",
    "victim@example.com\r\nSubject: forged",
    "victim@example.com\u2028Bcc: x@example.com",
    "a@example.com, b@example.com",
    "a@example.com; b@example.com",
    "Chen <chen@example.com>",
    "chen @example.com",
    "chen@",
    "@example.com",
    "chen",
    "chen@localhost",
    "a@b@example.com",
    "",
    "x" * 250 + "@example.com",
])
def test_a_recipient_that_is_not_one_plain_address_is_refused(app, recipient, outbox_rows):
    with app.app_context(), write_session() as session, session.begin():
        with pytest.raises(InvalidMailHeader):
            queue_mail(session, to=recipient, subject="s", body="b", kind="assignment.new")
    assert outbox_rows() == {}


@pytest.mark.parametrize("subject", ["Hello\nBcc: everyone@example.com", "Hello\r\n\r\nforged body", "Hi\rthere",
                                     "line\x85next", "", "   "])
def test_a_subject_with_line_breaks_or_nothing_is_refused(app, subject):
    with app.app_context(), write_session() as session, session.begin():
        with pytest.raises(InvalidMailHeader):
            queue_mail(session, to="chen@example.com", subject=subject, body="b", kind="assignment.new")


@pytest.mark.parametrize("kind", ["", "Assignment New", "a\nb", "x" * 65])
def test_a_kind_outside_its_alphabet_is_refused(app, kind):
    with app.app_context(), write_session() as session, session.begin():
        with pytest.raises(InvalidMailHeader):
            queue_mail(session, to="chen@example.com", subject="s", body="b", kind=kind)


def test_huge_subjects_and_bodies_are_cut_short_not_refused(app, outbox_rows):
    with app.app_context(), write_session() as session, session.begin():
        queue_mail(session, to="chen@example.com", subject="长" * 5000, body="需" * (MAX_BODY_CHARS * 3),
                   kind="assignment.new")
    [row] = outbox_rows().values()
    assert len(row.subject) == MAX_SUBJECT_CHARS and row.subject.endswith("…")
    assert len(row.body) == MAX_BODY_CHARS and row.body.endswith("已截断 / message too long, cut short）")


def test_a_refused_header_is_a_client_error_not_a_server_error():
    assert issubclass(InvalidMailHeader, ValueError)
    assert domain_error_statuses()[InvalidMailHeader] == 422


def test_queueing_never_waits_for_the_mail_server_or_an_unreachable_queue(app, tmp_path, outbox_rows):
    import time

    app.config.update(MAIL_SERVER="10.255.255.1", MAIL_PORT=25,      # a black hole: a connection would hang
                      REDIS_URL="redis://127.0.0.1:1/0")             # and a queue nobody answers on
    started = time.monotonic()
    with app.app_context(), write_session() as session, session.begin():
        queue_mail(session, to="chen@example.com", subject="s", body="b", kind="assignment.new")
    assert time.monotonic() - started < 3        # the failed wake-up is logged; the message waits for its turn
    assert [row.status for row in outbox_rows().values()] == ["pending"]


def test_in_immediate_mode_a_commit_delivers_at_once(app, tmp_path, outbox_rows):
    app.config.update(JOBS_IMMEDIATE=True, MAIL_FOLDER=str(tmp_path))   # what a feature's tests may use
    with app.app_context(), write_session() as session, session.begin():
        message = queue_mail(session, to="chen@example.com", subject="s", body="b", kind="assignment.new")
    assert [row.status for row in outbox_rows().values()] == ["sent"]
    assert (tmp_path / f"{message.id}.eml").exists()
