"""The API error body of docs/contract.md: its keys, and the Chinese a 422 carries beside the English."""
import re

CONTRACT_KEYS = {"code", "status", "message", "errors"}
CHINESE_KEYS = {"message_zh", "errors_zh"}
_HAN = re.compile(r"[\u4e00-\u9fff]")


def error_keys(status: int) -> set[str]:
    """The keys an error body with ``status`` has: a 422 adds ``message_zh`` and ``errors_zh``."""
    return CONTRACT_KEYS | CHINESE_KEYS if status == 422 else CONTRACT_KEYS


def assert_chinese_errors(body: dict) -> None:
    """``errors_zh`` names the same fields as ``errors``, each message in Chinese."""
    assert set(body["errors_zh"]) == set(body["errors"]), body
    assert _HAN.search(body["message_zh"]), body["message_zh"]
    for field, messages in body["errors_zh"].items():
        assert messages and all(_HAN.search(m) for m in messages), (field, messages)
