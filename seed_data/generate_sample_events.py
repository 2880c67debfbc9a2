"""Generate a realistic, deterministic SAMPLE of financing matchmaking events for the sample network.

Reads seed_data/institutions.csv and seed_data/divisions.csv and writes seed_data/events.json:
financiers (bank branches, guarantee companies, funds, leasing firms, insurers), about a hundred
events (银企对接会, 融资路演, 知识产权质押融资对接会, 供应链金融专场 ...) organised by active institutions
that offer financing, SME registrations and, for completed events, their outcomes. Enterprises,
people, phone numbers and needs are invented; credit codes are made up but valid (GB 32100).
Dates are written relative to ANCHOR: the app shifts them by (load date - ANCHOR) when loading.

Run:  python seed_data/generate_sample_events.py [--output PATH]
The same inputs always give a byte-identical file.
"""
import argparse
import csv
import json
import math
import random
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from directory.credit_code import ALPHABET, make_credit_code
from directory.regions.editions import listed_on, province_code_of
from matching.financing import CHAINS, ENTERPRISE_SIZES, FINANCING_TYPES

HERE = Path(__file__).parent
SAMPLE_LIST_DAY = "2022-12-31"   # as in generate_sample_network.py
INSTITUTIONS_CSV, DIVISIONS_CSV, OUTPUT_JSON = HERE / "institutions.csv", HERE / "divisions.csv", HERE / "events.json"
SEED = 20261122
ANCHOR = date(2026, 11, 22)  # the notional "today" of the sample
SHANGHAI = timezone(timedelta(hours=8))
LEVEL_COUNTS = {"national": 4, "provincial": 25, "municipal": 46, "county": 25}
CATEGORY_ORDER = ["policy", "financing", "ip", "talent", "digitalization", "technology", "management",
                  "legal", "market", "entrepreneurship"]
INDUSTRIES = [c for c in CHAINS if c != "other"]
SIZES = list(ENTERPRISE_SIZES)
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
AUTONOMOUS_REGIONS = {"150000": "内蒙古", "450000": "广西", "540000": "西藏", "640000": "宁夏", "650000": "新疆"}
PROVINCE_PINYIN = dict(item.split("=") for item in """
110000=beijing 120000=tianjin 130000=hebei 140000=shanxi 150000=neimenggu 210000=liaoning 220000=jilin
230000=heilongjiang 310000=shanghai 320000=jiangsu 330000=zhejiang 340000=anhui 350000=fujian 360000=jiangxi
370000=shandong 410000=henan 420000=hubei 430000=hunan 440000=guangdong 450000=guangxi 460000=hainan
500000=chongqing 510000=sichuan 520000=guizhou 530000=yunnan 540000=xizang 610000=shaanxi 620000=gansu
630000=qinghai 640000=ningxia 650000=xinjiang""".split())
# Rough weight of SME financing activity: coastal provinces hold more events, remote ones fewer.
PROVINCE_WEIGHTS = {"320000": 4, "330000": 4, "440000": 4, "370000": 3, "310000": 3, "110000": 3, "340000": 2.5,
                    "350000": 2.5, "510000": 2.5, "420000": 2, "430000": 2, "410000": 2, "500000": 2,
                    "120000": 1.5, "130000": 1.5, "360000": 1.5, "610000": 1.5,
                    "540000": 0.4, "630000": 0.4, "650000": 0.6}
PROVINCE_CHAINS = {  # industrial chains a province's events favour
    "110000": "artificial_intelligence software biomedicine", "120000": "advanced_equipment new_materials",
    "130000": "new_materials advanced_equipment", "140000": "green_energy new_materials",
    "150000": "green_energy new_materials", "210000": "advanced_equipment new_materials",
    "220000": "new_energy_vehicle modern_agriculture", "230000": "modern_agriculture advanced_equipment",
    "310000": "integrated_circuit biomedicine artificial_intelligence",
    "320000": "integrated_circuit biomedicine advanced_equipment new_materials",
    "330000": "software consumer_goods new_materials advanced_equipment",
    "340000": "new_energy_vehicle integrated_circuit artificial_intelligence",
    "350000": "consumer_goods new_materials green_energy", "360000": "new_materials green_energy",
    "370000": "advanced_equipment modern_agriculture new_materials",
    "410000": "modern_agriculture advanced_equipment new_energy_vehicle",
    "420000": "integrated_circuit biomedicine new_energy_vehicle", "430000": "advanced_equipment new_materials",
    "440000": "artificial_intelligence software consumer_goods new_energy_vehicle",
    "450000": "new_energy_vehicle modern_agriculture", "460000": "modern_agriculture biomedicine",
    "500000": "new_energy_vehicle software", "510000": "software biomedicine integrated_circuit",
    "520000": "software modern_agriculture", "530000": "modern_agriculture biomedicine",
    "610000": "integrated_circuit new_energy_vehicle advanced_equipment", "620000": "green_energy new_materials",
    "640000": "green_energy new_materials", "650000": "green_energy modern_agriculture",
}
COUNTY_CHAINS = "modern_agriculture consumer_goods advanced_equipment new_materials"
# Event formats: (financing types, optional extra types, categories, optional categories,
#                 (min, max) chains, slot lengths, titles); titles with {chain} need a chain.
FORMATS = {
    "bank": (["credit_loan", "secured_loan"], ["guarantee", "supply_chain", "ip_pledge"], [], ["policy"], (0, 2),
             [20, 20, 15, 30], ["{year}年{place}{chain}产业银企对接会", "{place}{year}年{month}月银企对接会",
                                "{year}年{place}“专精特新”中小企业银企对接会",
                                "{place}中小企业融资对接会暨惠企政策宣讲会（{year}年{month}月）"]),
    "ip": (["ip_pledge", "credit_loan"], ["guarantee", "insurance"], ["ip"], ["technology", "legal"], (0, 2),
           [20, 30], ["{year}年{place}知识产权质押融资对接会",
                      "{place}“知惠行”知识产权质押融资入园惠企活动（{year}年{month}月）",
                      "{year}年{place}{chain}产业知识产权质押融资专场"]),
    "supply": (["supply_chain", "credit_loan"], ["secured_loan", "guarantee"], ["market"], [], (1, 1), [20, 30],
               ["{place}{chain}产业链供应链金融专场对接会（{year}年{month}月）",
                "{year}年{place}“链主+配套”供应链金融专场", "{year}年{place}{chain}产业链供需与融资对接会"]),
    "roadshow": (["equity"], ["credit_loan", "ip_pledge"], ["technology"], ["entrepreneurship"], (1, 2), [30],
                 ["{year}年{place}{chain}企业股权融资路演", "{place}科技型中小企业融资路演（{year}年第{month}期）",
                  "{year}年{place}“专精特新”企业投融资路演"]),
    "guarantee": (["guarantee", "credit_loan"], ["secured_loan"], ["policy"], [], (0, 1), [15, 20],
                  ["{place}“政银担”融资对接会（{year}年{month}月）", "{year}年{place}政府性融资担保服务进园区活动"]),
    "leasing": (["leasing", "secured_loan"], ["credit_loan"], ["technology"], [], (1, 1), [20, 30],
                ["{year}年{place}融资租赁助力设备更新专场对接会", "{place}{chain}企业设备更新融资对接会（{year}年{month}月）"]),
    "insurance": (["insurance", "credit_loan"], ["ip_pledge"], ["technology"], ["ip"], (0, 1), [20],
                  ["{place}“科技保险+信贷”专场推介会（{year}年{month}月）", "{year}年{place}科技保险与科技信贷对接会"]),
    "first_loan": (["credit_loan"], ["guarantee"], ["policy"], [], (0, 0), [15, 20],
                   ["{place}小微企业首贷续贷服务专场（{year}年{month}月）", "{year}年{place}普惠金融“首贷户”拓展对接会"]),
    "national": (["credit_loan", "equity", "ip_pledge"], ["guarantee", "supply_chain", "leasing"], ["policy"],
                 ["technology", "market"], (1, 1), [30],
                 ["{year}年“一月一链”全国中小企业投融资路演（{chain}专场）",
                  "{year}年全国专精特新中小企业{chain}产业链融资对接会",
                  "{year}年全国中小企业融资促进“惠企行”{city}站"]),
}
FORMAT_WEIGHTS = {
    "national": {"national": 1},
    "provincial": {"roadshow": 3, "bank": 3, "ip": 2, "supply": 2, "guarantee": 1, "leasing": 1, "insurance": 1},
    "municipal": {"bank": 4, "ip": 2, "supply": 2, "roadshow": 2, "guarantee": 2, "leasing": 1, "insurance": 1,
                  "first_loan": 1},
    "county": {"bank": 4, "first_loan": 3, "guarantee": 3, "ip": 1, "supply": 1},
}
CAPACITIES = {"national": [120, 150, 200], "provincial": [60, 80, 100, 120, 150],
              "municipal": [40, 50, 60, 80, 100], "county": [20, 30, 40, 50]}
