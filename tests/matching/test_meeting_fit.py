"""How an SME and a financier fit for a meeting: types, amount, industry, need text, reasons."""
import pytest
from hypothesis import given, settings, strategies as st

from matching.financing import CHAINS, FINANCING_TYPES
from matching.meeting_fit import Offer, Seeker, fit, fit_matrix, render_fit_reasons, sought_types

IP_NEED = "有三项发明专利，想做知识产权质押贷款500万元用于扩产"
IP_BANK = Offer(1, ("credit_loan", "secured_loan", "ip_pledge"), 1_000_000, 10_000_000)
EQUITY_FUND = Offer(2, ("equity",), 5_000_000, 100_000_000)
CREDIT_BANK = Offer(3, ("credit_loan",), 100_000, 3_000_000)


def test_the_need_text_says_which_types_are_sought():
    assert sought_types(Seeker(1, need=IP_NEED)) == ("credit_loan", "secured_loan", "ip_pledge")
    assert sought_types(Seeker(1, need="We need a bank loan for working capital")) == (
        "credit_loan", "secured_loan")
    assert sought_types(Seeker(1, ("equity",), need="想找投资人做A轮")) == ("equity",)
    assert sought_types(Seeker(1, ("guarantee", "unknown_code"))) == ("guarantee",)
    assert sought_types(Seeker(1, need="想参加展会")) == ()


def test_an_ip_pledge_need_meets_an_ip_pledge_bank_not_an_equity_fund():
    seeker = Seeker(1, amount_yuan=5_000_000, need=IP_NEED)
    assert fit(seeker, EQUITY_FUND) is None
    bank, credit_only = fit(seeker, IP_BANK), fit(seeker, CREDIT_BANK)
    assert bank.score > credit_only.score
    assert ("need_mentions", {"term": "知识产权质押"}) in bank.reasons
    assert ("need_mentions", {"term": "知识产权质押"}) not in credit_only.reasons


def test_the_longest_term_of_the_need_is_the_reason():
    reasons = fit(Seeker(1, need=IP_NEED), IP_BANK).reasons
    assert [params["term"] for key, params in reasons if key == "need_mentions"] == ["知识产权质押", "贷款"]


def test_a_ticked_type_counts_more_than_one_read_in_the_text():
    ticked = fit(Seeker(1, ("credit_loan",)), CREDIT_BANK)
    read = fit(Seeker(2, need="需要一笔信用贷款"), CREDIT_BANK)
    both = fit(Seeker(3, ("credit_loan",), need="需要一笔信用贷款"), CREDIT_BANK)
    assert both.score > ticked.score > read.score


@pytest.mark.parametrize("amount, compatible", [
    (500_000, True), (3_000_000, True), (15_000_000, True), (15_000_001, False),
    (20_000, True), (19_999, False), (100_000_000, False), (1_000, False),
])
def test_an_amount_beyond_a_factor_5_outside_the_range_is_incompatible(amount, compatible):
    assert (fit(Seeker(1, ("credit_loan",), amount), CREDIT_BANK) is not None) == compatible


def test_the_amount_score_falls_with_the_distance_to_the_range():
    scores = [fit(Seeker(1, ("credit_loan",), amount), CREDIT_BANK).score
              for amount in (1_000_000, 3_000_000, 6_000_000, 12_000_000, 15_000_000)]
    assert scores[0] == scores[1] > scores[2] > scores[3] > scores[4]
    assert fit(Seeker(1, ("credit_loan",), None), CREDIT_BANK).score < scores[0]


def test_an_offer_preferring_the_smes_industry_ranks_higher():
    seeker = Seeker(1, ("credit_loan",), 1_000_000, "new_materials")
    preferring = Offer(1, ("credit_loan",), industries=("new_materials", "biomedicine"))
    open_ = Offer(2, ("credit_loan",))
    others = Offer(3, ("credit_loan",), industries=("software",))
    scores = [fit(seeker, offer).score for offer in (preferring, open_, others)]
    assert scores[0] > scores[1] > scores[2] > 0
    assert ("industry_preferred", {"industry": "new_materials"}) in fit(seeker, preferring).reasons


