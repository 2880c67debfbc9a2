"""Every table, imported in one place so metadata (and Alembic) sees them all."""
from directory.audit.models import AuditEntry
from directory.auth.models import Administrator, ApiToken, RateLimitCounter
from directory.categories.models import ServiceCategory
from directory.designations.models import Designation, DesignationKind
from directory.demand.models import MatchRequest, MatchRequestCategory
from directory.events.models import (EventFinancier, EventTag, Financier, FinancingEvent, Meeting, Outcome,
                                     Registration)
from directory.institutions.import_mapping import ImportColumnMapping
from directory.institutions.models import Institution, InstitutionService
from directory.institutions.revision import DirectoryChange, DirectoryRevision
from directory.outbox.models import OutboxMessage
from directory.regions.models import DivisionEdition, Region, RegionSuccessor
from directory.service_requests.models import Assignment, Feedback, RequestEvent, ServiceRequest

# Every model class imported above: Alembic and the table copier read the metadata through this module.
__all__ = sorted(name for name, value in dict(globals()).items()
                 if isinstance(value, type) and hasattr(value, "__tablename__"))
