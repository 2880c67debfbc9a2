"""Every table, imported in one place so metadata (and Alembic) sees them all."""
from directory.audit.models import AuditEntry
from directory.auth.models import Administrator, ApiToken
from directory.categories.models import ServiceCategory
from directory.demand.models import MatchRequest, MatchRequestCategory
from directory.events.models import (EventFinancier, EventTag, Financier, FinancingEvent, Meeting, Outcome,
                                     Registration)
from directory.institutions.models import Institution, InstitutionService
from directory.matching.revision import DirectoryRevision
from directory.regions.models import DivisionEdition, Region, RegionSuccessor

__all__ = ["Administrator", "ApiToken", "AuditEntry", "DirectoryRevision", "DivisionEdition", "EventFinancier", "EventTag", "Financier",
           "FinancingEvent", "Institution", "InstitutionService", "MatchRequest", "MatchRequestCategory", "Meeting",
           "Outcome", "Region", "RegionSuccessor", "Registration", "ServiceCategory"]
