"""What an administrator sees on the web import page when a file passes a limit or holds many problems."""
import pytest
from admin_forms import log_in, post_upload

from spreadsheet_files import far_corner_xlsx

pytestmark = pytest.mark.usefixtures("upload_folder")


def check_file(client, data: bytes, filename: str, lang: str = "zh"):
    return post_upload(client, data, filename, form_page=f"/admin/import?lang={lang}")


def test_a_file_past_the_memory_limit_is_one_line_in_the_administrators_language(client, make_admin):
    make_admin()
    log_in(client)
    page = check_file(client, far_corner_xlsx(), "名录.xlsx").get_data(as_text=True)
    assert "读取该表格需要超过 1024 MB 内存" in page and 'data-rejected="1"' in page
    page = check_file(client, far_corner_xlsx(), "list.xlsx", lang="en").get_data(as_text=True)
    assert "Reading the sheet would need more than 1024 MB of memory" in page


def test_many_problems_are_listed_up_to_the_first_hundred_with_their_total(client, make_admin):
    make_admin()
    log_in(client)
    text = "name,level,region_code,services\n" + "甲中心,galactic,320583,policy\n" * 300
    page = check_file(client, text.encode(), "bad.csv").get_data(as_text=True)
    assert 'data-rejected="300"' in page and page.count('data-field="level"><td>') == 100
    assert "只列出前 100 处问题，共 300 处。" in page
