"""Layouts read while heldout21 was turned into a training set (evals/heldout21/bulletins, synthetic, eighteenth
session): a 宿州 press-conference transcript, a 抚州 复工调度日报 with one line a day (items apart by single
full-width spaces), a 丽水日报 page of short items, a 黔南州 简报 of numbered items opened by a county and a colon,
and a 梧州 统计局 release with a two-row table header. Each test is written on a snippet or a whole bulletin of
that set."""

from __future__ import annotations

from service.chat import extractive
from service.chat.parts import split_question
from service.chat.tables import row_cells
from service.facts.reading import local_places, months_of, time_phrase
from service.intent import written_form
from tests.unit.test_layouts import _bulletin
from tests.unit.test_price_tables import _figure
from vectorstore.cleaning import clean, split_sentences


def test_a_bare_day_takes_its_month_from_the_bulletin_and_kuai_is_yuan():
    assert written_form("宿州首批消费券到18号已经用掉多少钱了？", "2020-03-19") == "宿州首批消费券到3月18日已经用掉多少钱了？"
    assert written_form("抚州27号当天又有几家规上企业复工？", "2020-03-19") == "抚州2月27日当天又有几家规上企业复工？"
    assert written_form("宿州消费券满100块能减多少？", None) == "宿州消费券满100元能减多少？"
    for kept in ("第18号公告", "18号文件", "地铁1号线", "5日内办结", "连续10日无新增", "2月22号一天新增复工几家？"):
        assert written_form(kept, "2020-03-19") == kept
    p = _bulletin("heldout21", "861")
    assert _figure("宿州首批消费券到18号已经用掉多少钱了？", p) == "612万元"
    assert _figure("宿州消费券满100块能减多少？", p) == "30元"


def test_a_span_from_a_month_is_its_own_period():
    sentence = "全市142个省重点项目已开工136个，开工率95.8%，3月以来完成投资68.7亿元。"
    assert time_phrase(sentence, sentence.find("68.7")) == (None, "3月以来")
    assert months_of("3月以来") == (3, 3)
    assert _figure("宿州省重点项目3月以来完成了多少投资？", _bulletin("heldout21", "861")) == "68.7亿元"  # not 1—2月's


def test_a_days_line_of_items_is_one_sentence_under_its_heading():
    text = clean("二、近七日复工走势（规上工业企业）\n\n2月21日　复工612家　新增25家　复工率73.6%\n"
                 "2月22日　复工648家　新增36家　复工率77.9%\n").text
    lines = [text[a:b] for a, b in split_sentences(text)]
    assert "2月22日，复工648家，新增36家，复工率77.9%" in lines
    # a date label and a single-spaced caption stay as they were
    assert clean("表1　2020年1—4月湘潭市主要经济指标").text == "表12020年1—4月湘潭市主要经济指标"
    p = _bulletin("heldout21", "862")
    assert _figure("2月24号那天抚州规上企业累计复工了多少家？", p) == "703家"
    assert _figure("抚州2月22号一天新增复工几家？", p) == "36家"
    assert _figure("抚州2月21日规上企业复工率是多少？", p) == "73.6%"


def test_a_heading_stating_its_day_is_not_moved_to_a_later_sections_day():
    p = _bulletin("heldout21", "862")
    said = extractive.answer("抚州2月27日规上企业当日新增复工多少家？", [p], min_confidence=0.0)
    assert said.figure == "22家"


def test_a_bare_day_in_the_text_is_of_the_month_named_before_it():
    p = _bulletin("heldout21", "863")
    assert _figure("莲都区消费券到20号核销了多少？", p) == "186万元"


def test_a_numbered_item_opened_by_a_county_owns_its_whole():
    p = _bulletin("heldout21", "864")
    text = p.clean.text
    assert local_places(text, text.find("清明假期全县"))["县"] == "荔波县"
    assert _figure("荔波清明小长假来了多少游客？", p) == "4.68万人次"


def test_an_actual_figure_is_not_a_forecast():
    p = _bulletin("heldout21", "862")
    said = extractive.answer("截至2月底抚州规上工业企业实际复工率是多少？", [p], min_confidence=0.0)
    assert said.figure is None  # only "预计2月底…达到96%以上"


def test_a_two_row_table_header_names_each_column_and_the_urban_row_is_asked_as_shiqu():
    p = _bulletin("heldout21", "865")
    text = p.clean.text
    cells = row_cells(text, text.find("藤县｜"))
    assert [c.column for c in cells] == ["规模以上工业增加值增速3月", "规模以上工业增加值增速1—3月",
                                         "社会消费品零售总额1—3月", "社会消费品零售总额同比"]
    assert _figure("藤县一季度社零总额多少？", p) == "16.4亿元"
    assert _figure("蒙山县3月份规上工业增加值涨了多少？", p) == "6.2%"
    assert [part.label for part in split_question("梧州市区和岑溪市一季度社零总额各是多少？")] == ["梧州市区", "岑溪市"]
    assert _figure("梧州市区一季度社零总额是多少？", p) == "48.7亿元"  # the 市区 row, not 全市's 98.2亿元
    part = split_question("梧州市区和岑溪市一季度社零总额各是多少？")[0]
    said = extractive.answer(part.question, [p], part=part, min_confidence=0.0)
    assert said.figure == "48.7亿元"  # a part of 梧州市区 is answered by the 市区 row only


