"""flask --app wsgi divisions update: a 2022-edition registry brought to 2023 and 2024 from the
published shapes, records moved out of retired divisions (audited), split areas listed for an
administrator, dry runs, files that do not fit; and init-db upgrading an old database in place."""
import csv
import json
import re
from contextlib import nullcontext
from datetime import date, datetime, timezone

import pytest
from alembic import command
from migration_steps import migrating
from sqlalchemy import func, select, text

from directory import create_app
from directory.audit.models import AuditEntry
from directory.auth.models import Administrator
from directory.auth.service import create_administrator, issue_token
from directory.categories.models import ServiceCategory
from directory.database import write_session
from directory.operations.setup import init_database
from directory.config import ROOT
from directory.database import get_engine
from directory.events.models import FinancingEvent
from directory.institutions.models import Institution
from directory.institutions.service import create_institution
from directory.reference_data import category_rows
from directory.regions.models import DivisionEdition, Region, RegionSuccessor
from directory.migrations_runner import upgrade_schema
from directory.statistics.coverage import coverage_summary

HISTORY = ROOT / "seed_data" / "divisions-history"
SHIPPED = ROOT / "seed_data" / "divisions.csv"
END_2022 = "2022-12-31"


def shipped_rows() -> list[dict]:
    with SHIPPED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rows_of_2022() -> list[dict]:
    """The divisions in force at the end of 2022, as the releases before the end-2024 list shipped them."""
    return [r for r in shipped_rows() if (r["in_force_from"] or "") <= END_2022 and (r["retired_on"] or "9") > END_2022]


@pytest.fixture
def own_url(backend, tmp_path, suite_conftest):
    """A database of its own: these tests change the division list."""
    holder = nullcontext(f"sqlite:///{tmp_path / 'own.sqlite3'}") if backend == "sqlite" \
        else suite_conftest.postgres_schema()
    with holder as url:
        yield url


