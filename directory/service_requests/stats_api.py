"""/api/v1/stats/service: the three rates of service requests (docs/contract.md "Service requests")."""
from datetime import datetime, time, timedelta

from directory.database import get_session
from directory.regions.service import get_region
from directory.service_requests.api import ServiceRequestBlueprint, unprocessable
from directory.service_requests.schemas import ServiceStatsSchema, StatsQuerySchema
from directory.service_requests.service import RequestInvalid
from directory.service_requests.stats import service_stats
from directory.timestamps import SHANGHAI, utcnow

blp = ServiceRequestBlueprint("service_stats", __name__, url_prefix="/api/v1/stats",
                                description="The three rates of service requests / 服务请求统计")


@blp.route("/service")
@blp.arguments(StatsQuerySchema, location="query")
@blp.response(200, ServiceStatsSchema)
@blp.alt_response(422, description="Unknown division, or a day in the future")
def service_figures(query):
    """Requests, response, resolution and satisfaction rates, hours to accept and escalations, nationally or in
    a division and below, today or at the end of ``as_of``; by level and by province. No contact details."""
    session = get_session()
    region_code = query.get("region_code")
    if region_code and get_region(session, region_code) is None:
        unprocessable(RequestInvalid({"region_code": [f"Unknown region code {region_code}."]}))
    as_of = query.get("as_of")
    if as_of and as_of > utcnow().astimezone(SHANGHAI).date():
        unprocessable(RequestInvalid({"as_of": ["as_of cannot be in the future."]}))
    moment = datetime.combine(as_of + timedelta(days=1), time(), SHANGHAI) if as_of else None
    return service_stats(session, region_code=region_code, moment=moment)