def test_colloquial_wordings_of_this_set():
    p = _bulletin("heldout21", "862")
    assert _figure("抚州口罩一天能产多少只？", p) == "12万只"  # 日产能
    p = _bulletin("heldout21", "861")
    assert _figure("砀山酥梨疏花套袋还缺多少人手？", p) == "约3000人"  # 用工缺口


def test_respectively_opening_its_clause_lists_the_metrics_of_the_clauses_before():
    p = _bulletin("heldout21", "864")
    assert _figure("黔南清明旅游收入恢复到去年同期的多少？", p) == "46.8%"
    assert _figure("黔南清明游客人数恢复到去年同期的多少？", p) == "58.6%"


def test_months_asked_as_the_first_n_months_are_the_figures_period_not_its_topic():
    assert _figure("砀山前两个月网上卖了多少钱？", _bulletin("heldout21", "861")) == "7.36亿元"  # 1—2月…网络零售额


def test_near_metrics_that_are_not_the_asked_one():
    assert extractive.answer("丽水一季度规上工业企业利润总额是多少？", [_bulletin("heldout21", "863")]).figure is None  # 营业收入
    assert extractive.answer("黔南清明假期景区门票收入是多少？", [_bulletin("heldout21", "864")]).figure is None  # 旅游收入
    assert extractive.answer("梧州一季度税收收入是多少？", [_bulletin("heldout21", "865")]).figure is None  # 一般公共预算收入
    assert _figure("梧州一季度经济同比降了多少？", _bulletin("heldout21", "865")) == "5.2%"  # 地区生产总值


def test_a_gap_asked_against_a_named_province_is_not_a_gap_against_earlier_months():
    p = _bulletin("heldout21", "863")
    assert _figure("丽水一季度规上工业降幅比浙江全省小多少？", p) == "1.4个百分点"  # not 比1—2月收窄12.5个百分点
    assert _figure("丽水一季度规上工业降幅比1—2月收窄了几个百分点？", p) == "12.5个百分点"


def test_a_second_ask_keeps_what_the_first_asks_verb_did():
    parts = split_question("宿州房租补助已经给多少户企业兑现了，一共多少钱？")
    assert [p.question for p in parts] == ["宿州房租补助已经给多少户企业兑现了？", "宿州房租补助已经给企业兑现了，一共多少钱？"]
    assert _figure(parts[1].question, _bulletin("heldout21", "861")) == "1180万元"  # not 应急转贷资金1亿元
    assert [p.question for p in split_question("专项贷款有多少，惠及几家企业？")][1] == "专项贷款，惠及几家企业？"


def test_those_that_did_it_after_a_whole_and_its_noun_are_its_part():
    from service.facts.reading import figure_part
    from service.figures import parse_figures

    clause = "全县41家变电设备企业复工38家"
    assert [figure_part(clause, f) for f in parse_figures(clause)] == ["total", "part"]
    assert _figure("崇仁县变电设备企业，复工了几家？", _bulletin("heldout21", "862")) == "38家"


def test_a_headline_names_its_county_by_its_short_name_and_a_name_stops_at_the_next_title():
    from service.names import person_names

    p = _bulletin("heldout21", "863")
    text = p.clean.text
    assert local_places(text, text.find("1—3月，全县进口"))["县"] == "青田县"  # headline "青田侨乡进口商品城人气回升"
    assert _figure("青田一季度进口商品卖了多少钱？", p) == "3.46亿元"
    assert _figure("青田进口商品在网上卖了多少？", p) == "1.35亿元"
    assert [n.text for n in person_names("本报讯（记者周敏通讯员李伟）4月以来")] == ["周敏", "李伟"]


def test_a_row_of_districts_together_is_no_one_districts_and_a_span_keeps_its_end_day():
    p = _bulletin("heldout21", "865")
    assert extractive.answer("龙圩区一季度社会消费品零售总额是多少？", [p]).figure is None  # only 市区（万秀区、长洲区、龙圩区）
    assert written_form("3月1日到3日锦州港一共完成了多少吞吐量？", "2020-03-05") == "3月1日到3日锦州港一共完成了多少吞吐量？"
    assert [p.question for p in split_question("宜春高三初三应到校多少学生，实际到了多少？")][1] == "宜春高三初三应到校，实际到了多少？"
