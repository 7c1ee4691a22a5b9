"""Layouts read while heldout13 was turned into a training set (evals/heldout13/bulletins, synthetic, thirteenth
session): a 日报 page whose 简讯 column follows a county's item, a 统计局 数据解读 with a "指标｜4月份｜1—4月" table,
a 盟商务局 答记者问 on a port named after its city, and a county 通报 of 恢复 counts. Each test is written on a
snippet or a whole bulletin of that set."""

from __future__ import annotations

from service.chat.tables import row_cells
from service.intent import parse_intent
from tests.unit.test_layouts import _bulletin
from tests.unit.test_price_tables import _facts, _figure
from vectorstore.articles import split_articles
from vectorstore.cleaning import clean
from vectorstore.places import gazetteer

# --------------------------------------------------------------------------- places and articles


def test_everyday_short_names_of_leagues_banners_and_inner_mongolia():
    forms = gazetteer().forms
    assert forms["锡盟"].name == "锡林郭勒盟"
    assert forms["东乌旗"].name == "东乌珠穆沁旗"
    assert forms["内蒙古"].name == "内蒙古自治区"  # "蒙古" is no ethnic name to strip from it
    assert parse_intent("巴中市巴州区有多少家企业？").places == ["巴中市", "巴州区"]  # not 巴音郭楞's 巴州


def test_a_pages_news_column_is_an_item_of_its_own():
    text = clean("邓州：11.2万名务工人员返岗\n\n本报讯（记者 刘洋）截至4月14日，邓州市外出务工人员已返岗11.2万人。\n\n"
                 "简　讯\n\n▲截至4月14日，全市规上工业企业2386家已复工2371家，复工率99.4%。\n")
    articles = split_articles(text)
    assert len(articles) == 2 and "2386家" in text.text[articles[1].start : articles[1].end]


# --------------------------------------------------------------------------- figure facts


def test_a_port_named_after_its_city_and_a_chain_that_names_no_place():
    facts = _facts("答：1—5月，二连浩特口岸进出口货运量612.4万吨。经二连浩特口岸出入境的中欧班列1026列，同比增长36.4%；"
                   "5月份通行268列，创单月新高。", ["锡林郭勒盟", "二连浩特市"])
    assert facts["36.4%"].place == facts["268列"].place == "二连浩特市"  # not the league's
    assert facts["1026列"].period == "1—5月"  # months opening a paragraph's second sentence carry on
    assert facts["268列"].period == "5月份"


def test_a_gap_with_an_earlier_month_risen_is_of_the_sentences_month():
    facts = _facts("4月份，全市规模以上工业增加值同比增长2.6%，增速比3月份回升9.8个百分点。", ["张家口市"])
    assert facts["9.8个百分点"].period == "4月份"


# --------------------------------------------------------------------------- tables and questions


def test_month_columns_are_names_not_figures():
    text = clean("表1　全市主要经济指标\n指标｜4月份｜1—4月\n社会消费品零售总额｜48.6亿元｜176.3亿元\n").text
    cells = row_cells(text, text.index("社会消费品"))
    assert [c.column for c in cells] == ["4月份", "1—4月"]


def test_questions_on_trains_and_restored_lines():
    assert parse_intent("5月份二连浩特口岸通行了多少列中欧班列？").unit == "列"
    assert parse_intent("锡盟1—4月外贸进出口同比降了多少？").places == ["锡林郭勒盟"]


# --------------------------------------------------------------------------- answers on whole bulletins


def test_a_statistics_table_answers_by_its_month_column():
    p = _bulletin("heldout13", "992")
    assert _figure("张家口1—4月累计可再生能源发电多少千瓦时？", p) == "142.8亿千瓦时"
    assert _figure("前4个月张家口社零总额累计多少？", p) == "176.3亿元"
    assert _figure("张家口3月份社会消费品零售总额是多少亿元？", p) is None  # only 4月份 and 1—4月
    assert _figure("4月份张家口可再生能源发电量有多少？", p) == "36.2亿千瓦时"  # an amount, not 同比增长12.4%
    assert _figure("张家口4月份规上工业增加值增速比3月份回升了几个百分点？", p) == "9.8个百分点"
    assert _figure("4月份张家口规上工业增速比全省高多少？", p) == "1.5个百分点"


def test_a_leagues_qa_tells_its_port_its_banners_and_the_region_apart():
    p = _bulletin("heldout13", "994")
    assert _figure("东乌旗外贸企业复工了几家？", p) == "18家"  # "锡林浩特市、东乌珠穆沁旗分别复工31家、18家"
    assert _figure("锡盟1—4月外贸进出口同比降了多少？", p) == "12.6%"  # not 全区's 15.3%
    assert _figure("内蒙古全区1—4月外贸进出口总额是多少？", p) is None  # only the region's decline is given
    assert _figure("5月份二连浩特口岸通行了多少列中欧班列？", p) == "268列"
    assert _figure("二连浩特口岸中欧班列同比增长了多少？", p) == "36.4%"


def test_a_county_notice_answers_what_was_restored():
    p = _bulletin("heldout13", "995")
    assert _figure("歙县城乡客运班线恢复了多少条？", p) == "86条"
    assert _figure("歙县一共有多少条城乡客运班线？", p) == "106条"


def test_a_news_column_of_a_city_paper_is_the_citys():
    p = _bulletin("heldout13", "991")
    assert _figure("邓州市有多少家规上工业企业？", p) == "218家"  # the 简讯's 2386家 are 南阳's
