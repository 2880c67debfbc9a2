"""One-to-one meetings of SMEs and financiers at a matchmaking event, one table per financier.

Hard constraints: a financier and an SME each have at most one meeting per slot; a pair meets
at most once and only when compatible (``meeting_fit.fit`` is not None); a financier has at most
min(capacity, slots) meetings and an SME at most min(max_meetings_per_seeker, slots). Meetings
the organiser already confirmed (``fixed``) are kept exactly, slot included, when both parties
are still in the input, and count against both limits; a fixed meeting of an incompatible pair
is kept too (the organiser decided), with score 0.

Objective: fair share first, then total fit. Meetings are given in rounds; round k offers one
more meeting to every SME that has fewer than k, as a rectangular assignment
(``scipy.optimize.linear_sum_assignment``) of those SMEs to the financiers' free meeting units,
with weight BIG + fit per compatible pair not yet met (BIG larger than the number of SMEs, so the
most SMEs are served, then the best total fit). Each new meeting then gets a slot: a bipartite
edge colouring with ``slots`` colours, extended by alternating-path (Kempe-chain) swaps that never
move a fixed meeting. A meeting that cannot get a slot because of fixed meetings is dropped, and a
last pass offers every compatible pair, fewest meetings first then best fit, what room is left.

Guarantee: no SME is left without a meeting while a compatible financier has room (fewer
meetings than its limit). Round 1 is a maximum matching of the SMEs without a meeting into the
free units, so each SME it leaves out has every compatible financier full after round 1. Round-1
meetings are never dropped: their SME has no other meeting, and their financier, at most at its
limit ≤ slots counting this meeting, has a slot free. Later rounds only use units still free, so
the financiers that were full stay full.
"""
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy.optimize import linear_sum_assignment

from matching.meeting_fit import Fit, Offer, Seeker, fit_matrix


@dataclass(frozen=True)
class Meeting:
    """One SME at one financier's table in one slot."""

    seeker_id: int
    offer_id: int
    slot: int          # 0 .. slots-1
    score: float


@dataclass(frozen=True)
class Schedule:
    """The meetings of an event, who got none, and the fits they were chosen from."""

    meetings: tuple[Meeting, ...]          # sorted by (offer_id, slot)
    unmatched: tuple[int, ...]             # seeker ids without any meeting, in input order
    fits: Mapping[tuple[int, int], Fit]    # fit of every compatible (seeker id, offer id) pair

    @property
    def total_fit(self) -> float:
        """Sum of the meetings' scores."""
        return round(sum(meeting.score for meeting in self.meetings), 4)


class _Board:
    """Meetings by index as edges of a bipartite graph, coloured with slots."""

    def __init__(self, seekers: int, offers: int, slots: int):
        self.slots = slots
        self.at_seeker: list[list[int | None]] = [[None] * slots for _ in range(seekers)]  # slot → offer
        self.at_offer: list[list[int | None]] = [[None] * slots for _ in range(offers)]    # slot → seeker
        self.seeker_count = [0] * seekers
        self.offer_count = [0] * offers
        self.fixed: set[tuple[int, int]] = set()

    def met(self, seeker: int, offer: int) -> bool:
        return offer in self.at_seeker[seeker]

    def place(self, seeker: int, offer: int, slot: int) -> None:
        self.at_seeker[seeker][slot] = offer
        self.at_offer[offer][slot] = seeker
        self.seeker_count[seeker] += 1
        self.offer_count[offer] += 1

    def earliest_common_slot(self, seeker: int, offer: int) -> int | None:
        at_seeker, at_offer = self.at_seeker[seeker], self.at_offer[offer]
        return next((slot for slot in range(self.slots)
                     if at_seeker[slot] is None and at_offer[slot] is None), None)

    def add(self, seeker: int, offer: int) -> bool:
        """Give the pair a slot, swapping slots along an alternating path if need be."""
        slot = self.earliest_common_slot(seeker, offer)
        if slot is not None:
            self.place(seeker, offer, slot)
            return True
        free_at_seeker = [slot for slot, other in enumerate(self.at_seeker[seeker]) if other is None]
        free_at_offer = [slot for slot, other in enumerate(self.at_offer[offer]) if other is None]
        for a in free_at_seeker:
            for b in free_at_offer:
                # The a/b path from the offer cannot reach the seeker, which has no a-meeting;
                # after the swap, a is free at both. Symmetrically from the seeker with b.
                if self._swap(offer, from_offer=True, first=a, second=b):
                    self.place(seeker, offer, a)
                    return True
                if self._swap(seeker, from_offer=False, first=b, second=a):
                    self.place(seeker, offer, b)
                    return True
        return False

    def _swap(self, start: int, *, from_offer: bool, first: int, second: int) -> bool:
        """Exchange slots ``first`` and ``second`` along the alternating path from ``start``."""
        path = []
        node, on_offer, slot = start, from_offer, first
        while True:
            other = (self.at_offer if on_offer else self.at_seeker)[node][slot]
            if other is None:
                break
            edge = (other, node) if on_offer else (node, other)
            if edge in self.fixed:
                return False
            path.append((*edge, slot))
            node, on_offer, slot = other, not on_offer, second if slot == first else first
        for seeker, offer, slot in path:
            self.at_seeker[seeker][slot] = self.at_offer[offer][slot] = None
        for seeker, offer, slot in path:
            swapped = second if slot == first else first
            self.at_seeker[seeker][swapped], self.at_offer[offer][swapped] = offer, seeker
        return True


