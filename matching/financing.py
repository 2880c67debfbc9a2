"""The vocabulary of financing matchmaking: financing types, financiers, industrial chains, sizes.

Codes are stable (stored in the database, used by the API); each has a Chinese and an English
name, in ``data/financing.toml``. ``FINANCING_TERMS`` ties lexicon terms (``data/lexicon.toml``,
folded) to the financing types they ask for, so a need in free text can say which offers fit it.
"""
import tomllib
from pathlib import Path
from types import MappingProxyType

VOCABULARIES_PATH = Path(__file__).parent / "data" / "financing.toml"


def _vocabularies(path: Path = VOCABULARIES_PATH) -> dict[str, MappingProxyType]:
    """Each table of the vocabularies file as code -> (Chinese name, English name), in the file's order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {table: MappingProxyType({code: tuple(names) for code, names in codes.items()})
            for table, codes in data.items()}


_VOCABULARIES = _vocabularies()
FINANCING_TYPES = _VOCABULARIES["financing_types"]
FINANCIER_TYPES = _VOCABULARIES["financier_types"]
CHAINS = _VOCABULARIES["chains"]   # industrial chains an event may focus on; the industries SMEs and financiers name
ENTERPRISE_SIZES = _VOCABULARIES["enterprise_sizes"]

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
