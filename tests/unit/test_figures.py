"""Unit tests for service.figures: parsing real bulletin sentences and grounding answer figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from service.figures import Figure, figure_grounded, index_tokens, matches, parse_figures, ungrounded

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def keys(text: str) -> list[str]:
    return [f.normalized for f in parse_figures(text)]


def texts(text: str) -> list[str]:
    return [f.text for f in parse_figures(text)]


def one(text: str) -> Figure:
    figs = parse_figures(text)
    assert len(figs) == 1, figs
    return figs[0]


# --------------------------------------------------------------------------- parsing: real sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "截至3月25日,10家消毒剂和生产企业日生产能力201吨",
            ["date:-3-25", "number:10:家", "number:201:吨"],
        ),
        (
            "8家口罩生产企业日生产能力252万只,库存448万只",
            ["number:8:家", "number:2520000:个", "number:4480000:个"],
        ),
        ("目前全市共储备防疫相关药品45.81万盒", ["number:458100:盒"]),
        (
            "全市已开工企业236家，占规 上 工 业 企 业 19.7% ， 用 工 人 数 达 48773人",
            ["number:236:家", "percent:19.7", "number:48773:人"],
        ),
        (
            "排查车辆1.8万辆、检测3.4万人,劝返疫区来车76辆",
            ["number:18000:辆", "number:34000:人", "number:76:辆"],
        ),
        (
            "从而获得4.61亿元的贴息贷款,两个项目到位债券资金2.39亿元",
            ["number:461000000:元", "number:2:个", "number:239000000:元"],
        ),
        ("复工复产率达96.6%。", ["percent:96.6"]),
        (
            "分别比去年同期增长7%、3%、24%,净利润1000余万元",
            ["percent:7", "percent:3", "percent:24", "number:10000000:元"],
        ),
        (
            "百大超市示范区店2月份的营业额达583万元,同比增长30.5%",
            ["date:-2-", "number:5830000:元", "percent:30.5"],
        ),
        ("全县累计进行核酸检测167.78万份", ["number:1677800:份"]),
        ("累计消杀面积96.8万平方米", ["number:968000:平方米"]),
        ("建成2个核酸实验室,最大检测能力360份/日", ["number:2:个", "number:360:份/日"]),
        ("推送各类防疫提醒短信560万条次", ["number:5600000:条次"]),
    ],
)
def test_real_sentences(text: str, expected: list[str]) -> None:
    figs = parse_figures(text)
    for f in figs:
        assert text[f.start : f.end] == f.text
    assert [f.normalized for f in figs] == expected


def test_spaced_out_column_text() -> None:
    text = "目前，全市已开工企业236家，占\n规 上 工 业 企 业 19.7% ， 用 工 人 数 达\n48773人"
    figs = parse_figures(text)
    assert [(f.text, f.kind, f.value) for f in figs] == [
        ("236家", "number", Decimal("236")),
        ("19.7%", "percent", Decimal("19.7")),
        ("48773人", "number", Decimal("48773")),
    ]


def test_whitespace_and_newlines_between_parts() -> None:
    # column layout breaks lines between number, magnitude and unit
    assert texts("积极筹措紧缺物资消毒液17吨、酒精8.5\n吨，及时") == ["17吨", "8.5\n吨"]
    f = one("区财政资金100\n万元支持复工复产")
    assert (f.value, f.magnitude, f.unit) == (Decimal("1000000"), "万", "元")
    assert one("已统购口罩 11.85 万个，其").normalized == "number:118500:个"


def test_scaled_values_and_magnitudes() -> None:
    f = one("申报地方债项目总投资85.8亿元")
    assert (f.value, f.magnitude, f.unit) == (Decimal("8580000000"), "亿", "元")
    assert one("总额3万亿元").value == Decimal("3000000000000")
    assert one("防疫器械和耗材864.96万件(个)").normalized == "number:8649600:件"
    # 千克 is a unit, not 千 + 克
    assert one("5千克").normalized == "number:5:公斤"
    assert one("约5千人").value == Decimal("5000")


def test_full_width_digits_and_thousands_separators() -> None:
    figs = parse_figures("１２３家企业，增长１２．５％，共1,234,567元")
    assert [f.normalized for f in figs] == ["number:123:家", "percent:12.5", "number:1234567:元"]
    assert figs[0].text == "１２３家"


# --------------------------------------------------------------------------- qualifiers / bounds


@pytest.mark.parametrize(
    ("text", "qualifier", "bound", "value"),
    [
        ("累计生产口罩300余万只", "余", "gt", Decimal("3000000")),
        ("协调解决企业问题30 余项", "余", "gt", Decimal("30")),
        ("帮助20多个项目单位", "多", "gt", Decimal("20")),
        ("手消1万多瓶", "多", "gt", Decimal("10000")),
        ("市财政拨付4500多万元专项经费", "多", "gt", Decimal("45000000")),
        ("协调交通部门先后为企业发放近800张通行证", "近", "lt", Decimal("800")),
        ("协调原材料近50 吨", "近", "lt", Decimal("50")),
        ("省财政将根据企业实际设备投资进行约\n30%的补助", "约", "approx", Decimal("30")),
        ("生产并保证了全市80%以上的口罩供应", "以上", "gt", Decimal("80")),
        ("对两名20岁左右的医务人员", "左右", "approx", Decimal("20")),
        ("超过300万元", "超过", "gt", Decimal("3000000")),
        ("逾百家企业", "逾", "gt", Decimal("100")),
        ("不足10人", "不足", "lt", Decimal("10")),
        ("项目审批的办理时限压缩至1天以内", "以内", "lt", Decimal("1")),
        ("5000以上", "以上", "gt", Decimal("5000")),
    ],
)
def test_qualifiers(text: str, qualifier: str, bound: str, value: Decimal) -> None:
    f = next(f for f in parse_figures(text) if f.qualifier)
    assert (f.qualifier, f.bound, f.value) == (qualifier, bound, value)
    assert qualifier in f.text


def test_bare_magnitude_with_qualifier() -> None:
    figs = parse_figures("开通云名片专线近百条、提供对讲机上万个")
    assert [(f.text, f.value, f.bound) for f in figs] == [
        ("近百条", Decimal("100"), "lt"),
        ("上万个", Decimal("10000"), "gt"),
    ]


def test_qualifier_words_that_are_not_qualifiers() -> None:
    assert one("最近3天").bound == "eq"  # 最近 = "recent", not "nearly"
    assert one("签约12个项目").bound == "eq"
    assert one("商超3家").bound == "eq"  # 商超 (supermarkets), not 超 "more than"


def test_vague_inside_unit() -> None:
    f = one("已连续1个多月没有新增")
    assert (f.unit, f.bound) == ("个月", "gt")


# --------------------------------------------------------------------------- Chinese numerals


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("组建十四个工作专班", ["number:14:个"]),
        ("每户两天允许1人外出采购1次", ["number:2:天", "number:1:人", "number:1:次"]),
        ("及时指定三家大型商超", ["number:3:家"]),
        ("共一千二百人参加", ["number:1200:人"]),
        ("焦作市新型冠状病毒肺炎疫情防控工作第十场新闻发布会", ["ordinal:10:场"]),
        ("迅速掀起第二\n轮宣传高潮", ["ordinal:2:轮"]),
        ("十余万人", ["number:100000:人"]),
        ("百分之三十的补助", ["percent:30"]),
        ("百分之十二点五", ["percent:12.5"]),
        ("二〇二〇年", ["year:2020"]),
        ("三月十日", ["date:-3-10"]),
    ],
)
def test_chinese_numerals(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "一是见事早、行动快；二是摸到底、纵到底；三是防输入、防扩散",
        "深入一线解决问题，统一调配使用",
        "守住疫情防控最后一道关口，抓紧谋划、申报、实施一批重大项目",
        "公司第一时间成立疫情防控组织",
        "第一,组织领导到位。第二,联防联控到位。",
        "到市第三人民医院就诊",
        "做好原辅料、零部件采购",
        "示范区唯一一家实现重点工业企业全面复工",
        "两手抓、两手硬，千家万户，万方铝业",
        "三五天内，十几个，数万人",
    ],
)
def test_chinese_numerals_that_are_not_figures(text: str) -> None:
    assert parse_figures(text) == []


def test_lone_yi_read_only_loosely() -> None:
    assert parse_figures("全区确诊一例") == []
    assert keys_loose("全区确诊一例") == ["number:1:例"]


def keys_loose(text: str) -> list[str]:
    return [f.normalized for f in parse_figures(text, loose=True)]


# --------------------------------------------------------------------------- ranges


def test_ranges_become_two_figures() -> None:
    assert keys("隔离3至5天") == ["number:3:天", "number:5:天"]
    assert keys("每组20-30人") == ["number:20:人", "number:30:人"]
    assert keys("补助3至5万元") == ["number:30000:元", "number:50000:元"]
    assert keys("占20%-30%") == ["percent:20", "percent:30"]
    assert keys("1至3月") == ["date:-1-", "date:-3-"]
    low = parse_figures("隔离3至5天")[0]
    assert low.text == "3" and low.unit == "天"


# --------------------------------------------------------------------------- dates / times / years


def test_date_then_time() -> None:
    figs = parse_figures("截至3月10日24时,全区确诊1例新冠肺炎病例")
    assert [(f.text, f.kind, f.normalized) for f in figs] == [
        ("3月10日", "date", "date:-3-10"),
        ("24时", "time", "time:24:00"),
        ("1例", "number", "number:1:例"),
    ]
    assert figs[0].value is None


def test_dates_with_year_and_iso_timestamp() -> None:
    assert keys("谢谢大家!\n\n2020年3月11日\n\n关键词") == ["date:2020-3-11"]
    figs = parse_figures("时间:2020-02-26 17:37:48\xa0\xa0来源:")
    assert [(f.text, f.normalized) for f in figs] == [
        ("2020-02-26", "date:2020-2-26"),
        ("17:37:48", "time:17:37:48"),
    ]


def test_day_lists_share_the_month() -> None:
    figs = parse_figures(" 本报讯（记者郭树勋） 2月10\n日、11 日，副省长何金平")
    assert [(f.text, f.normalized) for f in figs] == [("2月10\n日", "date:-2-10"), ("11 日", "date:-2-11")]
    assert keys("2 月 13 日、14 日两天已统购口罩 11.85 万个") == [
        "date:-2-13",
        "date:-2-14",
        "number:2:天",
        "number:118500:个",
    ]


def test_lunar_note_is_ignored() -> None:
    assert keys("动作为，从 1 月 25 日 （大年初\n一），协调全区40家重点工业企业") == [
        "date:-1-25",
        "number:40:家",
    ]


def test_times_and_durations() -> None:
    assert keys("所有小区每天早上7:30开放、晚上9:00封闭") == ["time:7:30", "time:9:00"]
    assert keys("截至昨日\n12 时，示范区 40 家重点工业企业") == ["time:12:00", "number:40:家"]
    assert keys("24小时热线") == ["number:24:小时"]
    assert keys("下午3点，10点钟，18时30分") == ["time:3:00", "time:10:00", "time:18:30"]
    assert keys("三点要求，特殊时期") == []


def test_years() -> None:
    assert one("2020年").kind == "year"
    assert one("2020年").value == Decimal("2020")
    assert one("3年").normalized == "number:3:年"


# --------------------------------------------------------------------------- phones


def test_phone_with_shared_area_code() -> None:
    figs = parse_figures("监督举报电话：（0391）3569278、3569290。")
    assert [(f.text, f.kind, f.normalized) for f in figs] == [
        ("（0391）3569278", "phone", "phone:03913569278"),
        ("3569290", "phone", "phone:03913569290"),
    ]
    assert figs[0].value is None


def test_other_phone_forms() -> None:
    assert keys("24小时热线电话(0391)3566659接听各方") == ["number:24:小时", "phone:03913566659"]
    assert keys("0391-3566659") == ["phone:03913566659"]
    assert keys("联系电话13812345678") == ["phone:13812345678"]


# --------------------------------------------------------------------------- non-figures


@pytest.mark.parametrize(
    "text",
    [
        "(上接A01版①)明确要求、认真组织",
        "新冠肺炎 COVID-19 2019-nCoV",
        "对工业企业、汽车4S店、“四小”门店",
        "缓解了我市疫情防控重点人群口罩的需求难题。①5\n 本报讯",
        "成立企业疫情防控纾困专班，（下转第三版①）",
        "答案见[1]和【2】[S3]",
    ],
)
def test_ids_and_markers_are_not_figures(text: str) -> None:
    assert parse_figures(text) == []


def test_list_enumerators_are_not_figures() -> None:
    assert keys("1. 共5家\n2. 另有6家\n(3) 又有7家") == ["number:5:家", "number:6:家", "number:7:家"]
    # a decimal at line start is still a figure
    assert keys("8.15万个，缓解了") == ["number:81500:个"]
    # ... and an enumerator opening a quotation is no figure either (an answer quoting item "1.自2月10日起…")
    assert keys("公报原文：“1.自2月10日起，居家隔离观察14天。”") == ["date:-2-10", "number:14:天"]
    assert keys("他说：“3.5万元已经到账”") == ["number:35000:元"]


def test_unknown_follower_is_not_a_unit() -> None:
    # 行 is no known unit: the figure keeps unit "" and is then compared by value only
    f = one("弘扬3行作风")
    assert (f.text, f.unit, f.normalized) == ("3", "", "number:3:")


def test_offsets_hold_on_every_seed() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        figs = parse_figures(text)
        assert figs, path
        for f in figs:
            assert text[f.start : f.end] == f.text
        starts = [f.start for f in figs]
        assert starts == sorted(starts)
        assert all(a.end <= b.start for a, b in zip(figs, figs[1:], strict=False))


# --------------------------------------------------------------------------- grounding


SRC_000 = "排查车辆1.8万辆、检测3.4万人,劝返疫区来车76辆。目前,累计生产口罩300余万只。"
SRC_PHONE = "监督举报电话：（0391）3569278、3569290。"


@pytest.mark.parametrize(
    ("answer_fig", "source", "grounded"),
    [
        ("1.8万辆", SRC_000, True),
        ("18000辆", SRC_000, True),
        ("1.80万辆", SRC_000, True),
        ("18000", SRC_000, True),  # no unit in the answer: value decides
        ("1.8万人", SRC_000, False),  # unit differs
        ("1.9万辆", SRC_000, False),
        ("300多万只", SRC_000, True),  # 余 and 多 are both "more than"
        ("超过300万只", SRC_000, True),
        ("300万只", SRC_000, False),  # dropping the qualifier changes the claim
        ("约300万只", SRC_000, False),
        ("近300万只", SRC_000, False),
        ("三家", "3家大型商超", True),
        ("3家", "及时指定三家大型商超", True),
        ("两个", "两个项目到位债券资金", True),
        ("2829人", "对2829名返乡人员全面落实了居家隔离措施", True),  # 名 ~ 人
        ("8000个", "每日可生产供应口罩 8000 个", True),
        ("8000只", "每日可生产供应口罩 8000 个", True),  # 只 ~ 个
        ("96.6%", "复工复产率达96.6%", True),
        ("96.60%", "复工复产率达96.6%", True),
        ("96.6", "复工复产率达96.6%", False),
        ("80%", "保证了全市80%以上的口罩供应", False),
        ("80%以上", "保证了全市80%以上的口罩供应", True),
        ("百分之三十", "进行约\n30%的补助", False),  # source says 约
        ("约30%", "进行约\n30%的补助", True),
        ("1例", "全区确诊一例", True),  # sources are read loosely
        ("第十场", "疫情防控工作第10场新闻发布会", True),
    ],
)
def test_figure_grounded_numbers(answer_fig: str, source: str, grounded: bool) -> None:
    assert figure_grounded(one(answer_fig), source) is grounded


@pytest.mark.parametrize(
    ("answer_fig", "source", "grounded"),
    [
        ("3月10日", "截至3月10日24时", True),
        ("2020年3月10日", "截至3月10日24时", True),  # year compared only if both state it
        ("2021年3月11日", "2020年3月11日", False),
        ("2月11日", " 2月10\n日、11 日，副省长", True),
        ("2月12日", " 2月10\n日、11 日，副省长", False),
        ("3月11日", "时间:2020-03-11 17:37:48", True),
        ("2月", "百大超市示范区店2月份的营业额", True),
        ("24:00", "截至3月10日24时", True),
        ("2020年", "2020年3月11日", True),
        ("(0391)3569290", SRC_PHONE, True),
        ("0391-3569278", SRC_PHONE, True),
        ("3569290", SRC_PHONE, True),  # answer without the area code
        ("(0391)3569291", SRC_PHONE, False),
    ],
)
def test_figure_grounded_dates_times_phones(answer_fig: str, source: str, grounded: bool) -> None:
    assert figure_grounded(one(answer_fig), source) is grounded


def test_ungrounded_reports_only_unsupported_figures() -> None:
    sources = [
        "截至3月25日,10家消毒剂和生产企业日生产能力201吨",
        "8家口罩生产企业日生产能力252万只,库存448万只,完全能够满足大家日常防疫需要。",
    ]
    answer = "截至3月25日，8家口罩企业日产能252万只，库存约448万只；消毒剂企业有十家，日产能210吨。"
    bad = ungrounded(answer, sources)
    assert [f.text for f in bad] == ["约448万只", "210吨"]


def test_ungrounded_ignores_citations_and_enumerators() -> None:
    answer = "1. 全区累计排查车辆1.8万辆[1]。\n2. 劝返疫区来车76辆【2】。"
    assert ungrounded(answer, [SRC_000]) == []


def test_matches_is_asymmetric() -> None:
    with_unit, without_unit = one("252万只"), one("252万")
    assert matches(without_unit, with_unit)
    assert not matches(with_unit, without_unit)


# --------------------------------------------------------------------------- index tokens


def test_index_tokens_bridge_forms() -> None:
    assert index_tokens("排查车辆1.8万辆") == ["18000", "number:18000:辆"]
    assert "18000" in index_tokens("共18000辆")
    assert index_tokens("截至3月10日24时") == ["date:-3-10", "time:24:00"]
    assert index_tokens("复工复产率达96.6%") == ["96.6", "percent:96.6"]
    assert index_tokens("电话(0391)3566659") == ["phone:03913566659"]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("联通为方舱医院免费搭建1000M宽带", [("1000M", "M")]),
        ("为教师免费提供“教学包”(100G流量)", [("100G", "G")]),
        ("每户提速到200Mbps", [("200Mbps", "Mbps")]),
        ("建成5G基站,4G网络全覆盖", []),  # network generations, not amounts
        ("3M公司的KN95口罩", []),  # a company and a model code
    ],
)
def test_bandwidth_and_data_amounts(text: str, figures: list[tuple[str, str]]) -> None:
    """Staff ask "宽带是多少兆的": 1000M is an amount, and an answer stating it must be checked."""
    assert [(f.text, f.unit) for f in parse_figures(text)] == figures


# --------------------------------------------------------------------------- word-form quantities (issue 12, item 5)
# Before the fix 九成九, 三分之二, 翻了两番 and 两成 gave no figure at all, so an LLM reply stating them
# was never checked against its quote.


@pytest.mark.parametrize(
    ("text", "key", "bound"),
    [
        ("全区复工率达九成九", "percent:99", "eq"),
        ("九成以上企业已复工", "percent:90", "gt"),
        ("近三成的门店仍未营业", "percent:30", "lt"),
        ("营业收入同比增长两成", "percent:20", "eq"),
        ("已完成全年任务的三分之二", "fraction:0.666667", "eq"),
        ("产值翻了两番", "multiple:4", "eq"),
        ("产量翻一番", "multiple:2", "eq"),
        ("线上订单翻番", "multiple:2", "eq"),
        ("返岗率达到百分之三十", "percent:30", "eq"),
        ("共有五千余人参加", "number:5000:人", "gt"),
    ],
)
def test_word_form_quantities(text: str, key: str, bound: str) -> None:
    f = one(text)
    assert (f.normalized, f.bound) == (key, bound)
    assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    "text",
    ["坚持标准一成不变", "统一成立临时党支部", "九成员单位参加会议", "形成合力，完成任务", "翻看台账"],
)
def test_words_that_only_look_like_word_form_quantities(text: str) -> None:
    assert parse_figures(text) == []


@pytest.mark.parametrize(
    ("answer", "quote", "grounded"),
    [
        ("复工率达九成九[1]。", "复工率达99%。", True),
        ("复工率达九成九[1]。", "复工率达九成。", False),
        ("营业收入增长两成[1]。", "营业收入增长20%。", True),
        ("营业收入增长两成[1]。", "营业收入增长三成。", False),
        ("已完成三分之二[1]。", "已完成三分之二。", True),
        ("已完成三分之二[1]。", "已完成三分之一。", False),
        ("产值翻了两番[1]。", "产值翻两番。", True),
        ("产值翻了两番[1]。", "产值翻了一番。", False),
        ("返岗率达百分之三十[1]。", "返岗率达30%。", True),
        ("返岗率达百分之三十[1]。", "返岗率达40%。", False),
        ("共五千余人参加[1]。", "共5000余人参加。", True),
        ("共五千余人参加[1]。", "共5000人参加。", False),
    ],
)
def test_word_form_figures_are_checked_against_the_quote(answer: str, quote: str, grounded: bool) -> None:
    from service.chat.models import Citation
    from service.citations import check_figures

    cite = Citation(n=1, doc_id="d", article=0, quote=quote, text=quote, start=0, end=len(quote))
    checks, missing = check_figures(answer, [cite])
    assert checks, f"{answer!r}: a stated quantity must be checked"
    assert (not missing) is grounded, (checks, missing)
