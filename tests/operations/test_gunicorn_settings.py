"""gunicorn.conf.py read as gunicorn reads it: no access log and no worker recycling unless asked for."""
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def settings(monkeypatch, **env: str) -> dict:
    for name in ("SME_ACCESS_LOG", "SME_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_by_default_there_is_no_access_log_and_workers_are_not_recycled(monkeypatch):
    conf = settings(monkeypatch)
    assert conf["accesslog"] is None
    assert conf["max_requests"] == 0 and conf["max_requests_jitter"] == 0


@pytest.mark.parametrize("value", ["-", "/var/log/sme/access.log"])
def test_sme_access_log_turns_the_access_log_on(monkeypatch, value):
    assert settings(monkeypatch, SME_ACCESS_LOG=value)["accesslog"] == value


def test_sme_max_requests_recycles_workers_with_a_tenth_of_jitter(monkeypatch):
    conf = settings(monkeypatch, SME_MAX_REQUESTS="20000")
    assert conf["max_requests"] == 20000 and conf["max_requests_jitter"] == 2000
