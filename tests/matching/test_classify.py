"""Need classification as an SME meets it: its own words in, the service categories it asks for out."""
import pytest
from hypothesis import given, settings, strategies as st

from bench.evaluate_classifier import evaluate, load_needs, ours
from matching.classify import CategoryMatch, classify_need
from matching.lexicon import default_lexicon, load_lexicon

CODES = set(default_lexicon().codes)


def codes(text: str) -> list[str]:
    return [match.code for match in classify_need(text)]


@pytest.mark.parametrize("text, code", [
    # a single need
    ("今年有哪些惠企政策可以申报", "policy"),
    ("想申请高新技术企业认定", "policy"),
    ("厂里资金周转困难，想贷一笔款", "financing"),
    ("有没有做融资租赁的机构", "financing"),
    ("我们的外观设计被人仿冒了", "ip"),
    ("想给新品牌注册商标", "ip"),
    ("车间一直招工难", "talent"),
    ("想给员工安排岗前培训", "talent"),
    ("准备给车间上一套MES", "digitalization"),
    ("想做企业上云", "digitalization"),
    ("需要第三方机构做产品检测", "technology"),
    ("想和高校开展产学研合作", "technology"),
    ("想请人做管理咨询", "management"),
    ("公司想建立内控制度", "management"),
    ("客户欠款一直不还", "legal"),
    ("想找律师看看这份合同", "legal"),
    ("想去海外参加展会", "market"),
    ("想做跨境电商把产品卖到国外", "market"),
    ("想入驻众创空间", "entrepreneurship"),
    ("刚开公司，需要创业辅导", "entrepreneurship"),
    # in English
    ("We need a bank loan for new equipment.", "financing"),
    ("Someone registered our trademark before us.", "ip"),
    ("We are hiring experienced welders.", "talent"),
    ("We want to export to Europe.", "market"),
    ("Is there an incubator for hardware startups?", "entrepreneurship"),
    ("Looking for a lawyer to handle a contract dispute.", "legal"),
    # in traditional characters, or with full-width letters
    ("銀行貸款需要什麼條件", "financing"),
    ("我們的專利被侵權了", "ip"),
    ("想給員工做技能培訓", "talent"),
    ("ＥＲＰ系統怎麼選", "digitalization"),   # full-width letters too
    # the plain words of issue 13
    ("我们需要钱", "financing"),
    ("老板想学学怎么管理", "management"),
    ("工人老是留不住", "talent"),
    ("我们被人告了", "legal"),
    ("想用软件把生产过程管起来", "digitalization"),
    ("产品进入大企业供应链", "market"),
    ("参加中博会", "market"),
    # spaces inside a Chinese term do not hide it
    ("  知识 产权  ", "ip"),
    ("知 识 产 权", "ip"),
    ("ERP 系统怎么选", "digitalization"),       # the term is ERP系统
    ("融　资", "financing"),                     # an ideographic space
])
def test_a_need_finds_its_one_category(text, code):
    assert codes(text) == [code]


@pytest.mark.parametrize("text, code, term", [
    ("知识产全保护找谁", "ip", "知识产权保护"),
    ("想了解融姿渠道", "financing", "融资渠道"),
    ("小微企业怎么申请代款", "financing", "贷款"),
    ("想找一家管理咨洵公司", "management", "管理咨询"),
    ("We need finacing for a new line", "financing", "financing"),
    ("Someone copied our patnet", "ip", "patent"),
])
def test_input_method_and_spelling_typos_still_match(text, code, term):
    (match,) = classify_need(text)
    assert match.code == code and term in match.matched_terms


def test_a_typo_counts_for_less_than_the_word_itself():
    (typo,) = classify_need("融姿")
    (right,) = classify_need("融资")
    assert 0 < typo.score < right.score


@pytest.mark.parametrize("text, expected", [
    ("想申请专精特新，还缺一笔流动资金", {"policy", "financing"}),
    ("专利被抄了，想找律师起诉对方", {"ip", "legal"}),
    ("想申请政府补贴买机器人，还要培训操作工", {"policy", "digitalization", "talent"}),
    ("We need a loan and help exporting to Europe.", {"financing", "market"}),
])
def test_several_needs_in_one_sentence_give_each_category(text, expected):
    assert set(codes(text)) == expected


def test_matched_terms_are_the_lexicon_terms_that_said_so():
    (match,) = classify_need("我们厂的专利被人抄了怎么办")
    assert match.code == "ip"
    assert "专利" in match.matched_terms
    assert all(term in {t.text for t in default_lexicon().terms} for term in match.matched_terms)


def test_the_longest_term_decides_an_ambiguous_word():
    assert codes("想给中层干部做管理培训") == ["management"]   # 培训 alone is talent
    assert codes("出口退税怎么办理") == ["policy"]              # 出口 alone is market


def test_a_weak_word_alone_decides_nothing():
    assert classify_need("服务") == []
    assert classify_need("我们有很多客户") == []          # 客户 only supports market evidence
    assert codes("想找客户，开拓新市场") == ["market"]


