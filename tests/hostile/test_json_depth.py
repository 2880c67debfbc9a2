"""Deeply nested JSON is a 422 naming the limit on every JSON operation, never a parser's 500.

Before, 1,000+ levels hit Python's recursion limit inside the JSON parser (500) on /match,
/auth/token, /events/{id}/registrations (all anonymous), POST /events, POST /institutions, PATCH ...
"""
import re

import pytest

from directory.json_depth import MAX_JSON_DEPTH, nests_deeper_than

SAMPLE_IDS = {"event_id": 1, "institution_id": 1, "registration_id": 1, "designation_id": 1}   # any other id: 1


def json_operations(client) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document that takes a JSON body, with its path's ids filled in."""
    document = client.get("/api/v1/openapi.json").json
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method == "parameters":
                continue
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                operations.append((method.upper(), re.sub(r"{(\w+)}", lambda m: str(SAMPLE_IDS.get(m.group(1), 1)), path)))
    return operations


def nested(levels: int, opening: str = "[", closing: str = "]") -> bytes:
    return (opening * levels + closing * levels).encode()


def test_the_json_operations_are_all_found(client):
    found = set(json_operations(client))
    assert {("POST", "/api/v1/match"), ("POST", "/api/v1/auth/token"), ("POST", "/api/v1/events"),
            ("POST", "/api/v1/events/1/registrations"), ("POST", "/api/v1/institutions"),
            ("PATCH", "/api/v1/institutions/1"), ("POST", "/api/v1/service-requests"),
            ("PATCH", "/api/v1/service-requests/1/assignments/1")} <= found


@pytest.mark.parametrize("levels", [33, 1_000, 100_000])
def test_deep_json_is_a_422_naming_the_limit_on_every_json_operation(client, make_admin, levels):
    headers = make_admin()
    bodies = [nested(levels), b'{"need": ' + nested(levels) + b"}",
              b'{"a":' * levels + b"1" + b"}" * levels, b"[" * levels]       # unclosed, too
    for method, path in json_operations(client):
        for body in bodies:
            response = client.open(path, method=method, data=body, content_type="application/json",
                                   headers=headers)
            assert response.status_code == 422, (method, path, response.status_code)
            assert f"{MAX_JSON_DEPTH} levels" in response.json["message"]
            assert response.json["errors"] == {"json": [f"Nested more than {MAX_JSON_DEPTH} levels deep."]}


def test_json_within_the_limit_reaches_the_schema(client):
    response = client.post("/api/v1/match", data=b'{"need": ' + nested(MAX_JSON_DEPTH - 1) + b"}",
                           content_type="application/json")
    assert response.status_code == 422
    assert "need" in response.json["errors"]       # the schema's answer, not the depth guard's


@pytest.mark.parametrize("text, deeper", [
    (b'{"need": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', False),    # brackets inside a string
    (b'{"need": "\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', False),  # after an escaped quote
    (b"[" * 32 + b"]" * 32, False),
    (b"[" * 33 + b"]" * 33, True),
    (b"[]" * 10_000, False),                                                 # many, but flat
    (b"[{" * 17 + b"}]" * 17, True),
])
def test_depth_is_measured_on_the_text(text, deeper):
    assert nests_deeper_than(text) is deeper