FINANCIER_COUNTS = {"national": (10, 15), "provincial": (7, 13), "municipal": (5, 10), "county": (4, 7)}
NATIONAL_CITIES = ["北京", "上海", "合肥", "苏州", "深圳", "成都", "武汉", "杭州"]
HOLIDAYS = [(date(2026, 1, 1), date(2026, 1, 3)), (date(2026, 2, 14), date(2026, 2, 23)),
            (date(2026, 5, 1), date(2026, 5, 5)), (date(2026, 10, 1), date(2026, 10, 8)),
            (date(2027, 1, 1), date(2027, 1, 3)), (date(2027, 2, 4), date(2027, 2, 13)),
            (date(2027, 5, 1), date(2027, 5, 5)), (date(2027, 10, 1), date(2027, 10, 7))]
VENUES = {"city": ["{city}国际会展中心{hall}馆", "{city}市民中心{floor}楼会议厅", "{city}高新区科技金融服务中心路演大厅",
                   "{city}金融服务中心{floor}楼路演厅", "{city}国际大酒店{floor}楼宴会厅", "{org}{floor}楼多功能厅",
                   "{city}科技大市场路演中心"],
          "county": ["{place}政务服务中心{floor}楼会议室", "{place}经济开发区管委会{floor}楼会议室", "{org}多功能厅",
                     "{place}会议中心{floor}号会议室"]}

# Financiers: national ones, then kinds a province draws from: (type, name templates,
# (financing types always, sometimes), amount min / max choices in 万元, website template).
NATIONAL_FINANCIERS = [
    ("中国工商银行普惠金融事业部", "bank", ["credit_loan", "secured_loan", "ip_pledge", "supply_chain"], 10, 5000, "icbc"),
    ("中国邮政储蓄银行普惠金融事业部", "bank", ["credit_loan", "secured_loan", "supply_chain"], 5, 3000, "psbc"),
    ("交通银行普惠金融事业部", "bank", ["credit_loan", "secured_loan", "ip_pledge"], 10, 3000, "bankcomm"),
    ("国家融资担保基金有限责任公司", "guarantee", ["guarantee"], 100, 1000, "national-guarantee-fund"),
    ("国家中小企业发展基金有限公司", "fund", ["equity"], 1000, 5000, "sme-development-fund"),
    ("国科中小企业创新投资基金管理有限公司", "fund", ["equity"], 300, 3000, None),
    ("国新科技融资租赁有限公司", "leasing", ["leasing"], 100, 5000, None),
    ("中国人民财产保险股份有限公司科技保险事业部", "insurance", ["insurance"], 50, 2000, "picc"),
]
BIG_BANKS = [("中国工商银行", "icbc"), ("中国农业银行", "abchina"), ("中国银行", "boc"), ("中国建设银行", "ccb"),
             ("交通银行", "bankcomm"), ("中国邮政储蓄银行", "psbc")]
STOCK_BANKS = [("招商银行", "cmbchina"), ("兴业银行", "cib"), ("浦发银行", "spdb"), ("中信银行", "citicbank"),
               ("民生银行", "cmbc"), ("光大银行", "cebbank"), ("平安银行", "pingan"), ("华夏银行", "hxb")]
INSURERS = [("中国人民财产保险股份有限公司", "picc"), ("中国太平洋财产保险股份有限公司", "cpic"),
            ("中国平安财产保险股份有限公司", "pingan")]
FINANCIER_KINDS = {
    "provincial_bank": ("bank", ["{big_bank}{prov}分行"],
                        (["credit_loan", "secured_loan"], ["ip_pledge", "supply_chain"]),
                        ([10, 30, 50], [3000, 5000]), "https://www.{big_host}.example.com/{prov_py}"),
    "city_bank": ("bank", ["{city_short}银行"], (["credit_loan", "secured_loan"], ["ip_pledge", "supply_chain"]),
                  ([10, 30], [1000, 2000, 3000]), None),
    "city_branch": ("bank", ["{stock_bank}{city_short}分行"],
                    (["credit_loan", "secured_loan"], ["supply_chain", "ip_pledge"]),
                    ([10, 50], [1000, 2000, 3000]), "https://www.{stock_host}.example.com"),
    "rural_bank": ("bank", ["{prov_short}{county_short}农村商业银行"], (["credit_loan", "secured_loan"], []),
                   ([5, 10], [300, 500, 1000]), None),
    "guarantee_group": ("guarantee", ["{prov}信用融资担保集团有限公司", "{prov}中小企业融资担保有限公司"],
                        (["guarantee"], []), ([50, 100], [1000, 2000]), "https://www.{prov_py}-guarantee.example.com"),
    "city_guarantee": ("guarantee", ["{city}融资担保有限公司", "{city_short}科技融资担保有限公司"], (["guarantee"], []),
                       ([10, 50], [500, 1000]), None),
    "provincial_fund": ("fund", ["{prov_short}高新技术创业投资有限公司", "{prov}中小企业发展基金（有限合伙）"],
                        (["equity"], []), ([300, 500, 1000], [3000, 5000]), "https://www.{prov_py}-vc.example.com"),
    "angel_fund": ("fund", ["{city_short}天使投资引导基金", "{city_short}{brand}创业投资管理有限公司"], (["equity"], []),
                   ([50, 100], [500, 1000]), None),
    "leasing": ("leasing", ["{prov_short}金融租赁股份有限公司", "{city_short}{brand}融资租赁有限公司"], (["leasing"], []),
                ([100, 200], [2000, 3000, 5000]), None),
    "insurer": ("insurance", ["{insurer}{prov}分公司"], (["insurance"], []), ([10, 50], [500, 1000, 2000]),
                "https://www.{insurer_host}.example.com/{prov_py}"),
    "microloan": ("other", ["{city_short}{brand}小额贷款有限公司"], (["credit_loan"], []), ([5, 10], [100, 300]), None),
    "factoring": ("other", ["{city_short}{brand}商业保理有限公司"], (["supply_chain"], []), ([50, 100], [1000, 2000]), None),
}
CORE_KINDS = ["provincial_bank", "guarantee_group", "city_bank"]
# Kinds a province gets whenever one of its events offers the financing type.
KIND_FOR_TYPE = {"equity": "provincial_fund", "leasing": "leasing", "insurance": "insurer"}
EXTRA_KINDS = {"city_branch": 3, "leasing": 3, "provincial_fund": 2, "rural_bank": 2, "angel_fund": 2, "insurer": 1.5,
               "city_guarantee": 1.5, "microloan": 1, "factoring": 1}
