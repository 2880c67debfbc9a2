"""Issue 11: hostile import files get a quick, small answer, and no file holds the write lock.

Every case goes through ``POST /api/v1/institutions/import`` (shared with the web import and the
CLI) on SQLite and PostgreSQL. Old answers: the 1.6 KB sheet ran the worker at full CPU holding
SQLite's write lock until killed; a field over 128 KB was a 500; all-too-wide rows gave a
63–199 MB report; a 2.9 MB workbook of bad rows a 31 MB response; a concurrent write a 503.
"""
import threading
import time
from hashlib import sha256

import pytest
from sqlalchemy import func, select

from directory.audit.models import AuditEntry
from directory.audit.trail import snapshot
from directory.database import write_session
from directory.institutions.importer import LISTED_PER_KIND, MAX_ROWS
from directory.institutions.models import Institution
from directory.institutions.revision import current_revision
from spreadsheet_files import far_corner_xlsx, tall_xlsx, xlsx_of

IMPORT_URL = "/api/v1/institutions/import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SMALL = 64 * 1024   # bytes: what a bounded report of problems stays under
COUNTIES = ["320581", "320582", "320583", "320585", "320505", "320506", "320507", "320508", "320509"]


def post_in_time(client, headers, data: bytes, content_type: str, *, query="?dry_run=true", seconds=60):
    """The response, or a failure (not a hung test run) when it takes longer than ``seconds``."""
    answer = {}
    worker = threading.Thread(target=lambda: answer.setdefault("response", client.post(
        IMPORT_URL + query, headers=headers, data=data, content_type=content_type)), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(seconds)
    assert "response" in answer, f"no answer within {seconds} s"
    return answer["response"], time.monotonic() - started


def institutions(app) -> int:
    with app.app_context(), write_session() as session:
        return session.scalar(select(func.count()).select_from(Institution))


def test_issue_11_tall_xlsx_is_answered_quickly_with_its_one_record(client, make_admin):
    response, elapsed = post_in_time(client, make_admin(), tall_xlsx(), XLSX_TYPE)
    assert response.status_code == 200 and elapsed < 30
    body = response.get_json()
    assert body["rejected"] == [] and body["created"] == 1
    assert [{k: r[k] for k in ("row", "name", "action", "institution_id")} for r in body["rows"]] == [
        {"row": 1048576, "name": "昆山市中小企业服务中心", "action": "create", "institution_id": None}]


def test_issue_11_far_corner_xlsx_is_a_report_line_naming_the_memory_limit(app, client, make_admin):
    response, elapsed = post_in_time(client, make_admin(), far_corner_xlsx(), XLSX_TYPE, query="")
    assert response.status_code == 200 and elapsed < 30
    body = response.get_json()
    assert not body["applied"] and body["rejected_total"] == 1
    [line] = body["rejected"]
    assert line["row"] == 0 and line["field"] == "file"
    assert "memory" in line["message"] and "内存" in line["message_zh"]
    assert institutions(app) == 0


def test_a_csv_field_over_128_kb_is_a_report_line_not_a_500(client, make_admin):
    text = "name,level,region_code,services\n" + "甲" * 140_000 + ",county,320583,policy\n"
    response = client.post(IMPORT_URL, headers=make_admin(), data=text.encode(), content_type="text/csv")
    assert response.status_code == 200
    body = response.get_json()
    assert [(r["row"], r["field"], r["column"]) for r in body["rejected"]] == [(2, "name", "name")]
    assert len(response.data) < SMALL   # the 140,000 characters are not echoed back


def test_ten_mb_of_rows_wider_than_the_header_gives_a_small_report(client, make_admin):
    row = ",".join(letter * 103 for letter in "abcde") + "\n"   # 520 bytes, five cells under a four-column header
    text = "name,level,region_code,services\n" + row * ((10 * 2**20 - 100) // len(row))
    response = client.post(IMPORT_URL, headers=make_admin(), data=text.encode(), content_type="text/csv")
    assert response.status_code == 200 and len(response.data) < SMALL
    body = response.get_json()
    assert body["rejected_total"] >= 1 and len(body["rejected"]) <= LISTED_PER_KIND
    assert not body["applied"] and body["created"] == 0


def test_a_workbook_of_many_bad_rows_gives_a_small_response(client, make_admin):
    rows = [["name", "level", "region_code", "services", "email", "website", "description"]]
    rows += [[f"无效机构{n}号" + "名" * (n % 50), "galactic", f"{990000 + n}", "horoscopes;astrology", f"bad{n}@",
              f"ftp://{n}.example.com", "".join(sha256(f"{n}-{k}".encode()).hexdigest() for k in range(4))]
             for n in range(MAX_ROWS)]
    data = xlsx_of(rows)
    assert len(data) > 2_500_000   # about the attack's 2.9 MB
    response, _elapsed = post_in_time(client, make_admin(), data, XLSX_TYPE, query="", seconds=600)
    assert response.status_code == 200 and len(response.data) < SMALL
    body = response.get_json()
    assert len(body["rejected"]) == LISTED_PER_KIND and body["rejected_total"] >= 3 * MAX_ROWS
    assert len(body["rows"]) == LISTED_PER_KIND and body["rows_total"] == MAX_ROWS


def test_a_concurrent_writer_succeeds_while_a_file_is_read_and_checked(app, client, make_admin):
    """Old code: the import's request took SQLite's write lock with its first query and kept it
    while it read and checked the file; a write meanwhile waited 5 s and got 503."""
    headers = make_admin()
    lines = ["name,level,region_code,services"]
    lines += [f"导入测试服务站{n},county,{COUNTIES[n % len(COUNTIES)]},policy;legal" for n in range(3000)]
    data = ("\n".join(lines) + "\n").encode()
    answer = {}
    importer = threading.Thread(target=lambda: answer.setdefault("import", app.test_client().post(
        IMPORT_URL, headers=headers, data=data, content_type="text/csv")), daemon=True)
    importer.start()
    time.sleep(1.0)
    started = time.monotonic()
    created = client.post("/api/v1/institutions", headers=headers, json={
        "name": "并发写入的服务中心", "level": "municipal", "region_code": "320500", "services": ["policy"]})
    waited = time.monotonic() - started
    overlapped = importer.is_alive()
    importer.join(600)
    assert created.status_code == 201, created.get_json()
    assert overlapped, "the import finished before the concurrent write began; make its file larger"
    assert waited < 3
    body = answer["import"].get_json()
    assert body["applied"] and body["created"] == 3000
    assert institutions(app) == 3001


def test_an_import_writes_one_audit_entry_per_institution_in_its_transaction(app, client, make_admin,
                                                                            add_institution):
    existing = add_institution("常熟市中小企业服务中心", "county", "320581")
    with app.app_context(), write_session() as session:
        revision = current_revision(session)
    text = ("id,name,level,region_code,services,status\n"
            f"{existing},常熟市中小企业服务中心,county,320581,policy;legal,closed\n"
            ",昆山市中小企业服务中心,county,320583,ip;policy,\n"
            ",太仓市中小企业服务中心,county,320585,talent,\n")
    body = client.post(IMPORT_URL, headers=make_admin("importer"), data=text.encode(),
                       content_type="text/csv").get_json()
    assert body["applied"] and body["created"] == 2 and body["updated"] == 1
    with app.app_context(), write_session() as session:
        assert current_revision(session) > revision
        entries = {e.entity_id: e for e in session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "institution", AuditEntry.actor == "importer"))}
        assert sorted(entries) == sorted(r["institution_id"] for r in body["rows"])
        for row in body["rows"]:
            institution = session.get(Institution, row["institution_id"])
            entry = entries[institution.id]
            assert entry.after == snapshot(institution)   # what the ORM's audit listener would have kept
            assert entry.action == {"create": "create", "update": "close"}[row["action"]]
        closed = entries[existing]
        assert closed.before["status"] == "active" and closed.before["services"] == ["policy"]
        assert closed.after["status"] == "closed" and closed.after["services"] == ["legal", "policy"]
        assert session.get(Institution, existing).closed_at is not None


