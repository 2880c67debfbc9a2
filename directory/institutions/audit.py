"""What the audit trail keeps of an institution beyond its columns: its services and designations."""
from sqlalchemy import inspect

from directory.audit.trail import Audited, loaded_value
from directory.designations.models import Designation
from directory.institutions.models import NATIONAL_DEMO_PLATFORM, Institution
from directory.timestamps import SHANGHAI, utcnow


def designation_line(designation: Designation) -> str:
    """One designation as a line of the history: kind · batch · grantor · granted → revoked."""
    granted, revoked = designation.granted_on, designation.revoked_on
    parts = [designation.kind, designation.batch, designation.granted_by,
             f"{granted.isoformat() if granted else '?'} → {revoked.isoformat() if revoked else ''}".rstrip()]
    return " · ".join(part for part in parts if part)


def fields_now(institution: Institution) -> dict:
    """Services, designation lines and the derived flag as they are."""
    return {"services": institution.services,
            "designations": [designation_line(d) for d in institution.designations],
            "demonstration_platform": institution.demonstration_platform}


def fields_before(institution: Institution) -> tuple[dict, bool]:
    """Services, designation lines and the derived flag as they were loaded; whether the services changed."""
    state = inspect(institution)
    services = state.attrs["service_links"].history
    links = state.attrs["designations"].history
    loaded = [Designation(**{key: loaded_value(d, key) for key in ("kind", "batch", "granted_by", "granted_on",
                                                                  "revoked_on")})
              for d in [*links.unchanged, *links.deleted]]
    day = utcnow().astimezone(SHANGHAI).date()
    return ({"services": sorted(link.category_code for link in [*services.unchanged, *services.deleted]),
             "designations": [designation_line(d) for d in loaded],
             "demonstration_platform": any(d.kind == NATIONAL_DEMO_PLATFORM and d.active_on(day) for d in loaded)},
            services.has_changes())


AUDITED = Audited("institution", now=fields_now, before=fields_before)
