"""Generate a realistic, deterministic SAMPLE network of SME public service institutions.

Reads seed_data/divisions.csv and writes seed_data/institutions.csv (committed as data).
The institutions are illustrative: names follow real naming conventions, but addresses,
phone numbers and example.com sites are invented.

Run:  python seed_data/generate_sample_network.py [--output PATH]
Needs pypinyin (for ASCII host names); the same inputs always give a byte-identical file.
"""
import argparse
import csv
import random
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from pypinyin import lazy_pinyin

from directory.regions.editions import listed_on

HERE = Path(__file__).parent
DIVISIONS_CSV = HERE / "divisions.csv"
OUTPUT_CSV = HERE / "institutions.csv"
SEED = 20240615
TARGET_TOTAL = 1780
COVERED_PREFECTURES = 275  # (31 + 275) / 364 = 0.841 municipal-and-above coverage
EARLIEST, LATEST = date(2012, 1, 1), date(2026, 10, 31)
SAMPLE_LIST_DAY = "2022-12-31"   # the division list the sample was first drawn from (see load_divisions)

FIELDS = ["id", "name", "level", "region_code", "services", "description", "address", "phone",
          "email", "website", "status", "demonstration_platform", "created_at", "closed_at"]
SERVICE_LABELS = {"policy": "政策服务", "financing": "投融资服务", "ip": "知识产权", "talent": "人才服务",
                  "digitalization": "数字化转型", "technology": "技术创新", "management": "管理咨询",
                  "legal": "法律服务", "market": "市场开拓", "entrepreneurship": "创业服务"}
SERVICES = list(SERVICE_LABELS)
# Two phrasings per service so descriptions do not all read alike.
SERVICE_PHRASES = {
    "policy": ["宣传解读惠企政策，开展政策申报辅导和惠企政策精准推送", "归集发布各级涉企政策，协助企业兑现奖补资金"],
    "financing": ["组织银企对接和股权投资路演，协调融资担保与供应链金融服务", "搭建银企对接平台，推广信用贷款、融资担保和应收账款融资"],
    "ip": ["提供专利质押融资、商标注册指导和知识产权快速维权服务", "开展专利导航、商标注册代理和知识产权保护咨询"],
    "talent": ["举办人才招聘会，组织职业技能培训和经营管理人才研修", "提供人才招聘、职业技能培训和企业家素质提升培训"],
    "digitalization": ["推动企业上云用数赋智，开展智能制造诊断和数字化改造咨询", "依托工业互联网平台提供数字化转型诊断和上云用数赋智服务"],
    "technology": ["对接高校院所开展技术转移、检验检测和产学研合作", "提供检验检测、技术转移和研发设计等技术创新服务"],
    "management": ["为企业提供管理咨询、财务诊断和专精特新培育辅导", "开展管理咨询、质量管理提升和专精特新培育服务"],
    "legal": ["提供法律咨询、合同审查和拖欠账款维权服务", "组织律师团队开展法律咨询、法治体检和拖欠账款维权"],
    "market": ["组织企业参加国内外展会，提供出口贸易和市场开拓服务", "开展产销对接、跨境电商出口和境外展会组织服务"],
    "entrepreneurship": ["提供创业辅导、孵化器场地和创业担保贷款申报服务", "运营创业孵化器，开展创业辅导和创业项目路演"],
}
COUNTY_WEIGHTS = {"policy": 6, "entrepreneurship": 5, "financing": 5, "talent": 2, "digitalization": 2,
                  "technology": 2, "management": 2, "legal": 1.5, "market": 1.5, "ip": 1}