FINANCIER_BLURBS = {
    "bank": "面向中小微企业提供{products}等融资产品，单户额度{low}至{high}，对专精特新和科技型中小企业开通绿色审批通道。",
    "guarantee": "政府性融资担保机构，为缺少抵押物的中小微企业提供贷款担保，单户担保额{low}至{high}，年化担保费率不高于1%。",
    "fund": "重点投资{industries}领域处于初创期和成长期的中小企业，单笔投资{low}至{high}，可与合作银行开展投贷联动。",
    "leasing": "为制造业中小企业提供设备直租和售后回租，租期1至5年，单笔{low}至{high}，助力设备更新和技术改造。",
    "insurance": "提供首台（套）重大技术装备保险、专利执行保险和贷款保证保险等科技保险产品，保障额度{low}至{high}。",
    "other": "为小微企业提供{products}服务，单笔{low}至{high}，审批快、手续简便。",
}

# Enterprises: brand characters, industry words and details the needs are written from.
BRAND_CHARS = "华恒瑞鑫宏嘉博卓正天金新科汇盛远泰润康安德和信智精东海明睿亿联铭凯欣锐航宇源启创达丰晟优"
CHAIN_BRAND = {"integrated_circuit": "芯微", "biomedicine": "康健", "new_energy_vehicle": "驰", "software": "数云",
               "artificial_intelligence": "智灵", "green_energy": "绿", "modern_agriculture": "禾",
               "consumer_goods": "雅", "new_materials": "晶", "advanced_equipment": "精", "other": "通"}
INDUSTRY_WORDS = {
    "integrated_circuit": "微电子 半导体 集成电路 芯片科技 电子科技 光电科技",
    "new_energy_vehicle": "汽车零部件 汽车电子 动力科技 电驱动科技 新能源科技 电池科技",
    "biomedicine": "生物科技 医药科技 生物医药 医疗器械 药业 制药",
    "advanced_equipment": "精密机械 智能装备 机械制造 自动化设备 数控科技 重工机械",
    "new_materials": "新材料 高分子材料 复合材料 新材料科技 特种材料 纳米科技",
    "software": "软件 信息技术 网络科技 数据科技 信息科技 云计算科技",
    "artificial_intelligence": "智能科技 人工智能科技 机器人 视觉科技 智能技术 智能系统",
    "green_energy": "新能源 环保科技 节能科技 光伏科技 环境工程 储能科技",
    "modern_agriculture": "农业科技 食品 生态农业 农产品 种业 茶业",
    "consumer_goods": "纺织 服饰 家居 日用品 箱包 鞋业",
    "other": "商贸 物流 建材 印务 包装 文化传媒",
}
INDUSTRY_DETAILS = {  # products, equipment, purposes, customers
    "integrated_circuit": ("功率半导体器件 MEMS传感器 模拟芯片 射频前端模组", "晶圆测试探针台 全自动引线键合机 晶圆划片机",
                           "8英寸产线扩产 新一代芯片流片验证 车规级芯片认证 封测产线自动化改造",
                           "国内头部手机厂商 新能源整车企业 家电龙头企业"),
    "new_energy_vehicle": ("电机控制器 动力电池结构件 车载充电机 线束总成 热管理系统", "大型压铸机 激光焊接生产线 电池模组装配线",
                           "新建电驱动产线 扩大结构件产能 车规级试验认证 配套新车型量产",
                           "新能源整车厂 动力电池龙头企业 一级汽车零部件供应商"),
    "biomedicine": ("体外诊断试剂 医用敷料 原料药中间体 高端医疗器械 创新中药", "GMP洁净车间 冻干机 高效液相色谱仪",
                    "创新药临床试验 新建GMP车间 二类医疗器械注册 海外CE认证", "三甲医院 大型医药流通企业 跨国药企"),
    "advanced_equipment": ("数控机床 工业机器人减速器 液压元件 精密模具 智能仓储设备", "五轴联动加工中心 数控车床 激光切割机 三坐标测量仪",
                           "智能化改造 新厂房建设 首台套装备研发 扩大产能", "央企装备制造集团 工程机械龙头企业 轨道交通装备企业"),
    "new_materials": ("碳纤维复合材料 特种工程塑料 高性能铝合金型材 电子级化学品 石墨烯导热膜", "连续热处理线 双螺杆挤出生产线 反应釜",
                      "中试线建设 扩产项目 新产品产业化", "光伏组件企业 消费电子企业 航空航天配套企业"),
    "software": ("工业软件 SaaS管理系统 数据安全产品 智慧城市平台", "服务器集群 研发测试环境",
                 "产品研发和市场推广 信创适配 数据中心扩容 研发团队扩充", "政府部门 大型国企 商业银行"),
    "artificial_intelligence": ("机器视觉检测系统 服务机器人 智能语音平台 大模型行业应用", "GPU算力服务器 机器人装配线",
                                "算力采购 产品迭代 规模化量产", "汽车制造企业 物流企业 三甲医院"),
    "green_energy": ("光伏支架 工商业储能系统 余热回收设备 水处理设备 动力电池回收", "储能电池柜生产线 污水处理成套设备",
                     "储能电站项目 节能改造项目 扩建产线", "电网公司 光伏电站业主 工业园区"),
    "modern_agriculture": ("有机茶叶 预制菜 生鲜冷链配送 特色果蔬 食用菌", "冷库 自动化包装线 烘干设备",
                           "冷链仓储建设 收购季原料采购 扩建加工厂 电商渠道建设", "大型商超 连锁餐饮企业 电商平台"),
    "consumer_goods": ("功能性面料 童装 智能小家电 户外用品 定制家具", "智能织机 自动化缝制线 注塑机",
                       "旺季备货 跨境电商海外仓 自主品牌建设 数字化车间改造", "海外品牌商 大型连锁零售商 跨境电商平台"),
    "other": ("包装材料 装配式建材 城乡物流 印刷包装", "运输车辆 印刷设备", "补充流动资金 购置设备 扩大经营",
              "大型制造企业 地方国企"),
}
NEEDS = {
    "credit_loan": ["公司成立{years}年，主营{product}，去年销售收入约{revenue}万元，纳税信用A级，希望申请{amount}信用贷款，用于{purpose}。",
                    "近期新签{customer}订单约{orders}万元，原材料采购资金缺口较大，希望获得{amount}流动资金贷款，期限一年。",
                    "现有一笔贷款下月到期，希望对接无还本续贷，续贷并新增授信共计{amount}。",
                    "首次申请银行贷款，没有抵押物，想了解“专精特新贷”“科创贷”等信用类产品，额度需求{amount}左右。",
                    "主要为{customer}配套{product}，回款周期长，希望申请{amount}信用贷款补充营运资金。"],
    "secured_loan": ["以自有厂房（约{area}平方米）作抵押，申请{amount}抵押贷款，用于{purpose}。",
                     "拟购置{equipment}，可提供土地使用权和房产抵押，需要{amount}中长期贷款，期限希望三年以上。",
                     "名下有商业用房可作抵押，希望获得{amount}经营性贷款用于{purpose}。"],
    "guarantee": ["轻资产运营、缺少抵押物，希望通过政府性融资担保获得{amount}银行贷款，用于{purpose}。",
                  "申请“政银担”批量担保业务，融资需求{amount}，主要用于采购{product}原材料。",
                  "银行要求提供担保，希望对接担保公司为{amount}贷款增信，担保费率希望不超过1%。"],
    "ip_pledge": ["公司有{patents}项发明专利，希望以专利质押方式获得{amount}贷款，用于{purpose}。",
                  "拥有{patents}项发明专利、{utility}项实用新型专利和注册商标，申请{amount}知识产权质押融资，资金用于{purpose}。",
                  "核心技术已获{patents}项发明专利授权，产品为{product}，希望通过专利质押加政府贴息获得{amount}。"],
    "supply_chain": ["为{customer}的二级供应商，应收账款约{orders}万元、账期90天以上，希望通过保理或应收账款融资提前回款约{amount}。",
                     "持有核心企业开具的电子债权凭证{orders}万元，希望贴现或融资{amount}，缓解回款压力。",
                     "作为{product}供应商进入{customer}供应链，希望开通订单融资，额度{amount}。"],
    "leasing": ["计划采购{equipment}，总价约{orders}万元，希望以融资租赁（直租）方式解决{amount}设备款。",
                "现有{equipment}等设备净值较高，希望售后回租盘活资产约{amount}，用于{purpose}。"],
    "equity": ["已完成天使轮融资，现启动A轮，拟出让{stake}%股权融资{amount}，用于{purpose}。",
               "公司为省级专精特新中小企业，计划{ipo_year}年启动北交所上市辅导，寻求{amount}Pre-IPO轮股权投资。",
               "寻求产业资本战略投资{amount}，希望投资方能带来{customer}等下游渠道资源。",
               "主营{product}，近三年营收年均增长超过40%，拟融资{amount}用于{purpose}，欢迎投资机构深入交流。"],
    "insurance": ["首台（套）{equipment}即将交付用户，希望投保首台套重大技术装备保险，保额约{amount}。",
                  "研发投入大，希望了解科技保险和专利执行保险，并通过贷款保证保险获得{amount}贷款。"],
}
EQUIPMENT_MAKERS = {"advanced_equipment", "new_energy_vehicle", "green_energy", "integrated_circuit",
                    "artificial_intelligence"}
