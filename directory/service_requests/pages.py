"""Web pages of service requests: the SME's private tracking page."""
from flask import Blueprint, abort, render_template
from flask_babel import gettext as _

from directory.database import get_session
from directory.service_requests import labels, service
from directory.service_requests.api import describe_tracked

blp = Blueprint("service_request_pages", __name__)
for _name, _filter in labels.FILTERS.items():
    blp.add_app_template_filter(_filter, _name)


@blp.get("/service-requests/track/<string(length=43):token>")
def track(token: str):
    """The SME's own page: who has its request, since when, what they said."""
    session = get_session()
    request = service.request_by_token(session, token)
    if request is None:
        abort(404, description=_("找不到该服务请求，请检查链接是否完整。"))
    return render_template("service_requests/track.html", request=describe_tracked(session, request), token=token)
