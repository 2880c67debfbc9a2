"""The notification chain with real parts, on SQLite and PostgreSQL: the API writes the outbox row in
its transaction, a real Huey consumer (SQLite-file queue) delivers it to a real SMTP server
(aiosmtpd), and each mail arrives once, in Chinese and English.

Submission → the institution and the SME; a staff accept → the SME; the clock (``flask
service-requests tick --now``) escalates an unaccepted request → the next tier's institution and the
administrators of its division (not those elsewhere).
"""
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from service_request_support import HANGZHOU, SUZHOU, submission
from smtp_support import recording_smtp_server

from directory.auth.service import create_administrator
from directory.database import write_session
from directory.jobs.consumer import create_consumer
from directory.jobs.registry import PERIODIC
from directory.timestamps import SHANGHAI


@pytest.fixture
def smtp_server():
    with recording_smtp_server() as controller:
        yield controller


@pytest.fixture
def worker(app, smtp_server, tmp_path, monkeypatch):
    """The app sending through the local SMTP server, with a real consumer on a Huey SQLite file."""
    app.config.update(MAIL_SERVER=smtp_server.hostname, MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                      MAIL_FROM="SME Service Network <noreply@sme.example.cn>", MAIL_RETRY_DELAYS=(1, 2),
                      MAIL_MAX_ATTEMPTS=3, MAIL_FOLDER=str(tmp_path / "mail"),
                      JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"), JOBS_NAME=f"e2e-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(PERIODIC, "outbox.deliver", replace(PERIODIC["outbox.deliver"], every_seconds=1))
    consumer = create_consumer(app, app.extensions["sme_jobs"], workers=2, handle_signals=False)
    consumer.start()
    yield consumer
    consumer.stop(graceful=True)
    huey = app.extensions["sme_jobs"].huey
    huey.flush()
    huey.storage.close()


@pytest.fixture
def administrators(app):
    """A manager of 苏州市 and one of 杭州市, both with an address for notices."""
    with app.app_context(), write_session() as session, session.begin():
        for username, region, email in (("suzhou_manager", SUZHOU, "manager@suzhou.example.cn"),
                                        ("hangzhou_manager", HANGZHOU, "manager@hangzhou.example.cn")):
            create_administrator(session, username=username, password="correct-horse-battery", region_code=region,
                                 role="manager", email=email)


def mail_to(smtp_server, address: str, count: int, timeout: float = 30) -> list:
    """Wait until ``address`` has ``count`` messages, then a little longer (a copy would show); return them."""
    def mine():
        return [message for rcpts, message in smtp_server.handler.received() if address in rcpts]
    deadline = time.monotonic() + timeout
    while len(mine()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return mine()


def assert_bilingual(message, *, subject: tuple[str, str], body: tuple[str, str]) -> None:
    """The subject and the body say it in Chinese, then in English."""
    for (zh, en), text in ((subject, message["Subject"]), (body, message.get_content())):
        assert zh in text and en in text and text.index(zh) < text.index(en), text


def test_every_notification_of_a_request_arrives_once_through_the_real_worker(
        app, client, network, make_staff, administrators, worker, smtp_server, runner):
    response = client.post("/api/v1/service-requests", json=submission())
    assert response.status_code == 201, response.json
    first = response.json
    assert [a["institution_id"] for a in first["assignments"]] == [network["county"]]

    (offered,) = mail_to(smtp_server, "gusu@example.cn", 1)
    assert f"#{first['id']}" in offered["Subject"]
    assert_bilingual(offered, subject=("新的服务请求", "New service request"),
                     body=("请在", "Please log in and accept it by"))
    assert "缺少流动资金" in offered.get_content()
    (confirmed,) = mail_to(smtp_server, "wang@example.cn", 1)
    assert_bilingual(confirmed, subject=("已收到您的服务请求", "received"),
                     body=("机构应在 2 个工作日内与您联系", "They should contact you within 2 working days"))
    assert first["tracking_url"] in confirmed.get_content()

    staff = make_staff("gusu_staff", network["county"])
    aid = first["assignments"][0]["id"]
    accepted = client.patch(f"/api/v1/service-requests/{first['id']}/assignments/{aid}", json={"action": "accept"},
                            headers=staff)
    assert accepted.status_code == 200, accepted.json
    confirmation, update = mail_to(smtp_server, "wang@example.cn", 2)
    assert_bilingual(update, subject=("有新进展", "has been updated"), body=("已受理", ": accepted"))

    # A second business's request nobody accepts: ten days on, the clock hands it to 苏州市.
    second = client.post("/api/v1/service-requests", json=submission(contact_phone="13912345678",
                                                                     contact_email="li@example.cn")).json
    assert len(mail_to(smtp_server, "gusu@example.cn", 2)) == 2
    later = (datetime.now(SHANGHAI) + timedelta(days=10)).isoformat()
    result = runner.invoke(args=["service-requests", "tick", "--now", later])
    assert result.exit_code == 0 and "escalated 1" in result.output, result.output

    (escalated,) = mail_to(smtp_server, "suzhou@example.cn", 1)
    assert f"#{second['id']}" in escalated["Subject"]
    assert_bilingual(escalated, subject=("上移至贵机构", "escalated"),
                     body=("下级机构未及时受理", "not accepted in time below"))
    (told,) = mail_to(smtp_server, "manager@suzhou.example.cn", 1)
    assert_bilingual(told, subject=("已上移", "escalated"), body=("现由 苏州市中小企业服务中心 承接",
                                                                  "It now lies with 苏州市中小企业服务中心"))
    assert "姑苏区中小企业服务中心" in told.get_content() and "苏州市中小企业服务中心" in told.get_content()
    tracked = client.get(f"/api/v1/service-requests/track/{second['tracking_url'].rsplit('/', 1)[1]}").json
    assert [(a["institution_id"], a["status"]) for a in tracked["assignments"]] == [
        (network["county"], "expired"), (network["municipal"], "offered")]

    time.sleep(2.5)   # two more turns of the worker: nothing is sent again
    received = smtp_server.handler.received()
    assert sorted(rcpt for rcpts, _ in received for rcpt in rcpts) == sorted([
        "gusu@example.cn", "gusu@example.cn", "wang@example.cn", "wang@example.cn", "li@example.cn",
        "suzhou@example.cn", "manager@suzhou.example.cn"])      # none to 杭州市's manager
    assert set(smtp_server.handler.message_ids().values()) == {1}
