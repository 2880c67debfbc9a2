"""The meeting scheduler keeps every hard constraint, serves the most SMEs, then fits best."""
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from matching.meeting_fit import Offer, Seeker, fit
from matching.schedule import Meeting, _Board, greedy_schedule, schedule_meetings

IP_NEED = "有三项发明专利，想做知识产权质押贷款500万元用于扩产"


def test_an_ip_pledge_need_meets_the_ip_pledge_bank_not_the_equity_fund():
    seekers = [Seeker(1, amount_yuan=5_000_000, need=IP_NEED)]
    offers = [Offer(10, ("equity",)), Offer(20, ("ip_pledge", "credit_loan"), 1_000_000, 10_000_000)]
    schedule = schedule_meetings(seekers, offers, slots=4)
    assert [(m.seeker_id, m.offer_id, m.slot) for m in schedule.meetings] == [(1, 20, 0)]
    assert schedule.meetings[0].score == fit(seekers[0], offers[1]).score == schedule.total_fit
    assert (1, 10) not in schedule.fits


def test_fair_share_first_where_greedy_serves_the_first_comers():
    # Two banks with 2 places each; under first come, first served SMEs 1 and 2 take all four.
    seekers = [Seeker(i, ("credit_loan",), 1_000_000) for i in range(1, 5)]
    offers = [Offer(10, ("credit_loan",), capacity=2), Offer(20, ("credit_loan",), capacity=2)]
    ours = schedule_meetings(seekers, offers, slots=4, max_meetings_per_seeker=2)
    greedy = greedy_schedule(seekers, offers, slots=4, max_meetings_per_seeker=2)
    assert ours.unmatched == () and Counter(m.seeker_id for m in ours.meetings) == {1: 1, 2: 1, 3: 1, 4: 1}
    assert greedy.unmatched == (3, 4)


def test_the_best_fitting_smes_get_the_scarce_places():
    offers = [Offer(10, ("credit_loan",), industries=("software",), capacity=1)]
    seekers = [Seeker(1, ("credit_loan",), industry="biomedicine"), Seeker(2, ("credit_loan",), industry="software")]
    assert [m.seeker_id for m in schedule_meetings(seekers, offers, slots=3).meetings] == [2]
    assert [m.seeker_id for m in greedy_schedule(seekers, offers, slots=3).meetings] == [1]


def test_fixed_meetings_are_kept_and_a_pair_blocked_by_them_yields_to_the_next_best():
    seekers = [Seeker(1, ("credit_loan",), industry="software"), Seeker(2, ("guarantee",))]
    offers = [Offer(10, ("credit_loan",)), Offer(20, ("credit_loan", "guarantee"), industries=("software",)),
              Offer(30, ("credit_loan",))]
    fixed = [Meeting(1, 10, 0, 0.0), Meeting(2, 20, 1, 0.0), Meeting(99, 10, 1, 0.0)]   # SME 99 withdrew
    schedule = schedule_meetings(seekers, offers, slots=2, max_meetings_per_seeker=2, fixed=fixed)
    # SME 1 fits bank 20 best, but it is free only in slot 0 and SME 1 only in slot 1.
    assert {(m.seeker_id, m.offer_id, m.slot) for m in schedule.meetings} == {(1, 10, 0), (2, 20, 1), (1, 30, 1)}


def test_a_fixed_meeting_of_an_incompatible_pair_is_kept_with_score_0():
    schedule = schedule_meetings([Seeker(1, ("equity",))], [Offer(10, ("credit_loan",))], slots=2,
                                 fixed=[Meeting(1, 10, 1, 0.7)])
    assert schedule.meetings == (Meeting(1, 10, 1, 0.0),)


@pytest.mark.parametrize("fixed", [
    [Meeting(1, 10, 2, 0.0)],                              # no slot 2
    [Meeting(1, 10, 0, 0.0), Meeting(2, 10, 0, 0.0)],      # one table, two SMEs at once
    [Meeting(1, 10, 0, 0.0), Meeting(1, 20, 0, 0.0)],      # one SME at two tables at once
    [Meeting(1, 10, 0, 0.0), Meeting(1, 10, 1, 0.0)],      # the same pair twice
])
def test_clashing_fixed_meetings_are_refused(fixed):
    seekers = [Seeker(1), Seeker(2)]
    offers = [Offer(10, ("credit_loan",)), Offer(20, ("credit_loan",))]
    with pytest.raises(ValueError):
        schedule_meetings(seekers, offers, slots=2, fixed=fixed)


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError):
        schedule_meetings([Seeker(1), Seeker(1)], [Offer(10, ("credit_loan",))], slots=2)


def test_a_meeting_gets_a_slot_by_swapping_slots_along_an_alternating_path():
    # Seeker 0 is busy in slot 1, offer 0 in slot 0; swapping offer 0's path frees slot 1 for both.
    board = _Board(seekers=3, offers=3, slots=2)
    board.place(0, 1, 1)
    board.place(1, 0, 0)
    board.place(1, 2, 1)
    board.place(2, 2, 0)
    assert board.earliest_common_slot(0, 0) is None
    assert board.add(0, 0)
    assert board.at_seeker[0] == [0, 1] and board.at_offer[0] == [0, 1]
    assert all(board.at_offer[offer][slot] == seeker
               for seeker, row in enumerate(board.at_seeker) for slot, offer in enumerate(row) if offer is not None)


