"""The clock: an assignment not accepted in time goes one tier up (county → municipal → provincial → national),
reminders before deadlines, contact details erased a year after closing (the facts stay)."""
from datetime import timedelta

from sqlalchemy import select

from directory.database import write_session
from directory.service_requests.clock import erase_expired, tick
from directory.service_requests.models import Assignment, Feedback, RequestEvent, ServiceRequest
from directory.timestamps import utcnow


def _assignments(app, request_id):
    with app.app_context(), write_session() as session:
        return [(a.institution_id, a.tier, a.status, a.source)
                for a in session.scalars(select(Assignment).where(Assignment.request_id == request_id)
                                         .order_by(Assignment.id))]


def test_tick_escalates_up_the_chain_until_nobody_is_left(app, runner, network, submit):
    request_id = submit(institution_ids=[network["county"]]).json["id"]
    moment = utcnow()
    for tier in ("municipal", "provincial", "national"):
        moment += timedelta(days=10)
        result = runner.invoke(args=["service-requests", "tick", "--now", moment.isoformat()])
        assert result.exit_code == 0, result.output
        assert "escalated 1" in result.output
        latest = _assignments(app, request_id)[-1]
        assert latest[1:] == (tier, "offered", "escalated")
    assert [a[2] for a in _assignments(app, request_id)] == ["expired", "expired", "expired", "offered"]
    assert [a[0] for a in _assignments(app, request_id)] == [
        network["county"], network["municipal"], network["provincial"], network["national"]]
    moment += timedelta(days=10)
    runner.invoke(args=["service-requests", "tick", "--now", moment.isoformat()])
    with app.app_context(), write_session() as session:
        assert session.get(ServiceRequest, request_id).status == "unserved"


def test_nothing_escalates_before_the_deadline(app, network, submit):
    request_id = submit(institution_ids=[network["county"]]).json["id"]
    with app.app_context(), write_session() as session, session.begin():
        accept_by = session.scalar(select(Assignment.accept_by).where(Assignment.request_id == request_id))
        assert tick(session, now=accept_by - timedelta(minutes=1))["escalated"] == 0
        assert tick(session, now=accept_by)["escalated"] == 1


def test_a_reminder_goes_once_a_day_before_the_deadline(app, network, submit):
    request_id = submit(institution_ids=[network["county"]]).json["id"]
    with app.app_context(), write_session() as session, session.begin():
        accept_by = session.scalar(select(Assignment.accept_by).where(Assignment.request_id == request_id))
        assert tick(session, now=accept_by - timedelta(hours=30))["reminded"] == 0
        assert tick(session, now=accept_by - timedelta(hours=20))["reminded"] == 1
        assert tick(session, now=accept_by - timedelta(hours=10))["reminded"] == 0


def test_the_cli_refuses_a_bad_time(runner):
    result = runner.invoke(args=["service-requests", "tick", "--now", "yesterday"])
    assert result.exit_code != 0 and "ISO 8601" in result.output


def test_contact_details_are_erased_a_year_after_closing_and_the_facts_stay(app, client, network, submit, make_staff):
    body = submit(institution_ids=[network["county"]]).json
    token, assignment = body["tracking_url"].rsplit("/", 1)[1], body["assignments"][0]["id"]
    staff = make_staff("gusu-staff", network["county"])
    url = f"/api/v1/service-requests/{body['id']}/assignments/{assignment}"
    client.patch(url, json={"action": "accept"}, headers=staff)
    client.patch(url, json={"action": "resolve", "outcome": "resolved"}, headers=staff)
    client.post(f"/api/v1/service-requests/track/{token}/feedback", json={"rating": 4})
    with app.app_context(), write_session() as session, session.begin():
        closed_at = session.get(ServiceRequest, body["id"]).closed_at
        assert erase_expired(session, now=closed_at + timedelta(days=364)) == 0
        assert erase_expired(session, now=closed_at + timedelta(days=366)) == 1
    with app.app_context(), write_session() as session:
        request = session.get(ServiceRequest, body["id"])
        assert (request.contact_name, request.contact_phone, request.contact_email, request.enterprise_name,
                request.credit_code) == (None,) * 5
        assert request.need and request.region_code and request.erased_at
        assert session.scalar(select(Feedback.rating).where(Feedback.request_id == body["id"])) == 4
        assert "erased" in session.scalars(select(RequestEvent.action).where(RequestEvent.request_id == body["id"])).all()
    detail = client.get(f"/api/v1/service-requests/{body['id']}", headers=staff).json
    assert detail["erased"] is True and detail["contact"]["contact_phone"] is None


def test_the_scheduled_jobs_run_the_clock_now(app, network, submit):
    from directory.service_requests.schedule import run_clock, run_erasure

    submit(institution_ids=[network["county"]])
    with app.app_context():
        assert run_clock() == {"escalated": 0, "reminded": 0, "erased": 0}
        assert run_erasure() == 0
