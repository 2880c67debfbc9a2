"""What an administrator sees on the web import page when a file passes a limit or holds many problems."""
import io
import sys
from pathlib import Path

import pytest

from spreadsheet_files import far_corner_xlsx

sys.path.insert(0, str(Path(__file__).parent.parent / "pages"))
from html_reading import csrf_token_in  # noqa: E402  (the pages tests' helper)


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path):
    app.config["IMPORT_UPLOAD_DIR"] = str(tmp_path)
    return tmp_path


def check_file(client, data: bytes, filename: str, lang: str = "zh"):
    token = csrf_token_in(client.get(f"/admin/import?lang={lang}").get_data(as_text=True))
    return client.post("/admin/import", data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def login(client):
    token = csrf_token_in(client.get("/admin/login").get_data(as_text=True))
    client.post("/admin/login", data={"username": "national", "password": "correct-horse-battery",
                                      "csrf_token": token})


def test_a_file_past_the_memory_limit_is_one_line_in_the_administrators_language(client, make_admin):
    make_admin()
    login(client)
    page = check_file(client, far_corner_xlsx(), "名录.xlsx").get_data(as_text=True)
    assert "读取该表格需要超过 1024 MB 内存" in page and 'data-rejected="1"' in page
    page = check_file(client, far_corner_xlsx(), "list.xlsx", lang="en").get_data(as_text=True)
    assert "Reading the sheet would need more than 1024 MB of memory" in page


def test_many_problems_are_listed_up_to_the_first_hundred_with_their_total(client, make_admin):
    make_admin()
    login(client)
    text = "name,level,region_code,services\n" + "甲中心,galactic,320583,policy\n" * 300
    page = check_file(client, text.encode(), "bad.csv").get_data(as_text=True)
    assert 'data-rejected="300"' in page and page.count('data-field="level"><td>') == 100
    assert "只列出前 100 处问题，共 300 处。" in page
