"""The in-memory matching index of one app process, rebuilt when the directory changes."""
import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from directory.institutions.models import Institution, InstitutionStatus
from directory.matching.revision import current_revision
from directory.regions.models import Region
from matching.geography import Division, Geography
from matching.name_search import NameIndex
from matching.normalize import normalize_text
from matching.ranking import Provider, ProviderIndex


@dataclass(frozen=True)
class MatchingIndex:
    """Everything a match or a name search reads, built from one revision of the directory."""

    revision: int
    geography: Geography
    providers: ProviderIndex
    names: NameIndex          # every institution, whatever its status (the directory lists all)
    folded_names: tuple[tuple[int, str], ...]   # (id, normalised name), for literal containment


def build_matching_index(session: Session) -> MatchingIndex:
    """Read divisions and institutions and build the index."""
    revision = current_revision(session)
    geography = Geography([
        Division(r.code, r.name, r.level.value, r.parent_code, r.longitude, r.latitude)
        for r in session.scalars(select(Region))])
    institutions = list(session.scalars(select(Institution)))
    providers = [
        Provider(id=i.id, name=i.name, level=i.level.value, region_code=i.region_code,
                 services=frozenset(i.services), text=normalize_text(f"{i.name} {i.description or ''}"))
        for i in institutions if i.status == InstitutionStatus.active]
    return MatchingIndex(revision=revision, geography=geography,
                         providers=ProviderIndex(providers, geography),
                         names=NameIndex((i.id, i.name) for i in institutions),
                         folded_names=tuple((i.id, normalize_text(i.name)) for i in institutions))


class IndexHolder:
    """Keeps one process's index and rebuilds it when the database's revision moves on."""

    def __init__(self):
        self._index: MatchingIndex | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> MatchingIndex:
        """The index for the directory as committed now (at most one rebuild at a time)."""
        revision = current_revision(session)
        index = self._index
        if index is not None and index.revision == revision:
            return index
        with self._lock:
            if self._index is None or self._index.revision != revision:
                self._index = build_matching_index(session)
            return self._index