def test_an_sme_seeking_no_type_may_meet_any_financier_at_a_low_score():
    vague = Seeker(1, amount_yuan=1_000_000, need="想认识一些金融机构")
    for offer in (IP_BANK, EQUITY_FUND, CREDIT_BANK):
        found = fit(vague, offer)
        assert found is not None and found.reasons[0][0] == "types_unspecified"
    assert fit(vague, CREDIT_BANK).score < fit(Seeker(2, ("credit_loan",), 1_000_000), CREDIT_BANK).score


def test_reasons_read_in_chinese_and_english():
    seeker = Seeker(1, ("ip_pledge",), 5_000_000, "new_materials", IP_NEED)
    offer = Offer(1, ("ip_pledge", "credit_loan"), 1_000_000, 10_000_000, ("new_materials",))
    reasons = fit(seeker, offer).reasons
    assert render_fit_reasons(reasons) == [
        "可提供企业所需的信用贷款、知识产权质押融资",
        "融资金额500万元在机构额度（100万元–1000万元）内",
        "机构重点支持新材料产业",
        "需求中提到“知识产权质押”",
        "需求中提到“贷款”",
    ]
    assert render_fit_reasons(reasons, "en") == [
        "Offers what the SME seeks: credit loan, IP-pledge financing",
        "Amount sought, CNY 5 million, within the financier's range (CNY 1 million–CNY 10 million)",
        "The financier favours new materials",
        "The need mentions “知识产权质押”",
        "The need mentions “贷款”",
    ]
    near = fit(Seeker(2, ("credit_loan",), 150_000_000), Offer(2, ("credit_loan",), None, 50_000_000)).reasons
    assert render_fit_reasons(near)[1] == "融资金额1.5亿元不在机构额度（最高5000万元）内，但相差不到5倍"
    assert render_fit_reasons(near, "en")[1] == (
        "Amount sought, CNY 150 million, outside the financier's range (up to CNY 50 million) "
        "by less than a factor 5")


def test_an_offer_with_min_above_max_is_refused():
    with pytest.raises(ValueError):
        Offer(1, ("credit_loan",), 2_000_000, 1_000_000)


TYPES = list(FINANCING_TYPES)
NEEDS = ["", IP_NEED, "需要流动资金周转", "想找投资人做天使轮", "设备更新想做融资租赁", "需要担保公司增信",
         "应收账款保理", "We need a bank loan", "想参加展会"]
AMOUNTS = st.one_of(st.none(), st.integers(1, 200_000_000))
seekers = st.builds(Seeker, st.integers(0, 10**6), st.lists(st.sampled_from(TYPES), max_size=3).map(tuple),
                    AMOUNTS, st.one_of(st.none(), st.sampled_from(list(CHAINS))), st.sampled_from(NEEDS))


@st.composite
def offers(draw) -> Offer:
    low, high = draw(AMOUNTS), draw(AMOUNTS)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Offer(draw(st.integers(0, 10**6)), tuple(draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=4))),
                 low, high, tuple(draw(st.lists(st.sampled_from(list(CHAINS)), max_size=3))))


def within_factor_5(amount, low, high) -> bool:
    return amount is None or ((low is None or amount * 5 >= low) and (high is None or amount <= high * 5))


@settings(max_examples=300, deadline=None)
@given(seekers, offers())
def test_a_fit_is_a_score_in_0_1_exactly_when_types_and_amount_allow(seeker, offer):
    found = fit(seeker, offer)
    sought = set(sought_types(seeker))
    compatible = (not sought or bool(sought & set(offer.financing_types))) and within_factor_5(
        seeker.amount_yuan, offer.amount_min_yuan, offer.amount_max_yuan)
    assert (found is not None) == compatible
    if found is not None:
        assert 0 < found.score <= 1 and found.score == round(found.score, 4)
        assert found == fit(seeker, offer)
        assert len(render_fit_reasons(found.reasons)) == len(render_fit_reasons(found.reasons, "en"))
        assert fit_matrix([seeker], [offer]) == {(seeker.id, offer.id): found}
