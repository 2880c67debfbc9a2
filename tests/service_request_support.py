"""Helpers of the service-request tests: places on 姑苏区's chain, a valid submission, times in China."""
from datetime import datetime

from directory.credit_code import make_credit_code

GUSU, SUZHOU, JIANGSU, HANGZHOU = "320508", "320500", "320000", "330100"
NEED = "我们想申请银行贷款，缺少流动资金"


def submission(**changes) -> dict:
    """A valid submission from a business in 姑苏区."""
    return {"need": NEED, "region_code": GUSU, "enterprise_name": "苏州市姑苏区示例精密机械有限公司",
            "credit_code": make_credit_code("91320508MA1X2Y3W4"), "contact_name": "王经理",
            "contact_phone": "13812345678", "contact_email": "wang@example.cn", "consent": True} | changes


def shanghai(text: str) -> datetime:
    """An ISO time without offset read as Asia/Shanghai."""
    return datetime.fromisoformat(text + "+08:00")