NATIONAL = [  # (name, services, host, district)
    ("工业和信息化部中小企业发展促进中心", "policy financing talent digitalization management market", "miit-smedc", "西城区"),
    ("中国中小企业服务网运营中心", "policy financing digitalization market management", "chinasme-net", "海淀区"),
    ("国家中小企业公共服务示范平台联盟", "policy technology management talent", "sme-platform-alliance", "东城区"),
    ("全国中小企业融资综合信用服务平台", "financing policy", "sme-credit-finance", "西城区"),
    ("国家中小企业知识产权公共服务平台", "ip legal technology", "sme-ip-platform", "海淀区"),
]
# (name suffix, services, host suffix); provinces get 2-5 of these, prefectures 0-2 of the second list.
PROVINCIAL_PLATFORMS = [
    ("知识产权保护中心", "ip legal", "ip"), ("工业互联网赋能中心", "digitalization technology", "iiot"),
    ("中小企业融资服务平台", "financing policy", "finance"), ("中小企业人才服务中心", "talent entrepreneurship", "talent"),
    ("中小企业数字化转型促进中心", "digitalization management", "digital"), ("中小企业法律服务中心", "legal", "legal"),
    ("中小企业创业创新服务中心", "entrepreneurship technology financing", "startup"),
    ("中小企业国际合作服务中心", "market policy", "intl"),
]
MUNICIPAL_PLATFORMS = [
    ("中小企业融资服务平台", "financing policy", "finance"), ("知识产权服务中心", "ip legal", "ip"),
    ("工业互联网赋能中心", "digitalization technology", "iiot"), ("中小企业人才服务中心", "talent", "talent"),
    ("中小企业数字化转型促进中心", "digitalization management", "digital"),
    ("中小企业创业创新服务中心", "entrepreneurship technology", "startup"),
    ("中小企业检验检测公共服务平台", "technology market", "testing"),
]
COUNTY_KINDS = [("中小企业服务中心", [], "sme"), ("中小企业创业服务中心", ["entrepreneurship"], "sme-startup"),
                ("科技企业孵化器", ["entrepreneurship", "technology"], "sme-incubator")]