def schedule_meetings(seekers: Iterable[Seeker], offers: Iterable[Offer], *, slots: int,
                      max_meetings_per_seeker: int = 3, fixed: Iterable[Meeting] = ()) -> Schedule:
    """Meetings serving the most SMEs, then the best total fit, keeping ``fixed`` ones."""
    seekers, offers = list(seekers), list(offers)
    board, fits, seeker_limit, offer_limits = _prepare(seekers, offers, slots, max_meetings_per_seeker)
    seeker_index = {seeker.id: index for index, seeker in enumerate(seekers)}
    offer_index = {offer.id: index for index, offer in enumerate(offers)}
    _place_fixed(board, seeker_index, offer_index, fixed)
    scores = np.zeros((len(seekers), len(offers)))
    for (seeker_id, offer_id), found in fits.items():
        scores[seeker_index[seeker_id], offer_index[offer_id]] = found.score
    open_pairs = scores.copy()   # compatible pairs neither met nor found impossible to slot
    for seeker, offer in board.fixed:
        open_pairs[seeker, offer] = 0
    for round_ in range(1, seeker_limit + 1):
        for seeker, offer in _assignment_round(board, open_pairs, round_, seeker_limit, offer_limits):
            board.add(seeker, offer)
            open_pairs[seeker, offer] = 0
    _fill_room(board, scores, seeker_limit, offer_limits)
    return _schedule(board, seekers, offers, fits, scores)


def greedy_schedule(seekers: Iterable[Seeker], offers: Iterable[Offer], *, slots: int,
                    max_meetings_per_seeker: int = 3) -> Schedule:
    """First come, first served: each SME in turn takes its best-fitting financiers with room."""
    seekers, offers = list(seekers), list(offers)
    board, fits, seeker_limit, offer_limits = _prepare(seekers, offers, slots, max_meetings_per_seeker)
    scores = np.zeros((len(seekers), len(offers)))
    for seeker_index, seeker in enumerate(seekers):
        ranked = []
        for offer_index, offer in enumerate(offers):
            found = fits.get((seeker.id, offer.id))
            if found is not None:
                scores[seeker_index, offer_index] = found.score
                ranked.append((-found.score, offer_index))
        for _, offer_index in sorted(ranked):
            if board.seeker_count[seeker_index] >= seeker_limit:
                break
            if board.offer_count[offer_index] < offer_limits[offer_index]:   # earliest slot free for both
                slot = board.earliest_common_slot(seeker_index, offer_index)
                if slot is not None:
                    board.place(seeker_index, offer_index, slot)
    return _schedule(board, seekers, offers, fits, scores)


