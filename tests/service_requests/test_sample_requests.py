"""flask seed adds a year of service requests through the sample network: every figure shows something,
the mix is believable, it is deterministic, fast, idempotent, and old contact details are already erased."""
import io
import time

import openpyxl
from datetime import timedelta

from sqlalchemy import func, select, text

from directory.database import write_session
from directory.credit_code import credit_code_problem
from directory.service_requests.models import Assignment, Feedback, RequestEvent, ServiceRequest
from directory.service_requests.sample import load_sample_requests
from directory.timestamps import utcnow

SERVICE_TABLES = ("service_feedback", "service_request_event", "service_assignment", "service_request")


def test_seed_gives_every_service_figure_something(app, runner, client, monkeypatch):
    monkeypatch.setenv("SME_ADMIN_PASSWORD", "a-long-and-unusual-seed-password-16")
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "Sample service requests:" in first.output and "added" in first.output
    stats = client.get("/api/v1/stats/service").json
    assert stats["requests"] > 500
    for rate in ("response_rate", "resolution_rate", "satisfaction_rate"):
        assert 0.5 < stats[rate] < 0.98, (rate, stats[rate])   # believable: most, not all
    assert stats["escalations"] > 0 and 0 < stats["median_hours_to_accept"] < stats["p90_hours_to_accept"] < 48
    assert all(level["requests"] > 0 for level in stats["levels"])
    assert len(stats["provinces"]) > 20 and all(p["name"] for p in stats["provinces"])
    assert len(stats["trend"]) == 12 and all(month["requests"] > 0 for month in stats["trend"])
    page = client.get("/stats").get_data(as_text=True)
    assert "服务请求办理情况" in page and 'data-figure="satisfaction_rate"' in page
    book = openpyxl.load_workbook(io.BytesIO(client.get("/stats/report.xlsx").data))
    workbook = "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)

    with app.app_context(), write_session() as session:
        statuses = dict(session.execute(select(ServiceRequest.status, func.count())
                                        .group_by(ServiceRequest.status)).all())
        sources = dict(session.execute(select(Assignment.source, func.count()).group_by(Assignment.source)).all())
        actions = set(session.scalars(select(RequestEvent.action).distinct()))
        assert statuses["closed"] > statuses["resolved"] > 0 and statuses.get("in_progress", 0) > 0   # rated, unrated
        assert sources["escalated"] > 0 and sources["forwarded"] > 0
        assert {"submitted", "accept", "decline", "forward", "expired", "resolve", "rated", "reopened",
                "erased"} <= actions
        # Contact details: fake but valid, and gone where the erasure rule would have removed them.
        kept = session.scalars(select(ServiceRequest).where(ServiceRequest.erased_at.is_(None))).all()
        assert all(r.contact_phone.startswith("138") and len(r.contact_phone) == 11 for r in kept)
        # Never a contact detail in the statistics.
        for request in kept[:50]:
            for value in (request.contact_phone, request.contact_email, request.contact_name):
                if value:
                    assert value not in page and value not in workbook
        assert all(r.contact_email is None or r.contact_email.endswith("@example.cn") for r in kept)
        assert all(not credit_code_problem(r.credit_code) for r in kept if r.credit_code)
        erased = session.scalars(select(ServiceRequest).where(ServiceRequest.erased_at.is_not(None))).all()
        assert erased and all(r.contact_phone is None and r.closed_at < utcnow() - timedelta(days=365)
                              for r in erased)
        assert not session.scalar(select(func.count()).select_from(ServiceRequest).where(
            ServiceRequest.erased_at.is_(None), ServiceRequest.closed_at < utcnow() - timedelta(days=366)))
        # Every rating belongs to a resolved (now closed) request; every accepted assignment has its deadline.
        rated = set(session.scalars(select(Feedback.request_id)))
        assert all(session.get(ServiceRequest, i).status == "closed" for i in rated)
        assert not session.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.accepted_at.is_not(None), Assignment.resolve_by.is_(None)))

    again = runner.invoke(args=["seed"])
    assert again.exit_code == 0 and "requests already present, nothing added" in again.output
    assert client.get("/api/v1/stats/service").json == stats

    # Deterministic and fast: the same requests again from the same day, in well under five seconds.
    now = utcnow()
    with app.app_context():
        for round_ in range(2):
            with write_session() as session, session.begin():
                for table in SERVICE_TABLES:
                    session.execute(text(f"DELETE FROM {table}"))
                started = time.perf_counter()
                added = load_sample_requests(session, now=now)
                assert time.perf_counter() - started < 5
            with write_session() as session:
                shape = session.execute(select(ServiceRequest.need, ServiceRequest.status, ServiceRequest.created_at)
                                        .order_by(ServiceRequest.created_at, ServiceRequest.need)).all()
            if round_ == 0:
                first_shape = shape
        assert added == len(shape) and shape == first_shape
