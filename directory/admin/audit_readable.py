"""Audit entries as a person reads them: field names, values and actions in the user's language,
division and category names for codes, times in China Standard Time."""
from datetime import datetime

from flask_babel import lazy_gettext as _
from sqlmodel import Session

from directory.categories.service import list_categories
from directory.labels import category_name, china_time, level_label, status_label
from directory.regions.service import get_region

FIELD_LABELS = {
    "name": _("名称"), "level": _("层级"), "region_code": _("所在地区"), "services": _("服务类别"),
    "description": _("简介"), "address": _("地址"), "phone": _("电话"), "email": _("电子邮箱"),
    "website": _("网址"), "status": _("状态"), "demonstration_platform": _("国家示范平台"),
    "verified_at": _("核实时间"), "verified_by": _("核实人"), "merged_into_id": _("合并到机构编号"),
    "closed_at": _("关闭时间"), "operator": _("运营单位"), "designations": _("认定"),
}
ACTION_LABELS = {
    "create": _("新建"), "update": _("修改"), "close": _("关闭"), "reopen": _("重新启用"),
    "cancel": _("取消"), "delete": _("删除"), "restore": _("恢复旧版本"), "merge": _("合并"),
    "login_failed": _("登录失败"), "forbidden": _("越权访问被拒绝"),
}
ENTITY_LABELS = {
    "institution": _("机构"), "event": _("对接活动"), "administrator": _("管理员账号"),
    "token": _("接口令牌"), "auth": _("登录"), "request": _("访问"),
}
TIME_FIELDS = ("verified_at", "closed_at", "created_at", "updated_at")


def field_label(field: str) -> str:
    """A field's name in the user's language (the key itself when none is known)."""
    return str(FIELD_LABELS.get(field, field))


def action_label(action: str) -> str:
    """What was done, in the user's language."""
    return str(ACTION_LABELS.get(action, action))


def entity_label(entity: str) -> str:
    """What kind of record, in the user's language."""
    return str(ENTITY_LABELS.get(entity, entity))


class ValueReader:
    """Renders stored values for people; looks divisions and categories up once per page."""

    def __init__(self, session: Session):
        self._session = session
        self._categories = None
        self._regions: dict[str, str] = {}

    def __call__(self, field: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return str(_("是") if value else _("否"))
        if field == "designations":
            return "；".join(str(line) for line in value)
        if field == "services":
            return "、".join(self._category(code) for code in value)
        if field == "level":
            return level_label(value)
        if field == "status":
            try:
                return status_label(value)
            except ValueError:
                return str(value)
        if field == "region_code":
            return self._region(value)
        if field in TIME_FIELDS and isinstance(value, str):
            try:
                return china_time(datetime.fromisoformat(value)) + " " + str(_("北京时间"))
            except ValueError:
                return value
        return str(value)

    def _category(self, code: str) -> str:
        if self._categories is None:
            self._categories = {c.code: c for c in list_categories(self._session)}
        category = self._categories.get(code)
        return code if category is None else category_name(category)

    def _region(self, code: str) -> str:
        if code not in self._regions:
            region = get_region(self._session, code)
            self._regions[code] = f"{region.name}（{code}）" if region else code
        return self._regions[code]