def _prepare(seekers: Sequence[Seeker], offers: Sequence[Offer], slots: int, max_meetings_per_seeker: int
             ) -> tuple[_Board, dict[tuple[int, int], Fit], int, list[int]]:
    if slots < 1 or max_meetings_per_seeker < 0:
        raise ValueError("slots must be ≥ 1 and max_meetings_per_seeker ≥ 0")
    for kind, ids in (("seeker", [s.id for s in seekers]), ("offer", [o.id for o in offers])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {kind} ids")
    offer_limits = [max(0, min(offer.capacity, slots)) for offer in offers]
    board = _Board(len(seekers), len(offers), slots)
    return board, fit_matrix(seekers, offers), min(max_meetings_per_seeker, slots), offer_limits


def _place_fixed(board: _Board, seeker_index: dict[int, int], offer_index: dict[int, int],
                 fixed: Iterable[Meeting]) -> None:
    """Put the organiser's meetings on the board; those of a party no longer present are dropped."""
    for meeting in fixed:
        seeker, offer = seeker_index.get(meeting.seeker_id), offer_index.get(meeting.offer_id)
        if seeker is None or offer is None:
            continue
        if not 0 <= meeting.slot < board.slots:
            raise ValueError(f"fixed meeting {meeting} is outside slots 0..{board.slots - 1}")
        if (board.met(seeker, offer) or board.at_seeker[seeker][meeting.slot] is not None
                or board.at_offer[offer][meeting.slot] is not None):
            raise ValueError(f"fixed meeting {meeting} clashes with another fixed meeting")
        board.place(seeker, offer, meeting.slot)
        board.fixed.add((seeker, offer))


def _assignment_round(board: _Board, open_pairs: np.ndarray, round_: int, seeker_limit: int,
                      offer_limits: list[int]) -> list[tuple[int, int]]:
    """New (seeker, offer) pairs, best first: at most one more for each SME with fewer than
    ``round_`` meetings, the most SMEs, then the best total fit, within the financiers' room."""
    room = np.array(offer_limits) - np.array(board.offer_count)
    offers = np.flatnonzero(room > 0)
    seekers = np.array([seeker for seeker, count in enumerate(board.seeker_count)
                        if count < round_ and count < seeker_limit], dtype=int)
    if not len(offers) or not len(seekers):
        return []
    weights = open_pairs[np.ix_(seekers, offers)]
    candidates = weights > 0
    keep = candidates.any(axis=1)
    seekers, weights, candidates = seekers[keep], weights[keep], candidates[keep]
    units = np.minimum(room[offers], candidates.sum(axis=0))
    if not len(seekers):
        return []
    big = len(seekers) + 1   # one more SME served outweighs any total fit
    cost = np.repeat(np.where(candidates, -(big + weights), 0.0), units, axis=1)
    unit_offer = np.repeat(offers, units)
    rows, columns = linear_sum_assignment(cost)
    chosen = [(int(seekers[row]), int(unit_offer[column]))
              for row, column in zip(rows, columns) if cost[row, column] < 0]
    return sorted(chosen, key=lambda pair: (-open_pairs[pair], pair))


def _fill_room(board: _Board, scores: np.ndarray, seeker_limit: int, offer_limits: list[int]) -> None:
    """Offer what room is left to compatible pairs, SMEs with fewest meetings first, best fit first."""
    seekers, offers = np.nonzero(scores)
    order = np.lexsort((offers, seekers, -scores[seekers, offers]))
    pairs = [(int(seekers[i]), int(offers[i])) for i in order]
    for level in range(seeker_limit):
        for seeker, offer in pairs:
            if (board.seeker_count[seeker] == level and board.offer_count[offer] < offer_limits[offer]
                    and not board.met(seeker, offer)):
                board.add(seeker, offer)


def _schedule(board: _Board, seekers: Sequence[Seeker], offers: Sequence[Offer],
              fits: dict[tuple[int, int], Fit], scores: np.ndarray) -> Schedule:
    meetings = [Meeting(seekers[seeker].id, offers[offer].id, slot, float(scores[seeker, offer]))
                for offer, row in enumerate(board.at_offer)
                for slot, seeker in enumerate(row) if seeker is not None]
    meetings.sort(key=lambda meeting: (meeting.offer_id, meeting.slot))
    unmatched = tuple(seeker.id for index, seeker in enumerate(seekers) if board.seeker_count[index] == 0)
    return Schedule(tuple(meetings), unmatched, MappingProxyType(fits))