def test_a_negated_need_is_not_asked_for():
    assert codes("我们不缺订单，就是招不到人") == ["talent"]
    assert codes("We don't need a loan, we need to hire engineers") == ["talent"]


@pytest.mark.parametrize("text", [
    "", "   ", "你好", "在吗", "今天天气不错", "附近有什么好吃的", "hello", "1234", "13800138000",
    "哈哈哈哈", "😀😀😀", "asdfghjkl", "How are you today?", "测试一下", "地铁站出口在哪",
    "今天吃自助餐", "孩子在学校打架了", "I miss my parents", "在这点上是对的", "我找不到钥匙了",
    # everyday sentences near the plain words of issue 13
    "我被告知明天放假", "我去超市买菜", "点钱点到手软", "老板在开会", "手机没电了", "买家秀和卖家秀",
])
def test_off_topic_text_gives_no_category(text):
    assert classify_need(text) == []


@pytest.mark.parametrize("text", [
    "\x00\x07\x1b", "\ud800 lone surrogate", "مرحبا بالعالم", "\u202e贷款\u202c", "\U0010ffff",
    "贷款" * 5000, "a" * 10_000, "知识产全" * 2500,
])
def test_hostile_or_huge_input_never_raises(text):
    assert isinstance(classify_need(text), list)


def test_scores_are_comparable_and_sorted_best_first():
    matches = classify_need("急需贷款和融资担保，另外想注册一个商标")
    assert [m.code for m in matches] == ["financing", "ip"]
    assert 1 >= matches[0].score > matches[1].score > 0


def test_a_custom_lexicon_can_be_passed(tmp_path):
    path = tmp_path / "lexicon.toml"
    path.write_text('[scoring]\nthreshold = 1.0\nhomophone_factor = 0.5\ntypo_factor = 0.5\n'
                    '[categories.ip]\nzh = ["专利"]\n[categories.ip.weighted]\n"保护" = 0.5\n',
                    encoding="utf-8")
    custom = load_lexicon(path)
    assert [m.code for m in classify_need("专利", custom)] == ["ip"]
    assert classify_need("保护", custom) == []
    assert classify_need("贷款", custom) == []


_terms = st.sampled_from([term.text for term in default_lexicon().terms])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(_terms, st.text(max_size=5))).map("".join)))
def test_any_text_gives_valid_matches(text):
    matches = classify_need(text)
    assert isinstance(matches, list)
    assert all(isinstance(m, CategoryMatch) and m.code in CODES and 0 < m.score <= 1
               and m.matched_terms for m in matches)
    assert len({m.code for m in matches}) == len(matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_the_evaluation_set_is_broad_enough():
    needs = load_needs()
    by_kind = {kind: [n for n in needs if n.kind == kind] for kind in {n.kind for n in needs}}
    assert len(needs) >= 300
    for code in CODES:
        assert sum(1 for n in needs if n.categories == {code}) >= 20, code
    assert len(by_kind["english"]) >= 40 and len(by_kind["typo"]) >= 30
    assert len(by_kind["traditional"]) >= 25 and len(by_kind["offtopic"]) >= 40
    assert len(by_kind["multi"]) >= 40 and all(2 <= len(n.categories) <= 3 for n in by_kind["multi"])
    assert all(not n.categories for n in by_kind["offtopic"])
    assert all(n.categories <= CODES for n in needs)


def test_the_classifier_meets_its_targets_on_the_evaluation_set():
    result = evaluate(ours, load_needs()).overall
    assert result.hit_at_1 >= 0.95
    assert result.f1 >= 0.90
    assert result.offtopic_matched == 0


def test_closing_gaps_keeps_english_word_boundaries():
    from matching.normalize import close_han_gaps
    assert close_han_gaps("知识 产权 and cash flow") == "知识产权and cash flow"
    assert set(codes("cash flow 知识 产权")) == {"financing", "ip"}
    assert classify_need("ip address") == [] and classify_need("c a s h") == []


def test_a_character_written_right_in_a_term_is_no_typo():
    # 注册一下 holds 册一下, which sounds like the technology term 测一下
    assert codes("我们的logo想注册一下") == ["ip"]
    assert codes("核心技术想申请专利保护") == ["ip"]   # 心技术 sounds like 新技术: a real word, excluded


def test_the_plain_words_sets_are_broad_and_disjoint():
    from bench.evaluate_classifier import COLLOQUIAL, HELD_OUT
    tuning, held_out, main = load_needs(COLLOQUIAL), load_needs(HELD_OUT), load_needs()
    assert len(tuning) >= 120 and sum(1 for n in tuning if not n.categories) >= 20
    assert len(held_out) >= 60
    texts = [{n.text for n in needs} for needs in (tuning, held_out, main)]
    assert not texts[0] & texts[1] and not texts[0] & texts[2] and not texts[1] & texts[2]
    assert all(n.categories <= CODES for n in tuning + held_out)


def test_the_classifier_understands_plain_words():
    from bench.evaluate_classifier import COLLOQUIAL
    result = evaluate(ours, load_needs(COLLOQUIAL)).overall
    assert result.hit_at_1 >= 0.95 and result.f1 >= 0.90 and result.offtopic_matched == 0
