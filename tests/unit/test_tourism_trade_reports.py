"""Layouts read while heldout11 was turned into a training set (evals/heldout11/bulletins, synthetic, twelfth
session): a 卫健委 three-day 疫情通报 with bracketed breakdowns by county, a 政策解读 page, a county 融媒体中心
field report on two towns, a 文旅局 holiday report with day-by-day figures and 县（市）区 lines, and a 海关 统计快讯
on trade by partner and period. Each test is written on a snippet or a whole bulletin of that set."""

from __future__ import annotations

from service.intent import expand_question, names_other_kind, parse_intent
from tests.unit.test_layouts import _bulletin, _fact_places
from tests.unit.test_price_tables import _facts, _figure
from vectorstore.articles import split_articles
from vectorstore.cleaning import clean

# --------------------------------------------------------------------------- cleaning and titles


def test_a_byline_keeps_its_own_line():
    # 973: "…见闻\n\n来源：…　记者：…　发布时间：…　阅读：3582\n\n“今年我家种了12亩玉米…”" — the 阅读 count was
    # glued to the quotation (and 504's "浏览次数：962" to "3月10日": "9623月10日")
    text = clean("抢抓农时不误春　田间地头备耕忙\n——记者蹲点郎岱镇、落别乡见闻\n\n来源：六枝特区融媒体中心　　记者：张敏"
                 "　　发布时间：2020-03-20 17:26　　阅读：3582\n\n“今年我家种了12亩玉米、4亩辣椒。”村民王德贵说。").text
    assert text.split("\n")[1:] == ["来源：六枝特区融媒体中心记者：张敏发布时间：2020-03-20 17:26阅读：3582",
                                    "“今年我家种了12亩玉米、4亩辣椒。”村民王德贵说。"]


def test_a_breadcrumb_above_the_headline_does_not_stand_for_the_title():
    text = ("丹东市文化旅游和广播电视局\n首页 > 文旅资讯 > 工作动态\n\n2020年“五一”假期全市文化和旅游市场情况\n\n"
            "发布时间：2020-05-06　　来源：市场管理科　　浏览次数：2217\n\n“五一”假期（5月1日—5日），全市旅游市场安全平稳有序。\n")
    (article,) = split_articles(clean(text))
    assert article.title.endswith("2020年“五一”假期全市文化和旅游市场情况")


# --------------------------------------------------------------------------- figure facts


def test_a_place_in_brackets_after_a_venue_is_the_venues():
    places = _fact_places("丹东市文化旅游和广播电视局\n\n凤凰山景区（凤城市）实行实名预约、分时段游览，假期共接待游客4.35万人次。",
                          ["丹东市"])
    assert places["4.35万人次"] == "凤城市"  # not the city's


def test_what_a_company_spokesman_says_is_the_companys():
    facts = _facts("前4个月，全市出口机电产品228.6亿元。江苏海安鑫宇家纺有限公司总经理沈建华说，企业用足了出口退税政策，"
                   "前4个月出口额达到1.28亿元。", ["南通市"])
    assert facts["228.6亿元"].place == "南通市"
    assert (facts["1.28亿元"].place, facts["1.28亿元"].subject) == ("", "江苏海安鑫宇家纺有限公司")


def test_the_first_months_are_a_period_and_a_province_compared_with_less_is_its_own():
    facts = _facts("今年前4个月，南通市外贸进出口总值826.4亿元，同比下降6.8%，降幅小于全省平均水平（下降8.9%）2.1个百分点。",
                   ["南通市", "江苏省"])
    assert facts["826.4亿元"].period == "今年前4个月"
    assert facts["8.9%"].place == "江苏省"


def test_a_table_row_of_a_place_the_gazetteer_lacks_is_that_rows():
    # heldout4's 新疆 report: "巴州｜3例｜…" (巴音郭楞, by its everyday short name, in everyday_names.tsv since the
    # thirteenth session) is not the region's 3例
    places = _fact_places("新疆维吾尔自治区卫生健康委员会\n\n各地（州、市）确诊病例情况\n地区｜2月21日累计确诊｜2月22日累计确诊\n"
                          "乌鲁木齐市｜23例｜23例\n巴州｜3例｜3例\n合计｜61例｜62例\n", ["新疆维吾尔自治区"])
    assert (places["23例"], places["3例"], places["61例"]) == ("乌鲁木齐市", "巴音郭楞蒙古自治州", "新疆维吾尔自治区")
    places = _fact_places("新疆维吾尔自治区卫生健康委员会\n\n地区｜2月21日累计确诊｜2月22日累计确诊\n乌鲁木齐市｜23例｜23例\n"
                          "兵团｜4例｜4例\n合计｜27例｜27例\n", ["新疆维吾尔自治区"])
    assert places["4例"] == "兵团"  # a row's place the gazetteer lacks is still that row's
    assert places["2月21日"] != "地区"  # the header row is no place's row


