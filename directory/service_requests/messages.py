"""The Chinese of service-request field errors (``errors_zh``), with this feature's own field names."""
import re

from webargs.flaskparser import FlaskParser, abort

from directory.error_messages import chinese_message
from directory.errors import flatten_validation_messages

LABELS = {
    "need": "需求说明", "region_code": "所在地区", "enterprise_name": "企业名称", "credit_code": "统一社会信用代码",
    "contact_name": "联系人", "contact_phone": "联系电话", "contact_email": "电子邮箱", "consent": "同意提供信息",
    "institution_ids": "所选机构", "action": "操作", "reason": "拒绝理由", "note": "说明",
    "to_institution_id": "转交机构", "outcome": "办理结果", "rating": "评分", "comment": "评价",
    "status": "状态", "_schema": "请求",
}
_OWN = [
    (r"^Not a valid mainland phone number", lambda m: "联系电话不是有效的大陆号码：手机号（如 13812345678）或带区号的固定电话（如 0512-65012345）。"),
    (r"^Consent is required", lambda m: "须同意把以上信息提供给所选机构，才能提交请求。"),
    (r"^Choose 1 to 3 institutions\.$", lambda m: "请选择 1 至 3 家机构。"),
    (r"^An institution is listed twice\.$", lambda m: "同一机构被选了两次。"),
    (r"^No institution with id (\d+)\.$", lambda m: f"没有编号为 {m[1]} 的机构。"),
    (r"^Institution (\d+) does not take requests now", lambda m: f"编号为 {m[1]} 的机构目前不受理请求。"),
    (r"^Institution (\d+) already has this request\.$", lambda m: f"编号为 {m[1]} 的机构已经在办理这项请求。"),
    (r"^No institution on your chain offers", lambda m: "您所在地区的服务网络中没有机构提供这项需求所需的服务，请自行选择机构。"),
    (r"^Unknown region code (\S+?)\.$", lambda m: f"未知的地区代码 {m[1]}。"),
    (r"^Required for (\w+)\.$", lambda m: "{label}为必填项。"),
    (r"^Not allowed for (\w+)\.$", lambda m: "此操作不需要{label}。"),
]
_COMPILED = [(re.compile(pattern), chinese) for pattern, chinese in _OWN]


def chinese(name: str, message: str) -> str:
    """One message in Chinese, with this feature's field label."""
    label = LABELS.get(name)
    for pattern, build in _COMPILED:
        found = pattern.match(message)
        if found:
            return build(found).replace("{label}", label or name)
    return chinese_message(name, message, label=label)


def errors_zh(errors: dict) -> dict[str, list[str]]:
    """``{field: [English]}`` as ``{field: [Chinese]}``."""
    flat = {name: messages if isinstance(messages, list) else [messages] for name, messages in errors.items()}
    return {name: [chinese(name, str(m)) for m in messages] for name, messages in flat.items()}


class ServiceRequestParser(FlaskParser):
    """webargs' parser, answering a 422 whose ``errors_zh`` names this feature's fields."""

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        abort(error_status_code or self.DEFAULT_VALIDATION_STATUS, exc=error, messages=error.messages,
              schema=schema, headers=error_headers,
              errors_zh=errors_zh(flatten_validation_messages(error.messages)))
