"""Human-readable reasons, in Chinese or English, from the structured ``Reason`` of ranking."""
from matching.ranking import Reason

TIER_WORDS = {
    "zh": {"county": "区县", "municipal": "地级市", "provincial": "省份"},
    "en": {"county": "county", "municipal": "city", "provincial": "province"},
}


def render_reason(reason: Reason, *, language: str, category_names: dict[str, str]) -> str:
    """One reason as a sentence; ``category_names`` maps codes to names in ``language``."""
    zh = language == "zh"
    if reason.kind == "service":
        name = category_names.get(reason.value, reason.value)
        if zh:
            return f"提供{name}" if name.endswith("服务") else f"提供{name}服务"
        return f"Offers {name[:1].lower()}{name[1:]}"
    if reason.kind == "same_division":
        tier = TIER_WORDS["zh" if zh else "en"][reason.value]
        return f"位于同一{tier}：{reason.detail}" if zh else f"In the same {tier}: {reason.detail}"
    if reason.kind == "national":
        return "国家级机构，服务全国中小企业" if zh else "National institution serving SMEs nationwide"
    if reason.kind == "description":
        return f"描述匹配：{reason.value}" if zh else f"Description mentions: {reason.value}"
    if reason.kind == "out_of_area":
        distance = f"（约 {reason.detail} 公里）" if zh and reason.detail else (
            f" (about {reason.detail} km)" if reason.detail else "")
        return (f"所在地区无此项服务，最近的在{reason.value}{distance}" if zh
                else f"Not offered in your area; nearest is in {reason.value}{distance}")
    return reason.value


def render_reasons(reasons: list[Reason], *, language: str, category_names: dict[str, str]) -> list[str]:
    """Every reason of a provider, rendered."""
    return [render_reason(r, language=language, category_names=category_names) for r in reasons]
