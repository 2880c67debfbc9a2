"""Name search over this process's index of the directory (kept current with the database)."""
from flask import Flask, current_app
from sqlmodel import Session

from directory.institutions.search_index import CHECK_SECONDS, IndexHolder, MatchingIndex
from matching.normalize import normalize_text


def init_app(app: Flask) -> None:
    """Give the app process its matching index holder."""
    app.extensions["sme_matching_index"] = IndexHolder(
        refresh_seconds=app.config.get("MATCHING_REFRESH_SECONDS", 0), signal=app.extensions["sme_change_signal"],
        check_seconds=app.config.get("MATCHING_CHECK_SECONDS", CHECK_SECONDS))


def matching_index(session: Session) -> MatchingIndex:
    """This process's index, current with the database."""
    return current_app.extensions["sme_matching_index"].get(session)


MAX_NAME_RESULTS = 2000


def name_ranking(session: Session, q: str | None) -> list[int] | None:
    """Ids of institutions whose name fits ``q``, best first.

    First the fuzzy matches (typos, pinyin, initials, abbreviations), which weigh generic words
    such as 中心 lightly; then every other name containing all of the query's words, so that a
    search for a generic word still lists what literally carries it.
    """
    if q is None or not q.strip():
        return None
    index = matching_index(session)
    ranked = [iid for iid, _score in index.names.search(q, limit=MAX_NAME_RESULTS)]
    seen, words = set(ranked), normalize_text(q).split()
    ranked += [iid for iid, name in index.folded_names
               if iid not in seen and all(word in name for word in words)]
    return ranked[:MAX_NAME_RESULTS]


def name_suggestions(session: Session, prefix: str, limit: int = 8) -> list[dict]:
    """Institutions to offer while a name is being typed."""
    return [{"id": iid, "name": name} for iid, name in matching_index(session).names.suggest(prefix, limit)]