TYPES = ["credit_loan", "secured_loan", "ip_pledge", "equity", "guarantee"]
NEEDS = ["", IP_NEED, "需要流动资金周转", "想找投资人做天使轮", "想参加展会"]
AMOUNT_VALUES = st.sampled_from([100_000, 500_000, 2_000_000, 10_000_000, 50_000_000])
AMOUNTS = st.one_of(st.none(), AMOUNT_VALUES)
INDUSTRIES = ["software", "biomedicine", "new_materials"]


@st.composite
def events(draw, with_fixed: bool):
    """Seekers, offers, slots, max meetings per SME and valid fixed meetings."""
    seekers = [Seeker(i, tuple(draw(st.lists(st.sampled_from(TYPES), max_size=2))), draw(AMOUNTS),
                      draw(st.one_of(st.none(), st.sampled_from(INDUSTRIES))), draw(st.sampled_from(NEEDS)))
               for i in range(draw(st.integers(0, 24)))]
    offers = []
    for i in range(draw(st.integers(1, 7))):
        low, high = sorted(draw(st.lists(AMOUNT_VALUES, min_size=2, max_size=2)))
        offers.append(Offer(100 + i, tuple(draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=3))),
                            draw(st.sampled_from([None, low])), draw(st.sampled_from([None, high])),
                            tuple(draw(st.lists(st.sampled_from(INDUSTRIES), max_size=2))),
                            draw(st.integers(0, 6))))
    slots, per_seeker = draw(st.integers(1, 5)), draw(st.integers(0, 3))
    fixed = []
    if with_fixed and seekers:
        for _ in range(draw(st.integers(0, 8))):
            candidate = Meeting(draw(st.sampled_from(seekers)).id, draw(st.sampled_from(offers)).id,
                                draw(st.integers(0, slots - 1)), 0.0)
            if valid_with(fixed + [candidate], seekers, offers, slots, per_seeker):
                fixed.append(candidate)
    return seekers, offers, slots, per_seeker, fixed


def valid_with(meetings, seekers, offers, slots, per_seeker) -> bool:
    """Every hard constraint of the scheduler holds for ``meetings``."""
    by_id = {seeker.id: seeker for seeker in seekers}
    offer_by_id = {offer.id: offer for offer in offers}
    offer_meetings = Counter(m.offer_id for m in meetings)
    seeker_meetings = Counter(m.seeker_id for m in meetings)
    return (len({(m.offer_id, m.slot) for m in meetings}) == len(meetings)
            and len({(m.seeker_id, m.slot) for m in meetings}) == len(meetings)
            and len({(m.seeker_id, m.offer_id) for m in meetings}) == len(meetings)
            and all(0 <= m.slot < slots for m in meetings)
            and all(count <= min(offer_by_id[o].capacity, slots) for o, count in offer_meetings.items())
            and all(count <= min(per_seeker, slots) for count in seeker_meetings.values())
            and all(fit(by_id[m.seeker_id], offer_by_id[m.offer_id]) is not None for m in meetings))


def served(schedule) -> int:
    return len({meeting.seeker_id for meeting in schedule.meetings})


def assert_fair_and_valid(schedule, seekers, offers, slots, per_seeker):
    assert valid_with(schedule.meetings, seekers, offers, slots, per_seeker)
    assert list(schedule.meetings) == sorted(schedule.meetings, key=lambda m: (m.offer_id, m.slot))
    for meeting in schedule.meetings:
        assert meeting.score == schedule.fits[meeting.seeker_id, meeting.offer_id].score
    met = {meeting.seeker_id for meeting in schedule.meetings}
    assert schedule.unmatched == tuple(seeker.id for seeker in seekers if seeker.id not in met)
    taken = Counter(meeting.offer_id for meeting in schedule.meetings)
    for seeker in seekers:
        if seeker.id in schedule.unmatched and per_seeker:
            for offer in offers:
                if (seeker.id, offer.id) in schedule.fits:
                    assert taken[offer.id] == min(offer.capacity, slots), "left out while room remained"


@settings(max_examples=200, deadline=None)
@given(events(with_fixed=False))
def test_every_constraint_holds_and_no_fewer_smes_are_served_than_by_greedy(event):
    seekers, offers, slots, per_seeker, _ = event
    ours = schedule_meetings(seekers, offers, slots=slots, max_meetings_per_seeker=per_seeker)
    greedy = greedy_schedule(seekers, offers, slots=slots, max_meetings_per_seeker=per_seeker)
    assert_fair_and_valid(ours, seekers, offers, slots, per_seeker)
    assert valid_with(greedy.meetings, seekers, offers, slots, per_seeker)
    assert served(ours) >= served(greedy)
    assert ours.fits == greedy.fits
    assert set(ours.fits) == {
        (s.id, o.id) for s in seekers for o in offers if fit(s, o) is not None}


@settings(max_examples=200, deadline=None)
@given(events(with_fixed=True))
def test_fixed_meetings_are_kept_exactly_and_every_constraint_holds(event):
    seekers, offers, slots, per_seeker, fixed = event
    schedule = schedule_meetings(seekers, offers, slots=slots, max_meetings_per_seeker=per_seeker, fixed=fixed)
    assert_fair_and_valid(schedule, seekers, offers, slots, per_seeker)
    kept = {(m.seeker_id, m.offer_id, m.slot) for m in schedule.meetings}
    assert {(m.seeker_id, m.offer_id, m.slot) for m in fixed} <= kept
