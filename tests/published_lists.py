"""Files shaped like the lists governments publish, made here: title row, 序号, places as words, services as sentences.

The institutions are invented; the shape is the one of the national list of SME public service
demonstration platforms: a merged title row, a 序号 column, the place in one of several written
forms (or as separate 省份/城市/区县 columns), services as a sentence, no level column, a 备注
column, and a note row under the table.
"""
import csv
import io

from openpyxl import Workbook

TITLE = "2023年度国家中小企业公共服务示范平台名单"
NOTE = "注：排名不分先后；服务内容以平台申报材料为准。"

# (province, prefecture or "", county or "", platform name, operator, services as written, expected level)
PLATFORMS = [
    ("北京市", "", "", "北京市中小企业公共服务平台", "北京市中小企业服务中心", "政策咨询、投融资、人才培训、管理咨询", "provincial"),
    ("北京市", "", "海淀区", "海淀区中小企业科技创新服务平台", "北京中关村创业服务有限公司", "创业辅导、技术转移、知识产权代理", "county"),
    ("天津市", "", "", "天津市中小企业综合服务平台", "天津市中小企业服务中心", "政策宣传、融资对接、市场开拓", "provincial"),
    ("天津市", "", "滨海新区", "滨海新区中小企业数字化服务平台", "天津滨海信息技术有限公司", "数字化转型、工业互联网、企业上云", "county"),
    ("河北省", "石家庄市", "", "石家庄市中小企业公共服务平台", "石家庄市中小企业服务中心", "政策咨询、投融资服务、管理咨询", "municipal"),
    ("河北省", "", "", "河北省中小企业服务平台", "河北省中小企业服务中心", "政策服务、人才服务、法律服务", "provincial"),
    ("山西省", "太原市", "", "太原市中小企业服务平台", "太原市中小企业发展促进中心", "政策咨询、融资担保、人才招聘", "municipal"),
    ("内蒙古自治区", "呼和浩特市", "", "呼和浩特市中小企业公共服务平台", "呼和浩特市中小企业服务中心", "创业辅导、管理咨询", "municipal"),
    ("辽宁省", "大连市", "", "大连市中小企业公共服务平台", "大连市中小企业服务中心", "政策咨询、投融资、技术创新、市场开拓", "municipal"),
    ("吉林省", "长春市", "", "长春市中小企业服务平台", "长春市中小企业服务中心", "投融资、人才培训", "municipal"),
    ("黑龙江省", "哈尔滨市", "", "哈尔滨市中小企业公共服务平台", "哈尔滨市中小企业服务中心", "政策咨询、法律咨询、管理咨询", "municipal"),
    ("上海市", "", "", "上海市中小企业服务平台", "上海市中小企业发展服务中心", "政策服务、投融资服务、市场开拓、法律服务", "provincial"),
    ("上海市", "", "浦东新区", "浦东新区企业服务中心", "上海浦东企业服务有限公司", "政策咨询、人才服务、知识产权", "county"),
    ("江苏省", "", "", "江苏省中小企业公共服务平台", "江苏省中小企业发展中心", "政策咨询、投融资、人才培训、管理咨询", "provincial"),
    ("江苏省", "苏州市", "", "苏州市中小企业公共服务中心", "苏州市中小企业服务中心", "融资对接、知识产权、数字化转型", "municipal"),
    ("江苏省", "苏州市", "昆山市", "昆山市中小企业服务平台", "昆山市中小企业服务中心", "政策咨询、检验检测、技术转移", "county"),
    ("江苏省", "南京市", "鼓楼区", "南京市鼓楼区科技创业服务平台", "南京鼓楼科技创业服务有限公司", "创业辅导、孵化服务、投融资", "county"),
    ("江苏省", "无锡市", "江阴市", "江阴市中小企业公共服务平台", "江阴市中小企业服务中心", "管理咨询、质量管理、人才培训", "county"),
    ("浙江省", "", "", "浙江省中小企业公共服务平台", "浙江省中小企业服务中心", "政策咨询、融资服务、市场开拓", "provincial"),
    ("浙江省", "杭州市", "", "杭州市中小企业服务平台", "杭州市中小企业服务中心", "数字化转型、技术创新、创业辅导", "municipal"),
    ("浙江省", "宁波市", "慈溪市", "慈溪市中小企业公共服务平台", "慈溪市中小企业服务中心", "检验检测、技术改造、人才招聘", "county"),
    ("安徽省", "芜湖市", "", "芜湖市中小企业公共服务平台", "芜湖市中小企业服务中心", "政策咨询、投融资、人才培训、管理咨询", "municipal"),
    ("安徽省", "合肥市", "", "合肥市中小企业服务中心平台", "合肥市中小企业服务中心", "融资担保、政策宣传", "municipal"),
    ("福建省", "福州市", "鼓楼区", "福州市鼓楼区中小企业服务平台", "福州市鼓楼区企业服务中心", "政策咨询、法律服务", "county"),
    ("福建省", "厦门市", "", "厦门市中小企业服务平台", "厦门市中小企业服务中心", "市场开拓、出口贸易、展会服务", "municipal"),
    ("江西省", "南昌市", "", "南昌市中小企业公共服务平台", "南昌市中小企业服务中心", "人才培训、管理咨询", "municipal"),
    ("山东省", "", "", "山东省中小企业公共服务平台", "山东省中小企业服务中心", "政策咨询、投融资、知识产权、法律服务", "provincial"),
    ("山东省", "青岛市", "", "青岛市中小企业公共服务中心", "青岛市民营经济发展服务中心", "融资对接、创业辅导", "municipal"),
    ("山东省", "潍坊市", "寿光市", "寿光市中小企业服务平台", "寿光市中小企业服务中心", "技术创新、检验检测", "county"),
    ("河南省", "郑州市", "", "郑州市中小企业公共服务平台", "郑州市中小企业服务中心", "政策咨询、投融资、人才服务", "municipal"),
    ("湖北省", "武汉市", "", "武汉市中小企业公共服务平台", "武汉市中小企业服务中心", "数字化转型、管理咨询", "municipal"),
    ("湖南省", "长沙市", "", "长沙市中小企业服务平台", "长沙市中小企业服务中心", "政策咨询、融资服务、知识产权", "municipal"),
    ("广东省", "", "", "广东省中小企业公共服务平台", "广东省中小企业发展促进会", "政策咨询、投融资、市场开拓、法律服务", "provincial"),
    ("广东省", "深圳市", "", "深圳市中小企业服务平台", "深圳市中小企业服务局服务中心", "投融资、知识产权、技术创新", "municipal"),
    ("广东省", "佛山市", "顺德区", "顺德区中小企业公共服务平台", "佛山市顺德区企业服务中心", "数字化转型、智能制造、人才培训", "county"),
    ("广西壮族自治区", "南宁市", "", "南宁市中小企业公共服务平台", "南宁市中小企业服务中心", "政策咨询、融资对接", "municipal"),
    ("海南省", "海口市", "", "海口市中小企业服务平台", "海口市中小企业服务中心", "市场开拓、法律咨询", "municipal"),
    ("重庆市", "", "", "重庆市中小企业公共服务平台", "重庆市中小企业服务中心", "政策咨询、投融资、人才培训、管理咨询", "provincial"),
    ("重庆市", "", "渝北区", "渝北区中小企业服务平台", "重庆市渝北区企业服务中心", "创业辅导、融资担保", "county"),
    ("四川省", "成都市", "", "成都市中小企业公共服务平台", "成都市中小企业服务中心", "政策咨询、技术创新、市场开拓", "municipal"),
    ("贵州省", "贵阳市", "", "贵阳市中小企业服务平台", "贵阳市中小企业服务中心", "数字化转型、大数据、企业上云", "municipal"),
    ("云南省", "昆明市", "", "昆明市中小企业公共服务平台", "昆明市中小企业服务中心", "政策咨询、人才培训", "municipal"),
    ("陕西省", "西安市", "", "西安市中小企业公共服务平台", "西安市中小企业服务中心", "技术转移、知识产权、投融资", "municipal"),
    ("甘肃省", "兰州市", "", "兰州市中小企业服务平台", "兰州市中小企业服务中心", "管理咨询、法律服务", "municipal"),
    ("宁夏回族自治区", "银川市", "", "银川市中小企业公共服务平台", "银川市中小企业服务中心", "政策咨询、融资服务", "municipal"),
    ("新疆维吾尔自治区", "", "", "新疆维吾尔自治区中小企业公共服务平台", "新疆中小企业服务中心", "政策咨询、人才服务、市场开拓", "provincial"),
    ("青海省", "西宁市", "", "西宁市中小企业服务平台", "西宁市中小企业服务中心", "创业辅导、管理咨询、政策咨询", "municipal"),
]


