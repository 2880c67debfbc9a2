"""Names of request and assignment states and timeline actions, in the visitor's language."""
from flask_babel import lazy_gettext as _

REQUEST_STATUS = {"open": _("待受理"), "in_progress": _("办理中"), "resolved": _("已办结"), "closed": _("已完成"),
                  "unserved": _("无机构承接")}
ASSIGNMENT_STATUS = {"offered": _("待受理"), "accepted": _("已受理"), "declined": _("已拒绝"), "forwarded": _("已转交"),
                     "resolved": _("已办结"), "expired": _("超时上移")}
OUTCOME = {"resolved": _("已解决"), "partly": _("部分解决"), "not_resolved": _("未解决")}
ACTION = {"submitted": _("企业提交请求"), "offered_chosen": _("转给企业选定的机构"),
          "offered_default": _("转给就近提供该服务的机构"), "offered_forwarded": _("由其他机构转交"),
          "offered_escalated": _("超时未受理，上移至上一级机构"), "accept": _("机构已受理并联系企业"),
          "decline": _("机构拒绝"), "forward": _("机构转交"), "resolve": _("机构办结"), "expired": _("受理超时"),
          "unserved": _("上级已无机构提供该服务"), "rated": _("企业评价"), "reopened": _("企业申请重办"),
          "erased": _("联系方式已按期删除")}


def _label(table):
    def label(code) -> str:
        return str(table.get(str(code), code)) if code else ""
    return label


request_status_label = _label(REQUEST_STATUS)
assignment_status_label = _label(ASSIGNMENT_STATUS)
outcome_label = _label(OUTCOME)
action_label = _label(ACTION)
FILTERS = {"service_request_status_label": request_status_label, "assignment_status_label": assignment_status_label,
           "service_outcome_label": outcome_label, "request_action_label": action_label}
