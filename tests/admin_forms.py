"""The web administration's forms as a browser fills them in: the login, the import upload, and any form
with its CSRF token."""
import io

from pages.html_reading import csrf_token_in

PASSWORD = "correct-horse-battery"   # make_admin's default


def post_login(client, username: str = "national", password: str = PASSWORD):
    """Post the login form with the CSRF token it was served with; returns the response."""
    token = csrf_token_in(client.get("/admin/login").data)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token})


def log_in(client, username: str = "national", password: str = PASSWORD) -> None:
    """Log in, checking that the login form let the administrator in (it redirects)."""
    response = post_login(client, username, password)
    assert response.status_code in (302, 303), response.status_code


def post_form(client, path: str, form_page: str, **fields):
    """POST ``fields`` to ``path`` with the CSRF token of ``form_page``."""
    token = csrf_token_in(client.get(form_page).data)
    return client.post(path, data={"csrf_token": token, **fields})


def post_upload(client, data: bytes, filename: str, path: str = "/admin/import", form_page: str = "/admin/import"):
    """Upload ``data`` as a file named ``filename`` to the web import, with the CSRF token of ``form_page``."""
    token = csrf_token_in(client.get(form_page).data)
    return client.post(path, data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")