def test_batch_matching_uses_the_same_bounded_reader(client, make_admin):
    headers = make_admin()
    started = time.monotonic()
    response = client.post("/api/v1/match/batch", headers=headers, data=far_corner_xlsx(), content_type=XLSX_TYPE)
    assert response.status_code == 413 and time.monotonic() - started < 30
    assert "memory" in response.get_json()["message"]
    text = "enterprise_name,region,need\n" + "甲" * 140_000 + ",昆山,贷款\n"
    response = client.post("/api/v1/match/batch", headers=headers, data=text.encode(), content_type="text/csv")
    assert response.status_code == 200 and response.data.decode("utf-8").count("\n") == 2


def test_a_change_made_while_the_file_was_checked_is_checked_again_under_the_write_lock(app, make_admin,
                                                                                        add_institution, monkeypatch):
    """The file's row was new when checked; meanwhile another writer adds that very institution. The
    import notices the directory moved, checks again inside its write transaction and updates it."""
    from directory.institutions import importer

    real_prepare, calls = importer.prepare_new, []

    def another_writer_first(rows):
        if not calls:   # between the check and the write transaction
            add_institution("昆山市中小企业服务中心", "county", "320583", ("policy",))
        calls.append(rows)
        return real_prepare(rows)

    monkeypatch.setattr(importer, "prepare_new", another_writer_first)
    text = "name,level,region_code,services\n昆山市中小企业服务中心,county,320583,ip\n"
    body = app.test_client().post(IMPORT_URL, headers=make_admin(), data=text.encode(),
                                  content_type="text/csv").get_json()
    assert body["applied"] and (body["created"], body["updated"]) == (0, 1)
    assert [len(rows) for rows in calls] == [1, 0]   # a create when checked, none after the second check
    with app.app_context(), write_session() as session:
        [institution] = session.scalars(select(Institution)).all()
        assert institution.services == ["ip"]
