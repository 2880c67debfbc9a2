"""Each exception the domain raises for a request it refuses, with the HTTP status it stands for.

The application factory hands this table to ``errors.register_error_handlers``; a new domain
exception is added here (tests/hostile enumerates them all).
"""
from directory.auth.service import AccountError, NotPermitted
from directory.designations.service import DesignationInvalid
from directory.events.outcomes import OutcomeInvalid
from directory.events.registrations import RegistrationRefused
from directory.events.rules import EventInvalid
from directory.events.timetable import ScheduleRefused
from directory.finder.batch import BatchFileError
from directory.finder.service import UnknownRegion
from directory.hsds.dataset import UnreadableDataset
from directory.institutions.history import NotRestorable
from directory.institutions.import_places import PlaceNotFound
from directory.institutions.merge import MergeRefused
from directory.institutions.rules import InstitutionInvalid
from directory.outbox import InvalidMailHeader
from directory.regions.editions import UnreadableList
from directory.regions.selectors import UnresolvedSelector
from directory.service_requests.service import RequestInvalid
from directory.service_requests.transitions import TransitionRefused
from directory.spreadsheets import UnreadableFile
from matching.geography import AmbiguousPlace


def domain_error_statuses() -> dict[type[Exception], int]:
    """Each exception the domain raises for a request it refuses, with the status it stands for."""
    return {InstitutionInvalid: 422, EventInvalid: 422, OutcomeInvalid: 422, UnknownRegion: 422,
            AmbiguousPlace: 422, UnreadableFile: 422, BatchFileError: 422, AccountError: 422,
            NotPermitted: 403, RegistrationRefused: 409, ScheduleRefused: 409, MergeRefused: 409,
            NotRestorable: 409, DesignationInvalid: 422, UnreadableDataset: 422, PlaceNotFound: 422,
            UnreadableList: 422, UnresolvedSelector: 422, InvalidMailHeader: 422, RequestInvalid: 422,
            TransitionRefused: 409}