def place_as_written(index: int, province: str, prefecture: str, county: str) -> str:
    """The place in one of the forms published lists use, in turn: 安徽省芜湖市, 安徽芜湖, 安徽省 芜湖市."""
    parts = [p for p in (province, prefecture, county) if p]
    if province in ("北京市", "天津市", "上海市", "重庆市") and county:
        parts = [province, county]
    form = index % 3
    if form == 0:
        return "".join(parts)
    if form == 1:
        return "".join(_short(p) for p in parts)
    return " ".join(parts)


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "回族自治区", "壮族自治区", "自治区", "省", "市", "新区", "区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def list_rows(*, separate_place_columns: bool = False) -> list[list[str]]:
    """The sheet as rows of text: title, header, 47 platforms, a note; the header is row 2."""
    if separate_place_columns:
        header = ["序号", "平台名称", "运营单位", "省份", "城市", "区县", "服务内容", "联系电话", "备注"]
    else:
        header = ["序号", "平台名称", "运营单位", "所在地区", "主要服务", "联系电话", "备注"]
    rows = [[TITLE], header]
    for i, (province, prefecture, county, name, operator, services, _level) in enumerate(PLATFORMS, start=1):
        phone = f"0{(i % 9) + 1}00-6{i:07d}"
        remark = "复核通过" if i % 5 == 0 else ""
        if separate_place_columns:
            rows.append([str(i), name, operator, province, prefecture, county, services, phone, remark])
        else:
            rows.append([str(i), name, operator, place_as_written(i, province, prefecture, county), services,
                         phone, remark])
    rows.append([NOTE])
    return rows


def as_csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def as_xlsx(rows: list[list[str]]) -> bytes:
    """A workbook with the title merged across the table and a blank column before it, as offices do."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    width = max(len(r) for r in rows)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=2):   # column A left empty
            sheet.cell(row=number, column=column, value=int(value) if value.isdigit() else value)
    sheet.merge_cells(start_row=1, start_column=2, end_row=1, end_column=width + 1)
    sheet.merge_cells(start_row=len(rows), start_column=2, end_row=len(rows), end_column=width + 1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
