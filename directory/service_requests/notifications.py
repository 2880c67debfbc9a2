"""The e-mails a request's changes send, bilingual, queued in the outbox in the caller's transaction.

Each function builds one message and hands it to ``directory.outbox.queue_mail``, which adds an
outbox row to the same session, so a message exists exactly when the change that caused it is
committed. An address the outbox refuses (e.g. malformed) is logged and skipped: the request itself
never fails for want of a mail.
"""
import logging

from sqlmodel import Session

from directory.outbox import InvalidMailHeader, queue_mail
from directory.timestamps import in_shanghai

log = logging.getLogger(__name__)

STATUS_ZH = {"offered": "待受理", "accepted": "已受理", "declined": "已拒绝", "forwarded": "已转交",
             "resolved": "已办结", "expired": "已超时上移"}
OUTCOME_ZH = {"resolved": "已解决", "partly": "部分解决", "not_resolved": "未解决"}


def queue(session: Session, *, to: str | None, subject: str, body: str, kind: str) -> bool:
    """Put one message in the outbox (same transaction); False when there is no address or it is refused."""
    if not to:
        return False
    try:
        queue_mail(session, to=to, subject=subject, body=body, kind=kind)
    except InvalidMailHeader as error:   # e.g. an institution's address is malformed
        log.warning("%s mail to %r not queued: %s", kind, to, error)
        return False
    return True


def _when(moment) -> str:
    return in_shanghai(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def new_assignment_message(*, request_id: int, need: str, institution_name: str, accept_by,
                           source: str) -> tuple[str, str]:
    """Subject and body telling an institution it has a new (or forwarded, or escalated) request."""
    how_zh = {"forwarded": "（他处转交）", "escalated": "（下级机构未及时受理，上移至贵机构）",
              "reopened": "（企业对办理结果不满意，申请重办）"}.get(source, "")
    how_en = {"forwarded": " (forwarded by another institution)",
              "escalated": " (escalated: not accepted in time below)",
              "reopened": " (reopened: the business does not accept the outcome)"}.get(source, "")
    subject = f"新的服务请求 #{request_id}{how_zh} / New service request #{request_id}{how_en}"
    body = (f"{institution_name}：\n\n一家企业提出了服务需求{how_zh}：\n{need}\n\n"
            f"请在 {_when(accept_by)}（北京时间）前登录受理，并与企业联系。\n\n"
            f"A business has asked for a service{how_en}:\n{need}\n\n"
            f"Please log in and accept it by {_when(accept_by)} (China Standard Time), then contact the business.\n")
    return subject, body


def submitted_message(*, request_id: int, institution_names: list[str], tracking_url: str) -> tuple[str, str]:
    """Subject and body confirming a submission to the SME, with its private tracking link."""
    names = "、".join(institution_names)
    subject = f"已收到您的服务请求 #{request_id} / Service request #{request_id} received"
    body = (f"您的服务请求已转给：{names}。机构应在 2 个工作日内与您联系。\n"
            f"查看进度、评价或申请重办（请勿转发此链接）：{tracking_url}\n\n"
            f"Your request went to: {names}. They should contact you within 2 working days.\n"
            f"Follow it, rate it or reopen it here (do not share this link): {tracking_url}\n")
    return subject, body


def reminder_message(*, request_id: int, deadline, what: str) -> tuple[str, str]:
    """Subject and body reminding an institution of a deadline (``what``: accept or resolve)."""
    zh = "受理" if what == "accept" else "办结"
    subject = (f"提醒：服务请求 #{request_id} 须在 {_when(deadline)} 前{zh} / "
               f"Reminder: {what} request #{request_id} by {_when(deadline)}")
    body = (f"服务请求 #{request_id} 的{zh}期限是 {_when(deadline)}（北京时间），逾期将上移至上一级机构。\n\n"
            f"Request #{request_id} must be {what}ed by {_when(deadline)} (China Standard Time); "
            "after that it goes up the chain.\n")
    return subject, body


def sme_update_message(*, request_id: int, institution_name: str, status: str, note: str | None,
                       tracking_url: str | None) -> tuple[str, str]:
    """Subject and body telling the SME what happened to its request."""
    subject = f"您的服务请求 #{request_id} 有新进展 / Your service request #{request_id} has been updated"
    body = (f"{institution_name}：{STATUS_ZH.get(status, status)}\n" + (f"{note}\n" if note else "")
            + (f"\n查看进度 / Follow it here: {tracking_url}\n" if tracking_url else "")
            + f"\n{institution_name}: {status.replace('_', ' ')}\n")
    return subject, body


def escalation_message(*, request_id: int, late_institution: str, new_institution: str | None,
                       region_name: str) -> tuple[str, str]:
    """Subject and body telling administrators a request went up the chain (or found nobody)."""
    subject = f"服务请求 #{request_id} 已上移 / Service request #{request_id} escalated"
    if new_institution is None:
        subject = f"服务请求 #{request_id} 无机构承接 / Service request #{request_id} has no provider left"
    taken = (f"现由 {new_institution} 承接。" if new_institution else "上级已无提供该服务的机构，请人工处理。")
    taken_en = (f"It now lies with {new_institution}." if new_institution
                else "No provider of the service is left up the chain; please handle it yourselves.")
    body = (f"{region_name}的服务请求 #{request_id} 未被 {late_institution} 及时受理（或被拒绝）。{taken}\n\n"
            f"Service request #{request_id} in {region_name} was not accepted in time (or was declined) by "
            f"{late_institution}. {taken_en}\n")
    return subject, body
