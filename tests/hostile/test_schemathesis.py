"""Schemathesis against /api/v1/openapi.json: every operation, valid and invalid data, with and without a token.

For each operation the test draws requests from the OpenAPI document, positive (data the
schema allows) and negative (data it forbids), sends them anonymously and as a national
administrator, and applies every schemathesis check: no 5xx, documented status codes,
content types and headers, responses matching their schema, and invalid input rejected.

Two false positives are set aside, each narrowly. First, ``negative_data_rejection`` is not
applied to a case whose only "invalid" part is an undocumented query parameter (such as
``?=false``): unknown query parameters are ignored, as HTTP APIs and bookmarked page URLs
expect; nor to an authenticated case of an operation with nothing else to make invalid; nor
to a case whose "invalid" query value is an empty list (``page_size=[]``): an empty list adds
nothing to the URL, so the request actually sent is a valid one (``?page=55``) and a 200 is right.
Which of these schemathesis draws varies between runs (its choices depend on set order, so on
``PYTHONHASHSEED``), which is why each is excluded by what the case is, never by its operation.
Second: the ``X-Pagination`` header is documented as what it is, a string holding JSON text, so
schemathesis checks it like any header; its content is checked here as well: a JSON object of
integers (``total``, ``total_pages``, ...).

It runs on SQLite only: the checks are about the HTTP contract, not the database engine (the
rest of the suite covers PostgreSQL), and running it twice would double its CI time. The
number of examples per operation keeps the whole file near one minute;
KNOWN_NEGATIVE_FAILURES lists what still fails, with the reason.
"""
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import DataGenerationMethod, GenerationConfig
from schemathesis.checks import ALL_CHECKS

from directory import create_app

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
MAX_EXAMPLES = 10
SCHEMA_URL = "/api/v1/openapi.json"
# ignored_auth: a secured operation answering 2xx without credentials; only meaningful
# anonymously (with a token every 2xx is expected), so it is applied to anonymous calls only.
CHECKS_WITH_TOKEN = tuple(c for c in ALL_CHECKS if c.__name__ != "ignored_auth")

# Negative-mode runs that fail today, each for a stated reason; xfail (not strict) so they still
# run, report, and start passing once fixed. Positive runs have no exclusions.
KNOWN_NEGATIVE_FAILURES = {
    "GET /api/v1/regions/{code}": "schemathesis cannot draw a negative value for a free-text path "
                                  "parameter (Unsatisfiable): tool limitation",
    "POST /api/v1/institutions/import": "schemathesis sends a non-object multipart body that werkzeug's "
                                        "test client cannot encode: tool limitation",
    "GET /hsds/": "no parameter, body or security to make invalid, so nothing negative to draw "
                  "(Unsatisfiable): tool limitation",
    **{f"GET /hsds/{kind}/{{{name}}}": "schemathesis cannot draw a negative value for a UUID path parameter "
                                       "(Unsatisfiable): tool limitation"
       for kind, name in (("services", "service_id"), ("service_at_locations", "link_id"),
                          ("organizations", "organization_id"), ("taxonomies", "taxonomy_id"),
                          ("taxonomy_terms", "term_id"))},
    "POST /api/v1/match/batch": "schemathesis sends a non-object multipart body that werkzeug's "
                                "test client cannot encode: tool limitation",
}


def _operation_names() -> list[str]:
    """Operations listed in the document; the spec needs no database, so a throwaway app serves it."""
    app = create_app({"DATABASE_URL": "sqlite://", "TESTING": True})
    schema = schemathesis.from_wsgi(SCHEMA_URL, app)
    return [result.ok().verbose_name for result in schema.get_all_operations()]


def _operation(app, name: str):
    schema = schemathesis.from_wsgi(SCHEMA_URL, app)
    method, path = name.split(" ", 1)
    return schema[path][method]


def _check_pagination_header(response) -> None:
    """X-Pagination is JSON text of an object of integers (see above)."""
    raw = response.headers.get("X-Pagination")
    if raw is not None:
        metadata = json.loads(raw)
        assert isinstance(metadata, dict) and "total" in metadata, raw
        assert all(isinstance(v, int) for v in metadata.values()), raw


def _applicable(case, checks: tuple, authenticated: bool) -> tuple:
    """The checks without negative_data_rejection where it would be a false positive (see above)."""
    operation = case.operation
    documented = {parameter.name for parameter in operation.query}
    undocumented_query = bool(set(case.query or {}) - documented)
    vanishing_query = any(value == [] for value in (case.query or {}).values())
    nothing_to_negate = not (operation.query or operation.path_parameters or operation.body)
    if undocumented_query or vanishing_query or (nothing_to_negate and authenticated):
        return tuple(c for c in checks if c.__name__ != "negative_data_rejection")
    return checks


def _run(app, name: str, method: DataGenerationMethod, headers: dict | None) -> None:
    operation = _operation(app, name)
    checks = CHECKS_WITH_TOKEN if headers else ALL_CHECKS

    # With a token, schemathesis must not draw Authorization values of its own: a negative one
    # would be replaced by the valid token and then count as "accepted negative data".
    config = GenerationConfig(with_security_parameters=headers is None)

    # No shrinking: the first failing request is reported as drawn, which keeps CI time bounded.
    # Repeatable draws and no example database come from the suite's Hypothesis profile (conftest).
    @settings(max_examples=MAX_EXAMPLES, deadline=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(data_generation_method=method, generation_config=config))
    def check(case):
        response = case.call_wsgi(app=app, headers=headers)
        _check_pagination_header(response)
        case.validate_response(response, checks=_applicable(case, checks, bool(headers)))

    check()


@SQLITE_ONLY
@pytest.mark.parametrize("mode", [DataGenerationMethod.positive, DataGenerationMethod.negative],
                         ids=lambda m: m.name)
@pytest.mark.parametrize("authenticated", [False, True], ids=["anonymous", "national"])
@pytest.mark.parametrize("operation", _operation_names())
def test_operation_keeps_its_contract(request, app, make_admin, operation, mode, authenticated):
    if mode is DataGenerationMethod.negative and operation in KNOWN_NEGATIVE_FAILURES:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_NEGATIVE_FAILURES[operation], strict=False))
    headers = make_admin("hostile-national") if authenticated else None
    _run(app, operation, mode, headers)