MUNICIPALITIES = {"110000": "010", "120000": "022", "310000": "021", "500000": "023"}
# Real area codes, keyed by short prefecture name; unlisted prefectures fall back to the capital's.
AREA_CODES = dict(item.split("=") for item in """
石家庄=0311 唐山=0315 秦皇岛=0335 邯郸=0310 邢台=0319 保定=0312 张家口=0313 承德=0314 沧州=0317 廊坊=0316
衡水=0318 太原=0351 大同=0352 阳泉=0353 长治=0355 晋城=0356 朔州=0349 晋中=0354 运城=0359 忻州=0350 临汾=0357
吕梁=0358 呼和浩特=0471 包头=0472 乌海=0473 赤峰=0476 通辽=0475 鄂尔多斯=0477 呼伦贝尔=0470 巴彦淖尔=0478
乌兰察布=0474 兴安=0482 锡林郭勒=0479 阿拉善=0483 沈阳=024 大连=0411 鞍山=0412 丹东=0415 锦州=0416 营口=0417
长春=0431 吉林=0432 延边=0433 四平=0434 通化=0435 白城=0436 辽源=0437 松原=0438 白山=0439 哈尔滨=0451
齐齐哈尔=0452 牡丹江=0453 佳木斯=0454 大庆=0459 南京=025 无锡=0510 镇江=0511 苏州=0512 南通=0513 扬州=0514
盐城=0515 徐州=0516 淮安=0517 连云港=0518 常州=0519 泰州=0523 宿迁=0527 杭州=0571 湖州=0572 嘉兴=0573
宁波=0574 绍兴=0575 台州=0576 温州=0577 丽水=0578 金华=0579 舟山=0580 衢州=0570 合肥=0551 蚌埠=0552
芜湖=0553 淮南=0554 马鞍山=0555 安庆=0556 宿州=0557 阜阳=0558 黄山=0559 滁州=0550 淮北=0561 铜陵=0562
宣城=0563 六安=0564 池州=0566 福州=0591 厦门=0592 宁德=0593 莆田=0594 泉州=0595 漳州=0596 龙岩=0597
三明=0598 南平=0599 南昌=0791 九江=0792 上饶=0793 抚州=0794 宜春=0795 吉安=0796 赣州=0797 景德镇=0798
萍乡=0799 新余=0790 鹰潭=0701 济南=0531 青岛=0532 淄博=0533 德州=0534 烟台=0535 潍坊=0536 济宁=0537
泰安=0538 临沂=0539 菏泽=0530 滨州=0543 东营=0546 威海=0631 枣庄=0632 日照=0633 聊城=0635 郑州=0371
洛阳=0379 平顶山=0375 安阳=0372 新乡=0373 许昌=0374 南阳=0377 信阳=0376 武汉=027 黄石=0714 十堰=0719
宜昌=0717 襄阳=0710 荆州=0716 长沙=0731 衡阳=0734 岳阳=0730 常德=0736 广州=020 深圳=0755 珠海=0756
汕头=0754 佛山=0757 江门=0750 湛江=0759 肇庆=0758 惠州=0752 东莞=0769 中山=0760 南宁=0771 柳州=0772
桂林=0773 北海=0779 海口=0898 三亚=0898 成都=028 自贡=0813 攀枝花=0812 泸州=0830 德阳=0838 绵阳=0816
南充=0817 宜宾=0831 贵阳=0851 昆明=0871 曲靖=0874 玉溪=0877 大理=0872 拉萨=0891 西安=029 宝鸡=0917
延安=0911 榆林=0912 兰州=0931 天水=0938 西宁=0971 银川=0951 乌鲁木齐=0991 克拉玛依=0990 喀什=0998 伊犁=0999
株洲=0731 湘潭=0731 郴州=0735 邵阳=0739 张家界=0744 益阳=0737 永州=0746 怀化=0745 娄底=0738 湘西=0743 武威=0935
张掖=0936 酒泉=0937 嘉峪关=0937 金昌=0935 白银=0943 平凉=0933 庆阳=0934 定西=0932 陇南=0939 临夏=0930 甘南=0941
鄂州=0711 荆门=0724 孝感=0712 黄冈=0713 咸宁=0715 随州=0722 恩施=0718 开封=0371 鹤壁=0392 焦作=0391 濮阳=0393
漯河=0395 三门峡=0398 商丘=0370 周口=0394 驻马店=0396 韶关=0751 茂名=0668 梅州=0753 汕尾=0660 河源=0762 阳江=0662
清远=0763 潮州=0768 揭阳=0663 云浮=0766 梧州=0774 防城港=0770 钦州=0777 贵港=0775 玉林=0775 百色=0776 贺州=0774
河池=0778 来宾=0772 崇左=0771 广元=0839 内江=0832 乐山=0833 眉山=028 广安=0826 达州=0818 雅安=0835 巴中=0827
资阳=028 遂宁=0825 阿坝=0837 甘孜=0836 凉山=0834 六盘水=0858 遵义=0851 安顺=0851 毕节=0857 铜仁=0856 黔西南=0859
黔东南=0855 黔南=0854 昭通=0870 丽江=0888 普洱=0879 临沧=0883 楚雄=0878 红河=0873 文山=0876 西双版纳=0691
德宏=0692 怒江=0886 迪庆=0887 保山=0875 日喀则=0892 山南=0893 林芝=0894 昌都=0895 那曲=0896 阿里=0897 铜川=0919
咸阳=029 渭南=0913 汉中=0916 安康=0915 商洛=0914 海东=0972 海北=0970 黄南=0973 海南=0974 果洛=0975 玉树=0976
海西=0977 石嘴山=0952 吴忠=0953 固原=0954 中卫=0955 吐鲁番=0995 哈密=0902 昌吉=0994 博尔塔拉=0909 巴音郭楞=0996
阿克苏=0997 克孜勒苏=0908 和田=0903 塔城=0901 阿勒泰=0906 鸡西=0467 鹤岗=0468 双鸭山=0469 伊春=0458 七台河=0464
黑河=0456 绥化=0455 大兴安岭=0457 阜新=0418 辽阳=0419 盘锦=0427 朝阳=0421 葫芦岛=0429
""".split())
ROADS = ["人民路", "解放路", "建设路", "中山路", "和平路", "新华路", "文化路", "科技路", "创新大道", "世纪大道",
         "发展大道", "高新大道", "工业大道", "振兴路", "长江路", "黄河路", "迎宾大道", "府前街", "学府路", "光明路",
         "团结路", "胜利路", "滨河路", "湖滨路", "金融街", "开发区大道", "产业路", "兴业路", "星湖街", "锦绣路"]
BUILDINGS = ["", "", "中小企业服务大厦", "科技创业大厦{n}楼", "创意产业园{n}号楼", "双创服务中心{n}楼",
             "政务服务中心{n}楼", "总部经济园{n}号楼", "创新创业园A座", "产业孵化基地{n}号楼", "综合服务大楼"]