LOAN_TAILS = ["希望年化利率控制在4%以内。", "希望放款周期不超过一个月。", "可提供近三年审计报告和纳税证明。"]
GENERAL_TAILS = ["公司为国家高新技术企业。", "已入选省级专精特新中小企业名单。", "希望会后安排一对一深度对接。"]
ENGLISH_NEEDS = {
    "credit_loan": "Looking for a working-capital credit line of about {amount} for new orders from {customer}.",
    "secured_loan": "We can offer our own factory building as collateral and need a loan of {amount} to {purpose}.",
    "guarantee": "Asset-light company without collateral; we need a financing guarantee for a bank loan of {amount}.",
    "ip_pledge": "We hold {patents} invention patents and would like an IP-pledge loan of {amount} to {purpose}.",
    "supply_chain": "Receivables from a large customer are due in 90+ days; looking for factoring of about {amount}.",
    "leasing": "Planning to lease new production equipment worth {amount} through a finance lease.",
    "equity": "Raising a Series A round of {amount} to {purpose}; open to strategic investors.",
    "insurance": "Interested in technology insurance and loan guarantee insurance covering {amount}.",
}
ENGLISH_PURPOSES = ["expand production capacity", "upgrade our production line", "fund R&D of new products"]
ENGLISH_CUSTOMERS = ["a leading automaker", "a large state-owned enterprise", "overseas brand customers"]
AMOUNT_RANGES = {  # financing type: (micro, small, medium) ranges sought, in 万元
    "credit_loan": ((10, 300), (50, 1000), (200, 3000)), "secured_loan": ((30, 500), (100, 2000), (500, 5000)),
    "guarantee": ((10, 300), (50, 800), (200, 1000)), "ip_pledge": ((50, 500), (100, 1000), (300, 3000)),
    "supply_chain": ((20, 300), (100, 1000), (300, 5000)), "leasing": ((50, 500), (100, 2000), (500, 5000)),
    "equity": ((100, 800), (300, 3000), (1000, 5000)), "insurance": ((10, 200), (50, 500), (100, 1000)),
}
SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
            ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"),
            ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"),
            ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("韩", "han"),
            ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao")]
GIVEN_NAMES = dict(item.split("=") for item in """伟=wei 芳=fang 娜=na 敏=min 静=jing 丽=li 强=qiang 磊=lei 军=jun
洋=yang 勇=yong 艳=yan 杰=jie 娟=juan 涛=tao 明=ming 超=chao 霞=xia 平=ping 刚=gang 华=hua 辉=hui 鹏=peng 飞=fei
婷=ting 浩=hao 斌=bin 琳=lin 凯=kai 颖=ying 志强=zhiqiang 建华=jianhua 晓东=xiaodong 海燕=haiyan 丽娟=lijuan
建军=jianjun 春梅=chunmei 文斌=wenbin 国庆=guoqing 雪梅=xuemei 俊杰=junjie 子涵=zihan 欣怡=xinyi 宇航=yuhang
浩然=haoran 佳怡=jiayi 明辉=minghui 晓燕=xiaoyan 志刚=zhigang 立新=lixin 红霞=hongxia 海涛=haitao 振华=zhenhua
雅婷=yating 思远=siyuan 嘉伟=jiawei 晨曦=chenxi 一鸣=yiming 文静=wenjing 建国=jianguo 秀英=xiuying 玉兰=yulan
永强=yongqiang 志伟=zhiwei 慧敏=huimin 天宇=tianyu""".split())
MOBILE_PREFIXES = ("130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 177 180 181 "
                   "182 183 185 186 187 188 189 191 198 199").split()
EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]


# ----------------------------------------------------------------------------------- places

def load_divisions(path=DIVISIONS_CSV):
    """Divisions keyed by code, each with a list of child codes: the list the sample network was
    drawn from (generate_sample_network.load_divisions: as on SAMPLE_LIST_DAY, each division
    retired since replaced in its place by its successor)."""
    with open(path, encoding="utf-8", newline="") as f:
        every = {r["code"]: r for r in csv.DictReader(f)}
    return listed_on(every, SAMPLE_LIST_DAY)


def load_institutions(path=INSTITUTIONS_CSV):
    """Institution rows of the sample network, in id order."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def province_short(divisions, code):
    """江苏省 -> 江苏, 北京市 -> 北京, 广西壮族自治区 -> 广西."""
    return AUTONOMOUS_REGIONS.get(code) or divisions[code]["name"][:-1]


def city_short(name):
    """苏州市 -> 苏州; None for prefectures not named as cities (自治州, 地区, 盟)."""
    return name[:-1] if name.endswith("市") and len(name) >= 3 else None


def county_short(name):
    """昆山市 -> 昆山, 沭阳县 -> 沭阳; None for districts and autonomous counties."""
    if len(name) >= 3 and name[-1] in "市县" and "族" not in name and "自治" not in name:
        return name[:-1]
    return None


def place_name(divisions, code):
    """How a division appears in a title: districts carry their city's name (南京市鼓楼区)."""
    if not code:
        return "全国"
    d = divisions[code]
    parent = divisions.get(d["parent_code"])
    if d["level"] == "county" and d["name"].endswith("区") and (
            parent["level"] == "prefecture" or parent["code"] in MUNICIPALITIES):
        return parent["name"] + d["name"]
    return d["name"]


def city_code(divisions, code):
    """The prefecture (or municipality) a division lies in; None for national bodies."""
    if not code:
        return None
    return divisions[code]["parent_code"] if divisions[code]["level"] == "county" else code


def venue_city(divisions, code):
    """Short name of the city an organiser in division ``code`` meets in (a province meets in its capital)."""
    d = divisions[code]
    if d["level"] == "province":
        return province_short(divisions, code) if code in MUNICIPALITIES else venue_city(divisions, d["children"][0])
    if d["level"] == "prefecture":  # an autonomous prefecture meets in its seat, a county-level city
        seats = [county_short(divisions[c]["name"]) for c in d["children"] if divisions[c]["name"].endswith("市")]
        return city_short(d["name"]) or next((s for s in seats if s), d["name"])
    return county_short(d["name"]) or place_name(divisions, code)


def counties_under(divisions, code):
    """County codes inside a division (a prefecture without counties stands for itself)."""
    d = divisions[code]
    if d["level"] == "county" or not d["children"]:
        return [code]
    return [c for child in d["children"] for c in counties_under(divisions, child)]


def weighted_sample(rng, items, weight, k):
    """``k`` items without replacement, heavier ones more likely (key = u ** (1 / w))."""
    keys = sorted(((rng.random() ** (1 / weight(item)), i) for i, item in enumerate(items)), reverse=True)
    return [items[i] for _, i in keys[:k]]


