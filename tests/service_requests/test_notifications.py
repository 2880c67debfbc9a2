"""Which e-mails each change queues (bilingual), handed to the outbox in the change's own session.

Read back from the real outbox table (``outbox_message``); delivery itself is tested in tests/jobs.
"""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from directory.auth.service import create_administrator
from directory.database import write_session
from directory.outbox.models import OutboxMessage
from directory.outbox import InvalidMailHeader
from directory.service_requests import notifications
from directory.service_requests.clock import tick


class OutboxRows:
    """The messages committed to the outbox since the last ``clear()``, as (kind, to, subject, body)."""

    def __init__(self, app):
        self.app, self.after = app, 0

    def _rows(self):
        with self.app.app_context(), write_session() as session:
            return [(m.kind, m.recipient, m.subject, m.body) for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.id > self.after).order_by(OutboxMessage.id))]

    def __iter__(self):
        return iter(self._rows())

    def __len__(self):
        return len(self._rows())

    def clear(self):
        with self.app.app_context(), write_session() as session:
            self.after = session.scalar(select(func.max(OutboxMessage.id))) or 0


@pytest.fixture
def outbox(app):
    rows = OutboxRows(app)
    rows.clear()
    return rows


def test_a_submission_tells_the_institution_and_the_sme(outbox, network, submit):
    body = submit(institution_ids=[network["county"]]).json
    kinds = {(kind, to) for kind, to, _subject, _body in outbox}
    assert kinds == {("new_assignment", "gusu@example.cn"), ("sme_submitted", "wang@example.cn")}
    sme_mail = next(m for m in outbox if m[0] == "sme_submitted")
    assert body["tracking_url"] in sme_mail[3]
    assert "服务请求" in sme_mail[2] and "Service request" in sme_mail[2]


def test_no_address_no_message(outbox, network, submit):
    submit(institution_ids=[network["provincial"]], contact_email=None)   # neither has an address
    assert list(outbox) == []


def test_each_change_tells_the_sme_and_escalation_tells_the_administrators(app, client, outbox, network, submit,
                                                                          make_staff):
    with app.app_context(), write_session() as session, session.begin():
        create_administrator(session, username="sz-manager", password="correct-horse-battery",
                             region_code="320500", role="manager", email="sz-admin@example.cn")
        create_administrator(session, username="hz-manager", password="correct-horse-battery",
                             region_code="330100", role="manager", email="hz-admin@example.cn")
    body = submit(institution_ids=[network["county"]]).json
    staff = make_staff("gusu-desk", network["county"])
    outbox.clear()
    client.patch(f"/api/v1/service-requests/{body['id']}/assignments/{body['assignments'][0]['id']}",
                 json={"action": "decline", "reason": "不在服务范围"}, headers=staff)
    sent = [(kind, to) for kind, to, _s, _b in outbox]
    assert ("sme_update", "wang@example.cn") in sent
    assert ("new_assignment", "suzhou@example.cn") in sent          # the municipal centre took it over
    assert ("escalation", "sz-admin@example.cn") in sent and ("escalation", "hz-admin@example.cn") not in sent


def test_the_clock_sends_reminders_once(app, outbox, network, submit):
    from datetime import datetime

    accept_by = datetime.fromisoformat(submit(institution_ids=[network["county"]]).json["assignments"][0]["accept_by"])
    outbox.clear()
    with app.app_context(), write_session() as session, session.begin():
        for hours_before in (20, 10, 1):
            tick(session, now=accept_by - timedelta(hours=hours_before))
    reminders = [m for m in outbox if m[0] == "reminder"]
    assert [to for _kind, to, _s, _b in reminders] == ["gusu@example.cn"]
    assert "提醒" in reminders[0][2] and "Reminder" in reminders[0][2]


def test_a_malformed_institution_address_never_blocks_a_request(monkeypatch, add_institution, submit):
    def refuse(session, *, to, subject, body, kind):
        raise InvalidMailHeader(to)

    monkeypatch.setattr(notifications, "queue_mail", refuse)
    broken = add_institution("姑苏区某服务站", "county", "320508", ("financing",), email="a@b.cn")
    assert submit(institution_ids=[broken]).status_code == 201
