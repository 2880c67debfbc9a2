"""The in-memory matching index of one app process, rebuilt when the directory changes."""
import gc
import logging
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from directory.categories.service import list_categories
from directory.database import get_engine
from directory.institutions.models import Institution, InstitutionService, InstitutionStatus
from directory.institutions.schemas import InstitutionSchema
from directory.institutions.service import describe_institutions
from directory.matching.revision import current_revision
from directory.regions.models import Region
from matching.geography import Division, Geography
from matching.classify import lexicon_terms_in
from matching.name_search import NameIndex
from matching.normalize import normalize_text
from matching.ranking import Provider, ProviderIndex, service_set

log = logging.getLogger(__name__)


DESCRIBED_CACHE_SIZE = 5000
INSTITUTION_SCHEMA = InstitutionSchema()


@dataclass(frozen=True)
class MatchingIndex:
    """Everything a match or a name search reads, built from one revision of the directory."""

    revision: int
    geography: Geography
    providers: ProviderIndex
    names: NameIndex          # every institution, whatever its status (the directory lists all)
    folded_names: tuple[tuple[int, str], ...]   # (id, normalised name), for literal containment
    category_names: dict[str, dict[str, str]]   # language -> code -> name
    # Described institutions of this revision: the same few hundred providers answer most matches.
    _described: dict[int, dict] = field(default_factory=dict, compare=False, repr=False)

    def describe(self, session: Session, ids: list[int]) -> dict[int, dict]:
        """Institutions dumped as the API shows them, from the cache or, once, from the database."""
        missing = [iid for iid in ids if iid not in self._described]
        if missing:
            if len(self._described) > DESCRIBED_CACHE_SIZE:
                self._described.clear()
            found = session.scalars(select(Institution).where(Institution.id.in_(missing)))
            for row in INSTITUTION_SCHEMA.dump(describe_institutions(session, list(found)), many=True):
                self._described[row["id"]] = row
        return {iid: self._described[iid] for iid in ids if iid in self._described}


def build_matching_index(session: Session) -> MatchingIndex:
    """Read divisions and institutions (plain rows, no ORM objects) and build the index."""
    revision = current_revision(session)
    geography = Geography([
        Division(code, name, level.value, parent, lon, lat, retired_on is not None)
        for code, name, level, parent, lon, lat, retired_on
        in session.execute(select(Region.code, Region.name, Region.level, Region.parent_code,
                                  Region.longitude, Region.latitude, Region.retired_on))])
    services: dict[int, list[str]] = {}
    for institution_id, code in session.execute(
            select(InstitutionService.institution_id, InstitutionService.category_code)):
        services.setdefault(institution_id, []).append(code)
    rows = session.execute(select(Institution.id, Institution.name, Institution.level, Institution.region_code,
                                  Institution.status, Institution.description)).all()
    providers = [
        Provider(id=iid, name=name, level=level.value, region_code=region_code,
                 services=service_set(tuple(sorted(services.get(iid, ())))),
                 terms=lexicon_terms_in(description or ""))
        for iid, name, level, region_code, status, description in rows if status == InstitutionStatus.active]
    categories = list_categories(session)
    return MatchingIndex(revision=revision, geography=geography,
                         category_names={"zh": {c.code: c.name_zh for c in categories},
                                         "en": {c.code: c.name_en for c in categories}},
                         providers=ProviderIndex(providers, geography),
                         names=NameIndex((iid, name) for iid, name, *_ in rows),
                         folded_names=tuple((iid, _folded(name)) for iid, name, *_ in rows))


def _folded(name: str) -> str:
    """The name folded for literal search, sharing the original string when folding changes nothing."""
    folded = normalize_text(name)
    return name if folded == name else folded


class IndexHolder:
    """Keeps one process's index and rebuilds it when the database's revision moves on.

    With ``refresh_seconds`` 0 a request that sees a newer revision waits for the rebuild (the
    index is always current: tests, single-process use). Otherwise a stale index keeps answering
    while one background thread rebuilds it, at most once per ``refresh_seconds``: a change made
    through any process shows in every process's results within ``refresh_seconds`` plus one
    rebuild (~0.5 s on the sample network), and a stream of writes never stalls searches.
    """

    def __init__(self, refresh_seconds: float = 0):
        self._index: MatchingIndex | None = None
        self._lock = threading.Lock()
        self._refresh_seconds = refresh_seconds
        self._rebuilding = False
        self._last_start = 0.0

    def get(self, session: Session) -> MatchingIndex:
        """The index for the directory as committed now, or (background refresh) at most a bound behind."""
        revision = current_revision(session)
        index = self._index
        if index is not None and index.revision == revision:
            return index
        if index is None or not self._refresh_seconds:
            with self._lock:
                if self._index is None or self._index.revision != revision:
                    self._install(build_matching_index(session))
                return self._index
        self._refresh_in_background(get_engine())   # the plain engine: a rebuild only reads
        return index

    def _install(self, index: MatchingIndex) -> None:
        self._index = index
        # The index is immutable: keep the cyclic collector from walking its hundreds of
        # thousands of objects on every full collection (pauses of ~0.3 s at 200,000).
        gc.freeze()

    def _refresh_in_background(self, engine) -> None:
        with self._lock:
            if self._rebuilding or time.monotonic() - self._last_start < self._refresh_seconds:
                return
            self._rebuilding, self._last_start = True, time.monotonic()
        threading.Thread(target=self._rebuild, args=(engine,), name="matching-index", daemon=True).start()

    def _rebuild(self, engine) -> None:
        try:
            with Session(engine) as session:
                index = build_matching_index(session)
            with self._lock:
                if self._index is None or index.revision >= self._index.revision:
                    self._install(index)
        except Exception:  # a failed refresh keeps the old index; the next request tries again
            log.warning("Matching index refresh failed", exc_info=True)
        finally:
            with self._lock:
                self._rebuilding = False