@pytest.fixture
def app_2022(own_url):
    """An app on a registry holding the end-2022 division list and nothing else."""
    app = create_app({"DATABASE_URL": own_url, "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade_schema(get_engine())
        with write_session() as session, session.begin():
            for depth in ("province", "prefecture", "county"):
                session.add_all(Region(code=r["code"], name=r["name"], level=r["level"],
                                       parent_code=r["parent_code"] or None, mainland=r["code"][:2] not in "71 81 82",
                                       longitude=float(r["longitude"]) if r["longitude"] else None,
                                       latitude=float(r["latitude"]) if r["latitude"] else None)
                                for r in rows_of_2022() if r["level"] == depth)
                session.flush()
            session.add(DivisionEdition(edition="2022", published_on=date(2022, 12, 31)))
            session.add_all(ServiceCategory(**row) for row in category_rows())
    yield app
    with app.app_context():
        get_engine().dispose()


def placed(app, **records) -> dict[str, int]:
    """Institutions (county level) in the given divisions, an event of the first one, and an administrator
    scoped to the first division; ids by name."""
    from directory.institutions.schemas import InstitutionInSchema

    ids = {}
    with app.app_context(), write_session() as session, session.begin():
        for name, code in records.items():
            fields = InstitutionInSchema().load({"name": name, "level": "county", "region_code": code,
                                                 "services": ["policy", "financing"]})
            ids[name] = create_institution(session, fields=fields).id
    return ids


def update(app, *args: str):
    return app.test_cli_runner().invoke(args=["divisions", "update", *args])


def year_files(year: int) -> list[str]:
    return [str(HISTORY / "data" / f"{year}.txt"), str(HISTORY / "diff" / f"{year - 1}-{year}.diff")]


def test_a_2022_registry_is_brought_to_2024_one_edition_after_another(app_2022):
    app = app_2022
    ids = placed(app, 米林县中小企业服务中心="540422", 错那县中小企业服务中心="540530", 皮山县中小企业服务中心="653223")
    with app.app_context(), write_session() as session, session.begin():
        event = FinancingEvent(title="米林县银企对接会", organizer_id=ids["米林县中小企业服务中心"], status="open",
                               capacity=30, level="county", region_code="540422",
                               starts_at=datetime(2026, 1, 5, 1, tzinfo=timezone.utc),
                               ends_at=datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
        session.add(event)
        create_administrator(session, username="milin", password="milin-password-1", region_code="540422")
        session.flush()
        event_id = event.id

    first = update(app, *year_files(2023), "--format", "json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)["updates"][0]
    assert (report["previous_edition"], report["edition"]) == ("2022", "2023")
    assert report["counts"] == {"added": 3, "renamed": 0, "retired": 2, "reparented": 0, "boundary_changes": 3,
                                "moved": 4, "to_place": 0}
    assert {(d["code"], d["retired_on"], tuple(d["successors"])) for d in report["retired"]} == {
        ("540422", "2023-04-03", ("540481",)), ("540530", "2023-04-03", ("540581",))}
    assert {(m["entity"], m["from_code"], m["to_code"]) for m in report["moved"]} == {
        ("institution", "540422", "540481"), ("institution", "540530", "540581"),
        ("event", "540422", "540481"), ("administrator", "540422", "540481")}

    second = update(app, *year_files(2024))
    assert second.exit_code == 0, second.output
    assert "Edition 2023 -> 2024 (2024-12-31): 2 added, 0 renamed, 0 retired" in second.output
    assert "added    653228 和康县 (in force from 2024-12-27, parent 653200, from 653223)" in second.output
    assert "0 records moved, 0 to place" in second.output

    with app.app_context(), write_session() as session:
        successors = {}
        for code, successor in session.execute(select(RegionSuccessor.code, RegionSuccessor.successor_code)):
            successors.setdefault(code, []).append(successor)
        built = {r.code: (r.name, r.level.value, r.parent_code or "", str(r.in_force_from or ""),
                          str(r.retired_on or ""), ";".join(sorted(successors.get(r.code, []))))
                 for r in session.scalars(select(Region))}
        assert built == {r["code"]: (r["name"], r["level"], r["parent_code"], r["in_force_from"], r["retired_on"],
                                     r["successors"]) for r in shipped_rows()}   # the shipped list, exactly
        assert session.get(Institution, ids["米林县中小企业服务中心"]).region_code == "540481"
        assert session.get(Institution, ids["皮山县中小企业服务中心"]).region_code == "653223"  # only part of it moved
        assert session.get(FinancingEvent, event_id).region_code == "540481"
        assert session.scalar(select(Administrator).where(Administrator.username == "milin")).region_code == "540481"
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "institution",
                                                        AuditEntry.entity_id == ids["错那县中小企业服务中心"],
                                                        AuditEntry.action == "division_change"))
        assert entry.actor == "cli" and entry.before["region_code"] == "540530" and entry.after["region_code"] == "540581"
        assert entry.detail == ("540530 错那县 retired on 2023-04-03; moved to its successor 540581 "
                                "(division list edition 2023)")
        assert [e.edition for e in session.scalars(select(DivisionEdition).order_by(DivisionEdition.published_on))] \
            == ["2022", "2023", "2024"]
        counties = {day: coverage_summary(session, as_of=day)["levels"][2]["divisions"]
                    for day in (date(2022, 12, 31), date(2023, 4, 2), date(2023, 4, 3), date(2024, 12, 27))}
        assert counties == {date(2022, 12, 31): 2843, date(2023, 4, 2): 2844, date(2023, 4, 3): 2844,
                            date(2024, 12, 27): 2846}
        assert coverage_summary(session)["levels"][2]["divisions"] == 2846
        assert coverage_summary(session)["divisions_edition"] == "2024"


def test_a_dry_run_reports_the_same_and_changes_nothing(app_2022):
    ids = placed(app_2022, 米林县中小企业服务中心="540422")
    dry = update(app_2022, *year_files(2023), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "3 added, 0 renamed, 2 retired" in dry.output and "1 records moved" in dry.output
    assert dry.output.rstrip().endswith("Dry run: nothing changed.")
    with app_2022.app_context(), write_session() as session:
        assert session.scalar(select(func.count()).select_from(Region)) == 3210
        assert session.get(Region, "540422").retired_on is None and session.get(Region, "540481") is None
        assert session.get(Institution, ids["米林县中小企业服务中心"]).region_code == "540422"
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "division_change")) == 0
        assert session.scalar(select(func.max(DivisionEdition.edition))) == "2022"


def test_the_dataset_form_applies_every_year_up_to_the_one_asked(app_2022):
    result = update(app_2022, "--dataset", str(HISTORY), "--year", "2024")
    assert result.exit_code == 0, result.output
    assert "Edition 2022 -> 2023" in result.output and "Edition 2023 -> 2024" in result.output
    again = update(app_2022, "--dataset", str(HISTORY), "--year", "2024")
    assert again.exit_code == 1 and "not newer than edition 2024" in again.output


def test_a_change_list_that_does_not_fit_the_list_in_use_changes_nothing(app_2022):
    result = update(app_2022, str(HISTORY / "data" / "2024.txt"), str(HISTORY / "diff" / "2023-2024.diff"))
    assert result.exit_code == 1
    assert "Nothing changed" in result.output
    assert "540422 米林县 is not in the new edition, but the change list has no '-' line" in result.output
    assert "540481 米林市 is new in the edition, but the change list has no '+' line" in result.output
    with app_2022.app_context(), write_session() as session:
        assert session.get(Region, "653228") is None


@pytest.mark.parametrize("edition, changes, expected", [
    (b"\x89PNG\r\n\x1a\n\x00\x00garbage", b"", "UTF-8"),
    ("110000 北京市\n11000 短码\n110000 重复\n".encode(), b"", "line 2: expected a six-digit code"),
    ("110000 北京市\n110101 东城区\n".encode(), "#注释\n-110101 东城区>\n~x\n".encode(), "line 3: not a change line"),
    ("110000 北京市\n110101 东城区\n".encode(), "# 日期：2023年4月3日\n=110101 东城区\n".encode(), "a '=' line needs"),
    ("110000 北京市\n110101 东城区\n".encode(), b"", "is not in the new edition, but the change list has no '-'"),
])
def test_files_that_cannot_be_read_are_refused_with_where(app_2022, tmp_path, edition, changes, expected):
    (tmp_path / "2025.txt").write_bytes(edition)
    (tmp_path / "2024-2025.diff").write_bytes(changes)
    result = update(app_2022, str(tmp_path / "2025.txt"), str(tmp_path / "2024-2025.diff"))
    assert result.exit_code == 1 and expected in result.output, result.output
    assert "Traceback" not in result.output


def test_an_edition_not_newer_than_the_one_in_use_is_refused(app_2022):
    result = update(app_2022, str(HISTORY / "data" / "2022.txt"), str(HISTORY / "diff" / "2021-2022.diff"))
    assert result.exit_code == 1 and "not newer than edition 2022" in result.output


@pytest.mark.parametrize("name", ["2025 年版；DROP TABLE region", "x" * 17])
def test_an_edition_name_must_be_short_and_plain(app_2022, name):
    result = update(app_2022, *year_files(2023), "--edition", name, "--published-on", "2023-12-31")
    assert result.exit_code == 1 and "Edition name" in result.output


@pytest.mark.parametrize("args", [[], ["only-edition.txt"], ["--dataset", "."]])
def test_missing_arguments_are_a_usage_error(app_2022, args, tmp_path):
    if args == ["only-edition.txt"]:
        (tmp_path / "2025.txt").write_text("110000 北京市\n", encoding="utf-8")
        args = [str(tmp_path / "2025.txt")]
    result = update(app_2022, *args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_split_area_is_listed_for_an_administrator_and_nothing_is_moved(app_2022, tmp_path):
    """A made-up 2025 edition: 和康县 split between two new counties, 米林市 renamed."""
    app = app_2022
    assert update(app, "--dataset", str(HISTORY), "--year", "2024").exit_code == 0
    ids = placed(app, 和康县中小企业服务中心="653228", 米林市中小企业服务中心="540481")
    edition = (HISTORY / "data" / "2024.txt").read_text(encoding="utf-8")
    edition = edition.replace("653228 和康县\n", "653230 赛图拉县\n653231 康西县\n").replace("540481 米林市", "540481 米林新市")
    (tmp_path / "2025.txt").write_text(edition, encoding="utf-8")
    (tmp_path / "2024-2025.diff").write_text(
        "## 关于撤销和康县设立赛图拉县、康西县的公告（测试数据）\n# 日期：2025年6月1日\n"
        "-653228 和康县>赛图拉县,康西县\n+653230 赛图拉县<和康县\n+653231 康西县<和康县\n"
        "## 关于米林市更名的公告（测试数据）\n# 日期：2025年7月1日\n-540481 米林市>.\n+540481 米林新市<.\n",
        encoding="utf-8")
    result = update(app, str(tmp_path / "2025.txt"), str(tmp_path / "2024-2025.diff"))
    assert result.exit_code == 0, result.output
    assert "2 added, 1 renamed, 1 retired" in result.output and "0 records moved, 1 to place" in result.output
    assert (f"to place institution {ids['和康县中小企业服务中心']} 和康县中小企业服务中心 in 653228 (retired): "
            "choose among 653230, 653231") in result.output
    listed = app.test_cli_runner().invoke(args=["divisions", "to-place"])
    assert listed.exit_code == 0 and "653228 和康县 (retired 2025-06-01)\t653230, 653231" in listed.output

    client = app.test_client()
    body = client.get("/api/v1/regions/653228").json
    assert body["status"] == "retired" and [s["code"] for s in body["successors"]] == ["653230", "653231"]
    assert client.get("/api/v1/regions/540481").json["name"] == "米林新市"
    with app.app_context(), write_session() as session, session.begin():
        assert session.get(Institution, ids["和康县中小企业服务中心"]).region_code == "653228"   # not guessed
        assert session.get(Institution, ids["米林市中小企业服务中心"]).region_code == "540481"   # a rename moves nothing
        token, _ = issue_token(session, administrator=create_administrator(
            session, username="nation", password="national-password-1"))
        create_administrator(session, username="hotan", password="hotan-password-1", region_code="653200")
        create_administrator(session, username="tibet", password="tibet-password-1", region_code="540000")
    for username, shown in (("hotan", True), ("tibet", False)):      # the web dashboard, in each scope
        web = app.test_client()
        login_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                web.get("/admin/login").get_data(as_text=True))[1]
        assert web.post("/admin/login", data={"username": username, "password": f"{username}-password-1",
                                              "csrf_token": login_token}).status_code in (302, 303)
        home = web.get("/admin/?lang=zh").get_data(as_text=True)
        assert ("待重新归属的记录" in home) is shown
        if shown:
            assert "和康县（653228，2025-06-01 撤销）" in home and "赛图拉县（653230）、康西县（653231）" in home
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/institutions/{ids['和康县中小企业服务中心']}"
    assert client.patch(url, json={"region_code": "653229"}, headers=headers).status_code == 200
    back = client.patch(url, json={"region_code": "653228"}, headers=headers)
    assert back.status_code == 422 and "653230 赛图拉县, 653231 康西县" in back.json["errors"]["region_code"][0]


def test_init_db_upgrades_an_old_database_in_place(own_url):
    """A database made by a release before migration 0007 (end-2022 list, an institution in 错那县)."""
    app = create_app({"DATABASE_URL": own_url, "TESTING": True})
    with app.app_context():
        with migrating(get_engine()) as (config, _):
            command.upgrade(config, "0006")
        with get_engine().begin() as connection:
            for depth in ("province", "prefecture", "county"):
                connection.execute(text(
                    "INSERT INTO region (code, name, level, parent_code, longitude, latitude, mainland) "
                    "VALUES (:code, :name, :level, :parent, :lon, :lat, :mainland)"),
                    [{"code": r["code"], "name": r["name"], "level": r["level"], "parent": r["parent_code"] or None,
                      "lon": float(r["longitude"]) if r["longitude"] else None,
                      "lat": float(r["latitude"]) if r["latitude"] else None,
                      "mainland": r["code"][:2] not in ("71", "81", "82")}
                     for r in rows_of_2022() if r["level"] == depth])
            connection.execute(text(
                "INSERT INTO institution (name, level, region_code, status, demonstration_platform, created_at, "
                "updated_at) VALUES ('错那县中小企业服务中心', 'county', '540530', 'active', false, "
                "'2020-01-01 00:00:00+00:00', '2020-01-01 00:00:00+00:00')"))
        first = init_database()
        assert [u.edition for u in first["division_updates"]] == ["2023", "2024"]
        assert first["edition"] == "2024" and first["regions"] == 0     # the update already built the shipped list
        with write_session() as session:
            assert session.scalar(select(Institution.region_code)) == "540581"
            summary = coverage_summary(session, as_of=date(2022, 12, 31))
            county = summary["levels"][2]
            # in 2022 the institution (moved since) still covers 错那县, where it then was
            assert (county["divisions"], county["covered"]) == (2843, 1)
            assert coverage_summary(session)["levels"][2]["covered"] == 1
        second = init_database()
        assert second["division_updates"] == [] and second["regions"] == 0
        get_engine().dispose()
