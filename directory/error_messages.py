"""Chinese for the English validation messages of every schema and domain rule, field by field.

The API keeps the English messages (the contract) and adds these as ``errors_zh``; pages show
them beside the field. An unknown message keeps its English after the field's Chinese label, so
a missing entry is visible (and a test in Chinese catches it) rather than silently dropped.
"""
import re

from flask import has_request_context

LEVEL_ZH = {"national": "国家级", "provincial": "省级", "municipal": "市级", "county": "县级"}
DIVISION_ZH = {"a province": "省级行政区", "a prefecture": "地级行政区", "a county": "县级行政区"}

# The Chinese name of each field the schemas of institutions, events, registrations, financiers,
# outcomes, designations and accounts report on.
FIELD_LABELS = {
    "id": "编号", "name": "名称", "operator": "运营单位", "level": "层级", "region_code": "所在地区",
    "services": "服务类别", "description": "简介", "address": "地址", "phone": "联系电话",
    "email": "电子邮箱", "website": "网址", "status": "状态", "demonstration_platform": "示范平台",
    "title": "活动名称", "organizer_id": "主办机构", "starts_at": "开始时间", "ends_at": "结束时间",
    "registration_deadline": "报名截止时间", "venue": "地点", "categories": "服务类别",
    "chains": "产业链", "financing_types": "融资类型", "capacity": "名额", "sessions": "场次",
    "slot_minutes": "洽谈时长", "financiers": "金融机构", "open_to": "开放范围",
    "enterprise_name": "企业名称", "credit_code": "统一社会信用代码", "industry": "所属行业",
    "size": "企业规模", "contact_name": "联系人", "contact_phone": "联系电话",
    "contact_email": "电子邮箱", "financing_type": "融资类型", "amount_yuan": "融资金额",
    "need": "融资需求说明", "type": "类型", "amount_min_yuan": "最低金额", "amount_max_yuan": "最高金额",
    "industries": "行业", "registration_id": "报名编号", "financier_id": "金融机构", "result": "结果",
    "note": "备注", "kind": "认定类别", "granted_on": "认定日期", "granted_by": "认定机关", "batch": "批次",
    "revoked_on": "撤销日期", "username": "用户名", "password": "密码", "role": "角色",
    "institution_id": "机构", "event": "活动", "_schema": "请求",
    "max_meetings_per_sme": "每家企业最多洽谈次数", "schedule": "日程", "into": "要保留的机构",
    "designation_kind": "认定类型", "file": "文件",
}

