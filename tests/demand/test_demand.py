"""Match requests are recorded anonymously (never batches), and demand is counted from them."""
import logging
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlite_locks import SQLITE_ONLY, write_lock_answer, write_lock_held
from sqlmodel import Session

import directory.finder.api
from directory import create_app
from directory.database import write_session
from directory.database import get_engine
from directory.demand.figures import demand_by_category, demand_by_province, demand_overview
from directory.demand.models import MatchRequest, MatchRequestCategory
from directory.demand.recording import DemandRecorder, demand_recorder, pending_match, province_of

def get_engine_of(app):
    return app.extensions["sme_engine"]


PATENT_AND_LOAN = "想申请专利，还需要一笔贷款"


def recorded(app) -> list[dict]:
    """Every recorded request with its categories ({code: served_in_chain}), once the buffer is written."""
    demand_recorder(app).flush()
    with app.app_context(), Session(get_engine()) as session:
        requests = session.scalars(select(MatchRequest).order_by(MatchRequest.id)).all()
        links = session.scalars(select(MatchRequestCategory)).all()
        return [{"region_code": r.region_code, "province_code": r.province_code,
                 "served_in_chain": r.served_in_chain, "need_text": r.need_text, "source": r.source,
                 "categories": {link.category_code: link.served_in_chain
                                for link in links if link.request_id == r.id}} for r in requests]


@pytest.fixture
def kunshan_ip_office(add_institution):
    """A county office in Kunshan offering IP services only: IP is served in-chain, loans are not."""
    return add_institution("昆山市知识产权服务中心", "county", "320583", services=("ip",))


def test_an_api_match_is_recorded_once_anonymously(app, client, kunshan_ip_office):
    response = client.post("/api/v1/match", json={"need": PATENT_AND_LOAN, "region_code": "320583"})
    assert response.status_code == 200
    detected, unserved = {c["code"] for c in response.json["categories"]}, response.json["unserved_categories"]
    assert {"ip", "financing"} <= detected and "financing" in unserved and "ip" not in unserved
    [row] = recorded(app)
    assert row == {"region_code": "320583", "province_code": "320000", "served_in_chain": False,
                   "need_text": None, "source": "api",
                   "categories": {code: code not in unserved for code in detected}}


def test_a_need_served_entirely_in_chain_is_flagged_served(app, client, kunshan_ip_office):
    body = client.post("/api/v1/match", json={"need": "专利申请", "region_code": "320583"}).json
    assert [c["code"] for c in body["categories"]] == ["ip"] and body["unserved_categories"] == []
    [row] = recorded(app)
    assert row["served_in_chain"] is True and row["categories"] == {"ip": True}


def test_the_text_is_kept_only_with_consent(app, client):
    client.post("/api/v1/match", json={"need": PATENT_AND_LOAN, "region_code": "110105", "store_need": True})
    client.post("/api/v1/match", json={"need": PATENT_AND_LOAN, "store_need": False})
    consented, anonymous = recorded(app)
    assert consented["need_text"] == PATENT_AND_LOAN and consented["province_code"] == "110000"
    assert anonymous["need_text"] is None and anonymous["region_code"] is None and anonymous["province_code"] is None


def test_a_finder_search_is_recorded_and_keeps_text_only_when_ticked(app, client, kunshan_ip_office):
    page = client.get("/find")
    assert 'name="store_need"' in page.get_data(as_text=True)
    assert client.get("/find", query_string={"need": PATENT_AND_LOAN, "region_code": "320583"}).status_code == 200
    ticked = client.get("/find", query_string={"need": PATENT_AND_LOAN, "place": "昆山", "store_need": "1"})
    assert ticked.status_code == 200 and 'name="store_need" value="1" checked' in ticked.get_data(as_text=True)
    plain, kept = recorded(app)
    assert plain["source"] == kept["source"] == "finder"
    assert plain["need_text"] is None and plain["province_code"] == "320000" and plain["served_in_chain"] is False
    assert plain["categories"]["ip"] is True and plain["categories"]["financing"] is False
    assert kept["need_text"] == PATENT_AND_LOAN and kept["region_code"] == "320583"


def test_small_talk_and_a_place_still_to_choose_record_nothing(app, client):
    assert client.post("/api/v1/match", json={"need": "你好"}).status_code == 200
    assert client.get("/find", query_string={"need": "你好", "region_code": "320583"}).status_code == 200
    assert client.get("/find", query_string={"need": "贷款", "place": "鼓楼区"}).status_code == 200  # ambiguous
    assert recorded(app) == []


def test_an_unknown_region_records_nothing(app, client):
    assert client.post("/api/v1/match", json={"need": "贷款", "region_code": "999999"}).status_code == 422
    assert recorded(app) == []


def test_batch_matching_records_nothing(app, client, make_admin, kunshan_ip_office):
    csv = f"enterprise_name,region,need\n甲公司,昆山,{PATENT_AND_LOAN}\n乙公司,320583,专利申请\n".encode()
    response = client.post("/api/v1/match/batch", data=csv, headers={**make_admin(), "Content-Type": "text/csv"})
    assert response.status_code == 200 and "昆山市知识产权服务中心" in response.get_data(as_text=True)
    assert recorded(app) == []


def test_province_of_a_county_a_prefecture_a_municipal_district_and_a_province(app):
    with app.app_context(), Session(get_engine()) as session:
        assert [province_of(session, code) for code in ("320583", "320500", "110105", "320000", None)] == [
            "320000", "320000", "110000", "320000", None]


NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)