def province_weight(code):
    return PROVINCE_WEIGHTS.get(province_code_of(code), 1.0)


# ----------------------------------------------------------------------------------- events

def choose_organisers(rng, institutions):
    """Active institutions offering financing, LEVEL_COUNTS of them, spread over provinces."""
    candidates = [r for r in institutions if r["status"] == "active" and "financing" in r["services"].split(";")]
    by_level = {level: [r for r in candidates if r["level"] == level] for level in LEVEL_COUNTS}
    repeats = LEVEL_COUNTS["national"] - len(by_level["national"])  # only three national bodies offer financing
    national = by_level["national"] + rng.sample(by_level["national"], repeats)
    provinces = sorted({r["region_code"] for r in by_level["provincial"]})
    provincial = [rng.choice([r for r in by_level["provincial"] if r["region_code"] == code])
                  for code in sorted(weighted_sample(rng, provinces, province_weight, LEVEL_COUNTS["provincial"]))]
    local = [weighted_sample(rng, by_level[level], lambda r: province_weight(r["region_code"]), LEVEL_COUNTS[level])
             for level in ("municipal", "county")]
    return national + provincial + local[0] + local[1]


def timing_slots(rng):
    """(status, earliest, latest start offset in days): ~55% past, a cluster in the next 90 days."""
    past = [(-362 + round(i * 359 / 54), 3) for i in range(55)]
    slots = [("completed", max(-365, c - w), min(-3, c + w)) for c, w in past]
    for i in rng.sample(range(len(slots)), 4):
        slots[i] = ("cancelled",) + slots[i][1:]

    def spread(status, lo, hi, n):
        step = (hi - lo) / n
        return [(status, lo + round(i * step), lo + round((i + 1) * step)) for i in range(n)]
    slots += [("closed_deadline", 2, 6)] * 3 + [("closed_full", 8, 45)] * 2
    slots += [("cancelled", 5, 40), ("cancelled", 60, 200)]
    slots += spread("open", 3, 90, 23) + spread("open", 91, 200, 7) + spread("draft", 150, 365, 8)
    rng.shuffle(slots)
    return slots


def is_working_day(day):
    return day.weekday() < 5 and not any(first <= day <= last for first, last in HOLIDAYS)


def working_day(rng, lo, hi, days):
    """A start offset in [lo, hi] (widened if need be) whose ``days`` days are all working days."""
    for widen in range(0, 30, 2):
        offsets = [o for o in range(lo - widen, hi + widen + 1)
                   if all(is_working_day(ANCHOR + timedelta(days=o + k)) for k in range(days))
                   and (lo > 0 or o + days <= -1) and (lo < 0 or o >= lo) and abs(o) <= 365 - days]
        if offsets:
            return rng.choice(offsets)
    raise ValueError(f"no working day near [{lo}, {hi}]")


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), SHANGHAI)