_EXACT = {
    "Missing data for required field.": "{label}不能为空。",
    "Field may not be null.": "{label}不能为空。",
    "Required: may not be empty.": "{label}为必填项，不能为空。",
    "May not be empty.": "{label}不能为空。",
    "Send at least one field to change; the body was empty.": "请至少提交一个要修改的字段。",
    "Unknown field.": "{label}：不认识的字段。",
    "Not a valid email address.": "{label}不是有效的电子邮箱地址。",
    "Not a valid URL.": "{label}不是有效的网址（须以 http:// 或 https:// 开头）。",
    "Not a valid boolean.": "{label}须为“是”或“否”。",
    "Not a valid string.": "{label}须为文字。",
    "Not a valid integer.": "{label}须为整数。",
    "Not a valid number.": "{label}须为数字。",
    "Not a valid list.": "{label}须为列表。",
    "Not a valid date.": "{label}不是有效的日期。",
    "Not a valid datetime.": "{label}不是有效的日期时间。",
    "Invalid input type.": "{label}的类型不正确。",
    "Invalid value.": "{label}的值无效。",
    "Contains control characters.": "{label}含有控制字符。",
    "A national institution has no region code.": "国家级机构不应填写所在地区。",
    "At least one service category is required.": "至少需要一个服务类别。",
    "Check character does not match (GB 32100); please check the code for typos.":
        "统一社会信用代码的校验位不符（GB 32100），请检查是否输错。",
    "Must be after starts_at.": "结束时间须晚于开始时间。",
    "An event lasts at most 14 days.": "活动最长 14 天。",
    "Must not be after the event ends.": "报名截止时间不能晚于活动结束时间。",
    "An event that has not started cannot be completed.": "尚未开始的活动不能标为已结束。",
    "Sessions must not overlap.": "各场次时间不能重叠。",
    "A financier is listed twice.": "同一金融机构被列出了两次。",
    "Must not be below amount_min_yuan.": "最高金额不能低于最低金额。",
    "No registration with this id at this event.": "本活动没有该编号的报名。",
    "This financier does not take part in the event.": "该金融机构未参加本活动。",
    "A signed loan or investment needs its amount.": "已签约的贷款或投资须填写金额。",
    "The date cannot be in the future.": "{label}不能晚于今天。",
    "No meeting slot fits into the event's sessions.": "活动的各场次都放不下一个洽谈时段，请缩短每场时长。",
    "No financier takes part in this event yet.": "本活动还没有金融机构参加，无法排期。",
}
_PATTERNS = [
    (r"^Not a valid phone number", lambda m: "{label}不是有效的电话号码（如 0512-65012345、13812345678、400-123-4567）。"),
    (r"^Shorter than minimum length (\d+)\.$", lambda m: "{label}太短（至少 " + m[1] + " 个字）。"),
    (r"^Longer than maximum length (\d+)\.$", lambda m: "{label}太长（最多 " + m[1] + " 个字）。"),
    (r"^Length must be between (\d+) and (\d+)\.$", lambda m: f"{{label}}的长度须在 {m[1]} 到 {m[2]} 之间。"),
    (r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$",
     lambda m: f"{{label}}须在 {m[1]} 到 {m[2]} 之间。"),
    (r"^Must be greater than or equal to (\S+)\.$", lambda m: f"{{label}}须不小于 {m[1]}。"),
    (r"^Must be less than or equal to (\S+)\.$", lambda m: f"{{label}}须不大于 {m[1]}。"),
    (r"^Must be one of: (.*)\.$", lambda m: "{label}须为以下之一：" + m[1] + "。"),
    (r"^String does not match expected pattern\.$", lambda m: "{label}的格式不正确。"),
    (r"^Must be 18 characters, got (\d+)\.$",
     lambda m: f"统一社会信用代码须为 18 位，现为 {m[1]} 位。"),
    (r"^Contains characters a credit code never has: (\S*) \(no I, O, S, V, Z\)\.$",
     lambda m: f"统一社会信用代码含有不会出现的字符：{m[1]}（不含 I、O、S、V、Z）。"),
    (r"^Unknown (?:industry|industrial chain) (.*?); one of (.*)\.$", lambda m: f"未知的行业 {m[1]}。"),
    (r"^Unknown enterprise size (.*?); one of (.*)\.$", lambda m: f"未知的企业规模 {m[1]}。"),
    (r"^Unknown financing type (.*?); one of (.*)\.$", lambda m: f"未知的融资类型 {m[1]}。"),
    (r"^Unknown financier type (.*?); one of (.*)\.$", lambda m: f"未知的金融机构类型 {m[1]}。"),
    (r"^A (\w+) institution needs a region code\.$", lambda m: LEVEL_ZH.get(m[1], m[1]) + "机构需要填写所在地区。"),
    (r"^Unknown (?:region|division) code (\S+?)\.?$", lambda m: "未知的地区代码 " + m[1] + "。"),
    (r"^(.+) \((\d+)\) is (a \w+); a (\w+) institution must be placed in (a \w+)\.$",
     lambda m: f"{m[1]}（{m[2]}）是{DIVISION_ZH.get(m[3], m[3])}；{LEVEL_ZH.get(m[4], m[4])}机构须位于"
               f"{DIVISION_ZH.get(m[5], m[5])}。"),
    (r"^(.+) \((\d+)\) was retired on (\S+); successor: (.*)\.$",
     lambda m: f"{m[1]}（{m[2]}）已于 {m[3]} 撤销，承继区划：{m[4].replace('none recorded', '无记录')}。"),
    (r"^The event would be placed where its organiser is: (.+?) Place the organising institution",
     lambda m: "活动须设在主办机构所在地，但" + chinese_message("region_code", m[1]).rstrip("。")
               + "。请先把主办机构改到现行区划。"),
    (r"^Unknown service category: (.*)\.$", lambda m: "未知的服务类别：" + m[1] + "。"),
    (r"^No institution with id (\d+)\.$", lambda m: f"没有编号为 {m[1]} 的机构。"),
    (r"^The organising institution \(id (\d+)\) is closed\.$", lambda m: f"主办机构（编号 {m[1]}）已关闭。"),
    (r"^No financier with id (.*)\.$", lambda m: f"没有编号为 {m[1]} 的金融机构。"),
    (r"^Session (\d+) must lie inside the event and end after it starts\.$",
     lambda m: f"第 {m[1]} 场须在活动时间之内，且结束晚于开始。"),
    (r"^Session (\d+) lasts (\d+) minutes, shorter than one (\d+)-minute meeting slot\.$",
     lambda m: f"第 {m[1]} 场只有 {m[2]} 分钟，不够一个 {m[3]} 分钟的洽谈时段。"),
    (r"^Confirmed meetings use (\d+)-minute slots; keep that length or cancel the confirmation first\.$",
     lambda m: f"已确认的洽谈使用 {m[1]} 分钟的时段：请保持这一时长，或先取消确认。"),
    (r"^Role must be one of (.*)\.$", lambda m: f"角色须为以下之一：{m[1]}。"),
    (r"^Username must be 3-64 letters, digits or _ \. @ -\.$", lambda m: "用户名须为 3–64 个字母、数字或 _ . @ -。"),
    (r"^Administrator (\S+) already exists\.$", lambda m: f"管理员 {m[1]} 已存在。"),
]
_COMPILED = [(re.compile(pattern), chinese) for pattern, chinese in _PATTERNS]


