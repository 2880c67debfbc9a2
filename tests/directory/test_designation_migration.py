"""Migration 0008 on a database that holds data: today's demonstration_platform flags become active
national designations, and nothing else is lost (on SQLite the flag column is dropped in place, so
no table copy cascades to an institution's services)."""
import csv
import json
from contextlib import contextmanager

import pytest
from alembic import command
from migration_steps import migrating
from sqlalchemy import text

from directory.config import ROOT
from directory.database import create_engine_for

INSTITUTIONS = [  # id, name, flag
    (1, "国家中小企业公共服务示范平台甲", True),
    (2, "全国中小企业服务中心乙", False),
    (3, "国家中小企业公共服务示范平台丙", True),
]


@pytest.fixture
def database_url(backend, tmp_path, suite_conftest):
    """A fresh, empty database of the engine under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
    else:
        with suite_conftest.postgres_schema() as url:
            yield url


@contextmanager
def migrating_database(url: str):
    """``migrating`` on an engine of its own for ``url``, disposed afterwards."""
    engine = create_engine_for(url)
    try:
        with migrating(engine) as steps:
            yield steps
    finally:
        engine.dispose()


def test_flags_become_national_designations_and_services_survive(database_url):
    with migrating_database(database_url) as (config, conn):
        command.upgrade(config, "0006")
        conn.execute(text("INSERT INTO service_category (code, name_zh, name_en, description_zh, description_en, "
                          "position) VALUES ('policy', '政策服务', 'Policy', '政策', 'Policy', 0)"))
        for iid, name, flag in INSTITUTIONS:
            conn.execute(text(
                "INSERT INTO institution (id, name, level, status, demonstration_platform, created_at, updated_at) "
                "VALUES (:id, :name, 'national', 'active', :flag, :at, :at)"),
                {"id": iid, "name": name, "flag": flag, "at": "2024-05-01 08:00:00+00:00"})
            conn.execute(text("INSERT INTO institution_service (institution_id, category_code) VALUES (:id, 'policy')"),
                         {"id": iid})
        command.upgrade(config, "0008")
        designations = conn.execute(text(
            "SELECT institution_id, kind, granted_by, batch, granted_on, revoked_on FROM designation "
            "ORDER BY institution_id")).all()
        assert [tuple(row) for row in designations] == [
            (1, "national_demo_platform", "工业和信息化部", None, None, None),
            (3, "national_demo_platform", "工业和信息化部", None, None, None)]
        assert conn.execute(text("SELECT count(*) FROM institution_service")).scalar() == 3
        assert conn.execute(text("SELECT count(*) FROM institution WHERE operator IS NULL")).scalar() == 3
        assert conn.execute(text("SELECT count(*) FROM designation_kind")).scalar() == 4
        # And back: the flag is rebuilt from the active national designations.
        conn.execute(text("UPDATE designation SET revoked_on = '2025-01-01' WHERE institution_id = 3"))
        command.downgrade(config, "0006")
        flags = conn.execute(text("SELECT id, demonstration_platform FROM institution ORDER BY id")).all()
        assert [(iid, bool(flag)) for iid, flag in flags] == [(1, True), (2, False), (3, False)]
        assert conn.execute(text("SELECT count(*) FROM institution_service")).scalar() == 3


def test_the_sample_network_flags_match_its_designations(sample_client):
    """Seeded, every flagged sample institution holds an active national designation and no other does."""
    with open(ROOT / "seed_data" / "institutions.csv", encoding="utf-8", newline="") as handle:
        flagged = sum(row["demonstration_platform"] == "1" for row in csv.DictReader(handle))
    response = sample_client.get("/api/v1/institutions?demonstration_platform=true&page_size=1")
    assert json.loads(response.headers["X-Pagination"])["total"] == flagged