# --------------------------------------------------------------------------- questions


def test_questions_on_gaps_shares_month_ends_towns_and_dollars():
    assert parse_intent("运城贷款加权平均利率比年初降了多少？").unit == "个百分点"
    assert parse_intent("运城贷款加权平均利率比年初降了多少？").wants == "figure"  # a gap, not a rate
    assert parse_intent("凤城市接待游客占丹东全市的比重是多少？").wants == "percent"
    assert parse_intent("丹东五一旅游收入恢复到了去年同期的多少？").wants == "percent"
    assert parse_intent("截至2月底运城已经为企业减免了多少税费？").dates == [(None, 2, 29)]
    assert parse_intent("2020年1月底恢复生产后，每天可生产多少个口罩？").dates == []  # not an as-of
    assert parse_intent("落别乡今年计划种多少亩玉米？").towns == ["落别乡"]
    assert parse_intent("武汉返乡人员有多少？").towns == []
    assert parse_intent("按美元算，南通前4个月进出口多少？").unit == "美元"
    assert parse_intent("六枝的春耕进度比六盘水全市平均快多少？").places[0] == "六枝特区"
    assert "贴息" in expand_question("这些企业拿到的低息资金有多少？")  # "获得4.61亿元的贴息贷款" (phrasing, seed 000)
    assert names_other_kind("请了多少名省级专家？", "修武县迅速组成由19名县级专家参与的医疗救治组")


# --------------------------------------------------------------------------- answers on whole bulletins


def test_a_county_breakdown_in_brackets_answers_for_the_county():
    p = _bulletin("heldout11", "971")  # "…确诊病例10例，其中本地病例9例（个旧市3例、蒙自市2例、弥勒市2例…）"
    assert _figure("个旧市累计报告了几例确诊？", p) == "3例"
    assert _figure("4月13日那天红河还有多少密接在接受医学观察？", p) == "18人"  # 尚在, not 累计追踪
    assert _figure("4月13日红河州累计追踪的密接比前一天多了几个人？", p) == "9人"  # the change
    assert _figure("红河州核酸检测每天能做多少份？", p) == "3600份"  # 日检测能力, not 累计
    assert _figure("河口口岸入境人员从哪天起一律集中隔离医学观察？", p) == "3月28日"


def test_a_gap_a_working_day_and_a_share_of_the_plan():
    p = _bulletin("heldout11", "972")
    assert _figure("运城贷款加权平均利率比年初降了多少？", p) == "0.38个百分点"
    assert _figure("在运城开办一家企业现在要多长时间？", p) == "1个工作日"
    p = _bulletin("heldout11", "973")  # "已完成…28.6万亩，占计划面积46.7万亩（其中…）的61.2%，高于全市平均进度（58.4%）"
    assert _figure("六枝特区春耕备耕进度是多少？", p) == "61.2%"
    assert _figure("六枝的春耕进度比六盘水全市平均快多少？", p) == "2.8个百分点"
    assert _figure("六枝特区为春耕调运了多少化肥？", p) == "1.42万吨"  # a report on two towns is the county's
    assert _figure("六盘水全市已经完成了多少春耕备耕面积？", p) is None  # only the city's 进度 is given


def test_a_holiday_report_tells_days_venues_and_the_whole_apart():
    p = _bulletin("heldout11", "974")
    assert _figure("今年五一假期丹东一共接待了多少游客？", p) == "186.4万人次"  # not 5月1日's 42.8万
    assert _figure("五一假期5月4日那天丹东接待游客多少？", p) == "35.5万人次"
    assert _figure("鸭绿江断桥景区五一假期接待了多少游客？", p) == "5.62万人次"  # not 当日's 1.48万
    assert _figure("凤凰山景区每天限流多少人？", p) == "1.2万人次"
    assert _figure("抗美援朝纪念馆五一期间接待了多少游客？", p) is None  # "暂未对外开放"


def test_a_trade_report_tells_exports_partners_and_periods_apart():
    p = _bulletin("heldout11", "975")
    assert _figure("南通前4个月出口了多少？", p) == "532.6亿元"  # not the company's 1.28亿元
    assert _figure("按美元算，南通前4个月进出口多少？", p) == "118.1亿美元"
    assert _figure("南通和东盟的贸易额前4个月有多少？", p) == "118.5亿元"  # not 欧盟's
    assert _figure("南通前4个月对韩国进出口多少？", p) is None
    assert _figure("江苏全省前4个月进出口下降了多少？", p) == "8.9%"
    assert _figure("江苏全省前4个月出口下降了多少？", p) is None  # only 进出口's decline is given
