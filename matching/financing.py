"""The vocabulary of financing matchmaking: financing types, financiers, industrial chains, sizes.

Codes are stable (stored in the database, used by the API); each has a Chinese and an English
name. ``FINANCING_TERMS`` ties lexicon terms (``data/lexicon.toml``, folded) to the financing
types they ask for, so a need in free text can say which offers fit it.
"""
from types import MappingProxyType

FINANCING_TYPES = MappingProxyType({
    "credit_loan": ("信用贷款", "Credit loan"),
    "secured_loan": ("抵押贷款", "Secured loan"),
    "guarantee": ("融资担保", "Financing guarantee"),
    "ip_pledge": ("知识产权质押融资", "IP-pledge financing"),
    "supply_chain": ("供应链金融", "Supply-chain finance"),
    "leasing": ("融资租赁", "Financial leasing"),
    "equity": ("股权投资", "Equity investment"),
    "insurance": ("科技保险", "Technology insurance"),
})

FINANCIER_TYPES = MappingProxyType({
    "bank": ("银行", "Bank"),
    "guarantee": ("担保公司", "Guarantee company"),
    "fund": ("创投/股权基金", "Venture or equity fund"),
    "leasing": ("融资租赁公司", "Leasing company"),
    "insurance": ("保险公司", "Insurer"),
    "other": ("其他金融机构", "Other financier"),
})

# Industrial chains an event may focus on, and the industries SMEs and financiers name.
CHAINS = MappingProxyType({
    "new_energy_vehicle": ("新能源汽车", "New-energy vehicles"),
    "integrated_circuit": ("集成电路", "Integrated circuits"),
    "biomedicine": ("生物医药", "Biomedicine"),
    "advanced_equipment": ("高端装备", "Advanced equipment"),
    "new_materials": ("新材料", "New materials"),
    "software": ("软件和信息服务", "Software and IT services"),
    "artificial_intelligence": ("人工智能", "Artificial intelligence"),
    "green_energy": ("新能源与节能环保", "Clean energy and environment"),
    "modern_agriculture": ("现代农业与食品", "Modern agriculture and food"),
    "consumer_goods": ("消费品与纺织", "Consumer goods and textiles"),
    "other": ("其他", "Other"),
})

ENTERPRISE_SIZES = MappingProxyType({
    "micro": ("微型企业", "Micro"),
    "small": ("小型企业", "Small"),
    "medium": ("中型企业", "Medium"),
})

# Lexicon terms (folded as in data/lexicon.toml) → the financing types they ask for.
FINANCING_TERMS = MappingProxyType({
    "信用贷": ("credit_loan",), "信用贷款": ("credit_loan",), "授信": ("credit_loan",),
    "小额贷款": ("credit_loan",), "普惠金融": ("credit_loan",), "credit line": ("credit_loan",),
    "流动资金": ("credit_loan",), "资金周转": ("credit_loan",), "周转": ("credit_loan",),
    "working capital": ("credit_loan",), "续贷": ("credit_loan",), "转贷": ("credit_loan",),
    "过桥贷款": ("credit_loan",), "过桥资金": ("credit_loan",),
    "银行贷款": ("credit_loan", "secured_loan"), "贷款": ("credit_loan", "secured_loan"),
    "bank loan": ("credit_loan", "secured_loan"), "loan": ("credit_loan", "secured_loan"),
    "抵押": ("secured_loan",), "抵押物": ("secured_loan",), "mortgage": ("secured_loan",),
    "collateral": ("secured_loan",),
    "担保": ("guarantee",), "担保公司": ("guarantee",), "融资担保": ("guarantee",),
    "知识产权质押": ("ip_pledge",), "质押": ("ip_pledge",), "ip pledge": ("ip_pledge",),
    "供应链金融": ("supply_chain",), "保理": ("supply_chain",), "应收账款融资": ("supply_chain",),
    "票据": ("supply_chain",), "贴现": ("supply_chain",), "承兑": ("supply_chain",),
    "supply chain finance": ("supply_chain",), "factoring": ("supply_chain",),
    "融资租赁": ("leasing",), "设备租赁": ("leasing",), "equipment leasing": ("leasing",),
    "finance lease": ("leasing",), "financial leasing": ("leasing",),
    "股权": ("equity",), "股权融资": ("equity",), "股权投资": ("equity",), "投资人": ("equity",),
    "投资机构": ("equity",), "风投": ("equity",), "风险投资": ("equity",), "天使投资": ("equity",),
    "天使轮": ("equity",), "a轮": ("equity",), "b轮": ("equity",), "种子轮": ("equity",),
    "私募股权": ("equity",), "基金": ("equity",), "产业基金": ("equity",), "估值": ("equity",),
    "venture capital": ("equity",), "vc": ("equity",), "equity": ("equity",),
    "angel investor": ("equity",), "angel investment": ("equity",), "angel round": ("equity",),
    "seed funding": ("equity",), "seed round": ("equity",), "investor": ("equity",),
})


def financing_types_for_terms(terms) -> tuple[str, ...]:
    """Financing types asked for by lexicon terms (folded), in vocabulary order."""
    wanted = {code for term in terms for code in FINANCING_TERMS.get(term, ())}
    return tuple(code for code in FINANCING_TYPES if code in wanted)


def label(vocabulary, code: str, language: str = "zh") -> str:
    """The name of ``code`` in ``vocabulary`` in Chinese (``zh``) or English; the code if unknown."""
    names = vocabulary.get(code)
    if names is None:
        return code
    return names[0] if language == "zh" else names[1]