def add_request(session, *, days_ago: int, province: str | None, categories: dict[str, bool]) -> None:
    request = MatchRequest(created_at=NOW - timedelta(days=days_ago), region_code=province, province_code=province,
                           served_in_chain=all(categories.values()), source="api")
    session.add(request)
    session.flush()
    session.add_all(MatchRequestCategory(request_id=request.id, category_code=code, served_in_chain=served)
                    for code, served in categories.items())


def test_demand_figures_against_hand_counted_values(app):
    with app.app_context():
        with write_session() as session, session.begin():
            add_request(session, days_ago=1, province="320000", categories={"ip": True, "financing": False})
            add_request(session, days_ago=2, province="320000", categories={"ip": True})
            add_request(session, days_ago=3, province="110000", categories={"financing": False})
            add_request(session, days_ago=40, province=None, categories={"financing": True, "talent": False})
        with Session(get_engine()) as session:
            by_category = {row["category_code"]: row for row in demand_by_category(session)}
            by_province = {row["province_code"]: row for row in demand_by_province(session)}
            overview = demand_overview(session)
            recent = demand_overview(session, since=NOW - timedelta(days=30))
            recent_categories = demand_by_category(session, since=NOW - timedelta(days=30),
                                                   until=NOW - timedelta(days=1))
            empty = demand_overview(session, until=NOW - timedelta(days=100))

    assert [row["category_code"] for row in by_category.values()] == ["financing", "ip", "talent"]
    assert by_category["financing"] == {"category_code": "financing", "name": "投融资服务",
                                        "name_en": by_category["financing"]["name_en"], "requests": 3,
                                        "not_served_in_chain": 2, "unserved_share": 0.6667}
    assert (by_category["ip"]["requests"], by_category["ip"]["unserved_share"]) == (2, 0.0)
    assert (by_category["talent"]["requests"], by_category["talent"]["unserved_share"]) == (1, 1.0)

    assert by_province["320000"] == {"province_code": "320000", "name": "江苏省", "requests": 2,
                                     "not_served_in_chain": 1, "unserved_share": 0.5}
    assert by_province["110000"]["requests"] == 1 and by_province["110000"]["unserved_share"] == 1.0
    assert by_province[None]["requests"] == 1 and by_province[None]["name"] is None

    assert overview == {"requests": 4, "requests_not_served_in_chain": 3, "requests_unserved_share": 0.75,
                        "needs": 6, "needs_not_served_in_chain": 3, "unserved_share": 0.5}
    assert (recent["requests"], recent["needs"], recent["unserved_share"]) == (3, 4, 0.5)
    assert {(r["category_code"], r["requests"]) for r in recent_categories} == {("ip", 1), ("financing", 1)}
    assert empty["requests"] == 0 and empty["unserved_share"] is None


@SQLITE_ONLY
def test_the_match_does_not_hold_the_write_lock_while_matching(app, client, monkeypatch):
    seen = []
    match_need = directory.finder.api.match_need

    def probing_match_need(*args, **kwargs):
        result = match_need(*args, **kwargs)
        seen.append(write_lock_answer(app.config["DATABASE_URL"]))
        return result

    monkeypatch.setattr(directory.finder.api, "match_need", probing_match_need)
    assert client.post("/api/v1/match", json={"need": PATENT_AND_LOAN}).status_code == 200
    assert seen == ["other got the lock"]
    assert len(recorded(app)) == 1  # recorded afterwards


@SQLITE_ONLY
def test_a_busy_database_neither_delays_the_match_nor_loses_its_record(app, caplog):
    patient = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SQLITE_BUSY_TIMEOUT_MS": 200,
                          "DEMAND_FLUSH_SECONDS": 0.05})
    with write_lock_held(app.config["DATABASE_URL"]):   # a writer holds it for longer than the busy timeout
        with caplog.at_level(logging.WARNING, logger="directory.demand.recording"):
            started = time.monotonic()
            response = patient.test_client().post("/api/v1/match", json={"need": PATENT_AND_LOAN})
            waited = time.monotonic() - started
            page = patient.test_client().get("/find", query_string={"need": PATENT_AND_LOAN})
            time.sleep(0.6)    # the writer thread tries, finds the database busy, keeps the records
        assert demand_recorder(patient).pending() == 2
    try:
        assert response.status_code == 200 and response.json["categories"]
        assert page.status_code == 200 and "识别到的需求" in page.get_data(as_text=True)
        assert waited < 0.5  # the answer never waits for the write lock
        assert "kept for retry" in caplog.text
        demand_recorder(patient).close()
        assert [r["source"] for r in recorded(app)] == ["api", "finder"]  # nothing lost, in order
    finally:
        with patient.app_context():
            get_engine().dispose()


def test_concurrent_matches_are_all_recorded_in_batches(app):
    recorder = demand_recorder(app)
    result = {"categories": [{"code": "ip"}, {"code": "financing"}], "unserved_categories": ["financing"]}

    def match_many(worker: int) -> None:
        for number in range(150):
            assert recorder.add(pending_match(result=result, region_code="320583", need=f"{worker}-{number}",
                                              consent=True, source="api"))

    threads = [threading.Thread(target=match_many, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorder.close()
    rows = recorded(app)
    assert len(rows) == 1200 and len({r["need_text"] for r in rows}) == 1200
    assert all(r["categories"] == {"ip": True, "financing": False} and r["province_code"] == "320000" for r in rows)


def test_a_full_buffer_refuses_and_counts_instead_of_growing_without_bound(app):
    recorder = DemandRecorder(get_engine_of(app), capacity=3, flush_seconds=60)
    result = {"categories": [{"code": "ip"}], "unserved_categories": []}
    added = [recorder.add(pending_match(result=result, region_code=None, need="x", consent=False, source="api"))
             for _ in range(5)]
    assert added == [True, True, True, False, False] and recorder.dropped == 2
    recorder.close()
    assert recorder.written == 3
