"""Delivery to a real SMTP server: every message once, retries with backoff, given up after N attempts."""
import re
import threading
from datetime import timedelta

from directory.database import get_engine
from directory.outbox.delivery import deliver_due
from directory.timestamps import utcnow


def deliver(app, **options):
    with app.app_context():
        return deliver_due(get_engine(), **options)


def test_every_queued_message_arrives_once_with_a_stable_message_id(mail_app, smtp_server, queue_messages,
                                                                     outbox_rows):
    ids = queue_messages(25)
    counts = deliver(mail_app)
    assert counts.as_dict() == {"sent": 25, "retrying": 0, "failed": 0, "postponed": 0}
    received = smtp_server.handler.received()
    assert sorted(rcpt for (rcpt,), _ in received) == sorted(f"sme{n}@example.com" for n in range(25))
    assert set(smtp_server.handler.message_ids().values()) == {1}
    _, first = min(received, key=lambda item: item[0])
    assert first["Subject"] == "通知 0 / Notice 0" and first["From"] == "SME Service Network <noreply@sme.example.cn>"
    assert first.get_content().splitlines() == ["第 0 条。", "Message 0."]
    assert re.fullmatch(rf"<outbox\.{ids[0]}\.\d{{20}}@sme\.example\.cn>", first["Message-ID"])
    rows = outbox_rows()
    assert {row.status for row in rows.values()} == {"sent"} and all(row.attempts == 1 for row in rows.values())
    assert deliver(mail_app).attempted == 0                   # nothing is sent twice
    assert len(smtp_server.handler.received()) == 25


def test_a_temporary_refusal_is_retried_after_the_backoff(mail_app, smtp_server, queue_messages, outbox_rows):
    smtp_server.handler.refuse("sme0@example.com", "451 4.3.0 Try again later", "250 OK")
    [message_id] = queue_messages(1)
    now = utcnow()
    assert deliver(mail_app, now=now).as_dict() == {"sent": 0, "retrying": 1, "failed": 0, "postponed": 0}
    row = outbox_rows()[message_id]
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, now + timedelta(seconds=60))
    assert "451" in row.last_error
    assert deliver(mail_app, now=now + timedelta(seconds=59)).attempted == 0     # not before its time
    assert deliver(mail_app, now=now + timedelta(seconds=60)).sent == 1
    row = outbox_rows()[message_id]
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert len(smtp_server.handler.received()) == 1


def test_the_backoff_grows_and_the_message_is_given_up_after_the_last_attempt(mail_app, smtp_server, queue_messages,
                                                                                outbox_rows, caplog):
    smtp_server.handler.refuse("sme0@example.com", "451 4.7.1 Greylisted")
    [message_id] = queue_messages(1)
    now = utcnow()
    deliver(mail_app, now=now)
    assert outbox_rows()[message_id].next_attempt_at == now + timedelta(seconds=60)
    now += timedelta(seconds=60)
    deliver(mail_app, now=now)
    assert outbox_rows()[message_id].next_attempt_at == now + timedelta(seconds=300)
    now += timedelta(seconds=300)
    assert deliver(mail_app, now=now).as_dict() == {"sent": 0, "retrying": 0, "failed": 1, "postponed": 0}   # MAIL_MAX_ATTEMPTS=3
    row = outbox_rows()[message_id]
    assert (row.status, row.attempts) == ("failed", 3) and "Greylisted" in row.last_error
    assert f"Outbox message {message_id} given up after 3 attempt(s)" in caplog.text
    assert deliver(mail_app, now=now + timedelta(days=30)).attempted == 0
    assert smtp_server.handler.received() == []


