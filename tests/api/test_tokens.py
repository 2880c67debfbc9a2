"""GET /api/v1/auth/tokens and DELETE /api/v1/auth/tokens/{id}; failed token requests are audited
and rate limited per address."""
import pytest
from sqlalchemy import select

from directory import create_app
from directory.audit.models import AuditEntry
from directory.database import write_session
from directory.database import get_engine

PASSWORD = "a-long-password"


def issue(client, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def bearer(client, username: str) -> dict:
    return {"Authorization": f"Bearer {issue(client, username).json['access_token']}"}


def test_the_caller_lists_its_own_tokens_without_their_values(client, make_admin):
    first = make_admin("alice", password=PASSWORD, role="editor")
    make_admin("bob", password=PASSWORD, role="editor")
    second = bearer(client, "alice")
    response = client.get("/api/v1/auth/tokens", headers=second)
    assert response.status_code == 200
    assert [set(row) for row in response.json] == [{"id", "administrator", "created_at", "expires_at",
                                                    "revoked_at"}] * 2
    assert {row["administrator"] for row in response.json} == {"alice"}
    assert all(row["revoked_at"] is None and row["expires_at"].endswith("+00:00") for row in response.json)
    assert first["Authorization"].split()[1] not in response.get_data(as_text=True)


def test_revoking_a_token_makes_it_401(client, make_admin):
    headers = make_admin("alice", password=PASSWORD, role="editor")
    other = bearer(client, "alice")
    own_ids = [row["id"] for row in client.get("/api/v1/auth/tokens", headers=other).json]
    revoked_id = min(own_ids)   # the one make_admin issued
    assert client.delete(f"/api/v1/auth/tokens/{revoked_id}", headers=other).status_code == 204
    assert client.get("/api/v1/auth/tokens", headers=headers).status_code == 401
    listed = {row["id"]: row for row in client.get("/api/v1/auth/tokens", headers=other).json}
    assert listed[revoked_id]["revoked_at"] is not None
    assert client.delete(f"/api/v1/auth/tokens/{revoked_id}", headers=other).status_code == 204   # idempotent
    assert client.delete("/api/v1/auth/tokens/999999", headers=other).json["code"] == 404


def test_managers_revoke_tokens_in_scope_and_editors_only_their_own(client, make_admin):
    manager = make_admin("suzhou-boss", region_code="320500", password=PASSWORD, role="manager")
    editor = make_admin("kunshan-editor", region_code="320583", password=PASSWORD, role="editor")
    outsider = make_admin("hangzhou-editor", region_code="330100", password=PASSWORD, role="editor")

    def token_id(headers):
        return client.get("/api/v1/auth/tokens", headers=headers).json[0]["id"]
    manager_id, editor_id, outsider_id = token_id(manager), token_id(editor), token_id(outsider)
    assert client.delete(f"/api/v1/auth/tokens/{manager_id}", headers=editor).status_code == 403
    refused = client.delete(f"/api/v1/auth/tokens/{outsider_id}", headers=manager)
    assert refused.status_code == 403 and set(refused.json) == {"code", "status", "message", "errors"}
    assert client.delete(f"/api/v1/auth/tokens/{editor_id}", headers=manager).status_code == 204
    assert client.get("/api/v1/auth/tokens", headers=editor).status_code == 401
    assert client.get("/api/v1/auth/tokens", headers=outsider).status_code == 200


def test_tokens_need_a_bearer_token(client):
    assert client.get("/api/v1/auth/tokens").status_code == 401
    assert client.delete("/api/v1/auth/tokens/1").status_code == 401


def test_a_failed_token_request_leaves_an_audit_entry(app, client, make_admin):
    make_admin("alice", password=PASSWORD)
    assert issue(client, "alice", "wrong-password!").status_code == 401
    with app.app_context(), write_session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert [(e.actor, e.entity, e.detail) for e in entries] == [("alice", "auth", "127.0.0.1")]


@pytest.fixture
def limited_client(app):
    """A client of an app with the rate limit on (the suite turns it off elsewhere)."""
    limited = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "TESTING": True, "RATELIMIT_ENABLED": True})
    yield limited.test_client()
    with limited.app_context():
        get_engine().dispose()


def test_token_requests_are_rate_limited_per_address(limited_client, make_admin):
    make_admin("alice", password=PASSWORD)
    statuses = [issue(limited_client, "alice", "wrong-password!").status_code for _ in range(10)]
    assert statuses == [401] * 10
    refused = issue(limited_client, "alice")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    body = refused.json
    assert set(body) == {"code", "status", "message", "errors"} and body["code"] == 429
    assert body["status"] == "Too Many Requests" and "retry in" in body["message"]
    assert limited_client.get("/api/v1/categories").status_code == 200   # other endpoints are not limited
