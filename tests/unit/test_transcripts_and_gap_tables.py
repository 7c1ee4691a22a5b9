"""Layouts read while heldout18 was turned into a training set (evals/heldout18/bulletins, synthetic, sixteenth
session): a 新闻发布会 transcript whose speakers are labelled by bare name, a 统计局 release with a table laid out
by wide gaps, a 人社局 report of returning workers, a 商务局 page and a 州 report with its county table. Each
test is written on a snippet or a whole bulletin of that set."""

from __future__ import annotations

from service.chat.extractive import _GAP_ASKED_WAY, _asked_verbs, _date_fit, _gap_way
from service.chat.figure_slots import months_agreement
from service.facts.reading import figure_part, local_places, months_of, time_phrase
from service.figures import parse_figures
from service.intent import asked_place, parse_intent
from tests.unit.test_layouts import _bulletin
from tests.unit.test_price_tables import _figure
from vectorstore.cleaning import clean

_GAP_TABLE = (
    "附表　2020年1—5月晋中市主要经济指标\n"
    "指标名称　　计量单位　　1—5月　　同比增长（%）\n"
    "规模以上工业增加值　　—　　—　　1.6\n"
    "　原煤产量　　万吨　　4126.3　　3.5\n"
    "　焦炭产量　　万吨　　612.8　　-2.6\n"
    "注：本文数据为初步统计数。"
)


def test_a_table_laid_out_by_wide_gaps_reads_as_cells():
    lines = clean(_GAP_TABLE).text.split("\n")
    assert lines == ["附表2020年1—5月晋中市主要经济指标", "指标名称｜计量单位｜1—5月｜同比增长（%）",
                     "规模以上工业增加值｜—｜—｜1.6", "原煤产量｜万吨｜4126.3｜3.5", "焦炭产量｜万吨｜612.8｜-2.6",
                     "注：本文数据为初步统计数。"]  # not "原煤产量万吨4126.33.5焦炭…"
    # two lines of gapped items stay items (each day with its figure), a byline stays a byline
    days = clean("3月16日　26.4万件　　3月17日　27.2万件\n3月18日　25.9万件　　3月19日　28.1万件\n"
                 "3月20日　27.7万件　　3月21日　29.3万件").text
    assert "｜" not in days and "3月16日26.4万件；3月17日27.2万件" in days


def test_a_gap_table_answers_from_its_cells_and_the_text_is_quoted_first():
    p = _bulletin("heldout18", "832")
    assert _figure("晋中1—5月一共产了多少原煤？", p) == "4126.3万吨"
    assert _figure("晋中5月份单月规上工业增加值增长多少？", p) == "6.8%"  # "其中5月当月增长6.8%"
    assert _figure("今年以来晋中存款余额增加了多少？", p) == "218.6亿元"  # "比年初增加218.6亿元", not the 余额
    assert _figure("晋中1—5月规上工业增速高出山西全省多少？", p) == "0.9个百分点"


def test_months_named_loosely_or_compared_with():
    assert months_of("钦州港头两个月货物吞吐量") == (1, 2)
    assert months_of("3月上半月钦州港货物吞吐量") == (3, 3) and months_of("3月上旬") is None
    assert months_agreement("晋中规上工业增速跟1到4月比快了几个百分点？", "1—5月") == 0.0  # 1—4月 is compared with
    assert time_phrase("其中5月当月增长6.8%。", 8) == (None, "5月当月")
    assert parse_intent("衢州商超客流恢复程度比3月份高了多少个百分点？").months == []
    asked = parse_intent("3月份衢州重点商场超市客流量是多少？")
    sentence = "4月13日至19日，全市12家重点商场超市客流量42.6万人次，比3月份提高21.7个百分点"
    assert _date_fit(asked, sentence, parse_figures(sentence)) == -1  # 3月份 is compared with, not stated


def test_a_gap_is_asked_without_naming_its_unit():
    assert parse_intent("铜仁返岗率高出贵州全省平均多少？").unit == "个百分点"
    assert parse_intent("复工率高于90%的企业有多少？").unit == ""  # a threshold, not a gap
    loans = parse_intent("钦州银行给企业放了多少优惠利率贷款？")
    assert (loans.wants, loans.unit) == ("figure", "元")  # 利率 only names which loans


def test_a_speaker_labelled_by_name_speaks_for_the_place_they_were_introduced_with():
    p = _bulletin("heldout18", "831")
    text = p.clean.text
    assert local_places(text, text.find("劳建华：全区") + 4) == {"市": "钦州市", "区": "经开区"}
    assert local_places(text, text.find("黄秋月：全县") + 4) == {"县": "灵山县"}
    assert asked_place(parse_intent("钦州港经开区复工的规上工业企业有多少家？")) == "经开区"
    assert asked_place(parse_intent("南京和经开区有多少家？")) == "南京市"
    assert _figure("钦州港经开区复工的规上工业企业有多少家？", p) == "63家"
    assert _figure("钦州市级重大项目开复工率到了多少？", p) == "91.0%"  # not 力争…达到98%以上
    assert _figure("钦州港头两个月货物吞吐量是多少？", p) == "1836万吨"  # not the 外贸 part


