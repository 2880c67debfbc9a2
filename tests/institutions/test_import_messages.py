"""Chinese for the schema's and the rules' English messages, as the import report gives them."""
import pytest

from directory.institutions.import_messages import chinese_message


@pytest.mark.parametrize("field, message, chinese", [
    ("email", "Not a valid email address.", "不是有效的电子邮箱地址。"),
    ("services", "Missing data for required field.", "服务内容不能为空。"),
    ("name", "Longer than maximum length 200.", "名称太长（最多 200 个字）。"),
    ("region_code", "太仓市 (320585) is a county; a provincial institution must be placed in a province.",
     "太仓市（320585）是县级行政区；省级机构须位于省级行政区。"),
    ("region_code", "A national institution has no region code.", "国家级机构不应填写所在地区。"),
    ("services", "Unknown service category: {x}.", "未知的服务类别：{x}。"),     # braces from the file stay text
    ("level", "Something new.", "层级：Something new."),
])
def test_messages_have_chinese(field, message, chinese):
    assert chinese_message(field, message) == chinese
