"""Every table, imported in one place so metadata (and Alembic) sees them all."""
from directory.auth.models import Administrator, ApiToken
from directory.categories.models import ServiceCategory
from directory.institutions.models import Institution, InstitutionService
from directory.matching.revision import DirectoryRevision
from directory.regions.models import Region

__all__ = ["Administrator", "ApiToken", "DirectoryRevision", "Institution", "InstitutionService", "Region",
           "ServiceCategory"]
