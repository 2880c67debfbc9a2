"""Chinese for the English messages of the institution schema and rules, as an import reports them
(its own wording first, with the column labels; every other message through ``directory.error_messages``)."""
import re

from directory import error_messages
from directory.institutions.import_columns import column_fields

LEVEL_ZH = {"national": "国家级", "provincial": "省级", "municipal": "市级", "county": "县级"}
DIVISION_ZH = {"a province": "省级行政区", "a prefecture": "地级行政区", "a county": "县级行政区"}
_EXACT = {
    "Missing data for required field.": "{label}不能为空。",
    "Field may not be null.": "{label}不能为空。",
    "Not a valid email address.": "不是有效的电子邮箱地址。",
    "Not a valid URL.": "{label}不是有效的网址（须以 http:// 或 https:// 开头）。",
    "Not a valid boolean.": "{label}须为“是”或“否”。",
    "Not a valid string.": "{label}须为文字。",
    "Contains control characters.": "{label}含有控制字符。",
    "A national institution has no region code.": "国家级机构不应填写所在地区。",
    "At least one service category is required.": "至少需要一个服务类别。",
}
_PATTERNS = [
    (re.compile(r"^Not a valid phone number"), lambda m: "{label}不是有效的电话号码（如 0512-65012345、13812345678、400-123-4567）。"),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), lambda m: "{label}太短（至少 " + m[1] + " 个字）。"),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), lambda m: "{label}太长（最多 " + m[1] + " 个字）。"),
    (re.compile(r"^Must be one of: (.*)\.$"), lambda m: "{label}须为以下之一：" + m[1] + "（或 国家级、省级、市级、县级）。"),
    (re.compile(r"^A (\w+) institution needs a region code\.$"),
     lambda m: LEVEL_ZH.get(m[1], m[1]) + "机构需要填写所在地区。"),
    (re.compile(r"^Unknown region code (\S+)\.$"), lambda m: "未知的地区代码 " + m[1] + "。"),
    (re.compile(r"^(.+) \((\d+)\) is (a \w+); a (\w+) institution must be placed in (a \w+)\.$"),
     lambda m: f"{m[1]}（{m[2]}）是{DIVISION_ZH.get(m[3], m[3])}；{LEVEL_ZH.get(m[4], m[4])}机构须位于"
               f"{DIVISION_ZH.get(m[5], m[5])}。"),
    (re.compile(r"^Unknown service category: (.*)\.$"), lambda m: "未知的服务类别：" + m[1] + "。"),
]


def field_label(name: str) -> str:
    """The Chinese name of a field: 电子邮箱 for ``email``."""
    return column_fields().get(name, {}).get("label_zh", name)


def chinese_message(name: str, message: str) -> str:
    """The Chinese of a schema or rule message about field ``name``; the English kept when unknown."""
    label = field_label(name)
    known = error_messages.from_table(message, label, _EXACT, _PATTERNS)
    return known if known is not None else error_messages.chinese_message(name, message, label=label)