def test_a_permanent_refusal_is_given_up_at_once_and_the_others_still_go(mail_app, smtp_server, queue_messages,
                                                                         outbox_rows):
    smtp_server.handler.refuse("sme1@example.com", "550 5.1.1 No such mailbox")
    ids = queue_messages(3)
    assert deliver(mail_app).as_dict() == {"sent": 2, "retrying": 0, "failed": 1, "postponed": 0}
    rows = outbox_rows()
    assert [rows[i].status for i in ids] == ["sent", "failed", "sent"]
    assert rows[ids[1]].attempts == 1 and "550" in rows[ids[1]].last_error


def test_an_unreachable_server_leaves_the_messages_for_later(mail_app, queue_messages, outbox_rows, unused_port):
    mail_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=unused_port)
    ids = queue_messages(3)
    now = utcnow()
    # The first message finds the server down; the others are not tried (each would wait out a timeout).
    assert deliver(mail_app, now=now).as_dict() == {"sent": 0, "retrying": 1, "failed": 0, "postponed": 2}
    rows = outbox_rows()
    assert all(rows[i].status == "pending" and rows[i].next_attempt_at == now + timedelta(seconds=60) for i in ids)
    assert "ConnectionRefusedError" in rows[ids[0]].last_error and rows[ids[0]].attempts == 1
    assert [(rows[i].attempts, rows[i].last_error, rows[i].claimed_at) for i in ids[1:]] == [(0, None, None)] * 2


def test_a_message_claimed_by_a_worker_that_died_is_sent_again_after_the_lease(mail_app, smtp_server,
                                                                               queue_messages, outbox_rows):
    from directory.outbox.delivery import claim_due

    [message_id] = queue_messages(1)
    now = utcnow()
    with mail_app.app_context():
        [claimed] = claim_due(get_engine(), now=now, limit=10, lease_seconds=600)   # …and the worker dies
    assert claimed.id == message_id and outbox_rows()[message_id].status == "sending"
    assert deliver(mail_app, now=now + timedelta(seconds=599)).attempted == 0   # still someone else's
    assert deliver(mail_app, now=now + timedelta(seconds=600)).sent == 1
    assert outbox_rows()[message_id].status == "sent"


def test_two_workers_delivering_at_once_never_send_a_message_twice(mail_app, smtp_server, queue_messages,
                                                                   outbox_rows):
    ids = queue_messages(120)
    sent_by_worker, errors = {}, []

    def worker(name):
        try:
            sent_by_worker[name] = sum(deliver(mail_app, limit=7).sent for _ in range(20))
        except Exception as error:   # noqa: BLE001  reported below
            errors.append(error)
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent_by_worker.values()) == 120
    assert sum(1 for sent in sent_by_worker.values() if sent) >= 2      # the work really was shared out
    assert smtp_server.handler.message_ids().most_common(1)[0][1] == 1
    assert len(smtp_server.handler.received()) == 120
    assert {row.status for row in outbox_rows().values()} == {"sent"} and set(outbox_rows()) == set(ids)


def test_without_a_mail_server_development_mail_goes_to_the_log_and_a_folder(app, queue_messages, outbox_rows,
                                                                              tmp_path, caplog):
    app.config.update(MAIL_FOLDER=str(tmp_path / "mail"))
    [message_id] = queue_messages(1)
    with caplog.at_level("INFO"):
        assert deliver(app).sent == 1
    saved = (tmp_path / "mail" / f"{message_id}.eml").read_bytes()
    assert b"To: sme0@example.com" in saved and f"Message-ID: <outbox.{message_id}.".encode() in saved
    assert "Subject: 通知 0 / Notice 0" in caplog.text and "Message 0." in caplog.text
    assert outbox_rows()[message_id].status == "sent"


def test_a_mail_server_that_never_answers_costs_one_timeout_per_pass(mail_app, queue_messages, outbox_rows):
    import socket
    import time

    with socket.socket() as silent:               # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        mail_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=1)
        queue_messages(5)
        started = time.monotonic()
        counts = deliver(mail_app)
        assert time.monotonic() - started < 4
    assert (counts.retrying, counts.postponed) == (1, 4)
    assert {row.status for row in outbox_rows().values()} == {"pending"}