def field_label(name: str) -> str:
    """The Chinese name of a field: 电子邮箱 for ``email``; the name itself when unknown."""
    return FIELD_LABELS.get(name, name)


def from_table(message: str, label: str, exact: dict[str, str], patterns: list) -> str | None:
    """``message`` in Chinese from one table: its exact wording first, then the first matching
    ``(compiled pattern, chinese)``; ``{label}`` names the field. None when the table does not know it."""
    if message in exact:
        return exact[message].replace("{label}", label)
    for pattern, chinese in patterns:
        found = pattern.match(message)
        if found:
            return chinese(found).replace("{label}", label)
    return None


def chinese_message(name: str, message: str, *, label: str | None = None) -> str:
    """The Chinese of a schema or rule message about field ``name``; the English kept when unknown."""
    label = label or field_label(name)
    known = from_table(message, label, _EXACT, _COMPILED)
    if known is not None:
        return known
    if re.search(r"[\u4e00-\u9fff]", message):   # already Chinese (a page's own message)
        return message
    return f"{label}：{message}"


def chinese_errors(errors: dict) -> dict[str, list[str]]:
    """``{field: [English]}`` (nested for list items) as ``{field: [Chinese]}``."""
    return {name: [chinese_message(name, m) for m in _flat(messages)] for name, messages in (errors or {}).items()}


def chinese_summary(errors: dict) -> str:
    """The ``message_zh`` of a 422: one sentence pointing at the fields."""
    labels = "、".join(field_label(name) for name in errors if name != "_schema")
    return f"请求中有无效的字段：{labels}。" if labels else "请求无效，未作任何修改。"


def errors_for_page(errors: dict) -> dict[str, list[str]]:
    """Errors as the visitor reads them: Chinese, or the English with ``?lang=en``."""
    from directory.i18n import chosen_language

    english = has_request_context() and chosen_language() == "en"
    return {name: _flat(messages) for name, messages in errors.items()} if english else chinese_errors(errors)


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):   # list items or nested fields: their messages, flattened
        return [m for value in messages.values() for m in _flat(value)]
    if isinstance(messages, (list, tuple)):
        return [m for value in messages for m in _flat(value)]
    return [str(messages)]
