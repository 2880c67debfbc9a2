"""Limits and headers as a real gunicorn process (gunicorn.conf.py) serves them, on SQLite and PostgreSQL.

Chunked bodies (no Content-Length) past the 10 MB limit are a 413 on every route before anything is
read or imported, and a chunked body within the limit arrives whole; gunicorn's own 414/431 answers
carry the security headers; ``X-Forwarded-Proto`` from loopback gives no HSTS unless configured.
"""
import http.client
import json
from contextlib import nullcontext
from urllib.parse import urlsplit

import pytest
from load.servers import ADMIN_PASSWORD, admin_token, flask, gunicorn

LIMIT = 10 * 1024 * 1024
CHUNK = 256 * 1024
# Over 10 MB of rows that are each valid: a body cut at the limit would still read as a file.
ROW = "导入测试服务站{n},county,320583,policy,{padding}\n"
PADDING = "说明" * 900


def big_import_csv() -> bytes:
    rows, size, n = ["name,level,region_code,services,description\n"], 0, 0
    while size <= LIMIT + 1024 * 1024:
        row = ROW.format(n=n, padding=PADDING)
        rows.append(row)
        size += len(row.encode())
        n += 1
    return "".join(rows).encode()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory, suite_conftest):
    """gunicorn (2 workers) on a database with reference data and the ``admin`` account."""
    sqlite = nullcontext(f"sqlite:///{tmp_path_factory.mktemp('db') / 'real.sqlite3'}")
    with suite_conftest.postgres_schema() if request.param == "postgresql" else sqlite as url:
        flask(url, "init-db")
        flask(url, "create-admin", "admin", "--password", ADMIN_PASSWORD)
        with gunicorn(url, log_path=tmp_path_factory.mktemp("log") / "gunicorn.log") as (base, _process):
            yield base


def send(base: str, method: str, path: str, *, headers: dict | None = None, body: bytes | None = None,
         chunked: bool = False) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request over a fresh connection; ``chunked`` sends the body with Transfer-Encoding: chunked."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        headers = dict(headers or {})
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
            pieces = (body[i:i + CHUNK] for i in range(0, len(body), CHUNK))
            connection.request(method, path, body=pieces, headers=headers, encode_chunked=True)
        else:
            connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def institution_total(base: str) -> int:
    _status, headers, _body = send(base, "GET", "/api/v1/institutions")
    return json.loads(headers["X-Pagination"])["total"]


def test_a_chunked_import_over_the_limit_is_refused_whole(server):
    token = admin_token(server)
    before = institution_total(server)
    status, headers, body = send(server, "POST", "/api/v1/institutions/import", body=big_import_csv(), chunked=True,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    assert status == 413, body[:300]
    answer = json.loads(body)
    assert answer["code"] == 413 and "10 MB" in answer["message"] and answer["errors"] == {}
    assert headers["Content-Security-Policy"]
    assert institution_total(server) == before      # not one row of the cut file


def test_a_chunked_import_within_the_limit_arrives_whole(server):
    token = admin_token(server)
    csv_text = "name,level,region_code,services\n" + "".join(
        f"分块上传测试服务站{n},county,320583,policy\n" for n in range(3))
    status, _headers, body = send(server, "POST", "/api/v1/institutions/import", body=csv_text.encode(),
                                  chunked=True, headers={"Authorization": f"Bearer {token}",
                                                         "Content-Type": "text/csv"})
    assert status == 200, body[:300]
    report = json.loads(body)
    assert report["applied"] and report["created"] + report["updated"] == 3 and report["rejected"] == []


@pytest.mark.parametrize("method, path, content_type", [
    ("POST", "/api/v1/match", "application/json"),             # was 400: the cut JSON did not parse
    ("POST", "/api/v1/auth/token", "application/json"),
    ("GET", "/api/v1/categories", "application/json"),         # a route that never reads a body
    ("POST", "/admin/login", "application/x-www-form-urlencoded"),
])
def test_a_chunked_body_over_the_limit_is_a_413_on_any_route(server, method, path, content_type):
    body = b'{"need": "' + b"x" * (LIMIT + 1024 * 1024) + b'"}'
    status, headers, answer = send(server, method, path, body=body, chunked=True,
                                   headers={"Content-Type": content_type})
    assert status == 413, answer[:300]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Content-Security-Policy"]
    if path.startswith("/api/"):
        assert json.loads(answer)["code"] == 413
    else:
        assert headers["Content-Type"].startswith("text/html") and "10 MB".encode() in answer


@pytest.mark.parametrize("headers, path, expected", [
    ({}, "/institutions?q=" + "a" * 9000, 414),                      # request line over limit_request_line
    ({"X-Filler": "b" * 9000}, "/", 431),                            # one header over limit_request_field_size
    ({f"X-Filler-{n}": "c" for n in range(120)}, "/", 431),          # more headers than limit_request_fields
])
def test_gunicorns_own_error_answers_carry_the_security_headers(server, headers, path, expected):
    status, answer_headers, _body = send(server, "GET", path, headers=headers)
    assert status == expected
    assert answer_headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert answer_headers["X-Content-Type-Options"] == "nosniff"
    assert answer_headers["X-Frame-Options"] == "DENY"
    assert answer_headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_a_forwarded_https_header_from_loopback_gives_no_hsts(server):
    """gunicorn trusts no proxy unless SME_FORWARDED_ALLOW_IPS says so; the app only with SME_TRUST_PROXY=1."""
    for header in ({"X-Forwarded-Proto": "https"}, {"X-Forwarded-Ssl": "on"}, {"X-Forwarded-Protocol": "ssl"}):
        status, headers, _body = send(server, "GET", "/regions", headers=header)
        assert status == 200
        assert "Strict-Transport-Security" not in headers, header