def test_a_part_its_verb_and_a_rule_for_one_person():
    clause = "其中贫困劳动力返岗11.6万人"
    assert figure_part(clause, parse_figures(clause)[0]) == "part"
    assert _asked_verbs("衢州首轮消费券带动了多少消费？") == ("带动",)
    assert _asked_verbs("铜仁给贫困劳动力发了多少交通补助？") == ("发放", "发送")  # both wordings of 发了
    p = _bulletin("heldout18", "833")
    assert _figure("铜仁贫困劳动力已经返岗多少人？", p) == "11.6万人"
    assert _figure("铜仁给贫困劳动力发了多少交通补助？", p) == "127.8万元"  # not 每人…300元
    assert _figure("铜仁扶贫车间恢复生产的有多少个？", p) == "298个"
    assert _figure("衢州A级景区现在开了多少家？", _bulletin("heldout18", "834")) == "45家"


def test_a_goal_asked_and_a_share_of_the_goal_done():
    p = _bulletin("heldout18", "835")
    assert _figure("文山州今年农村劳动力转移就业的目标是多少人？", p) == "112万人"
    assert _figure("文山州转移就业任务完成了百分之多少？", p) == "86.4%"
    assert _figure("广南县专列送走了多少务工人员？", p) == "1960人"


def test_a_gap_goes_one_way_and_a_destination_is_no_place():
    p = _bulletin("heldout18", "831")
    assert _figure("钦州规上企业复工率比广西平均水平高出几个百分点？", p) == "3.4个百分点"  # not 降幅…小8.3个百分点
    assert _gap_way("降幅比全区平均水平小") == -1 and _gap_way("高于全区平均水平（93.6%）") == 1
    assert _gap_way("铜仁返岗率比一周前涨了几个百分点？", _GAP_ASKED_WAY) == 1
    facts = {f.figure.text: f for f in _bulletin("heldout18", "835").facts.facts}
    assert facts["55.56万人"].place == "文山壮族苗族自治州"  # "省内转移55.56万人": where the workers went


def test_what_the_first_reading_of_heldout18_broke_elsewhere():
    # a city's zone named with a word of its own name is the zone, in the question and in the text alike
    assert _figure("包头稀土高新区规上工业企业的复工率是多少？", _bulletin("calibration2", "602")) == "98.2%"
    # 新开工 is not 开工: "已开工41个，其中新开工项目18个"
    assert _figure("旌阳区重点项目中新开工的有几个？", _bulletin("heldout10", "962")) == "18个"
    # a part's verb is its whole's: "为复工企业发放贷款286.4亿元，其中小微企业贷款163.5亿元"
    assert _figure("截至3月6日，温州银行业给小微企业发放了多少复工贷款？", _bulletin("calibration3", "802")) == "163.5亿元"
    # March's value given in a comparison's bracket answers for March
    assert _figure("晋城3月份规上工业增加值下降了多少？", _bulletin("heldout15", "911")) == "6.2%"
    # 牛肉 asked: 精瘦肉 is pork and 粳米 no meat
    assert _figure("百色牛肉价格同比涨了多少？", _bulletin("heldout15", "912")) is None
    # 省外 asked: not "省内转移55.56万人"
    assert _figure("文山州转移到省外就业的有多少人？", _bulletin("heldout18", "835")) == "41.26万人"


def test_heldout19_wordings_verbs_and_kinds():
    p = _bulletin("heldout19", "841")  # 本溪 政府常务会议纪要
    assert _figure("本溪一季度GDP总量是多少？", p) == "148.6亿元"
    assert _figure("本溪一季度经济总量比去年同期掉了多少？", p) == "7.2%"  # 掉了: a change asked
    assert _figure("本溪现在规上工业企业开工的有多少家了？", p) == "309家"  # an enterprise that 开工 has 复工
    assert _figure("本溪规上工业的复工率到多少了？", p) == "99.0%"  # not "其中3月当月增长1.8%"
    assert _figure("本溪县今年打算春播多少亩地？", p) == "38.6万亩"
    q = _bulletin("heldout19", "843")  # 清远 春运 daily
    assert _figure("2月15日清远坐火车走的旅客有多少？", q) == "0.78万人次"  # not 道路、铁路、水路共…3.26万
    assert _figure("黄南州全州复工的规上工业企业有多少家？", _bulletin("heldout19", "844")) == "57家"
    assert _figure("鹤岗税收收入的降幅比前4个月缩小了几个百分点？", _bulletin("heldout19", "842")) == "2.4个百分点"
    assert months_agreement("降幅比前4个月缩小了几个百分点", "1—5月") == 0.0