def schedule(rng, shape, day, slot):
    """(starts_at, ends_at, sessions, slots) of a half-day, one-day or two-day event on ``day``."""
    minutes = timedelta(minutes=slot)
    if shape == "half":
        start, end = (at(day, 9), at(day, 12)) if rng.random() < 0.6 else (at(day, 14), at(day, 17, 30))
        windows = [(start + timedelta(minutes=rng.choice([30, 40, 45])), end - timedelta(minutes=10))]
    else:
        last = day + timedelta(days=1 if shape == "two_day" else 0)
        start, end = at(day, *rng.choice([(8, 30), (9, 0), (9, 0), (9, 30)])), at(last, 17, rng.choice([0, 30]))
        afternoon_end = end - timedelta(minutes=30) if last == day else at(day, 17)
        windows = [(start + timedelta(minutes=rng.choice([30, 45, 60])), at(day, 12)),
                   (at(day, *rng.choice([(13, 30), (14, 0)])), afternoon_end)]
        if shape == "two_day":
            windows += [(at(last, 9), at(last, 12)), (at(last, 13, 30), end - timedelta(minutes=30))]
    sessions = [(ws, ws + (we - ws) // minutes * minutes) for ws, we in windows]
    return start, end, sessions, sum((e - s) // minutes for s, e in sessions)


def event_chains(rng, fmt, organiser):
    """Industrial chains an event focuses on, favouring its province's (and, in counties, local) industries."""
    low, high = FORMATS[fmt][4]
    favoured = PROVINCE_CHAINS.get(province_code_of(organiser["region_code"]), "").split()
    if organiser["level"] == "county":
        favoured += COUNTY_CHAINS.split()
    if fmt == "leasing":
        favoured += ["advanced_equipment", "new_energy_vehicle", "green_energy"]
    chains = weighted_sample(rng, INDUSTRIES, lambda c: 1 + 3 * favoured.count(c), rng.randint(low, high))
    return sorted(chains, key=INDUSTRIES.index)


def event_title(rng, templates, place, city, chains, start):
    """A title naming the place and the focus; an event with a chain mostly names it."""
    usable = [t for t in templates if chains or "{chain}" not in t]
    weights = [3 if "{chain}" in t else 1 for t in usable]
    chain = CHAINS[rng.choice(chains)][0] if chains else ""
    return rng.choices(usable, weights)[0].format(year=start.year, month=start.month, place=place, city=city,
                                                  chain=chain)


def plan_events(rng, divisions, institutions):
    """Each event's organiser, format, dates, status, focus and capacity (financiers and SMEs come later)."""
    plans = []
    for organiser, (status, lo, hi) in zip(choose_organisers(rng, institutions), timing_slots(rng), strict=True):
        level, code = organiser["level"], organiser["region_code"]
        weights = FORMAT_WEIGHTS[level]
        fmt = rng.choices(list(weights), list(weights.values()))[0]
        types, extra, categories, optional, _, slots, titles = FORMATS[fmt]
        slot = rng.choice(slots)
        two_day = fmt in ("roadshow", "national") and rng.random() < 0.35
        shape = "two_day" if two_day else "half" if slot <= 20 and rng.random() < 0.3 else "day"
        offset = working_day(rng, lo, hi, 2 if two_day else 1)
        start, end, sessions, n_slots = schedule(rng, shape, ANCHOR + timedelta(days=offset), slot)
        chains = event_chains(rng, fmt, organiser)
        financing = types + rng.sample(extra, rng.randint(0, min(2, len(extra))))
        cats = ["financing"] + categories + [c for c in optional if rng.random() < 0.4]
        city = rng.choice(NATIONAL_CITIES) if level == "national" else venue_city(divisions, code)
        capacity = rng.choice([40, 50, 60, 80] if status == "closed_full" else CAPACITIES[level])
        plans.append({"organiser": organiser, "format": fmt, "status": status, "offset": offset,
                      "starts_at": start, "ends_at": end, "sessions": sessions, "slots": n_slots, "slot": slot,
                      "chains": chains, "primary": types,
                      "financing_types": sorted(financing, key=list(FINANCING_TYPES).index),
                      "categories": sorted(set(cats), key=CATEGORY_ORDER.index), "capacity": capacity,
                      "place": place_name(divisions, code), "city": city, "city_code": city_code(divisions, code),
                      "title": event_title(rng, titles, place_name(divisions, code), city, chains, start)})
    plans.sort(key=lambda p: (p["starts_at"], int(p["organiser"]["id"])))
    seen = Counter()
    for p in plans:  # a title used twice (same organiser, same month) gets a second-session mark
        seen[p["title"]] += 1
        if seen[p["title"]] > 1:
            p["title"] += "（第二场）"
    return plans


def registration_deadline(rng, status, offset):
    """Deadline day offset and time: before the start; passed for closed_deadline, ahead for open events."""
    if status == "closed_deadline":
        day = rng.randint(-3, -1)
    elif status == "draft":
        day = offset - rng.randint(7, 14)
    else:
        day = offset - rng.choice([1, 2, 3, 3, 5, 7])
        if offset > 0 and status != "cancelled":
            day = max(day, 1)
    return at(ANCHOR + timedelta(days=day), *rng.choice([(17, 0), (17, 0), (17, 0), (12, 0)]))


def venue_and_link(rng, plan):
    """Venue (None when online only) and online link (None when in person only)."""
    organiser = plan["organiser"]
    mode = rng.choices(["venue", "hybrid", "online"], [5, 4, 0] if organiser["level"] == "national" else [14, 4, 2])[0]
    kind = "county" if organiser["level"] == "county" else "city"
    templates = [v for v in VENUES[kind] if organiser["level"] != "national" or "{org}" not in v]
    venue = rng.choice(templates).format(city=plan["city"], place=plan["place"], org=organiser["name"],
                                            hall=rng.choice("ABCD12345"), floor=rng.randint(1, 12))
    link = (f"https://live.example.com/room/{rng.randint(100000, 999999)}" if rng.random() < 0.5
            else f"https://meeting.example.com/j/{rng.randint(10 ** 8, 10 ** 9 - 1)}")
    return (None if mode == "online" else venue), (None if mode == "venue" else link)


def event_description(rng, plan, n_financiers, online):
    """Three or four sentences: why, what happens, who may register (and how it ends if cancelled)."""
    chains = "、".join(CHAINS[c][0] for c in plan["chains"])
    types = "、".join(FINANCING_TYPES[t][0] for t in plan["financing_types"])
    why = rng.choice(["为落实促进中小企业发展的各项政策，缓解中小企业融资难、融资贵问题，", "为进一步畅通银企信息渠道，推动金融资源精准直达中小企业，",
                      f"为助力{chains or '科技型中小企业'}企业对接金融资本，"])
    text = f"{why}{plan['organiser']['name']}联合{n_financiers}家金融机构举办本次活动。"
    if plan["format"] in ("roadshow", "national"):
        text += f"入选企业每家路演10分钟，之后与投资机构和银行进行一对一洽谈，每场{plan['slot']}分钟。"
    else:
        text += f"活动设政策解读、金融产品推介和一对一洽谈三个环节，一对一洽谈每场{plan['slot']}分钟。"
    region = "全国" if plan["place"] == "全国" else f"{plan['place']}辖区内"
    text += (f"欢迎{region}{chains + '领域' if chains else ''}有{types}需求的中小企业报名，"
             f"名额{plan['capacity']}家，报名后由主办方审核确认。")
    if online:
        text += "活动同步线上直播，未能到场的企业可在线观看并提交融资需求。"
    if plan["status"] == "cancelled":
        text += "（因场地调整，本场活动取消，已报名企业将另行通知。）"
    elif plan["status"] == "draft":
        text += "（活动方案筹备中，报名将于近期开放。）"
    return text


# ----------------------------------------------------------------------------------- financiers

def yuan_text(wan):
    return f"{wan}万元"


def make_financier(rng, kind, divisions, province, city, county, used_names):
    """One financier of ``kind`` at home in ``province`` (and ``city``); None if its name is taken."""
    ftype, templates, (always, sometimes), (lows, highs), website = FINANCIER_KINDS[kind]
    big, stock, insurer = rng.choice(BIG_BANKS), rng.choice(STOCK_BANKS), rng.choice(INSURERS)
    city_name = divisions[city]["name"]
    short = city_short(city_name) or province_short(divisions, province)
    local = county_short(divisions[county]["name"]) if county else None
    fields = {"prov": divisions[province]["name"], "prov_short": province_short(divisions, province),
              "prov_py": PROVINCE_PINYIN[province], "city": city_name, "city_short": short,
              "county_short": local or ("" if short == province_short(divisions, province) else short),
              "big_bank": big[0], "big_host": big[1], "stock_bank": stock[0], "stock_host": stock[1],
              "insurer": insurer[0], "insurer_host": insurer[1], "brand": brand(rng, None)}
    name = rng.choice(templates).format(**fields)
    if name in used_names:
        return None
    types = always + [t for t in sometimes if rng.random() < 0.65]
    return financier_record(rng, name, ftype, types, rng.choice(lows), rng.choice(highs),
                            website.format(**fields) if website else None, province)


def financier_record(rng, name, ftype, types, low, high, website, province):
    """The JSON record of a financier (key added later), with industries and a description."""
    favoured = PROVINCE_CHAINS.get(province or "", "").split()
    k = rng.randint(1, 3) if ftype == "fund" else rng.randint(3, 6)
    industries = sorted(weighted_sample(rng, INDUSTRIES, lambda c: 1 + 3 * (c in favoured), k), key=INDUSTRIES.index)
    types = sorted(set(types), key=list(FINANCING_TYPES).index)
    blurb = FINANCIER_BLURBS[ftype].format(
        products="、".join(FINANCING_TYPES[t][0] for t in types), low=yuan_text(low), high=yuan_text(high),
        industries="、".join(CHAINS[c][0] for c in industries))
    return {"key": None, "name": name, "type": ftype, "financing_types": types, "amount_min_yuan": low * 10000,
            "amount_max_yuan": high * 10000, "industries": industries, "description": blurb, "website": website}


def province_financiers(rng, divisions, province, plans, used_names):
    """Financiers at home in one province: core kinds, kinds its events need, extras by activity."""
    cities = [p["city_code"] for p in plans if p["organiser"]["level"] in ("municipal", "county")]
    capital = province if province in MUNICIPALITIES else divisions[province]["children"][0]
    counties = [p["organiser"]["region_code"] for p in plans if p["organiser"]["level"] == "county"]
    needed = {t for p in plans for t in p["financing_types"]}
    kinds = CORE_KINDS + [KIND_FOR_TYPE[t] for t in sorted(needed) if t in KIND_FOR_TYPE]
    extras = [k for k in weighted_sample(rng, list(EXTRA_KINDS), EXTRA_KINDS.get, len(EXTRA_KINDS)) if k not in kinds]
    kinds += extras[:max(0, min(7, 2 + math.ceil(len(plans) / 2)) - len(kinds))]
    out = []
    for kind in kinds:
        for _ in range(10):  # names are unique: retry with another bank, brand or city
            city = rng.choice(cities) if cities and kind not in ("provincial_bank", "guarantee_group") else capital
            county = rng.choice(counties) if counties and kind == "rural_bank" else None
            record = make_financier(rng, kind, divisions, province, city, county, used_names)
            if record:
                break
        else:
            continue
        for t, needed_by in (("ip_pledge", "ip_pledge" in needed), ("supply_chain", "supply_chain" in needed)):
            if needed_by and kind == "provincial_bank" and t not in record["financing_types"]:
                record["financing_types"] = sorted(record["financing_types"] + [t], key=list(FINANCING_TYPES).index)
        used_names.add(record["name"])
        out.append((record, city))
    return out


def make_financiers(rng, divisions, plans):
    """National financiers first, then each province's, keyed F001...; also each one's home (province, city)."""
    financiers, homes, used = [], [], set()
    for name, ftype, types, low, high, host in NATIONAL_FINANCIERS:
        financiers.append(financier_record(rng, name, ftype, types, low, high,
                                           f"https://www.{host}.example.com" if host else None, None))
        homes.append((None, None))
        used.add(name)
    provinces = sorted({province_code_of(p["organiser"]["region_code"]) for p in plans if p["organiser"]["region_code"]})
    for province in provinces:
        local = [p for p in plans if p["organiser"]["region_code"][:2] == province[:2]]
        for record, city in province_financiers(rng, divisions, province, local, used):
            financiers.append(record)
            homes.append((province, city))
    for i, record in enumerate(financiers, start=1):
        record["key"] = f"F{i:03d}"
    return financiers, {f["key"]: home for f, home in zip(financiers, homes, strict=True)}


def event_financiers(rng, plan, financiers, homes):
    """4-15 financiers for an event: one for each financing type it offers, then more from its province."""
    organiser = plan["organiser"]
    province = province_code_of(organiser["region_code"]) if organiser["region_code"] else None
    city = plan["city_code"] if organiser["level"] in ("municipal", "county") else None
    pool = [f for f in financiers if province is None or homes[f["key"]][0] in (province, None)]

    def weight(f):
        home_province, home_city = homes[f["key"]]
        fit = 3 if set(f["financing_types"]) & set(plan["financing_types"]) else 0.4
        return fit * (2 if home_city and home_city == city else 1) * (0.5 if province and not home_province else 1)
    chosen = []
    for ftype in plan["financing_types"]:
        if not any(ftype in f["financing_types"] for f in chosen):
            offering = [f for f in pool if ftype in f["financing_types"] and f not in chosen]
            chosen += weighted_sample(rng, offering, weight, 1)
    low, high = FINANCIER_COUNTS[organiser["level"]]
    rest = [f for f in pool if f not in chosen]
    chosen += weighted_sample(rng, rest, weight, max(0, rng.randint(low, high) - len(chosen)))
    return sorted(chosen, key=lambda f: f["key"])


# ----------------------------------------------------------------------------------- SMEs

def brand(rng, industry):
    """A two-character trade name (字号), sometimes hinting at the industry (芯联, 康瑞)."""
    first = rng.choice(CHAIN_BRAND[industry]) if industry and rng.random() < 0.35 else rng.choice(BRAND_CHARS)
    return first + rng.choice([c for c in BRAND_CHARS if c != first])


def enterprise_place(rng, divisions, county):
    """The place an enterprise name starts with: its city, its county-level city or county, or its province."""
    d = divisions[county]
    parent = divisions[d["parent_code"]]
    places = [(province_short(divisions, province_code_of(county)), 2)]
    if parent["level"] == "prefecture" and city_short(parent["name"]):
        places.append((city_short(parent["name"]), 5))
    if d["level"] == "county" and county_short(d["name"]):
        places.append((county_short(d["name"]), 3))
    if d["level"] == "prefecture" and city_short(d["name"]):  # 东莞, 中山: no counties below
        places.append((city_short(d["name"]), 5))
    return rng.choices([p for p, _ in places], [w for _, w in places])[0]


def organisation_code(rng):
    """Characters 9-17: a post-2015 'MA...' code or an old organisation code with its GB 11714 check digit."""
    if rng.random() < 0.65:
        return "MA" + "".join(rng.choice(ALPHABET) for _ in range(7))
    digits = [rng.randint(0, 9) for _ in range(8)]
    check = 11 - sum(d * w for d, w in zip(digits, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    return "".join(map(str, digits)) + {10: "X", 11: "0"}.get(check, str(check))


def contact(rng):
    """A contact person: name, mobile number and (usually) an e-mail address."""
    surname, surname_py = rng.choices(SURNAMES, [len(SURNAMES) - i for i in range(len(SURNAMES))])[0]
    given = rng.choice(list(GIVEN_NAMES))
    py = surname_py + GIVEN_NAMES[given]
    number = rng.choice(["", "", str(rng.randint(1, 99))])
    email = f"{py}{number}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.65 else None
    return {"contact_name": surname + given,
            "contact_phone": f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 10 ** 8 - 1):08d}", "contact_email": email}


def make_enterprise(rng, divisions, county, industry, taken):
    """A new enterprise in ``county``: name, valid credit code, size and contact, unique in ``taken``."""
    size = rng.choices(SIZES, [35, 45, 20])[0]
    while True:
        suffix = "股份有限公司" if size == "medium" and rng.random() < 0.4 else rng.choice(["有限公司"] * 9 + ["有限责任公司"])
        name = (enterprise_place(rng, divisions, county) + brand(rng, industry)
                + rng.choice(INDUSTRY_WORDS[industry].split()) + suffix)
        code = make_credit_code("91" + county + organisation_code(rng))
        if name not in taken and code not in taken:
            taken.update((name, code))
            return {"enterprise_name": name, "credit_code": code, "region_code": county, "industry": industry,
                    "size": size} | contact(rng)


def amount_wan(rng, ftype, size):
    """A plausible amount sought, in 万元, log-uniform in the range for the type and size, rounded."""
    low, high = AMOUNT_RANGES[ftype][SIZES.index(size)]
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    step = 10 if value < 200 else 50 if value < 1000 else 100
    return max(low, min(high, round(value / step) * step))


def need_text(rng, industry, ftype, wan):
    """The free-text need, in Chinese (now and then in English), consistent with type and amount."""
    products, equipment, purposes, customers = (s.split() for s in INDUSTRY_DETAILS[industry])
    if rng.random() < 0.07:
        amount = f"RMB {wan / 100:g} million" if wan >= 100 else f"RMB {wan * 10000:,}"
        return ENGLISH_NEEDS[ftype].format(amount=amount, purpose=rng.choice(ENGLISH_PURPOSES),
                                           customer=rng.choice(ENGLISH_CUSTOMERS), patents=rng.randint(2, 30))
    templates = NEEDS[ftype][1:] if ftype == "insurance" and industry not in EQUIPMENT_MAKERS else NEEDS[ftype]
    text = rng.choice(templates).format(
        amount=yuan_text(wan), product=rng.choice(products), equipment=rng.choice(equipment),
        purpose=rng.choice(purposes), customer=rng.choice(customers), patents=rng.randint(2, 30),
        utility=rng.randint(5, 60), orders=round(wan * rng.uniform(1.3, 3) / 10) * 10, years=rng.randint(2, 20),
        revenue=round(wan * rng.uniform(3, 10) / 10) * 10, stake=rng.randint(5, 15),
        ipo_year=ANCHOR.year + rng.randint(1, 3), area=rng.choice([3000, 5000, 8000, 12000, 20000]))
    if rng.random() < 0.3:
        text += rng.choice(GENERAL_TAILS + ([] if ftype == "equity" else LOAN_TAILS))
    return text


def pick_county(rng, divisions, region, counties_of):
    """A county inside ``region`` (anywhere in the mainland, weighted by province, for national events)."""
    if not region:
        provinces = [c for c, d in divisions.items() if d["level"] == "province" and d["children"]]
        region = rng.choices(provinces, [province_weight(c) for c in provinces])[0]
    return rng.choice(counties_of(region))


def registration_count(rng, plan, deadline):
    """How many SMEs registered, by status: full events are full, open ones fill towards the deadline."""
    status, cap = plan["status"], plan["capacity"]
    top = min(120, cap)
    if status in ("draft", "cancelled"):
        return 0
    if status == "closed_full":
        return cap
    if status == "open":
        share = rng.uniform(0.4, 0.85) if deadline.date() <= ANCHOR + timedelta(days=21) else rng.uniform(0.15, 0.45)
        return max(10, min(cap - 1, top, round(cap * share)))
    share = rng.uniform(0.6, 1.0) if status == "closed_deadline" else rng.uniform(0.5, 1.0)
    return max(10, min(top, round(cap * share)))


def registration_time(rng, first, last):
    """A daytime moment (08:00-22:59) between ``first`` and ``last``."""
    for _ in range(100):
        day = first.date() + timedelta(days=rng.randint(0, (last.date() - first.date()).days))
        moment = at(day, rng.randint(8, 22), rng.randint(0, 59))
        if first <= moment <= last:
            return moment
    return last


def registration_status(rng, plan, moment):
    status = plan["status"]
    if status == "completed":
        return "declined" if rng.random() < 0.12 else "accepted"
    if status == "closed_deadline":
        return rng.choices(["accepted", "declined", "pending"], [85, 10, 5])[0]
    if status == "closed_full":
        return "accepted" if rng.random() < 0.75 else "pending"
    recent = moment.date() >= ANCHOR - timedelta(days=7)
    return "pending" if rng.random() < (0.8 if recent else 0.15) else "accepted"


def event_registrations(rng, divisions, plan, deadline, registry, taken, counties_of):
    """The SMEs that registered for an event, in registration order; some are registered elsewhere too."""
    count = registration_count(rng, plan, deadline)
    region = plan["organiser"]["region_code"]
    inside = set(counties_of(region)) if region else None
    now = at(ANCHOR, 0) - timedelta(hours=1)
    first = min(deadline, now) - timedelta(days=rng.randint(20, 40))
    last = min(deadline, now)
    weights = {t: 3 if t in plan["primary"] else 1 for t in plan["financing_types"]}
    returning = [e for e in registry if inside is None or e["region_code"] in inside]
    rows, codes = [], set()
    while len(rows) < count:
        if returning and rng.random() < 0.03 and (again := [e for e in returning if e["credit_code"] not in codes]):
            enterprise = rng.choice(again)
        else:
            county = pick_county(rng, divisions, region, counties_of)
            chains = plan["chains"] if plan["chains"] and rng.random() < 0.8 else None
            industry = rng.choice(chains) if chains else rng.choices(list(CHAINS), [1] * len(INDUSTRIES) + [0.5])[0]
            enterprise = make_enterprise(rng, divisions, county, industry, taken)
            registry.append(enterprise)
        codes.add(enterprise["credit_code"])
        ftype = rng.choices(list(weights), list(weights.values()))[0]
        wan = amount_wan(rng, ftype, enterprise["size"])
        moment = registration_time(rng, first, last)
        rows.append(enterprise | {"financing_type": ftype, "amount_yuan": wan * 10000,
                                  "need": need_text(rng, enterprise["industry"], ftype, wan),
                                  "status": registration_status(rng, plan, moment), "registered_at": moment})
    rows.sort(key=lambda r: (r["registered_at"], r["credit_code"]))
    return [r | {"registered_at": r["registered_at"].isoformat()} for r in rows]


def event_outcomes(rng, registrations, financiers):
    """For ~40% of accepted registrations: an intention or a signed deal with a fitting financier."""
    outcomes = []
    for index, r in enumerate(registrations):
        if r["status"] != "accepted" or rng.random() >= 0.4:
            continue
        offering = [f for f in financiers if r["financing_type"] in f["financing_types"]]
        fits = [f for f in offering if f["amount_min_yuan"] <= r["amount_yuan"] <= f["amount_max_yuan"]]
        financier = rng.choice(fits or offering)
        ceiling = min(r["amount_yuan"], financier["amount_max_yuan"]) // 10000
        granted = max(10, math.floor(ceiling * rng.uniform(0.5, 1.0) / 10) * 10) * 10000
        granted = min(granted, r["amount_yuan"])
        if rng.random() < 0.45:
            outcome = {"result": "signed", "amount_yuan": granted}
        else:
            outcome = {"result": "intention", "amount_yuan": granted if rng.random() < 0.5 else None}
        outcomes.append({"registration": index, "financier": financier["key"]} | outcome)
    return outcomes


# ----------------------------------------------------------------------------------- assembly

def build_events(divisions, institutions, seed=SEED):
    """The whole sample: anchor, financiers and events with registrations and outcomes."""
    rng = random.Random(seed)
    plans = plan_events(rng, divisions, institutions)
    financiers, homes = make_financiers(rng, divisions, plans)
    cache = {}

    def counties_of(code):
        if code not in cache:
            cache[code] = counties_under(divisions, code)
        return cache[code]
    registry, taken, events = [], set(), []
    for number, plan in enumerate(plans, start=1):
        deadline = registration_deadline(rng, plan["status"], plan["offset"])
        chosen = event_financiers(rng, plan, financiers, homes)
        venue, link = venue_and_link(rng, plan)
        registrations = event_registrations(rng, divisions, plan, deadline, registry, taken, counties_of)
        events.append({
            "key": f"E{number:03d}", "title": plan["title"], "organizer_id": int(plan["organiser"]["id"]),
            "starts_at": plan["starts_at"].isoformat(), "ends_at": plan["ends_at"].isoformat(),
            "venue": venue, "online_url": link, "chains": plan["chains"],
            "financing_types": plan["financing_types"], "categories": plan["categories"],
            "capacity": plan["capacity"], "registration_deadline": deadline.isoformat(),
            "status": "closed" if plan["status"].startswith("closed") else plan["status"],
            "description": event_description(rng, plan, len(chosen), link is not None),
            "slot_minutes": plan["slot"],
            "sessions": [{"starts_at": s.isoformat(), "ends_at": e.isoformat()} for s, e in plan["sessions"]],
            "financiers": [{"financier": f["key"], "capacity": rng.randint(6, min(16, plan["slots"]))} for f in chosen],
            "registrations": registrations,
            "outcomes": event_outcomes(rng, registrations, chosen) if plan["status"] == "completed" else []})
    return {"anchor": ANCHOR.isoformat(), "financiers": financiers, "events": events}


def to_json(data):
    """JSON text with one record per line (financiers, event fields, registrations, outcomes)."""
    def dumps(value):
        return json.dumps(value, ensure_ascii=False)

    def records(items, pad):
        if not items:
            return "[]"
        return "[\n" + ",\n".join(f"{pad} {dumps(item)}" for item in items) + f"\n{pad}]"
    events = []
    for event in data["events"]:
        fields = [f"{dumps(k)}: {records(v, '   ') if k in ('registrations', 'outcomes') else dumps(v)}"
                  for k, v in event.items()]
        events.append("  {" + ",\n   ".join(fields) + "}")
    text = (f'{{"anchor": {dumps(data["anchor"])},\n "financiers": {records(data["financiers"], " ")},\n'
            f' "events": [\n' + ",\n".join(events) + "\n ]}\n")
    assert json.loads(text) == data
    return text


def write(path=OUTPUT_JSON):
    """Generate the sample events and write them to ``path`` (UTF-8, LF); returns the data."""
    data = build_events(load_divisions(), load_institutions())
    Path(path).write_text(to_json(data), encoding="utf-8", newline="\n")
    return data


def summarise(data, institutions):
    """Print counts per status and level, registrations and outcomes: the figures the sample is tuned to."""
    levels = {r["id"]: r for r in institutions}
    events = data["events"]
    registrations = [r for e in events for r in e["registrations"]]
    outcomes = [o for e in events for o in e["outcomes"]]
    provinces = {province_code_of(levels[str(e["organizer_id"])]["region_code"])
                 for e in events if levels[str(e["organizer_id"])]["region_code"]}
    print(f"financiers {len(data['financiers'])}  {dict(Counter(f['type'] for f in data['financiers']))}")
    print(f"events {len(events)}  provinces {len(provinces)}  status {dict(Counter(e['status'] for e in events))}")
    print(f"  level {dict(Counter(levels[str(e['organizer_id'])]['level'] for e in events))}")
    today, soon = ANCHOR.isoformat(), (ANCHOR + timedelta(days=90)).isoformat()
    print(f"  past {sum(e['starts_at'] < today for e in events)}  "
          f"next 90 days {sum(today < e['starts_at'][:10] <= soon for e in events)}")
    print(f"registrations {len(registrations)}  {dict(Counter(r['status'] for r in registrations))}  "
          f"enterprises {len({r['credit_code'] for r in registrations})}")
    print(f"outcomes {len(outcomes)}  {dict(Counter(o['result'] for o in outcomes))}  signed yuan "
          f"{sum(o['amount_yuan'] for o in outcomes if o['result'] == 'signed'):,}")


def main():
    """Generate the sample events, write them and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_JSON, help="JSON file to write")
    args = parser.parse_args()
    data = write(args.output)
    print(f"wrote {args.output}")
    summarise(data, load_institutions())


if __name__ == "__main__":
    main()
