from hypothesis import given, strategies as st

from matching.normalize import normalize_text


def test_traditional_becomes_simplified():
    assert normalize_text("蘇州市中小企業公共服務中心") == "苏州市中小企业公共服务中心"


def test_full_width_and_case_are_folded():
    assert normalize_text("ＳＭＥ　服务 ＩＰ") == "sme 服务 ip"


def test_spaces_are_collapsed_and_trimmed():
    assert normalize_text("  知识产权 \t\n 服务  ") == "知识产权 服务"


@given(st.text())
def test_any_text_normalises_to_a_fixed_point(text):
    once = normalize_text(text)
    assert isinstance(once, str) and normalize_text(once) == once


def test_pinyin_keys():
    from matching.normalize import initials_key, pinyin_key, pinyin_syllables
    assert pinyin_key("苏州市") == "suzhoushi"
    assert initials_key("苏州市中小企业服务中心") == "szszxqyfwzx"
    assert pinyin_syllables("知识产全") == pinyin_syllables("知识产权")  # IME homophone typo
    assert pinyin_syllables("融姿") == pinyin_syllables("融资")
    assert pinyin_syllables("重庆 MES-系统") == ["chong", "qing", "mes", "xi", "tong"]
    assert pinyin_key("蘇州") == "suzhou"


def test_lone_surrogates_do_not_raise():
    assert normalize_text("专利\ud800申请") == "专利\ufffd申请"