REMOTE_PROVINCES = {"540000", "630000", "650000"}  # 西藏, 青海, 新疆
COASTAL_PROVINCES = {"320000", "330000", "350000", "370000", "440000"}  # 苏, 浙, 闽, 鲁, 粤: dense networks
PINYIN_FIXES = {"朝阳": "chaoyang", "单县": "shanxian", "陕西": "shaanxi"}  # misread, or 山西 clash
ETHNIC_TAIL = re.compile(
    r"(?:(?:满|回|藏|苗|彝|壮|侗|瑶|白|黎|佤|畲|水|土|怒|各|傣|羌)族|(?:蒙古|维吾尔|布依|朝鲜|土家|哈尼|哈萨克|"
    r"傈僳|拉祜|东乡|纳西|景颇|柯尔克孜|达斡尔|仫佬|布朗|撒拉|毛南|仡佬|锡伯|普米|塔吉克|裕固|保安|独龙)族?)$")


def load_divisions(path=DIVISIONS_CSV):
    """Return the divisions the sample is drawn from, keyed by code, with a list of child codes each.

    That is the list as it stood on SAMPLE_LIST_DAY, in code order, with each division retired
    since replaced in its place by its successor, as `divisions update` moves institutions: so no
    institution sits in a retired code, and a new edition does not reshuffle the whole sample.
    """
    with open(path, encoding="utf-8", newline="") as f:
        every = {r["code"]: r for r in csv.DictReader(f)}
    return listed_on(every, SAMPLE_LIST_DAY)


