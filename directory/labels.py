"""Names shown to people for enum values, categories and errors, in the visitor's language.

Message ids are the Chinese texts; English lives in ``directory/translations``. The lazy
``_`` keeps the labels translatable at render time and is found by ``pybabel extract``.
"""
from flask_babel import lazy_gettext as _
from werkzeug.exceptions import default_exceptions

from directory.categories.models import ServiceCategory
from directory.i18n import chosen_language
from directory.institutions.models import InstitutionLevel, InstitutionStatus
from directory.regions.models import RegionLevel
from directory.timestamps import in_shanghai
from matching import financing

LEVEL_LABELS = {
    InstitutionLevel.national: _("国家级"),
    InstitutionLevel.provincial: _("省级"),
    InstitutionLevel.municipal: _("市级"),
    InstitutionLevel.county: _("县级"),
}
STATUS_LABELS = {
    InstitutionStatus.active: _("运营中"),
    InstitutionStatus.suspended: _("暂停服务"),
    InstitutionStatus.closed: _("已关闭"),
}
REGION_LEVEL_LABELS = {
    RegionLevel.province: _("省级行政区"),
    RegionLevel.prefecture: _("地级行政区"),
    RegionLevel.county: _("县级行政区"),
}
ERROR_TITLES = {
    400: _("请求有误"),
    403: _("无权访问"),
    404: _("找不到该页面"),
    405: _("不支持该请求方式"),
    409: _("数据冲突"),
    413: _("请求内容过大"),
    422: _("提交的内容有误"),
    429: _("请求过于频繁"),
    500: _("服务器内部错误"),
    503: _("服务暂时不可用"),
}
ERROR_EXPLANATIONS = {
    400: _("请求的参数无法处理，请检查后重试。"),
    403: _("您没有访问此页面的权限。"),
    404: _("您要找的页面不存在，可能已被移动或地址有误。"),
    405: _("此地址不支持该请求方式。"),
    500: _("服务器处理请求时出错，请稍后再试。"),
    503: _("服务暂时不可用，请稍后再试。"),
}


def level_label(level) -> str:
    """The name of an institution level (``national`` → 国家级 / National)."""
    return str(LEVEL_LABELS.get(InstitutionLevel(level), level))


TIER_LABELS = {
    "county": _("本区县"),
    "municipal": _("本市"),
    "provincial": _("本省"),
    "national": _("国家级"),
    "other": _("外地"),
}


EVENT_SCOPE_LABELS = {
    "local": _("本地活动"),
    "open_to_you": _("面向您所在地区开放"),
    "province": _("省内其他地区"),
    "national": _("全国性活动"),
}


def event_scope_label(scope: str) -> str:
    """How a suggested event relates to the SME (``open_to_you`` → 面向您所在地区开放)."""
    return str(EVENT_SCOPE_LABELS.get(scope, scope))


def tier_label(tier: str) -> str:
    """Where a matched provider sits relative to the SME (``municipal`` → 本市 / Your city)."""
    return str(TIER_LABELS.get(tier, tier))


def status_label(status) -> str:
    """The name of an institution status (``active`` → 运营中 / Active)."""
    return str(STATUS_LABELS.get(InstitutionStatus(status), status))


def region_level_label(level) -> str:
    """The name of a division level (``prefecture`` → 地级行政区)."""
    return str(REGION_LEVEL_LABELS.get(RegionLevel(level), level))


def category_name(category: ServiceCategory) -> str:
    """A service category's name in the visitor's language."""
    return category.name_en if chosen_language() == "en" else category.name_zh


def designation_kind_name(kind) -> str:
    """A designation kind's name in the visitor's language: of a kind (row or counted dict) or of a
    described designation (``kind_name`` / ``kind_name_en``)."""
    get = kind.get if isinstance(kind, dict) else lambda key: getattr(kind, key, None)
    english = chosen_language() == "en"
    if get("kind_name") is not None:
        return get("kind_name_en") if english else get("kind_name")
    return get("name_en") if english else get("name_zh")


def category_description(category: ServiceCategory) -> str:
    """A service category's description in the visitor's language."""
    return category.description_en if chosen_language() == "en" else category.description_zh


def error_title(code: int) -> str:
    """A short, friendly heading for an HTTP error status."""
    return str(ERROR_TITLES.get(code, _("出错了")))


def error_message(code: int, message: str) -> str:
    """The error's message, or a translated explanation when it is Werkzeug's stock English text."""
    stock = default_exceptions.get(code)
    if code in ERROR_EXPLANATIONS and (not message or (stock and message == stock.description)):
        return str(ERROR_EXPLANATIONS[code])
    return message


EVENT_STATUS_LABELS = {
    "draft": _("筹备中"),
    "open": _("报名中"),
    "closed": _("报名截止"),
    "completed": _("已举办"),
    "cancelled": _("已取消"),
}
REGISTRATION_STATUS_LABELS = {
    "pending": _("待审核"),
    "accepted": _("已通过"),
    "declined": _("未通过"),
}
OUTCOME_LABELS = {
    "intention": _("达成意向"),
    "signed": _("签约"),
}


def event_status_label(status) -> str:
    """The name of an event status (``open`` → 报名中 / Registration open)."""
    return str(EVENT_STATUS_LABELS.get(str(status), status))


def registration_status_label(status) -> str:
    """The name of a registration status (``accepted`` → 已通过 / Accepted)."""
    return str(REGISTRATION_STATUS_LABELS.get(str(status), status))


def outcome_label(result) -> str:
    """The name of an outcome (``signed`` → 签约 / Signed)."""
    return str(OUTCOME_LABELS.get(str(result), result))


def _vocabulary_label(vocabulary):
    def label(code) -> str:
        return financing.label(vocabulary, code, chosen_language()) if code else ""
    return label


chain_label = _vocabulary_label(financing.CHAINS)
financing_type_label = _vocabulary_label(financing.FINANCING_TYPES)
financier_type_label = _vocabulary_label(financing.FINANCIER_TYPES)
size_label = _vocabulary_label(financing.ENTERPRISE_SIZES)


def yuan(amount) -> str:
    """An amount in yuan the way people read it: 5,000,000 → 500万元 / ¥5.0M."""
    if amount is None:
        return ""
    if chosen_language() == "en":
        return f"¥{amount / 1e6:,.1f}M" if amount >= 1_000_000 else f"¥{amount:,}"
    if amount >= 100_000_000:
        return f"{amount / 100_000_000:,.2f}".rstrip("0").rstrip(".") + "亿元"
    if amount >= 10_000:
        return f"{amount / 10_000:,.1f}".rstrip("0").rstrip(".") + "万元"
    return f"{amount:,}元"


def china_time(value, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """An aware time as shown in China (Asia/Shanghai), where every event takes place."""
    return in_shanghai(value).strftime(pattern) if value else ""
