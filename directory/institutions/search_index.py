"""The in-memory matching index of one app process, kept current with the directory.

Before a request reads the index, the holder compares the index's revision with the database's
(one query) — when this machine's change signal moved since it last asked, and at least once every
``check_seconds`` (``directory.change_signal``: a changed file means another process committed a
change; the periodic look catches changes made on other machines). When they differ it reads which institutions changed in between from the change log and
updates the index in place (copy on write: matches still reading the old index are not
disturbed) — milliseconds, whatever the registry's size. A full rebuild happens at start, when
the log cannot say what changed (restore, migration, divisions update, a gap) or when many
names have changed since the last build (then in the background, the updated index answering
meanwhile).
"""
import dataclasses
import gc
import logging
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from directory.categories.service import list_categories
from directory.change_signal import ChangeSignal
from directory.database import get_engine
from directory.institutions.models import Institution, InstitutionService, InstitutionStatus
from directory.institutions.schemas import InstitutionSchema
from directory.institutions.service import describe_institutions
from directory.institutions.revision import changes_between, current_revision
from directory.regions.models import Region
from matching.geography import Division, Geography
from matching.classify import lexicon_terms_in
from matching.name_layers import MAX_CHANGED, LayeredFoldedNames, LayeredNameIndex
from matching.name_search import NameIndex
from matching.normalize import normalize_text
from matching.ranking import Provider, ProviderIndex, service_set

log = logging.getLogger(__name__)


DESCRIBED_CACHE_SIZE = 5000
CHECK_SECONDS = 1.0   # the database is asked at least this often (changes made on other machines)
INSTITUTION_SCHEMA = InstitutionSchema()


@dataclass(frozen=True)
class MatchingIndex:
    """Everything a match or a name search reads, built from one revision of the directory."""

    revision: int
    geography: Geography
    providers: ProviderIndex
    names: LayeredNameIndex   # every institution, whatever its status (the directory lists all)
    folded_names: LayeredFoldedNames   # (id, normalised name) by id, for literal containment
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
    rows = _institution_rows(session)
    categories = list_categories(session)
    return MatchingIndex(revision=revision, geography=geography,
                         category_names={"zh": {c.code: c.name_zh for c in categories},
                                         "en": {c.code: c.name_en for c in categories}},
                         providers=ProviderIndex(_providers(rows), geography),
                         names=LayeredNameIndex(NameIndex((row[0], row[1]) for row in rows)),
                         folded_names=LayeredFoldedNames(tuple((row[0], _folded(row[1])) for row in rows)))


def updated_matching_index(session: Session, index: MatchingIndex, *, changed: set[int],
                           revision: int) -> MatchingIndex:
    """``index`` with the ``changed`` institutions read again (added, changed, closed), at ``revision``."""
    rows = _institution_rows(session, changed)
    names = {iid: None for iid in changed} | {row[0]: row[1] for row in rows}
    return dataclasses.replace(
        index, revision=revision, _described={},
        providers=index.providers.updated(changed, _providers(rows)),
        names=index.names.with_changes(names),
        folded_names=index.folded_names.with_changes(
            {iid: _folded(name) if name is not None else None for iid, name in names.items()}))


def _institution_rows(session: Session, ids: set[int] | None = None) -> list[tuple]:
    """(id, name, level, region_code, status, description, services) by id, of all or of ``ids``."""
    institutions = select(Institution.id, Institution.name, Institution.level, Institution.region_code,
                          Institution.status, Institution.description).order_by(Institution.id)
    links = select(InstitutionService.institution_id, InstitutionService.category_code)
    if ids is not None:
        institutions = institutions.where(Institution.id.in_(ids))
        links = links.where(InstitutionService.institution_id.in_(ids))
    services: dict[int, list[str]] = {}
    for institution_id, code in session.execute(links):
        services.setdefault(institution_id, []).append(code)
    return [(*row, tuple(sorted(services.get(row[0], ())))) for row in session.execute(institutions)]


def _providers(rows: list[tuple]) -> list[Provider]:
    """The active institutions among ``rows``, as ranking sees them."""
    return [Provider(id=iid, name=name, level=level.value, region_code=region_code, services=service_set(codes),
                     terms=lexicon_terms_in(description or ""))
            for iid, name, level, region_code, status, description, codes in rows
            if status == InstitutionStatus.active]


def _folded(name: str) -> str:
    """The name folded for literal search, sharing the original string when folding changes nothing."""
    folded = normalize_text(name)
    return name if folded == name else folded


class IndexHolder:
    """Keeps one process's index current with the database.

    Every request that reads the index first compares revisions (one query). A newer revision is
    applied before the request is answered — from the change log, in place, in milliseconds — so
    a change committed by one request is in the answer of the next request to any process
    (read your writes). When only a rebuild will do, a process without an index, or with
    ``refresh_seconds`` 0, builds it at once; otherwise the current index keeps answering while a
    background thread rebuilds, at most once per ``refresh_seconds``.
    """

    def __init__(self, refresh_seconds: float = 0, *, signal: ChangeSignal | None = None,
                 check_seconds: float = CHECK_SECONDS):
        self._index: MatchingIndex | None = None
        self._lock = threading.Lock()
        self._refresh_seconds = refresh_seconds
        self._rebuilding = False
        self._last_start = 0.0
        self._signal, self._check_seconds = signal, check_seconds
        self._current_as_of: tuple[tuple | None, float] | None = None   # (signal token, monotonic time)

    def get(self, session: Session) -> MatchingIndex:
        """The index for the directory as committed now (or, while a rebuild runs, as updated in place)."""
        token = self._signal.token() if self._signal is not None and self._signal.usable else None
        index, as_of, now = self._index, self._current_as_of, time.monotonic()
        if (index is not None and token is not None and as_of is not None and as_of[0] == token
                and now - as_of[1] < self._check_seconds):
            return index        # nothing announced on this machine, and the database was asked lately
        revision = current_revision(session)
        if index is not None and index.revision >= revision:   # >=: another thread applied a newer one
            self._current_as_of = (token, now) if index.revision == revision else None
            return index
        with self._lock:
            index = self._index
            if index is not None and index.revision >= revision:
                return index
            changed = changes_between(session, index.revision, revision) if index is not None else None
            if changed is not None:
                index = updated_matching_index(session, index, changed=changed, revision=revision)
                self._install(index)
                if index.names.changed_count <= MAX_CHANGED:
                    self._current_as_of = (token, now)
                    return index
            elif index is None or not self._refresh_seconds:
                self._install(build_matching_index(session))
                self._current_as_of = (token, now) if self._index.revision == revision else None
                return self._index
        self._refresh_in_background(get_engine())   # the plain engine: a rebuild only reads
        return self._index

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
            with self._lock, Session(engine) as session:
                current = self._index
                if current is not None and index.revision < current.revision:
                    # Changes applied in place while the rebuild ran: bring the rebuilt index up to them.
                    changed = changes_between(session, index.revision, current.revision)
                    if changed is None:
                        return
                    index = updated_matching_index(session, index, changed=changed, revision=current.revision)
                self._install(index)
        except Exception:  # a failed refresh keeps the old index; the next request tries again
            log.warning("Matching index refresh failed", exc_info=True)
        finally:
            with self._lock:
                self._rebuilding = False