def short_name(name):
    """Strip administrative suffixes and ethnic designations: 延边朝鲜族自治州 -> 延边, 苏州市 -> 苏州."""
    name = re.sub(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|(?<=族)区)$", "", name)
    while (m := ETHNIC_TAIL.search(name)) and m.start() >= 2:
        name = name[:m.start()]
    for suffix in ("族", "省", "市", "地区", "盟", "林区", "县", "区", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[:-len(suffix)]
    return name


def to_pinyin(name, short=True):
    """ASCII pinyin of a place name, by default of its short form."""
    name = short_name(name) if short else name
    return PINYIN_FIXES.get(name) or re.sub(r"[^a-z]", "", "".join(lazy_pinyin(name)).lower())


def region_slugs(divisions):
    """Give every division a unique ASCII slug, qualifying clashes with the parent's slug."""
    slugs, used = {}, set()
    ranks = {"province": 0, "prefecture": 1, "county": 2}  # higher levels get the plain slugs
    for code, d in sorted(divisions.items(), key=lambda item: (ranks[item[1]["level"]], item[0])):
        parent, plain = slugs.get(d["parent_code"]), to_pinyin(d["name"])
        if d["level"] == "county" and county_place(divisions, code) != d["name"]:
            plain = f"{parent}-{plain}"  # districts are named with their city: nanjing-gulou
        candidates = [plain]
        if parent:
            candidates += [f"{parent}-{plain}", f"{parent}-{to_pinyin(d['name'], short=False)}"]
        slugs[code] = next(c for c in candidates + [f"{plain}{n}" for n in range(2, 20)] if c not in used)
        used.add(slugs[code])
    return slugs


def random_date(rng, start, end):
    """Uniform random date in [start, end]."""
    return start + timedelta(days=rng.randint(0, (end - start).days))


def area_code(divisions, code):
    """Telephone area code of a division (counties and provinces borrow their city's)."""
    d = divisions[code]
    if code in MUNICIPALITIES:
        return MUNICIPALITIES[code]
    if d["level"] == "province":
        return area_code(divisions, d["children"][0])  # first prefecture is the capital
    if d["level"] == "county":
        return area_code(divisions, d["parent_code"])
    return AREA_CODES.get(short_name(d["name"])) or area_code(divisions, d["parent_code"])


def phone(rng, code):
    """Landline in the usual area-code-dash-number form."""
    digits = 8 if len(code) == 3 or rng.random() < 0.7 else 7
    return f"{code}-{rng.randint(2, 8)}{rng.randint(0, 10 ** (digits - 1) - 1):0{digits - 1}d}"


def address(rng, divisions, place_codes):
    """Province + city (+ district) + road + number (+ building)."""
    parts = [divisions[c]["name"] for c in place_codes]
    building = rng.choice(BUILDINGS).format(n=rng.randint(1, 12))
    return f"{''.join(parts)}{rng.choice(ROADS)}{rng.randint(1, 999)}号{building}"


def seat_of(rng, divisions, code):
    """Place codes for a body seated in a city and one of its districts; provinces sit in their capital."""
    d = divisions[code]
    if d["level"] == "province" and code not in MUNICIPALITIES:
        return seat_of(rng, divisions, d["children"][0])  # the first prefecture is the capital
    districts = [c for c in d["children"] if divisions[c]["name"].endswith("区")] or d["children"]
    chain = [code] if d["level"] == "province" else [d["parent_code"], code]
    return chain + ([rng.choice(districts)] if districts else [])


def describe(rng, inst, place, kind):
    """Build 2-3 sentences: what the body is, what it does (one phrase per service), its standing."""
    services = inst["services"].split(";")
    focus = "、".join(SERVICE_LABELS[s] for s in services[:3])
    intro = {"centre": f"{inst['name']}是{place}中小企业公共服务体系的枢纽平台，面向中小企业提供一站式公益性服务。",
             "platform": f"{inst['name']}是{place}聚焦{focus}的专业化服务平台。",
             "county": f"{inst['name']}立足{place}，为辖区小微企业和个体工商户提供就近便捷的服务。"}[kind]
    body = "主要" + "；".join(rng.choice(SERVICE_PHRASES[s]) for s in services) + "。"
    if inst["status"] == "closed":
        tail = f"该机构已于{inst['closed_at'][:4]}年停止运营，相关业务并入当地政务服务中心。"
    elif inst["status"] == "suspended":
        tail = "目前因场地调整暂停对外服务。"
    elif inst["demonstration_platform"] == "1":
        tail = f"{min(max(int(inst['created_at'][:4]) + 1, 2015), 2026)}年被认定为中小企业公共服务示范平台。"
    else:
        tail = ""
    return intro + body + tail


def make(rng, divisions, name, level, region, services, host, place_codes, start, end, demo_p, keep_active=False):
    """One institution row (without id or description); status drawn unless it must stay active."""
    roll = 1.0 if keep_active else rng.random()
    status = "closed" if roll < 0.013 else "suspended" if roll < 0.032 else "active"
    created = random_date(rng, start, min(end, date(2025, 12, 31)) if status == "closed" else end)
    closed = random_date(rng, created + timedelta(days=180), LATEST) if status == "closed" else None
    return {"name": name, "level": level, "region_code": region,
            "services": ";".join(sorted(set(services))), "address": address(rng, divisions, place_codes),
            "phone": phone(rng, area_code(divisions, place_codes[-1])),
            "email": f"{rng.choice(['service', 'contact', 'info', 'office'])}@{host}.example.com",
            "website": f"https://{host}.example.com", "status": status,
            "demonstration_platform": "1" if status != "closed" and rng.random() < demo_p else "0",
            "created_at": f"{created.isoformat()}T00:00:00+00:00",
            "closed_at": f"{closed.isoformat()}T00:00:00+00:00" if closed else ""}


def centre_services(rng):
    """Policy plus 3-7 other categories: the broad mix of a general service centre."""
    others = [s for s in SERVICES if s != "policy"]
    return ["policy"] + rng.sample(others, rng.randint(3, 7))


def national_institutions(rng, divisions):
    """The handful of national bodies, all active demonstration platforms seated in Beijing."""
    out = []
    for name, services, host, district in NATIONAL:
        seat = [c for c in divisions["110000"]["children"] if divisions[c]["name"] == district]
        out.append((make(rng, divisions, name, "national", "", services.split(), host, ["110000"] + seat,
                         EARLIEST, date(2016, 12, 31), 1.0, keep_active=True), "全国", "centre"))
    return out


def provincial_institutions(rng, divisions, slugs, provinces):
    """A public service centre per mainland province plus 2-5 specialised provincial platforms."""
    out = []
    for code in provinces:
        prov = divisions[code]["name"]
        out.append((make(rng, divisions, f"{prov}中小企业公共服务中心", "provincial", code, centre_services(rng),
                         f"{slugs[code]}-sme", seat_of(rng, divisions, code), EARLIEST, date(2018, 12, 31),
                         0.9, keep_active=True), prov, "centre"))
        picked = sorted(rng.sample(range(len(PROVINCIAL_PLATFORMS)), rng.randint(2, 5)))
        for suffix, services, host in (PROVINCIAL_PLATFORMS[i] for i in picked):
            extra = [rng.choice(["policy", "management"])] if rng.random() < 0.4 else []
            out.append((make(rng, divisions, f"{prov}{suffix}", "provincial", code, services.split() + extra,
                             f"{slugs[code]}-sme-{host}", seat_of(rng, divisions, code), EARLIEST,
                             date(2020, 12, 31), 0.6), prov, "platform"))
    return out


def choose_uncovered(rng, divisions, prefectures):
    """Prefectures left without an active municipal body: mostly remote leagues, prefectures and regions."""
    def remoteness(code):
        name = divisions[code]["name"]
        return (rng.random() + 1.0 * (code[:2] + "0000" in REMOTE_PROVINCES)
                + 0.7 * (not name.endswith("市")) - 0.3 * (code[:2] + "0000" in COASTAL_PROVINCES)
                - 9 * (code[2:4] == "01"))  # never a capital
    scores = {code: remoteness(code) for code in prefectures}
    return set(sorted(prefectures, key=lambda c: -scores[c])[:len(prefectures) - COVERED_PREFECTURES])


def municipal_institutions(rng, divisions, slugs, prefectures, uncovered):
    """A centre (plus 0-2 platforms) per covered prefecture; a few uncovered ones keep an inactive centre."""
    out = []
    # A few uncovered prefectures keep a centre that has paused or closed: a realistic kind of gap.
    dormant = dict(zip(rng.sample(sorted(uncovered), 4), ["suspended", "suspended", "closed", "closed"]))
    for code in prefectures:
        if code in uncovered and code not in dormant:
            continue
        city, seat = divisions[code]["name"], seat_of(rng, divisions, code)
        inst = make(rng, divisions, f"{city}中小企业公共服务中心", "municipal", code, centre_services(rng),
                    f"{slugs[code]}-sme", seat, date(2013, 1, 1), date(2023, 12, 31), 0.35, keep_active=True)
        if code in dormant:
            inst.update(status=dormant[code], demonstration_platform="0")
            if dormant[code] == "closed":
                closed = random_date(rng, date.fromisoformat(inst["created_at"][:10]) + timedelta(days=365), LATEST)
                inst["closed_at"] = f"{closed.isoformat()}T00:00:00+00:00"
        out.append((inst, city, "centre"))
        if code in uncovered:
            continue
        for suffix, services, host in rng.sample(MUNICIPAL_PLATFORMS, rng.choices([0, 1, 2], [3, 4, 3])[0]):
            out.append((make(rng, divisions, f"{city}{suffix}", "municipal", code, services.split(),
                             f"{slugs[code]}-sme-{host}", seat_of(rng, divisions, code), date(2014, 1, 1),
                             LATEST, 0.25), city, "platform"))
    for code in MUNICIPALITIES:  # provincial-level municipalities also run city-level bodies
        city = divisions[code]["name"]
        for suffix, services, host, kind in [
                ("中小企业服务中心", centre_services(rng), "center", "centre"),
                ("中小企业创新创业服务基地", ["entrepreneurship", "technology", "policy"], "base", "platform")]:
            out.append((make(rng, divisions, f"{city}{suffix}", "municipal", code, services,
                             f"{slugs[code]}-sme-{host}", seat_of(rng, divisions, code), date(2013, 1, 1),
                             date(2022, 12, 31), 0.4), city, kind))
    return out


def county_place(divisions, code):
    """How a county is named in an institution's name: districts carry their city's name."""
    d, parent = divisions[code], divisions[divisions[code]["parent_code"]]
    prefixed = d["name"].endswith("区") and (parent["level"] == "prefecture" or parent["code"] in MUNICIPALITIES)
    return parent["name"] + d["name"] if prefixed else d["name"]


def county_institutions(rng, divisions, slugs, counties, uncovered, total):
    """`total` county bodies: one in each sampled county, a second one in about 5% of them."""
    doubles = round(total * 0.05)
    # Weighted sampling without replacement (key = u ** (1/w)): remote, uncovered areas get fewer bodies.
    def weight(code):
        return 0.3 if divisions[code]["parent_code"] in uncovered or code[:2] + "0000" in REMOTE_PROVINCES else 1.0
    keys = {code: rng.random() ** (1 / weight(code)) for code in counties}
    chosen = sorted(sorted(counties, key=lambda c: -keys[c])[:total - doubles])
    twice = set(rng.sample(chosen, doubles))
    out = []
    for code in chosen:
        place, parent = county_place(divisions, code), divisions[code]["parent_code"]
        chain = ([parent] if parent in MUNICIPALITIES or divisions[parent]["level"] == "province"
                 else [parent[:2] + "0000", parent]) + [code]
        kinds = [COUNTY_KINDS[0] if rng.random() < 0.9 else COUNTY_KINDS[1]]
        if code in twice:
            kinds.append(rng.choice([k for k in COUNTY_KINDS[1:] if k[0] != kinds[0][0]]))
        for suffix, required, host in kinds:
            services = list(required)
            k = rng.randint(max(2, len(services)), 5)
            while len(services) < k:
                pool = [s for s in SERVICES if s not in services]
                services.append(rng.choices(pool, [COUNTY_WEIGHTS[s] for s in pool])[0])
            out.append((make(rng, divisions, f"{place}{suffix}", "county", code, services, f"{slugs[code]}-{host}",
                             chain, date(2014, 1, 1), LATEST, 0.04), place, "county"))
    return out


def codes_at(divisions, level):
    """Division codes of one level, in code order."""
    return [code for code, d in divisions.items() if d["level"] == level]


def build_network(divisions, seed=SEED):
    """All institutions in id order: national, provincial, municipal, county (each by region code)."""
    rng = random.Random(seed)
    slugs = region_slugs(divisions)
    provinces = [c for c in codes_at(divisions, "province") if divisions[c]["children"]]  # not 台湾, 香港, 澳门
    prefectures, counties = codes_at(divisions, "prefecture"), codes_at(divisions, "county")
    uncovered = choose_uncovered(rng, divisions, prefectures)
    upper = (national_institutions(rng, divisions) + provincial_institutions(rng, divisions, slugs, provinces)
             + municipal_institutions(rng, divisions, slugs, prefectures, uncovered))
    rows = upper + county_institutions(rng, divisions, slugs, counties, uncovered, TARGET_TOTAL - len(upper))
    levels = ["national", "provincial", "municipal", "county"]
    rows.sort(key=lambda r: (levels.index(r[0]["level"]), r[0]["region_code"]))  # stable within a region
    for i, (inst, place, kind) in enumerate(rows, start=1):
        inst["id"] = i
        inst["description"] = describe(rng, inst, place, kind)
    institutions = [inst for inst, _, _ in rows]
    assert len({(r["name"], r["region_code"]) for r in institutions}) == len(institutions)
    assert len({r["website"] for r in institutions}) == len(institutions)
    return institutions


def write_csv(institutions, path):
    """Write UTF-8 CSV with LF line endings (byte-stable across platforms)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(institutions)


def summarise(institutions, divisions):
    """Print counts per level and active coverage, the figures the sample is tuned to."""
    active = [r for r in institutions if r["status"] == "active"]
    levels = ["national", "provincial", "municipal", "county"]
    count = Counter(r["level"] for r in institutions)
    active_count = Counter(r["level"] for r in active)
    print(f"total {len(institutions)}  status {dict(sorted(Counter(r['status'] for r in institutions).items()))}"
          f"  demonstration {sum(r['demonstration_platform'] == '1' for r in institutions)}")
    for level in levels:
        print(f"  {level:<10} {count[level]:>5}  active {active_count[level]:>5}")
    with open(DIVISIONS_CSV, encoding="utf-8", newline="") as f:   # today's list, as the statistics count
        in_force = Counter(r["level"] for r in csv.DictReader(f)
                           if not r["retired_on"] and r["code"][:2] not in ("71", "81", "82"))
    covered = {}
    totals = {"provincial": in_force["province"], "municipal": in_force["prefecture"], "county": in_force["county"]}
    for level, kind in [("provincial", "province"), ("municipal", "prefecture"), ("county", "county")]:
        # Municipal bodies of 北京/天津/上海/重庆 sit on a province code and do not cover a prefecture.
        covered[level] = {r["region_code"] for r in active
                          if r["level"] == level and divisions[r["region_code"]]["level"] == kind}
        print(f"  coverage {level:<10} {len(covered[level]):>4}/{totals[level]} "
              f"= {len(covered[level]) / totals[level]:.3f}")
    rate = (len(covered["provincial"]) + len(covered["municipal"])) / (totals["provincial"] + totals["municipal"])
    print(f"  municipal-and-above coverage {rate:.4f}")


def main():
    """Generate the sample network, write it and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_CSV, help="CSV to write")
    args = parser.parse_args()
    divisions = load_divisions()
    institutions = build_network(divisions)
    write_csv(institutions, args.output)
    print(f"wrote {args.output}")
    summarise(institutions, divisions)


if __name__ == "__main__":
    main()
