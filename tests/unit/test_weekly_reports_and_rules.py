"""Layouts read while heldout20 was turned into a training set (evals/heldout20/bulletins, synthetic, seventeenth
session): a 商务局 weekly monitoring report with a 分业态 table, a 统计局 interpretation whose county paragraph
labels each sentence with its place, a 人社局 policy Q&A mixing rules and data, a 交通局 weekly passenger report
with one line of days, and a 农牧局 文件-style 通报. Each test is written on a snippet or a whole bulletin of
that set."""

from __future__ import annotations

from service.chat import extractive
from service.chat.figure_slots import months_agreement, report_week
from service.chat.tables import row_cells
from service.facts.reading import local_places, months_of
from service.intent import parse_intent
from service.names import person_names
from tests.unit.test_layouts import _bulletin
from tests.unit.test_price_tables import _figure
from vectorstore.places import find_places


def _stated(question: str, p) -> str | None:
    """The figure stated at the fitted confidence threshold (None: evidence only, or abstained)."""
    said = extractive.answer(question, [p])
    return said.figure if said.answers_question else None


def test_a_contact_is_the_name_after_its_label_past_its_office():
    assert [n.text for n in person_names("联系人：种植业科王建军电话：0475-8213506")] == ["王建军"]
    assert [n.text for n in person_names("数据咨询：市统计局综合统计科彭立群电话：0731-58226314")] == ["彭立群"]
    assert [n.text for n in person_names("联系人：陈晓峰电话：0511-85023716")] == ["陈晓峰"]
    said = extractive.answer("通辽春播进度通报的联系人是谁？", [_bulletin("heldout20", "855")], min_confidence=0.0)
    assert said.answer.startswith("王建军")


def test_a_figures_unit_is_no_start_of_a_place_and_a_railway_station_is_its_places():
    assert find_places("4月份头12天镇江监测企业一共卖了多少？", loose=True) == ("镇江市",)  # not 天镇县
    assert "乐山市" in find_places("成绵乐城际铁路乐山站、峨眉山站发送旅客5.32万人次")
    assert find_places("黄河路北、大沙河南首批搬迁企业") == ()  # a street's and a river's ends stay words


def test_a_place_labelling_a_sentence_inside_a_paragraph_owns_its_whole():
    p = _bulletin("heldout20", "852")
    text = p.clean.text
    assert local_places(text, text.find("全市4月份规模以上工业增加值增长7.2%"))["市"] == "湘乡市"
    assert _figure("湘潭4月份规上工业增加值涨了多少？", p) == "5.8%"  # not 湘乡市's 7.2%
    assert _figure("湘潭1到4月规上工业增速比湖南全省平均高几个点？", p) == "0.9个百分点"
    assert _figure("湘潭亿元以上在建项目到4月累计投了多少钱？", p) == "186.3亿元"  # 到4月: 1—4月


def test_a_change_column_and_a_bare_change_are_of_the_value_before_them():
    p = _bulletin("heldout20", "851")
    text = p.clean.text
    cells = row_cells(text, text.find("家电和通讯器材｜"))
    assert [c.measured for c in cells] == ["", "", "本周销售额（万元）", "本周销售额（万元）"]
    assert _figure("镇江卖家电和手机的商家这周销售额环比增长多少？", p) == "9.3%"
    said = extractive.answer("镇江蔬菜均价这周比上周降了多少？", [p], min_confidence=0.0)
    assert said.figure == "5.8%" and "平均零售价每500克3.26元，环比下降5.8%" in said.answer  # quoted with its metric
    assert _figure("镇江超市里精瘦肉现在一斤多少钱？", p) == "29.80元"  # 一斤: 每500克
    assert _figure("4月份头12天镇江监测企业一共卖了多少？", p) == "7.26亿元"


def test_what_a_question_asks_in_points_years_and_percents_of_a_fee():
    assert parse_intent("湘潭1到4月规上工业增速比湖南全省平均高几个点？").unit == "个百分点"
    assert parse_intent("全市设有几个点？").unit == "个"  # no rate compared: points of a place
    assert parse_intent("安康创业担保贷款最长能贷几年？").unit == "年"
    fee = parse_intent("安康中小微企业不裁员能返还百分之多少的失业保险费？")
    assert (fee.wants, fee.unit) == ("percent", "")
    projects = parse_intent("湘潭高新区前四个月新签了多少项目？")
    assert projects.unit == "" and {"个", "项"} <= projects.counted  # 项目 is counted, not a unit 项
    assert months_of("1月到4月投了多少") == (1, 4)
    assert months_agreement("到4月累计投了多少钱", "1—4月") == 1.0 and months_agreement("1月到4月", "4月") == -1.0


def test_rules_for_one_firm_or_person_and_for_whom_a_rule_is():
    p = _bulletin("heldout20", "853")
    assert _figure("安康吸纳就业补贴一家企业最多能拿多少？", p) == "不超过10万元"  # not 每人2000元
    assert _figure("安康创业担保贷款最长能贷几年？", p) == "3年"
    assert _figure("安康社区工厂那个岗位补贴最多能领几个月？", p) == "6个月"  # "对新吸纳贫困劳动力的社区工厂，…"
    assert _figure("安康外出打工的人现在回去上班的有多少了？", p) == "52.8万人"  # not 省内务工's part
    assert _figure("安康返岗的人里在省外干活的有多少？", p) == "31.6万人"
    assert _figure("安康光3月份新返岗了多少人？", p) == "19.6万人"


def test_a_weekly_report_its_days_its_modes_and_its_lists():
    p = _bulletin("heldout20", "854")
    assert report_week(p.clean.text) == ((3, 9), (3, 15))
    assert _figure("乐山这一周一共运了多少旅客？", p) == "38.6万人次"  # the modes listed into one total
    assert _figure("3月9日周一乐山运了多少旅客？", p) == "4.62万人次"  # the line of days, not the week's
    assert _stated("3月16日到22日乐山实际运送了多少旅客？", p) is None  # the next week: only a forecast
    assert _figure("乐山城际铁路这周发送旅客多少？", p) == "5.32万人次"  # not 到达, not the modes' total
    assert _stated("乐山出租车这周运送了多少乘客？", p) is None  # 公交's 21.7万人次 is no taxi's
    assert _figure("乐山到成都的班车这周发了多少人？", p) == "2.14万人次"  # 班线 and 发送 in one wording
    assert _figure("乐山这周平均每天运多少旅客？", p) == "5.51万人次"
    assert _figure("乐山这周货车出了多少车次？", p) == "1.96万辆次"


def test_an_item_of_a_planned_whole_is_planned():
    p = _bulletin("heldout20", "855")
    assert _figure("通辽玉米播下去多少亩了？", p) == "892.4万亩"  # not "计划播种…其中玉米1420万亩"
    assert _figure("通辽尿素现在一吨卖多少钱？", p) == "2080元"
    assert _stated("内蒙古全区截至5月10日已播种农作物多少万亩？", p) is None  # "科尔沁区：全区已播种181.3万亩"
