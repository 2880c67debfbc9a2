"""flask --app wsgi create-admin --role | admin list | set-password | deactivate | activate | set-role."""
import pytest
from sqlalchemy import select

from directory.auth.models import Administrator
from directory.database import write_session

PASSWORD = "a-long-password"


def role_of(app, username):
    with app.app_context(), write_session() as session:
        return session.scalar(select(Administrator.role).where(Administrator.username == username))


def token_status(client, username, password=PASSWORD) -> int:
    return client.post("/api/v1/auth/token", json={"username": username, "password": password}).status_code


@pytest.mark.parametrize("args,role", [([], "manager"), (["--region", "320500"], "editor"),
                                       (["--role", "editor"], "editor"),
                                       (["--region", "320500", "--role", "manager"], "manager")])
def test_create_admin_role_defaults_by_scope(app, runner, args, role):
    result = runner.invoke(args=["create-admin", "carol", "--password", PASSWORD, *args])
    assert result.exit_code == 0, result.output
    assert f"({role})" in result.output
    assert role_of(app, "carol") == role


def test_create_admin_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["create-admin", "carol", "--password", PASSWORD, "--role", "owner"])
    assert result.exit_code != 0 and "owner" in result.output


def test_seed_makes_admin_a_national_manager(app, runner, monkeypatch):
    monkeypatch.setenv("SME_ADMIN_PASSWORD", "chosen-by-operator")
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert role_of(app, "admin") == "manager"


def test_admin_list_set_role_deactivate_activate_and_set_password(app, runner, client):
    runner.invoke(args=["create-admin", "carol", "--password", PASSWORD, "--region", "320500"])
    runner.invoke(args=["create-admin", "dave", "--password", PASSWORD])
    listing = runner.invoke(args=["admin", "list"])
    assert listing.exit_code == 0
    assert listing.output.splitlines() == ["carol\teditor\t320500\tactive", "dave\tmanager\tnational\tactive"]

    assert runner.invoke(args=["admin", "set-role", "carol", "manager"]).exit_code == 0
    assert role_of(app, "carol") == "manager"

    assert runner.invoke(args=["admin", "deactivate", "carol"]).exit_code == 0
    assert token_status(client, "carol") == 401
    assert "carol\tmanager\t320500\tinactive" in runner.invoke(args=["admin", "list"]).output
    assert runner.invoke(args=["admin", "activate", "carol"]).exit_code == 0
    assert token_status(client, "carol") == 200

    changed = runner.invoke(args=["admin", "set-password", "carol", "--password", "a-fresh-password"])
    assert changed.exit_code == 0, changed.output
    assert token_status(client, "carol") == 401 and token_status(client, "carol", "a-fresh-password") == 200
    prompted = runner.invoke(args=["admin", "set-password", "dave"], input="prompted-password\nprompted-password\n")
    assert prompted.exit_code == 0 and token_status(client, "dave", "prompted-password") == 200


@pytest.mark.parametrize("args,message", [(["admin", "deactivate", "nobody"], "No administrator nobody"),
                                          (["admin", "set-role", "nobody", "editor"], "No administrator nobody"),
                                          (["admin", "set-password", "carol", "--password", "short"],
                                           "at least 10 characters")])
def test_admin_commands_report_errors(runner, args, message):
    runner.invoke(args=["create-admin", "carol", "--password", PASSWORD])
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and message in result.output
