"""Which e-mails each change queues (bilingual), handed to the outbox in the change's own session.

The outbox itself (``directory.outbox``, delivery with retries) is another part of the project; here a
stand-in module in its place records what would be queued and through which session.
"""
import sys
import types
from datetime import timedelta

import pytest

from directory.auth.service import create_administrator
from directory.cli import write_session
from directory.service_requests.clock import tick


@pytest.fixture
def outbox(monkeypatch):
    """Messages queued, as (kind, to, subject, body)."""
    queued = []
    stand_in = types.ModuleType("directory.outbox")
    stand_in.queue_mail = lambda session, *, to, subject, body, kind: queued.append((kind, to, subject, body))
    monkeypatch.setitem(sys.modules, "directory.outbox", stand_in)
    return queued


def test_a_submission_tells_the_institution_and_the_sme(outbox, network, submit):
    body = submit(institution_ids=[network["county"]]).json
    kinds = {(kind, to) for kind, to, _subject, _body in outbox}
    assert kinds == {("new_assignment", "gusu@example.cn"), ("sme_submitted", "wang@example.cn")}
    sme_mail = next(m for m in outbox if m[0] == "sme_submitted")
    assert body["tracking_url"] in sme_mail[3]
    assert "服务请求" in sme_mail[2] and "Service request" in sme_mail[2]


def test_no_address_no_message(outbox, network, submit):
    submit(institution_ids=[network["provincial"]], contact_email=None)   # neither has an address
    assert outbox == []


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
    class InvalidMailHeader(ValueError):
        pass

    def refuse(session, *, to, subject, body, kind):
        raise InvalidMailHeader(to)

    stand_in = types.ModuleType("directory.outbox")
    stand_in.InvalidMailHeader, stand_in.queue_mail = InvalidMailHeader, refuse
    monkeypatch.setitem(sys.modules, "directory.outbox", stand_in)
    broken = add_institution("姑苏区某服务站", "county", "320508", ("financing",), email="a@b.cn")
    assert submit(institution_ids=[broken]).status_code == 201


def test_only_modules_of_this_package_are_used():
    """An editable install of another checkout may make its ``directory.outbox`` findable: not used."""
    from pathlib import Path

    import directory
    from directory.service_requests.companions import own_module

    assert own_module("directory.no_such_module") is None
    assert own_module("directory.service_requests.clock") is not None
    if not (Path(directory.__file__).parent / "outbox").exists():
        assert own_module("directory.outbox") is None
