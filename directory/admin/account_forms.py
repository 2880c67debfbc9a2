"""The account forms of the web administration: a new account, one's own new password.

Labels and messages are lazy, so each form reads in the visitor's language; every field's problem
is reported at once, beside the field."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Optional, Regexp, ValidationError

from directory.auth.login import current_administrator_row
from directory.auth.models import AdministratorRole
from directory.auth.passwords import explain, password_weakness
from directory.auth.service import USERNAME_PATTERN, get_administrator
from directory.database import get_session
from directory.institutions.models import Institution
from directory.regions.service import get_region

ROLE_LABELS = {AdministratorRole.editor: _("编辑（机构与活动）"),
               AdministratorRole.manager: _("管理员（含账号管理）"),
               AdministratorRole.staff: _("机构工作人员（仅办理本机构的服务请求）")}


def _strip(value):
    return value.strip() if value else value


def strong_password(username: str | None, field) -> None:
    """The form's message when ``field`` holds a password ``username`` may not choose (and why)."""
    reason = password_weakness(field.data, username=username)
    if reason is not None:
        raise ValidationError(explain(reason))


def role_choices():
    """(value, label in the visitor's language) of each role."""
    return [(role.value, str(label)) for role, label in ROLE_LABELS.items()]


class NewAccountForm(FlaskForm):
    """A new administrator: name, first password, role and scope."""

    username = StringField(_("用户名"), filters=[_strip], validators=[
        InputRequired(_("请输入用户名。")),
        Regexp(USERNAME_PATTERN, message=_("用户名须为 3 至 64 个字母、数字或 _ . @ - 字符。"))])
    password = PasswordField(_("初始密码"), validators=[InputRequired(_("请输入密码。"))])
    role = SelectField(_("角色"), choices=role_choices, default=AdministratorRole.editor.value)
    region_code = StringField(_("管理范围（行政区划代码，留空为全国）"), filters=[_strip],
                              validators=[Optional(),
                                          Regexp(r"^\d{6}$", message=_("行政区划代码为 6 位数字。"))])
    institution_id = IntegerField(_("所属机构编号（仅机构工作人员填写）"), validators=[Optional()])
    email = StringField(_("电子邮箱（接收通知，可不填）"), filters=[_strip], validators=[
        Optional(), Regexp(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]+$", message=_("请输入有效的电子邮箱地址。"))])

    def validate_institution_id(self, field):
        if self.role.data == AdministratorRole.staff:
            if not field.data or get_session().get(Institution, field.data) is None:
                raise ValidationError(gettext("机构工作人员账号须填写一个存在的机构编号。"))
        elif field.data:
            raise ValidationError(gettext("只有机构工作人员账号才属于某个机构。"))

    def validate_username(self, field):
        if get_administrator(get_session(), field.data):
            raise ValidationError(gettext("该用户名已被使用。"))

    def validate_region_code(self, field):
        if field.data and get_region(get_session(), field.data) is None:
            raise ValidationError(gettext("没有这个行政区划代码。"))

    def validate_password(self, field):
        strong_password(self.username.data, field)


class ChangePasswordForm(FlaskForm):
    """One's own password: the current one, and the new one twice."""

    old_password = PasswordField(_("当前密码"), validators=[InputRequired(_("请输入当前密码。"))])
    new_password = PasswordField(_("新密码"), validators=[InputRequired(_("请输入新密码。"))])
    confirm = PasswordField(_("再次输入新密码"), validators=[
        InputRequired(_("请再次输入新密码。")), EqualTo("new_password", message=_("两次输入的新密码不一致。"))])

    def validate_new_password(self, field):
        strong_password(current_administrator_row().username, field)
