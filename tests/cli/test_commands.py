"""flask --app wsgi init-db | seed | create-admin (import-institutions: see test_import_cli.py)."""
import pytest


def token_for(client, username, password):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def institution_total(client) -> int:
    import json
    return json.loads(client.get("/api/v1/institutions").headers["X-Pagination"])["total"]


def test_init_db_is_idempotent_and_loads_no_institutions(runner, client):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "0 divisions and 0 categories written" in result.output  # already current
    assert institution_total(client) == 0


def test_seed_loads_the_sample_network_once_and_prints_a_generated_password(runner, client, monkeypatch):
    monkeypatch.delenv("SME_ADMIN_PASSWORD", raising=False)
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "1780 institutions added" in first.output
    password = first.output.split("created with password: ")[1].split()[0]
    assert token_for(client, "admin", password).status_code == 200

    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0 and "nothing added" in second.output
    assert password not in second.output and "created with password" not in second.output
    # A lost password: seed says the account exists and how to set a new one.
    assert "already exists" in second.output and "flask --app wsgi admin set-password admin" in second.output
    changed = runner.invoke(args=["admin", "set-password", "admin", "--password", "Lotus-Pond-Lantern-42"])
    assert changed.exit_code == 0 and "/admin/login" in changed.output
    assert token_for(client, "admin", "Lotus-Pond-Lantern-42").status_code == 200
    assert token_for(client, "admin", password).status_code == 401
    assert institution_total(client) == 1780


def test_seed_uses_sme_admin_password(runner, client, monkeypatch):
    monkeypatch.setenv("SME_ADMIN_PASSWORD", "chosen-by-operator")
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and "chosen-by-operator" not in result.output
    assert token_for(client, "admin", "chosen-by-operator").status_code == 200


def test_create_admin_with_region_scope(runner, client):
    result = runner.invoke(args=["create-admin", "suzhou", "--password", "suzhou-secret-1", "--region", "320500"])
    assert result.exit_code == 0 and "320500" in result.output
    token = token_for(client, "suzhou", "suzhou-secret-1").json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    inside = {"name": "昆山市中小企业服务中心", "level": "county", "region_code": "320583", "services": ["policy"]}
    outside = inside | {"name": "南京市鼓楼区中小企业服务中心", "region_code": "320106"}
    assert client.post("/api/v1/institutions", json=inside, headers=headers).status_code == 201
    assert client.post("/api/v1/institutions", json=outside, headers=headers).status_code == 403


def test_create_admin_without_region_is_national(runner, client):
    assert runner.invoke(args=["create-admin", "nation", "--password", "national-secret"]).exit_code == 0
    token = token_for(client, "nation", "national-secret").json["access_token"]
    body = {"name": "国家中小企业服务中心", "level": "national", "services": ["policy"]}
    assert client.post("/api/v1/institutions", json=body,
                       headers={"Authorization": f"Bearer {token}"}).status_code == 201


@pytest.mark.parametrize("args,message", [
    (["create-admin", "shorty", "--password", "short"], "at least 10 characters"),
    (["create-admin", "bad name!", "--password", "long-enough-pw"], "Username"),
    (["create-admin", "scoped", "--password", "long-enough-pw", "--region", "999999"], "Unknown region code"),
])
def test_create_admin_refuses_bad_input(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and message in result.output


def test_create_admin_refuses_a_duplicate(runner):
    assert runner.invoke(args=["create-admin", "twice", "--password", "long-enough-pw"]).exit_code == 0
    result = runner.invoke(args=["create-admin", "twice", "--password", "another-long-pw"])
    assert result.exit_code != 0 and "already exists" in result.output
