"""flask --app wsgi outbox deliver | status: one pass for cron and tests, and the counts."""
import json


def test_deliver_sends_the_due_messages_and_status_counts_them(mail_app, smtp_server, queue_messages, runner):
    smtp_server.handler.refuse("sme2@example.com", "451 4.3.0 Try again later")
    queue_messages(3)
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 sent, 1 to retry later, 0 failed."
    result = runner.invoke(args=["outbox", "status", "--json"])
    assert json.loads(result.output) == {"pending": 1, "sending": 0, "sent": 2, "failed": 0, "due": 0}
    assert "pending\t1" in runner.invoke(args=["outbox", "status"]).output


def test_deliver_as_of_a_later_time_retries_what_has_come_due(mail_app, smtp_server, queue_messages, runner):
    smtp_server.handler.refuse("sme0@example.com", "451 4.3.0 Try again later", "250 OK")
    queue_messages(1)
    assert runner.invoke(args=["outbox", "deliver"]).output.strip() == "0 sent, 1 to retry later, 0 failed."
    result = runner.invoke(args=["outbox", "deliver", "--now", "2999-01-01T08:00:00+08:00"])
    assert result.output.strip() == "1 sent, 0 to retry later, 0 failed."
    assert len(smtp_server.handler.received()) == 1


def test_deliver_refuses_a_time_without_an_offset(runner):
    result = runner.invoke(args=["outbox", "deliver", "--now", "2026-12-07T10:00:00"])
    assert result.exit_code == 2 and "give the offset" in result.output
    result = runner.invoke(args=["outbox", "deliver", "--now", "tomorrow"])
    assert result.exit_code == 2 and "not an ISO 8601 time" in result.output


def test_delivered_messages_are_forgotten_after_the_retention_period(app, queue_messages, outbox_rows, tmp_path):
    from datetime import timedelta

    from directory.database import get_engine
    from directory.outbox.delivery import deliver_due
    from directory.outbox.retention import purge_finished
    from directory.timestamps import utcnow

    app.config.update(MAIL_FOLDER=str(tmp_path))
    ids = queue_messages(3)
    with app.app_context():
        deliver_due(get_engine(), limit=2)                  # two sent, one still pending
        assert purge_finished(get_engine(), keep_days=90, now=utcnow() + timedelta(days=89)) == 0
        assert purge_finished(get_engine(), keep_days=90, now=utcnow() + timedelta(days=91)) == 2
    assert list(outbox_rows()) == [ids[2]]                  # what is not delivered yet stays
