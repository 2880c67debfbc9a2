"""Weak passwords are refused wherever a password is set — `create-admin`, `admin set-password`,
`seed`'s SME_ADMIN_PASSWORD, the accounts page (create, reset) and one's own password — with the
reason in Chinese and English (SECURITY.md "Passwords")."""
import pytest
from admin_forms import post_form, post_login
from pages.html_reading import page_text
from sqlalchemy import func, select

from directory.auth.models import Administrator
from directory.auth.passwords import password_weakness
from directory.auth.service import authenticate, get_administrator
from directory.database import write_session
from directory.institutions.models import Institution

PASSWORD = "correct-horse-battery"
# The attack report's passwords, and others every cracker tries first.
WEAK = {
    "aaaaaaaaaa": ("one_character", "同一个字符", "one character repeated"),
    "1234567890": ("breached", "泄露密码或常用密码", "breached or common"),
    "password12": ("breached", "泄露密码或常用密码", "breached or common"),
    " " * 11: ("blank", "只由空格组成", "spaces only"),
}


@pytest.mark.parametrize(("password", "reason"), [
    ("aaaaaaaaaa", "one_character"), ("1234567890", "breached"), ("password12", "breached"),
    (" " * 11, "blank"), ("\t" * 12, "blank"), ("short", "too_short"), ("x" * 129, "too_long"),
    ("qwertyuiop", "breached"), ("woaini1314520", "breached"), ("zhangwei123", "breached"),
    ("abcdefghijklmn", "breached"), ("P@ssw0rd2024", "common"), ("mnopqrstuvwxyz", "sequence"),
    ("xkcdxkcdxkcdxkcd", "repeat"), ("zxcvbnm,./zxcvbnm", "keyboard"),
    ("kunshan-editor", "username"),
])
def test_a_weak_password_is_refused_with_its_reason(password, reason):
    assert password_weakness(password, username="kunshan-editor") == reason


@pytest.mark.parametrize("password", [PASSWORD, "鼓楼区-服务中心-2031", "plum tiger ferry window", "Tr0ub4dor&3x"])
def test_a_strong_password_is_accepted(password):
    assert password_weakness(password, username="kunshan-editor") is None


def count_administrators(app, username: str) -> int:
    with app.app_context(), write_session() as session:
        return session.scalar(select(func.count()).select_from(Administrator).where(Administrator.username == username))


@pytest.mark.parametrize("password", list(WEAK))
def test_create_admin_refuses_a_weak_password_and_says_why(app, runner, password):
    _reason, chinese, english = WEAK[password]
    result = runner.invoke(args=["create-admin", "bob", "--password", password])
    assert result.exit_code != 0
    assert chinese in result.output and english in result.output
    assert count_administrators(app, "bob") == 0


@pytest.mark.parametrize("password", list(WEAK))
def test_admin_set_password_refuses_a_weak_password(app, runner, make_admin, password):
    make_admin("bob", password=PASSWORD)
    _reason, chinese, english = WEAK[password]
    result = runner.invoke(args=["admin", "set-password", "bob", "--password", password])
    assert result.exit_code != 0 and chinese in result.output and english in result.output
    with app.app_context(), write_session() as session:
        assert authenticate(session, username="bob", password=PASSWORD) is not None   # unchanged
        assert authenticate(session, username="bob", password=password) is None


def test_seed_refuses_a_weak_admin_password_before_loading_anything(app, runner, monkeypatch):
    monkeypatch.setenv("SME_ADMIN_PASSWORD", "password12")
    result = runner.invoke(args=["seed"])
    assert result.exit_code != 0
    assert "SME_ADMIN_PASSWORD" in result.output and "breached or common" in result.output
    assert count_administrators(app, "admin") == 0
    with app.app_context(), write_session() as session:
        assert session.scalar(select(func.count()).select_from(Institution)) == 0


@pytest.mark.parametrize("password", list(WEAK))
def test_the_new_account_form_refuses_a_weak_password_in_both_languages(app, client, make_admin, password):
    _reason, chinese, english = WEAK[password]
    make_admin("boss", password=PASSWORD)
    post_login(client, "boss")
    fields = {"username": "carol", "password": password, "role": "editor", "region_code": ""}
    response = post_form(client, "/admin/accounts/new", "/admin/accounts/new", **fields)
    assert response.status_code == 422 and chinese in page_text(response.data)
    response = post_form(client, "/admin/accounts/new?lang=en", "/admin/accounts/new?lang=en", **fields)
    assert response.status_code == 422 and english in page_text(response.data)
    assert count_administrators(app, "carol") == 0


def test_a_manager_cannot_reset_an_account_to_a_weak_password(app, client, make_admin):
    make_admin("boss", password=PASSWORD)
    make_admin("dave", password=PASSWORD, role="editor")
    with app.app_context(), write_session() as session:
        dave = get_administrator(session, "dave").id
    post_login(client, "boss")
    response = post_form(client, f"/admin/accounts/{dave}/password", "/admin/accounts", password="1234567890")
    assert response.status_code == 422   # the list again, the reason beside dave's password field
    page = page_text(response.data)
    assert "dave" in page and "泄露密码或常用密码" in page
    with app.app_context(), write_session() as session:
        assert authenticate(session, username="dave", password=PASSWORD) is not None


@pytest.mark.parametrize("password", list(WEAK))
def test_ones_own_new_password_must_not_be_weak(app, client, make_admin, password):
    _reason, chinese, _english = WEAK[password]
    make_admin("erin", password=PASSWORD, role="editor")
    post_login(client, "erin")
    response = post_form(client, "/admin/password", "/admin/password", old_password=PASSWORD,
                         new_password=password, confirm=password)
    assert response.status_code == 422 and chinese in page_text(response.data)
    with app.app_context(), write_session() as session:
        assert authenticate(session, username="erin", password=PASSWORD) is not None
