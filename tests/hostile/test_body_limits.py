"""Body limits for every transfer encoding, through the Flask test client (the real-server
counterpart is tests/security/test_real_server.py); SQLite and PostgreSQL.

A chunked body declares no length: before, Werkzeug read it up to 10 MB and stopped without
complaint, so an 11 MB chunked CSV was imported in part and an 11 MB chunked JSON was a 400.
"""
import io
import json

import pytest

LIMIT = 10 * 1024 * 1024
CHUNKED = {"Transfer-Encoding": "chunked"}


def rows_csv(count: int, padding: str = "") -> bytes:
    rows = "".join(f"分块测试服务站{n},county,320583,policy,{padding}\n" for n in range(count))
    return ("name,level,region_code,services,description\n" + rows).encode()


def institution_total(client) -> int:
    return json.loads(client.get("/api/v1/institutions").headers["X-Pagination"])["total"]


def test_a_chunked_import_over_the_limit_is_refused_and_nothing_is_imported(client, make_admin):
    body = rows_csv(LIMIT // 5000 + 300, padding="说明" * 830)      # each row valid, ~5 KB, 11+ MB in all
    assert len(body) > LIMIT + 512 * 1024
    response = client.post("/api/v1/institutions/import", input_stream=io.BytesIO(body),
                           headers=make_admin() | CHUNKED | {"Content-Type": "text/csv"})
    assert response.status_code == 413
    assert response.json["code"] == 413 and "10 MB" in response.json["message"]
    assert institution_total(client) == 0


def test_a_chunked_import_within_the_limit_is_read_whole(client, make_admin):
    response = client.post("/api/v1/institutions/import", input_stream=io.BytesIO(rows_csv(3)),
                           headers=make_admin() | CHUNKED | {"Content-Type": "text/csv"})
    assert response.status_code == 200, response.json
    assert response.json["applied"] and response.json["created"] == 3
    assert institution_total(client) == 3


@pytest.mark.parametrize("size, expected", [(LIMIT, 422), (LIMIT + 1, 413)])
def test_the_limit_is_exact_for_chunked_json(client, size, expected):
    """Exactly 10 MB is read (and refused only for its content: the need is too long); one byte more is a 413."""
    head, tail = b'{"need": "', b'"}'
    body = head + b"x" * (size - len(head) - len(tail)) + tail
    response = client.post("/api/v1/match", input_stream=io.BytesIO(body),
                           headers=CHUNKED | {"Content-Type": "application/json"})
    assert response.status_code == expected, response.json
    if expected == 422:
        assert "need" in response.json["errors"]


@pytest.mark.parametrize("method, path", [("POST", "/api/v1/match"), ("POST", "/api/v1/auth/token"),
                                          ("GET", "/api/v1/categories"), ("POST", "/events/1/register"),
                                          ("GET", "/institutions")])
def test_a_chunked_body_over_the_limit_is_a_413_before_the_view(client, method, path):
    response = client.open(path, method=method, input_stream=io.BytesIO(b"{" * (LIMIT + 1)),
                           headers=CHUNKED | {"Content-Type": "application/json"})
    assert response.status_code == 413
    if path.startswith("/api/"):
        assert response.json["code"] == 413 and response.json["errors"] == {}
    else:
        assert response.mimetype == "text/html" and "10 MB" in response.get_data(as_text=True)


def test_a_declared_length_over_the_limit_is_a_413_even_where_no_body_is_read(client):
    response = client.get("/api/v1/categories", data=b"x" * (LIMIT + 1))
    assert response.status_code == 413 and response.json["code"] == 413
