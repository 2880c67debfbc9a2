import pytest


def test_token_for_good_credentials(client, make_admin):
    make_admin("alice", password="a-long-password")
    response = client.post("/api/v1/auth/token", json={"username": "alice", "password": "a-long-password"})
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "bearer" and body["expires_in"] > 0 and len(body["access_token"]) >= 32


@pytest.mark.parametrize("username,password", [("alice", "wrong-password"), ("nobody", "a-long-password")])
def test_wrong_credentials_are_401(client, make_admin, username, password):
    make_admin("alice", password="a-long-password")
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 401
    assert response.json["message"] == "Wrong username or password."


def test_missing_fields_are_422(client):
    response = client.post("/api/v1/auth/token", json={"username": "alice"})
    assert response.status_code == 422 and "password" in response.json["errors"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic YWxpY2U6eA=="])
def test_writes_without_a_valid_token_are_401(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/v1/institutions", json={}, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_issued_token_authorises_a_write(client, make_admin):
    make_admin("alice", password="a-long-password")
    token = client.post("/api/v1/auth/token",
                        json={"username": "alice", "password": "a-long-password"}).json["access_token"]
    response = client.post("/api/v1/institutions", headers={"Authorization": f"Bearer {token}"},
                           json={"name": "国家测试中心", "level": "national", "services": ["policy"]})
    assert response.status_code == 201


def test_openapi_declares_bearer_security_on_writes(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/institutions"]["post"]["security"] == [{"bearerAuth": []}]
    assert "security" not in spec["paths"]["/api/v1/institutions"]["get"]
